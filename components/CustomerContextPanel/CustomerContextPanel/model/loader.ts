/**
 * Loads the card: one request for an account, two for a contact with a parent account. Throttling (429) is retried
 * after the server's Retry-After, a few times; every other failure is returned for the card to show with a retry.
 */
import { type DataverseClient, type DataverseError, toDataverseError } from "../../../common/src";
import { accountCard, contactCard, type CardModel, parentAccountId, unreadableSections } from "./cardModel";
import { accountCardQuery, type CardTable, clampActivityCount, contactCardQuery, type RelatedTable } from "./query";

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

export type LoadResult = { readonly ok: true; readonly card: CardModel } | { readonly ok: false; readonly error: DataverseError };

export async function loadCard(client: Pick<DataverseClient, "retrieve">, request: LoadRequest, policy: RetryPolicy = DEFAULT_RETRY): Promise<LoadResult> {
  const count = clampActivityCount(request.recentActivityCount);
  const build = { recentActivityCount: count, today: request.today, now: request.now, unreadable: unreadableSections(request.canRead) };
  const queryOptions = { recentActivityCount: count, canRead: request.canRead };
  try {
    if (request.table === "account") {
      const account = await withThrottleRetry(() => client.retrieve("account", request.id, accountCardQuery(queryOptions)), policy);
      return { ok: true, card: accountCard(account, build) };
    }
    const contact = await withThrottleRetry(() => client.retrieve("contact", request.id, contactCardQuery(queryOptions)), policy);
    const accountId = parentAccountId(contact);
    const account = accountId === undefined ? undefined : await withThrottleRetry(() => client.retrieve("account", accountId, accountCardQuery(queryOptions)), policy);
    return { ok: true, card: contactCard(contact, account, build) };
  } catch (e) {
    return { ok: false, error: toDataverseError(e) };
  }
}
