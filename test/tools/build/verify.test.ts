import { stage, repositorySources } from "../../../tools/build/stage";
import { pack } from "../../../tools/build/pack";
import { MAX_BUNDLE_BYTES, verifyZip } from "../../../tools/build/verify";
import { readZip, writeZip, type ZipPart } from "../../../tools/build/zip";
import { zipSync, type Zippable } from "fflate";
import { createSandbox, FLOW_FILE, sampleFlow, type Sandbox } from "../../support/buildSandbox";

const NAME = "TeamsCustomerCollaboration_1_0_0_0.zip";
let sandbox: Sandbox;
let parts: ZipPart[];

beforeAll(() => {
  sandbox = createSandbox();
  const flow = sampleFlow();
  sandbox.write(FLOW_FILE, flow.json);
  sandbox.write(`${FLOW_FILE}.data.xml`, flow.dataXml);
  parts = readZip(pack(stage(repositorySources(sandbox.root)).tree, { managed: false }));
});
afterAll(() => sandbox.remove());

const text = (data: Uint8Array) => Buffer.from(data).toString("utf8");
const encode = (s: string) => new Uint8Array(Buffer.from(s, "utf8"));

function edited(path: string, change: (s: string) => string): ZipPart[] {
  return parts.map((p) => (p.path === path ? { path, data: encode(change(text(p.data))) } : p));
}

async function problemsOf(zipParts: ZipPart[], name = NAME): Promise<string[]> {
  const result = await verifyZip(writeZip(zipParts), name);
  return result.problems.map((p) => `${p.file}: ${p.message}`);
}

test("the packed solution has no problems and counts its checks", async () => {
  const result = await verifyZip(writeZip(parts), NAME);
  expect(result.problems).toEqual([]);
  expect(result.checks).toBeGreaterThan(50);
  expect(result.schema).toBe("no schema folder");
});

test("a part that nothing names is reported", async () => {
  expect(await problemsOf([...parts, { path: "Controls/stray.js", data: encode("x") }])).toContain("Controls/stray.js: is in the zip but nothing names it");
});

test("a part named by the control manifest but missing from the zip is reported", async () => {
  const without = parts.filter((p) => p.path !== "Controls/tcc_TeamsCrm.PipelineBoard/bundle.js");
  expect(await problemsOf(without)).toContain("Controls/tcc_TeamsCrm.PipelineBoard/ControlManifest.xml: names Controls/tcc_TeamsCrm.PipelineBoard/bundle.js, which is not in the zip");
});

test("a managed file name over an unmanaged solution.xml is reported", async () => {
  const problems = await problemsOf(parts, "TeamsCustomerCollaboration_1_0_0_0_managed.zip");
  expect(problems).toContain("solution.xml: Managed is 0 but the file name TeamsCustomerCollaboration_1_0_0_0_managed.zip says managed");
});

test("a file name whose version differs from solution.xml is reported", async () => {
  expect(await problemsOf(parts, "TeamsCustomerCollaboration_1_0_0_1.zip")).toContain(
    "TeamsCustomerCollaboration_1_0_0_1.zip: file name says version 1.0.0.1, solution.xml says 1.0.0.0",
  );
});

test("an entry stored without compression is reported", async () => {
  const files: Zippable = {};
  for (const part of parts) files[part.path] = [part.data, { level: 0 }];
  const result = await verifyZip(zipSync(files), NAME);
  expect(result.problems.map((p) => p.message)).toContain("stored with method 0; solution zips deflate every entry");
});

test("customizations.xml must come first", async () => {
  const reordered = [...parts.slice(1), parts[0]];
  expect(await problemsOf(reordered)).toContain(`${NAME}: customizations.xml must be the first entry`);
});

test("a bundle over 5 MB is a warning that names the environment setting it depends on, not a failure", async () => {
  const big = parts.map((p) => (p.path.endsWith("PipelineBoard/bundle.js") ? { path: p.path, data: new Uint8Array(MAX_BUNDLE_BYTES + 1) } : p));
  const result = await verifyZip(writeZip(big), NAME);
  expect(result.problems).toEqual([]);
  expect(result.warnings).toEqual([
    {
      file: "Controls/tcc_TeamsCrm.PipelineBoard/bundle.js",
      message: expect.stringMatching(/^bundle is 5242881 bytes, over 5 MB .*at least 5121 KB.*Settings → Email → "Maximum file size for attachments", the organization's MaxUploadFileSize/) as unknown,
    },
  ]);
});

test("a malformed RootComponent GUID is reported", async () => {
  const broken = edited("solution.xml", (s) => s.replace(/type="372" id="\{[^}]+\}"/, 'type="372" id="{not-a-guid}"'));
  expect(await problemsOf(broken)).toContain('solution.xml: RootComponent id "{not-a-guid}" is not a GUID');
});

test("a connection reference carrying an unknown connector id is reported", async () => {
  const broken = edited("customizations.xml", (s) =>
    s.replace("</connectionreference>", "</connectionreference>").replace(
      /(<connectorid>\/providers\/Microsoft\.PowerApps\/apis\/shared_commondataserviceforapps<\/connectorid>)/,
      "$1<customconnectorid><connectorid>11111111-2222-4333-8444-555555555555</connectorid></customconnectorid>",
    ),
  );
  expect((await problemsOf(broken)).some((p) => p.includes('carries connector id 11111111-2222-4333-8444-555555555555, which no connector'))).toBe(true);
});

test("a flow whose connection reference is not defined is reported", async () => {
  const broken = edited("customizations.xml", (s) => s.replace(/<connectionreferences>[\s\S]*<\/connectionreferences>/, "<connectionreferences />"));
  expect((await problemsOf(broken)).some((p) => p.includes('connection reference "shared_commondataserviceforapps" (tcc_sharedcommondataserviceforapps_a1b2c) is not defined'))).toBe(true);
});

test("a workflow whose children are out of the exported order is reported", async () => {
  const broken = edited("customizations.xml", (s) => s.replace(/(<Type>1<\/Type>)(\s*)(<Subprocess>0<\/Subprocess>)/, "$3$2$1"));
  expect((await problemsOf(broken)).some((p) => p.includes('workflow Sample Flow: children out of order'))).toBe(true);
});
