/**
 * The whole build: controls, staging, packing and verification, then the zips and the deployment settings file.
 * Nothing half-written is left in dist/: outputs are written under temporary names and renamed only when every step
 * has passed, and the zips of an earlier build are removed first, so a failed build leaves none.
 */
import fs from "node:fs";
import path from "node:path";
import { formatProblem, lintConnector } from "../connector/lint";
import { checkFlowText } from "../flow/check";
import { BuildError } from "./errors";
import { listFiles, writeFileTree } from "./files";
import { parseJson } from "./json";
import { pack } from "./pack";
import { bundleBudgetProblem, runPcfBuild } from "./pcfBuild";
import { repositorySources, stage, type StagedComponent } from "./stage";
import { verifyZip, type VerifyResult } from "./verify";
import { decodeUtf8 } from "./xml";

export const CONTROLS = ["CustomerContextPanel", "PipelineBoard"];

export interface BuildOptions {
  root: string;
  skipControls?: boolean;
  schemaDir?: string;
  /** Called when a step finishes, with its description and duration in milliseconds. */
  onStep?: (description: string, milliseconds: number) => void;
  onProblem?: (zipName: string, problem: VerifyResult["problems"][number]) => void;
}

export interface BuildOutput {
  zips: { name: string; bytes: number; result: VerifyResult }[];
  components: StagedComponent[];
}

async function timed<T>(options: BuildOptions, description: string, work: () => Promise<T> | T): Promise<T> {
  const started = performance.now();
  const result = await work();
  options.onStep?.(description, performance.now() - started);
  return result;
}

export async function buildControls(root: string): Promise<void> {
  const results = await Promise.all(CONTROLS.map((c) => runPcfBuild(path.join(root, "components", c))));
  results.forEach((result, i) => {
    if (!result.ok) {
      // pcf-scripts prints the failing step last: its tail names the file, line and rule.
      const tail = result.output.trimEnd().split("\n").slice(-40).join("\n");
      throw new BuildError(`components/${CONTROLS[i]}`, `pcf-scripts build failed:\n${tail}`);
    }
  });
}

export async function buildSolution(options: BuildOptions): Promise<BuildOutput> {
  const dist = path.join(options.root, "dist");
  fs.mkdirSync(dist, { recursive: true });
  for (const old of fs.readdirSync(dist).filter((f) => f.endsWith(".zip") || f.includes(".partial-") || f === "deploymentSettings.json")) {
    fs.rmSync(path.join(dist, old));
  }
  if (!options.skipControls) await timed(options, `built ${CONTROLS.join(" and ")} with pcf-scripts (production)`, () => buildControls(options.root));
  // Checked before anything is staged or packed, so an over-budget bundle leaves no zip behind (old ones are gone).
  for (const control of CONTROLS) {
    const shown = `components/${control}/out/controls/${control}/bundle.js`;
    const bundle = path.join(options.root, shown);
    const problem = fs.existsSync(bundle) ? bundleBudgetProblem(`${control} bundle.js`, fs.statSync(bundle).size) : undefined;
    if (problem !== undefined) {
      throw new BuildError(shown, `${problem}; the budget (BUNDLE_BUDGET_BYTES in tools/build/pcfBuild.ts) is what a form downloads per control, so cut what the bundle pulls in rather than raising it`);
    }
  }

  const sources = repositorySources(options.root);
  await timed(options, "linted the connector against the certification rules", () => {
    for (const dir of sources.connectorDirs) {
      const shown = path.relative(options.root, dir) || ".";
      // Malformed JSON is reported by line here; the lint itself judges only well-formed definitions.
      for (const file of ["apiDefinition.swagger.json", "apiProperties.json"]) {
        if (fs.existsSync(path.join(dir, file))) parseJson(fs.readFileSync(path.join(dir, file)), `${shown}/${file}`);
      }
      const problems = lintConnector(dir);
      if (problems.length > 0) {
        throw new BuildError(shown, `connector lint found ${problems.length} problem(s):\n${problems.map((p) => formatProblem(shown, p)).join("\n")}`);
      }
    }
  });

  await timed(options, "checked the flows", () => {
    for (const file of listFiles(sources.flowsDir).filter((f) => /^[^/]+\.json$/.test(f))) {
      const shown = path.relative(options.root, path.join(sources.flowsDir, file));
      const text = decodeUtf8(fs.readFileSync(path.join(sources.flowsDir, file)));
      parseJson(text, shown);
      const problems = checkFlowText(text.replace(/^\uFEFF/, ""), shown, { solutionDir: sources.solutionDir, connectorDirs: sources.connectorDirs });
      if (problems.length > 0) {
        const lines = problems.map((p) => `${p.file}${p.line ? `:${p.line}` : ""}: ${p.message}`).join("\n");
        throw new BuildError(shown, `flow check found ${problems.length} problem(s):\n${lines}`, problems[0].line);
      }
    }
  });

  const staged = await timed(options, "staged dist/unpacked", () => {
    const result = stage(sources);
    const unpacked = path.join(dist, "unpacked");
    fs.rmSync(unpacked, { recursive: true, force: true });
    writeFileTree(unpacked, result.tree);
    return result;
  });

  const temporaries: string[] = [];
  const write = (name: string, data: Uint8Array | string) => {
    const temporary = path.join(dist, `${name}.partial-${process.pid}`);
    temporaries.push(temporary);
    fs.writeFileSync(temporary, data);
    return { name, temporary };
  };
  try {
    const stem = `${staged.uniqueName}_${staged.version.replace(/\./g, "_")}`;
    const zips: BuildOutput["zips"] = [];
    const written: { name: string; temporary: string }[] = [];
    for (const managed of [false, true]) {
      const name = `${stem}${managed ? "_managed" : ""}.zip`;
      const zip = await timed(options, `packed ${name}`, () => pack(staged.tree, { managed }));
      written.push(write(name, zip));
      const result = await timed(options, `verified ${name}`, () => verifyZip(zip, name, { schemaDir: options.schemaDir }));
      for (const problem of result.problems) options.onProblem?.(name, problem);
      if (result.problems.length > 0) throw new BuildError(name, `${result.problems.length} verification problem(s); no zip written`);
      zips.push({ name, bytes: zip.length, result });
    }
    written.push(write("deploymentSettings.json", `${JSON.stringify(staged.deploymentSettings, null, 2)}\n`));
    for (const { name, temporary } of written) fs.renameSync(temporary, path.join(dist, name));
    return { zips, components: staged.components };
  } finally {
    for (const temporary of temporaries) fs.rmSync(temporary, { force: true });
  }
}
