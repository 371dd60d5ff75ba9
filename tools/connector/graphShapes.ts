/**
 * What Microsoft Graph v1.0 accepts in the request bodies our connector sends, written from Graph's
 * API reference (team-post, channel-post, conversationmember-add, chatmessage-post, chat-post,
 * channel-post-tabs, application-post-onlinemeetings, team-sendactivitynotification, team-archive).
 * Graph rejects a property its type does not define, a missing required one and a wrong type with
 * 400 BadRequest; the stand-in uses these shapes to do the same.
 */

export type Shape =
  | { kind: "string"; enum?: string[]; maxLength?: number; pattern?: RegExp; patternHint?: string }
  | { kind: "boolean" }
  | { kind: "int" }
  | { kind: "datetime" }
  | { kind: "object"; type: string; props: Record<string, Shape>; required?: string[] }
  | { kind: "array"; items: Shape; maxItems?: number };

const s = (extra: Partial<Extract<Shape, { kind: "string" }>> = {}): Shape => ({ kind: "string", ...extra });
const obj = (type: string, props: Record<string, Shape>, required: string[] = []): Shape => ({ kind: "object", type, props, required });
const arr = (items: Shape, maxItems?: number): Shape => ({ kind: "array", items, maxItems });

/** `users('<id or UPN>')`; a quote inside the key is doubled, as in every OData string literal (`o''brien@…`). */
export const USER_BIND = /^https:\/\/graph\.microsoft\.com\/v1\.0\/users\('((?:[^']|'')+)'\)$/;
export const TEMPLATE_BIND = /^https:\/\/graph\.microsoft\.com\/v1\.0\/teamsTemplates\('([^')]+)'\)$/;
/** Graph's docs show both the key form teamsApps('id') and the segment form teamsApps/id. */
export const TEAMS_APP_BIND = /^https:\/\/graph\.microsoft\.com\/v1\.0\/appCatalogs\/teamsApps(?:\('([^')]+)'\)|\/([^/?#]+))$/;

export function teamsAppIdFromBind(bind: string): string | undefined {
  const m = TEAMS_APP_BIND.exec(bind);
  return m ? (m[1] ?? m[2]) : undefined;
}

const conversationMember = obj(
  "microsoft.graph.aadUserConversationMember",
  {
    "@odata.type": s({ enum: ["#microsoft.graph.aadUserConversationMember"] }),
    roles: arr(s({ enum: ["owner", "guest"] })),
    "user@odata.bind": s({ pattern: USER_BIND, patternHint: "https://graph.microsoft.com/v1.0/users('{id}')" }),
    visibleHistoryStartDateTime: { kind: "datetime" },
  },
  ["@odata.type", "user@odata.bind"],
);

const itemBody = obj("microsoft.graph.itemBody", { content: s(), contentType: s({ enum: ["text", "html"] }) }, ["content"]);

const chatMessage = obj(
  "microsoft.graph.chatMessage",
  {
    subject: s(),
    summary: s(),
    body: itemBody,
    importance: s({ enum: ["normal", "high", "urgent"] }),
    attachments: arr(obj("microsoft.graph.chatMessageAttachment", { id: s(), contentType: s(), content: s(), contentUrl: s(), name: s(), thumbnailUrl: s(), teamsAppId: s() }, ["id", "contentType"])),
    mentions: arr(
      obj(
        "microsoft.graph.chatMessageMention",
        {
          id: { kind: "int" },
          mentionText: s(),
          mentioned: obj("microsoft.graph.chatMessageMentionedIdentitySet", {
            user: obj("microsoft.graph.teamworkUserIdentity", { id: s(), displayName: s(), userIdentityType: s({ enum: ["aadUser", "onPremiseAadUser", "anonymousGuest", "federatedUser", "personalMicrosoftAccountUser", "skypeUser", "phoneUser", "emailUser", "azureCommunicationServicesUser"] }) }, ["id"]),
          }),
        },
        ["id", "mentionText", "mentioned"],
      ),
    ),
  },
  ["body"],
);

export const SHAPES = {
  createTeam: obj("microsoft.graph.team", {
    "template@odata.bind": s({ pattern: TEMPLATE_BIND, patternHint: "https://graph.microsoft.com/v1.0/teamsTemplates('standard')" }),
    displayName: s({ maxLength: 256 }),
    description: s({ maxLength: 1024 }),
    visibility: s({ enum: ["private", "public"] }),
    firstChannelName: s({ maxLength: 50 }),
    classification: s(),
    specialization: s({ enum: ["none", "educationStandard", "educationClass", "educationProfessionalLearningCommunity", "educationStaff", "healthcareStandard", "healthcareCareCoordination"] }),
    channels: arr(obj("microsoft.graph.channel", { displayName: s({ maxLength: 50 }), description: s(), isFavoriteByDefault: { kind: "boolean" }, membershipType: s({ enum: ["standard"] }) }, ["displayName"])),
    members: arr(conversationMember),
    installedApps: arr(obj("microsoft.graph.teamsAppInstallation", { "teamsApp@odata.bind": s({ pattern: TEAMS_APP_BIND, patternHint: "https://graph.microsoft.com/v1.0/appCatalogs/teamsApps('{id}')" }) }, ["teamsApp@odata.bind"])),
  }, ["template@odata.bind", "displayName"]),
  createChannel: obj("microsoft.graph.channel", {
    displayName: s({ maxLength: 50 }),
    description: s({ maxLength: 1024 }),
    membershipType: s({ enum: ["standard", "private", "shared"] }),
    isFavoriteByDefault: { kind: "boolean" },
    layoutType: s({ enum: ["post", "chat"] }),
    members: arr(conversationMember),
  }, ["displayName"]),
  addMember: conversationMember,
  chatMessage,
  createChat: obj("microsoft.graph.chat", {
    chatType: s({ enum: ["oneOnOne", "group"] }),
    topic: s({ maxLength: 250 }),
    members: arr(conversationMember, 250),
  }, ["chatType", "members"]),
  createTab: obj("microsoft.graph.teamsTab", {
    displayName: s({ maxLength: 128 }),
    "teamsApp@odata.bind": s({ pattern: TEAMS_APP_BIND, patternHint: "https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/{id}" }),
    configuration: obj("microsoft.graph.teamsTabConfiguration", { entityId: s(), contentUrl: s(), websiteUrl: s(), removeUrl: s() }),
  }, ["displayName", "teamsApp@odata.bind"]),
  createMeeting: obj("microsoft.graph.onlineMeeting", {
    subject: s(),
    startDateTime: { kind: "datetime" },
    endDateTime: { kind: "datetime" },
    allowedPresenters: s({ enum: ["everyone", "organization", "roleIsPresenter", "organizer"] }),
    externalId: s(),
  }),
  sendActivityNotification: obj("sendActivityNotification parameters", {
    topic: obj("microsoft.graph.teamworkActivityTopic", { source: s({ enum: ["entityUrl", "text"] }), value: s(), webUrl: s() }, ["source", "value"]),
    activityType: s(),
    chainId: { kind: "int" },
    previewText: obj("microsoft.graph.itemBody", { content: s({ maxLength: 150 }), contentType: s({ enum: ["text"] }) }, ["content"]),
    teamsAppId: s(),
    templateParameters: arr(obj("microsoft.graph.keyValuePair", { name: s(), value: s() }, ["name", "value"])),
    recipient: obj("microsoft.graph.aadUserNotificationRecipient", { "@odata.type": s({ enum: ["microsoft.graph.aadUserNotificationRecipient", "#microsoft.graph.aadUserNotificationRecipient"] }), userId: s() }, ["@odata.type", "userId"]),
    iconId: s(),
  }, ["topic", "activityType", "previewText", "recipient"]),
  archive: obj("archive parameters", { shouldSetSpoSiteReadOnlyForMembers: { kind: "boolean" } }),
} satisfies Record<string, Shape>;

const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** Returns Graph's complaint about `value`, or undefined when Graph would accept it. */
export function checkShape(shape: Shape, value: unknown, where: string): string | undefined {
  switch (shape.kind) {
    case "string": {
      if (typeof value !== "string") return `${where}: expected a string, got ${JSON.stringify(value)}`;
      if (shape.enum && !shape.enum.includes(value)) return `${where}: '${value}' is not a valid value (allowed: ${shape.enum.join(", ")})`;
      if (shape.maxLength !== undefined && value.length > shape.maxLength) return `${where}: longer than ${shape.maxLength} characters`;
      if (shape.pattern && !shape.pattern.test(value)) return `${where}: '${value}' is not a valid reference; expected ${shape.patternHint ?? shape.pattern.source}`;
      return undefined;
    }
    case "boolean":
      return typeof value === "boolean" ? undefined : `${where}: expected a boolean, got ${JSON.stringify(value)}`;
    case "int":
      return typeof value === "number" && Number.isInteger(value) ? undefined : `${where}: expected an integer, got ${JSON.stringify(value)}`;
    case "datetime":
      return typeof value === "string" && ISO_WITH_ZONE.test(value) && !Number.isNaN(Date.parse(value)) ? undefined : `${where}: '${String(value)}' is not an ISO 8601 date and time with a time zone`;
    case "array": {
      if (!Array.isArray(value)) return `${where}: expected a collection, got ${JSON.stringify(value)}`;
      if (shape.maxItems !== undefined && value.length > shape.maxItems) return `${where}: at most ${shape.maxItems} items are allowed, got ${value.length}`;
      for (let i = 0; i < value.length; i++) {
        const problem = checkShape(shape.items, value[i], `${where}[${i}]`);
        if (problem) return problem;
      }
      return undefined;
    }
    case "object": {
      if (value === null || typeof value !== "object" || Array.isArray(value)) return `${where}: expected an object of type '${shape.type}'`;
      const record = value as Record<string, unknown>;
      for (const key of Object.keys(record)) {
        if (!(key in shape.props)) return `The property '${key}' does not exist on type '${shape.type}' (${where}). Make sure to only use property names that are defined by the type.`;
      }
      for (const key of shape.required ?? []) {
        if (record[key] === undefined || record[key] === null || record[key] === "") return `${where}: the required property '${key}' of type '${shape.type}' is missing`;
      }
      for (const [key, child] of Object.entries(shape.props)) {
        if (record[key] === undefined) continue;
        const problem = checkShape(child, record[key], `${where}.${key}`);
        if (problem) return problem;
      }
      return undefined;
    }
  }
}
