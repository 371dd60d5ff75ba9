import fs from "node:fs";
import path from "node:path";
import { buildRequest, listOperations, loadConnectorSwagger, MESSAGE_LIMIT_BYTES, sendRequest, startGraphStandIn, type AcceptedRequest, type GraphStandIn, type SentResponse } from "../../../tools/connector";

const swagger = loadConnectorSwagger();
const APP = { id: "contoso-crm-app" };
const ALEX = "5f0e1a2b-0000-4000-8000-000000000002";
const userRef = (key: string) => `https://graph.microsoft.com/v1.0/users('${key}')`;

/** Our own contract fact for the unit suite: every accepted request is one the connector defines. */
const normalise = (p: string) => p.replace(/\{[^}]+\}/g, "{}");
const connectorRoutes = new Set(listOperations(swagger).map((o) => `${o.method.toUpperCase()} ${normalise(o.path)}`));
const ownContract = (r: AcceptedRequest) => (connectorRoutes.has(`${r.method} ${normalise(r.route.split(" ")[1])}`) ? [] : [`${r.route} is not a connector operation`]);

let graph: GraphStandIn;
const call = async (operationId: string, params: Record<string, unknown>): Promise<SentResponse> =>
  sendRequest(buildRequest(swagger, operationId, params, { baseUrl: graph.baseUrl }), "token");
const errorOf = (r: SentResponse) => (r.body as { error: { code: string; message: string; innerError: Record<string, string> } }).error;

async function createdTeam(): Promise<{ teamId: string; channelId: string }> {
  const created = await call("CreateTeam", { body: { displayName: "Contoso", channels: [{ displayName: "Sales" }], members: [{ "user@odata.bind": userRef("alex.wilber@contoso.example") }], installedApps: [{ "teamsApp@odata.bind": `https://graph.microsoft.com/v1.0/appCatalogs/teamsApps('${APP.id}')` }] } });
  const [, teamId, opId] = /teams\('([^']+)'\)\/operations\('([^']+)'\)/.exec(created.headers.location) ?? [];
  let status = "";
  for (let i = 0; i < 5 && status !== "succeeded"; i++) status = ((await call("GetTeamOperation", { teamId, asyncOperationId: opId })).body as { status: string }).status;
  const channels = (await call("ListChannels", { teamId })).body as { value: { id: string; displayName: string }[] };
  return { teamId, channelId: channels.value.find((c) => c.displayName === "Sales")?.id ?? "" };
}

beforeEach(async () => {
  graph = await startGraphStandIn({ appCatalog: [APP], asyncPolls: 1, contract: ownContract });
});
afterEach(async () => {
  expect(graph.violations).toEqual([]);
  await graph.close();
});

describe("Graph stand-in through the request builder: every operation", () => {
  it("creates a team asynchronously: 202 with Location, inProgress, then succeeded and visible", async () => {
    const created = await call("CreateTeam", { body: { displayName: "Contoso", channels: [{ displayName: "Sales" }] } });
    expect(created.status).toBe(202);
    expect(created.headers.location).toMatch(/^\/teams\('[^']+'\)\/operations\('[^']+'\)$/);
    expect(created.headers["content-location"]).toMatch(/^\/teams\('[^']+'\)$/);
    const [, teamId, opId] = /teams\('([^']+)'\)\/operations\('([^']+)'\)/.exec(created.headers.location) ?? [];
    expect((await call("GetTeam", { teamId })).status).toBe(404);
    const first = await call("GetTeamOperation", { teamId, asyncOperationId: opId });
    expect(first.body).toMatchObject({ operationType: "createTeam", status: "inProgress", targetResourceId: teamId });
    expect((await call("GetTeamOperation", { teamId, asyncOperationId: opId })).body).toMatchObject({ status: "succeeded" });
    expect((await call("GetTeam", { teamId })).body).toMatchObject({ id: teamId, displayName: "Contoso", isArchived: false });
    expect(((await call("ListMyTeams", {})).body as { value: unknown[] }).value).toEqual([{ id: teamId, displayName: "Contoso", description: null }]);
  });

  it("creates a channel, adds members and owners, and pins a website tab", async () => {
    const { teamId, channelId } = await createdTeam();
    const channel = await call("CreateChannel", { teamId, body: { displayName: "Support", description: "客户支持" } });
    expect(channel).toMatchObject({ status: 201, body: { displayName: "Support", membershipType: "standard" } });
    expect((await call("AddTeamMember", { teamId, body: { "user@odata.bind": userRef("lee.gu@contoso.example") } })).body).toMatchObject({ roles: [], displayName: "Lee Gu" });
    expect((await call("AddTeamMember", { teamId, body: { "user@odata.bind": userRef("wang.fang@contoso.example"), roles: ["owner"] } })).status).toBe(201);
    const tab = await call("AddWebsiteTab", { teamId, channelId, body: { displayName: "Account", configuration: { contentUrl: "https://crm.example/a/1", websiteUrl: "https://crm.example/a/1" } } });
    expect(tab.status).toBe(201);
    expect(graph.team(teamId)?.members.get("5f0e1a2b-0000-4000-8000-000000000003")).toEqual(["owner"]);
  });

  it("posts to a channel with an adaptive card and a mention, then replies", async () => {
    const { teamId, channelId } = await createdTeam();
    const card = JSON.stringify({ type: "AdaptiveCard", version: "1.5", body: [{ type: "TextBlock", text: "Won" }] });
    const post = await call("PostChannelMessage", {
      teamId, channelId,
      body: { subject: "Welcome", body: { content: '<at id="0">Alex</at> welcome <attachment id="card1"></attachment>' }, mentions: [{ id: 0, mentionText: "Alex", mentioned: { user: { id: ALEX, displayName: "Alex Wilber" } } }], attachments: [{ id: "card1", content: card }] },
    });
    expect(post).toMatchObject({ status: 201, body: { subject: "Welcome", body: { contentType: "html" } } });
    const reply = await call("ReplyToChannelMessage", { teamId, channelId, messageId: (post.body as { id: string }).id, body: { body: { contentType: "text", content: "谢谢" } } });
    expect(reply.body).toMatchObject({ replyToId: (post.body as { id: string }).id, body: { content: "谢谢" } });
  });

  it("creates a group chat with a topic and posts in it", async () => {
    const chat = await call("CreateGroupChat", { body: { topic: "Deal room", members: [{ "user@odata.bind": userRef(graph.signedInUserId), roles: ["owner"] }, { "user@odata.bind": userRef(ALEX), roles: ["owner"] }] } });
    expect(chat.body).toMatchObject({ chatType: "group", topic: "Deal room" });
    const chatId = (chat.body as { id: string }).id;
    expect((await call("PostChatMessage", { chatId, body: { body: { content: "Approval needed" }, importance: "urgent" } })).body).toMatchObject({ chatId, importance: "urgent" });
  });

  it("answers the signed-in user's profile at /me", async () => {
    const me = await call("GetMyProfile", {});
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: graph.signedInUserId, displayName: "Megan Bowen", userPrincipalName: "megan.bowen@contoso.example", mail: "megan.bowen@contoso.example" });
  });

  it("answers a team's primary channel (General), whose id is not the team's internalId, and only to members", async () => {
    const { teamId } = await createdTeam();
    const primary = await call("GetPrimaryChannel", { teamId });
    expect(primary).toMatchObject({ status: 200, body: { displayName: "General", membershipType: "standard" } });
    const team = graph.team(teamId);
    expect((primary.body as { id: string }).id).toBe(team?.primaryChannelId);
    expect(team?.primaryChannelId).not.toBe(team?.internalId);
    const internal = await call("PostChannelMessage", { teamId, channelId: team?.internalId, body: { body: { content: "Welcome" } } });
    expect(internal.status).toBe(404);
    const foreign = graph.seedTeam("Not mine");
    foreign.members.delete(graph.signedInUserId);
    expect((await call("GetPrimaryChannel", { teamId: foreign.id })).status).toBe(403);
  });

  it("names the primary channel as the team was created with firstChannelName", async () => {
    const created = await call("CreateTeam", { body: { displayName: "Fabrikam", firstChannelName: "Announcements" } });
    const [, teamId] = /teams\('([^']+)'\)/.exec(created.headers.location) ?? [];
    const team = graph.team(teamId);
    if (team) team.provisioned = true;
    expect(((await call("GetPrimaryChannel", { teamId })).body as { displayName: string }).displayName).toBe("Announcements");
  });

  it("creates an online meeting", async () => {
    const meeting = await call("CreateOnlineMeeting", { body: { subject: "Kick-off", startDateTime: "2025-03-01T09:00:00+08:00", endDateTime: "2025-03-01T10:00:00+08:00" } });
    expect(meeting.body).toMatchObject({ subject: "Kick-off" });
    expect((meeting.body as { joinWebUrl: string }).joinWebUrl).toMatch(/^https:\/\/teams\.microsoft\.com\/l\/meetup-join\//);
  });

  it("archives a team asynchronously and then refuses writes", async () => {
    const { teamId } = await createdTeam();
    const archived = await call("ArchiveTeam", { teamId, body: { shouldSetSpoSiteReadOnlyForMembers: true } });
    expect(archived.status).toBe(202);
    const opId = /operations\('([^']+)'\)/.exec(archived.headers.location)?.[1];
    expect((await call("GetTeamOperation", { teamId, asyncOperationId: opId })).body).toMatchObject({ operationType: "archiveTeam", status: "inProgress" });
    expect((await call("GetTeamOperation", { teamId, asyncOperationId: opId })).body).toMatchObject({ status: "succeeded" });
    expect((await call("GetTeam", { teamId })).body).toMatchObject({ isArchived: true });
    expect((await call("CreateChannel", { teamId, body: { displayName: "Late" } })).status).toBe(403);
  });

  it("searches users with ConsistencyLevel and pages with @odata.nextLink", async () => {
    const found = await call("SearchUsers", { $search: '"displayName:alex" OR "mail:wang"' });
    expect((found.body as { value: { displayName: string }[] }).value.map((u) => u.displayName)).toEqual(["Alex Wilber", "王芳"]);
    const first = await call("SearchUsers", { $top: 2 });
    const body = first.body as { value: unknown[]; "@odata.nextLink": string };
    expect(body.value).toHaveLength(2);
    const next = await fetch(body["@odata.nextLink"], { headers: { Authorization: "Bearer t" } });
    expect(((await next.json()) as { value: unknown[] }).value).toHaveLength(2);
  });
});

describe("Graph stand-in: what Graph rejects", () => {
  it("answers unknown properties with 400 and Graph's error shape", async () => {
    const { teamId } = await createdTeam();
    const res = await fetch(`${graph.baseUrl}/v1.0/teams/${teamId}/channels`, { method: "POST", headers: { Authorization: "Bearer t", "Content-Type": "application/json" }, body: JSON.stringify({ displayName: "X", colour: "red" }) });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; message: string; innerError: Record<string, string> } };
    expect(body.error.code).toBe("BadRequest");
    expect(body.error.message).toMatch(/'colour' does not exist on type 'microsoft.graph.channel'/);
    expect(body.error.innerError["request-id"]).toBeTruthy();
  });

  it("rejects a missing required property", async () => {
    const res = await fetch(`${graph.baseUrl}/v1.0/teams`, { method: "POST", headers: { Authorization: "Bearer t", "Content-Type": "application/json" }, body: JSON.stringify({ "template@odata.bind": "https://graph.microsoft.com/v1.0/teamsTemplates('standard')" }) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/required property 'displayName'/);
  });

  it("rejects a malformed @odata.bind and a user that does not exist", async () => {
    const bad = await call("CreateTeam", { body: { displayName: "T", members: [{ "user@odata.bind": "users/alex" }] } });
    expect(bad.status).toBe(400);
    expect(errorOf(bad).message).toMatch(/not a valid reference/);
    const unknown = await call("CreateTeam", { body: { displayName: "T", members: [{ "user@odata.bind": userRef("nobody@contoso.example") }] } });
    expect(unknown.status).toBe(404);
  });

  it("rejects a message over 28 KB with 413", async () => {
    const { teamId, channelId } = await createdTeam();
    const res = await call("PostChannelMessage", { teamId, channelId, body: { body: { content: "x".repeat(MESSAGE_LIMIT_BYTES) } } });
    expect(res.status).toBe(413);
    expect(errorOf(res).message).toMatch(/28 KB/);
  });

  it("rejects mentions and cards that the content does not reference", async () => {
    const { teamId, channelId } = await createdTeam();
    const mention = await call("PostChannelMessage", { teamId, channelId, body: { body: { content: "hello" }, mentions: [{ id: 0, mentionText: "Alex", mentioned: { user: { id: ALEX } } }] } });
    expect(errorOf(mention).message).toMatch(/Mention 0 has no matching <at id="0">/);
    const card = await call("PostChannelMessage", { teamId, channelId, body: { body: { content: "hello" }, attachments: [{ id: "c", content: "{}" }] } });
    expect(errorOf(card).message).toMatch(/not referenced/);
  });

  it("rejects a tab for an app that is not installed in the team", async () => {
    const { teamId, channelId } = await createdTeam();
    graph.uninstallApp(teamId, "com.microsoft.teamspace.tab.web");
    const res = await call("AddWebsiteTab", { teamId, channelId, body: { displayName: "CRM", configuration: { contentUrl: "https://crm.example", websiteUrl: "https://crm.example" } } });
    expect(res.status).toBe(400);
    expect(errorOf(res).message).toMatch(/not installed in team/);
  });

  it("rejects a group chat that leaves out the signed-in user", async () => {
    const res = await call("CreateGroupChat", { body: { topic: "T", members: [{ "user@odata.bind": userRef(ALEX) }, { "user@odata.bind": userRef("lee.gu@contoso.example") }] } });
    expect(errorOf(res).message).toMatch(/signed-in user must be one of the chat members/);
  });

  it("the connector sends no activity notifications: no Teams app ships to declare an activity type (issue 15 item 7)", () => {
    const swagger = JSON.stringify(JSON.parse(fs.readFileSync(path.join(__dirname, "../../../connector/apiDefinition.swagger.json"), "utf8")));
    const properties = JSON.stringify(JSON.parse(fs.readFileSync(path.join(__dirname, "../../../connector/apiProperties.json"), "utf8")));
    expect(swagger).not.toMatch(/sendActivityNotification|SendTeamActivityNotification|TeamsActivity\.Send/);
    expect(properties).not.toContain("TeamsActivity.Send");
  });

  it("requires ConsistencyLevel eventual for $search", async () => {
    const res = await fetch(`${graph.baseUrl}/v1.0/users?$search=${encodeURIComponent('"displayName:a"')}`, { headers: { Authorization: "Bearer t" } });
    expect(res.status).toBe(400);
  });

  it("answers 401 without a bearer token", async () => {
    expect((await fetch(`${graph.baseUrl}/v1.0/me/joinedTeams`)).status).toBe(401);
  });

  it("throttles on demand with 429 and Retry-After, then serves the retry", async () => {
    graph.throttle(1, 7, /joinedTeams/);
    const throttled = await call("ListMyTeams", {});
    expect(throttled.status).toBe(429);
    expect(throttled.headers["retry-after"]).toBe("7");
    expect(errorOf(throttled).code).toBe("TooManyRequests");
    expect((await call("ListMyTeams", {})).status).toBe(200);
  });

  it("loses the answer on demand after acting: 504 GatewayTimeout though the request was carried out, then answers again", async () => {
    graph.loseReplies(1, /^\/v1\.0\/teams$/, "POST");
    const lost = await call("CreateTeam", { body: { displayName: "Lost reply", channels: [{ displayName: "Sales" }] } });
    expect(lost.status).toBe(504);
    expect(errorOf(lost).code).toBe("GatewayTimeout");
    expect(graph.accepted.filter((r) => r.route === "POST /teams")).toHaveLength(1);
    const again = await call("CreateTeam", { body: { displayName: "Answered", channels: [{ displayName: "Sales" }] } });
    expect(again.status).toBe(202);
  });

  it("with granted scopes, refuses adding an owner under the non-owner member scope", async () => {
    await graph.close();
    graph = await startGraphStandIn({ grantedScopes: ["Team.ReadBasic.All", "TeamMember.ReadWriteNonOwnerRole.All"] });
    const team = graph.seedTeam("Seeded");
    expect((await call("AddTeamMember", { teamId: team.id, body: { "user@odata.bind": userRef(ALEX) } })).status).toBe(201);
    const owner = await call("AddTeamMember", { teamId: team.id, body: { "user@odata.bind": userRef("lee.gu@contoso.example"), roles: ["owner"] } });
    expect(owner.status).toBe(403);
    expect((await call("CreateOnlineMeeting", { body: { subject: "x", startDateTime: "2025-01-01T10:00:00Z", endDateTime: "2025-01-01T11:00:00Z" } })).status).toBe(403);
  });

  it("with granted scopes, reads the profile under User.Read and the primary channel under Channel.ReadBasic.All, and refuses both without", async () => {
    await graph.close();
    graph = await startGraphStandIn({ grantedScopes: ["User.Read", "Channel.ReadBasic.All"] });
    const team = graph.seedTeam("Seeded");
    expect((await call("GetMyProfile", {})).status).toBe(200);
    expect((await call("GetPrimaryChannel", { teamId: team.id })).status).toBe(200);
    await graph.close();
    graph = await startGraphStandIn({ grantedScopes: ["Team.ReadBasic.All", "Chat.Create"] });
    const other = graph.seedTeam("Seeded");
    expect((await call("GetMyProfile", {})).status).toBe(403);
    expect(errorOf(await call("GetPrimaryChannel", { teamId: other.id })).message).toMatch(/requires one of 'Channel\.ReadBasic\.All/);
  });

  it("turns a request the contract rejects into a 500 and records the violation", async () => {
    await graph.close();
    graph = await startGraphStandIn({ contract: (r) => (r.route === "GET /me/joinedTeams" ? ["not allowed in this test"] : []) });
    const res = await call("ListMyTeams", {});
    expect(res.status).toBe(500);
    expect(graph.violations).toHaveLength(1);
    graph.violations.length = 0;
  });
});
