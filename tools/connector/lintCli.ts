/**
 * Certification lint CLI: npx tsx tools/connector/lintCli.ts [--connector <dir>] [--schemas <dir>]
 * Prints one line per problem (file, JSON path, rule, message) and exits 1 when there are any.
 */
import * as path from "node:path";
import { formatProblem, lintConnector } from "./lint";

export function runLintCli(argv: string[], log: (line: string) => void = console.log): number {
  let connectorDir = path.resolve(__dirname, "../../connector");
  let schemaDir: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = argv[i + 1];
    if ((arg === "--connector" || arg === "--schemas") && !value) {
      log(`${arg} needs a folder`);
      return 2;
    }
    if (arg === "--connector") connectorDir = path.resolve(value);
    else if (arg === "--schemas") schemaDir = path.resolve(value);
    else {
      log(`unknown argument '${arg}'. Usage: lintCli [--connector <dir>] [--schemas <dir>]`);
      return 2;
    }
    i++;
  }
  let problems;
  try {
    problems = lintConnector(connectorDir, { schemaDir });
  } catch (e) {
    log(`connector lint could not run: ${(e as Error).message}`);
    return 2;
  }
  for (const p of problems) log(formatProblem(connectorDir, p));
  log(problems.length === 0 ? `connector lint: ${connectorDir} passes${schemaDir ? " (with Microsoft's schemas)" : ""}` : `connector lint: ${problems.length} problem(s)`);
  return problems.length === 0 ? 0 : 1;
}

if (require.main === module) process.exitCode = runLintCli(process.argv.slice(2));
