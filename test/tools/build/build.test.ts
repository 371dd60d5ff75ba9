import { buildSolution } from "../../../tools/build/build";
import { BuildError } from "../../../tools/build/errors";
import { readZip } from "../../../tools/build/zip";
import fs from "node:fs";
import { createSandbox, FLOW_FILE, sampleFlow, type Sandbox } from "../../support/buildSandbox";

let sandbox: Sandbox;
beforeEach(() => {
  sandbox = createSandbox();
});
afterEach(() => sandbox.remove());

async function buildFails(): Promise<BuildError> {
  const error = await buildSolution({ root: sandbox.root, skipControls: true }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BuildError);
  expect(sandbox.zipsInDist()).toEqual([]);
  return error as BuildError;
}

function addFlow(options: Parameters<typeof sampleFlow>[0] = {}): void {
  const flow = sampleFlow(options);
  sandbox.write(FLOW_FILE, flow.json);
  sandbox.write(`${FLOW_FILE}.data.xml`, flow.dataXml);
}

test("a good source tree builds an unmanaged and a managed zip and the deployment settings", async () => {
  addFlow();
  const output = await buildSolution({ root: sandbox.root, skipControls: true });
  expect(sandbox.zipsInDist()).toEqual(["TeamsCustomerCollaboration_1_0_0_0.zip", "TeamsCustomerCollaboration_1_0_0_0_managed.zip"]);
  expect(output.zips.every((z) => z.result.problems.length === 0)).toBe(true);
  const settings = JSON.parse(sandbox.read("dist/deploymentSettings.json")) as { EnvironmentVariables: { SchemaName: string }[]; ConnectionReferences: { LogicalName: string; ConnectorId: string }[] };
  expect(settings.EnvironmentVariables.map((v) => v.SchemaName)).toContain("tcc_EscalationThreshold");
  expect(settings.ConnectionReferences).toEqual([
    { LogicalName: "tcc_sharedcommondataserviceforapps_a1b2c", ConnectionId: "", ConnectorId: "/providers/Microsoft.PowerApps/apis/shared_commondataserviceforapps" },
  ]);
});

test("the flow's connection reference is added to customizations.xml and the flow to the root components", async () => {
  addFlow();
  await buildSolution({ root: sandbox.root, skipControls: true });
  const parts = new Map(readZip(fs.readFileSync(sandbox.file("dist/TeamsCustomerCollaboration_1_0_0_0.zip"))).map((p) => [p.path, Buffer.from(p.data).toString("utf8")]));
  expect(parts.get("customizations.xml")).toContain('<connectionreference connectionreferencelogicalname="tcc_sharedcommondataserviceforapps_a1b2c">');
  expect(parts.get("solution.xml")).toContain('<RootComponent type="29" id="{5b0c7a1e-3d2f-4e5a-9b8c-7d6e5f4a3b2c}" behavior="0" />');
  expect(parts.has(FLOW_FILE.replace("flows/", "Workflows/"))).toBe(true);
});

test("the control version is stamped from the solution version", async () => {
  sandbox.write("solution/Other/Solution.xml", sandbox.read("solution/Other/Solution.xml").replace("<Version>1.0.0.0</Version>", "<Version>2.3.4.5</Version>"));
  await buildSolution({ root: sandbox.root, skipControls: true });
  const parts = new Map(readZip(fs.readFileSync(sandbox.file("dist/TeamsCustomerCollaboration_2_3_4_5.zip"))).map((p) => [p.path, Buffer.from(p.data).toString("utf8")]));
  expect(parts.get("Controls/tcc_TeamsCrm.PipelineBoard/ControlManifest.xml")).toMatch(/^<manifest><control namespace="TeamsCrm" constructor="PipelineBoard" version="2.3.4"/);
});

test("an earlier build's zips do not survive a failed build", async () => {
  await buildSolution({ root: sandbox.root, skipControls: true });
  expect(sandbox.zipsInDist()).toHaveLength(2);
  sandbox.write("solution/Other/Customizations.xml", "<ImportExportXml>");
  await buildFails();
});

test("malformed XML in the solution source stops the build naming the file and line", async () => {
  const file = "solution/Entities/tcc_teamslink/RibbonDiff.xml";
  sandbox.write(file, sandbox.read(file).replace(/<\/RibbonDiffXml>\s*$/, "</RibbonDiff>"));
  const error = await buildFails();
  expect(error.file).toBe(file);
  expect(error.line).toBeGreaterThan(1);
  expect(error.message).toMatch(/malformed XML/);
});

test("malformed JSON in the connector stops the build naming the file and line", async () => {
  sandbox.write("connector/apiProperties.json", '{\n  "properties": {\n    "iconBrandColor": "#4b53bc",\n  }\n}');
  const error = await buildFails();
  expect(error.file).toBe("connector/apiProperties.json");
  expect(error.line).toBe(4);
  expect(error.message).toMatch(/malformed JSON/);
});

test("malformed JSON in a flow stops the build naming the flow file", async () => {
  addFlow();
  sandbox.write(FLOW_FILE, '{ "properties": ');
  const error = await buildFails();
  expect(error.file).toBe(FLOW_FILE);
  expect(error.message).toMatch(/malformed JSON/);
});

test("a missing control manifest stops the build and says the control did not build", async () => {
  fs.rmSync(sandbox.file("components/PipelineBoard/out/controls/PipelineBoard/ControlManifest.xml"));
  const error = await buildFails();
  expect(error.file).toBe("components/PipelineBoard/out/controls/PipelineBoard/ControlManifest.xml");
  expect(error.message).toMatch(/missing control manifest/);
});

test("an invalid control manifest stops the build naming what is invalid", async () => {
  const file = "components/CustomerContextPanel/out/controls/CustomerContextPanel/ControlManifest.xml";
  sandbox.write(file, sandbox.read(file).replace('constructor="CustomerContextPanel" ', ""));
  const error = await buildFails();
  expect(error.file).toBe(file);
  expect(error.message).toMatch(/invalid control manifest: constructor=""/);
});

test("a duplicate GUID stops the build naming both files", async () => {
  const views = fs.readdirSync(sandbox.file("solution/Entities/tcc_teamslink/SavedQueries"));
  const original = `solution/Entities/tcc_teamslink/SavedQueries/${views[0]}`;
  sandbox.write("solution/Entities/tcc_teamslink/SavedQueries/{00000000-0000-4000-8000-000000000001}.xml", sandbox.read(original));
  const error = await buildFails();
  expect(error.message).toMatch(/duplicate GUID/);
  expect(error.message).toContain(original);
});

test("a bad version string stops the build at the Version line", async () => {
  const file = "solution/Other/Solution.xml";
  const text = sandbox.read(file);
  sandbox.write(file, text.replace("<Version>1.0.0.0</Version>", "<Version>1.0.beta</Version>"));
  const error = await buildFails();
  expect(error.file).toBe(file);
  expect(error.line).toBe(text.slice(0, text.indexOf("<Version>")).split("\n").length);
  expect(error.message).toMatch(/bad version string "1.0.beta"/);
});

test("a flow action naming an unknown connection reference stops the build naming the action", async () => {
  addFlow({ connectionName: "shared_nowhere" });
  const error = await buildFails();
  expect(error.file).toBe(FLOW_FILE);
  expect(error.message).toMatch(/action ['"]Get_account['"] uses connection "shared_nowhere"/);
  expect(error.line).toBeGreaterThan(1);
});

test("a flow reading an undefined environment variable stops the build naming the variable", async () => {
  addFlow({ schemaName: "tcc_NoSuchVariable" });
  const error = await buildFails();
  expect(error.file).toBe(FLOW_FILE);
  expect(error.message).toMatch(/environment variable tcc_NoSuchVariable/);
});

test("a control bundle over the 100 KB budget fails the build by name and size, and removes the earlier build's zips", async () => {
  addFlow();
  await buildSolution({ root: sandbox.root, skipControls: true });
  expect(sandbox.zipsInDist()).toHaveLength(2);
  sandbox.write("components/PipelineBoard/out/controls/PipelineBoard/bundle.js", `var x = "${"x".repeat(120_000)}";`);
  const error = await buildFails();
  expect(error.file).toBe("components/PipelineBoard/out/controls/PipelineBoard/bundle.js");
  expect(error.message).toMatch(/PipelineBoard bundle\.js is 120\.0 KB \(120011 bytes\), over the 100\.0 KB budget by 20\.0 KB/);
  expect(fs.readdirSync(sandbox.file("dist")).filter((f) => f.includes(".partial-"))).toEqual([]);
});

test("a control bundle of exactly 100,000 bytes is within the budget and the zips are built", async () => {
  addFlow();
  sandbox.write("components/CustomerContextPanel/out/controls/CustomerContextPanel/bundle.js", "x".repeat(100_000));
  await buildSolution({ root: sandbox.root, skipControls: true });
  expect(sandbox.zipsInDist()).toHaveLength(2);
});
