/**
 * The connector against third-party oracles read at test time from ../shared/oracles:
 * Microsoft's connector JSON schemas and Microsoft Graph's documented Teams contract.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import {
  buildRequest, listOperations, loadConnectorSwagger, operationParameters, operationScopes, readConnectorFolder,
  sendRequest, startGraphStandIn, validateAgainstSchemas, loadSchemas, lintConnector, type AcceptedRequest, type GraphStandIn,
} from "../../../tools/connector";
import type { OperationRef, SchemaObject } from "../../../tools/connector/swagger";

const ORACLES = path.resolve(__dirname, "../../../../shared/oracles");
const SCHEMAS = path.join(ORACLES, "connector-schemas");
const CONNECTOR = path.resolve(__dirname, "../../../connector");

interface OracleEndpoint {
  id: string;
  method: string;
  path: string;
  requestBody: null | { resource?: string; documentedRequired?: string[]; properties?: Record<string, string>; annotations?: Record<string, string>; parameters?: Record<string, string> };
  response: { status: number; resource?: string; note?: string };
  permissions: { DelegatedWork: { leastPrivileged: string[]; higherPrivileged: string[]; requiresAdminConsent: Record<string, boolean> } };
  documentedNotes?: string[];
  example?: { request?: { body?: Record<string, unknown> | null } };
}
const oracle = JSON.parse(readFileSync(path.join(ORACLES, "graph-teams/graph-teams-endpoints.json"), "utf8")) as { endpoints: OracleEndpoint[] };
const csdl = JSON.parse(readFileSync(path.join(ORACLES, "graph-teams/csdl-v1.0-teams-types.json"), "utf8")) as Record<string, { properties?: Record<string, unknown> }>;

const swagger = loadConnectorSwagger();
const operations = listOperations(swagger);
const norm = (p: string) => p.replace(/\{[^}]+\}/g, "{}").toLowerCase();
/** Property names Graph defines for an endpoint's body: documented ones, the documented example's, and the CSDL type's. */
function knownBodyProperties(endpoint: OracleEndpoint | undefined, resource: string): Set<string> {
  const type = typeName(resource);
  const typeProps = Object.keys(csdl[type]?.properties ?? {});
  // A conversationMember body is the aadUserConversationMember subtype in every documented example.
  if (type === "conversationMember") typeProps.push(...Object.keys(csdl.aadUserConversationMember.properties ?? {}));
  return new Set<string>([
    "@odata.type",
    ...Object.keys(endpoint?.requestBody?.properties ?? {}),
    ...Object.keys(endpoint?.requestBody?.annotations ?? {}),
    ...Object.keys(endpoint?.requestBody?.parameters ?? {}),
    ...Object.keys(endpoint?.example?.request?.body ?? {}),
    ...typeProps,
    // name@odata.bind binds the navigation property 'name' of the type.
    ...typeProps.map((p) => `${p}@odata.bind`),
  ]);
}

const typeName = (resource: string) => resource.replace(/^Collection\(/, "").replace(/\)$/, "").replace(/^microsoft\.graph\./, "").split(" ")[0];

/**
 * Operations whose endpoint is not one of the oracle's 15: each names where its contract comes from.
 * GetTeamOperation polls the Location that the oracle's createTeam response documents; replies post
 * the same chatMessage type as channel messages. GetPrimaryChannel reads the team's primaryChannel
 * navigation property (a channel, in the CSDL's team type), with the least-privileged scope Graph's
 * team-get-primarychannel page gives, the same one the oracle gives for listing channels. GetMyProfile
 * reads the signed-in user (the CSDL's user type); its scope, User.Read, is from Graph's user-get page,
 * which neither oracle file covers.
 */
const createTeam = oracle.endpoints.find((e) => e.id === "createTeam");
const DERIVED: Record<string, { method: string; path: string; bodyType?: string; responseType: string; status: number; scope: string }> = {
  GetTeamOperation: { method: "GET", path: "/teams/{}/operations/{}", responseType: "teamsAsyncOperation", status: 200, scope: "Team.ReadBasic.All" },
  ReplyToChannelMessage: { method: "POST", path: "/teams/{}/channels/{}/messages/{}/replies", bodyType: "chatMessage", responseType: "chatMessage", status: 201, scope: "ChannelMessage.Send" },
  GetPrimaryChannel: { method: "GET", path: "/teams/{}/primarychannel", responseType: "channel", status: 200, scope: "Channel.ReadBasic.All" },
  GetMyProfile: { method: "GET", path: "/me", responseType: "user", status: 200, scope: "User.Read" },
};

/** Adding an owner is outside the least-privileged TeamMember.ReadWriteNonOwnerRole.All. */
const SCOPE_EXCEPTIONS: Record<string, string> = { AddTeamMember: "TeamMember.ReadWrite.All" };

function oracleFor(ref: OperationRef): OracleEndpoint | undefined {
  return oracle.endpoints.find((e) => e.method === ref.method.toUpperCase() && norm(e.path) === norm(ref.path));
}

function bodySchema(ref: OperationRef): SchemaObject | undefined {
  return operationParameters(swagger, ref).find((p) => p.in === "body")?.schema;
}

function successResponse(ref: OperationRef): [number, SchemaObject | undefined] {
  const [code, response] = Object.entries(ref.operation.responses ?? {}).find(([c]) => /^2\d\d$/.test(c)) ?? ["0", {}];
  return [Number(code), response.schema];
}

describe("connector against Microsoft's connector schemas", () => {
  it("passes the apiDefinition, apiProperties and settings schemas and our lint together", () => {
    expect(lintConnector(CONNECTOR, { schemaDir: SCHEMAS })).toEqual([]);
  });

  it("rejects a root x-ms-* extension the apiDefinition schema does not list", () => {
    const { files } = readConnectorFolder(CONNECTOR);
    if (!files) throw new Error("connector unreadable");
    const broken = structuredClone(files);
    (broken.swagger as Record<string, unknown>)["x-ms-custom"] = true;
    expect(validateAgainstSchemas(broken, loadSchemas(SCHEMAS)).map((p) => p.rule)).toContain("SchemaViolation");
  });

  it("relaxes only the stated 2020-schema gaps: GlobalPerConnector passes with the relaxation, fails without", () => {
    const { files } = readConnectorFolder(CONNECTOR);
    if (!files) throw new Error("connector unreadable");
    const modern = structuredClone(files);
    const token = modern.apiProperties.properties?.connectionParameters?.token;
    if (!token?.oAuthSettings) throw new Error("no oAuthSettings");
    token.oAuthSettings.redirectMode = "GlobalPerConnector";
    const schemas = loadSchemas(SCHEMAS);
    expect(validateAgainstSchemas(modern, schemas)).toEqual([]);
    expect(validateAgainstSchemas(modern, schemas, []).length).toBeGreaterThan(0);
  });
});

describe("connector against Microsoft Graph's documented contract", () => {
  it("maps every operation to a documented endpoint (or a stated derivation)", () => {
    const unmatched = operations.filter((o) => !oracleFor(o) && !DERIVED[o.operation.operationId ?? ""]).map((o) => o.operation.operationId);
    expect(unmatched).toEqual([]);
    expect(createTeam?.response.note).toMatch(/GET \/teams\/\{id\}\/operations\/\{opId\}/);
    expect(Object.keys(csdl)).toEqual(expect.arrayContaining(["teamsAsyncOperation", "chatMessage", "channel", "user"]));
    const team = csdl.team.properties as Record<string, { type: string; navigation?: boolean }>;
    expect(team.primaryChannel).toMatchObject({ type: "graph.channel", navigation: true });
    expect(DERIVED.GetPrimaryChannel.scope).toBe(oracle.endpoints.find((e) => e.id === "listChannels")?.permissions.DelegatedWork.leastPrivileged[0]);
  });

  it.each(operations.map((o) => [o.operation.operationId ?? "", o] as const))("%s: body properties exist on the Graph type and Graph-required ones are required", (id, ref) => {
    const schema = bodySchema(ref);
    const endpoint = oracleFor(ref);
    if (!schema) {
      expect(endpoint?.requestBody ?? null).toBeNull();
      return;
    }
    const derived = DERIVED[id];
    const resource = endpoint?.requestBody?.resource ?? derived?.bodyType ?? "";
    const known = knownBodyProperties(endpoint, resource);
    const unknown = Object.keys(schema.properties ?? {}).filter((p) => !known.has(p));
    expect(unknown).toEqual([]);
    for (const required of endpoint?.requestBody?.documentedRequired ?? []) expect(schema.required ?? []).toContain(required);
  });

  it.each(operations.map((o) => [o.operation.operationId ?? "", o] as const))("%s: response code and shape match Graph", (id, ref) => {
    const [code, schema] = successResponse(ref);
    const endpoint = oracleFor(ref);
    const expected = endpoint?.response.status ?? DERIVED[id].status;
    expect(code).toBe(expected);
    const resource = endpoint?.response.resource ?? DERIVED[id]?.responseType;
    if (!resource) {
      expect(schema).toBeUndefined();
      return;
    }
    const isCollection = resource.startsWith("Collection(");
    const itemSchema = isCollection ? schema?.properties?.value?.items : schema;
    if (isCollection) expect(schema?.properties?.value?.type).toBe("array");
    const typeProps = new Set(Object.keys(csdl[typeName(resource)]?.properties ?? {}));
    if (typeName(resource) === "conversationMember") Object.keys(csdl.aadUserConversationMember.properties ?? {}).forEach((p) => typeProps.add(p));
    expect(Object.keys(itemSchema?.properties ?? {}).filter((p) => !typeProps.has(p))).toEqual([]);
  });

  it("asks for the least-privileged delegated scope of each operation, with the owner exception stated", () => {
    for (const ref of operations) {
      const id = ref.operation.operationId ?? "";
      const scopes = operationScopes(swagger, ref.operation);
      const endpoint = oracleFor(ref);
      if (SCOPE_EXCEPTIONS[id]) {
        expect(endpoint?.permissions.DelegatedWork.higherPrivileged).toContain(SCOPE_EXCEPTIONS[id]);
        expect(endpoint?.requestBody?.properties).toHaveProperty("roles");
        expect(scopes).toEqual([SCOPE_EXCEPTIONS[id]]);
      } else {
        expect([id, scopes]).toEqual([id, [endpoint?.permissions.DelegatedWork.leastPrivileged[0] ?? DERIVED[id].scope]]);
      }
    }
  });

  it("requests exactly the union of those scopes in apiProperties", () => {
    const union = [...new Set(operations.flatMap((o) => operationScopes(swagger, o.operation)))].sort();
    const props = JSON.parse(readFileSync(path.join(CONNECTOR, "apiProperties.json"), "utf8")) as { properties: { connectionParameters: { token: { oAuthSettings: { scopes: string[] } } } } };
    expect([...props.properties.connectionParameters.token.oAuthSettings.scopes].sort()).toEqual(union);
  });
});

/** Validates what the stand-in accepted against the oracle: documented route, known and required body properties. */
function oracleContract(request: AcceptedRequest): string[] {
  const problems: string[] = [];
  const [method, template] = request.route.split(" ");
  const endpoint = oracle.endpoints.find((e) => e.method === method && norm(e.path) === norm(template));
  const derived = Object.values(DERIVED).find((d) => d.method === method && d.path === norm(template));
  if (!endpoint && !derived) return [`${request.route} is not a documented Graph endpoint`];
  if (request.body === undefined || request.body === null) return problems;
  const body = request.body as Record<string, unknown>;
  const resource = endpoint?.requestBody?.resource ?? derived?.bodyType ?? "";
  const known = knownBodyProperties(endpoint, resource);
  for (const key of Object.keys(body)) if (!known.has(key)) problems.push(`${request.route}: '${key}' is not on ${resource}`);
  for (const key of endpoint?.requestBody?.documentedRequired ?? []) if (body[key] === undefined) problems.push(`${request.route}: documented-required '${key}' missing`);
  return problems;
}

describe("stand-in requests validated against the oracle contract", () => {
  let graph: GraphStandIn;
  beforeAll(async () => {
    graph = await startGraphStandIn({ appCatalog: [{ id: "contoso-crm-app" }], contract: oracleContract });
  });
  afterAll(async () => {
    await graph.close();
  });

  it("accepts a full onboarding sequence with no contract violation", async () => {
    const call = async (op: string, params: Record<string, unknown>) => sendRequest(buildRequest(swagger, op, params, { baseUrl: graph.baseUrl }), "t");
    const alex = "5f0e1a2b-0000-4000-8000-000000000002";
    const created = await call("CreateTeam", { body: { displayName: "Fabrikam", description: "客户团队", channels: [{ displayName: "Deals" }], members: [{ "user@odata.bind": `https://graph.microsoft.com/v1.0/users('${alex}')` }], installedApps: [{ "teamsApp@odata.bind": "https://graph.microsoft.com/v1.0/appCatalogs/teamsApps('contoso-crm-app')" }] } });
    const [, teamId, opId] = /teams\('([^']+)'\)\/operations\('([^']+)'\)/.exec(created.headers.location) ?? [];
    await call("GetTeamOperation", { teamId, asyncOperationId: opId });
    await call("GetTeamOperation", { teamId, asyncOperationId: opId });
    const channelId = ((await call("ListChannels", { teamId })).body as { value: { id: string; displayName: string }[] }).value.find((c) => c.displayName === "Deals")?.id;
    const statuses = [
      (await call("GetTeam", { teamId })).status,
      (await call("ListMyTeams", {})).status,
      (await call("CreateChannel", { teamId, body: { displayName: "Support" } })).status,
      (await call("AddTeamMember", { teamId, body: { "user@odata.bind": "https://graph.microsoft.com/v1.0/users('lee.gu@contoso.example')", roles: ["owner"] } })).status,
      (await call("AddWebsiteTab", { teamId, channelId, body: { displayName: "Account", configuration: { contentUrl: "https://crm.example/1", websiteUrl: "https://crm.example/1" } } })).status,
    ];
    const post = await call("PostChannelMessage", { teamId, channelId, body: { body: { content: "Welcome" } } });
    statuses.push(post.status, (await call("ReplyToChannelMessage", { teamId, channelId, messageId: (post.body as { id: string }).id, body: { body: { content: "Thanks" } } })).status);
    const chat = await call("CreateGroupChat", { body: { topic: "Deal room", members: [{ "user@odata.bind": `https://graph.microsoft.com/v1.0/users('${graph.signedInUserId}')`, roles: ["owner"] }, { "user@odata.bind": `https://graph.microsoft.com/v1.0/users('${alex}')`, roles: ["owner"] }] } });
    statuses.push(chat.status, (await call("PostChatMessage", { chatId: (chat.body as { id: string }).id, body: { body: { content: "Hi" } } })).status);
    statuses.push((await call("CreateOnlineMeeting", { body: { subject: "Kick-off", startDateTime: "2025-01-01T10:00:00Z", endDateTime: "2025-01-01T11:00:00Z" } })).status);
    statuses.push((await call("GetPrimaryChannel", { teamId })).status, (await call("GetMyProfile", {})).status);
    statuses.push((await call("SearchUsers", { $search: '"displayName:lee"' })).status, (await call("ArchiveTeam", { teamId })).status);
    expect(graph.violations).toEqual([]);
    expect(statuses).toEqual([200, 200, 201, 201, 201, 201, 201, 201, 201, 201, 200, 200, 200, 202]);
    const routes = new Set(graph.accepted.map((a) => a.route));
    expect(routes.size).toBe(operations.length);
  });
});
