/**
 * Environment variable defaults and values against their type: the stager refuses the source with file and line, the
 * verifier reports the zip.
 */
import { definitionProblems, valueProblem, valuesProblems } from "../../../tools/build/environmentVariables";
import { BuildError } from "../../../tools/build/errors";
import { pack } from "../../../tools/build/pack";
import { repositorySources, stage } from "../../../tools/build/stage";
import { verifyZip } from "../../../tools/build/verify";
import { parseXml } from "../../../tools/build/xml";
import { readZip, writeZip } from "../../../tools/build/zip";
import { createSandbox, type Sandbox } from "../../support/buildSandbox";

const TYPES = { String: "100000000", Number: "100000001", Boolean: "100000002", JSON: "100000003", DataSource: "100000004", Secret: "100000005" };

function definition(type: string, inner = ""): string {
  return `<environmentvariabledefinition schemaname="tcc_X">\n  ${inner}\n  <type>${type}</type>\n</environmentvariabledefinition>`;
}

const problemsOf = (xml: string) => definitionProblems(parseXml(xml, "environmentvariabledefinition.xml").root);

describe("valueProblem", () => {
  test.each([
    [TYPES.Number, "100000"],
    [TYPES.Number, "-1.5"],
    [TYPES.Number, "2e3"],
    [TYPES.Boolean, "yes"],
    [TYPES.Boolean, "no"],
    [TYPES.JSON, '["Sales","Service"]'],
    [TYPES.JSON, '{"a":1}'],
    [TYPES.String, "anything at all"],
    [TYPES.DataSource, "https://contoso.sharepoint.com/sites/sales"],
    [TYPES.Secret, "/subscriptions/1/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv/secrets/graph"],
  ])("type %s accepts %j", (type, value) => {
    expect(valueProblem(type, value, "default")).toBeUndefined();
  });

  test.each([
    [TYPES.Number, "lots", 'Number default "lots" is not a number'],
    [TYPES.Number, "1,000", 'Number default "1,000" is not a number'],
    [TYPES.Number, "", 'Number default "" is not a number'],
    [TYPES.Boolean, "true", 'Boolean default "true" must be yes or no'],
    [TYPES.JSON, "[Sales, Service]", "JSON default is not JSON: "],
    [TYPES.DataSource, " ", "Data source default is empty"],
    [TYPES.Secret, "hunter2", 'Secret default "hunter2" is not an Azure Key Vault secret reference'],
  ])("type %s refuses %j", (type, value, message) => {
    expect(valueProblem(type, value, "default")).toContain(message);
  });
});

describe("definitionProblems", () => {
  test("gives the line of the default that does not fit", () => {
    expect(problemsOf(definition(TYPES.Number, "<defaultvalue>many</defaultvalue>"))).toEqual([{ message: 'Number default "many" is not a number', line: 2 }]);
  });

  test("an unknown type is named with the list of types", () => {
    const [problem] = problemsOf(definition("42"));
    expect(problem.message).toMatch(/^type "42" is not a known environment variable type \(100000000 String, 100000001 Number, .*100000005 Secret\)$/);
    expect(problem.line).toBe(3);
  });

  test("a data source names its connector and parameter", () => {
    expect(problemsOf(definition(TYPES.DataSource))).toHaveLength(2);
    const good = "<apiid>/providers/microsoft.powerapps/apis/shared_sharepointonline</apiid>\n  <parameterkey>dataset</parameterkey>";
    expect(problemsOf(definition(TYPES.DataSource, good))).toEqual([]);
  });

  test("the repository's own definitions have no problems", () => {
    const sandbox = createSandbox();
    try {
      expect(() => stage(repositorySources(sandbox.root))).not.toThrow();
    } finally {
      sandbox.remove();
    }
  });
});

test("valuesProblems checks environmentvariablevalues.json against the type, with the line", () => {
  const text = '{\n  "environmentvariablevalues": {\n    "environmentvariablevalue": {\n      "value": "maybe"\n    }\n  }\n}';
  expect(valuesProblems(JSON.parse(text), TYPES.Boolean, text)).toEqual([{ message: 'Boolean value "maybe" must be yes or no', line: 4 }]);
});

describe("the stager and the verifier", () => {
  let sandbox: Sandbox;
  beforeEach(() => {
    sandbox = createSandbox();
  });
  afterEach(() => sandbox.remove());

  const THRESHOLD = "solution/environmentvariabledefinitions/tcc_EscalationThreshold/environmentvariabledefinition.xml";
  const TEMPLATE = "solution/environmentvariabledefinitions/tcc_OnboardingChannelTemplate/environmentvariabledefinition.xml";

  function stageFails(): BuildError {
    try {
      stage(repositorySources(sandbox.root));
    } catch (error) {
      expect(error).toBeInstanceOf(BuildError);
      return error as BuildError;
    }
    throw new Error("staged");
  }

  test("a Number variable whose default is not a number stops the build with file and line", () => {
    sandbox.write(THRESHOLD, sandbox.read(THRESHOLD).replace("<defaultvalue>100000</defaultvalue>", "<defaultvalue>a lot</defaultvalue>"));
    const error = stageFails();
    expect(error.message).toBe(`${THRESHOLD}:2: Number default "a lot" is not a number`);
  });

  test("a JSON variable whose default is not JSON stops the build with file and line", () => {
    sandbox.write(TEMPLATE, sandbox.read(TEMPLATE).replace('["Sales","Service","Projects"]', "[Sales, Service]"));
    const error = stageFails();
    expect(error.file).toBe(TEMPLATE);
    expect(error.line).toBe(2);
    expect(error.problem).toMatch(/^JSON default is not JSON: /);
  });

  test("the verifier reports a bad default in a zip with its line", async () => {
    const parts = readZip(pack(stage(repositorySources(sandbox.root)).tree, { managed: false }));
    const file = "environmentvariabledefinitions/tcc_EscalationThreshold/environmentvariabledefinition.xml";
    const bad = parts.map((p) =>
      p.path === file ? { path: p.path, data: new TextEncoder().encode(Buffer.from(p.data).toString("utf8").replace(/<defaultvalue>[^<]*</, "<defaultvalue>ten<")) } : p,
    );
    const result = await verifyZip(writeZip(bad), "TeamsCustomerCollaboration_1_0_0_0.zip");
    expect(result.problems).toEqual([{ file, line: 2, message: 'Number default "ten" is not a number' }]);
  });
});
