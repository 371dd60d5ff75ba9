/**
 * The in-memory Dataverse's FetchXML against Microsoft's published Fetch.xsd and the views of real exported
 * solutions: the paging and counting attributes it reads are the schema's, every condition operator those views use
 * is one it runs, and the operators it runs are ones the schema allows.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { ORACLES } from "../../support/oracleZips";
import { bodyOf, emptyDataverse, get } from "../../tools/dataverse/helpers";

const schema = readFileSync(path.join(ORACLES, "xsd/Fetch.xsd"), "utf8");
const REAL_SOLUTIONS = ["contoso-school", "incident-reporting"].map((name) => path.join(ORACLES, "xsd/samples/real", name, "customizations.xml"));

/** The attributes the schema declares on a complex type, from its `<xs:attribute name=...>` children. */
function declaredAttributes(typeName: string): string[] {
  const body = new RegExp(`<xs:complexType name="${typeName}">([\\s\\S]*?)</xs:complexType>`).exec(schema)?.[1];
  if (body === undefined) throw new Error(`Fetch.xsd has no complex type ${typeName}`);
  return [...body.matchAll(/<xs:attribute name="([^"]+)"/g)].map((m) => m[1]);
}

const schemaOperators = (): string[] => {
  const body = /<xs:simpleType name="operator">([\s\S]*?)<\/xs:simpleType>/.exec(schema)![1];
  return [...body.matchAll(/<xs:enumeration value="([^"]+)"/g)].map((m) => m[1]);
};

/** Every `<condition operator=...>` in the real solutions' saved views. */
const realViewOperators = (): string[] => {
  const operators = REAL_SOLUTIONS.flatMap((file) =>
    [...readFileSync(file, "utf8").matchAll(/<fetch[\s\S]*?<\/fetch>/g)].flatMap((fetch) => [...fetch[0].matchAll(/<condition [^>]*operator="([^"]+)"/g)].map((m) => m[1])),
  );
  return [...new Set(operators)].sort();
};

/** A condition each operator takes on an opportunity column of the kind it applies to. */
const SAMPLE_CONDITION: Readonly<Record<string, string>> = {
  eq: `<condition attribute="name" operator="eq" value="Deal"/>`,
  ne: `<condition attribute="name" operator="ne" value="Deal"/>`,
  neq: `<condition attribute="name" operator="neq" value="Deal"/>`,
  gt: `<condition attribute="estimatedvalue" operator="gt" value="1"/>`,
  ge: `<condition attribute="estimatedvalue" operator="ge" value="1"/>`,
  lt: `<condition attribute="estimatedvalue" operator="lt" value="1"/>`,
  le: `<condition attribute="estimatedvalue" operator="le" value="1"/>`,
  like: `<condition attribute="name" operator="like" value="D%"/>`,
  "not-like": `<condition attribute="name" operator="not-like" value="D%"/>`,
  in: `<condition attribute="statecode" operator="in"><value>0</value><value>1</value></condition>`,
  "not-in": `<condition attribute="statecode" operator="not-in"><value>1</value></condition>`,
  null: `<condition attribute="name" operator="null"/>`,
  "not-null": `<condition attribute="name" operator="not-null"/>`,
  on: `<condition attribute="createdon" operator="on" value="2025-03-14"/>`,
  "on-or-before": `<condition attribute="createdon" operator="on-or-before" value="2025-03-14"/>`,
  "on-or-after": `<condition attribute="createdon" operator="on-or-after" value="2025-03-14"/>`,
  "eq-userid": `<condition attribute="ownerid" operator="eq-userid"/>`,
  "ne-userid": `<condition attribute="ownerid" operator="ne-userid"/>`,
  "begins-with": `<condition attribute="name" operator="begins-with" value="D"/>`,
  "ends-with": `<condition attribute="name" operator="ends-with" value="l"/>`,
};

describe("the in-memory Dataverse's FetchXML agrees with Microsoft's Fetch.xsd and real solutions' views", () => {
  it("reads paging and counting from attributes the schema declares on <fetch>", () => {
    expect(declaredAttributes("FetchType")).toEqual(expect.arrayContaining(["count", "page", "paging-cookie", "returntotalrecordcount", "top", "aggregate"]));
  });

  it("reads entityname from an attribute the schema declares on <condition>", () => {
    expect(/<xs:attribute name="entityname" type="xs:string"><\/xs:attribute>\s*<xs:attribute name="operator" use="required" type="operator">/.test(schema)).toBe(true);
  });

  it("runs the operators it claims, each one the schema allows, and refuses one the schema does not have", async () => {
    expect(Object.keys(SAMPLE_CONDITION).filter((op) => !schemaOperators().includes(op))).toEqual([]);
    const { api } = emptyDataverse();
    const run = (condition: string) => get(api, `opportunities?fetchXml=${encodeURIComponent(`<fetch><entity name="opportunity"><filter>${condition}</filter></entity></fetch>`)}`);
    for (const condition of Object.values(SAMPLE_CONDITION)) expect((await run(condition)).status).toBe(200);
    expect(schemaOperators()).not.toContain("contains-text");
    expect((await run(`<condition attribute="name" operator="contains-text" value="x"/>`)).status).toBe(400);
  });

  it("runs every condition operator the real solutions' views use", async () => {
    const operators = realViewOperators();
    expect(operators.length).toBeGreaterThan(3);
    const { store, api } = emptyDataverse();
    store.create("opportunity", { name: "Deal", estimatedvalue: 5 });
    const failures: string[] = [];
    for (const operator of operators) {
      const condition = SAMPLE_CONDITION[operator];
      if (condition === undefined) {
        failures.push(`${operator}: not run by the in-memory Dataverse`);
        continue;
      }
      const response = await get(api, `opportunities?fetchXml=${encodeURIComponent(`<fetch><entity name="opportunity"><attribute name="name"/><filter>${condition}</filter></entity></fetch>`)}`);
      if (response.status !== 200) failures.push(`${operator}: ${JSON.stringify(bodyOf(response))}`);
    }
    expect(failures).toEqual([]);
  });
});
