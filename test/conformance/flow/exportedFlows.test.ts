/**
 * Our flow check and our two flows against real exported flows (../shared/oracles/flows/, read at test time):
 * the check accepts what real exports contain, and our flows have the shape real exports have.
 */
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { checkFlowFile, defaultCheckOptions } from "../../../tools/flow/check";

const ROOT = path.resolve(__dirname, "../../..");
const ORACLES = path.resolve(ROOT, "../shared/oracles/flows");
const OURS = path.join(ROOT, "flows");
const oracleFlows = readdirSync(ORACLES).filter((f) => f.endsWith(".json"));
const ourFlows = readdirSync(OURS).filter((f) => f.endsWith(".json"));

type Json = Record<string, unknown>;
const read = (file: string) => JSON.parse(readFileSync(file, "utf8").replace(/^\uFEFF/, "")) as Json & { properties: Json & { definition: Json; connectionReferences: Record<string, Json> } };

/**
 * Problems that only say a real export uses something our solution does not ship (other connectors, their own
 * variables, other publishers' tables such as cat_… and msdyn_…, which our metadata does not model).
 */
const FOREIGN = /neither one of our connectors|environmentvariabledefinitions\/ does not define|is not a known action type|is not an operation of|of any table in the Dataverse metadata/;

function hostsOf(node: unknown, out: Json[] = []): Json[] {
  if (Array.isArray(node)) node.forEach((n) => hostsOf(n, out));
  else if (typeof node === "object" && node !== null) {
    for (const [k, v] of Object.entries(node)) {
      if (k === "host" && typeof v === "object" && v !== null) out.push(v as Json);
      else hostsOf(v, out);
    }
  }
  return out;
}

function elementNames(xml: string): string[] {
  const root = /<Workflow[^>]*>([\s\S]*)<\/Workflow>/.exec(xml)?.[1] ?? "";
  const names: string[] = [];
  let depth = 0;
  for (const m of root.matchAll(/<(\/?)([A-Za-z]+)[^>]*?(\/?)>/g)) {
    if (m[1] === "/") depth--;
    else {
      if (depth === 0) names.push(m[2]);
      if (m[3] !== "/") depth++;
    }
  }
  return names;
}

describe("flow check against real exported flows", () => {
  it.each(oracleFlows)("accepts the shape, runAfter graph and every expression of %s", (file) => {
    const problems = checkFlowFile(path.join(ORACLES, file), defaultCheckOptions(ROOT)).filter((p) => !FOREIGN.test(p.message));
    expect(problems).toEqual([]);
  });
});

describe("our flows have the shape of real exports", () => {
  const oracle = read(path.join(ORACLES, oracleFlows[0]));

  it.each(ourFlows)("%s has the exported file, definition and parameter layout", (file) => {
    const flow = read(path.join(OURS, file));
    expect(Object.keys(flow).sort()).toEqual(Object.keys(oracle).sort());
    expect(Object.keys(flow.properties).sort()).toEqual(Object.keys(oracle.properties).sort());
    expect(flow.properties.definition.$schema).toBe(oracle.properties.definition.$schema);
    expect(flow.properties.definition.contentVersion).toBe(oracle.properties.definition.contentVersion);
    const parameters = flow.properties.definition.parameters as Json;
    const oracleParameters = oracle.properties.definition.parameters as Json;
    expect(parameters.$connections).toEqual(oracleParameters.$connections);
    expect(parameters.$authentication).toEqual(oracleParameters.$authentication);
  });

  it.each(ourFlows)("%s writes connection references and action hosts as exports do", (file) => {
    const flow = read(path.join(OURS, file));
    const allowedReferenceKeys = new Set(oracleFlows.flatMap((f) => Object.values(read(path.join(ORACLES, f)).properties.connectionReferences).flatMap((r) => Object.keys(r))));
    for (const ref of Object.values(flow.properties.connectionReferences)) {
      for (const key of Object.keys(ref)) expect(allowedReferenceKeys).toContain(key);
    }
    const oracleHostKeys = [...new Set(hostsOf(oracle.properties.definition).map((h) => Object.keys(h).sort().join(",")))];
    for (const host of hostsOf(flow.properties.definition)) expect(oracleHostKeys).toContain(Object.keys(host).sort().join(","));
  });

  it.each(ourFlows)("%s.data.xml has the byte-order mark, declaration and element order of real exports", (file) => {
    const ours = readFileSync(path.join(OURS, `${file}.data.xml`), "utf8");
    const theirs = readFileSync(path.join(ORACLES, `${oracleFlows[0]}.data.xml`), "utf8");
    expect(ours.slice(0, 40)).toBe(theirs.slice(0, 40));
    const ourNames = elementNames(ours);
    const oracleNames = elementNames(theirs);
    // Every element a real export writes is there, in the same order; ours may add documented ones between them.
    expect(ourNames.filter((n) => oracleNames.includes(n))).toEqual(oracleNames);
  });
});
