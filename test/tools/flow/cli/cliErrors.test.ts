/**
 * `npm run flow` with bad input: one line naming the file and what is wrong, exit code 2, no stack trace unless --debug,
 * no process left running, and the run history written only where --out or --history says.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { checkScenario, main } from "../../../../tools/flow/cli";

const ROOT = path.resolve(__dirname, "../../../..");
const FLOWS = path.join(ROOT, "flows");
const flowFile = (kind: string) => path.join(FLOWS, readdirSync(FLOWS).find((f) => f.includes(`-${kind}-`) && f.endsWith(".json")) ?? "");

async function cli(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { stdout: (t) => out.push(t), stderr: (t) => err.push(t), stdin: () => Promise.resolve("") });
  return { code, out, err };
}

let dir: string;
let trigger: string;
const opportunityid = "0f000000-0000-4000-8000-000000000001";
const SMALL_DEAL = {
  clock: "2025-03-14T09:00:00Z",
  dataverse: {
    rows: [
      { entitySet: "transactioncurrencies", row: { currencyname: "US Dollar", isocurrencycode: "USD", currencysymbol: "$", currencyprecision: 2, exchangerate: 1 } },
      { entitySet: "opportunities", row: { opportunityid, name: "Small deal", estimatedvalue: 10 } },
    ],
  },
};

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "flow-cli-errors-"));
  trigger = path.join(dir, "row.json");
  writeFileSync(trigger, JSON.stringify({ opportunityid, statecode: 0 }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const full = path.join(dir, name);
  writeFileSync(full, text);
  return full;
}

describe("bad files say what is wrong in one line, exit 2", () => {
  test("a missing flow, trigger or scenario file", async () => {
    const missing = path.join(dir, "missing.json");
    expect(await cli(["run", missing, "--trigger", trigger])).toEqual({ code: 2, out: [], err: [`flow run: flow ${missing}: no such file`] });
    expect((await cli(["run", flowFile("Dealescalation"), "--trigger", missing])).err).toEqual([`flow run: trigger row ${missing}: no such file`]);
    expect((await cli(["run", flowFile("Dealescalation"), "--trigger", trigger, "--scenario", missing])).err).toEqual([`flow run: scenario ${missing}: no such file`]);
    expect(await cli(["check", missing])).toEqual({ code: 2, out: [], err: [`flow check: ${missing}: no such file`] });
    expect((await cli(["check", dir])).err).toEqual([`flow check: ${dir}: is a folder, not a file`]);
  });

  test("a scenario that is not JSON", async () => {
    const bad = file("bad.json", "{ clock: 1 ");
    const r = await cli(["run", flowFile("Dealescalation"), "--trigger", trigger, "--scenario", bad]);
    expect(r.code).toBe(2);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toMatch(new RegExp(`^flow run: scenario ${bad.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: not JSON: `));
  });

  test("a flow file that is JSON but not a flow, and a trigger that is not a row", async () => {
    const notFlow = file("notflow.json", "[1, 2]");
    expect((await cli(["run", notFlow, "--trigger", trigger])).err).toEqual([
      `flow run: flow ${notFlow}: not a cloud flow: it needs properties.definition with triggers and actions`,
    ]);
    const notRow = file("notrow.json", '"row"');
    expect((await cli(["run", flowFile("Dealescalation"), "--trigger", notRow])).err).toEqual([
      `flow run: trigger row ${notRow}: must hold a JSON object (the row, in Web API wire format)`,
    ]);
  });

  test.each([
    ["[]", "the file must hold a JSON object"],
    ['{"graph": {"throttle": {}}}', "graph.throttle must be an array"],
    ['{"graph": {"throttle": [{"count": 1, "retryAfterSeconds": 2, "path": "("}]}}', "graph.throttle[0].path is not a regular expression: "],
    ['{"graph": {"throttle": [{"count": 1}]}}', "graph.throttle[0].retryAfterSeconds is required"],
    ['{"graph": {"outages": [{"status": "500"}]}}', "graph.outages[0].status must be an HTTP status code"],
    ['{"approvals": [{"outcome": "Yes"}]}', "approvals[0].outcome must be Approve, Reject or NoResponse"],
    ['{"dataverse": {"rows": [{"entitySet": "accounts"}]}}', "dataverse.rows[0].row must be an object"],
    ['{"clock": "tomorrow"}', "clock must be a date and time (ISO 8601)"],
    ['{"scenaro": {}}', "scenaro is not a scenario setting (parameters, clock, dataverse, approvals, graph)"],
  ])("scenario %s is refused before any service starts", (text, message) => {
    expect(() => checkScenario(JSON.parse(text), "s.json")).toThrow(`scenario s.json: ${message}`);
  });

  test("no stack trace, unless --debug", async () => {
    const bad = file("shape.json", '{"graph": {"throttle": 3}}');
    const plain = await cli(["run", flowFile("Dealescalation"), "--trigger", trigger, "--scenario", bad]);
    expect(plain.err).toEqual([`flow run: scenario ${bad}: graph.throttle must be an array`]);
    const debug = await cli(["run", flowFile("Dealescalation"), "--trigger", trigger, "--scenario", bad, "--debug"]);
    expect(debug.err[0]).toBe(plain.err[0]);
    expect(debug.err[1]).toMatch(/^InputError: .*\n\s+at /);
  });
});

describe("the run history goes only where it is told", () => {
  test("without --out it is printed after the tree, and no file is written", async () => {
    const scenario = file("small.json", JSON.stringify(SMALL_DEAL));
    const before = readdirSync(process.cwd());
    const r = await cli(["run", flowFile("Dealescalation"), "--trigger", trigger, "--scenario", scenario]);
    expect(r.code).toBe(0);
    expect(r.out).toHaveLength(2);
    expect((JSON.parse(r.out[1]) as { status: string }).status).toBe("Succeeded");
    expect(readdirSync(process.cwd())).toEqual(before);
    expect(readdirSync(ROOT).filter((f) => f.endsWith(".history.json"))).toEqual([]);
  });

  test("--history names the file, like --out; a file that cannot be written is one line", async () => {
    const scenario = file("small2.json", JSON.stringify(SMALL_DEAL));
    const history = path.join(dir, "h.json");
    const r = await cli(["run", flowFile("Dealescalation"), "--trigger", trigger, "--scenario", scenario, "--history", history]);
    expect(r.out[1]).toBe(`history written to ${history}`);
    expect((JSON.parse(readFileSync(history, "utf8")) as { status: string }).status).toBe("Succeeded");
    const nowhere = path.join(dir, "no", "such", "folder", "h.json");
    const failed = await cli(["run", flowFile("Dealescalation"), "--trigger", trigger, "--scenario", scenario, "--out", nowhere]);
    expect(failed.code).toBe(2);
    expect(failed.err).toEqual([`flow run: history ${nowhere}: cannot be written (ENOENT)`]);
    expect(existsSync(nowhere)).toBe(false);
  });
});

test("the process exits after reporting a malformed scenario (spawned: it must not hang)", () => {
  const bad = file("hang.json", '{"graph": {"throttle": {"count": 1}}}');
  const started = Date.now();
  const result = spawnSync(path.join(ROOT, "node_modules/.bin/tsx"), [path.join(ROOT, "tools/flow/cli.ts"), "run", flowFile("Dealescalation"), "--trigger", trigger, "--scenario", bad], {
    cwd: dir,
    encoding: "utf8",
    timeout: 30_000,
  });
  expect(result.signal).toBeNull();
  expect(result.status).toBe(2);
  expect(result.stderr.trim()).toBe(`flow run: scenario ${bad}: graph.throttle must be an array`);
  expect(Date.now() - started).toBeLessThan(30_000);
  expect(readdirSync(dir).filter((f) => f.endsWith(".history.json"))).toEqual([]);
}, 40_000);
