/**
 * Microsoft Teams deep links, built in one place so every parameter is encoded the same way. Values go through
 * `encodeURIComponent` (CJK, emoji, `&`, `#`, `?`, `%` and quotes all survive as data, never as URL syntax); the
 * commas that separate users are the only unencoded separators, which is why a user id may never contain one.
 *
 * Formats are Microsoft's documented deep links: chat `/l/chat/0/0?users=&topicName=&message=`, meeting
 * `/l/meeting/new?subject=&attendees=&startTime=&endTime=&content=`, share-to-Teams `/share?href=&msgText=`, and the
 * `webUrl` shapes Graph returns for teams, channels and chats.
 */

export const TEAMS_WEB_ORIGIN = "https://teams.microsoft.com";

/**
 * Hosts of Teams deep links: teams.microsoft.com, which Microsoft's documentation says a deep link must start with, and
 * teams.cloud.microsoft, the domain Microsoft is moving Teams to, whose "Copy link" gives the same `/l/` paths. One list
 * for what we open in the Teams client and for what we accept from stored data.
 */
const TEAMS_LINK_HOSTS = ["teams.microsoft.com", "teams.cloud.microsoft"];

export class TeamsLinkError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = "TeamsLinkError";
  }
}

/**
 * A user as a deep link accepts one: a user principal name (or email-shaped address) or an Entra ID object id.
 * Commas, semicolons and whitespace are refused because they would split or break the `users=` list.
 */
export function isTeamsUserId(value: string): boolean {
  return /^[^\s,;@<>"]+@[^\s,;@<>"]+\.[^\s,;@<>"]+$/.test(value) || /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}

/** Unique users, case-insensitively, in first-seen order; throws on one that is not a valid id. */
function userList(field: string, users: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of users) {
    const user = raw.trim();
    if (!isTeamsUserId(user)) throw new TeamsLinkError(field, `${field}: '${raw}' is not a user principal name or object id`);
    const key = user.toLowerCase();
    if (!seen.has(key)) {
      seen.add(key);
      out.push(user);
    }
  }
  return out;
}

function query(params: readonly (readonly [string, string | undefined])[]): string {
  const parts = params
    .filter((p): p is readonly [string, string] => p[1] !== undefined && p[1] !== "")
    .map(([key, value]) => `${key}=${value}`);
  return parts.length === 0 ? "" : `?${parts.join("&")}`;
}

/**
 * `encodeURIComponent` plus the RFC 3986 sub-delimiters it leaves alone (`!'()*`), so a quote or parenthesis from
 * customer data never reaches a link as syntax that an HTML attribute or a sloppy parser could misread.
 */
export function encodeStrict(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

const enc = (value: string | undefined): string | undefined => (value === undefined ? undefined : encodeStrict(value));
const encUsers = (users: readonly string[]): string => users.map(encodeStrict).join(",");

/** Teams caps chat topics and messages far below URL limits; trimming keeps a long customer name from failing the link. */
const MAX_TOPIC = 250;
const MAX_MESSAGE = 1000;

/**
 * `Intl.Segmenter`, typed here because the controls compile with pcf-scripts' TypeScript library settings, which
 * predate it (every browser Dynamics 365 and Teams support has it).
 */
type GraphemeSegmenter = new (locale: undefined, options: { granularity: "grapheme" }) => { segment(text: string): Iterable<{ segment: string }> };
function segmenter(): GraphemeSegmenter | undefined {
  const candidate = typeof Intl === "undefined" ? undefined : (Intl as unknown as { Segmenter?: unknown }).Segmenter;
  return typeof candidate === "function" ? (candidate as GraphemeSegmenter) : undefined;
}

/** User-perceived characters (extended grapheme clusters): an emoji with skin tone or ZWJ, a flag, a letter with its combining marks. */
export function graphemes(text: string): string[] {
  const Segmenter = segmenter();
  if (Segmenter !== undefined) return Array.from(new Segmenter(undefined, { granularity: "grapheme" }).segment(text), (s) => s.segment);
  // Without Intl.Segmenter (no supported host lacks it) code points are the next best: a surrogate pair is never split.
  return Array.from(text);
}

/**
 * At most `max` user-perceived characters, the last of them "…" when the text was cut. The cut falls between grapheme
 * clusters, so 👩🏽‍💻, 🇨🇳 or a CJK character with combining marks is kept whole or dropped whole, never split.
 */
export function clipText(text: string, max: number): string {
  const chars = graphemes(text);
  return chars.length <= max ? text : `${chars.slice(0, Math.max(0, max - 1)).join("")}…`;
}

function clip(text: string | undefined, max: number): string | undefined {
  return text === undefined ? undefined : clipText(text.trim(), max);
}

export interface ChatLinkOptions {
  /** The other participants; the signed-in user is added by Teams. */
  readonly users: readonly string[];
  /** Only group chats (two or more other users) have a topic; Teams ignores it for one-to-one chats. */
  readonly topic?: string;
  readonly message?: string;
}

export function chatLink(options: ChatLinkOptions): string {
  const users = userList("users", options.users);
  if (users.length === 0) throw new TeamsLinkError("users", "users: a chat needs at least one other participant");
  const topic = users.length > 1 ? clip(options.topic, MAX_TOPIC) : undefined;
  return `${TEAMS_WEB_ORIGIN}/l/chat/0/0${query([
    ["users", encUsers(users)],
    ["topicName", enc(topic)],
    ["message", enc(clip(options.message, MAX_MESSAGE))],
  ])}`;
}

export interface MeetingLinkOptions {
  readonly attendees: readonly string[];
  readonly subject?: string;
  readonly content?: string;
  readonly start?: Date;
  readonly end?: Date;
}

export function meetingLink(options: MeetingLinkOptions): string {
  const attendees = userList("attendees", options.attendees);
  if (options.start && options.end && options.end.getTime() < options.start.getTime()) {
    throw new TeamsLinkError("endTime", "endTime: the meeting ends before it starts");
  }
  return `${TEAMS_WEB_ORIGIN}/l/meeting/new${query([
    ["subject", enc(clip(options.subject, MAX_TOPIC))],
    ["attendees", attendees.length > 0 ? encUsers(attendees) : undefined],
    ["startTime", enc(options.start?.toISOString())],
    ["endTime", enc(options.end?.toISOString())],
    ["content", enc(clip(options.content, MAX_MESSAGE))],
  ])}`;
}

function httpsUrl(field: string, value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TeamsLinkError(field, `${field}: '${value}' is not an absolute URL`);
  }
  if (url.protocol !== "https:") throw new TeamsLinkError(field, `${field}: '${value}' is not an https URL`);
  return url;
}

export interface ShareLinkOptions {
  /** The record's URL; only https is shared. */
  readonly href: string;
  readonly message?: string;
}

/** Share to Teams: opens Teams' share dialog with the link and a message the user can edit before sending. */
export function shareLink(options: ShareLinkOptions): string {
  const href = httpsUrl("href", options.href).toString();
  return `${TEAMS_WEB_ORIGIN}/share${query([
    ["href", enc(href)],
    ["msgText", enc(clip(options.message, MAX_MESSAGE))],
    ["preview", "true"],
  ])}`;
}

/**
 * The deep-link forms a stored Teams URL may have (the path segment after `/l/`), from Microsoft's deep-link
 * documentation (learn.microsoft.com/microsoftteams/platform/concepts/build-and-test/deep-links and its pages on teams,
 * channels, chats and meetings) and the `webUrl`/`joinWebUrl` shapes Graph returns: a team
 * (`/l/team/<threadId>/conversations?groupId=&tenantId=`), a channel (`/l/channel/<channelId>/<name>?groupId=`), a chat
 * (`/l/chat/<chatId>/conversations`, or `/l/chat/0/0?users=` to start one), a channel or chat message
 * (`/l/message/<id>/<messageId>`), a meeting to join (`/l/meetup-join/…`) or to schedule (`/l/meeting/new`).
 */
export const TEAMS_DEEP_LINK_FORMS = ["team", "channel", "chat", "message", "meetup-join", "meeting"] as const;
export type TeamsDeepLinkForm = (typeof TEAMS_DEEP_LINK_FORMS)[number];

/** Why a stored URL is not opened; each is a resource key suffix (`TeamsUrl_<reason>`) in both controls. */
export type StoredTeamsUrlProblem = "notUrl" | "notHttps" | "notTeamsHost" | "notDeepLink";

export type StoredTeamsUrl =
  | { readonly ok: true; readonly url: string; readonly form: TeamsDeepLinkForm }
  | { readonly ok: false; readonly problem: StoredTeamsUrlProblem };

/**
 * Checks a stored Teams URL (a Teams Link row's `tcc_weburl`, which anyone with write access to the row can change)
 * before anything opens it: an absolute https URL on a Teams host, with no user name, password or port, whose path is
 * `/l/<form>/<something>` for a documented form. Anything else is refused with the reason, never opened.
 */
export function checkStoredTeamsUrl(value: string): StoredTeamsUrl {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return { ok: false, problem: "notUrl" };
  }
  if (url.protocol !== "https:") return { ok: false, problem: "notHttps" };
  if (!TEAMS_LINK_HOSTS.includes(url.hostname.toLowerCase()) || url.username !== "" || url.password !== "" || url.port !== "") {
    return { ok: false, problem: "notTeamsHost" };
  }
  const [, l, form, rest] = url.pathname.split("/");
  const known = TEAMS_DEEP_LINK_FORMS.find((f) => f === form);
  if (l !== "l" || known === undefined || rest === undefined || rest === "") return { ok: false, problem: "notDeepLink" };
  return { ok: true, url: url.toString(), form: known };
}

/** A stored Teams URL if `checkStoredTeamsUrl` accepts it; `undefined` for an empty value or anything it refuses. */
export function safeTeamsUrl(value: string | null | undefined): string | undefined {
  if (value === null || value === undefined || value.trim() === "") return undefined;
  const checked = checkStoredTeamsUrl(value);
  return checked.ok ? checked.url : undefined;
}

export interface ChannelLinkOptions {
  /** Graph channel id, e.g. `19:abc@thread.tacv2`. */
  readonly channelId: string;
  readonly channelName: string;
  /** The team's Microsoft 365 group id. */
  readonly teamId: string;
  readonly tenantId?: string;
}

export function channelLink(options: ChannelLinkOptions): string {
  if (options.channelId.trim() === "") throw new TeamsLinkError("channelId", "channelId: empty");
  if (options.teamId.trim() === "") throw new TeamsLinkError("teamId", "teamId: empty");
  const name = options.channelName.trim() === "" ? "General" : options.channelName;
  return `${TEAMS_WEB_ORIGIN}/l/channel/${encodeStrict(options.channelId)}/${encodeStrict(name)}${query([
    ["groupId", enc(options.teamId)],
    ["tenantId", enc(options.tenantId)],
  ])}`;
}

export function existingChatLink(chatId: string, tenantId?: string): string {
  if (chatId.trim() === "") throw new TeamsLinkError("chatId", "chatId: empty");
  return `${TEAMS_WEB_ORIGIN}/l/chat/${encodeStrict(chatId)}/0${query([["tenantId", enc(tenantId)]])}`;
}

/** Whether a URL is a Teams deep link that the Teams client can open in place (as opposed to a web page). */
export function isTeamsDeepLink(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === "https:" && TEAMS_LINK_HOSTS.includes(parsed.hostname.toLowerCase()) && parsed.pathname.startsWith("/l/");
  } catch {
    return false;
  }
}
