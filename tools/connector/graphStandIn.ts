/**
 * A loopback Microsoft Graph v1.0 stand-in for the connector's endpoints: an HTTP server on
 * 127.0.0.1 with in-memory teams, channels, chats and users. It answers like Graph (status codes,
 * the { error: { code, message, innerError } } shape, 202 + Location for team creation and archive)
 * and rejects what Graph rejects. Choices where Graph's documentation is silent are marked.
 *
 * The rules it enforces, each with the oracle entry it comes from. "E" is
 * ../shared/oracles/graph-teams/graph-teams-endpoints.json (`endpoints[id=…]`), "K" is
 * kibali-permissions-subset.json (`permissions.<scope>`), "C" is csdl-v1.0-teams-types.json (`<type>`).
 * The conformance suite (test/conformance/connector) reads those files at test time; nothing is copied here.
 * - Scopes, when `grantedScopes` is given: a route answers 403 unless one of the scopes Graph accepts for it is
 *   granted (ROUTE_SCOPES): E `endpoints[*].permissions.DelegatedWork`, K `permissions.*.pathSets`. Not in the
 *   oracles: `GET /me` (Graph's user-get page: User.Read and above) and `GET /teams/{id}/primaryChannel`
 *   (team-get-primarychannel page: Channel.ReadBasic.All, ChannelSettings.Read.All, ChannelSettings.ReadWrite.All).
 * - Adding or changing a team owner needs TeamMember.ReadWrite.All: E `addTeamMember.requestBody.documentedNotes[2]`,
 *   `addTeamMember.permissions`.
 * - Request bodies have the shape of their Graph type (graphShapes.ts): an unknown property, a missing required one
 *   or a wrong type is 400. Properties: C `team`, `channel`, `chat`, `chatMessage`, `chatMessageAttachment`,
 *   `chatMessageMention`, `itemBody`, `aadUserConversationMember`, `teamsTab`, `teamsTabConfiguration`, `onlineMeeting`,
 *   `aadUserNotificationRecipient`, `teamworkActivityTopic`, `keyValuePair`, `_actions`; required ones:
 *   E `*.requestBody.documentedRequired` (createChat: chatType, members; chat and channel messages: body).
 * - Every member (team, channel, chat, added member) is an aadUserConversationMember with `@odata.type` and
 *   `user@odata.bind` to users('id or UPN'): E `createChat.requestBody.annotations.members`, `createChat.example`,
 *   `createTeam.example2`, `addTeamMember.requestBody.documentedNotes[0]`, `addTeamMember.example`; a user the
 *   directory lacks is 404 (our choice of status).
 * - A new chat lists the caller among its members: E `createChat.requestBody.documentedNotes[1]`. A topic only for a
 *   group chat: `createChat.requestBody.documentedNotes[0]`. A group chat has at least two members and a oneOnOne
 *   chat exactly two, at most 250 members (not in the oracles: chat-post page).
 * - A chat message is posted only to an existing chat the caller is in: E `postChatMessage.requestBody.documentedNotes[1]`.
 * - Team creation: `template@odata.bind` to a teamsTemplates URL (E `createTeam.requestBody.annotations`,
 *   `createTeam.example`; only 'standard' exists here, our choice); 202 with Location and Content-Location
 *   (E `createTeam.response.headers`); the operation is polled at GET /teams/{id}/operations/{opId} until it
 *   succeeds (E `createTeam.response.note`, `relatedTypes.teamsAsyncOperation`); until then the team answers 404
 *   (E `createTeam.requestBody.documentedNotes[3]`). Apps in installedApps must be in the tenant catalogue (our choice).
 * - The General channel is the team's primaryChannel (C `team.properties.primaryChannel`; the endpoint is Graph's
 *   team-get-primarychannel page, not in the oracles). Graph documents no relation between `internalId` (C
 *   `team.properties.internalId`) and any channel id, so here they differ.
 * - Channels: a private or shared channel has exactly one owner among its members, who are team members; a standard
 *   channel takes no members: E `createChannel.requestBody.documentedNotes[1]`. Names unique and without the
 *   characters Teams refuses (not in the oracles: channel-post page).
 * - Messages: `<attachment id="X">` in the body for every attachment and back (E
 *   `postChannelMessage.requestBody.documentedNotes[3]`); an adaptive card attachment holds an AdaptiveCard JSON
 *   (`contentType` from C `chatMessageAttachment`; the card check is ours); `<at id="n">` and mentions[] match and
 *   need html (E `postChannelMessage.requestBody.documentedNotes[2]`); at most 28 KB (not in the oracles: Teams
 *   limits page; 413 is our choice).
 * - Tabs: the app must be installed in the team first (E `addChannelTab.requestBody.documentedNotes[0]`); a website
 *   tab needs https contentUrl and websiteUrl (E `addChannelTab.requestBody.documentedNotes[1]`; https is ours).
 * - Archive: optional body (E `archiveTeam.requestBody.documentedNotes[0]`), 202 + operation
 *   (`…documentedNotes[1]`); only an owner may archive, and an archived team refuses writes (not in the oracles:
 *   team-archive page).
 * - Users: $search needs `ConsistencyLevel: eventual` (E `listUsers.headers`); paging by @odata.nextLink
 *   (E `listUsers.documentedNotes[2]`); $top 1..999 and $select of known properties (C `user`).
 * - Online meetings: end after start (not in the oracles: our choice of check).
 * - The caller must be a member of a team to read or write it (not in the oracles: the team pages say only admins
 *   reach teams they are not in). Every request needs a bearer token (401), a body is JSON (415) and not on GET.
 *   Throttling answers 429 with Retry-After when a test asks for it.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { checkShape, SHAPES, teamsAppIdFromBind, TEMPLATE_BIND, USER_BIND, type Shape } from "./graphShapes";

export interface StandInUser {
  id: string;
  displayName: string;
  mail: string;
  userPrincipalName: string;
  jobTitle?: string;
}

export interface AcceptedRequest {
  /** Route template as Graph documents it, e.g. "POST /teams/{team-id}/channels". */
  route: string;
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: unknown;
}

export interface StandInOptions {
  /** The signed-in user the bearer token stands for; defaults to the first seeded user. */
  signedInUserId?: string;
  users?: StandInUser[];
  /** When given, a route answers 403 unless one of the scopes Graph accepts for it is granted. */
  grantedScopes?: string[];
  /** How many polls of a team operation report inProgress before it succeeds. */
  asyncPolls?: number;
  /** Page size for collections that page with @odata.nextLink. */
  pageSize?: number;
  /** Teams apps the tenant catalogue has; the Website app is always there. */
  appCatalog?: { id: string }[];
  /** Checks every request the stand-in accepts; problems turn the answer into a 500 and are kept in `violations`. */
  contract?: (request: AcceptedRequest) => string[];
}

export interface GraphStandIn {
  /** scheme://127.0.0.1:port; pass it as the request builder's baseUrl. */
  baseUrl: string;
  close(): Promise<void>;
  /** Requests that passed validation, in order. */
  accepted: AcceptedRequest[];
  violations: { request: AcceptedRequest; problems: string[] }[];
  /** The next `count` requests (matching `path` if given) get 429 with Retry-After. */
  throttle(count: number, retryAfterSeconds: number, path?: RegExp): void;
  /**
   * The next `count` requests (matching `method` and `path` if given) are carried out, and then their answer is lost:
   * the caller gets 504 GatewayTimeout although the team or chat now exists, as when a gateway times out after Graph acted.
   */
  loseReplies(count: number, path?: RegExp, method?: string): void;
  users: StandInUser[];
  signedInUserId: string;
  /** Read-only views of the in-memory state, for assertions. */
  team(id: string): TeamState | undefined;
  chat(id: string): ChatState | undefined;
  /** Creates a provisioned team directly (test set-up), owned by the signed-in user. */
  seedTeam(displayName: string, options?: { installedApps?: string[]; memberIds?: string[] }): TeamState;
  uninstallApp(teamId: string, appId: string): void;
}

export const WEBSITE_APP_ID = "com.microsoft.teamspace.tab.web";
export const MESSAGE_LIMIT_BYTES = 28 * 1024;

interface MessageState {
  id: string;
  replyToId: string | null;
  createdDateTime: string;
  body: { contentType: string; content: string };
  subject: string | null;
  importance: string;
  webUrl: string;
  chatId: string | null;
  replies: MessageState[];
}

interface ChannelState {
  id: string;
  displayName: string;
  description: string | null;
  membershipType: string;
  isFavoriteByDefault: boolean;
  createdDateTime: string;
  webUrl: string;
  messages: Map<string, MessageState>;
  tabs: { id: string; displayName: string; webUrl: string; appId: string; configuration: unknown }[];
}

export interface TeamState {
  id: string;
  displayName: string;
  description: string | null;
  visibility: string;
  isArchived: boolean;
  provisioned: boolean;
  createdDateTime: string;
  internalId: string;
  /** The General channel (Graph's team.primaryChannel). */
  primaryChannelId: string;
  webUrl: string;
  members: Map<string, string[]>;
  channels: Map<string, ChannelState>;
  installedApps: Set<string>;
}

export interface ChatState {
  id: string;
  topic: string | null;
  chatType: string;
  createdDateTime: string;
  webUrl: string;
  members: Map<string, string[]>;
  messages: Map<string, MessageState>;
}

interface AsyncOperation {
  id: string;
  teamId: string;
  operationType: "createTeam" | "archiveTeam";
  status: "notStarted" | "inProgress" | "succeeded" | "failed";
  pollsLeft: number;
  attemptsCount: number;
  createdDateTime: string;
  lastActionDateTime: string;
  complete: () => void;
}

class GraphError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly headers: Record<string, string> = {}) {
    super(message);
  }
}

const badRequest = (message: string) => new GraphError(400, "BadRequest", message);
const notFound = (message: string) => new GraphError(404, "NotFound", message);

export const DEFAULT_USERS: StandInUser[] = [
  { id: "5f0e1a2b-0000-4000-8000-000000000001", displayName: "Megan Bowen", mail: "megan.bowen@contoso.example", userPrincipalName: "megan.bowen@contoso.example", jobTitle: "Account Manager" },
  { id: "5f0e1a2b-0000-4000-8000-000000000002", displayName: "Alex Wilber", mail: "alex.wilber@contoso.example", userPrincipalName: "alex.wilber@contoso.example", jobTitle: "Sales Director" },
  { id: "5f0e1a2b-0000-4000-8000-000000000003", displayName: "王芳", mail: "wang.fang@contoso.example", userPrincipalName: "wang.fang@contoso.example", jobTitle: "客户经理" },
  { id: "5f0e1a2b-0000-4000-8000-000000000004", displayName: "Lee Gu", mail: "lee.gu@contoso.example", userPrincipalName: "lee.gu@contoso.example", jobTitle: "Support Engineer" },
  { id: "5f0e1a2b-0000-4000-8000-000000000005", displayName: "Contoso Finance", mail: "finance@contoso.example", userPrincipalName: "finance@contoso.example" },
];

/** Scopes Graph accepts per route (least privileged first), from Graph's permission tables. */
const ROUTE_SCOPES: Record<string, string[]> = {
  "POST /teams": ["Team.Create", "Group.ReadWrite.All", "Directory.ReadWrite.All"],
  "GET /teams/{team-id}": ["Team.ReadBasic.All", "TeamSettings.Read.All", "TeamSettings.ReadWrite.All", "Group.Read.All", "Group.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"],
  "GET /teams/{team-id}/operations/{operation-id}": ["Team.ReadBasic.All", "TeamSettings.Read.All", "TeamSettings.ReadWrite.All", "Group.Read.All", "Group.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"],
  "GET /me/joinedTeams": ["Team.ReadBasic.All", "TeamSettings.Read.All", "TeamSettings.ReadWrite.All", "User.Read.All", "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"],
  "GET /teams/{team-id}/primaryChannel": ["Channel.ReadBasic.All", "ChannelSettings.Read.All", "ChannelSettings.ReadWrite.All"],
  "GET /me": ["User.Read", "User.ReadWrite", "User.ReadBasic.All", "User.Read.All", "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"],
  "GET /teams/{team-id}/channels": ["Channel.ReadBasic.All", "ChannelSettings.Read.All", "ChannelSettings.ReadWrite.All", "Group.Read.All", "Group.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"],
  "POST /teams/{team-id}/channels": ["Channel.Create", "Group.ReadWrite.All", "Directory.ReadWrite.All"],
  "POST /teams/{team-id}/members": ["TeamMember.ReadWriteNonOwnerRole.All", "TeamMember.ReadWrite.All"],
  "POST /teams/{team-id}/channels/{channel-id}/messages": ["ChannelMessage.Send", "Group.ReadWrite.All"],
  "POST /teams/{team-id}/channels/{channel-id}/messages/{message-id}/replies": ["ChannelMessage.Send", "Group.ReadWrite.All"],
  "POST /chats": ["Chat.Create", "Chat.ReadWrite"],
  "POST /chats/{chat-id}/messages": ["ChatMessage.Send", "Chat.ReadWrite", "Group.ReadWrite.All"],
  "POST /teams/{team-id}/channels/{channel-id}/tabs": ["TeamsTab.Create", "TeamsTab.ReadWriteForTeam", "TeamsTab.ReadWrite.All", "Group.ReadWrite.All", "Directory.ReadWrite.All"],
  "POST /me/onlineMeetings": ["OnlineMeetings.ReadWrite"],
  "POST /teams/{team-id}/archive": ["TeamSettings.ReadWrite.All", "Group.ReadWrite.All", "Directory.ReadWrite.All"],
  "GET /users": ["User.ReadBasic.All", "User.Read.All", "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"],
};

/** Adding or changing an owner is outside TeamMember.ReadWriteNonOwnerRole.All, per its name and Graph's docs. */
const OWNER_SCOPES = ["TeamMember.ReadWrite.All"];

interface Route {
  method: string;
  template: string;
  pattern: RegExp;
  handle: (ctx: RouteContext) => Reply;
}

interface RouteContext {
  params: string[];
  query: URLSearchParams;
  headers: Record<string, string>;
  body: unknown;
  rawBodyBytes: number;
  accept: (body?: unknown) => void;
}

interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

const now = () => new Date().toISOString();

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function routePattern(template: string): RegExp {
  const escaped = template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\\?\{[^}]+\\?\}/g, "([^/]+)").replace(/\{[^}]+\}/g, "([^/]+)");
  return new RegExp(`^/v1\\.0${escaped}$`);
}

export async function startGraphStandIn(options: StandInOptions = {}): Promise<GraphStandIn> {
  const users = options.users ?? DEFAULT_USERS;
  const me = options.signedInUserId ?? users[0]?.id;
  if (!me || !users.some((u) => u.id === me)) throw new Error(`stand-in: signed-in user '${me}' is not among the users`);
  const asyncPolls = options.asyncPolls ?? 1;
  const pageSize = options.pageSize ?? 100;
  const catalog = new Set<string>([WEBSITE_APP_ID]);
  for (const app of options.appCatalog ?? []) catalog.add(app.id);

  const teams = new Map<string, TeamState>();
  const chats = new Map<string, ChatState>();
  const operations = new Map<string, AsyncOperation>();
  const accepted: AcceptedRequest[] = [];
  const violations: GraphStandIn["violations"] = [];
  const throttles: { remaining: number; retryAfter: number; path?: RegExp }[] = [];
  const lostReplies: { remaining: number; path?: RegExp; method?: string }[] = [];
  let baseUrl = "";
  // Teams message IDs are creation timestamps in milliseconds; keep them unique when posts share a millisecond.
  let messageSeq = 0;

  const findUser = (key: string) => users.find((u) => u.id === key || u.userPrincipalName.toLowerCase() === key.toLowerCase());

  const userFromBind = (bind: string, where: string): StandInUser => {
    const key = USER_BIND.exec(bind)?.[1]?.replace(/''/g, "'");
    const user = key ? findUser(key) : undefined;
    if (!user) throw notFound(`${where}: the user '${key ?? bind}' was not found in the directory`);
    return user;
  };

  const validate = (shape: Shape, body: unknown, where: string) => {
    const problem = checkShape(shape, body, where);
    if (problem) throw badRequest(problem);
  };

  const getTeam = (id: string, opts: { write?: boolean } = {}): TeamState => {
    const team = teams.get(id);
    // A team whose creation is still running is not visible yet, as with Graph's replication delay.
    if (!team?.provisioned) throw notFound(`No team found with Group Id ${id}`);
    if (!team.members.has(me)) throw new GraphError(403, "Forbidden", `The signed-in user is not a member of team ${id}`);
    if (opts.write && team.isArchived) throw new GraphError(403, "Forbidden", `Team ${id} is archived and read-only`);
    return team;
  };

  const getChannel = (team: TeamState, id: string): ChannelState => {
    const channel = team.channels.get(id);
    if (!channel) throw notFound(`Channel ${id} was not found in team ${team.id}`);
    return channel;
  };

  const newChannel = (teamId: string, displayName: string, description: string | null, membershipType: string, isFavoriteByDefault: boolean): ChannelState => {
    const id = `19:${randomUUID().replace(/-/g, "")}@thread.tacv2`;
    return {
      id, displayName, description, membershipType, isFavoriteByDefault, createdDateTime: now(),
      webUrl: `https://teams.microsoft.com/l/channel/${encodeURIComponent(id)}/${encodeURIComponent(displayName)}?groupId=${teamId}`,
      messages: new Map(), tabs: [],
    };
  };

  const createTeamState = (displayName: string, description: string | null, visibility: string, provisioned: boolean): TeamState => {
    const id = randomUUID();
    const internalId = `19:${randomUUID().replace(/-/g, "")}@thread.tacv2`;
    const team: TeamState = {
      id, displayName, description, visibility, isArchived: false, provisioned, createdDateTime: now(), internalId, primaryChannelId: "",
      webUrl: `https://teams.microsoft.com/l/team/${encodeURIComponent(internalId)}/conversations?groupId=${id}`,
      members: new Map([[me, ["owner"]]]), channels: new Map(), installedApps: new Set([WEBSITE_APP_ID]),
    };
    // Graph documents no relation between a team's internalId and its General channel's id; they differ here so that
    // nothing comes to rely on one (GET /teams/{id}/primaryChannel is how Graph documents finding General).
    const general = newChannel(id, "General", null, "standard", true);
    team.primaryChannelId = general.id;
    team.channels.set(general.id, general);
    teams.set(id, team);
    return team;
  };

  const startOperation = (team: TeamState, operationType: AsyncOperation["operationType"], complete: () => void): Reply => {
    const op: AsyncOperation = { id: randomUUID(), teamId: team.id, operationType, status: "notStarted", pollsLeft: asyncPolls, attemptsCount: 1, createdDateTime: now(), lastActionDateTime: now(), complete };
    operations.set(op.id, op);
    return {
      status: 202,
      headers: { Location: `/teams('${team.id}')/operations('${op.id}')`, "Content-Location": `/teams('${team.id}')` },
    };
  };

  const channelNameProblem = (team: TeamState, name: string): string | undefined => {
    if (/[~#%&*{}+/\\:<>?|'"]/.test(name) || name.includes("..") || name.startsWith("_") || name.endsWith(".")) return `Channel name '${name}' contains characters Teams does not allow`;
    if ([...team.channels.values()].some((c) => c.displayName.toLowerCase() === name.toLowerCase())) return `Channel name already existed, please use other name: '${name}'`;
    return undefined;
  };

  const membersFrom = (list: unknown[], where: string): Map<string, string[]> => {
    const out = new Map<string, string[]>();
    list.forEach((m, i) => {
      const member = m as { "user@odata.bind": string; roles?: string[] };
      const user = userFromBind(member["user@odata.bind"], `${where}[${i}]`);
      out.set(user.id, member.roles ?? []);
    });
    return out;
  };

  const validateMessage = (body: unknown, rawBytes: number): MessageState["body"] & { subject: string | null; importance: string } => {
    // Graph documents a ~28 KB limit for the whole message (text, mentions, cards); over it the post fails.
    // 413 is our choice of status for that failure.
    if (rawBytes > MESSAGE_LIMIT_BYTES) throw new GraphError(413, "RequestEntityTooLarge", `The message is ${rawBytes} bytes; Teams accepts at most ${MESSAGE_LIMIT_BYTES} bytes (28 KB) per message`);
    validate(SHAPES.chatMessage, body, "chatMessage");
    const msg = body as { body: { content: string; contentType?: string }; subject?: string; importance?: string; attachments?: { id: string; contentType: string; content?: string }[]; mentions?: { id: number; mentioned: { user?: { id: string } } }[] };
    const content = msg.body.content;
    const referenced = [...content.matchAll(/<attachment id="([^"]+)"><\/attachment>/g)].map((m) => m[1]);
    const attachmentIds = (msg.attachments ?? []).map((a) => a.id);
    for (const id of referenced) if (!attachmentIds.includes(id)) throw badRequest(`The message body references attachment '${id}', which is not in attachments`);
    for (const a of msg.attachments ?? []) {
      if (!referenced.includes(a.id)) throw badRequest(`Attachment '${a.id}' is not referenced in the message body with <attachment id="${a.id}"></attachment>`);
      if (a.contentType === "application/vnd.microsoft.card.adaptive") {
        let card: { type?: unknown } | undefined;
        try {
          card = JSON.parse(a.content ?? "") as { type?: unknown };
        } catch {
          throw badRequest(`Attachment '${a.id}': the adaptive card content is not valid JSON`);
        }
        if (card?.type !== "AdaptiveCard") throw badRequest(`Attachment '${a.id}': the adaptive card content must have "type": "AdaptiveCard"`);
      }
    }
    const atIds = [...content.matchAll(/<at id="(\d+)">/g)].map((m) => Number(m[1]));
    for (const mention of msg.mentions ?? []) {
      if (!atIds.includes(mention.id)) throw badRequest(`Mention ${mention.id} has no matching <at id="${mention.id}"> in the message body`);
      const userId = mention.mentioned.user?.id;
      if (!userId || !findUser(userId)) throw badRequest(`Mention ${mention.id}: the mentioned user '${userId ?? ""}' was not found`);
    }
    for (const id of atIds) if (!(msg.mentions ?? []).some((m) => m.id === id)) throw badRequest(`<at id="${id}"> in the message body has no entry in mentions`);
    if (atIds.length > 0 && msg.body.contentType !== "html") throw badRequest("Mentions need body.contentType html");
    return { content, contentType: msg.body.contentType ?? "text", subject: msg.subject ?? null, importance: msg.importance ?? "normal" };
  };

  const newMessage = (parsed: ReturnType<typeof validateMessage>, webUrlBase: string, replyToId: string | null, chatId: string | null): MessageState => {
    messageSeq = Math.max(messageSeq + 1, Date.now());
    const id = String(messageSeq);
    return {
      id, replyToId, createdDateTime: now(), body: { content: parsed.content, contentType: parsed.contentType }, subject: parsed.subject,
      importance: parsed.importance, webUrl: `${webUrlBase}/${id}`, chatId, replies: [],
    };
  };

  const messageJson = (m: MessageState) => ({
    id: m.id, replyToId: m.replyToId, messageType: "message", createdDateTime: m.createdDateTime, subject: m.subject, importance: m.importance,
    webUrl: m.webUrl, chatId: m.chatId, body: m.body, from: { user: { id: me, displayName: findUser(me)?.displayName, userIdentityType: "aadUser" } },
  });

  const channelJson = (c: ChannelState) => ({ id: c.id, displayName: c.displayName, description: c.description, membershipType: c.membershipType, isFavoriteByDefault: c.isFavoriteByDefault, webUrl: c.webUrl, createdDateTime: c.createdDateTime });

  const page = <T>(items: T[], query: URLSearchParams, path: string, size: number): { value: T[]; "@odata.nextLink"?: string } => {
    const skip = Number(query.get("$skiptoken") ?? "0");
    if (!Number.isInteger(skip) || skip < 0) throw badRequest(`$skiptoken '${query.get("$skiptoken")}' is not valid`);
    const value = items.slice(skip, skip + size);
    if (skip + size >= items.length) return { value };
    const next = new URLSearchParams(query);
    next.set("$skiptoken", String(skip + size));
    return { value, "@odata.nextLink": `${baseUrl}${path}?${next.toString()}` };
  };

  const requireScopes = (route: string, extra?: string[]) => {
    if (!options.grantedScopes) return;
    const accepted = extra ?? ROUTE_SCOPES[route] ?? [];
    if (!accepted.some((s) => options.grantedScopes?.includes(s))) {
      throw new GraphError(403, "Forbidden", `Missing scope permissions on the request. API requires one of '${accepted.join(", ")}'. Scopes on the request '${options.grantedScopes.join(", ")}'`);
    }
  };

  const routeDefs: Omit<Route, "pattern">[] = [
    {
      method: "POST", template: "/teams",
      handle: ({ body, accept }) => {
        validate(SHAPES.createTeam, body, "team");
        const b = body as { "template@odata.bind": string; displayName: string; description?: string; visibility?: string; firstChannelName?: string; channels?: { displayName: string; description?: string; isFavoriteByDefault?: boolean }[]; members?: unknown[]; installedApps?: { "teamsApp@odata.bind": string }[] };
        const template = TEMPLATE_BIND.exec(b["template@odata.bind"])?.[1];
        if (template !== "standard") throw badRequest(`Template '${template}' is not available in this tenant; use 'standard'`);
        const members = membersFrom(b.members ?? [], "team.members");
        const apps = (b.installedApps ?? []).map((a, i) => {
          const appId = teamsAppIdFromBind(a["teamsApp@odata.bind"]) ?? "";
          if (!catalog.has(appId)) throw notFound(`team.installedApps[${i}]: the app '${appId}' is not in the tenant app catalog`);
          return appId;
        });
        const team = createTeamState(b.displayName, b.description ?? null, b.visibility ?? "public", false);
        if (b.firstChannelName) getGeneral(team).displayName = b.firstChannelName;
        for (const [i, c] of (b.channels ?? []).entries()) {
          const problem = channelNameProblem(team, c.displayName);
          if (problem) {
            teams.delete(team.id);
            throw badRequest(`team.channels[${i}]: ${problem}`);
          }
          const channel = newChannel(team.id, c.displayName, c.description ?? null, "standard", c.isFavoriteByDefault ?? false);
          team.channels.set(channel.id, channel);
        }
        for (const [id, roles] of members) team.members.set(id, id === me ? ["owner"] : roles);
        apps.forEach((a) => team.installedApps.add(a));
        accept();
        return startOperation(team, "createTeam", () => {
          team.provisioned = true;
        });
      },
    },
    {
      method: "GET", template: "/teams/{team-id}/operations/{operation-id}",
      handle: ({ params: [teamId, opId], accept }) => {
        const op = operations.get(opId);
        if (op?.teamId !== teamId || !op) throw notFound(`Operation ${opId} was not found for team ${teamId}`);
        accept();
        if (op.status !== "succeeded") {
          if (op.pollsLeft > 0) {
            op.pollsLeft--;
            op.status = "inProgress";
          } else {
            op.status = "succeeded";
            op.complete();
          }
          op.lastActionDateTime = now();
        }
        return {
          status: 200,
          body: {
            id: op.id, operationType: op.operationType, status: op.status, createdDateTime: op.createdDateTime, lastActionDateTime: op.lastActionDateTime,
            attemptsCount: op.attemptsCount, targetResourceId: op.teamId, targetResourceLocation: `/teams('${op.teamId}')`, error: null,
          },
        };
      },
    },
    {
      method: "GET", template: "/teams/{team-id}",
      handle: ({ params: [teamId], accept }) => {
        const t = getTeam(teamId);
        accept();
        return { status: 200, body: { id: t.id, displayName: t.displayName, description: t.description, visibility: t.visibility, isArchived: t.isArchived, webUrl: t.webUrl, createdDateTime: t.createdDateTime, internalId: t.internalId, tenantId: "00000000-0000-0000-0000-0000000000aa" } };
      },
    },
    {
      method: "GET", template: "/me/joinedTeams",
      handle: ({ query, accept }) => {
        const mine = [...teams.values()].filter((t) => t.provisioned && t.members.has(me)).map((t) => ({ id: t.id, displayName: t.displayName, description: t.description }));
        accept();
        return { status: 200, body: page(mine, query, "/v1.0/me/joinedTeams", pageSize) };
      },
    },
    {
      method: "GET", template: "/teams/{team-id}/channels",
      handle: ({ params: [teamId], query, accept }) => {
        const t = getTeam(teamId);
        accept();
        return { status: 200, body: page([...t.channels.values()].map(channelJson), query, `/v1.0/teams/${encodeURIComponent(teamId)}/channels`, pageSize) };
      },
    },
    {
      method: "GET", template: "/teams/{team-id}/primaryChannel",
      handle: ({ params: [teamId], accept }) => {
        const t = getTeam(teamId);
        accept();
        return { status: 200, body: { "@odata.context": `https://graph.microsoft.com/v1.0/$metadata#teams('${t.id}')/primaryChannel/$entity`, ...channelJson(getGeneral(t)) } };
      },
    },
    {
      method: "GET", template: "/me",
      handle: ({ accept }) => {
        const user = findUser(me);
        accept();
        return {
          status: 200,
          body: { "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users/$entity", id: me, displayName: user?.displayName ?? null, mail: user?.mail ?? null, userPrincipalName: user?.userPrincipalName ?? null, jobTitle: user?.jobTitle ?? null },
        };
      },
    },
    {
      method: "POST", template: "/teams/{team-id}/channels",
      handle: ({ params: [teamId], body, accept }) => {
        const t = getTeam(teamId, { write: true });
        validate(SHAPES.createChannel, body, "channel");
        const b = body as { displayName: string; description?: string; membershipType?: string; isFavoriteByDefault?: boolean; members?: unknown[] };
        const problem = channelNameProblem(t, b.displayName);
        if (problem) throw badRequest(problem);
        const type = b.membershipType ?? "standard";
        if (type === "standard" && b.members?.length) throw badRequest("members can only be given for private or shared channels");
        if (type !== "standard") {
          const members = membersFrom(b.members ?? [], "channel.members");
          const owners = [...members.values()].filter((r) => r.includes("owner")).length;
          if (owners !== 1) throw badRequest(`A ${type} channel needs exactly one owner in members; ${owners} given`);
          for (const id of members.keys()) if (!t.members.has(id)) throw badRequest(`User ${id} must be a member of the team before joining a ${type} channel`);
        }
        accept();
        const channel = newChannel(t.id, b.displayName, b.description ?? null, type, b.isFavoriteByDefault ?? false);
        t.channels.set(channel.id, channel);
        return { status: 201, body: channelJson(channel) };
      },
    },
    {
      method: "POST", template: "/teams/{team-id}/members",
      handle: ({ params: [teamId], body, accept }) => {
        const t = getTeam(teamId, { write: true });
        validate(SHAPES.addMember, body, "conversationMember");
        const b = body as { "user@odata.bind": string; roles?: string[] };
        const user = userFromBind(b["user@odata.bind"], "conversationMember");
        const roles = b.roles ?? [];
        const wasOwner = t.members.get(user.id)?.includes("owner") ?? false;
        if (roles.includes("owner") || wasOwner) requireScopes("", OWNER_SCOPES);
        accept();
        t.members.set(user.id, roles);
        return { status: 201, body: { "@odata.type": "#microsoft.graph.aadUserConversationMember", id: `${t.id}_${user.id}`, displayName: user.displayName, roles, userId: user.id, email: user.mail, tenantId: "00000000-0000-0000-0000-0000000000aa" } };
      },
    },
    {
      method: "POST", template: "/teams/{team-id}/channels/{channel-id}/messages",
      handle: ({ params: [teamId, channelId], body, rawBodyBytes, accept }) => {
        const t = getTeam(teamId, { write: true });
        const c = getChannel(t, channelId);
        const parsed = validateMessage(body, rawBodyBytes);
        accept();
        const m = newMessage(parsed, c.webUrl.split("?")[0], null, null);
        c.messages.set(m.id, m);
        return { status: 201, body: messageJson(m) };
      },
    },
    {
      method: "POST", template: "/teams/{team-id}/channels/{channel-id}/messages/{message-id}/replies",
      handle: ({ params: [teamId, channelId, messageId], body, rawBodyBytes, accept }) => {
        const t = getTeam(teamId, { write: true });
        const c = getChannel(t, channelId);
        const parent = c.messages.get(messageId);
        if (!parent) throw notFound(`Message ${messageId} was not found in channel ${channelId}`);
        const parsed = validateMessage(body, rawBodyBytes);
        accept();
        const m = newMessage(parsed, c.webUrl.split("?")[0], parent.id, null);
        parent.replies.push(m);
        return { status: 201, body: messageJson(m) };
      },
    },
    {
      method: "POST", template: "/chats",
      handle: ({ body, accept }) => {
        validate(SHAPES.createChat, body, "chat");
        const b = body as { chatType: string; topic?: string; members: unknown[] };
        const members = membersFrom(b.members, "chat.members");
        if (!members.has(me)) throw badRequest("The signed-in user must be one of the chat members");
        if (b.chatType === "oneOnOne" && (members.size !== 2 || b.topic)) throw badRequest("A oneOnOne chat has exactly two members and no topic");
        if (b.chatType === "group" && members.size < 2) throw badRequest("A group chat needs at least two members");
        accept();
        const id = `19:${randomUUID().replace(/-/g, "")}@thread.v2`;
        const chat: ChatState = { id, topic: b.topic ?? null, chatType: b.chatType, createdDateTime: now(), webUrl: `https://teams.microsoft.com/l/chat/${encodeURIComponent(id)}/0`, members, messages: new Map() };
        chats.set(id, chat);
        return { status: 201, body: { id, topic: chat.topic, chatType: chat.chatType, createdDateTime: chat.createdDateTime, webUrl: chat.webUrl, tenantId: "00000000-0000-0000-0000-0000000000aa" } };
      },
    },
    {
      method: "POST", template: "/chats/{chat-id}/messages",
      handle: ({ params: [chatId], body, rawBodyBytes, accept }) => {
        const chat = chats.get(chatId);
        if (!chat?.members.has(me)) throw notFound(`Chat ${chatId} was not found`);
        const parsed = validateMessage(body, rawBodyBytes);
        accept();
        const m = newMessage(parsed, chat.webUrl, null, chat.id);
        chat.messages.set(m.id, m);
        return { status: 201, body: messageJson(m) };
      },
    },
    {
      method: "POST", template: "/teams/{team-id}/channels/{channel-id}/tabs",
      handle: ({ params: [teamId, channelId], body, accept }) => {
        const t = getTeam(teamId, { write: true });
        const c = getChannel(t, channelId);
        validate(SHAPES.createTab, body, "teamsTab");
        const b = body as { displayName: string; "teamsApp@odata.bind": string; configuration?: { contentUrl?: string; websiteUrl?: string } };
        const appId = teamsAppIdFromBind(b["teamsApp@odata.bind"]) ?? "";
        // Graph requires the app to be installed in the team first; 400 is our choice of status.
        if (!t.installedApps.has(appId)) throw badRequest(`The app '${appId}' is not installed in team ${t.id}; install it before adding its tab`);
        if (appId === WEBSITE_APP_ID) {
          for (const key of ["contentUrl", "websiteUrl"] as const) {
            const url = b.configuration?.[key];
            if (!url || !/^https:\/\/[^\s]+$/.test(url)) throw badRequest(`teamsTab.configuration.${key} must be an https URL for a website tab`);
          }
        }
        accept();
        const tab = { id: randomUUID(), displayName: b.displayName, appId, configuration: b.configuration ?? null, webUrl: `${c.webUrl.split("?")[0]}/tab::${randomUUID()}` };
        c.tabs.push(tab);
        return { status: 201, body: { id: tab.id, displayName: tab.displayName, webUrl: tab.webUrl, configuration: tab.configuration } };
      },
    },
    {
      method: "POST", template: "/me/onlineMeetings",
      handle: ({ body, accept }) => {
        validate(SHAPES.createMeeting, body, "onlineMeeting");
        const b = body as { subject?: string; startDateTime?: string; endDateTime?: string; allowedPresenters?: string };
        if (b.startDateTime && b.endDateTime && Date.parse(b.endDateTime) <= Date.parse(b.startDateTime)) throw badRequest("onlineMeeting.endDateTime must be after startDateTime");
        accept();
        const id = `MSo${randomUUID().replace(/-/g, "")}`;
        return {
          status: 201,
          body: {
            id, subject: b.subject ?? null, startDateTime: b.startDateTime ?? now(), endDateTime: b.endDateTime ?? now(), creationDateTime: now(),
            joinWebUrl: `https://teams.microsoft.com/l/meetup-join/19%3ameeting_${id}%40thread.v2/0`, allowedPresenters: b.allowedPresenters ?? "everyone",
            participants: { organizer: { upn: findUser(me)?.userPrincipalName, role: "presenter", identity: { user: { id: me } } }, attendees: [] },
          },
        };
      },
    },
    {
      method: "POST", template: "/teams/{team-id}/archive",
      handle: ({ params: [teamId], body, accept }) => {
        const t = getTeam(teamId);
        if (body !== undefined) validate(SHAPES.archive, body, "archive");
        if (!t.members.get(me)?.includes("owner")) throw new GraphError(403, "Forbidden", `Only an owner can archive team ${t.id}`);
        accept();
        return startOperation(t, "archiveTeam", () => {
          t.isArchived = true;
        });
      },
    },
    {
      method: "GET", template: "/users",
      handle: ({ query, headers, accept }) => {
        const search = query.get("$search");
        let found = users;
        if (search !== null) {
          if ((headers.consistencylevel ?? "").toLowerCase() !== "eventual") throw badRequest("Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'");
          const clauses = search.split(/\s+OR\s+/);
          const parsed = clauses.map((c) => /^"(displayName|mail|userPrincipalName|givenName|surname|jobTitle):([^"]*)"$/.exec(c.trim()));
          if (parsed.some((p) => !p)) throw badRequest(`Syntax error in $search '${search}': use "property:value" with double quotes`);
          found = users.filter((u) => parsed.some((p) => {
            const value = String(u[p?.[1] as keyof StandInUser] ?? "").toLowerCase();
            const term = (p?.[2] ?? "").toLowerCase();
            return value.split(/[\s.@_-]+/).some((token) => token.startsWith(term)) || value.startsWith(term);
          }));
        }
        const topText = query.get("$top");
        const top = topText === null ? pageSize : Number(topText);
        if (!Number.isInteger(top) || top < 1 || top > 999) throw badRequest(`Invalid page size specified: '${topText}'. Must be between 1 and 999 inclusive.`);
        const select = query.get("$select")?.split(",").map((x) => x.trim());
        const known = ["id", "displayName", "mail", "userPrincipalName", "jobTitle"];
        for (const field of select ?? []) if (!known.includes(field)) throw badRequest(`Could not find a property named '${field}' on type 'microsoft.graph.user'`);
        const shaped = found.map((u) => Object.fromEntries((select ?? known).map((k) => [k, u[k as keyof StandInUser] ?? null])));
        accept();
        return { status: 200, body: { "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users", ...page(shaped, query, "/v1.0/users", top) } };
      },
    },
  ];
  const routes: Route[] = routeDefs.map((r) => ({ ...r, pattern: routePattern(r.template) }));

  function getGeneral(team: TeamState): ChannelState {
    return getChannel(team, team.primaryChannelId);
  }

  const sendJson = (res: ServerResponse, reply: Reply, requestId: string) => {
    const headers: Record<string, string> = { "request-id": requestId, "client-request-id": requestId, ...(reply.headers ?? {}) };
    if (reply.body === undefined) {
      res.writeHead(reply.status, { ...headers, "Content-Length": "0" });
      res.end();
      return;
    }
    const text = JSON.stringify(reply.body);
    res.writeHead(reply.status, { ...headers, "Content-Type": "application/json; odata.metadata=minimal; charset=utf-8", "Content-Length": String(Buffer.byteLength(text)) });
    res.end(text);
  };

  const errorReply = (e: GraphError, requestId: string): Reply => ({
    status: e.status,
    headers: e.headers,
    body: { error: { code: e.code, message: e.message, innerError: { date: now().replace(/\.\d+Z$/, ""), "request-id": requestId, "client-request-id": requestId } } },
  });

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const requestId = randomUUID();
    try {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const raw = await readBody(req);
      const throttle = throttles.find((t) => t.remaining > 0 && (!t.path || t.path.test(url.pathname)));
      if (throttle) {
        throttle.remaining--;
        throw new GraphError(429, "TooManyRequests", "Too many requests. Retry after the time in the Retry-After header.", { "Retry-After": String(throttle.retryAfter) });
      }
      if (!/^Bearer \S+/.test(req.headers.authorization ?? "")) throw new GraphError(401, "InvalidAuthenticationToken", "Access token is empty.");
      const method = (req.method ?? "GET").toUpperCase();
      const candidates = routes.filter((r) => r.pattern.test(url.pathname));
      if (candidates.length === 0) throw badRequest(`Resource not found for the segment '${url.pathname.replace(/^\/v1\.0/, "").split("/").filter(Boolean).pop() ?? ""}'.`);
      const route = candidates.find((r) => r.method === method);
      if (!route) throw new GraphError(405, "Request_BadRequest", `Specified HTTP method '${method}' is not allowed for the request target`);
      const routeKey = `${route.method} ${route.template}`;
      requireScopes(routeKey);
      let body: unknown;
      if (raw.length > 0) {
        if (method === "GET") throw badRequest("A GET request cannot have a body");
        if (!(req.headers["content-type"] ?? "").includes("application/json")) throw new GraphError(415, "UnsupportedMediaType", "Content-Type must be application/json");
        try {
          body = JSON.parse(raw.toString("utf8"));
        } catch {
          throw badRequest("Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.");
        }
      }
      const params = (route.pattern.exec(url.pathname) ?? []).slice(1).map((p) => decodeURIComponent(p));
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string" && k !== "authorization") headers[k] = v;
      let violation: string[] = [];
      const accept = () => {
        const record: AcceptedRequest = { route: routeKey, method, path: url.pathname, query: Object.fromEntries(url.searchParams), headers, body };
        accepted.push(record);
        violation = options.contract ? options.contract(record) : [];
        if (violation.length) {
          violations.push({ request: record, problems: violation });
          throw new GraphError(500, "StandInContractViolation", `The stand-in accepted a request the Graph contract rejects: ${violation.join("; ")}`);
        }
      };
      const reply = route.handle({ params, query: url.searchParams, headers, body, rawBodyBytes: raw.length, accept });
      const lost = reply.status < 300 ? lostReplies.find((l) => l.remaining > 0 && (!l.path || l.path.test(url.pathname)) && (!l.method || l.method.toUpperCase() === method)) : undefined;
      if (lost) {
        lost.remaining--;
        throw new GraphError(504, "GatewayTimeout", "The gateway did not receive a response from the service in time.");
      }
      sendJson(res, reply, requestId);
    } catch (e) {
      const error = e instanceof GraphError ? e : new GraphError(500, "InternalServerError", (e as Error).message);
      sendJson(res, errorReply(error, requestId), requestId);
    }
  };

  const server = createServer((req, res) => {
    void handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    baseUrl,
    accepted,
    violations,
    users,
    signedInUserId: me,
    close: () => new Promise<void>((resolve, reject) => {
      server.closeAllConnections();
      server.close((err) => (err ? reject(err) : resolve()));
    }),
    throttle: (count, retryAfterSeconds, path) => {
      throttles.push({ remaining: count, retryAfter: retryAfterSeconds, path });
    },
    loseReplies: (count, path, method) => {
      lostReplies.push({ remaining: count, path, method });
    },
    team: (id) => teams.get(id),
    chat: (id) => chats.get(id),
    seedTeam: (displayName, seed = {}) => {
      const team = createTeamState(displayName, null, "private", true);
      for (const app of seed.installedApps ?? []) team.installedApps.add(app);
      for (const id of seed.memberIds ?? []) team.members.set(id, []);
      return team;
    },
    uninstallApp: (teamId, appId) => {
      teams.get(teamId)?.installedApps.delete(appId);
    },
  };
}
