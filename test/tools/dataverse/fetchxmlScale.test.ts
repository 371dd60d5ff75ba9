import { bodyOf, emptyDataverse, errorOf, get, rowsOf } from "./helpers";
import type { InMemoryWebApi } from "../../../tools/dataverse/webApiHandler";

const PAGING = { Prefer: 'odata.include-annotations="Microsoft.Dynamics.CRM.fetchxmlpagingcookie,Microsoft.Dynamics.CRM.morerecords"' };
const fetchPath = (xml: string) => `opportunities?fetchXml=${encodeURIComponent(xml)}`;
const escapeXml = (text: string) => text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const innerCookie = (annotation: unknown) => decodeURIComponent(decodeURIComponent(/pagingcookie="([^"]*)"/.exec(String(annotation))![1]));

const TOTAL = 100_000;
const LANE = 30_000;

/** 100,000 open deals: the first 30,000 in stage 1, the rest in stage 2; two in five belong to Contoso. */
function bigPipeline(): { api: InMemoryWebApi } {
  const { store, api } = emptyDataverse();
  const contoso = store.create("account", { name: "Contoso" }).accountid as string;
  for (let i = 0; i < TOTAL; i++) {
    store.create("opportunity", {
      name: `Deal ${String(i).padStart(6, "0")}`,
      salesstage: i < LANE ? 1 : 2,
      estimatedvalue: 100,
      ...(i % 5 < 2 && { parentaccountid: { id: contoso, table: "account" } }),
    });
  }
  return { api };
}

const aggregate = (filter: string, link = "") => `<fetch aggregate="true"><entity name="opportunity">
  <attribute name="salesstage" alias="stage" groupby="true"/><attribute name="opportunityid" alias="deals" aggregate="count"/>
  <filter>${filter}</filter>${link}</entity></fetch>`;

describe("FetchXML over 100,000 opportunities", () => {
  let api: InMemoryWebApi;
  beforeAll(() => {
    ({ api } = bigPipeline());
  });

  it("counts a 30,000-row lane with an aggregate while the whole 100,000-row view hits AggregateQueryRecordLimit", async () => {
    expect(rowsOf(await get(api, fetchPath(aggregate(`<condition attribute="salesstage" operator="eq" value="1"/>`))))).toEqual([{ stage: 1, deals: LANE }]);
    const whole = await get(api, fetchPath(aggregate(`<condition attribute="statecode" operator="eq" value="0"/>`)));
    expect(whole.status).toBe(400);
    expect(errorOf(whole).code).toBe("0x8004e023");
  });

  it("counts the rows left after an inner link, not the table's: 40,000 Contoso deals aggregate", async () => {
    const link = `<link-entity name="account" from="accountid" to="parentaccountid" alias="a"><filter><condition attribute="name" operator="eq" value="Contoso"/></filter></link-entity>`;
    const rows = rowsOf(await get(api, fetchPath(aggregate("", link))));
    expect(rows.reduce((sum, r) => sum + (r.deals as number), 0)).toBe(40_000);
  });

  it("pages a 30,000-row lane to its last row with paging cookies, first 5,000 at a time, then 50", async () => {
    const lane = (count: number, page: number, cookie?: string) => `<fetch count="${count}" page="${page}"${cookie ? ` paging-cookie="${escapeXml(cookie)}"` : ""}>
      <entity name="opportunity"><attribute name="name"/><order attribute="name" descending="true"/>
      <filter><condition attribute="statecode" operator="eq" value="0"/><filter><condition attribute="salesstage" operator="eq" value="1"/></filter></filter></entity></fetch>`;
    const names: string[] = [];
    let cookie: string | undefined;
    let page = 1;
    for (;; page++) {
      const body = bodyOf(await get(api, fetchPath(lane(names.length < 25_000 ? 5000 : 50, page, cookie)), PAGING));
      names.push(...(body.value as { name: string }[]).map((r) => r.name));
      if (body["@Microsoft.Dynamics.CRM.morerecords"] !== true) break;
      cookie = innerCookie(body["@Microsoft.Dynamics.CRM.fetchxmlpagingcookie"]);
    }
    expect(names).toHaveLength(LANE);
    expect(new Set(names).size).toBe(LANE);
    expect([names[0], names[LANE - 1]]).toEqual(["Deal 029999", "Deal 000000"]);
    expect(page).toBe(5 + 100);
  });
});
