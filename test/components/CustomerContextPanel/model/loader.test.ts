import { type DataverseClient, DataverseError, type QueryOptions } from "../../../../components/common/src";
import { loadCard, withThrottleRetry } from "../../../../components/CustomerContextPanel/CustomerContextPanel/model/loader";
import { ACCOUNT_ID, accountResponse, CONTACT_ID, contactResponse } from "../fixtures";

interface Call { table: string; id: string; options?: QueryOptions }

function fakeClient(answers: Record<string, () => Promise<Record<string, unknown>>>) {
  const calls: Call[] = [];
  const client: Pick<DataverseClient, "retrieve"> = {
    retrieve: (table, id, options) => {
      calls.push({ table, id, ...(options && { options }) });
      return answers[table]();
    },
  };
  return { client, calls };
}

const request = { recentActivityCount: 10, canRead: () => true, today: "2025-03-14", now: Date.parse("2025-03-14T09:00:00Z") };
const noWait = { maxRetries: 3, defaultDelayMs: 1000, maxDelayMs: 10_000, sleep: jest.fn(() => Promise.resolve()) };

describe("loadCard", () => {
  it("loads an account card with exactly one request", async () => {
    const { client, calls } = fakeClient({ account: () => Promise.resolve(accountResponse()) });
    const result = await loadCard(client, { ...request, table: "account", id: ACCOUNT_ID }, noWait);
    expect(calls).toHaveLength(1);
    expect(result.ok && result.card.account?.name).toBe("上海华信科技有限公司");
  });

  it("loads a contact card with two requests: the contact, then its account", async () => {
    const { client, calls } = fakeClient({ contact: () => Promise.resolve(contactResponse()), account: () => Promise.resolve(accountResponse()) });
    const result = await loadCard(client, { ...request, table: "contact", id: CONTACT_ID }, noWait);
    expect(calls.map((c) => [c.table, c.id])).toEqual([["contact", CONTACT_ID], ["account", ACCOUNT_ID]]);
    expect(result.ok && result.card.contact?.name).toBe("李娜");
  });

  it("loads a contact without an account with one request", async () => {
    const { client, calls } = fakeClient({ contact: () => Promise.resolve(contactResponse({ _parentcustomerid_value: null })) });
    await loadCard(client, { ...request, table: "contact", id: CONTACT_ID }, noWait);
    expect(calls).toHaveLength(1);
  });

  it("marks sections of unreadable tables and leaves their lists out of the request", async () => {
    const { client, calls } = fakeClient({ account: () => Promise.resolve(accountResponse()) });
    const result = await loadCard(client, { ...request, canRead: (t) => t !== "incident", table: "account", id: ACCOUNT_ID }, noWait);
    expect(result.ok && result.card.unreadable).toEqual(["cases"]);
    expect(calls[0].options?.expand?.map((e) => e.navigationProperty)).not.toContain("incident_customer_accounts");
  });

  it("returns a failed request as an error for the card to show, not a throw", async () => {
    const { client } = fakeClient({ account: () => Promise.reject(new DataverseError("server", "boom", 500)) });
    await expect(loadCard(client, { ...request, table: "account", id: ACCOUNT_ID }, noWait)).resolves.toMatchObject({ ok: false, error: { kind: "server" } });
  });
});

describe("withThrottleRetry", () => {
  it("waits Retry-After and tries again after throttling", async () => {
    const sleep = jest.fn(() => Promise.resolve());
    let n = 0;
    const call = () => (++n < 3 ? Promise.reject(new DataverseError("throttled", "429", 429, undefined, 2500)) : Promise.resolve("ok"));
    await expect(withThrottleRetry(call, { ...noWait, sleep })).resolves.toBe("ok");
    expect(sleep.mock.calls).toEqual([[2500], [2500]]);
  });

  it("gives up after the allowed retries and reports the throttling", async () => {
    const call = jest.fn(() => Promise.reject(new DataverseError("throttled", "429", 429)));
    await expect(withThrottleRetry(call, { ...noWait, maxRetries: 2 })).rejects.toMatchObject({ kind: "throttled" });
    expect(call).toHaveBeenCalledTimes(3);
  });

  it("does not wait for a Retry-After longer than the limit, nor retry other errors", async () => {
    const sleep = jest.fn(() => Promise.resolve());
    const long = jest.fn(() => Promise.reject(new DataverseError("throttled", "429", 429, undefined, 60_000)));
    await expect(withThrottleRetry(long, { ...noWait, sleep })).rejects.toMatchObject({ kind: "throttled" });
    const forbidden = jest.fn(() => Promise.reject(new DataverseError("forbidden", "403", 403)));
    await expect(withThrottleRetry(forbidden, { ...noWait, sleep })).rejects.toMatchObject({ kind: "forbidden" });
    expect(sleep).not.toHaveBeenCalled();
    expect(forbidden).toHaveBeenCalledTimes(1);
  });
});
