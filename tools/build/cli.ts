/**
 * `npm run build | pack | verify | unpack`: builds the controls, stages and packs the solution into managed and
 * unmanaged zips, and verifies them. Nothing half-written is left in dist/: zips are written under a temporary name and
 * renamed only when everything has passed.
 */
import fs from "node:fs";
import path from "node:path";
import { buildSolution, type BuildOutput } from "./build";
import { BuildError, describeError, isInputError, UsageError } from "./errors";
import { readFileTree, readInputFile, writeFileTree } from "./files";
import { managedValue } from "./layout";
import { pack } from "./pack";
import { unpack } from "./unpack";
import { schemaDirIsUsable, verifyZip, type VerifyResult } from "./verify";
import { decodeUtf8 } from "./xml";

const ROOT = path.resolve(__dirname, "../..");
const DIST = path.join(ROOT, "dist");

interface Options {
  quiet: boolean;
  debug: boolean;
  schemaDir?: string;
  /** Our own policy in verify: --policy / --no-policy; unset means on for dist/, off for zips named on the command line. */
  policy?: boolean;
  skipControls: boolean;
  args: string[];
}

const colour = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code: number, text: string) => (colour ? `\u001b[${code}m${text}\u001b[0m` : text);
const green = (text: string) => paint(32, text);
const red = (text: string) => paint(31, text);
const yellow = (text: string) => paint(33, text);

function parseOptions(argv: string[]): Options {
  const options: Options = { quiet: false, debug: false, skipControls: false, args: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--quiet") options.quiet = true;
    else if (arg === "--debug") options.debug = true;
    else if (arg === "--skip-controls") options.skipControls = true;
    else if (arg === "--policy") options.policy = true;
    else if (arg === "--no-policy") options.policy = false;
    else if (arg === "--schemas") {
      options.schemaDir = argv[++i];
      if (options.schemaDir === undefined || options.schemaDir.startsWith("--")) throw new UsageError("--schemas needs a folder");
    }
    else if (arg.startsWith("--schemas=")) options.schemaDir = arg.slice("--schemas=".length);
    else if (arg.startsWith("--")) throw new UsageError(`unknown option ${arg}`);
    else options.args.push(arg);
  }
  if (!options.schemaDir && process.env.TCC_SCHEMAS) options.schemaDir = process.env.TCC_SCHEMAS;
  return options;
}

function writeAtomically(file: string, data: Uint8Array | string, temporaries: string[]): string {
  const temporary = `${file}.partial-${process.pid}`;
  temporaries.push(temporary);
  fs.writeFileSync(temporary, data);
  return temporary;
}

function schemaNotice(options: Options): string | undefined {
  if (!options.schemaDir) {
    return "customizations.xml was not checked against Microsoft's XSD: no schema folder given (pass --schemas <folder> holding CustomizationsSolution.xsd, from Microsoft's solution Schemas download, or set TCC_SCHEMAS)";
  }
  if (!schemaDirIsUsable(options.schemaDir)) throw new UsageError(`--schemas ${options.schemaDir}: no CustomizationsSolution.xsd there`);
  return undefined;
}

function reportProblems(zipName: string, result: Pick<VerifyResult, "problems"> & Partial<VerifyResult>): void {
  for (const problem of result.problems) {
    console.error(`${red("✗")} ${zipName}: ${problem.file}${problem.line ? `:${problem.line}` : ""}: ${problem.message}`);
  }
  for (const warning of result.warnings ?? []) {
    console.warn(`${yellow("!")} ${zipName}: ${warning.file}${warning.line ? `:${warning.line}` : ""}: ${warning.message}`);
  }
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((cell, i) => (/^\d+$/.test(cell) ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join("  ").trimEnd()).join("\n");
}

async function build(options: Options): Promise<void> {
  const notice = schemaNotice(options);
  const output = await buildSolution({
    root: ROOT,
    skipControls: options.skipControls,
    schemaDir: options.schemaDir,
    onStep: (description, ms) => {
      if (!options.quiet) console.log(`${green("✓")} ${description} (${(ms / 1000).toFixed(1)} s)`);
    },
    onProblem: (zipName, problem) => reportProblems(zipName, { problems: [problem] }),
  });
  for (const zip of output.zips) reportProblems(zip.name, { problems: [], warnings: zip.result.warnings });
  summarize(options, output, notice);
}

function summarize(options: Options, { components, zips }: BuildOutput, notice?: string): void {
  if (notice) console.warn(`! ${notice}`);
  if (options.quiet) {
    console.log(zips.map((z) => `${z.name}: ${z.result.checks} checks passed`).join("; "));
    return;
  }
  const rows = [["component", "name", "files", "bytes"], ...components.map((c) => [c.kind, c.name, String(c.files), String(c.bytes)])];
  console.log(`\n${table(rows)}\n`);
  const zipRows = [["zip", "bytes", "checks passed", "XSD"], ...zips.map((z) => [`dist/${z.name}`, String(z.bytes), String(z.result.checks), z.result.schema])];
  console.log(`${table(zipRows)}\n\ndist/deploymentSettings.json lists the environment variables and connection references to set on import.`);
}

async function verify(options: Options): Promise<void> {
  const notice = schemaNotice(options);
  const ours = options.args.length === 0;
  const zips = !ours ? options.args : fs.existsSync(DIST) ? fs.readdirSync(DIST).filter((f) => f.endsWith(".zip")).map((f) => path.join(DIST, f)) : [];
  if (zips.length === 0) throw new UsageError("no zip to verify: run npm run build, or name the zips");
  // Our policy (names, tcc_ prefix, roles, least privilege, exported shape) is for our own zips in dist/; a zip named on
  // the command line, exported from any environment, gets only what import needs unless --policy asks for ours.
  const policy = options.policy ?? ours;
  let failed = 0;
  const rows = [["zip", "checks passed", "problems", "warnings", "XSD"]];
  for (const zip of zips) {
    const result = await verifyZip(readInputFile(zip), path.basename(zip), { schemaDir: options.schemaDir, policy });
    reportProblems(path.basename(zip), result);
    if (result.problems.length > 0) failed++;
    rows.push([zip, String(result.checks - result.problems.length - result.warnings.length), String(result.problems.length), String(result.warnings.length), result.schema]);
  }
  if (!options.quiet) console.log(`${table(rows)}\n${policy ? "with our policy (--no-policy: only what import needs)" : "without our policy (--policy: also names, tcc_ prefix, roles, least privilege)"}`);
  if (notice) console.warn(`! ${notice}`);
  if (failed > 0) throw new BuildError(`${failed} zip(s)`, "verification failed");
}

/** The kinds `pack` takes as its third argument. */
export const PACK_KINDS = ["managed", "unmanaged"] as const;

function packCommand(options: Options): void {
  const [folder, zip, kind, ...extra] = options.args;
  if (!folder || !zip || extra.length > 0) throw new UsageError("usage: npm run pack -- <unpacked folder> <zip> [managed|unmanaged]");
  if (kind !== undefined && !(PACK_KINDS as readonly string[]).includes(kind)) {
    throw new UsageError(`unknown kind "${kind}": the kind is one of ${PACK_KINDS.join(", ")} (or left out to follow <Managed> in Other/Solution.xml)`);
  }
  const tree = readFileTree(folder);
  if (tree.size === 0) throw new BuildError(folder, "holds no files: not an unpacked solution folder");
  const managed = kind ? kind === "managed" : managedValue(decodeUtf8(tree.get("Other/Solution.xml") ?? new Uint8Array())) === 1;
  const temporaries: string[] = [];
  try {
    const temporary = writeAtomically(zip, pack(tree, { managed }), temporaries);
    fs.renameSync(temporary, zip);
  } finally {
    for (const temporary of temporaries) fs.rmSync(temporary, { force: true });
  }
  if (!options.quiet) console.log(`${green("✓")} packed ${folder} into ${zip} (${managed ? "managed" : "unmanaged"})`);
}

function unpackCommand(options: Options): void {
  const [zip, folder, ...extra] = options.args;
  if (!zip || !folder || extra.length > 0) throw new UsageError("usage: npm run unpack -- <zip> <folder>");
  // unpack() checks every entry and every path before it returns; writeFileTree checks them again and writes a new
  // folder under a temporary name, renamed when complete. A refused zip writes nothing.
  const tree = unpack(readInputFile(zip));
  writeFileTree(folder, tree);
  if (!options.quiet) console.log(`${green("✓")} unpacked ${zip} into ${folder} (${tree.size} files)`);
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  const options = parseOptions(rest);
  debug = options.debug;
  switch (command) {
    case "build":
      return build(options);
    case "verify":
      return verify(options);
    case "pack":
      return packCommand(options);
    case "unpack":
      return unpackCommand(options);
    default:
      throw new UsageError("usage: cli.ts build|verify|pack|unpack [--quiet] [--schemas <folder>] [--policy|--no-policy]");
  }
}

let debug = process.argv.includes("--debug");

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(`${red("error")} ${describeError(error)}`);
    if (debug && error instanceof Error && error.stack) console.error(error.stack);
    else if (!isInputError(error)) console.error("(run again with --debug for the stack trace)");
    process.exitCode = 1;
  });
}
