/**
 * Certification lint CLI: npx tsx tools/connector/lintCli.ts [--connector <dir>] [--schemas <dir>] [--debug]
 * Prints one line per problem (file, JSON path, rule, message) and exits 1 when there are any. A command line or a
 * folder it cannot use is one line on standard error and exit 2 (with --debug, an unexpected error's stack trace too).
 */
import { statSync } from "node:fs";
import * as path from "node:path";
import { formatProblem, lintConnector } from "./lint";

/** `log` takes the report; `error` the one line that says why the lint could not run (by default `log` too). */
export function runLintCli(argv: string[], log: (line: string) => void = console.log, error: (line: string) => void = log): number {
  let connectorDir = path.resolve(__dirname, "../../connector");
  let schemaDir: string | undefined;
  const debug = argv.includes("--debug");
  argv = argv.filter((a) => a !== "--debug");
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = argv[i + 1];
    if ((arg === "--connector" || arg === "--schemas") && (!value || value.startsWith("--"))) {
      error(`${arg} needs a folder`);
      return 2;
    }
    if (arg === "--connector") connectorDir = path.resolve(value);
    else if (arg === "--schemas") schemaDir = path.resolve(value);
    else {
      error(`unknown argument '${arg}'. Usage: lintCli [--connector <dir>] [--schemas <dir>] [--debug]`);
      return 2;
    }
    i++;
  }
  // A connector folder that is missing is reported file by file below; one that is a file, or a schema folder that is
  // not there, cannot be linted at all.
  for (const [option, dir] of [["--connector", connectorDir], ["--schemas", schemaDir]] as const) {
    const stat = dir === undefined ? undefined : statSync(dir, { throwIfNoEntry: false });
    if (stat !== undefined && !stat.isDirectory()) {
      error(`${option} ${dir}: is a file, not a folder`);
      return 2;
    }
    if (option === "--schemas" && dir !== undefined && stat === undefined) {
      error(`--schemas ${dir}: no such folder`);
      return 2;
    }
  }
  let problems;
  try {
    problems = lintConnector(connectorDir, { schemaDir });
  } catch (e) {
    error(`connector lint could not run: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`);
    if (debug && e instanceof Error && e.stack) error(e.stack);
    return 2;
  }
  for (const p of problems) log(formatProblem(connectorDir, p));
  log(problems.length === 0 ? `connector lint: ${connectorDir} passes${schemaDir ? " (with Microsoft's schemas)" : ""}` : `connector lint: ${problems.length} problem(s)`);
  return problems.length === 0 ? 0 : 1;
}

if (require.main === module) process.exitCode = runLintCli(process.argv.slice(2), console.log, console.error);
