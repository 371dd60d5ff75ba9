import * as fs from "fs";
import * as path from "path";
import { createContext, evaluate, WdlError, type JsonValue } from "../../../tools/flow/expressions";

interface ExampleCase {
  function: string;
  expression: string;
  expected: JsonValue;
  docInconsistency?: string;
  context?: { now?: string; parameters?: Record<string, JsonValue>; variables?: Record<string, JsonValue> };
}

const oracle = path.resolve(__dirname, "../../../../shared/oracles/logic-apps/wdl-function-examples.json");
const { cases } = JSON.parse(fs.readFileSync(oracle, "utf8")) as { cases: ExampleCase[] };

function contextFor(c: ExampleCase) {
  return createContext({
    now: c.context?.now === undefined ? undefined : new Date(c.context.now),
    parameters: c.context?.parameters,
    variables: c.context?.variables,
    // The doc's actions() example reads a run of a "Get user" action whose body reports its status.
    actions: { Get_user: { outputs: { body: { status: "Succeeded" } } } },
  });
}

describe("documented WDL function examples (Microsoft's functions reference)", () => {
  const valid = cases.filter((c) => c.docInconsistency === undefined);

  it("the oracle still has its 144 cases", () => {
    expect(cases).toHaveLength(144);
  });

  it.each(valid.map((c) => [c.expression, c] as const))("%s", (_, c) => {
    expect(evaluate(`@${c.expression}`, contextFor(c))).toEqual(c.expected);
  });
});

/**
 * Cases the oracle flags as doc errors are not pass/fail cases against the doc's value. What the engine
 * does instead is pinned here, with the flag's reason, so a new flagged case needs a decision.
 */
const FLAGGED: Record<string, (c: ExampleCase) => void> = {
  "addProperty(json('{ \"firstName\": \"Sophia\", \"lastName\": \"Owen\" }'), 'middleName', 'Anne')": (c) =>
    expect(evaluate(`@${c.expression}`, contextFor(c))).toEqual({ firstName: "Sophia", lastName: "Owen", middleName: "Anne" }),
  "subtractFromTime('2018-01-02T00:00:00Z', 1, 'Day', 'D')": (c) =>
    expect(evaluate(`@${c.expression}`, contextFor(c))).toBe("Monday, January 1, 2018"),
  "convertTimeZone('2018-01-01T80:00:00.0000000Z', 'UTC', 'Pacific Standard Time', 'D')": (c) =>
    expect(() => evaluate(`@${c.expression}`, contextFor(c))).toThrow(WdlError),
  "uriScheme('https://www.contoso.com/catalog/shownew.htm?date=today')": (c) =>
    expect(evaluate(`@${c.expression}`, contextFor(c))).toBe("https"),
};

describe("examples the oracle flags as doc errors", () => {
  const flagged = cases.filter((c) => c.docInconsistency !== undefined);

  it.each(flagged.map((c) => [c.expression, c.docInconsistency, c] as const))("%s (excluded: %s)", (expression, _, c) => {
    const check = FLAGGED[expression];
    expect(check).toBeDefined();
    check(c);
  });
});
