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

  it("pages plain FetchXML with count and page and flags more records when the annotations are asked for", async () => {
    const { store, api } = emptyDataverse();
    createAccounts(store, 5);
    const xml = (page: number) => `<fetch count="2" page="${page}"><entity name="account"><attribute name="name"/><order attribute="name"/></entity></fetch>`;
    const second = bodyOf(await get(api, fetchPath("accounts", xml(2)), ALL_ANNOTATIONS));
    expect((second.value as { name: string }[]).map((r) => r.name)).toEqual(["Account 2", "Account 3"]);
    expect(second["@Microsoft.Dynamics.CRM.morerecords"]).toBe(true);
    const third = bodyOf(await get(api, fetchPath("accounts", xml(3)), ALL_ANNOTATIONS));
    expect(third["@Microsoft.Dynamics.CRM.morerecords"]).toBeUndefined();
    const unasked = bodyOf(await get(api, fetchPath("accounts", xml(2))));
    expect(Object.keys(unasked).filter((k) => k.startsWith("@Microsoft"))).toEqual([]);
  });

  it("matches like and not-like with %, _ and [set] wildcards, ignoring case and accents", async () => {
    const { store, api } = emptyDataverse();
    createAccounts(store, 5, (i) => ({ name: ["Café Nord", "CAFE SUD", "Cafés", "Caffe", "Kafe"][i] }));
    const names = async (operator: string, value: string) =>
      rowsOf(await get(api, fetchPath("accounts", `<fetch><entity name="account"><attribute name="name"/><order attribute="name"/>
        <filter><condition attribute="name" operator="${operator}" value="${value}"/></filter></entity></fetch>`))).map((r) => r.name);
    expect(await names("like", "cafe %")).toEqual(["Café Nord", "CAFE SUD"]);
    expect(await names("like", "_afe")).toEqual(["Kafe"]);
    expect(await names("like", "caf__")).toEqual(["Cafés", "Caffe"]);
    expect(await names("like", "[ck]afe")).toEqual(["Kafe"]);
    expect(await names("like", "[^k]af%")).toEqual(["Café Nord", "CAFE SUD", "Cafés", "Caffe"]);
    expect(await names("not-like", "%e")).toEqual(["Café Nord", "CAFE SUD", "Cafés"]);
  });

  it("matches the pattern's other characters literally: hyphens, slashes, dots, parentheses and backslashes", async () => {
    const { store, api } = emptyDataverse();
    const names = ["tcc-live-1 a/b (x).y\\z", "tcc-live-2 other", "tccXlive"];
    createAccounts(store, 3, (i) => ({ name: names[i] }));
    const matching = async (pattern: string) =>
      rowsOf(await get(api, fetchPath("accounts", `<fetch><entity name="account"><attribute name="name"/><order attribute="name"/><filter><condition attribute="name" operator="like" value="${pattern}"/></filter></entity></fetch>`))).map((r) => r.name);
    expect(await matching("tcc-live-1 a/b (x).y\\z")).toEqual([names[0]]);
    expect(await matching("tcc-live-[1-2]%")).toEqual([names[0], names[1]]);
    expect(await matching("tcc[-]live%")).toEqual([names[0], names[1]]);
  });

  it("treats a bracketed wildcard as a literal character", async () => {
    const { store, api } = emptyDataverse();
    createAccounts(store, 2, (i) => ({ name: ["100% Pure", "100 Pure"][i] }));
    const xml = `<fetch><entity name="account"><attribute name="name"/><filter><condition attribute="name" operator="like" value="100[%]%"/></filter></entity></fetch>`;
    expect(rowsOf(await get(api, fetchPath("accounts", xml))).map((r) => r.name)).toEqual(["100% Pure"]);
  });

  it("refuses like on a column that is not text, naming the column and its type", async () => {
    const { api } = emptyDataverse();
    const xml = `<fetch><entity name="account"><attribute name="name"/><filter><condition attribute="numberofemployees" operator="like" value="1%"/></filter></entity></fetch>`;
    const response = await get(api, fetchPath("accounts", xml));
    expect(response.status).toBe(400);
    expect(errorOf(response).message).toContain("'like' is not valid for 'numberofemployees', a integer column");
  });

  it("compares eq on text without regard to case or accents, as the _CI_AI collation does", async () => {
    const { store, api } = emptyDataverse();
    createAccounts(store, 3, (i) => ({ name: ["Crème", "CREME", "Cream"][i] }));
    const xml = `<fetch><entity name="account"><attribute name="name"/><order attribute="name"/><filter><condition attribute="name" operator="eq" value="creme"/></filter></entity></fetch>`;
    expect(rowsOf(await get(api, fetchPath("accounts", xml))).map((r) => r.name)).toEqual(["Crème", "CREME"]);
  });

  it("finds the caller's rows with eq-userid and the others' with ne-userid, and refuses them on a text column", async () => {
    const { store, api, userId } = emptyDataverse();
    const other = store.create("systemuser", { lastname: "Other" }).systemuserid as string;
    store.create("opportunity", { name: "Mine", ownerid: { id: userId, table: "systemuser" } });
    store.create("opportunity", { name: "Theirs", ownerid: { id: other, table: "systemuser" } });
    const names = async (operator: string) =>
      rowsOf(await get(api, fetchPath("opportunities", `<fetch><entity name="opportunity"><attribute name="name"/><filter><condition attribute="ownerid" operator="${operator}"/></filter></entity></fetch>`))).map((r) => r.name);
    expect(await names("eq-userid")).toEqual(["Mine"]);
    expect(await names("ne-userid")).toEqual(["Theirs"]);
    const onText = await get(api, fetchPath("opportunities", `<fetch><entity name="opportunity"><filter><condition attribute="name" operator="eq-userid"/></filter></entity></fetch>`));
    expect(errorOf(onText).message).toContain("'eq-userid' is not valid for 'name'");
  });

  it("takes on-or-after and on-or-before as whole days on date-only and date-and-time columns", async () => {
    const { store, api } = emptyDataverse();
    for (const [name, date] of [["Before", "2025-03-09"], ["Start", "2025-03-10"], ["End", "2025-03-12"], ["After", "2025-03-13"]]) {
      store.create("opportunity", { name, estimatedclosedate: date });
    }
    const names = async (condition: string) =>
      rowsOf(await get(api, fetchPath("opportunities", `<fetch><entity name="opportunity"><attribute name="name"/><order attribute="estimatedclosedate"/><filter>${condition}</filter></entity></fetch>`))).map((r) => r.name);
    expect(await names(`<condition attribute="estimatedclosedate" operator="on-or-after" value="2025-03-10"/><condition attribute="estimatedclosedate" operator="on-or-before" value="2025-03-12"/>`)).toEqual(["Start", "End"]);
    // createdon is a date and time: 09:00 on the 14th is on or before the 14th, which a bare "le 2025-03-14" would miss.
    expect(await names(`<condition attribute="createdon" operator="on-or-before" value="2025-03-14"/>`)).toHaveLength(4);
    expect(await names(`<condition attribute="createdon" operator="on-or-after" value="2025-03-15"/>`)).toEqual([]);
    const onText = await get(api, fetchPath("opportunities", `<fetch><entity name="opportunity"><filter><condition attribute="name" operator="on-or-after" value="2025-03-10"/></filter></entity></fetch>`));
    expect(errorOf(onText).message).toContain("'on-or-after' is not valid for 'name'");
  });

  it("tests null and not-null and ge and le on numbers", async () => {
    const { store, api } = emptyDataverse();
    createOpportunities(store, [{ stage: 0, value: null }, { stage: 0, value: 100 }, { stage: 0, value: 200 }]);
    const values = async (condition: string) =>
      rowsOf(await get(api, fetchPath("opportunities", `<fetch><entity name="opportunity"><attribute name="estimatedvalue"/><order attribute="estimatedvalue"/><filter>${condition}</filter></entity></fetch>`))).map((r) => r.estimatedvalue);
    expect(await values(`<condition attribute="estimatedvalue" operator="null"/>`)).toEqual([null]);
    expect(await values(`<condition attribute="estimatedvalue" operator="not-null"/>`)).toEqual([100, 200]);
    expect(await values(`<condition attribute="estimatedvalue" operator="ge" value="100"/><condition attribute="estimatedvalue" operator="le" value="150"/>`)).toEqual([100]);
  });

  it("tests a condition with entityname on an outer link's columns after the join, so an or-filter can match the deal or its account", async () => {
    const { store, api } = emptyDataverse();
    const [contoso, fabrikam] = createAccounts(store, 2, (i) => ({ name: ["Contoso", "Fabrikam"][i] }));
    store.create("opportunity", { name: "Contoso renewal", parentaccountid: { id: fabrikam, table: "account" } });
    store.create("opportunity", { name: "Licences", parentaccountid: { id: contoso, table: "account" } });
    store.create("opportunity", { name: "Licences", parentaccountid: { id: fabrikam, table: "account" } });
    store.create("opportunity", { name: "No account" });
    const search = (alias: string, entityname: string) => `<fetch><entity name="opportunity"><attribute name="name"/><order attribute="name"/>
      <filter type="or">
        <condition attribute="name" operator="like" value="%contoso%"/>
        <condition entityname="${entityname}" attribute="name" operator="like" value="%contoso%"/>
      </filter>
      <link-entity name="account" from="accountid" to="parentaccountid" link-type="outer"${alias}><attribute name="name"/></link-entity>
    </entity></fetch>`;
    const rows = rowsOf(await get(api, fetchPath("opportunities", search(' alias="a"', "a"))));
    expect(rows.map((r) => [r.name, r["a.name"]])).toEqual([["Contoso renewal", "Fabrikam"], ["Licences", "Contoso"]]);
    // Without an alias, entityname is the link's table name.
    expect(rowsOf(await get(api, fetchPath("opportunities", search("", "account"))))).toHaveLength(2);
    const noAccount = `<fetch><entity name="opportunity"><attribute name="name"/><filter><condition entityname="a" attribute="name" operator="null"/></filter>
      <link-entity name="account" from="accountid" to="parentaccountid" link-type="outer" alias="a"/></entity></fetch>`;
    expect(rowsOf(await get(api, fetchPath("opportunities", noAccount))).map((r) => r.name)).toEqual(["No account"]);
    const unknown = await get(api, fetchPath("opportunities", search(' alias="a"', "b")));
    expect(errorOf(unknown).message).toContain("names entity 'b'");
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

  it("answers from the rows as they are now after a write, a read-depth change or a change of caller", async () => {
    const { store, api, userId } = emptyDataverse();
    const other = store.create("systemuser", { lastname: "Other" }).systemuserid as string;
    const mine = store.create("opportunity", { name: "Mine", ownerid: { id: userId, table: "systemuser" } }).opportunityid as string;
    store.create("opportunity", { name: "Theirs", ownerid: { id: other, table: "systemuser" } });
    const names = async () => rowsOf(await get(api, fetchPath("opportunities", `<fetch><entity name="opportunity"><attribute name="name"/><order attribute="name"/></entity></fetch>`))).map((r) => r.name);
    expect(await names()).toEqual(["Mine", "Theirs"]);
    store.update("opportunity", mine, { name: "Zed" });
    expect(await names()).toEqual(["Theirs", "Zed"]);
    store.setReadDepth("opportunity", "Basic");
    expect(await names()).toEqual(["Zed"]);
    store.callerId = other;
    expect(await names()).toEqual(["Theirs"]);
  });

  it("refuses FetchXML that is not well-formed", async () => {
    const { api } = emptyDataverse();
    expect((await get(api, fetchPath("accounts", "<fetch><entity name='account'>"))).status).toBe(400);
  });
});
