/**
 * The connector's OAuth client id and secret come from the solution's environment variables: what the packer writes into
 * the connection parameters, what it refuses, and what deploymentSettings.json lists.
 */
import fs from "node:fs";
import { environmentVariableUses, withOAuthVariables } from "../../../tools/build/connectorEnvironment";
import { BuildError } from "../../../tools/build/errors";
import { pack } from "../../../tools/build/pack";
import { CONNECTOR_OAUTH_VARIABLES, repositorySources, stage } from "../../../tools/build/stage";
import { readZip } from "../../../tools/build/zip";
import { createSandbox, type Sandbox } from "../../support/buildSandbox";

const text = (data: Uint8Array | undefined) => Buffer.from(data ?? new Uint8Array()).toString("utf8");
const STRING = "100000000";
const SECRET = "100000005";

describe("withOAuthVariables", () => {
  const parameters = {
    token: { type: "oauthSetting", oAuthSettings: { identityProvider: "aad", clientId: "00000000-0000-0000-0000-000000000000", scopes: ["User.Read"] } },
    "token:TenantId": { type: "string" },
  };
  const types = new Map([["tcc_Id", STRING], ["tcc_Secret", SECRET]]);

  test("replaces the client id and adds the secret beside it, keeping every other setting and parameter", () => {
    const { parameters: out, problems } = withOAuthVariables(parameters, { clientId: "tcc_Id", clientSecret: "tcc_Secret" }, types);
    expect(problems).toEqual([]);
    expect(out).toEqual({
      token: {
        type: "oauthSetting",
        oAuthSettings: { identityProvider: "aad", clientId: '@environmentVariables("tcc_Id")', clientSecret: '@environmentVariables("tcc_Secret")', scopes: ["User.Read"] },
      },
      "token:TenantId": { type: "string" },
    });
    expect(Object.keys((out as typeof parameters).token.oAuthSettings)).toEqual(["identityProvider", "clientId", "clientSecret", "scopes"]);
  });

  test("without variables nothing changes", () => {
    expect(withOAuthVariables(parameters, {}, types).parameters).toEqual(parameters);
  });

  test("a variable the solution lacks, or of the wrong type, is a problem and nothing is rewritten", () => {
    expect(withOAuthVariables(parameters, { clientId: "tcc_Nope" }, types).problems).toEqual([
      "clientId should come from environment variable tcc_Nope, which the solution does not define (environmentvariabledefinitions/tcc_Nope/)",
    ]);
    expect(withOAuthVariables(parameters, { clientSecret: "tcc_Id" }, types).problems).toEqual([
      "clientSecret comes from environment variable tcc_Id, whose type is String; it must be Secret",
    ]);
  });

  test("environmentVariableUses finds every reference with its path", () => {
    const { parameters: out } = withOAuthVariables(parameters, { clientId: "tcc_Id", clientSecret: "tcc_Secret" }, types);
    expect(environmentVariableUses(out)).toEqual([
      { path: "token.oAuthSettings.clientId", schemaName: "tcc_Id" },
      { path: "token.oAuthSettings.clientSecret", schemaName: "tcc_Secret" },
    ]);
    expect(environmentVariableUses({ a: "@environmentVariables(x)", b: "prefix @environmentVariables(\"y\")" })).toEqual([]);
  });
});

describe("the packed solution", () => {
  let sandbox: Sandbox;
  beforeAll(() => {
    sandbox = createSandbox();
  });
  afterAll(() => sandbox.remove());

  test("the connector's connection parameters read the client id and secret from the solution's variables", () => {
    const staged = stage(repositorySources(sandbox.root));
    const parts = new Map(readZip(pack(staged.tree, { managed: true })).map((p) => [p.path, p.data]));
    const file = [...parts.keys()].find((p) => p.startsWith("Connector/") && p.endsWith("_connectionparameters.json"));
    expect(file).toBeDefined();
    const connection = JSON.parse(text(parts.get(file!))) as { token: { oAuthSettings: Record<string, unknown> }; "token:TenantId"?: unknown };
    expect(connection.token.oAuthSettings.clientId).toBe('@environmentVariables("tcc_TeamsConnectorClientId")');
    expect(connection.token.oAuthSettings.clientSecret).toBe('@environmentVariables("tcc_TeamsConnectorClientSecret")');
    expect(connection.token.oAuthSettings.identityProvider).toBe("aad");
    expect(connection["token:TenantId"]).toBeDefined();
    for (const name of Object.values(CONNECTOR_OAUTH_VARIABLES)) {
      expect(parts.has(`environmentvariabledefinitions/${name}/environmentvariabledefinition.xml`)).toBe(true);
      expect(staged.deploymentSettings.EnvironmentVariables.filter((v) => v.SchemaName === name).map((v) => v.Value)).toEqual([""]);
    }
    const secret = text(parts.get("environmentvariabledefinitions/tcc_TeamsConnectorClientSecret/environmentvariabledefinition.xml"));
    expect(secret).toContain("<type>100000005</type>");
    expect(secret).toContain("<secretstore>0</secretstore>");
    expect(secret).not.toContain("<defaultvalue>");
    // The <Connector> element names the JSON and carries nothing else about the variables, as real exports.
    expect(text(parts.get("customizations.xml"))).not.toContain("environmentVariables");
    // The source apiProperties.json stays usable outside a solution (paconn): the rewrite happens only in the package.
    expect(sandbox.read("connector/apiProperties.json")).not.toContain("@environmentVariables");
  });

  test("a missing client id variable stops the build naming apiProperties.json", () => {
    const other = createSandbox();
    try {
      fs.rmSync(other.file("solution/environmentvariabledefinitions/tcc_TeamsConnectorClientId"), { recursive: true });
      expect(() => stage(repositorySources(other.root))).toThrow(BuildError);
      expect(() => stage(repositorySources(other.root))).toThrow(/clientId should come from environment variable tcc_TeamsConnectorClientId/);
    } finally {
      other.remove();
    }
  });

  test("a client secret variable of type String stops the build", () => {
    const other = createSandbox();
    try {
      const file = "solution/environmentvariabledefinitions/tcc_TeamsConnectorClientSecret/environmentvariabledefinition.xml";
      other.write(file, other.read(file).replace("<type>100000005</type>", "<type>100000000</type>"));
      expect(() => stage(repositorySources(other.root))).toThrow(/clientSecret comes from environment variable tcc_TeamsConnectorClientSecret, whose type is String; it must be Secret/);
    } finally {
      other.remove();
    }
  });
});
