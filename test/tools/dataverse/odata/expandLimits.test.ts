/**
 * What Microsoft's "Join tables using OData" allows inside an `$expand`: `$top` and `$orderby` on a collection
 * expanded from the queried row, only `$select` and `$filter` below a lookup or on a collection expanded inside another
 * `$expand`, refused with Dataverse's own error. The card's queries depend on the first and avoid the second.
 */
import { EXPAND_OPTIONS_LIMITED } from "../../../../tools/dataverse/odata/queryOptions";
import { bodyOf, emptyDataverse, errorOf, get } from "../helpers";

function world() {
  const { store, api } = emptyDataverse();
  const account = store.create("account", { name: "Contoso" }).accountid as string;
  const contact = (lastname: string) => store.create("contact", { lastname, parentcustomerid: { id: account, table: "account" } }).contactid as string;
  const lee = contact("Lee");
  contact("Adams");
  return { api, account, lee };
}

describe("$expand options in the in-memory Web API", () => {
  it("answers $top and $orderby on a collection expanded from the queried row", async () => {
    const { api, account } = world();
    const response = await get(api, `accounts(${account})?$select=name&$expand=contact_customer_accounts($select=fullname;$orderby=fullname asc;$top=1)`);
    expect(response.status).toBe(200);
    expect(bodyOf(response).contact_customer_accounts).toEqual([expect.objectContaining({ fullname: "Adams" })]);
  });

  it("answers $select and $filter on a collection below a lookup", async () => {
    const { api, lee } = world();
    const response = await get(api, `contacts(${lee})?$select=fullname&$expand=parentcustomerid_account($select=name;$expand=contact_customer_accounts($select=fullname;$filter=fullname eq 'Lee'))`);
    expect(response.status).toBe(200);
    const account = bodyOf(response).parentcustomerid_account as { name: string; contact_customer_accounts: { fullname: string }[] };
    expect(account.contact_customer_accounts.map((c) => c.fullname)).toEqual(["Lee"]);
  });

  it.each([
    ["$top on a collection below a lookup", "contacts(LEE)?$expand=parentcustomerid_account($select=name;$expand=contact_customer_accounts($select=fullname;$top=5))"],
    ["$orderby on a collection expanded inside a collection", "accounts(ACCOUNT)?$expand=contact_customer_accounts($select=fullname;$expand=Contact_ActivityPointers($select=subject;$orderby=createdon desc))"],
    ["$orderby on a lookup's own expand", "accounts(ACCOUNT)?$expand=primarycontactid($select=fullname;$orderby=fullname)"],
  ])("refuses %s with Dataverse's error", async (_name, path) => {
    const { api, account, lee } = world();
    const response = await get(api, path.replace("LEE", lee).replace("ACCOUNT", account));
    expect(response.status).toBe(400);
    expect(errorOf(response)).toEqual({ code: "0x80060888", message: EXPAND_OPTIONS_LIMITED });
  });
});
