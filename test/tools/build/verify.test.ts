import { MAX_BUNDLE_BYTES, verifyZip } from "../../../tools/build/verify";
import { writeZip, type ZipPart } from "../../../tools/build/zip";
import { zipSync, type Zippable } from "fflate";
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

function edited(path: string, change: (s: string) => string): ZipPart[] {
  return editedPart(parts, path, change);
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

describe("our policy", () => {
  const policyProblems = async (zipParts: ZipPart[], policy: boolean, name = NAME) =>
    (await verifyZip(writeZip(zipParts), name, { policy })).problems.map((p) => `${p.file}: ${p.message}`);
  /** Our zip with a role that grants more than our least-privilege list and a control outside our prefix. */
  const breaksPolicy = () =>
    edited("customizations.xml", (s) =>
      s.replace(/(<RolePrivilege name="prvAppendToAccount" level=")Local(")/, "$1Global$2"),
    );

  test("a zip that breaks our policy fails with it and passes without it, having nothing import would refuse", async () => {
    const broken = breaksPolicy();
    expect(await policyProblems(broken, true)).toEqual([
      expect.stringMatching(/^customizations\.xml: role "Teams Collaboration User" grants prvAppendToAccount at Global; least privilege allows Local$/) as unknown,
    ]);
    expect(await policyProblems(broken, false)).toEqual([]);
  });

  test("the policy is on by default, as the build verifies our zips", async () => {
    expect((await verifyZip(writeZip(breaksPolicy()), NAME)).problems).toHaveLength(1);
  });

  test("our file name, prefix and exported shape are policy; another name or a stray part passes without it", async () => {
    const stray = [...parts, { path: "Controls/stray.js", data: encode("x") }];
    expect(await policyProblems(stray, false, "anything.zip")).toEqual([]);
    expect(await policyProblems(parts, false, "TeamsCustomerCollaboration_1_0_0_0_managed.zip")).toEqual([]);
    const reordered = [...parts.slice(1), parts[0]];
    expect(await policyProblems(reordered, false)).toEqual([]);
  });

  test("what import would refuse still fails without the policy", async () => {
    const without = parts.filter((p) => p.path !== "Controls/tcc_TeamsCrm.PipelineBoard/bundle.js");
    expect(await policyProblems(without, false)).toEqual([
      "Controls/tcc_TeamsCrm.PipelineBoard/ControlManifest.xml: names Controls/tcc_TeamsCrm.PipelineBoard/bundle.js, which is not in the zip",
    ]);
  });
});

describe("a solution from another publisher", () => {
  const ROLE_ID = "{0a1b2c3d-1111-4222-8333-444444444444}";
  const CONTROL = "dev_Contoso.Controls.Timeline";
  const WEB_RESOURCE = "WebResources/dev_/scripts/form.js";
  const solutionXml = (managed = "0") => `<ImportExportXml version="9.2.24103.222" SolutionPackageVersion="9.2" languagecode="1033" generatedBy="CrmLive" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <SolutionManifest>
    <UniqueName>ContosoTimeline</UniqueName>
    <LocalizedNames><LocalizedName description="Contoso Timeline" languagecode="1033" /></LocalizedNames>
    <Descriptions />
    <Version>1.2</Version>
    <Managed>${managed}</Managed>
    <Publisher><UniqueName>contoso</UniqueName><CustomizationPrefix>dev</CustomizationPrefix><CustomizationOptionValuePrefix>10000</CustomizationOptionValuePrefix></Publisher>
    <RootComponents>
      <RootComponent type="20" id="${ROLE_ID}" behavior="0" />
      <RootComponent type="61" schemaName="dev_/scripts/form.js" behavior="0" />
      <RootComponent type="66" schemaName="${CONTROL}" behavior="0" />
    </RootComponents>
    <MissingDependencies />
  </SolutionManifest>
</ImportExportXml>`;
  const customizationsXml = (webResourceFile = WEB_RESOURCE) => `<ImportExportXml xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <Entities />
  <Roles>
    <Role id="${ROLE_ID}" name="Timeline Maker">
      <RolePrivileges>
        <RolePrivilege name="prvReadworkflow" level="Global" />
        <RolePrivilege name="prvFlow" level="Global" />
        <RolePrivilege name="prvWritedev_timelineitem" level="Basic" />
      </RolePrivileges>
    </Role>
  </Roles>
  <Workflows />
  <WebResources>
    <WebResource>
      <WebResourceId>{5d2b1e8a-3c4f-4d6e-9f00-112233445566}</WebResourceId>
      <Name>dev_/scripts/form.js</Name>
      <DisplayName>form.js</DisplayName>
      <WebResourceType>3</WebResourceType>
      <IntroducedVersion>1.0</IntroducedVersion>
      <IsEnabledForMobileClient>0</IsEnabledForMobileClient>
      <IsAvailableForMobileOffline>0</IsAvailableForMobileOffline>
      <IsCustomizable>1</IsCustomizable>
      <CanBeDeleted>1</CanBeDeleted>
      <IsHidden>0</IsHidden>
      <FileName>/${webResourceFile}</FileName>
    </WebResource>
  </WebResources>
  <CustomControls>
    <CustomControl>
      <Name>${CONTROL}</Name>
      <FileName>/Controls/${CONTROL}/ControlManifest.xml</FileName>
      <ForceUpdate>true</ForceUpdate>
    </CustomControl>
  </CustomControls>
  <Languages><Language>1033</Language></Languages>
</ImportExportXml>`;
  const manifest = `<?xml version="1.0" encoding="utf-8"?><manifest><control namespace="Contoso.Controls" constructor="Timeline" version="1.0.3" display-name-key="Timeline" control-type="standard"><resources><code path="bundle.js" order="1" /></resources></control></manifest>`;
  const contentTypes = `\uFEFF<?xml version="1.0" encoding="utf-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="text/xml" /><Default Extension="js" ContentType="application/octet-stream" /></Types>`;
  const foreign = (custom = customizationsXml()): ZipPart[] => [
    { path: "[Content_Types].xml", data: encode(contentTypes) },
    { path: "solution.xml", data: encode(solutionXml()) },
    { path: "customizations.xml", data: encode(custom) },
    { path: `Controls/${CONTROL}/ControlManifest.xml`, data: encode(manifest) },
    { path: `Controls/${CONTROL}/bundle.js`, data: encode("var x;") },
    { path: WEB_RESOURCE, data: encode("function onLoad() {}") },
  ];

  test("imports as it is: pac's dotted namespace, standard privileges, a web resource named by customizations.xml, any order and name", async () => {
    const result = await verifyZip(writeZip(foreign()), "ContosoTimeline.zip", { policy: false });
    expect(result.problems).toEqual([]);
    expect(result.warnings).toEqual([]);
  });

  test("the web resource customizations.xml names is not a stray part even under our policy", async () => {
    const result = await verifyZip(writeZip(foreign()), "ContosoTimeline.zip", { policy: true });
    expect(result.problems.map((p) => p.message)).not.toContainEqual(expect.stringContaining("nothing names it"));
    expect(result.problems.map((p) => p.message)).toContain('CustomizationPrefix is "dev"; our publisher\'s prefix is tcc');
  });

  test("a web resource customizations.xml names but the zip lacks is reported", async () => {
    const result = await verifyZip(writeZip(foreign(customizationsXml("WebResources/dev_/scripts/missing.js"))), "ContosoTimeline.zip", { policy: false });
    expect(result.problems.map((p) => `${p.file}: ${p.message}`)).toEqual(["customizations.xml: names WebResources/dev_/scripts/missing.js, which is not in the zip"]);
  });

  test("a control whose manifest gives another namespace is reported", async () => {
    const parts = foreign().map((p) => (p.path.endsWith("ControlManifest.xml") ? { path: p.path, data: encode(manifest.replace("Contoso.Controls", "Fabrikam")) } : p));
    const result = await verifyZip(writeZip(parts), "ContosoTimeline.zip", { policy: false });
    expect(result.problems.map((p) => p.message)).toEqual([`namespace and constructor give Fabrikam.Timeline, which control name ${CONTROL} does not end with`]);
  });
});
