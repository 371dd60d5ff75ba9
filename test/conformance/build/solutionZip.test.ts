/**
 * Our solution, packed, against Microsoft's published customizations.xml schema (with the documented additions newer
 * than that schema checked against real exports instead), both managed and unmanaged.
 */
import path from "node:path";
import { pack } from "../../../tools/build/pack";
import { repositorySources, stage } from "../../../tools/build/stage";
import { verifyZip } from "../../../tools/build/verify";
import { createSandbox, FLOW_FILE, sampleFlow, type Sandbox } from "../../support/buildSandbox";

const SCHEMAS = path.resolve(__dirname, "../../../../shared/oracles/xsd");
let sandbox: Sandbox;
beforeAll(() => {
  sandbox = createSandbox();
  const flow = sampleFlow();
  sandbox.write(FLOW_FILE, flow.json);
  sandbox.write(`${FLOW_FILE}.data.xml`, flow.dataXml);
});
afterAll(() => sandbox.remove());

test.each([
  ["TeamsCustomerCollaboration_1_0_0_0.zip", false],
  ["TeamsCustomerCollaboration_1_0_0_0_managed.zip", true],
])("%s validates against CustomizationsSolution.xsd and passes every verifier check", async (name, managed) => {
  const zip = pack(stage(repositorySources(sandbox.root)).tree, { managed });
  const result = await verifyZip(zip, name, { schemaDir: SCHEMAS, policy: true });
  expect(result.problems).toEqual([]);
  expect(result.warnings).toEqual([]);
  expect(result.schema).toBe("validated");
});

test("the verifier's XSD step rejects what the schema rejects", async () => {
  sandbox.write("solution/Other/Customizations.xml", sandbox.read("solution/Other/Customizations.xml").replace("<Templates />", "<Templates><Bogus /></Templates>"));
  const zip = pack(stage(repositorySources(sandbox.root)).tree, { managed: false });
  const result = await verifyZip(zip, "TeamsCustomerCollaboration_1_0_0_0.zip", { schemaDir: SCHEMAS });
  expect(result.problems.some((p) => /XSD: .*Bogus/.test(p.message))).toBe(true);
  // Each problem says what failed, never what was expected ("validates against …").
  expect(result.problems.filter((p) => p.message.startsWith("validates against"))).toEqual([]);
});
