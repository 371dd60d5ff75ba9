import { fetchXmlPagingOf } from "@tcc/common";

/** The wrapper the Web API sends, with the real cookie URL-encoded twice, as Microsoft's paging documentation shows. */
function wrapper(cookie: string, page: number): string {
  return `<cookie pagenumber="${page}" pagingcookie="${encodeURIComponent(encodeURIComponent(cookie))}" istracking="False" />`;
}

describe("reading the paging of a FetchXML response", () => {
  const cookie = '<cookie page="1"><estimatedclosedate last="2026-03-14" first="2026-01-02" /><opportunityid last="{AB12}" first="{CD34}" /></cookie>';

  it("gives the cookie decoded twice, ready for the paging-cookie attribute", () => {
    const paging = fetchXmlPagingOf({ "@Microsoft.Dynamics.CRM.morerecords": true, "@Microsoft.Dynamics.CRM.fetchxmlpagingcookie": wrapper(cookie, 2) });
    expect(paging).toEqual({ moreRecords: true, cookie });
  });

  it("says there are no more records when Dataverse says so, and gives no cookie when it sends none", () => {
    expect(fetchXmlPagingOf({ "@Microsoft.Dynamics.CRM.morerecords": false })).toEqual({ moreRecords: false });
    expect(fetchXmlPagingOf({ "@Microsoft.Dynamics.CRM.morerecords": true, "@Microsoft.Dynamics.CRM.fetchxmlpagingcookie": '<cookie pagenumber="3" istracking="False" />' })).toEqual({ moreRecords: true });
  });

  it("is absent for a response without paging annotations, and ignores a cookie that is not URL-encoded text", () => {
    expect(fetchXmlPagingOf({ value: [] })).toBeUndefined();
    expect(fetchXmlPagingOf({ "@Microsoft.Dynamics.CRM.morerecords": true, "@Microsoft.Dynamics.CRM.fetchxmlpagingcookie": '<cookie pagenumber="2" pagingcookie="%E0%A4%A" />' })).toEqual({ moreRecords: true });
  });
});
