/**
 * Lanes that page their own cards from the in-memory Dataverse through the real Web API client: counts from the
 * aggregate equal the store's, every record is reachable by scrolling, memory stays bounded, and search reaches
 * records no page has read.
 */
import { DOMParser, XMLSerializer } from "@xmldom/xmldom";
import { HttpDataverseClient } from "@tcc/common";
import type { XmlCodec } from "../../../../../components/PipelineBoard/PipelineBoard/model/aggregate";
import { cardReaderFor, type CardColumns } from "../../../../../components/PipelineBoard/PipelineBoard/model/card";
import { NO_FILTER } from "../../../../../components/PipelineBoard/PipelineBoard/model/filters";
import { type LaneQueryShape, webApiRecordReader } from "../../../../../components/PipelineBoard/PipelineBoard/model/laneQuery";
import { laneKeyOf } from "../../../../../components/PipelineBoard/PipelineBoard/model/lanes";
import { ServerLanes } from "../../../../../components/PipelineBoard/PipelineBoard/model/serverLanes";
import { createSampleData, type SampleData } from "../../../../../tools/dataverse/sampleData";
import { InMemoryWebApi } from "../../../../../tools/dataverse/webApiHandler";
import { OPEN_OPPORTUNITIES_VIEW } from "../../../../../tools/workbench/page/views";
import { stageInViewOrder } from "../viewOrder";

const xml: XmlCodec = {
  parse: (text) => new DOMParser().parseFromString(text, "text/xml"),
  serialize: (document) => new XMLSerializer().serializeToString(document as never),
};

const COLUMNS: CardColumns = {
  name: "name",
  lane: "salesstage",
  amount: "estimatedvalue",
  probability: "closeprobability",
  closeDate: "estimatedclosedate",
  owner: "ownerid",
  account: ["parentaccountid"],
  amountBase: "estimatedvalue_base",
  version: "versionnumber",
  state: "statecode",
};
const LANES = [0, 1, 2, 3, null];

function shape(filter = NO_FILTER): LaneQueryShape {
  return { filter, sort: "view", today: "2026-12-03", columns: { name: "name", amount: "estimatedvalue", probability: "closeprobability", closeDate: "estimatedclosedate", owner: "ownerid", account: "parentaccountid" } };
}

function lanesOver(sample: SampleData, requests: string[] = []) {
  const api = new InMemoryWebApi({ store: sample.store });
  const client = new HttpDataverseClient({
    fetch: (url, init) => {
      requests.push(decodeURIComponent(url));
      return api.fetch(url, init);
    },
    baseUrl: api.baseUrl,
  });
  const read = cardReaderFor(COLUMNS, []);
  return new ServerLanes(
    {
      client,
      entity: "opportunity",
      viewFetchXml: OPEN_OPPORTUNITIES_VIEW.fetchXml,
      primaryId: "opportunityid",
      laneColumn: "salesstage",
      laneValues: LANES,
      extraColumns: ["estimatedvalue_base", "versionnumber", "statecode"],
      amount: { name: "estimatedvalue", isCurrency: true },
      probability: "closeprobability",
      readCard: (row) => read(webApiRecordReader(row, "opportunityid")),
      xml,
    },
    shape(),
  );
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe("lanes paged from Dataverse", () => {
  it("counts each lane with the aggregate, equal to the store's open deals of that stage", async () => {
    const sample = createSampleData({ opportunities: 600 });
    const lanes = lanesOver(sample);
    await until(() => LANES.every((v) => lanes.countOf(laneKeyOf(v)).state !== "counting"), "the counts");
    for (const stage of LANES) {
      const count = lanes.countOf(laneKeyOf(stage));
      expect(count.state === "counted" && count.totals.count).toBe(stageInViewOrder(sample, stage).length);
    }
  });

  it("reads the first page of a lane in the view's order and reaches the lane's last record by scrolling", async () => {
    const sample = createSampleData({ opportunities: 1500 });
    const lanes = lanesOver(sample);
    const biggest = [0, 1, 2, 3].sort((a, b) => stageInViewOrder(sample, b).length - stageInViewOrder(sample, a).length)[0];
    const expected = stageInViewOrder(sample, biggest);
    const pager = lanes.pagerOf(laneKeyOf(biggest))!;
    pager.want(0, 10);
    await until(() => pager.at(9) !== undefined, "the first page");
    expect([0, 1, 2, 9].map((i) => pager.at(i)?.id)).toEqual([0, 1, 2, 9].map((i) => expected[i].opportunityid));
    await until(() => pager.length?.exact === true, "the lane's count");
    const last = expected.length - 1;
    pager.want(last - 5, last + 1);
    await until(() => pager.at(last) !== undefined, "the last page");
    expect(pager.at(last)?.id).toBe(expected[last].opportunityid);
    expect(pager.at(last - 5)?.id).toBe(expected[last - 5].opportunityid);
    expect(pager.held().length).toBeLessThanOrEqual(12 * pager.pageSize);
  });

  it("puts records whose stage no lane shows (an option deleted since) in the 'no value' lane, counted and paged", async () => {
    const sample = createSampleData({ opportunities: 300 });
    const strays = stageInViewOrder(sample, 3).slice(0, 4);
    // Written under the metadata, as a value of an option deleted since would be: the store keeps what it is given.
    for (const row of strays) Object.assign(row, { salesstage: 9 });
    const lanes = lanesOver(sample);
    await until(() => lanes.countOf("none").state !== "counting", "the counts");
    const expected = [...stageInViewOrder(sample, null), ...strays].length;
    const count = lanes.countOf("none");
    expect(count.state === "counted" && count.totals.count).toBe(expected);
    const pager = lanes.pagerOf("none")!;
    pager.want(0, 50);
    await until(() => pager.length?.exact === true && pager.at(expected - 1) !== undefined, "the lane's cards");
    expect(pager.held().map(([, card]) => card.id).sort()).toEqual(expect.arrayContaining(strays.map((r) => r.opportunityid)));
  });
});

