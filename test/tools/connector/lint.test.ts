import * as path from "node:path";
import { encodePng } from "../../../tools/connector/png";
import { drawIcon } from "../../../tools/connector/makeIcon";
import { lintConnector, lintConnectorFiles, readConnectorFolder, RULES, type ConnectorFiles } from "../../../tools/connector/lint";
import { runLintCli } from "../../../tools/connector/lintCli";

const CONNECTOR = path.resolve(__dirname, "../../../connector");

function freshFiles(): ConnectorFiles {
  const { files } = readConnectorFolder(CONNECTOR);
  if (!files) throw new Error("connector folder unreadable");
  return structuredClone(files);
}

// Shorthands into the real connector so each case breaks one thing in an otherwise valid definition.
type Node = Record<string, unknown>;
/** Walks plain JSON; throws when the path is missing so a case cannot silently mutate nothing. */
function n(root: unknown, ...keys: (string | number)[]): Node {
  let cur: unknown = root;
  for (const k of keys) {
    if (cur === null || typeof cur !== "object" || !(k in (cur as Node))) throw new Error(`test fixture has no ${keys.join(".")}`);
    cur = (cur as Node)[k];
  }
  return cur as Node;
}
const list = (root: unknown, ...keys: (string | number)[]): unknown[] => n(root, ...keys) as unknown as unknown[];
const op = (f: ConnectorFiles, p: string, m: string) => n(f.swagger, "paths", p, m);
const createTeamBody = (f: ConnectorFiles) => n(op(f, "/teams", "post"), "parameters", 0, "schema");
const createTeamProp = (f: ConnectorFiles, name: string) => n(createTeamBody(f), "properties", name);
const getTeam = (f: ConnectorFiles) => op(f, "/teams/{teamId}", "get");
const getTeamParam = (f: ConnectorFiles) => n(getTeam(f), "parameters", 0);
const usersParam = (f: ConnectorFiles, i: number) => n(op(f, "/users", "get"), "parameters", i);
const oauth = (f: ConnectorFiles) => n(f.apiProperties, "properties", "connectionParameters", "token", "oAuthSettings");
const meta = (f: ConnectorFiles, name: string) => (f.swagger["x-ms-connector-metadata"] ?? []).find((m) => m.propertyName === name) ?? {};

const CASES: Record<string, (f: ConnectorFiles) => void> = {
  SpecificationVersionIncorrect: (f) => { f.swagger.swagger = "3.0"; },
  HostNameNotValid: (f) => { f.swagger.host = "https://graph.microsoft.com/v1.0"; },
  BasePathNotValid: (f) => { f.swagger.basePath = "v1.0"; },
  SchemesArrayEmpty: (f) => { f.swagger.schemes = []; },
  SwaggerTooLarge: (f) => { f.swaggerBytes = 1024 * 1024 + 1; },
  FieldLengthExceeded: (f) => { f.swagger.info!.title = "Teams Customer Collaboration Plus"; },
  FieldLengthNotInRange: (f) => { f.swagger.info!.description = "Too short."; },
  ValueContainsRestrictedWords: (f) => { f.swagger.info!.title = "Teams API"; },
  ValueMustEndWithAlphanumeric: (f) => { getTeam(f).summary = "Get a team."; },
  RequiredPropertyMissing: (f) => { delete f.apiProperties.properties!.publisher; },
  ContactEmailNotValid: (f) => { f.swagger.info!.contact!.email = "not-an-email"; },
  UrlNotValid: (f) => { f.swagger.info!.contact!.url = "ftp://example.com"; },
  ConnectorMetadataPropertiesMissing: (f) => { f.swagger["x-ms-connector-metadata"] = f.swagger["x-ms-connector-metadata"]!.filter((m) => m.propertyName !== "Website"); },
  InvalidConnectorCategory: (f) => { meta(f, "Categories").propertyValue = "Collaboration;Chat"; },
  TooManyConnectorCategories: (f) => { meta(f, "Categories").propertyValue = "Collaboration;Communication;Productivity"; },
  OperationIdRequired: (f) => { delete getTeam(f).operationId; },
  OperationIdNotUnique: (f) => { getTeam(f).operationId = "CreateTeam"; },
  OperationIdSanitized: (f) => { getTeam(f).operationId = "Get_Team"; },
  OperationIdNotPascalCase: (f) => { getTeam(f).operationId = "getTeam"; },
  RestrictedCharactersInSummary: (f) => { getTeam(f).summary = "Get a team/channel"; },
  SummaryNotSentenceCase: (f) => { getTeam(f).summary = "Get Every Joined Team Quickly"; },
  SummaryNotTitleCase: (f) => { createTeamProp(f, "displayName")["x-ms-summary"] = "team name"; },
  DescriptionMustEndWithPunctuation: (f) => { getTeam(f).description = "Gets a team"; },
  SummaryEqualsDescription: (f) => { getTeam(f).description = "Get a team"; getTeam(f).summary = "Get a team"; },
  OperationVisibilityMissing: (f) => { delete getTeam(f)["x-ms-visibility"]; },
  OperationShouldHaveSuccessfulResponse: (f) => { delete n(getTeam(f), "responses")["200"]; },
  DefaultResponseHasSchema: (f) => { n(getTeam(f), "responses", "default").schema = { type: "object", properties: { error: { type: "object" } } }; },
  OperationHasManyResponsesWithSchema: (f) => { n(getTeam(f), "responses")["404"] = { description: "Missing.", schema: { type: "string" } }; },
  SchemaDefinitionSetIncorrectly: (f) => { delete n(getTeam(f), "responses", "200").schema; },
  EmptyResponseSchema: (f) => { n(getTeam(f), "responses", "200").schema = { type: "object", properties: {} }; },
  BodyOrFormDataParameterInFetchOperationNotAllowed: (f) => { list(getTeam(f), "parameters").push({ name: "body", in: "body", schema: { type: "object" } }); },
  InvalidNextLinkNameValue: (f) => { n(op(f, "/users", "get"), "x-ms-pageable").nextLinkName = "next"; },
  PageableOperationMissingNextLinkPolicy: (f) => { f.apiProperties.properties!.policyTemplateInstances = []; },
  ConnectionIdParameterNotAllowed: (f) => { list(op(f, "/users", "get"), "parameters").push({ name: "connectionId", in: "query", type: "string", "x-ms-summary": "Connection", description: "The connection." }); },
  PathParameterMustBeRequired: (f) => { getTeamParam(f).required = false; },
  PathParameterMissingEncoding: (f) => { delete getTeamParam(f)["x-ms-url-encoding"]; },
  OperationMissingPathParameter: (f) => { getTeam(f).parameters = []; },
  PathParameterNotDefinedInTemplate: (f) => { list(getTeam(f), "parameters").push({ ...getTeamParam(f), name: "channelId" }); },
  QueryParameterEncodingNotSupported: (f) => { usersParam(f, 0)["x-ms-url-encoding"] = "single"; },
  ParameterSummaryMissing: (f) => { delete createTeamProp(f, "displayName")["x-ms-summary"]; },
  ParameterDescriptionMissing: (f) => { delete createTeamProp(f, "displayName").description; },
  PropertyMustBeRequired: (f) => { n(op(f, "/chats", "post"), "parameters", 0, "schema").required = ["members"]; },
  InternalParameterWithoutDefault: (f) => { delete usersParam(f, 3).default; },
  RequiredPropertyDefinitionMissing: (f) => { list(createTeamBody(f), "required").push("owner"); },
  RequiredPropertyArrayEmpty: (f) => { n(op(f, "/teams/{teamId}/archive", "post"), "parameters", 1, "schema").required = []; },
  ArrayHasNoItems: (f) => { delete createTeamProp(f, "channels").items; },
  DefaultValueMustMatchType: (f) => { createTeamProp(f, "visibility").default = "secret"; },
  ResponsePropertySummaryMissing: (f) => { delete n(getTeam(f), "responses", "200", "schema", "properties", "id")["x-ms-summary"]; },
  OperationIdNotFound: (f) => { getTeamParam(f)["x-ms-dynamic-values"] = { operationId: "ListAllTeams", "value-collection": "value" }; },
  InvokedOperationShouldProduceArray: (f) => { getTeamParam(f)["x-ms-dynamic-values"] = { operationId: "ListMyTeams", "value-collection": "teams" }; },
  OperationParameterNameNotFound: (f) => { n(op(f, "/teams/{teamId}/channels/{channelId}/tabs", "post"), "parameters", 1)["x-ms-dynamic-values"] = { operationId: "ListChannels", parameters: { groupId: { parameter: "teamId" } }, "value-collection": "value" }; },
  SecurityRequirementMustBeDefined: (f) => { getTeam(f).security = [{ api_key: [] }]; },
  OAuthSecurityRequirementValueMustBeScopeName: (f) => { getTeam(f).security = [{ oauth2_auth: ["Team.Read"] }]; },
  OperationScopeMissing: (f) => { getTeam(f).security = [{ oauth2_auth: [] }]; },
  ScopesMatchOperations: (f) => { list(oauth(f), "scopes").push("Group.ReadWrite.All"); },
  ResourceSpecificConsentScope: (f) => { list(oauth(f), "scopes").push("TeamsTab.Create.Group"); },
  IconBrandColorInvalid: (f) => { f.apiProperties.properties!.iconBrandColor = "#007ee5"; },
  RedirectUrlInvalid: (f) => { oauth(f).redirectUrl = "https://example.com/redirect"; },
  SecretCommitted: (f) => { oauth(f).clientSecret = "s3cr3t-value"; },
  IconInvalid: (f) => { f.icon = encodePng(drawIcon("#aa0000")); },
  SettingsInvalid: (f) => { f.settings.icon = "logo.png"; },
};

describe("connector certification lint", () => {
  it("passes the connector as committed", () => {
    expect(lintConnector(CONNECTOR)).toEqual([]);
  });

  it("has a failing case for every rule it can report", () => {
    const ownRules = Object.keys(RULES).filter((r) => r !== "SchemaViolation" && r !== "FileUnreadable");
    expect(Object.keys(CASES).sort()).toEqual(ownRules.sort());
  });

  it.each(Object.entries(CASES))("reports %s with file and JSON path", (rule, breakIt) => {
    const files = freshFiles();
    breakIt(files);
    const problems = lintConnectorFiles(files, CONNECTOR);
    const hit = problems.find((p) => p.rule === rule);
    expect(hit).toBeDefined();
    expect(hit?.path.startsWith("$")).toBe(true);
    expect(["apiDefinition.swagger.json", "apiProperties.json", "settings.json", "icon.png"]).toContain(hit?.file);
  });

  it("reports the exact JSON path of a trailing period in an operation summary", () => {
    const files = freshFiles();
    getTeam(files).summary = "Get a team.";
    expect(lintConnectorFiles(files)).toContainEqual(expect.objectContaining({ rule: "ValueMustEndWithAlphanumeric", path: '$.paths["/teams/{teamId}"].get.summary' }));
  });

  it("reports a file that is missing as unreadable", () => {
    expect(lintConnector(path.join(CONNECTOR, "no-such-folder"))[0]).toMatchObject({ rule: "FileUnreadable" });
  });

  it("CLI exits non-zero and prints file, path and rule for each problem", () => {
    const lines: string[] = [];
    const code = runLintCli(["--connector", path.join(CONNECTOR, "no-such-folder")], (l) => lines.push(l));
    expect(code).toBe(1);
    expect(lines[0]).toMatch(/apiDefinition\.swagger\.json \$ \[FileUnreadable\]/);
  });

  it("CLI exits zero on the committed connector and rejects unknown arguments", () => {
    const lines: string[] = [];
    expect(runLintCli(["--connector", CONNECTOR], (l) => lines.push(l))).toBe(0);
    expect(runLintCli(["--strict"], (l) => lines.push(l))).toBe(2);
  });
});
