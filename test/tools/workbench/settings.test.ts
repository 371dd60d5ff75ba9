import { FAULT_SWITCHES, faultRules, LATENCY_MS, MAX_ROUND_TRIP_MS, MAX_SIZE, MIN_SIZE, parseSettings, toSearch, type WorkbenchSettings } from "../../../tools/workbench/settings";

const RECORD = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";

describe("parseSettings", () => {
  it("gives English, 200 opportunities, the account form and no faults for an empty query", () => {
    expect(parseSettings("")).toEqual({ language: 1033, size: MIN_SIZE, screen: "account", faults: [], roundTripMs: 0, lanes: "choice", appTheme: "light" });
  });

  it("reads Simplified Chinese as zh-CN in any case or as LCID 2052", () => {
    expect(parseSettings("?lang=zh-CN").language).toBe(2052);
    expect(parseSettings("?lang=ZH-cn").language).toBe(2052);
    expect(parseSettings("?lang=2052").language).toBe(2052);
    expect(parseSettings("?lang=fr").language).toBe(1033);
  });

  it("clamps the size to 200..100,000, rounds it, and falls back to 200 for a non-number", () => {
    expect(parseSettings("?size=5").size).toBe(MIN_SIZE);
    expect(parseSettings("?size=100000").size).toBe(100_000);
    expect(parseSettings("?size=999999").size).toBe(MAX_SIZE);
    expect(parseSettings("?size=1234.6").size).toBe(1235);
    expect(parseSettings("?size=lots").size).toBe(MIN_SIZE);
  });

  it("accepts only the four screens", () => {
    expect(parseSettings("?screen=opportunities").screen).toBe("opportunities");
    expect(parseSettings("?screen=flows").screen).toBe("flows");
    expect(parseSettings("?screen=admin").screen).toBe("account");
  });

  it("keeps a record id only when it is a GUID, lower-cased", () => {
    expect(parseSettings(`?record=${RECORD.toUpperCase()}`).record).toBe(RECORD);
    expect(parseSettings("?record=1%20or%201=1")).not.toHaveProperty("record");
  });

  it("reads the Dataverse round trip in whole milliseconds from 0 to 5,000, 0 for a non-number", () => {
    expect(["?rtt=40", "?rtt=12.6", "?rtt=-5", "?rtt=99999", "?rtt=slow"].map((q) => parseSettings(q).roundTripMs)).toEqual([40, 13, 0, MAX_ROUND_TRIP_MS, 0]);
  });

  it("takes the board's lanes from the process stages only for lanes=stages, from the choice column otherwise", () => {
    expect(["?lanes=stages", "?lanes=choice", "?lanes=STAGES", "?lanes=", ""].map((q) => parseSettings(q).lanes)).toEqual(["stages", "choice", "choice", "choice", "choice"]);
  });

  it("keeps known faults once each, in the order given, and drops unknown ones", () => {
    expect(parseSettings("?faults=500,latency,bogus,500,offline").faults).toEqual(["500", "latency", "offline"]);
  });
});

describe("toSearch", () => {
  it("writes every switch so that parsing the link gives the same settings back", () => {
    const settings: WorkbenchSettings = { language: 2052, size: 5000, screen: "contact", record: RECORD, faults: ["429", "412"], roundTripMs: 40, lanes: "stages", appTheme: "dark" };
    const search = toSearch(settings);
    expect(search).toBe(`?lang=zh-CN&size=5000&screen=contact&record=${RECORD}&faults=429%2C412&rtt=40&lanes=stages&apptheme=dark`);
    expect(parseSettings(search)).toEqual(settings);
  });

  it("leaves out the record, the faults, the round trip, choice-column lanes and the light app theme, the defaults", () => {
    expect(toSearch({ language: 1033, size: 200, screen: "flows", faults: [], roundTripMs: 0, lanes: "choice", appTheme: "light" })).toBe("?lang=en&size=200&screen=flows");
  });
});

describe("faultRules", () => {
  it("puts the round trip on every request, before any switched-on latency", () => {
    expect(faultRules(["latency"], 40)).toEqual([{ kind: "latency", latencyMs: 40 }, { kind: "latency", latencyMs: LATENCY_MS }]);
    expect(faultRules([], 0)).toEqual([]);
  });

  it("makes latency and offline hit every request", () => {
    expect(faultRules(["latency", "offline"])).toEqual([{ kind: "latency", latencyMs: LATENCY_MS }, { kind: "network" }]);
  });

  it("makes throttling, conflicts and server errors hit creates, updates and deletes but not reads", () => {
    const rules = faultRules(["429", "412", "500"]);
    expect(rules).toEqual([
      { kind: "throttle", operation: "create", retryAfterSeconds: 1 },
      { kind: "throttle", operation: "update", retryAfterSeconds: 1 },
      { kind: "throttle", operation: "delete", retryAfterSeconds: 1 },
      { kind: "conflict", operation: "create" },
      { kind: "conflict", operation: "update" },
      { kind: "conflict", operation: "delete" },
      { kind: "serverError", operation: "create" },
      { kind: "serverError", operation: "update" },
      { kind: "serverError", operation: "delete" },
    ]);
  });

  it("gives at least one rule for every switch the page offers, and none without faults", () => {
    for (const fault of FAULT_SWITCHES) expect(faultRules([fault]).length).toBeGreaterThan(0);
    expect(faultRules([])).toEqual([]);
  });
});
