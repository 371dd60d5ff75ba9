/**
 * `npm run unpack | pack | verify` with bad input: one line naming the file or entry, exit 1, no stack trace, nothing
 * written. The CLI is spawned (slow), so only the cases that need the process are here; describeError covers the rest.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { zipSync } from "fflate";
import { BuildError, describeError, isInputError, UsageError } from "../../../tools/build/errors";
import { readInputFile } from "../../../tools/build/files";
import { ZipError } from "../../../tools/build/zip";

const ROOT = path.resolve(__dirname, "../../..");
const CLI = path.join(ROOT, "tools/build/cli.ts");
const TSX = path.join(ROOT, "node_modules/.bin/tsx");

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(TSX, [CLI, ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" }, timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

let scratch: string;
beforeAll(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), "tcc-cli-"));
});
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

test("unpack refuses a zip with ../evil.txt, exit 1, and writes nothing inside or outside the target", () => {
  const work = path.join(scratch, "unpack");
  fs.mkdirSync(work);
  const zip = path.join(work, "evil.zip");
  const text = (s: string) => new TextEncoder().encode(s);
  fs.writeFileSync(zip, zipSync({ "customizations.xml": text("<ImportExportXml/>"), "solution.xml": text("<ImportExportXml/>"), "../evil.txt": text("pwned") }));
  const result = cli("unpack", zip, path.join(work, "target", "inner"));
  expect(result.status).toBe(1);
  expect(result.stderr.trim()).toBe('error zip entry "../evil.txt": climbs out of the folder with a .. segment');
  expect(fs.readdirSync(work)).toEqual(["evil.zip"]);
  expect(fs.readdirSync(scratch)).toEqual(["unpack"]);
});

test("pack refuses an unknown kind with exit 1 and the list of kinds, and writes no zip", () => {
  const out = path.join(scratch, "out.zip");
  const result = cli("pack", path.join(ROOT, "solution"), out, "manged");
  expect(result.status).toBe(1);
  expect(result.stderr.trim()).toBe('error unknown kind "manged": the kind is one of managed, unmanaged (or left out to follow <Managed> in Other/Solution.xml)');
  expect(fs.existsSync(out)).toBe(false);
});

test("verify of a missing zip says so in one line, without a stack trace", () => {
  const result = cli("verify", path.join(scratch, "missing.zip"));
  expect(result.status).toBe(1);
  expect(result.stderr.trim()).toBe(`error ${path.join(scratch, "missing.zip")}: no such file`);
});

describe("describeError", () => {
  test("says Node's file errors in words, with the file; readInputFile says why a named file cannot be read", () => {
    let error: unknown;
    try {
      fs.readFileSync(path.join(scratch, "nope.zip"));
    } catch (e) {
      error = e;
    }
    expect(describeError(error)).toBe(`${path.join(scratch, "nope.zip")}: no such file or folder`);
    expect(isInputError(error)).toBe(true);
    expect(() => readInputFile(scratch)).toThrow(`${scratch}: is a folder, not a file`);
    expect(() => readInputFile(path.join(scratch, "nope.zip"))).toThrow(`${path.join(scratch, "nope.zip")}: no such file`);
  });

  test("gives our own errors' messages as they are, and an unexpected error's first line", () => {
    expect(describeError(new BuildError("Other/Solution.xml", "no <Managed> element", 3))).toBe("Other/Solution.xml:3: no <Managed> element");
    expect(describeError(new UsageError("usage: x"))).toBe("usage: x");
    expect(describeError(new ZipError("is a symbolic link", "a"))).toBe('zip entry "a": is a symbolic link');
    expect(describeError(new TypeError("x is undefined\n    at somewhere"))).toBe("x is undefined");
    expect(isInputError(new TypeError("x"))).toBe(false);
  });
});
