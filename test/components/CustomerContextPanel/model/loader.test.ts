import { type DataverseClient, DataverseError, type QueryOptions } from "../../../../components/common/src";
import { loadCard, withThrottleRetry } from "../../../../components/CustomerContextPanel/CustomerContextPanel/model/loader";
import { ACCOUNT_ID, accountResponse, CONTACT_ID, contactResponse } from "../fixtures";

interface Call { table: string; id: string; options?: QueryOptions }

function fakeClient(answers: Record<string, () => Promise<Record<string, unknown>>>, dealRooms: () => Promise<readonly Record<string, unknown>[]> = () => Promise.resolve([])) {
  const calls: Call[] = [];
  const queries: { table: string; options?: QueryOptions }[] = [];
  const client: Pick<DataverseClient, "retrieve" | "retrieveMultiple"> = {
    retrieve: (table, id, options) => {
      calls.push({ table, id, ...(options && { options }) });
      return answers[table]();
    },
    retrieveMultiple: async (table, options) => {
      queries.push({ table, ...(options && { options }) });
      return { rows: [...(await dealRooms())] };
    },
  };
  return { client, calls, queries };
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

  it("asks for a contact card's merged deals after its two requests", async () => {
    const contact = contactResponse({ opportunity_customer_contacts: [{ opportunityid: `{${DEAL_1.toUpperCase()}}`, name: "Licences" }] });
    const { client, calls, queries } = fakeClient({ contact: () => Promise.resolve(contact), account: () => Promise.resolve(withGuidDeals()) }, () => Promise.resolve([pendingRoom]));
    const result = await loadCard(client, { ...request, table: "contact", id: CONTACT_ID }, noWait);
    if (!result.ok) throw new Error("card failed");
    const card = await result.withDealRooms;
    expect(calls).toHaveLength(2);
    expect(queries).toHaveLength(1);
    expect(card.opportunities.find((o) => o.name === "Licences")?.dealRoom?.approval).toBe("pending");
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
