import { DataverseError, HttpDataverseClient, bindTo, etagOf, formattedValueOf } from "../../../../components/common/src/dataverse";
import { DataverseStore } from "../../../../tools/dataverse/store";
import { InMemoryWebApi } from "../../../../tools/dataverse/webApiHandler";

function setup() {
  const store = new DataverseStore({ seed: 3 });
  const api = new InMemoryWebApi({ store, sleep: () => Promise.resolve() });
  const client = new HttpDataverseClient({ fetch: api.fetch, baseUrl: "https://contoso.crm.dynamics.com/api/data/v9.2" });
  return { store, api, client };
}

describe("HttpDataverseClient against the in-memory Web API", () => {
  it("fails as a Dataverse error of its kind when the table's set-name lookup is refused, and sends nothing", async () => {
    const { api } = setup();
    const sent: string[] = [];
    const client = new HttpDataverseClient({
      fetch: (url, init) => {
        sent.push(url);
        return api.fetch(url, init);
      },
      baseUrl: api.baseUrl,
      entitySet: () => Promise.reject(Object.assign(new Error("Number of requests exceeded the limit"), { status: 429 })),
    });
    await expect(client.update("new_project", "00000000-0000-4000-8000-000000000001", { new_name: "x" })).rejects.toMatchObject({
      kind: "throttled",
      status: 429,
      message: "Number of requests exceeded the limit",
    });
    expect(sent).toEqual([]);
  });

  it("creates a row and returns its id", async () => {
    const { store, client } = setup();
    const id = await client.create("account", { name: "Contoso" });
    expect(store.get("account", id)?.name).toBe("Contoso");
  });

  it("retrieves a row with formatted values and its ETag", async () => {
    const { client } = setup();
    const id = await client.create("account", { name: "Contoso", industrycode: 16 });
    const row = await client.retrieve("account", id, { select: ["name", "industrycode"] });
    expect(formattedValueOf(row, "industrycode")).toBe("Financial");
    expect(etagOf(row)).toMatch(/^W\//);
  });

  it("retrieves related rows in one request with $expand", async () => {
    const { client } = setup();
    const accountId = await client.create("account", { name: "Contoso" });
    await client.create("contact", { lastname: "Lee", "parentcustomerid_account@odata.bind": bindTo("account", accountId) });
    const row = await client.retrieve("account", accountId, {
      select: ["name"],
      expand: [{ navigationProperty: "contact_customer_accounts", select: ["fullname"], top: 5 }],
    });
    expect(row.contact_customer_accounts).toEqual([expect.objectContaining({ fullname: "Lee" })]);
  });

  it("pages with maxPageSize and a next link", async () => {
    const { client } = setup();
    for (let i = 0; i < 3; i++) await client.create("account", { name: `A${i}` });
    const first = await client.retrieveMultiple("account", { select: ["name"], orderBy: ["name"] }, 2);
    expect(first.rows).toHaveLength(2);
    const second = await client.retrieveNextPage("account", first.nextLink ?? "", 2);
    expect(second.rows.map((r) => r.name)).toEqual(["A2"]);
    expect(second.nextLink).toBeUndefined();
  });

  it("runs a FetchXML aggregate", async () => {
    const { client } = setup();
    await client.create("opportunity", { name: "D", estimatedvalue: 5 });
    const xml = `<fetch aggregate="true"><entity name="opportunity"><attribute name="estimatedvalue" alias="total" aggregate="sum"/></entity></fetch>`;
    expect((await client.retrieveFetchXml("opportunity", xml)).rows).toEqual([{ total: 5 }]);
  });

  it("updates with a current ETag", async () => {
    const { store, client } = setup();
    const id = await client.create("account", { name: "Before" });
    const etag = etagOf(await client.retrieve("account", id));
    await client.update("account", id, { name: "After" }, { etag });
    expect(store.get("account", id)?.name).toBe("After");
  });

  it("fails a stale ETag with kind concurrency and leaves the row unchanged", async () => {
    const { store, client } = setup();
    const id = await client.create("account", { name: "Before" });
    const etag = etagOf(await client.retrieve("account", id));
    store.update("account", id, { name: "Theirs" });
    const error = await client.update("account", id, { name: "Mine" }, { etag }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataverseError);
    expect((error as DataverseError).kind).toBe("concurrency");
    expect(store.get("account", id)?.name).toBe("Theirs");
  });

  it("does not resurrect a deleted row on update", async () => {
    const { store, client } = setup();
    const id = await client.create("account", { name: "Gone" });
    await client.delete("account", id);
    await expect(client.update("account", id, { name: "Back" })).rejects.toMatchObject({ kind: "notFound" });
    expect(store.get("account", id)).toBeUndefined();
  });

  it("reports throttling with the server's Retry-After", async () => {
    const { api, client } = setup();
    api.faults.add({ kind: "throttle", retryAfterSeconds: 3 });
    await expect(client.retrieveMultiple("account")).rejects.toMatchObject({ kind: "throttled", status: 429, retryAfterMs: 3000, retryable: true });
  });

  it("reports a network failure as kind network", async () => {
    const { api, client } = setup();
    api.faults.add({ kind: "network" });
    await expect(client.retrieveMultiple("account")).rejects.toMatchObject({ kind: "network", retryable: true });
  });

  it("reports the aggregate limit as kind aggregateLimit", async () => {
    const { store, client } = setup();
    for (let i = 0; i < 50_001; i++) store.create("account", { name: "A" });
    const xml = `<fetch aggregate="true"><entity name="account"><attribute name="accountid" alias="n" aggregate="count"/></entity></fetch>`;
    await expect(client.retrieveFetchXml("account", xml)).rejects.toMatchObject({ kind: "aggregateLimit", retryable: false });
  });
});
