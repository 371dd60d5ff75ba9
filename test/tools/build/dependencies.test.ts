/**
 * What the solution needs from the target environment: standard tables in Dataverse's base or declared in
 * <MissingDependencies> (issue 15 item 6), and the connector's environment-variable settings (item 3).
 */
import { BASE_TABLES, tableOfEntitySet, tableReferences } from "../../../tools/build/dependencies";
import { verifyZip } from "../../../tools/build/verify";
import { parseXml } from "../../../tools/build/xml";
import { writeZip, type ZipPart } from "../../../tools/build/zip";
import { createSandbox, editedPart, packedSample, type Sandbox } from "../../support/buildSandbox";

const NAME = "TeamsCustomerCollaboration_1_0_0_0.zip";
let sandbox: Sandbox;
let parts: ZipPart[];

beforeAll(() => {
  sandbox = createSandbox();
  parts = packedSample(sandbox);
});
afterAll(() => sandbox.remove());

const encode = (s: string) => new Uint8Array(Buffer.from(s, "utf8"));
const edited = editedPart;
const connectionParameters = () => parts.find((p) => /^Connector\/.*_connectionparameters\.json$/.test(p.path))!.path;
const withoutDeclarations = (from: ZipPart[]) => edited(from, "solution.xml", (s) => s.replace(/<MissingDependencies>[\s\S]*<\/MissingDependencies>/, "<MissingDependencies />"));

async function verify(zipParts: ZipPart[], policy = true) {
  const result = await verifyZip(writeZip(zipParts), NAME, { policy });
  return { problems: result.problems.map((p) => `${p.file}: ${p.message}`), warnings: result.warnings.map((p) => `${p.file}: ${p.message}`) };
}

test("solution.xml declares the opportunity table from Dynamics 365 Sales, in the shape real exports write", () => {
  const solution = parseXml(parts.find((p) => p.path === "solution.xml")!.data, "solution.xml").root;
  const dependencies = [...solution.getElementsByTagName("MissingDependency")];
  expect(dependencies.length).toBeGreaterThanOrEqual(1);
  for (const dependency of dependencies) {
    const required = dependency.getElementsByTagName("Required")[0];
    expect([required.getAttribute("type"), required.getAttribute("schemaName"), required.getAttribute("displayName")]).toEqual(["1", "opportunity", "Opportunity"]);
    expect(required.getAttribute("solution")).toBeTruthy();
    expect(dependency.getElementsByTagName("Dependent")).toHaveLength(1);
  }
  const dependents = dependencies.map((d) => d.getElementsByTagName("Dependent")[0]);
  expect(dependents.map((d) => d.getAttribute("type"))).toEqual(["10", "29", "29"]);
  expect(dependents[0].getAttribute("schemaName")).toBe("tcc_opportunity_tcc_teamslink_opportunityid");
});

test("the packed solution passes: every standard table it references is in the base or declared", async () => {
  expect((await verify(parts)).problems).toEqual([]);
});

test("without the declaration, the relationship and the role privilege on opportunity are reported (once per table)", async () => {
  const { problems } = await verify(withoutDeclarations(parts));
  const opportunity = problems.filter((p) => p.includes("references table opportunity"));
  expect(opportunity).toHaveLength(1);
  expect(opportunity[0]).toMatch(/^customizations\.xml: (relationship tcc_opportunity_tcc_teamslink_opportunityid|role .* privilege prvAppendToOpportunity) references table opportunity, which is not in every Dataverse database and is not declared/);
  expect(problems.filter((p) => p.includes("references table account"))).toEqual([]);
});

test("another publisher's solution gets a warning, not a failure", async () => {
  const { problems, warnings } = await verify(withoutDeclarations(parts), false);
  expect(problems.filter((p) => p.includes("references table"))).toEqual([]);
  expect(warnings.some((w) => w.includes("references table opportunity"))).toBe(true);
});

test("a flow triggered on a Sales table the solution does not declare is reported", async () => {
  const flowPath = parts.find((p) => p.path.startsWith("Workflows/") && p.path.endsWith(".json"))!.path;
  const withTrigger = edited(parts, flowPath, (s) => {
    const flow = JSON.parse(s) as { properties: { definition: { triggers: Record<string, unknown> } } };
    flow.properties.definition.triggers = {
      When_a_lead_is_added: { type: "OpenApiConnectionWebhook", inputs: { parameters: { "subscriptionRequest/message": 1, "subscriptionRequest/entityname": "lead" } } },
    };
    return JSON.stringify(flow);
  });
  expect((await verify(withTrigger)).problems).toContain(
    `${flowPath}: trigger When_a_lead_is_added references table lead, which is not in every Dataverse database and is not declared in solution.xml <MissingDependencies> (<Required type="1" schemaName="lead" …/>): the import cannot say which app to install first`,
  );
});

test("tableReferences reads relationships, privileges, triggers and Dataverse actions; entity sets map back to tables", () => {
  const customizations = parseXml(
    `<ImportExportXml><Roles><Role name="R"><RolePrivileges><RolePrivilege name="prvReadQuote" level="Global" /><RolePrivilege name="prvFlow" level="Global" /></RolePrivileges></Role></Roles>
     <EntityRelationships><EntityRelationship Name="r"><ReferencingEntityName>tcc_x</ReferencingEntityName><ReferencedEntityName>Incident</ReferencedEntityName></EntityRelationship></EntityRelationships></ImportExportXml>`,
    "customizations.xml",
  ).root;
  const flow = { properties: { definition: { actions: { Get: { type: "OpenApiConnection", inputs: { parameters: { entityName: "opportunities" } } } } } } };
  const tables = tableReferences(customizations, new Map([["Workflows/F.json", encode(JSON.stringify(flow))]])).map((r) => `${r.table} (${r.where})`);
  expect(tables).toEqual(["incident (relationship r)", "tcc_x (relationship r)", "quote (role R privilege prvReadQuote)", "opportunity (action Get)"]);
  expect(["opportunities", "accounts", "systemusers", "annotations", "tcc_teamslinks", "addresses", "businessunits"].map(tableOfEntitySet)).toEqual([
    "opportunity", "account", "systemuser", "annotation", "tcc_teamslink", "address", "businessunit",
  ]);
  for (const table of ["account", "contact", "systemuser", "team", "task", "annotation"]) expect(BASE_TABLES.has(table)).toBe(true);
  expect(BASE_TABLES.has("opportunity")).toBe(false);
});

describe("connector settings from environment variables", () => {
  test("a reference to a variable the solution does not define is reported", async () => {
    const file = connectionParameters();
    const changed = edited(parts, file, (s) => s.replace('@environmentVariables(\\"tcc_TeamsConnectorClientId\\")', '@environmentVariables(\\"tcc_Missing\\")'));
    expect((await verify(changed)).problems).toContain(
      `${file}: token.oAuthSettings.clientId reads environment variable tcc_Missing, which the solution does not define: the connector cannot be saved on import`,
    );
  });

  test("a client secret read from a String variable is reported", async () => {
    const file = connectionParameters();
    const changed = edited(parts, file, (s) => s.replace('@environmentVariables(\\"tcc_TeamsConnectorClientSecret\\")', '@environmentVariables(\\"tcc_Dynamics365Url\\")'));
    expect((await verify(changed)).problems).toContain(
      `${file}: token.oAuthSettings.clientSecret reads tcc_Dynamics365Url, a String variable: a client secret belongs in a Secret (Azure Key Vault) variable, whose value never travels in the solution`,
    );
  });
});
