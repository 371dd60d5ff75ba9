/**
 * Teams actions on a card: chat with the deal's owner, share the deal to Teams, open the deal room when a Teams
 * Link exists. Links come from the shared deep-link module in @tcc/common, the same one the customer panel uses.
 */
import { chatLink, type DataverseClient, existingChatLink, safeTeamsUrl, shareLink } from "@tcc/common";
import { normaliseId } from "./filters";

export interface TeamsTargets {
  /** The owner's sign-in address, when the owner is a user with one (a team owner has none). */
  readonly ownerEmail?: string;
  readonly dealRoomUrl?: string;
}

export type TeamsActionKey = "chat" | "share" | "dealRoom";

export interface TeamsAction {
  readonly key: TeamsActionKey;
  readonly url: string;
}

/** Choice values of tcc_teamslink (publisher option prefix 61530). */
const DEAL_ROOM_KIND = 615300002;
const ACTIVE_STATUS = 615300001;
/** Record ids go into the OData filter unquoted, so only a well-formed GUID is let in. */
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The actions a card offers; a link that cannot be built (no owner address, no https record URL) is left out. */
export function teamsActions(recordUrl: string, shareMessage: string, targets: TeamsTargets): TeamsAction[] {
  const actions: TeamsAction[] = [];
  if (targets.ownerEmail) actions.push({ key: "chat", url: chatLink({ users: [targets.ownerEmail] }) });
  try {
    actions.push({ key: "share", url: shareLink({ href: recordUrl, message: shareMessage }) });
  } catch {
    // Only https record URLs are shared; on any other origin the action is simply not offered.
  }
  if (targets.dealRoomUrl) actions.push({ key: "dealRoom", url: targets.dealRoomUrl });
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
            select: ["tcc_weburl", "tcc_chatid", "tcc_kind"],
            filter: `_tcc_opportunityid_value eq ${id} and tcc_status eq ${ACTIVE_STATUS} and statecode eq 0`,
            top: 10,
          })
          .then(
            (page) => {
              const rows = [...page.rows].sort((a, b) => Number(b.tcc_kind === DEAL_ROOM_KIND) - Number(a.tcc_kind === DEAL_ROOM_KIND));
              for (const row of rows) {
                const url = safeTeamsUrl(stringOf(row.tcc_weburl));
                if (url) return url;
                const chatId = stringOf(row.tcc_chatid);
                if (chatId) return existingChatLink(chatId);
              }
              return undefined;
            },
            () => undefined,
          )
      : Promise.resolve(undefined);
  const [ownerEmail, dealRoomUrl] = await Promise.all([owner, room]);
  return { ...(ownerEmail !== undefined && { ownerEmail }), ...(dealRoomUrl !== undefined && { dealRoomUrl }) };
}
