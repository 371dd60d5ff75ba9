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
type Mutable = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const op = (f: ConnectorFiles, p: string, m: string): Mutable => (f.swagger.paths as Mutable)[p][m];
const createTeamBody = (f: ConnectorFiles): Mutable => op(f, "/teams", "post").parameters[0].schema;
const getTeam = (f: ConnectorFiles) => op(f, "/teams/{teamId}", "get");
const oauth = (f: ConnectorFiles): Mutable => (f.apiProperties.properties as Mutable).connectionParameters.token.oAuthSettings;
const meta = (f: ConnectorFiles, name: string): Mutable => (f.swagger["x-ms-connector-metadata"] as Mutable[]).find((m) => m.propertyName === name) as Mutable;

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
  SummaryNotTitleCase: (f) => { createTeamBody(f).properties.displayName["x-ms-summary"] = "team name"; },
  DescriptionMustEndWithPunctuation: (f) => { getTeam(f).description = "Gets a team"; },
  SummaryEqualsDescription: (f) => { getTeam(f).description = "Get a team"; getTeam(f).summary = "Get a team"; },
  OperationVisibilityMissing: (f) => { delete getTeam(f)["x-ms-visibility"]; },
  OperationShouldHaveSuccessfulResponse: (f) => { delete getTeam(f).responses["200"]; },
  DefaultResponseHasSchema: (f) => { getTeam(f).responses.default.schema = { type: "object", properties: { error: { type: "object" } } }; },
  OperationHasManyResponsesWithSchema: (f) => { getTeam(f).responses["404"] = { description: "Missing.", schema: { type: "string" } }; },
  SchemaDefinitionSetIncorrectly: (f) => { delete getTeam(f).responses["200"].schema; },
  EmptyResponseSchema: (f) => { getTeam(f).responses["200"].schema = { type: "object", properties: {} }; },
  BodyOrFormDataParameterInFetchOperationNotAllowed: (f) => { getTeam(f).parameters.push({ name: "body", in: "body", schema: { type: "object" } }); },
  InvalidNextLinkNameValue: (f) => { op(f, "/users", "get")["x-ms-pageable"].nextLinkName = "next"; },
  PageableOperationMissingNextLinkPolicy: (f) => { f.apiProperties.properties!.policyTemplateInstances = []; },
  ConnectionIdParameterNotAllowed: (f) => { op(f, "/users", "get").parameters.push({ name: "connectionId", in: "query", type: "string", "x-ms-summary": "Connection", description: "The connection." }); },
  PathParameterMustBeRequired: (f) => { getTeam(f).parameters[0] = { ...getTeam(f).parameters[0], required: false }; },
  PathParameterMissingEncoding: (f) => { getTeam(f).parameters[0] = { ...getTeam(f).parameters[0], "x-ms-url-encoding": undefined }; },
  OperationMissingPathParameter: (f) => { getTeam(f).parameters = []; },
  PathParameterNotDefinedInTemplate: (f) => { getTeam(f).parameters.push({ ...getTeam(f).parameters[0], name: "channelId" }); },
  QueryParameterEncodingNotSupported: (f) => { op(f, "/users", "get").parameters[0]["x-ms-url-encoding"] = "single"; },
  ParameterSummaryMissing: (f) => { delete createTeamBody(f).properties.displayName["x-ms-summary"]; },
  ParameterDescriptionMissing: (f) => { delete createTeamBody(f).properties.displayName.description; },
  PropertyMustBeRequired: (f) => { op(f, "/chats", "post").parameters[0].schema.required = ["members"]; },
  InternalParameterWithoutDefault: (f) => { delete op(f, "/users", "get").parameters[3].default; },
  RequiredPropertyDefinitionMissing: (f) => { createTeamBody(f).required.push("owner"); },
  RequiredPropertyArrayEmpty: (f) => { op(f, "/teams/{teamId}/archive", "post").parameters[1].schema.required = []; },
  ArrayHasNoItems: (f) => { delete createTeamBody(f).properties.channels.items; },
  DefaultValueMustMatchType: (f) => { createTeamBody(f).properties.visibility.default = "secret"; },
  ResponsePropertySummaryMissing: (f) => { delete getTeam(f).responses["200"].schema.properties.id["x-ms-summary"]; },
  OperationIdNotFound: (f) => { getTeam(f).parameters[0]["x-ms-dynamic-values"] = { operationId: "ListAllTeams", "value-collection": "value" }; },
  InvokedOperationShouldProduceArray: (f) => { getTeam(f).parameters[0]["x-ms-dynamic-values"] = { operationId: "ListMyTeams", "value-collection": "teams" }; },
  OperationParameterNameNotFound: (f) => { op(f, "/teams/{teamId}/channels/{channelId}/tabs", "post").parameters[1]["x-ms-dynamic-values"] = { operationId: "ListChannels", parameters: { groupId: { parameter: "teamId" } }, "value-collection": "value" }; },
  SecurityRequirementMustBeDefined: (f) => { getTeam(f).security = [{ api_key: [] }]; },
  OAuthSecurityRequirementValueMustBeScopeName: (f) => { getTeam(f).security = [{ oauth2_auth: ["Team.Read"] }]; },
  OperationScopeMissing: (f) => { getTeam(f).security = [{ oauth2_auth: [] }]; },
  ScopesMatchOperations: (f) => { oauth(f).scopes.push("Group.ReadWrite.All"); },
  ResourceSpecificConsentScope: (f) => { oauth(f).scopes.push("TeamsTab.Create.Group"); },
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
