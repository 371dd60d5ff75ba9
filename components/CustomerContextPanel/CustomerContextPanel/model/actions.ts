/**
 * The quick actions the card offers and, for each, the link it opens or why it is unavailable. Pure: the card and
 * the maker's inputs in, links out, so every action is decided and tested without a browser.
 */
import { chatLink, isTeamsUserId, meetingLink, shareLink } from "../../../common/src";
import type { CardModel } from "./cardModel";

export type ActionId = "chatOwner" | "groupChat" | "meeting" | "share" | "openTeam" | "copyLink" | "followUp";

/** Resource keys for why an action cannot be used, shown as its tooltip. */
export type UnavailableReason =
  | "Action_NoOwnerUpn"
  | "Action_YouOwn"
  | "Action_NoParticipants"
  | "Action_NoTeamsLink"
  | "Action_SaveFirst"
  | "Action_Loading"
  | "Action_ReadOnly"
  | "Action_NoPrivilege"
  | "Action_NotShareable"
  | "Action_BadLink";

export interface ActionState { readonly id: ActionId; readonly url?: string; readonly unavailable?: UnavailableReason }

export interface ActionContext {
  readonly card: CardModel | undefined;
  /**
   * The record is being read (first load or any reload): every action waits for it, because a card kept on screen
   * while reloading may be another record's, and "save the record first" would be untrue.
   */
  readonly loading?: boolean;
  /** The signed-in user's systemuserid, to avoid offering a chat with oneself. */
  readonly currentUserId?: string;
  readonly colleagues: readonly string[];
  /** `https://org.crm.dynamics.com/main.aspx?...` of the record, when the record is saved. */
  readonly recordUrl?: string;
  /** Texts already localised by the caller: the chat topic, message and meeting subject templates filled in. */
  readonly texts: { readonly topic: string; readonly message: string; readonly meetingSubject: string; readonly shareMessage: string };
  readonly formDisabled: boolean;
  readonly canCreateTask: boolean;
}

const bareId = (id: string) => id.replace(/[{}]/g, "").toLowerCase();
const sameId = (a: string | undefined, b: string | undefined) => a !== undefined && b !== undefined && bareId(a) === bareId(b);

export function recordUrl(origin: string, table: string, id: string): string {
  const params = new URLSearchParams({ pagetype: "entityrecord", etn: table, id: id.replace(/[{}]/g, "").toLowerCase() });
  return `${origin.replace(/\/+$/, "")}/main.aspx?${params.toString()}`;
}

/**
 * An action's link, or why there is none: the builders refuse (throw on) values that cannot be a Teams link, and a
 * refusal here must disable one action, never blank the card.
 */
function linkOr(id: ActionId, build: () => string, reason: UnavailableReason = "Action_BadLink"): ActionState {
  try {
    return { id, url: build() };
  } catch {
    return { id, unavailable: reason };
  }
}

export function quickActions(ctx: ActionContext): ActionState[] {
  const card = ctx.loading ? undefined : ctx.card;
  if (!card) {
    const unavailable: UnavailableReason = ctx.loading ? "Action_Loading" : "Action_SaveFirst";
    return (["chatOwner", "groupChat", "meeting", "share", "openTeam", "copyLink", "followUp"] as const).map((id) => ({ id, unavailable }));
  }
  const owner = card.owner;
  const ownerIsMe = sameId(owner.id, ctx.currentUserId);
  // On-premises style names (`CONTOSO\ada`) cannot address anyone in Teams; treat them as unknown, never throw.
  const ownerUpn = owner.upn !== undefined && isTeamsUserId(owner.upn) ? owner.upn : undefined;
  const chatOwner: ActionState = ownerIsMe
    ? { id: "chatOwner", unavailable: "Action_YouOwn" }
    : ownerUpn === undefined
      ? { id: "chatOwner", unavailable: "Action_NoOwnerUpn" }
      : linkOr("chatOwner", () => chatLink({ users: [ownerUpn], message: ctx.texts.message }), "Action_NoOwnerUpn");

  const groupUsers = [...(ownerUpn !== undefined && !ownerIsMe ? [ownerUpn] : []), ...ctx.colleagues];
  const groupChat: ActionState =
    groupUsers.length === 0
      ? { id: "groupChat", unavailable: "Action_NoParticipants" }
      : linkOr("groupChat", () => chatLink({ users: groupUsers, topic: ctx.texts.topic, message: ctx.texts.message }));

  const contactEmails = (typeof card.contact?.email === "string" ? [card.contact.email] : []).concat(card.contacts.map((c) => c.email).filter((e): e is string => typeof e === "string"));
  const attendees = [...(ownerUpn !== undefined && !ownerIsMe ? [ownerUpn] : []), ...contactEmails].filter(isTeamsUserId);
  const meeting: ActionState = linkOr("meeting", () => meetingLink({ attendees, subject: ctx.texts.meetingSubject, ...(ctx.recordUrl && { content: ctx.recordUrl }) }));

  // Teams shares only https links; a local harness on http://localhost has a record URL but nothing to share.
  const share: ActionState = !ctx.recordUrl
    ? { id: "share", unavailable: "Action_SaveFirst" }
    : ctx.recordUrl.startsWith("https://")
      ? linkOr("share", () => shareLink({ href: ctx.recordUrl ?? "", message: ctx.texts.shareMessage }), "Action_NotShareable")
      : { id: "share", unavailable: "Action_NotShareable" };
  const copyLink: ActionState = ctx.recordUrl ? { id: "copyLink", url: ctx.recordUrl } : { id: "copyLink", unavailable: "Action_SaveFirst" };

  const teamUrl = card.teamsLinks.find((l) => l.status === "active" && l.url !== undefined && l.kind !== "chat")?.url;
  const openTeam: ActionState = teamUrl ? { id: "openTeam", url: teamUrl } : { id: "openTeam", unavailable: "Action_NoTeamsLink" };

  const followUp: ActionState = ctx.formDisabled
    ? { id: "followUp", unavailable: "Action_ReadOnly" }
    : !ctx.canCreateTask
      ? { id: "followUp", unavailable: "Action_NoPrivilege" }
      : { id: "followUp" };

  return [chatOwner, groupChat, meeting, share, openTeam, copyLink, followUp];
}
