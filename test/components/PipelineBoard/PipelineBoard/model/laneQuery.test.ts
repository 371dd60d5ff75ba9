import { DOMParser, XMLSerializer } from "@xmldom/xmldom";
import type { XmlCodec } from "../../../../../components/PipelineBoard/PipelineBoard/model/aggregate";
import { NO_FILTER } from "../../../../../components/PipelineBoard/PipelineBoard/model/filters";
import {
  buildLaneAggregateFetchXml,
  buildLanePageFetchXml,
  type LanePageRequest,
  likeValue,
  nextPositionOf,
  webApiRecordReader,
} from "../../../../../components/PipelineBoard/PipelineBoard/model/laneQuery";
import { OPEN_OPPORTUNITIES_VIEW } from "../../../../../tools/workbench/page/views";

const xml: XmlCodec = {
  parse: (text) => new DOMParser().parseFromString(text, "text/xml"),
  serialize: (document) => new XMLSerializer().serializeToString(document as never),
};
const parsed = (text: string) => new DOMParser().parseFromString(text, "text/xml");
const attributesOf = (text: string, tag: string) =>
  Array.from(parsed(text).getElementsByTagName(tag)).map((e) => Object.fromEntries(Array.from(e.attributes).map((a) => [a.name, a.value])));

const COLUMNS = { name: "name", amount: "estimatedvalue", probability: "closeprobability", closeDate: "estimatedclosedate", owner: "ownerid", account: "parentaccountid" };
const request = (over: Partial<LanePageRequest> = {}): LanePageRequest => ({
  lane: { column: "salesstage", value: 1 },
  primaryId: "opportunityid",
  extraColumns: ["estimatedvalue_base", "versionnumber"],
  shape: { filter: NO_FILTER, sort: "view", today: "2026-12-03", columns: COLUMNS },
  position: { page: 1 },
  count: 50,
  ...over,
});

describe("a lane's page query", () => {
  it("keeps the view's filter and order, adds the lane's condition, the id as tie-break, the card's columns and the page size", () => {
    const text = buildLanePageFetchXml(OPEN_OPPORTUNITIES_VIEW.fetchXml, request(), xml);
    expect(attributesOf(text, "fetch")[0]).toMatchObject({ count: "50", page: "1" });
    expect(attributesOf(text, "fetch")[0]["paging-cookie"]).toBeUndefined();
    expect(attributesOf(text, "condition")).toEqual([
      { attribute: "statecode", operator: "eq", value: "0" },
      { attribute: "salesstage", operator: "eq", value: "1" },
    ]);
    expect(attributesOf(text, "order")).toEqual([{ attribute: "estimatedclosedate" }, { attribute: "opportunityid", descending: "false" }]);
    const names = attributesOf(text, "attribute").map((a) => a.name);
    expect(names).toEqual(expect.arrayContaining(["name", "parentaccountid", "opportunityid", "estimatedvalue_base", "versionnumber"]));
  });

  it("asks for the records without a value with the null operator, and carries the cookie XML-escaped in its attribute", () => {
    const cookie = '<cookie page="3"><opportunityid last="{AB}" first="{CD}" /></cookie>';
    const text = buildLanePageFetchXml(OPEN_OPPORTUNITIES_VIEW.fetchXml, request({ lane: { column: "salesstage", value: null }, position: { page: 4, cookie } }), xml);
    expect(attributesOf(text, "condition")[1]).toEqual({ attribute: "salesstage", operator: "null" });
    expect(attributesOf(text, "fetch")[0]).toMatchObject({ page: "4", "paging-cookie": cookie });
    expect(text).toContain("paging-cookie=\"&lt;cookie page=&quot;3&quot;&gt;");
  });

  it("gives the 'no value' lane the values no lane shows as well", () => {
    const text = buildLanePageFetchXml(OPEN_OPPORTUNITIES_VIEW.fetchXml, request({ lane: { column: "salesstage", value: null, others: [0, 1] } }), xml);
    const or = Array.from(parsed(text).getElementsByTagName("filter")).find((f) => f.getAttribute("type") === "or");
    expect(or && Array.from(or.getElementsByTagName("condition")).map((c) => [c.getAttribute("operator"), Array.from(c.getElementsByTagName("value")).map((v) => v.textContent)])).toEqual([
      ["null", []],
      ["not-in", ["0", "1"]],
    ]);
  });

  it("reads only the ordering columns on a walk to a far page", () => {
    const text = buildLanePageFetchXml(OPEN_OPPORTUNITIES_VIEW.fetchXml, request({ keysOnly: true, count: 5000 }), xml);
    expect(attributesOf(text, "attribute").map((a) => a.name)).toEqual(["estimatedclosedate", "opportunityid"]);
  });

  it("sends the toolbar's filter as conditions: search on the name or the account's name, mine, ranges and calendar periods", () => {
    const filter = { ...NO_FILTER, search: " 50%_off ", mineOnly: true, amountMin: 1000, probabilityMax: 80, closeDate: "thisQuarter" as const };
    const text = buildLanePageFetchXml(OPEN_OPPORTUNITIES_VIEW.fetchXml, request({ shape: { ...request().shape, filter } }), xml);
    expect(attributesOf(text, "link-entity")).toEqual([{ name: "account", from: "accountid", to: "parentaccountid", "link-type": "outer", alias: "pb_account" }]);
    expect(attributesOf(text, "condition").slice(2)).toEqual([
      { attribute: "name", operator: "like", value: "%50[%][_]off%" },
      { entityname: "pb_account", attribute: "name", operator: "like", value: "%50[%][_]off%" },
      { attribute: "ownerid", operator: "eq-userid" },
      { attribute: "estimatedvalue", operator: "ge", value: "1000" },
      { attribute: "closeprobability", operator: "le", value: "80" },
      { attribute: "estimatedclosedate", operator: "on-or-after", value: "2026-10-01" },
      { attribute: "estimatedclosedate", operator: "on-or-before", value: "2026-12-31" },
    ]);
  });

  it("replaces the view's order with the board's sort, the id still breaking ties", () => {
    const text = buildLanePageFetchXml(OPEN_OPPORTUNITIES_VIEW.fetchXml, request({ shape: { ...request().shape, sort: "amount" } }), xml);
    expect(attributesOf(text, "order")).toEqual([{ attribute: "estimatedvalue", descending: "true" }, { attribute: "opportunityid", descending: "false" }]);
  });

  it("escapes the wildcards a user types, so '100%' finds that text", () => {
    expect(likeValue("100%")).toBe("%100[%]%");
    expect(likeValue("a_b[c")).toBe("%a[_]b[[]c%");
  });
});

describe("a lane's aggregate", () => {
  it("counts one lane with its condition and the filter, summing the base amount by probability", () => {
    const text = buildLaneAggregateFetchXml(
      OPEN_OPPORTUNITIES_VIEW.fetchXml,
      { lane: { column: "salesstage", value: 2 }, laneColumn: "salesstage", amount: { name: "estimatedvalue", isCurrency: true }, probability: "closeprobability", shape: { ...request().shape, filter: { ...NO_FILTER, mineOnly: true } } },
      xml,
    );
    expect(attributesOf(text, "fetch")[0]).toMatchObject({ aggregate: "true" });
    expect(attributesOf(text, "order")).toEqual([]);
    expect(attributesOf(text, "condition")).toEqual([
      { attribute: "statecode", operator: "eq", value: "0" },
      { attribute: "salesstage", operator: "eq", value: "2" },
      { attribute: "ownerid", operator: "eq-userid" },
    ]);
    expect(attributesOf(text, "attribute")).toEqual(
      expect.arrayContaining([
        { name: "closeprobability", alias: "probability", groupby: "true" },
        { name: "estimatedvalue_base", alias: "amount", aggregate: "sum" },
      ]),
    );
  });
});

describe("reading a Web API row as a card reads a PCF record", () => {
  it("gives lookups as id and name, and every column's formatted value", () => {
    const reader = webApiRecordReader(
      {
        opportunityid: "a1",
        name: "Deal",
        _ownerid_value: "u1",
        "_ownerid_value@OData.Community.Display.V1.FormattedValue": "Ada",
        salesstage: 1,
        "salesstage@OData.Community.Display.V1.FormattedValue": "Develop",
      },
      "opportunityid",
    );
    expect(reader.id).toBe("a1");
    expect(reader.value("ownerid")).toEqual({ id: "u1", name: "Ada" });
    expect(reader.text("ownerid")).toBe("Ada");
    expect(reader.text("salesstage")).toBe("Develop");
    expect(reader.value("missing")).toBeNull();
  });
});

describe("the position after a page", () => {
  it("is the cookie and page Dataverse gave, or null at the lane's end", () => {
    expect(nextPositionOf({ moreRecords: true, cookie: "<cookie/>" }, { page: 2 }, 50, 50)).toEqual({ page: 3, cookie: "<cookie/>" });
    expect(nextPositionOf({ moreRecords: false }, { page: 2 }, 50, 50)).toBeNull();
  });

  it("without annotations, counts on the page being full", () => {
    expect(nextPositionOf(undefined, { page: 1 }, 50, 50)).toEqual({ page: 2 });
    expect(nextPositionOf(undefined, { page: 1 }, 12, 50)).toBeNull();
  });
});
