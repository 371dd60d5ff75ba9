import { ALL_ANNOTATIONS, bodyOf, createAccounts, emptyDataverse, errorOf, get, rowsOf, send } from "./helpers";

describe("in-memory Web API: reading", () => {
  it("returns a row with its ETag and the choice label when annotations are requested", async () => {
    const { store, api } = emptyDataverse();
    const [id] = createAccounts(store, 1, () => ({ name: "Contoso", industrycode: 16 }));
    const row = bodyOf(await get(api, `accounts(${id})?$select=name,industrycode`, ALL_ANNOTATIONS));
    expect(row["@odata.etag"]).toMatch(/^W\/"\d+"$/);
    expect(row["industrycode@OData.Community.Display.V1.FormattedValue"]).toBe("Financial");
  });

  it("sends no formatted values unless Prefer asks for them", async () => {
    const { store, api } = emptyDataverse();
    const [id] = createAccounts(store, 1, () => ({ name: "Contoso", industrycode: 16 }));
    const row = bodyOf(await get(api, `accounts(${id})?$select=industrycode`));
    expect(Object.keys(row).filter((k) => k.includes("FormattedValue"))).toEqual([]);
  });

  it("labels choices in Simplified Chinese when the user's language is 2052", async () => {
    const { store, api } = emptyDataverse();
    api.language = 2052;
    const [id] = createAccounts(store, 1, () => ({ name: "华信", industrycode: 16 }));
    const row = bodyOf(await get(api, `accounts(${id})?$select=industrycode`, ALL_ANNOTATIONS));
    expect(row["industrycode@OData.Community.Display.V1.FormattedValue"]).toBe("金融");
  });

  it("returns lookups as _x_value with the target's name and logical name", async () => {
    const { store, api } = emptyDataverse();
    const [accountId] = createAccounts(store, 1, () => ({ name: "Contoso" }));
    const contactId = store.create("contact", { lastname: "Lee", parentcustomerid: { id: accountId, table: "account" } }).contactid as string;
    const row = bodyOf(await get(api, `contacts(${contactId})?$select=_parentcustomerid_value`, ALL_ANNOTATIONS));
    expect(row._parentcustomerid_value).toBe(accountId);
    expect(row["_parentcustomerid_value@OData.Community.Display.V1.FormattedValue"]).toBe("Contoso");
    expect(row["_parentcustomerid_value@Microsoft.Dynamics.CRM.lookuplogicalname"]).toBe("account");
  });

  it("limits columns to $select plus the primary key", async () => {
    const { store, api } = emptyDataverse();
    createAccounts(store, 1, () => ({ name: "Contoso", telephone1: "555" }));
    const [row] = rowsOf(await get(api, "accounts?$select=name"));
    expect(Object.keys(row).sort()).toEqual(["@odata.etag", "accountid", "name"]);
  });

  it("filters case-insensitively with and/or/contains", async () => {
    const { store, api } = emptyDataverse();
    createAccounts(store, 3, (i) => ({ name: ["Contoso Ltd", "Fabrikam", "contoso labs"][i], numberofemployees: i * 10 }));
    const rows = rowsOf(await get(api, `accounts?$select=name&$filter=${encodeURIComponent("contains(name,'CONTOSO') and (numberofemployees ge 20 or numberofemployees eq 0)")}`));
    expect(rows.map((r) => r.name).sort()).toEqual(["Contoso Ltd", "contoso labs"]);
  });

  it("rejects a malformed $filter with the query syntax error and its position", async () => {
    const { api } = emptyDataverse();
    const response = await get(api, `accounts?$filter=${encodeURIComponent("name eq")}`);
    expect(response.status).toBe(400);
    expect(errorOf(response).code).toBe("0x80060888");
    expect(errorOf(response).message).toContain("position");
  });

  it("rejects a filter on a column the table does not have", async () => {
    const { api } = emptyDataverse();
    const response = await get(api, `accounts?$filter=${encodeURIComponent("nosuchcolumn eq 1")}`);
    expect(response.status).toBe(400);
    expect(errorOf(response).message).toContain("nosuchcolumn");
  });

  it("orders by several columns with desc", async () => {
    const { store, api } = emptyDataverse();
    createAccounts(store, 3, (i) => ({ name: ["b", "a", "c"][i], numberofemployees: [1, 1, 2][i] }));
    const rows = rowsOf(await get(api, "accounts?$select=name&$orderby=numberofemployees desc,name asc"));
    expect(rows.map((r) => r.name)).toEqual(["c", "a", "b"]);
  });

  it("honours $top without a next link", async () => {
    const { store, api } = emptyDataverse();
    createAccounts(store, 5);
    const body = bodyOf(await get(api, "accounts?$select=name&$top=2"));
    expect(body.value).toHaveLength(2);
    expect(body["@odata.nextLink"]).toBeUndefined();
  });

  it("returns a page of 5,000 with a next link when more rows match", async () => {
    const { store, api } = emptyDataverse();
    createAccounts(store, 5001);
    const body = bodyOf(await get(api, "accounts?$select=name", { Prefer: "odata.maxpagesize=5000" }));
    expect(body.value).toHaveLength(5000);
    expect(body["@odata.nextLink"]).toEqual(expect.stringContaining("$skiptoken"));
  });

  it("caps a requested page size above 5,000 at 5,000", async () => {
    const { store, api } = emptyDataverse();
    createAccounts(store, 5001);
    const response = await get(api, "accounts?$select=name", { Prefer: "odata.maxpagesize=10000" });
    expect(rowsOf(response)).toHaveLength(5000);
    expect(response.headers["Preference-Applied"]).toBe("odata.maxpagesize=5000");
  });

  it("follows next links through every row exactly once", async () => {
    const { store, api } = emptyDataverse();
    createAccounts(store, 7);
    const seen: unknown[] = [];
    let response = await get(api, "accounts?$select=name&$orderby=name", { Prefer: "odata.maxpagesize=3" });
    for (;;) {
      seen.push(...rowsOf(response).map((r) => r.name));
      const next = bodyOf(response)["@odata.nextLink"];
      if (typeof next !== "string") break;
      response = await api.handle({ method: "GET", url: next, headers: { Prefer: "odata.maxpagesize=3" } });
    }
    expect(seen).toEqual(["Account 0", "Account 1", "Account 2", "Account 3", "Account 4", "Account 5", "Account 6"]);
  });

  it("refuses $skip as Dataverse does", async () => {
    const { api } = emptyDataverse();
    expect((await get(api, "accounts?$skip=10")).status).toBe(400);
  });

  it("expands a single-valued navigation property", async () => {
    const { store, api } = emptyDataverse();
    const [accountId] = createAccounts(store, 1, () => ({ name: "Contoso" }));
    const contactId = store.create("contact", { lastname: "Lee", parentcustomerid: { id: accountId, table: "account" } }).contactid as string;
    const row = bodyOf(await get(api, `contacts(${contactId})?$select=fullname&$expand=parentcustomerid_account($select=name)`));
    expect((row.parentcustomerid_account as Record<string, unknown>).name).toBe("Contoso");
  });

  it("expands a collection with nested $select, $filter, $orderby and $top", async () => {
    const { store, api } = emptyDataverse();
    const [accountId] = createAccounts(store, 1);
    for (const [lastname, jobtitle] of [["A", "CEO"], ["B", "CFO"], ["C", "CEO"], ["D", "CEO"]]) {
      store.create("contact", { lastname, jobtitle, parentcustomerid: { id: accountId, table: "account" } });
    }
    const path = `accounts(${accountId})?$select=name&$expand=${encodeURIComponent("contact_customer_accounts($select=lastname;$filter=jobtitle eq 'CEO';$orderby=lastname desc;$top=2)")}`;
    const contacts = bodyOf(await get(api, path)).contact_customer_accounts as Record<string, unknown>[];
    expect(contacts.map((c) => c.lastname)).toEqual(["D", "C"]);
    expect(Object.keys(contacts[0]).sort()).toEqual(["@odata.etag", "contactid", "lastname"]);
  });

  it("answers 404 with Dataverse's does-not-exist error for a missing row", async () => {
    const { api } = emptyDataverse();
    const response = await get(api, "accounts(00000000-0000-4000-8000-000000000000)");
    expect(response.status).toBe(404);
    expect(errorOf(response).code).toBe("0x80040217");
  });

  it("answers WhoAmI with the calling user", async () => {
    const { api, userId } = emptyDataverse();
    expect(bodyOf(await get(api, "WhoAmI")).UserId).toBe(userId);
  });
});

describe("in-memory Web API: writing", () => {
  it("creates a row and returns its URL in OData-EntityId", async () => {
    const { store, api } = emptyDataverse();
    const response = await send(api, "POST", "accounts", { name: "Contoso" });
    expect(response.status).toBe(204);
    const id = /\(([0-9a-f-]{36})\)$/.exec(response.headers["OData-EntityId"])?.[1] ?? "";
    expect(store.get("account", id)?.name).toBe("Contoso");
  });

  it("returns the created row with 201 when return=representation is preferred", async () => {
    const { api } = emptyDataverse();
    const response = await send(api, "POST", "accounts", { name: "Contoso" }, { Prefer: "return=representation" });
    expect(response.status).toBe(201);
    expect(bodyOf(response).name).toBe("Contoso");
  });

  it("sets a lookup from nav@odata.bind", async () => {
    const { store, api } = emptyDataverse();
    const [accountId] = createAccounts(store, 1);
    const response = await send(api, "POST", "contacts", { lastname: "Lee", "parentcustomerid_account@odata.bind": `/accounts(${accountId})` }, { Prefer: "return=representation" });
    expect(bodyOf(response)._parentcustomerid_value).toBe(accountId);
  });

  it("refuses to set a lookup through its _x_value property", async () => {
    const { store, api } = emptyDataverse();
    const [accountId] = createAccounts(store, 1);
    const response = await send(api, "POST", "contacts", { lastname: "Lee", _parentcustomerid_value: accountId });
    expect(response.status).toBe(400);
  });

  it("stores an empty string as null", async () => {
    const { api } = emptyDataverse();
    const row = bodyOf(await send(api, "POST", "accounts", { name: "X", telephone1: "" }, { Prefer: "return=representation" }));
    expect(row.telephone1).toBeNull();
  });

  it("refuses text longer than the column's maximum length", async () => {
    const { api } = emptyDataverse();
    const response = await send(api, "POST", "accounts", { name: "N".repeat(161) });
    expect(response.status).toBe(400);
    expect(errorOf(response).code).toBe("0x80044331");
  });

  it("refuses a choice value outside the option set", async () => {
    const { api } = emptyDataverse();
    const response = await send(api, "POST", "accounts", { name: "X", industrycode: 999 });
    expect(errorOf(response).code).toBe("0x8004431a");
  });

  it("refuses a stale If-Match with 412 and changes nothing", async () => {
    const { store, api } = emptyDataverse();
    const [id] = createAccounts(store, 1, () => ({ name: "Before" }));
    const staleEtag = bodyOf(await get(api, `accounts(${id})`))["@odata.etag"] as string;
    await send(api, "PATCH", `accounts(${id})`, { name: "Someone else" });
    const response = await send(api, "PATCH", `accounts(${id})`, { name: "Mine" }, { "If-Match": staleEtag });
    expect(response.status).toBe(412);
    expect(errorOf(response).code).toBe("0x80060882");
    expect(store.get("account", id)?.name).toBe("Someone else");
  });

  it("accepts a current If-Match and issues a new ETag", async () => {
    const { store, api } = emptyDataverse();
    const [id] = createAccounts(store, 1);
    const etag = bodyOf(await get(api, `accounts(${id})`))["@odata.etag"] as string;
    const response = await send(api, "PATCH", `accounts(${id})`, { name: "Mine" }, { "If-Match": etag });
    expect(response.status).toBe(204);
    expect(response.headers.ETag).not.toBe(etag);
  });

  it("creates the row on PATCH without If-Match (upsert)", async () => {
    const { store, api } = emptyDataverse();
    const id = "11111111-1111-4111-8111-111111111111";
    expect((await send(api, "PATCH", `accounts(${id})`, { name: "Upserted" })).status).toBe(204);
    expect(store.get("account", id)?.name).toBe("Upserted");
  });

  it("does not create the row on PATCH with If-Match: *", async () => {
    const { store, api } = emptyDataverse();
    const id = "11111111-1111-4111-8111-111111111111";
    expect((await send(api, "PATCH", `accounts(${id})`, { name: "X" }, { "If-Match": "*" })).status).toBe(404);
    expect(store.get("account", id)).toBeUndefined();
  });

  it("deletes a row", async () => {
    const { store, api } = emptyDataverse();
    const [id] = createAccounts(store, 1);
    expect((await api.handle({ method: "DELETE", url: `/api/data/v9.2/accounts(${id})` })).status).toBe(204);
    expect(store.get("account", id)).toBeUndefined();
  });

  it("refuses a write the caller has no privilege for with 403", async () => {
    const { store, api } = emptyDataverse();
    store.setPrivilege("account", "create", false);
    const response = await send(api, "POST", "accounts", { name: "X" });
    expect(response.status).toBe(403);
    expect(errorOf(response).code).toBe("0x80040220");
  });
});

describe("in-memory Dataverse: platform rules", () => {
  it("computes estimatedvalue_base from the row's currency exchange rate", async () => {
    const { api, cny } = emptyDataverse();
    const row = bodyOf(
      await send(api, "POST", "opportunities", { name: "Deal", estimatedvalue: 710, "transactioncurrencyid@odata.bind": `/transactioncurrencies(${cny})` }, { Prefer: "return=representation" }),
    );
    expect(row.estimatedvalue_base).toBe(100);
    expect(row.exchangerate).toBe(7.1);
  });

  it("defaults a new row's currency to the base currency", async () => {
    const { api, usd } = emptyDataverse();
    const row = bodyOf(await send(api, "POST", "opportunities", { name: "Deal", estimatedvalue: 50 }, { Prefer: "return=representation" }));
    expect(row._transactioncurrencyid_value).toBe(usd);
    expect(row.estimatedvalue_base).toBe(50);
  });

  it("keeps an existing base amount when only the currency's rate changes, and recomputes on the next amount change", () => {
    const { store, cny } = emptyDataverse();
    const id = store.create("opportunity", { name: "Deal", estimatedvalue: 710, transactioncurrencyid: { id: cny, table: "transactioncurrency" } }).opportunityid as string;
    store.update("transactioncurrency", cny, { exchangerate: 7.0 });
    expect(store.get("opportunity", id)?.estimatedvalue_base).toBe(100);
    store.update("opportunity", id, { estimatedvalue: 700 });
    expect(store.get("opportunity", id)?.estimatedvalue_base).toBe(100);
    expect(store.get("opportunity", id)?.exchangerate).toBe(7.0);
  });

  it("gives a won opportunity status Won, probability 100 and a close date", () => {
    const { store } = emptyDataverse();
    const id = store.create("opportunity", { name: "Deal", estimatedvalue: 10 }).opportunityid as string;
    const row = store.update("opportunity", id, { statecode: 1 });
    expect([row.statuscode, row.closeprobability, row.actualclosedate, row.actualvalue]).toEqual([3, 100, "2025-03-14", 10]);
  });

  it("derives the state from a status reason alone", () => {
    const { store } = emptyDataverse();
    const id = store.create("opportunity", { name: "Deal" }).opportunityid as string;
    expect(store.update("opportunity", id, { statuscode: 5 }).statecode).toBe(2);
  });

  it("refuses a status reason that does not belong to the state", async () => {
    const { store, api } = emptyDataverse();
    const id = store.create("opportunity", { name: "Deal" }).opportunityid as string;
    const response = await send(api, "PATCH", `opportunities(${id})`, { statecode: 0, statuscode: 3 });
    expect(response.status).toBe(400);
    expect(store.get("opportunity", id)?.statuscode).toBe(1);
  });

  it("clears the close date when an opportunity is reopened", () => {
    const { store } = emptyDataverse();
    const id = store.create("opportunity", { name: "Deal" }).opportunityid as string;
    store.update("opportunity", id, { statecode: 2 });
    expect(store.update("opportunity", id, { statecode: 0 }).actualclosedate).toBeNull();
  });

  it("mirrors every activity into activitypointers", async () => {
    const { store, api } = emptyDataverse();
    store.create("phonecall", { subject: "Call back" });
    const rows = rowsOf(await get(api, "activitypointers?$select=subject,activitytypecode"));
    expect(rows.map((r) => [r.subject, r.activitytypecode])).toEqual([["Call back", "phonecall"]]);
  });

  it("composes a contact's full name from first and last name", () => {
    const { store } = emptyDataverse();
    expect(store.create("contact", { firstname: "Grace", lastname: "Hopper" }).fullname).toBe("Grace Hopper");
  });
});
