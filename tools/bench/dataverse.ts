/**
 * Benchmark of the in-memory Dataverse: sample-data generation time and heap for 1,000 to 100,000 opportunities,
 * then a filtered, sorted page query and a lane-total FetchXML aggregate on each size.
 * Run: NODE_OPTIONS=--expose-gc npx tsx tools/bench/dataverse.ts   (--expose-gc makes the heap numbers steadier)
 */
import { createSampleData } from "../dataverse/sampleData";
import { InMemoryWebApi } from "../dataverse/webApiHandler";

const SIZES = [1_000, 5_000, 20_000, 100_000];
const laneTotals = `<fetch aggregate="true"><entity name="opportunity">
  <attribute name="salesstage" alias="stage" groupby="true"/>
  <attribute name="opportunityid" alias="deals" aggregate="count"/>
  <attribute name="estimatedvalue_base" alias="total" aggregate="sum"/>
  <filter><condition attribute="statecode" operator="eq" value="0"/></filter>
</entity></fetch>`;

const gc = (globalThis as { gc?: () => void }).gc;
const heapMb = () => {
  gc?.();
  return process.memoryUsage().heapUsed / 1024 / 1024;
};

async function timed<T>(work: () => Promise<T> | T): Promise<[T, number]> {
  const start = performance.now();
  const result = await work();
  return [result, performance.now() - start];
}

async function main(): Promise<void> {
  console.log("opportunities | rows total | generate ms | heap MB | page query ms | aggregate ms | aggregate status");
  for (const size of SIZES) {
    const before = heapMb();
    const [data, generateMs] = await timed(() => createSampleData({ seed: 1, opportunities: size }));
    const heap = heapMb() - before;
    const totalRows = data.store.metadata.tables().reduce((n, t) => n + data.store.count(t.logicalName), 0);
    const api = new InMemoryWebApi({ store: data.store });
    const filter = encodeURIComponent("statecode eq 0 and estimatedvalue gt 10000");
    const [, queryMs] = await timed(() =>
      api.handle({
        method: "GET",
        url: `/api/data/v9.2/opportunities?$select=name,estimatedvalue,salesstage,_customerid_value&$filter=${filter}&$orderby=estimatedvalue desc`,
        headers: { Prefer: 'odata.include-annotations="*",odata.maxpagesize=5000' },
      }),
    );
    const [aggregate, aggregateMs] = await timed(() =>
      api.handle({ method: "GET", url: `/api/data/v9.2/opportunities?fetchXml=${encodeURIComponent(laneTotals)}`, headers: {} }),
    );
    console.log([size, totalRows, generateMs.toFixed(0), heap.toFixed(1), queryMs.toFixed(0), aggregateMs.toFixed(0), aggregate.status].join(" | "));
  }
}

void main();
