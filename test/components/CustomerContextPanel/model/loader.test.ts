import { type DataverseClient, DataverseError, type DataverseRow, type QueryOptions } from "../../../../components/common/src";
import { loadCard, withThrottleRetry } from "../../../../components/CustomerContextPanel/CustomerContextPanel/model/loader";
import { accountCardQuery } from "../../../../components/CustomerContextPanel/CustomerContextPanel/model/query";
import { ACCOUNT_ID, accountResponse, CONTACT_ID, contactResponse } from "../fixtures";

interface Call { table: string; id: string; options?: QueryOptions }

type Rows = readonly Record<string, unknown>[];

/**
 * A client that answers `retrieve` by table, the account query (a `retrieveMultiple` of accounts) with `accountQuery`
 * and the deal-room query with `dealRooms`, and logs when each request is sent and when it is answered.
 */
function fakeClient(
  answers: Record<string, () => Promise<Record<string, unknown>>>,
  dealRooms: () => Promise<Rows> = () => Promise.resolve([]),
  accountQuery: () => Promise<Rows> = () => Promise.resolve([]),
) {
  const calls: Call[] = [];
  const queries: { table: string; options?: QueryOptions }[] = [];
  const log: string[] = [];
  const logged = <T>(name: string, answer: Promise<T>): Promise<T> => {
    log.push(`send ${name}`);
    return answer.finally(() => log.push(`answer ${name}`));
  };
  const client: Pick<DataverseClient, "retrieve" | "retrieveMultiple"> = {
    retrieve: (table, id, options) => {
      calls.push({ table, id, ...(options && { options }) });
      return logged(`retrieve ${table}`, answers[table]());
    },
    retrieveMultiple: async (table, options) => {
      queries.push({ table, ...(options && { options }) });
      return { rows: [...(await logged(`query ${table}`, table === "account" ? accountQuery() : dealRooms()))] };
    },
  };
  return { client, calls, queries, log };
}

/** A promise the test settles when it chooses, to see what is sent before anything answers. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((_resolve, _reject) => {
    resolve = _resolve;
    reject = _reject;
  });
  return { promise, resolve, reject };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

const request = { recentActivityCount: 10, canRead: () => true, today: "2025-03-14", now: Date.parse("2025-03-14T09:00:00Z") };
const noWait = { maxRetries: 3, defaultDelayMs: 1000, maxDelayMs: 10_000, sleep: jest.fn(() => Promise.resolve()) };

describe("loadCard", () => {
  it("loads an account card with exactly one request", async () => {
    const { client, calls } = fakeClient({ account: () => Promise.resolve(accountResponse()) });
    const result = await loadCard(client, { ...request, table: "account", id: ACCOUNT_ID }, noWait);
    expect(calls).toHaveLength(1);
    expect(result.ok && result.card.account?.name).toBe("上海华信科技有限公司");
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

const DEAL_1 = "0a000000-0000-4000-8000-000000000001";
const DEAL_2 = "0a000000-0000-4000-8000-000000000002";
const withGuidDeals = () =>
  accountResponse({
    opportunity_customer_accounts: [
      { opportunityid: DEAL_1, name: "Licences", estimatedclosedate: "2025-04-01" },
      { opportunityid: DEAL_2, name: "Migration", estimatedclosedate: "2025-05-01" },
      { opportunityid: "not-a-guid') or true or ('", name: "Odd", estimatedclosedate: "2025-05-01" },
    ],
  });
const pendingRoom = {
  tcc_teamslinkid: "d0000000-0000-4000-8000-000000000001",
  tcc_name: "Deal room: Licences",
  tcc_kind: 615300002,
  tcc_status: 615300001,
  tcc_approvalstatus: 615300000,
  tcc_chatid: "19:meeting_deal@thread.v2",
  tcc_weburl: null,
  _tcc_opportunityid_value: DEAL_1,
};

describe("loadCard with deal rooms", () => {
  it("shows the card at once, then asks once for the shown deals' active deal rooms, by GUID only, and puts each under its deal with the approval state", async () => {
    const { client, calls, queries } = fakeClient({ account: () => Promise.resolve(withGuidDeals()) }, () => Promise.resolve([pendingRoom]));
    const result = await loadCard(client, { ...request, table: "account", id: ACCOUNT_ID }, noWait);
    expect(calls).toHaveLength(1);
    expect(queries).toHaveLength(1);
    expect(queries[0].table).toBe("tcc_teamslink");
    expect(queries[0].options?.filter).toBe(
      `tcc_kind eq 615300002 and statecode eq 0 and tcc_status eq 615300001 and Microsoft.Dynamics.CRM.In(PropertyName='tcc_opportunityid',PropertyValues=['${DEAL_1}','${DEAL_2}'])`,
    );
    expect(queries[0].options?.select).toEqual(expect.arrayContaining(["tcc_approvalstatus", "_tcc_opportunityid_value", "tcc_chatid", "tcc_weburl"]));
    if (!result.ok) throw new Error("card failed");
    expect(result.card.opportunities[0].dealRoom).toBeUndefined();
    const card = await result.withDealRooms;
    expect(card.opportunities[0].dealRoom).toEqual({
      id: pendingRoom.tcc_teamslinkid,
      name: "Deal room: Licences",
      approval: "pending",
      url: "https://teams.microsoft.com/l/chat/19%3Ameeting_deal%40thread.v2/0",
    });
    expect(card.opportunities[1].dealRoom).toBeUndefined();
    expect(card.dealRoomsFailed).toBeUndefined();
  });

  it("does not ask for deal rooms when the user may not read Teams Links, and shows no error", async () => {
    const { client, queries } = fakeClient({ account: () => Promise.resolve(withGuidDeals()) }, () => Promise.resolve([pendingRoom]));
    const result = await loadCard(client, { ...request, canRead: (t) => t !== "tcc_teamslink", table: "account", id: ACCOUNT_ID }, noWait);
    if (!result.ok) throw new Error("card failed");
    await expect(result.withDealRooms).resolves.toBe(result.card);
    expect(queries).toHaveLength(0);
    expect(result.card.opportunities.every((o) => o.dealRoom === undefined)).toBe(true);
  });

  it("does not ask when no shown deal has a GUID id", async () => {
    const { client, queries } = fakeClient({ account: () => Promise.resolve(accountResponse()) });
    const result = await loadCard(client, { ...request, table: "account", id: ACCOUNT_ID }, noWait);
    if (result.ok) await result.withDealRooms;
    expect(queries).toHaveLength(0);
  });

  it.each([
    ["a server error", () => new DataverseError("server", "boom", 500)],
    ["a refused read", () => new DataverseError("forbidden", "403", 403)],
    ["lasting throttling", () => new DataverseError("throttled", "429", 429, undefined, 1000)],
  ])("keeps the card when the deal-room query fails with %s, and marks it", async (_name, error) => {
    const { client, queries } = fakeClient({ account: () => Promise.resolve(withGuidDeals()) }, () => Promise.reject(error()));
    const result = await loadCard(client, { ...request, table: "account", id: ACCOUNT_ID }, noWait);
    if (!result.ok) throw new Error("card failed");
    const card = await result.withDealRooms;
    expect(card.account?.name).toBe("上海华信科技有限公司");
    expect(card.opportunities).toHaveLength(3);
    expect(card.dealRoomsFailed).toBe(true);
    // Throttling is retried once at most: the card does not wait long for its deal rooms.
    expect(queries.length).toBeLessThanOrEqual(2);
  });

  it("asks for a contact card's merged deals once the contact and its account have answered", async () => {
    const contact = contactResponse({ opportunity_customer_contacts: [{ opportunityid: `{${DEAL_1.toUpperCase()}}`, name: "Licences" }] });
    const { client, calls, queries, log } = fakeClient({ contact: () => Promise.resolve(contact) }, () => Promise.resolve([pendingRoom]), () => Promise.resolve([withGuidDeals()]));
    const result = await loadCard(client, { ...request, table: "contact", id: CONTACT_ID }, noWait);
    if (!result.ok) throw new Error("card failed");
    const card = await result.withDealRooms;
    expect(calls.map((c) => c.table)).toEqual(["contact"]);
    expect(queries.map((q) => q.table)).toEqual(["account", "tcc_teamslink"]);
    expect(log.indexOf("send query tcc_teamslink")).toBeGreaterThan(Math.max(log.indexOf("answer retrieve contact"), log.indexOf("answer query account")));
    expect(card.opportunities.find((o) => o.name === "Licences")?.dealRoom?.approval).toBe("pending");
  });
});

describe("loadCard on a contact form: the contact and its account at once", () => {
  const onContact = { ...request, table: "contact" as const, id: CONTACT_ID };

  it("sends the contact and the query for its account before either answers, and builds the card from both", async () => {
    const contact = deferred<DataverseRow>();
    const account = deferred<Rows>();
    const { client, calls, queries, log } = fakeClient({ contact: () => contact.promise }, undefined, () => account.promise);
    const loading = loadCard(client, onContact, noWait);
    await flush();
    expect(log).toEqual(["send retrieve contact", "send query account"]);
    contact.resolve(contactResponse());
    account.resolve([accountResponse()]);
    const result = await loading;
    expect(calls.map((c) => [c.table, c.id])).toEqual([["contact", CONTACT_ID]]);
    expect(queries).toEqual([{ table: "account", options: { ...accountCardQuery({ recentActivityCount: 10, canRead: () => true }), filter: `contact_customer_accounts/any(c:c/contactid eq ${CONTACT_ID})` } }]);
    if (!result.ok) throw new Error("card failed");
    expect(result.card.contact?.name).toBe("李娜");
    expect(result.card.account?.name).toBe("上海华信科技有限公司");
    expect(result.card.contacts.map((c) => c.name)).toEqual(["李娜", "张敏"]);
  });

  it("leaves the lists of tables the user may not read out of both requests", async () => {
    const { client, calls, queries } = fakeClient({ contact: () => Promise.resolve(contactResponse()) }, undefined, () => Promise.resolve([accountResponse()]));
    const result = await loadCard(client, { ...onContact, canRead: (t) => t !== "incident" }, noWait);
    expect(result.ok && result.card.unreadable).toEqual(["cases"]);
    expect(calls[0].options?.expand?.map((e) => e.navigationProperty)).not.toContain("incident_customer_contacts");
    expect(queries[0].options?.expand?.map((e) => e.navigationProperty)).not.toContain("incident_customer_accounts");
  });

  it.each([
    ["finds no account", () => Promise.resolve([])],
    ["is refused, as for a user who may not read accounts", () => Promise.reject(new DataverseError("forbidden", "403", 403))],
  ])("shows a contact whose company is no account from the contact alone when the account query %s", async (_name, accountQuery) => {
    const { client, calls } = fakeClient({ contact: () => Promise.resolve(contactResponse({ _parentcustomerid_value: null })) }, undefined, accountQuery);
    const result = await loadCard(client, onContact, noWait);
    expect(calls).toHaveLength(1);
    if (!result.ok) throw new Error("card failed");
    expect(result.card.contact?.name).toBe("李娜");
    expect(result.card.account).toBeUndefined();
  });

  // Both plausible answers of Dataverse to a query for an account the user may not read: left out, or refused.
  it.each([
    ["leaves the account out", () => Promise.resolve([])],
    ["is refused", () => Promise.reject(new DataverseError("forbidden", "403", 403))],
  ])("reads the account by id when the query %s, and shows the error that read gives, as before", async (_name, accountQuery) => {
    const { client, calls, log } = fakeClient(
      { contact: () => Promise.resolve(contactResponse()), account: () => Promise.reject(new DataverseError("forbidden", "missing prvReadAccount", 403)) },
      undefined,
      accountQuery,
    );
    const result = await loadCard(client, onContact, noWait);
    expect(calls.map((c) => [c.table, c.id])).toEqual([["contact", CONTACT_ID], ["account", ACCOUNT_ID]]);
    expect(log.indexOf("send retrieve account")).toBeGreaterThan(log.indexOf("answer query account"));
    expect(result).toMatchObject({ ok: false, error: { kind: "forbidden" } });
  });

  it("shows the card when the account query fails but reading the account by id answers", async () => {
    const { client, calls } = fakeClient(
      { contact: () => Promise.resolve(contactResponse()), account: () => Promise.resolve(accountResponse()) },
      undefined,
      () => Promise.reject(new DataverseError("server", "boom", 500)),
    );
    const result = await loadCard(client, onContact, noWait);
    expect(calls.map((c) => c.table)).toEqual(["contact", "account"]);
    expect(result.ok && result.card.account?.name).toBe("上海华信科技有限公司");
  });

  it("does not take another account the query answered (the contact moved in between) for the contact's", async () => {
    const other = accountResponse({ accountid: "aaaaaaaa-0000-4000-8000-000000000009", name: "Other" });
    const { client, calls } = fakeClient({ contact: () => Promise.resolve(contactResponse()), account: () => Promise.resolve(accountResponse()) }, undefined, () => Promise.resolve([other]));
    const result = await loadCard(client, onContact, noWait);
    expect(calls.map((c) => c.table)).toEqual(["contact", "account"]);
    expect(result.ok && result.card.account?.name).toBe("上海华信科技有限公司");
  });

  it("fails with the contact's own error when the contact fails, whatever the account query answers", async () => {
    const { client, calls } = fakeClient({ contact: () => Promise.reject(new DataverseError("notFound", "gone", 404)) }, undefined, () => Promise.resolve([accountResponse()]));
    await expect(loadCard(client, onContact, noWait)).resolves.toMatchObject({ ok: false, error: { kind: "notFound" } });
    expect(calls).toHaveLength(1);
  });

  it("waits out throttling of the account query and uses its answer", async () => {
    let tries = 0;
    const { client, calls } = fakeClient({ contact: () => Promise.resolve(contactResponse()) }, undefined, () =>
      ++tries === 1 ? Promise.reject(new DataverseError("throttled", "429", 429, undefined, 500)) : Promise.resolve([accountResponse()]),
    );
    const result = await loadCard(client, onContact, noWait);
    expect(tries).toBe(2);
    expect(calls).toHaveLength(1);
    expect(result.ok && result.card.account?.name).toBe("上海华信科技有限公司");
  });

  it("never puts a record id that is no GUID into the filter: it reads the contact, then its account by id", async () => {
    const { client, calls, queries } = fakeClient({ contact: () => Promise.resolve(contactResponse()), account: () => Promise.resolve(accountResponse()) });
    const result = await loadCard(client, { ...onContact, id: "x) or true or (x" }, noWait);
    expect(queries.filter((q) => q.table === "account")).toEqual([]);
    expect(calls.map((c) => c.table)).toEqual(["contact", "account"]);
    expect(result.ok && result.card.account?.name).toBe("上海华信科技有限公司");
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
