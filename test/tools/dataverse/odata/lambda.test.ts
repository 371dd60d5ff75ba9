/**
 * The lambda operators `any` and `all` in the in-memory Web API's `$filter`, as Microsoft's "Filter rows using OData"
 * page describes them: over collection-valued navigation properties, nested, `any()` without an argument, and the
 * errors for misuse (ODataLib's wording, which Dataverse returns with code 0x80060888).
 */
import { parseFilter } from "../../../../tools/dataverse/odata/filter";
import { emptyDataverse, errorOf, get, rowsOf } from "../helpers";

function world() {
  const { store, api, userId } = emptyDataverse();
  const account = (name: string) => store.create("account", { name }).accountid as string;
  const contact = (lastname: string, parent: { id: string; table: string }, jobtitle: string) =>
    store.create("contact", { lastname, jobtitle, parentcustomerid: parent }).contactid as string;
  const contoso = account("Contoso");
  const fabrikam = account("Fabrikam");
  const empty = account("Empty");
  const lee = contact("Lee", { id: contoso, table: "account" }, "Buyer");
  const kim = contact("Kim", { id: contoso, table: "account" }, "Engineer");
  const ng = contact("Ng", { id: fabrikam, table: "account" }, "Buyer");
  // A contact whose company is another contact points at no account.
  const assistant = contact("Assistant", { id: lee, table: "contact" }, "Buyer");
  const names = (path: string) => get(api, path).then((r) => rowsOf(r).map((row) => row.name ?? row.fullname).sort());
  return { store, api, userId, contoso, fabrikam, empty, lee, kim, ng, assistant, names };
}

describe("$filter lambda operators in the in-memory Web API", () => {
  it("any: the accounts a given contact belongs to, found by the contact's id", async () => {
    const w = world();
    expect(await w.names(`accounts?$select=name&$filter=contact_customer_accounts/any(c:c/contactid eq ${w.lee})`)).toEqual(["Contoso"]);
    expect(await w.names(`accounts?$select=name&$filter=contact_customer_accounts/any(c:c/contactid eq ${w.assistant})`)).toEqual([]);
  });

  it("any with a function and a combined condition, as in Microsoft's examples", async () => {
    const w = world();
    expect(await w.names("accounts?$select=name&$filter=contact_customer_accounts/any(c:contains(c/fullname,'ng') and c/jobtitle eq 'Buyer')")).toEqual(["Fabrikam"]);
    expect(await w.names("accounts?$select=name&$filter=contact_customer_accounts/any(c:c/jobtitle eq 'Buyer') and startswith(name,'C')")).toEqual(["Contoso"]);
  });

  it("any() without an argument: the accounts with at least one contact", async () => {
    const w = world();
    expect(await w.names("accounts?$select=name&$filter=contact_customer_accounts/any()")).toEqual(["Contoso", "Fabrikam"]);
    expect(await w.names("accounts?$select=name&$filter=not contact_customer_accounts/any()")).toEqual(["Empty"]);
  });

  it("all: true when every related row matches, and for an account without related rows", async () => {
    const w = world();
    expect(await w.names("accounts?$select=name&$filter=contact_customer_accounts/all(c:c/jobtitle eq 'Buyer')")).toEqual(["Empty", "Fabrikam"]);
  });

  it("nests a lambda inside a lambda", async () => {
    const w = world();
    w.store.create("opportunity", { name: "Licences", customerid: { id: w.kim, table: "contact" }, description: "Renewal" });
    w.store.create("opportunity", { name: "Pilot", customerid: { id: w.ng, table: "contact" }, description: "N/A" });
    const path = "accounts?$select=name&$filter=contact_customer_accounts/any(c:c/opportunity_customer_contacts/any(o:o/description ne 'N/A'))";
    expect(await w.names(path)).toEqual(["Contoso"]);
  });

  it("applies inside an $expand's own $filter, on the expanded table", async () => {
    const w = world();
    w.store.create("opportunity", { name: "Licences", customerid: { id: w.kim, table: "contact" } });
    const [row] = rowsOf(await get(w.api, `accounts?$select=name&$filter=name eq 'Contoso'&$expand=contact_customer_accounts($select=fullname;$filter=opportunity_customer_contacts/any())`));
    expect((row.contact_customer_accounts as { fullname: string }[]).map((c) => c.fullname)).toEqual(["Kim"]);
  });

  it("reads only related rows the caller may read", async () => {
    const w = world();
    w.store.defineBusinessUnit("b0000000-0000-4000-8000-000000000001");
    w.store.defineBusinessUnit("b0000000-0000-4000-8000-000000000002");
    w.store.placeInBusinessUnit(w.userId, "b0000000-0000-4000-8000-000000000001");
    const other = w.store.create("systemuser", { firstname: "Other", lastname: "Unit" }).systemuserid as string;
    w.store.placeInBusinessUnit(other, "b0000000-0000-4000-8000-000000000002");
    w.store.update("contact", w.lee, { ownerid: { id: other, table: "systemuser" } });
    w.store.setReadDepth("contact", "Local");
    expect(await w.names(`accounts?$select=name&$filter=contact_customer_accounts/any(c:c/contactid eq ${w.lee})`)).toEqual([]);
    expect(await w.names(`accounts?$select=name&$filter=contact_customer_accounts/any(c:c/contactid eq ${w.kim})`)).toEqual(["Contoso"]);
  });

  it("refuses a lambda over a table the caller may not read with the missing-privilege error", async () => {
    const w = world();
    w.store.setPrivilege("contact", "read", false);
    const response = await get(w.api, "accounts?$select=name&$filter=contact_customer_accounts/any()");
    expect(response.status).toBe(403);
    expect(errorOf(response).code).toBe("0x80040220");
    expect(errorOf(response).message).toContain("prvReadContact");
  });
});

describe("$filter lambda misuse answers as Dataverse does", () => {
  it.each([
    ["any after a lookup", "primarycontactid/any(c:c/fullname eq 'x')", "Any/All may only be used following a collection."],
    ["any after a column", "name/any(n:n eq 'x')", "Any/All may only be used following a collection."],
    ["an unknown collection", "Account_Contacts/any(c:c/fullname eq 'x')", "Could not find a property named 'Account_Contacts' on type 'Microsoft.Dynamics.CRM.account'."],
    ["a navigation property in the wrong case", "Contact_Customer_Accounts/any()", "Could not find a property named 'Contact_Customer_Accounts' on type 'Microsoft.Dynamics.CRM.account'."],
    ["an unknown column of the related table", "contact_customer_accounts/any(c:c/title eq 'x')", "Could not find a property named 'title' on type 'Microsoft.Dynamics.CRM.contact'."],
    ["an undeclared variable", "contact_customer_accounts/any(c:x/fullname eq 'x')", "Could not find a property named 'x' on type 'Microsoft.Dynamics.CRM.account'."],
  ])("%s", async (_name, filter, message) => {
    const w = world();
    const response = await get(w.api, `accounts?$select=name&$filter=${encodeURIComponent(filter)}`);
    expect(response.status).toBe(400);
    expect(errorOf(response)).toEqual({ code: "0x80060888", message });
  });

  it.each([
    ["a collection reached through a lookup, which Microsoft's page says is not supported", "primarycontactid/opportunity_customer_contacts/any(o:o/name eq 'x')", "navigation paths"],
    ["all without a lambda expression", "contact_customer_accounts/all()", "'all' needs a lambda expression"],
    ["a lambda without its colon", "contact_customer_accounts/any(c c/fullname eq 'x')", "expected ':'"],
    ["a lambda that is not closed", "contact_customer_accounts/any(c:c/fullname eq 'x'", "expected ')'"],
  ])("refuses %s with a syntax error that says where", async (_name, filter, why) => {
    const w = world();
    const response = await get(w.api, `accounts?$select=name&$filter=${encodeURIComponent(filter)}`);
    expect(response.status).toBe(400);
    const error = errorOf(response);
    expect(error.code).toBe("0x80060888");
    expect(error.message).toMatch(new RegExp(`^Syntax error at position \\d+ in '.*': ${why.replace(/[()']/g, "\\$&")}`));
  });

  it("refuses a lambda where the filter's table is unknown, instead of guessing", () => {
    expect(() => parseFilter("contact_customer_accounts/any()")).toThrow("the lambda operator 'any' needs the table the filter applies to");
  });
});
