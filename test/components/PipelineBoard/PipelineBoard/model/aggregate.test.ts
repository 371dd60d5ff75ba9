import { DOMParser, XMLSerializer } from "@xmldom/xmldom";
import {
  aggregateColumnsFor,
  buildAggregateFetchXml,
  checkAgainstDataset,
  loadViewTotals,
  readAggregateRows,
  shiftTotals,
  type XmlCodec,
} from "../../../../../components/PipelineBoard/PipelineBoard/model/aggregate";
import { groupCards, lanesFor } from "../../../../../components/PipelineBoard/PipelineBoard/model/lanes";
import { createSampleData } from "../../../../../tools/dataverse/sampleData";
import { InMemoryWebApi } from "../../../../../tools/dataverse/webApiHandler";

const xml: XmlCodec = {
  parse: (text) => new DOMParser({ onError: (level, message) => { if (level !== "warning") throw new Error(message); } }).parseFromString(text, "text/xml"),
  serialize: (document) => new XMLSerializer().serializeToString(document as unknown as Parameters<XMLSerializer["serializeToString"]>[0]),
};

const OPEN_OPPORTUNITIES = `<fetch version="1.0" mapping="logical" distinct="false" count="50" page="2" returntotalrecordcount="true">
  <entity name="opportunity">
    <attribute name="name"/><attribute name="estimatedvalue"/><attribute name="salesstage"/>
    <order attribute="estimatedvalue" descending="true"/>
    <filter type="and"><condition attribute="statecode" operator="eq" value="0"/></filter>
    <link-entity name="account" from="accountid" to="parentaccountid" link-type="outer" alias="a">
      <attribute name="name"/><order attribute="name"/>
    </link-entity>
  </entity>
</fetch>`;

const columns = { lane: "salesstage", amount: { name: "estimatedvalue", isCurrency: true }, probability: "closeprobability" };

describe("buildAggregateFetchXml", () => {
  const built = xml.parse(buildAggregateFetchXml(OPEN_OPPORTUNITIES, columns, xml));
  const fetch = built.documentElement as unknown as Element;

  it("turns the view's query into an aggregate without paging", () => {
    expect(fetch.getAttribute("aggregate")).toBe("true");
    for (const name of ["count", "page", "returntotalrecordcount", "distinct"]) expect(fetch.hasAttribute(name)).toBe(false);
  });

  it("keeps the view's filters and links and drops its columns and orders", () => {
    expect(fetch.getElementsByTagName("condition")[0].getAttribute("attribute")).toBe("statecode");
    expect(fetch.getElementsByTagName("link-entity")).toHaveLength(1);
    expect(fetch.getElementsByTagName("order")).toHaveLength(0);
    const names = Array.from(fetch.getElementsByTagName("attribute")).map((a) => `${a.getAttribute("name")}:${a.getAttribute("alias")}`);
    expect(names).toEqual(["salesstage:lane", "closeprobability:probability", "salesstage:rowcount", "estimatedvalue_base:amount"]);
  });

  it("groups by lane and probability and sums the base-currency amount", () => {
    const attributes = Array.from(fetch.getElementsByTagName("attribute"));
    expect(attributes[0].getAttribute("groupby")).toBe("true");
    expect(attributes[1].getAttribute("groupby")).toBe("true");
    expect(attributes[3].getAttribute("aggregate")).toBe("sum");
  });

  it("sums a non-currency amount column as it is", () => {
    const text = buildAggregateFetchXml(OPEN_OPPORTUNITIES, { lane: "salesstage", amount: { name: "budgetamount_n", isCurrency: false } }, xml);
    expect(text).toContain('name="budgetamount_n"');
    expect(text).not.toContain("closeprobability");
  });

  it("for stage lanes joins each record's process instance (outer) and groups by its active stage, counting records", () => {
    const stages = { instanceTable: "opportunitysalesprocess", lookup: "opportunityid", recordId: "opportunityid" };
    const built = xml.parse(buildAggregateFetchXml(OPEN_OPPORTUNITIES, { ...columns, lane: stages }, xml)).documentElement as unknown as Element;
    const links = Array.from(built.getElementsByTagName("link-entity"));
    const stageLink = links.find((l) => l.getAttribute("name") === "opportunitysalesprocess");
    expect(links).toHaveLength(2);
    expect(["from", "to", "link-type"].map((a) => stageLink?.getAttribute(a))).toEqual(["opportunityid", "opportunityid", "outer"]);
    const grouped = Array.from(stageLink?.getElementsByTagName("attribute") ?? []).map((a) => [a.getAttribute("name"), a.getAttribute("alias"), a.getAttribute("groupby")]);
    expect(grouped).toEqual([["activestageid", "lane", "true"]]);
    const counted = Array.from(built.getElementsByTagName("attribute")).find((a) => a.getAttribute("aggregate") === "count");
    expect(counted?.getAttribute("name")).toBe("opportunityid");
  });

  it("says what is wrong with a query it cannot use", () => {
    expect(() => buildAggregateFetchXml("<fetch><entity", columns, xml)).toThrow(/not well-formed/);
    expect(() => buildAggregateFetchXml("<savedquery/>", columns, xml)).toThrow(/root element is <savedquery>, expected <fetch>/);
    expect(() => buildAggregateFetchXml("<fetch/>", columns, xml)).toThrow(/no <entity>/);
  });
});

describe("aggregateColumnsFor", () => {
  const defaults = { lane: "salesstage", amount: "estimatedvalue", probability: "closeprobability" };

  it("totals the base-currency twin of a currency amount and groups by probability when the view carries both", () => {
    const view = [
      { name: "salesstage", dataType: "OptionSet" },
      { name: "estimatedvalue", dataType: "Currency" },
      { name: "closeprobability", dataType: "Whole.None" },
    ];
    expect(aggregateColumnsFor(defaults, view)).toEqual({ lane: "salesstage", amount: { name: "estimatedvalue", isCurrency: true }, probability: "closeprobability" });
  });

  it("counts only when the view has neither column, as on a maker's own table left with the opportunity defaults", () => {
    const view = [
      { name: "new_name", dataType: "SingleLine.Text" },
      { name: "new_phase", dataType: "OptionSet" },
    ];
    expect(aggregateColumnsFor({ ...defaults, lane: "new_phase" }, view)).toEqual({ lane: "new_phase" });
  });

  it("sums a plain number amount as it is", () => {
    expect(aggregateColumnsFor({ ...defaults, amount: "new_hours" }, [{ name: "new_hours", dataType: "Decimal" }])).toEqual({ lane: "salesstage", amount: { name: "new_hours", isCurrency: false } });
  });
});

describe("whole-view totals against the in-memory Dataverse", () => {
  // The view with its paging, orders and columns (its link-entity's too) rewritten; the outer link to the account stays.
  const view = OPEN_OPPORTUNITIES;
  const sample = createSampleData({ opportunities: 400 });
  const api = new InMemoryWebApi({ store: sample.store });
  const client = {
    async retrieveFetchXml(table: string, fetchXml: string) {
      expect(table).toBe("opportunity");
      const response = await api.handle({ method: "GET", url: `/api/data/v9.2/opportunities?fetchXml=${encodeURIComponent(fetchXml)}` });
      if (response.status !== 200) throw Object.assign(new Error(response.body), { kind: response.body.includes("AggregateQueryRecordLimit") ? "aggregateLimit" : "server" });
      return { rows: (JSON.parse(response.body) as { value: Record<string, unknown>[] }).value };
    },
  };

  it("match totals computed card by card over every open opportunity, in base currency", async () => {
    const source = await loadViewTotals(client, "opportunity", buildAggregateFetchXml(view, columns, xml));
    const open = [...sample.store.rows("opportunity")].filter((r) => r.statecode === 0);
    const cards = open.map((r) => ({
      id: typeof r.opportunityid === "string" ? r.opportunityid : "",
      laneValue: typeof r.salesstage === "number" ? r.salesstage : null,
      amount: typeof r.estimatedvalue === "number" ? r.estimatedvalue : null,
      amountBase: typeof r.estimatedvalue_base === "number" ? r.estimatedvalue_base : null,
      probability: typeof r.closeprobability === "number" ? r.closeprobability : null,
    }));
    const expected = groupCards(lanesFor([0, 1, 2, 3].map((value) => ({ value, label: String(value) })), "-"), cards);
    expect(source.scope).toBe("view");
    if (source.scope !== "view") return;
    for (const lane of expected) {
      const got = source.totals.get(lane.lane.key) ?? { count: 0, amount: 0, weighted: 0 };
      expect(got.count).toBe(lane.totals.count);
      expect(got.amount).toBeCloseTo(lane.totals.amount, 2);
      expect(got.weighted).toBeCloseTo(lane.totals.weighted, 2);
    }
    expect(cards.length).toBeGreaterThan(0);
  });

  it("fall back to loaded totals, saying why, when Dataverse refuses the aggregate", async () => {
    const refusing = { retrieveFetchXml: () => Promise.reject(Object.assign(new Error("AggregateQueryRecordLimit exceeded"), { kind: "aggregateLimit" })) };
    await expect(loadViewTotals(refusing, "opportunity", "<fetch/>")).resolves.toEqual({ scope: "loaded", reason: "aggregateLimit" });
    const failing = { retrieveFetchXml: () => Promise.reject(new Error("offline")) };
    await expect(loadViewTotals(failing, "opportunity", "<fetch/>")).resolves.toEqual({ scope: "loaded", reason: "unavailable" });
  });
});

describe("readAggregateRows and shiftTotals", () => {
  it("merges probability groups of one lane and weights each by its probability", () => {
    const totals = readAggregateRows([
      { lane: 1, probability: 50, rowcount: 2, amount: 300 },
      { lane: 1, probability: 10, rowcount: 1, amount: 100 },
      { lane: null, probability: null, rowcount: 4, amount: null },
    ]);
    expect(totals.get("1")).toEqual({ count: 3, amount: 400, weighted: 160 });
    expect(totals.get("none")).toEqual({ count: 4, amount: 0, weighted: 0 });
  });

  it("moves a card's share between lanes without asking Dataverse again", () => {
    const totals = new Map([["0", { count: 2, amount: 300, weighted: 30 }]]);
    const card = { id: "a", laneValue: 0, amount: 100, amountBase: 100, probability: 50 };
    const shifted = shiftTotals(totals, [{ card, from: 0, to: 2 }]);
    expect(shifted.get("0")).toEqual({ count: 1, amount: 200, weighted: -20 });
    expect(shifted.get("2")).toEqual({ count: 1, amount: 100, weighted: 50 });
    expect(totals.get("0")?.count).toBe(2);
  });
});

describe("checkAgainstDataset", () => {
  const view = { scope: "view" as const, totals: new Map([["0", { count: 30, amount: 1, weighted: 1 }], ["1", { count: 12, amount: 1, weighted: 1 }]]) };

  it("keeps whole-view totals when the dataset has as many rows as the aggregate counted", () => {
    expect(checkAgainstDataset(view, 42)).toBe(view);
    expect(checkAgainstDataset(view, -1)).toBe(view);
  });

  it("falls back to loaded totals when the dataset shows other rows than the view's query (subgrid, quick find)", () => {
    expect(checkAgainstDataset(view, 7)).toEqual({ scope: "loaded", reason: "unavailable" });
  });

  it("accepts a count Dataverse capped at 5,000 when the aggregate counted at least that many", () => {
    const big = { scope: "view" as const, totals: new Map([["0", { count: 12_000, amount: 0, weighted: 0 }]]) };
    expect(checkAgainstDataset(big, 5000)).toBe(big);
  });
});
