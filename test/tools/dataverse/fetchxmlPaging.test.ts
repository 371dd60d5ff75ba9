import { ALL_ANNOTATIONS, bodyOf, createAccounts, emptyDataverse, errorOf, get, rowsOf } from "./helpers";
import type { InMemoryWebApi } from "../../../tools/dataverse/webApiHandler";

const PAGING = { Prefer: 'odata.include-annotations="Microsoft.Dynamics.CRM.fetchxmlpagingcookie,Microsoft.Dynamics.CRM.morerecords"' };
const fetchPath = (set: string, xml: string) => `${set}?fetchXml=${encodeURIComponent(xml)}`;
const escapeXml = (text: string) => text.replace(/&/g, "&amp;").replace(/'/g, "&apos;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** What a client does with the annotation, as Microsoft's page describes: the pagingcookie attribute, URL-decoded twice. */
function innerCookie(annotation: unknown): string {
  const encoded = /pagingcookie="([^"]*)"/.exec(String(annotation))?.[1];
  if (encoded === undefined) throw new Error(`no pagingcookie in ${String(annotation)}`);
  return decodeURIComponent(decodeURIComponent(encoded));
}

const byName = (count: number, page: number, cookie?: string, extra = "") =>
  `<fetch count="${count}" page="${page}"${cookie ? ` paging-cookie='${escapeXml(cookie)}'` : ""}${extra}>
    <entity name="account"><attribute name="name"/><order attribute="name"/></entity></fetch>`;

async function page(api: InMemoryWebApi, xml: string, headers: Record<string, string> = PAGING) {
  const response = await get(api, fetchPath("accounts", xml), headers);
  const body = bodyOf(response);
  return {
    status: response.status,
    preferenceApplied: response.headers["Preference-Applied"],
    names: ((body.value ?? []) as { name: string }[]).map((r) => r.name),
    more: body["@Microsoft.Dynamics.CRM.morerecords"],
    annotation: body["@Microsoft.Dynamics.CRM.fetchxmlpagingcookie"] as string | undefined,
    body,
  };
}

describe("FetchXML paging cookies over the in-memory Web API", () => {
  it("answers a page with more rows with Dataverse's cookie shape: pagenumber, a twice URL-encoded inner cookie and istracking", async () => {
    const { store, api } = emptyDataverse();
    const ids = createAccounts(store, 5, (i) => ({ name: ["Ann (sample)", "Bo", "Cy", "Di", "Ed"][i] }));
    const first = await page(api, byName(2, 1));
    expect(first.more).toBe(true);
    expect(first.preferenceApplied).toBe(PAGING.Prefer);
    expect(first.annotation).toMatch(/^<cookie pagenumber="2" pagingcookie="%253ccookie%2520page%253d%25221%2522%253e[^"]*" istracking="False" \/>$/);
    expect(innerCookie(first.annotation)).toBe(
      `<cookie page="1"><name last="Bo" first="Ann (sample)" /><accountid last="{${ids[1].toUpperCase()}}" first="{${ids[0].toUpperCase()}}" /></cookie>`,
    );
  });

  it("walks every row once with the cookie, in the view's order, and sends neither annotation on the last page", async () => {
    const { store, api } = emptyDataverse();
    createAccounts(store, 7, (i) => ({ name: `Account ${7 - i}` }));
    const seen: string[] = [];
    let cookie: string | undefined;
    for (let n = 1; ; n++) {
      const result = await page(api, byName(3, n, cookie));
      seen.push(...result.names);
      if (!result.more) {
        expect(result.annotation).toBeUndefined();
        break;
      }
      cookie = innerCookie(result.annotation);
    }
    expect(seen).toEqual(["Account 1", "Account 2", "Account 3", "Account 4", "Account 5", "Account 6", "Account 7"]);
  });

  it("continues after the cookie's last row, so rows inserted or deleted before it are neither repeated nor skipped", async () => {
    const { store, api } = emptyDataverse();
    const ids = createAccounts(store, 6, (i) => ({ name: `Account ${i + 1}` }));
    const first = await page(api, byName(3, 1));
    expect(first.names).toEqual(["Account 1", "Account 2", "Account 3"]);
    store.delete("account", ids[0]);
    store.delete("account", ids[1]);
    store.create("account", { name: "Account 0" });
    const second = await page(api, byName(3, 2, innerCookie(first.annotation)));
    expect(second.names).toEqual(["Account 4", "Account 5", "Account 6"]);
    // Simple paging on the same data shifts by the changes it cannot see, and Account 4 is never shown.
    expect((await page(api, byName(3, 2))).names).toEqual(["Account 5", "Account 6"]);
  });

  it("lets the page size change between requests: the next page starts after the cookie's last row whatever its count", async () => {
    const { store, api } = emptyDataverse();
    createAccounts(store, 9, (i) => ({ name: `Account ${i + 1}` }));
    const first = await page(api, byName(5, 1));
    const second = await page(api, byName(2, 2, innerCookie(first.annotation)));
    expect(second.names).toEqual(["Account 6", "Account 7"]);
  });

  it("returns the rows before the cookie's first row for the page before it", async () => {
    const { store, api } = emptyDataverse();
    createAccounts(store, 10, (i) => ({ name: `Account ${String(i + 1).padStart(2, "0")}` }));
    const first = await page(api, byName(3, 1));
    const second = await page(api, byName(3, 2, innerCookie(first.annotation)));
    const third = await page(api, byName(3, 3, innerCookie(second.annotation)));
    expect(third.names).toEqual(["Account 07", "Account 08", "Account 09"]);
    const fourth = await page(api, byName(3, 4, innerCookie(third.annotation)));
    expect(fourth.names).toEqual(["Account 10"]);
    const back = await page(api, byName(2, 2, innerCookie(third.annotation)));
    expect(back.names).toEqual(["Account 05", "Account 06"]);
  });

  it("ignores the cookie for a page that is not next to it, paging simply instead", async () => {
    const { store, api } = emptyDataverse();
    const ids = createAccounts(store, 9, (i) => ({ name: `Account ${i + 1}` }));
    const first = await page(api, byName(2, 1));
    store.delete("account", ids[0]);
    expect((await page(api, byName(2, 3, innerCookie(first.annotation)))).names).toEqual(["Account 6", "Account 7"]);
    expect((await page(api, byName(2, 1, innerCookie(first.annotation)))).names).toEqual(["Account 2", "Account 3"]);
  });

  it("orders rows that tie on every order column by id, and records null order values as firstnull/lastnull", async () => {
    const { store, api } = emptyDataverse();
    const ids = createAccounts(store, 4, (i) => ({ name: `Same ${i}`, address1_city: i < 3 ? null : "Oslo" }));
    const xml = (n: number, cookie?: string) => `<fetch count="2" page="${n}"${cookie ? ` paging-cookie='${escapeXml(cookie)}'` : ""}>
      <entity name="account"><attribute name="name"/><order attribute="address1_city"/></entity></fetch>`;
    const first = await page(api, xml(1));
    const sortedIds = [...ids.slice(0, 3)].sort();
    expect(innerCookie(first.annotation)).toBe(
      `<cookie page="1"><address1_city lastnull="1" firstnull="1" /><accountid last="{${sortedIds[1].toUpperCase()}}" first="{${sortedIds[0].toUpperCase()}}" /></cookie>`,
    );
    const second = await page(api, xml(2, innerCookie(first.annotation)));
    expect(second.names).toEqual([`Same ${ids.indexOf(sortedIds[2])}`, "Same 3"]);
    expect(second.more).toBeUndefined();
  });

  it("keeps the cookie's values through XML escaping: quotes, ampersands and angle brackets in an order column", async () => {
    const { store, api } = emptyDataverse();
    createAccounts(store, 4, (i) => ({ name: [`A "Q" & <Co>`, `B 'x'`, "C", "D"][i] }));
    const first = await page(api, byName(2, 1));
    expect(innerCookie(first.annotation)).toContain(`first="A &quot;Q&quot; &amp; &lt;Co&gt;"`);
    expect((await page(api, byName(2, 2, innerCookie(first.annotation)))).names).toEqual(["C", "D"]);
  });

  it("sends no cookie, but still flags more records, when the query orders on a link's column", async () => {
    const { store, api } = emptyDataverse();
    const [parent] = createAccounts(store, 1, () => ({ name: "Parent" }));
    createAccounts(store, 3, (i) => ({ name: `Child ${i}`, parentaccountid: { id: parent, table: "account" } }));
    const xml = `<fetch count="2" page="1"><entity name="account"><attribute name="name"/>
      <link-entity name="account" from="accountid" to="parentaccountid" alias="p"><attribute name="name"/></link-entity>
      <order entityname="p" attribute="name"/><order attribute="name"/></entity></fetch>`;
    const result = await page(api, xml);
    expect(result.names).toEqual(["Child 0", "Child 1"]);
    expect(result.more).toBe(true);
    expect(result.annotation).toBeUndefined();
  });

  it("refuses simple paging past row 50,000 with the error Dataverse users report, and pages with a cookie there", async () => {
    const { store, api } = emptyDataverse();
    createAccounts(store, 3);
    const high = await page(api, byName(5000, 11));
    expect(high.status).toBe(400);
    expect(errorOf({ status: 400, headers: {}, body: JSON.stringify(high.body) }).message).toContain("Paging cookie is required when trying to retrieve a set of records on any high pages.");
    expect((await page(api, byName(5000, 10))).status).toBe(200);
    const cookie = `<cookie page="10"><name last="Account 0" first="Account 0" /><accountid last="{FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF}" first="{00000000-0000-0000-0000-000000000000}" /></cookie>`;
    expect((await page(api, byName(5000, 11, cookie))).names).toEqual(["Account 1", "Account 2"]);
  });

  it("refuses a cookie issued for another order, a malformed cookie, a count over 5,000 and top with paging", async () => {
    const { store, api } = emptyDataverse();
    createAccounts(store, 3);
    const refused = async (xml: string) => {
      const result = await page(api, xml);
      expect(result.status).toBe(400);
      return (result.body as { error: { message: string } }).error.message;
    };
    expect(await refused(byName(2, 2, `<cookie page="1"><createdon last="2025-01-01" first="2025-01-01" /></cookie>`))).toContain("a cookie only continues the query that issued it");
    expect(await refused(byName(2, 2, "not a cookie"))).toContain("paging-cookie");
    expect(await refused(byName(5001, 1))).toContain("'count' is at most 5000");
    expect(await refused(`<fetch top="2" count="2"><entity name="account"/></fetch>`)).toContain("'top' cannot be combined with paging");
  });
});

describe("FetchXML order over the in-memory Web API", () => {
  const stagesInOrder = async (api: InMemoryWebApi, raw: string, cookie?: { page: number; value: string }) => {
    const xml = `<fetch count="2" page="${cookie ? cookie.page + 1 : 1}"${raw}${cookie ? ` paging-cookie='${escapeXml(cookie.value)}'` : ""}>
      <entity name="opportunity"><attribute name="salesstage"/><order attribute="salesstage"/></entity></fetch>`;
    const body = bodyOf(await get(api, `opportunities?fetchXml=${encodeURIComponent(xml)}`, PAGING));
    return { stages: (body.value as { salesstage: number }[]).map((r) => r.salesstage), annotation: body["@Microsoft.Dynamics.CRM.fetchxmlpagingcookie"] };
  };

  it("orders a choice by its label in the caller's language, and by its value with useraworderby", async () => {
    const { store, api } = emptyDataverse();
    for (const stage of [0, 1, 2, 3]) store.create("opportunity", { name: "Deal", salesstage: stage });
    const first = await stagesInOrder(api, "");
    // Close, Develop, Propose, Qualify.
    expect(first.stages).toEqual([3, 1]);
    expect((await stagesInOrder(api, "", { page: 1, value: innerCookie(first.annotation) })).stages).toEqual([2, 0]);
    expect((await stagesInOrder(api, ' useraworderby="true"')).stages).toEqual([0, 1]);
    api.language = 2052;
    // 建议 (U+5EFA), 开发 (U+5F00), 成交 (U+6210), 资格审查 (U+8D44): code-point order, not pinyin or strokes.
    expect((await stagesInOrder(api, "")).stages).toEqual([2, 1]);
  });

  it("orders a lookup by the primary name of the row it names", async () => {
    const { store, api } = emptyDataverse();
    const [zeta, alpha] = createAccounts(store, 2, (i) => ({ name: ["Zeta", "Alpha"][i] }));
    store.create("opportunity", { name: "Z deal", parentaccountid: { id: zeta, table: "account" } });
    store.create("opportunity", { name: "A deal", parentaccountid: { id: alpha, table: "account" } });
    const xml = `<fetch><entity name="opportunity"><attribute name="name"/><order attribute="parentaccountid"/></entity></fetch>`;
    expect(rowsOf(await get(api, `opportunities?fetchXml=${encodeURIComponent(xml)}`)).map((r) => r.name)).toEqual(["A deal", "Z deal"]);
  });
});

describe("FetchXML total record count over the in-memory Web API", () => {
  const counting = (extra: string) => `<fetch count="10" page="1"${extra}><entity name="account"><attribute name="name"/><order attribute="name"/></entity></fetch>`;

  it("counts the matched rows with returntotalrecordcount in @odata.count and the annotations", async () => {
    const { store, api } = emptyDataverse();
    createAccounts(store, 12);
    const body = bodyOf(await get(api, fetchPath("accounts", counting(' returntotalrecordcount="true"')), ALL_ANNOTATIONS));
    expect(body["@odata.count"]).toBe(12);
    expect(body["@Microsoft.Dynamics.CRM.totalrecordcount"]).toBe(12);
    expect(body["@Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded"]).toBe(false);
    expect(rowsOf(await get(api, fetchPath("accounts", counting(' returntotalrecordcount="true"'))))).toHaveLength(10);
  });

  it("stops counting at 5,000 and says the limit was exceeded", async () => {
    const { store, api } = emptyDataverse();
    createAccounts(store, 5001);
    const body = bodyOf(await get(api, fetchPath("accounts", counting(' returntotalrecordcount="true"')), ALL_ANNOTATIONS));
    expect([body["@odata.count"], body["@Microsoft.Dynamics.CRM.totalrecordcount"], body["@Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded"]]).toEqual([5000, 5000, true]);
  });

  it("counts with $count=true as with returntotalrecordcount, and answers -1 when the query did not ask to count", async () => {
    const { store, api } = emptyDataverse();
    createAccounts(store, 3);
    const dollar = bodyOf(await get(api, `${fetchPath("accounts", counting(""))}&$count=true`, ALL_ANNOTATIONS));
    expect(dollar["@odata.count"]).toBe(3);
    const unasked = bodyOf(await get(api, fetchPath("accounts", counting("")), ALL_ANNOTATIONS));
    expect(unasked["@odata.count"]).toBeUndefined();
    expect([unasked["@Microsoft.Dynamics.CRM.totalrecordcount"], unasked["@Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded"]]).toEqual([-1, false]);
  });

  it("refuses returntotalrecordcount with top", async () => {
    const { api } = emptyDataverse();
    const response = await get(api, fetchPath("accounts", `<fetch top="5" returntotalrecordcount="true"><entity name="account"/></fetch>`));
    expect(errorOf(response).message).toContain("'top' cannot be combined with 'returntotalrecordcount'");
  });
});
