import { toQueryString } from "../../../../components/common/src";
import {
  accountCardQuery,
  clampActivityCount,
  contactCardQuery,
  dealRoomQuery,
  type RelatedTable,
} from "../../../../components/CustomerContextPanel/CustomerContextPanel/model/query";

const all = () => true;

describe("accountCardQuery", () => {
  it("asks for the account and every related list in one query, with the activity count as $top", () => {
    const q = accountCardQuery({ recentActivityCount: 7, canRead: all });
    const navs = (q.expand ?? []).map((e) => e.navigationProperty);
    expect(navs).toEqual([
      "Account_ActivityPointers",
      "Account_Emails",
      "Account_Phonecalls",
      "opportunity_customer_accounts",
      "incident_customer_accounts",
      "contact_customer_accounts",
      "tcc_account_tcc_teamslink_accountid",
      "owninguser",
    ]);
    const activities = q.expand?.[0];
    expect(activities).toMatchObject({ top: 7, orderBy: ["createdon desc"] });
    expect(q.select).toEqual(expect.arrayContaining(["name", "industrycode", "customersizecode", "customertypecode", "revenue", "_ownerid_value", "_primarycontactid_value"]));
  });

  it("keeps within Dataverse's limits: at most 15 expands and no nested expand under a collection with $top", () => {
    const q = accountCardQuery({ recentActivityCount: 50, canRead: all });
    expect((q.expand ?? []).length).toBeLessThanOrEqual(15);
    for (const e of q.expand ?? []) expect(e).not.toHaveProperty("expand");
  });

  it("asks only for open opportunities, active cases, active contacts and active Teams links", () => {
    const q = accountCardQuery({ recentActivityCount: 10, canRead: all });
    const filterOf = (nav: string) => q.expand?.find((e) => e.navigationProperty === nav)?.filter;
    expect(filterOf("opportunity_customer_accounts")).toBe("statecode eq 0");
    expect(filterOf("incident_customer_accounts")).toBe("statecode eq 0");
    expect(filterOf("contact_customer_accounts")).toBe("statecode eq 0");
    expect(filterOf("tcc_account_tcc_teamslink_accountid")).toBe("statecode eq 0");
  });

  it("leaves out the lists of tables the user may not read, instead of failing the whole request", () => {
    const denied = new Set<RelatedTable>(["incident", "activitypointer"]);
    const q = accountCardQuery({ recentActivityCount: 10, canRead: (t) => !denied.has(t) });
    const navs = (q.expand ?? []).map((e) => e.navigationProperty);
    expect(navs).not.toContain("incident_customer_accounts");
    expect(navs).not.toContain("Account_ActivityPointers");
    expect(navs).not.toContain("Account_Emails");
    expect(navs).toContain("opportunity_customer_accounts");
  });

  it("encodes to a query string the Web API parses, nested options separated by semicolons", () => {
    const qs = decodeURIComponent(toQueryString(accountCardQuery({ recentActivityCount: 3, canRead: all })));
    expect(qs).toContain("Account_ActivityPointers($select=activityid,activitytypecode,subject,scheduledstart,scheduledend,actualend,createdon,statecode,_ownerid_value;$orderby=createdon desc;$top=3)");
  });
});

describe("contactCardQuery", () => {
  it("asks for the contact, its parent customer and its own related lists, without account-only lists", () => {
    const q = contactCardQuery({ recentActivityCount: 10, canRead: all });
    expect(q.select).toContain("_parentcustomerid_value");
    const navs = (q.expand ?? []).map((e) => e.navigationProperty);
    expect(navs).toEqual(["Contact_ActivityPointers", "Contact_Emails", "Contact_Phonecalls", "opportunity_customer_contacts", "incident_customer_contacts", "owninguser"]);
  });
});

describe("clampActivityCount", () => {
  it("keeps the count between 1 and 50 and defaults to 10", () => {
    expect(clampActivityCount(0)).toBe(1);
    expect(clampActivityCount(51)).toBe(50);
    expect(clampActivityCount(12.6)).toBe(13);
    expect(clampActivityCount(null)).toBe(10);
    expect(clampActivityCount(Number.NaN)).toBe(10);
  });
});

describe("dealRoomQuery", () => {
  const A = "0a000000-0000-4000-8000-00000000000a";
  it("filters active deal-room chats by the deals' ids, each once, without braces and in lower case", () => {
    const query = dealRoomQuery([A, `{${A.toUpperCase()}}`, "0A000000-0000-4000-8000-00000000000B"]);
    expect(query?.filter).toBe(
      `tcc_kind eq 615300002 and statecode eq 0 and tcc_status eq 615300001 and Microsoft.Dynamics.CRM.In(PropertyName='tcc_opportunityid',PropertyValues=['${A}','0a000000-0000-4000-8000-00000000000b'])`,
    );
    expect(query?.select).toEqual(["tcc_teamslinkid", "tcc_name", "tcc_kind", "tcc_status", "tcc_approvalstatus", "tcc_chatid", "tcc_weburl", "_tcc_opportunityid_value"]);
  });

  it("lets nothing but GUIDs into the filter, and asks nothing without one", () => {
    expect(dealRoomQuery(["x') or true or ('", "opp-1", ""])).toBeUndefined();
    expect(dealRoomQuery([])).toBeUndefined();
    expect(dealRoomQuery([`${A}'`, A])?.filter).not.toContain(`${A}''`);
  });
});
