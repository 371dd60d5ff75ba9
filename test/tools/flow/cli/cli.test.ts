import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { main } from "../../../../tools/flow/cli";

const FLOWS = path.resolve(__dirname, "../../../../flows");
const flowFile = (kind: string) => path.join(FLOWS, readdirSync(FLOWS).find((f) => f.includes(`-${kind}-`) && f.endsWith(".json")) ?? "");

async function cli(argv: string[], stdin = "") {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { stdout: (t) => out.push(t), stderr: (t) => err.push(t), stdin: () => Promise.resolve(stdin) });
  return { code, out, err };
}

describe("flow CLI", () => {
  it("check passes the shipped flows", async () => {
    const r = await cli(["check", flowFile("Customeronboarding"), flowFile("Dealescalation")]);
    expect(r).toEqual({ code: 0, out: ["2 flow(s) checked, no problems"], err: [] });
  });

  it("check fails a broken flow with file, line and reason", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "flow-cli-"));
    const broken = path.join(dir, "broken.json");
    writeFileSync(broken, readFileSync(flowFile("Dealescalation"), "utf8").replace('"operationId": "CreateGroupChat"', '"operationId": "CreateChat"'));
    const r = await cli(["check", broken]);
    expect(r.code).toBe(1);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toMatch(/broken\.json:\d+: action 'Create_deal_room' calls CreateChat, which the connector's apiDefinition\.swagger\.json does not define$/);
    expect(r.out).toEqual(["1 problem(s) in 1 flow(s)"]);
  });

  it("eval prints one JSON value or error per input line", async () => {
    const r = await cli(["eval"], "concat('a', 'b')\n@{add(1, 2)} items\nlength(\nfloat('1.5')\n");
    expect(r.code).toBe(0);
    expect(r.out.slice(0, 2)).toEqual(['"ab"', '"3 items"']);
    expect(JSON.parse(r.out[2])).toEqual({ error: expect.stringMatching(/^Expression '@length\(' at column \d+: /) as unknown });
    expect(r.out[3]).toBe("1.5");
  });

  it("run prints the run as a tree and writes the history JSON", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "flow-cli-"));
    const trigger = path.join(dir, "row.json");
    const scenario = path.join(dir, "scenario.json");
    const out = path.join(dir, "history.json");
    const opportunityid = "0f000000-0000-4000-8000-000000000001";
    writeFileSync(trigger, JSON.stringify({ opportunityid, statecode: 0 }));
    writeFileSync(scenario, JSON.stringify({
      clock: "2025-03-14T09:00:00Z",
      dataverse: {
        rows: [
          { entitySet: "transactioncurrencies", row: { currencyname: "US Dollar", isocurrencycode: "USD", currencysymbol: "$", currencyprecision: 2, exchangerate: 1 } },
          { entitySet: "opportunities", row: { opportunityid, name: "Small deal", estimatedvalue: 10 } },
        ],
      },
    }));
    const r = await cli(["run", flowFile("Dealescalation"), "--trigger", trigger, "--scenario", scenario, "--out", out]);
    expect(r.err).toEqual([]);
    expect(r.code).toBe(0);
    const lines = r.out[0].split("\n");
    expect(lines[0]).toMatch(/^run Succeeded {2}\(When_an_open_opportunity_changes, 2025-03-14T09:00:00\.000Z/);
    expect(lines.slice(1)).toEqual([
      "ok        Initialize_deal_room_chat  [InitializeVariable] +0s",
      "ok        Get_deal  [OpenApiConnection] +0s",
      "ok        Is_a_large_open_deal  [If] +0s",
    ]);
    expect(r.out[1]).toBe(`history written to ${out}`);
    const history = JSON.parse(readFileSync(out, "utf8")) as { status: string; actions: { name: string; outputs?: { body?: { name?: string } } }[] };
    expect(history.status).toBe("Succeeded");
    expect(history.actions.find((a) => a.name === "Get_deal")?.outputs?.body?.name).toBe("Small deal");
  });

  it("run explains a missing trigger", async () => {
    const r = await cli(["run", flowFile("Dealescalation")]);
    expect(r).toMatchObject({ code: 2, err: ["flow run: run needs <flow.json> and --trigger <row.json>"] });
  });

  it("prints usage for an unknown command", async () => {
    expect((await cli(["lint"])).code).toBe(2);
  });
});
