import { ALL_ANNOTATIONS, createAccounts, emptyDataverse, errorOf, get, bodyOf, rowsOf } from "./helpers";
import type { DataverseStore } from "../../../tools/dataverse/store";

const fetchPath = (set: string, xml: string) => `${set}?fetchXml=${encodeURIComponent(xml)}`;

function createOpportunities(store: DataverseStore, rows: { stage: number; value: number | null }[]): void {
  for (const r of rows) store.create("opportunity", { name: "Deal", salesstage: r.stage, estimatedvalue: r.value });
}

const laneTotals = `<fetch aggregate="true"><entity name="opportunity">
  <attribute name="salesstage" alias="stage" groupby="true"/>
  <attribute name="opportunityid" alias="deals" aggregate="count"/>
  <attribute name="estimatedvalue_base" alias="total" aggregate="sum"/>
  <attribute name="estimatedvalue_base" alias="average" aggregate="avg"/>
  <order alias="stage"/>
</entity></fetch>`;

describe("FetchXML over the in-memory Web API", () => {
  it("groups by a choice and returns count, sum and average with the choice label", async () => {
    const { store, api } = emptyDataverse();
    createOpportunities(store, [{ stage: 0, value: 100 }, { stage: 0, value: 300 }, { stage: 2, value: 50 }]);
    const rows = rowsOf(await get(api, fetchPath("opportunities", laneTotals), ALL_ANNOTATIONS));
    expect(rows).toEqual([
      { stage: 0, "stage@OData.Community.Display.V1.FormattedValue": "Qualify", deals: 2, total: 400, average: 200 },
      { stage: 2, "stage@OData.Community.Display.V1.FormattedValue": "Propose", deals: 1, total: 50, average: 50 },
    ]);
  });

  it("ignores null amounts in sum and avg but counts their rows", async () => {
    const { store, api } = emptyDataverse();
    createOpportunities(store, [{ stage: 1, value: null }, { stage: 1, value: 10 }]);
    const [row] = rowsOf(await get(api, fetchPath("opportunities", laneTotals)));
    expect([row.deals, row.total, row.average]).toEqual([2, 10, 10]);
  });

  it("applies the filter before aggregating", async () => {
    const { store, api } = emptyDataverse();
    createOpportunities(store, [{ stage: 1, value: 10 }, { stage: 1, value: 20 }]);
    const xml = `<fetch aggregate="true"><entity name="opportunity"><attribute name="estimatedvalue" alias="total" aggregate="sum"/>
      <filter><condition attribute="estimatedvalue" operator="gt" value="15"/></filter></entity></fetch>`;
    expect(rowsOf(await get(api, fetchPath("opportunities", xml)))).toEqual([{ total: 20 }]);
  });

  it("counts distinct non-null values with countcolumn", async () => {
    const { store, api } = emptyDataverse();
    createAccounts(store, 4, (i) => ({ name: "A", address1_city: [null, "Oslo", "Oslo", "Rome"][i] }));
    const xml = `<fetch aggregate="true"><entity name="account"><attribute name="address1_city" alias="cities" aggregate="countcolumn" distinct="true"/></entity></fetch>`;
    expect(rowsOf(await get(api, fetchPath("accounts", xml)))).toEqual([{ cities: 2 }]);
  });

  it("fails an aggregate over 50,001 rows with Dataverse's AggregateQueryRecordLimit error", async () => {
    const { store, api } = emptyDataverse();
    createAccounts(store, 50_001, () => ({ name: "A" }));
    const xml = `<fetch aggregate="true"><entity name="account"><attribute name="accountid" alias="n" aggregate="count"/></entity></fetch>`;
    const response = await get(api, fetchPath("accounts", xml));
    expect(response.status).toBe(400);
    expect(errorOf(response)).toEqual({ code: "0x8004e023", message: "AggregateQueryRecordLimit exceeded. Cannot perform this operation." });
  });

  it("aggregates exactly 50,000 rows", async () => {
    const { store, api } = emptyDataverse();
    createAccounts(store, 50_000, () => ({ name: "A" }));
    const xml = `<fetch aggregate="true"><entity name="account"><attribute name="accountid" alias="n" aggregate="count"/></entity></fetch>`;
    expect(rowsOf(await get(api, fetchPath("accounts", xml)))).toEqual([{ n: 50_000 }]);
  });

  it("pages plain FetchXML with count and page and flags more records", async () => {
    const { store, api } = emptyDataverse();
    createAccounts(store, 5);
    const xml = (page: number) => `<fetch count="2" page="${page}"><entity name="account"><attribute name="name"/><order attribute="name"/></entity></fetch>`;
    const second = bodyOf(await get(api, fetchPath("accounts", xml(2))));
    expect((second.value as { name: string }[]).map((r) => r.name)).toEqual(["Account 2", "Account 3"]);
    expect(second["@Microsoft.Dynamics.CRM.morerecords"]).toBe(true);
    const third = bodyOf(await get(api, fetchPath("accounts", xml(3))));
    expect(third["@Microsoft.Dynamics.CRM.morerecords"]).toBeUndefined();
  });

  it("matches like patterns case-insensitively", async () => {
    const { store, api } = emptyDataverse();
    createAccounts(store, 3, (i) => ({ name: ["Contoso", "CONTOSO Labs", "Fabrikam"][i] }));
    const xml = `<fetch><entity name="account"><attribute name="name"/><filter><condition attribute="name" operator="like" value="contoso%"/></filter></entity></fetch>`;
    expect(rowsOf(await get(api, fetchPath("accounts", xml)))).toHaveLength(2);
  });

  it("filters a lookup by id with in", async () => {
    const { store, api, userId } = emptyDataverse();
    const otherUser = store.create("systemuser", { lastname: "Other" }).systemuserid as string;
    createAccounts(store, 2, (i) => ({ name: `A${i}`, ownerid: { id: i === 0 ? userId : otherUser, table: "systemuser" } }));
    const xml = `<fetch><entity name="account"><attribute name="name"/><filter><condition attribute="ownerid" operator="in"><value>${userId.toUpperCase()}</value></condition></filter></entity></fetch>`;
    expect(rowsOf(await get(api, fetchPath("accounts", xml))).map((r) => r.name)).toEqual(["A0"]);
  });

  it("groups by a column of an outer link-entity, counting the rows without a match in a null group", async () => {
    const { store, api } = emptyDataverse();
    const stage = store.create("processstage", { stagename: "Develop", stagecategory: 1 }).processstageid as string;
    const [a, b] = ["A", "B", "C"].map((name) => store.create("opportunity", { name, estimatedvalue: 100 }).opportunityid as string);
    for (const id of [a, b]) store.create("opportunitysalesprocess", { opportunityid: { id, table: "opportunity" }, activestageid: { id: stage, table: "processstage" } });
    const xml = `<fetch aggregate="true"><entity name="opportunity">
      <attribute name="opportunityid" alias="deals" aggregate="count"/>
      <attribute name="estimatedvalue_base" alias="total" aggregate="sum"/>
      <link-entity name="opportunitysalesprocess" from="opportunityid" to="opportunityid" link-type="outer" alias="bpf">
        <attribute name="activestageid" alias="stage" groupby="true"/>
      </link-entity>
    </entity></fetch>`;
    const rows = rowsOf(await get(api, fetchPath("opportunities", xml), ALL_ANNOTATIONS));
    expect(rows).toEqual([
      { stage, "stage@OData.Community.Display.V1.FormattedValue": "Develop", deals: 2, total: 200 },
      { stage: null, deals: 1, total: 100 },
    ]);
  });

  it("keeps only the rows an inner link-entity matches under its own filter, and names its columns alias.column", async () => {
    const { store, api } = emptyDataverse();
    const [contoso, fabrikam] = createAccounts(store, 2, (i) => ({ name: i === 0 ? "Contoso" : "Fabrikam" }));
    for (const account of [contoso, fabrikam, contoso]) store.create("opportunity", { name: "Deal", parentaccountid: { id: account, table: "account" } });
    store.create("opportunity", { name: "No account" });
    const xml = `<fetch><entity name="opportunity"><attribute name="name"/>
      <link-entity name="account" from="accountid" to="parentaccountid" alias="a">
        <attribute name="name"/>
        <filter><condition attribute="name" operator="eq" value="Contoso"/></filter>
      </link-entity>
    </entity></fetch>`;
    const rows = rowsOf(await get(api, fetchPath("opportunities", xml)));
    expect(rows.map((r) => [r.name, r["a.name"]])).toEqual([
      ["Deal", "Contoso"],
      ["Deal", "Contoso"],
    ]);
  });

  it("refuses the link-entity forms it does not run instead of ignoring them", async () => {
    const { api } = emptyDataverse();
    const refused = async (link: string) => {
      const response = await get(api, fetchPath("accounts", `<fetch><entity name="account"><attribute name="name"/>${link}</entity></fetch>`));
      expect(response.status).toBe(400);
      return errorOf(response).message;
    };
    expect(await refused(`<link-entity name="contact" from="parentcustomerid" to="accountid" link-type="exists"/>`)).toContain("link-type 'exists'");
    expect(await refused(`<link-entity name="contact" from="parentcustomerid" to="accountid"><link-entity name="account" from="accountid" to="parentcustomerid"/></link-entity>`)).toContain(
      "inside <link-entity",
    );
    expect(await refused(`<link-entity name="nosuchtable" from="x" to="accountid"/>`)).toContain("there is no table 'nosuchtable'");
    expect(await refused(`<link-entity name="contact" from="parentcustomerid" to="accountid"><filter><condition entityname="x" attribute="a" operator="null"/></filter></link-entity>`)).toContain("entityname");
  });

  it("refuses FetchXML that is not well-formed", async () => {
    const { api } = emptyDataverse();
    expect((await get(api, fetchPath("accounts", "<fetch><entity name='account'>"))).status).toBe(400);
  });
});
