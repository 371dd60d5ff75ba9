import * as fs from "fs";
import * as path from "path";
import { FUNCTIONS, lookupFunction } from "../../../tools/flow/expressions";

interface OracleFunction {
  name: string;
  group: string;
  signatures: { definition: string; parameters: { name: string; isVariable?: boolean }[] }[];
}

const oracle = path.resolve(__dirname, "../../../../shared/oracles/logic-apps/wdl-functions.json");
const { functions } = JSON.parse(fs.readFileSync(oracle, "utf8")) as { functions: OracleFunction[] };

/** A parameter is optional when the signature text marks it `name?:`. */
function arity(f: OracleFunction): { min: number; max: number } {
  let min = Number.POSITIVE_INFINITY;
  let max = 0;
  for (const s of f.signatures) {
    const fixed = s.parameters.filter((p) => p.isVariable !== true);
    const required = fixed.filter((p) => !new RegExp(`\\b${p.name}\\?\\s*:`).test(s.definition));
    min = Math.min(min, required.length);
    max = Math.max(max, s.parameters.some((p) => p.isVariable === true) ? Number.POSITIVE_INFINITY : fixed.length);
  }
  return { min, max };
}

describe("our function catalogue against the Logic Apps designer's", () => {
  it("knows exactly the designer's 133 function names", () => {
    expect(functions).toHaveLength(133);
    expect(FUNCTIONS.map((f) => f.name).sort()).toEqual(functions.map((f) => f.name).sort());
  });

  it.each(functions.map((f) => [f.name, f] as const))("%s has the designer's group and argument counts", (name, f) => {
    const ours = lookupFunction(name);
    expect(ours?.group).toBe(f.group);
    const theirs = arity(f);
    if (ours?.extension === undefined) {
      expect({ min: ours?.minArgs, max: ours?.maxArgs }).toEqual(theirs);
    } else {
      expect(ours.minArgs).toBeLessThanOrEqual(theirs.min);
      expect(ours.maxArgs).toBeGreaterThan(theirs.max);
    }
  });
});
