/**
 * Loads the card: one request for an account; for a contact, the contact and its account at the same time (one round
 * trip); then (when the card shows open deals and the user may read Teams Links) one for those deals' deal rooms.
 * Throttling (429) is retried after the server's Retry-After, a few times; every other failure of the card's own
 * requests is returned for the card to show with a retry. The deal-room request never fails the card: without it the
 * deals show without their rooms.
 */
import { type DataverseClient, type DataverseError, toDataverseError } from "../../../common/src";
import { accountCard, contactCard, type CardModel, parentAccountId, unreadableSections, withDealRooms, withoutDealRooms } from "./cardModel";
import { accountCardQuery, bareGuid, type CardTable, clampActivityCount, contactAccountQuery, contactCardQuery, dealRoomQuery, type RelatedTable } from "./query";

export interface LoadRequest {
  readonly table: CardTable;
  readonly id: string;
  readonly recentActivityCount: number;
  readonly canRead: (table: RelatedTable) => boolean;
  readonly today: string;
  readonly now: number;
}

export interface RetryPolicy {
  readonly maxRetries: number;
  /** Used when a 429 carries no Retry-After. */
  readonly defaultDelayMs: number;
  /** A Retry-After longer than this is not waited for; the user gets the error and a retry button. */
  readonly maxDelayMs: number;
  readonly sleep: (ms: number) => Promise<void>;
}

export const DEFAULT_RETRY: RetryPolicy = {
  maxRetries: 3,
  defaultDelayMs: 1000,
  maxDelayMs: 10_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export async function withThrottleRetry<T>(call: () => Promise<T>, policy: RetryPolicy): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (e) {
      const error = toDataverseError(e);
      const delay = error.retryAfterMs ?? policy.defaultDelayMs;
      if (error.kind !== "throttled" || attempt >= policy.maxRetries || delay > policy.maxDelayMs) throw error;
      await policy.sleep(delay);
    }
  }
}

/**
 * The card as soon as its own requests answer, and the same card with its deals' rooms once the deal-room query
 * answers (the same card when there is nothing to ask): the card does not wait for its deal rooms.
 */
export type LoadResult =
  | { readonly ok: true; readonly card: CardModel; readonly withDealRooms: Promise<CardModel> }
  | { readonly ok: false; readonly error: DataverseError };

/** The client calls the card makes. */
export type CardClient = Pick<DataverseClient, "retrieve" | "retrieveMultiple">;

/**
 * Adds the deal rooms of the card's deals. Asked only when the user may read Teams Links (a user without the role
 * sees deals without rooms, and no error); a failure, or throttling past one retry, gives the card without them.
 */
export async function addDealRooms(client: Pick<DataverseClient, "retrieveMultiple">, card: CardModel, canRead: (table: RelatedTable) => boolean, policy: RetryPolicy): Promise<CardModel> {
  if (!canRead("tcc_teamslink")) return card;
  const query = dealRoomQuery(card.opportunities.map((o) => o.id));
  if (query === undefined) return card;
  try {
    const page = await withThrottleRetry(() => client.retrieveMultiple("tcc_teamslink", query), { ...policy, maxRetries: Math.min(policy.maxRetries, 1) });
    return withDealRooms(card, page.rows);
  } catch {
    return withoutDealRooms(card);
  }
}

export async function loadCard(client: CardClient, request: LoadRequest, policy: RetryPolicy = DEFAULT_RETRY): Promise<LoadResult> {
  const count = clampActivityCount(request.recentActivityCount);
  const build = { recentActivityCount: count, today: request.today, now: request.now, unreadable: unreadableSections(request.canRead) };
  const queryOptions = { recentActivityCount: count, canRead: request.canRead };
  try {
    const loaded = (card: CardModel): LoadResult => ({ ok: true, card, withDealRooms: addDealRooms(client, card, request.canRead, policy) });
    if (request.table === "account") {
      const account = await withThrottleRetry(() => client.retrieve("account", request.id, accountCardQuery(queryOptions)), policy);
      return loaded(accountCard(account, build));
    }
    const contactRead = withThrottleRetry(() => client.retrieve("contact", request.id, contactCardQuery(queryOptions)), policy);
    const byContact = contactAccountQuery(request.id, queryOptions);
    // Settled at once so that a failure nobody waits for (the contact failed first) is no unhandled rejection.
    const accountRows =
      byContact === undefined
        ? Promise.resolve(undefined)
        : withThrottleRetry(() => client.retrieveMultiple("account", byContact), policy).then(
            (page) => page.rows,
            () => undefined,
          );
    const contact = await contactRead;
    const accountId = parentAccountId(contact);
    if (accountId === undefined) return loaded(contactCard(contact, undefined, build));
    const wanted = bareGuid(accountId);
    const found = (await accountRows)?.find((row) => typeof row.accountid === "string" && bareGuid(row.accountid) === wanted);
    // The query failed, or did not return the contact's account: a query leaves out an account the user may not read
    // where reading it by id is refused, and the contact may have moved between the two reads. Reading the account by
    // id, as the card did before it asked both at once, gives the card (or its error) exactly as that read answers.
    const account = found ?? (await withThrottleRetry(() => client.retrieve("account", accountId, accountCardQuery(queryOptions)), policy));
    return loaded(contactCard(contact, account, build));
  } catch (e) {
    return { ok: false, error: toDataverseError(e) };
  }
}
