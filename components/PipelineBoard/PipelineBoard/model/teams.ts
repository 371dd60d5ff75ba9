/**
 * Teams actions on a card: chat with the deal's owner, share the deal to Teams, open the deal room when a Teams
 * Link exists. Links come from the shared deep-link module in @tcc/common, the same one the customer panel uses.
 */
import { chatLink, type DataverseClient, existingChatLink, isTeamsUserId, safeTeamsUrl, shareLink } from "@tcc/common";
import { normaliseId } from "./filters";

/** Where the deal's approval stands (the link's tcc_approvalstatus); "none" while no approval was started. */
export type DealRoomApproval = "none" | "pending" | "approved" | "rejected" | "timedOut";

export interface TeamsTargets {
  /** The owner's sign-in address, when the owner is a user with one (a team owner has none). */
  readonly ownerEmail?: string;
  readonly dealRoomUrl?: string;
  readonly dealRoomApproval?: DealRoomApproval;
}

export type TeamsActionKey = "chat" | "share" | "dealRoom";

/**
 * An action the menu offers: a link to open, or, when the record's data cannot make one, the reason it is unavailable
 * (shown as the disabled item's text). `badOwnerAddress`: the owner's e-mail address (in `detail`) is not
 * address-shaped, e.g. `megan@contoso`, so Teams could not find anyone with it.
 */
export type TeamsAction =
  | { readonly key: TeamsActionKey; readonly url: string; readonly unavailable?: undefined; readonly approval?: DealRoomApproval }
  | { readonly key: TeamsActionKey; readonly url?: undefined; readonly unavailable: "badOwnerAddress"; readonly detail: string };

/** Choice values of tcc_teamslink (publisher option prefix 61530). */
const DEAL_ROOM_KIND = 615300002;
const ACTIVE_STATUS = 615300001;
const APPROVAL_STATES: Readonly<Record<number, DealRoomApproval>> = { 615300000: "pending", 615300001: "approved", 615300002: "rejected", 615300003: "timedOut" };
/** Record ids go into the OData filter unquoted, so only a well-formed GUID is let in. */
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The actions a card offers. Never throws, whatever the record holds: an action without its data (no owner address,
 * a non-https record URL) is left out, and one whose data is malformed says why it is unavailable.
 */
export function teamsActions(recordUrl: string, shareMessage: string, targets: TeamsTargets): TeamsAction[] {
  const actions: TeamsAction[] = [];
  const ownerEmail = typeof targets.ownerEmail === "string" ? targets.ownerEmail.trim() : "";
  if (ownerEmail !== "") {
    let chat: TeamsAction = { key: "chat", unavailable: "badOwnerAddress", detail: ownerEmail };
    if (isTeamsUserId(ownerEmail)) {
      try {
        chat = { key: "chat", url: chatLink({ users: [ownerEmail] }) };
      } catch {
        // isTeamsUserId and chatLink agree today; if they ever differ the action says why instead of throwing.
      }
    }
    actions.push(chat);
  }
  try {
    actions.push({ key: "share", url: shareLink({ href: recordUrl, message: shareMessage }) });
  } catch {
    // Only https record URLs are shared; on any other origin the action is simply not offered.
  }
  const dealRoom = typeof targets.dealRoomUrl === "string" ? safeTeamsUrl(targets.dealRoomUrl) : undefined;
  if (dealRoom) actions.push({ key: "dealRoom", url: dealRoom, ...(targets.dealRoomApproval !== undefined && { approval: targets.dealRoomApproval }) });
  return actions;
}

function stringOf(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

/**
 * Looks up what the Teams actions need, when the user asks for them (not for every card on load). Failures only
 * remove the action they would have enabled: the owner may be a team, the Teams Link table may not be readable.
 */
export async function loadTeamsTargets(
  client: Pick<DataverseClient, "retrieve" | "retrieveMultiple">,
  table: string,
  recordId: string,
  ownerId: string | undefined,
): Promise<TeamsTargets> {
  const owner = ownerId
    ? client.retrieve("systemuser", normaliseId(ownerId), { select: ["internalemailaddress"] }).then(
        (row) => stringOf(row.internalemailaddress),
        () => undefined,
      )
    : Promise.resolve(undefined);
  const id = normaliseId(recordId);
  const room =
    table === "opportunity" && GUID.test(id)
      ? client
          .retrieveMultiple("tcc_teamslink", {
            select: ["tcc_weburl", "tcc_chatid", "tcc_kind", "tcc_approvalstatus"],
            filter: `_tcc_opportunityid_value eq ${id} and tcc_status eq ${ACTIVE_STATUS} and statecode eq 0`,
            top: 10,
          })
          .then(
            (page) => {
              const rows = [...page.rows].sort((a, b) => Number(b.tcc_kind === DEAL_ROOM_KIND) - Number(a.tcc_kind === DEAL_ROOM_KIND));
              for (const row of rows) {
                const chatId = stringOf(row.tcc_chatid);
                const url = safeTeamsUrl(stringOf(row.tcc_weburl)) ?? (chatId ? existingChatLink(chatId) : undefined);
                if (url === undefined) continue;
                const approval = row.tcc_kind === DEAL_ROOM_KIND ? (APPROVAL_STATES[Number(row.tcc_approvalstatus)] ?? "none") : undefined;
                return { url, ...(approval !== undefined && { approval }) };
              }
              return undefined;
            },
            () => undefined,
          )
      : Promise.resolve(undefined);
  const [ownerEmail, dealRoom] = await Promise.all([owner, room]);
  return {
    ...(ownerEmail !== undefined && { ownerEmail }),
    ...(dealRoom !== undefined && { dealRoomUrl: dealRoom.url }),
    ...(dealRoom?.approval !== undefined && { dealRoomApproval: dealRoom.approval }),
  };
}
