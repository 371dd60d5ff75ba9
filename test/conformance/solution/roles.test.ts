/**
 * The two security roles we ship: each grants exactly the privileges listed here (a change to a role must change this
 * list, the policy in tools/build/roles.ts and the guide together), they pass the role check, Microsoft's schema
 * accepts them, and both packed zips carry them with their type-20 root components.
 */
import fs from "node:fs";
import path from "node:path";
import { validateXML } from "xmllint-wasm";
import { pack } from "../../../tools/build/pack";
import { checkRoles, ROLE_POLICY } from "../../../tools/build/roles";
import { repositorySources, stage } from "../../../tools/build/stage";
import { childElements, firstChild, parseXml, serializeXml } from "../../../tools/build/xml";
import { readZip } from "../../../tools/build/zip";
import { createSandbox, type Sandbox } from "../../support/buildSandbox";

const REPO = path.resolve(__dirname, "../../..");
const XSD = path.resolve(REPO, "../shared/oracles/xsd");
const SKELETON = path.join(XSD, "samples/synthetic/valid-minimal-skeleton.xml");
const SCHEMA_PARTS = ["isv.config.xsd", "SiteMapType.xsd", "FormXml.xsd", "Fetch.xsd", "RibbonCore.xsd", "RibbonTypes.xsd", "RibbonWSS.xsd"];

const EXPECTED: Record<string, { id: string; privileges: string[] }> = {
  "Teams Collaboration Automation": {
    id: "{2b53f0db-98d6-4ef7-b4b6-2dd7d6a43a3c}",
    privileges: [
      "prvAppendtcc_teamslink Global",
      "prvAppendToAccount Global",
      "prvAppendToOpportunity Global",
      "prvAssigntcc_teamslink Global",
      "prvCreatetcc_teamslink Basic",
      "prvReadtcc_teamslink Global",
      "prvWritetcc_teamslink Global",
    ],
  },
  "Teams Collaboration User": {
    id: "{83c161ef-7713-4f40-a831-e67dc2d68324}",
    privileges: ["prvAppendToAccount Local", "prvAppendToContact Local", "prvReadtcc_teamslink Local"],
  },
};

const source = (file: string) => parseXml(fs.readFileSync(path.join(REPO, "solution/Other", file)), file).root;
const rootComponentsOf = (solution: ReturnType<typeof source>) =>
  childElements(firstChild(firstChild(solution, "SolutionManifest")!, "RootComponents")!).filter((e) => e.nodeName === "RootComponent");

function rolesIn(customizations: ReturnType<typeof source>): Record<string, { id: string; privileges: string[] }> {
  const result: Record<string, { id: string; privileges: string[] }> = {};
  for (const role of childElements(firstChild(customizations, "Roles")!)) {
    const privileges = childElements(firstChild(role, "RolePrivileges")!).map((p) => `${p.getAttribute("name")} ${p.getAttribute("level")}`);
    result[role.getAttribute("name") ?? ""] = { id: role.getAttribute("id") ?? "", privileges };
  }
  return result;
}

test("each role grants exactly its listed privileges at the listed depths", () => {
  expect(rolesIn(source("Customizations.xml"))).toEqual(EXPECTED);
});

test("the policy allows exactly what the roles grant", () => {
  const fromPolicy = Object.fromEntries(
    Object.entries(ROLE_POLICY).map(([name, policy]) => [
      name,
      Object.entries(policy.privileges).map(([privilege, { level }]) => `${privilege} ${level}`).sort(),
    ]),
  );
  const fromSource = Object.fromEntries(Object.entries(EXPECTED).map(([name, { privileges }]) => [name, [...privileges].sort()]));
  expect(fromPolicy).toEqual(fromSource);
});

test("the solution source passes the role check: export shape, root components and least privilege", () => {
  const result = checkRoles(source("Customizations.xml"), rootComponentsOf(source("Solution.xml")));
  expect(result.problems).toEqual([]);
  expect(result.checks).toBeGreaterThan(40);
});

async function validateRoles(roles: string): Promise<{ valid: boolean; errors: string[] }> {
  const skeleton = fs.readFileSync(SKELETON, "utf8").replace(/^\uFEFF/, "");
  const xml = skeleton.replace(/<Roles\s*\/>/, roles);
  const read = (name: string) => ({ fileName: name, contents: fs.readFileSync(path.join(XSD, name), "utf8") });
  const result = await validateXML({
    xml: [{ fileName: "roles.xml", contents: xml }],
    schema: [read("CustomizationsSolution.xsd")],
    preload: SCHEMA_PARTS.filter((f) => fs.existsSync(path.join(XSD, f))).map(read),
  });
  return { valid: result.valid, errors: result.errors.map((e) => e.rawMessage.trim()) };
}

/** Our <Roles> section without isinherited, which real exports write but the 9.0 schema predates. */
function ourRolesForSchema(): string {
  const roles = firstChild(source("Customizations.xml"), "Roles")!;
  for (const role of childElements(roles)) role.removeAttribute("isinherited");
  return serializeXml(roles, { marks: { bom: false, declaration: false } });
}

test("Microsoft's schema accepts our roles", async () => {
  expect(await validateRoles(ourRolesForSchema())).toEqual({ valid: true, errors: [] });
});

test("Microsoft's schema rejects a depth it does not define, so the check above has teeth", async () => {
  const result = await validateRoles(ourRolesForSchema().replace('level="Local"', 'level="BusinessUnit"'));
  expect(result.valid).toBe(false);
  expect(result.errors.join("\n")).toMatch(/BusinessUnit/);
});

describe("packed zips", () => {
  let sandbox: Sandbox;
  beforeAll(() => {
    sandbox = createSandbox();
  });
  afterAll(() => sandbox.remove());

  test.each([false, true])("managed=%s carries both roles and their root components", (managed) => {
    const parts = new Map(readZip(pack(stage(repositorySources(sandbox.root)).tree, { managed })).map((p) => [p.path, p.data]));
    const customizations = parseXml(parts.get("customizations.xml")!, "customizations.xml").root;
    const solution = parseXml(parts.get("solution.xml")!, "solution.xml").root;
    expect(rolesIn(customizations)).toEqual(EXPECTED);
    const typeTwenty = rootComponentsOf(solution).filter((e) => e.getAttribute("type") === "20").map((e) => e.getAttribute("id"));
    expect(typeTwenty.sort()).toEqual(Object.values(EXPECTED).map((r) => r.id).sort());
    expect(checkRoles(customizations, rootComponentsOf(solution)).problems).toEqual([]);
  });
});
