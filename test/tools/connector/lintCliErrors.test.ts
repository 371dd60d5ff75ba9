/**
 * `npm run lint:connector` with a command line or folders it cannot use: one line on the error stream, exit 2.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { runLintCli } from "../../../tools/connector/lintCli";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "lint-cli-"));
  writeFileSync(path.join(dir, "file.json"), "{}");
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = runLintCli(argv, (l) => out.push(l), (l) => err.push(l));
  return { code, out, err };
}

test.each([
  [["--connector"], "--connector needs a folder"],
  [["--schemas", "--debug"], "--schemas needs a folder"],
  [["--strict"], "unknown argument '--strict'. Usage: lintCli [--connector <dir>] [--schemas <dir>] [--debug]"],
])("%j is one line on the error stream, exit 2", (argv, line) => {
  expect(run(argv)).toEqual({ code: 2, out: [], err: [line] });
});

test("a connector path that is a file, or a schema folder that is missing, is one line, exit 2", () => {
  const file = path.join(dir, "file.json");
  expect(run(["--connector", file])).toEqual({ code: 2, out: [], err: [`--connector ${file}: is a file, not a folder`] });
  const missing = path.join(dir, "schemas");
  expect(run(["--schemas", missing])).toEqual({ code: 2, out: [], err: [`--schemas ${missing}: no such folder`] });
});

test("a malformed connector file is reported with its file and the lint exits 1", () => {
  const connector = mkdtempSync(path.join(dir, "connector-"));
  writeFileSync(path.join(connector, "apiDefinition.swagger.json"), "{ not json");
  const r = run(["--connector", connector]);
  expect(r.code).toBe(1);
  expect(r.out.find((l) => l.includes("apiDefinition.swagger.json"))).toMatch(/apiDefinition\.swagger\.json \$ \[FileUnreadable\] .*is not valid JSON/);
  expect(r.err).toEqual([]);
});
