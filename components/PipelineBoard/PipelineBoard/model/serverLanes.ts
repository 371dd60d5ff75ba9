/**
 * The board's lanes when Dataverse is reachable: each lane pages its own cards (lanePager.ts) with the view's query,
 * the lane's condition and the toolbar's filter and sort (laneQuery.ts), and counts itself with an aggregate. One
 * grouped aggregate answers every lane when the view has at most 50,000 rows; past that Dataverse refuses it
 * (AggregateQueryRecordLimit), and each lane is counted on its own, so only a lane that itself holds more than 50,000
 * rows says "50,000+". Nothing here grows with the view: memory is the pages kept per lane.
 */
import type { DataverseRow, Page } from "@tcc/common";
import { readAggregateRows, type XmlCodec } from "./aggregate";
import type { BoardCard } from "./card";
import { buildLaneAggregateFetchXml, buildLanePageFetchXml, type LaneQueryShape, nextPositionOf, type PagingPosition } from "./laneQuery";
import { type LaneLength, type LanePage, LanePager, type LanePagerOptions } from "./lanePager";
import { bucketCards, EMPTY_TOTALS, laneKeyOf, type LaneTotals } from "./lanes";
import { isFiltering } from "./filters";

/** Dataverse's aggregate limit: a lane past it is counted as "at least" this many. */
export const AGGREGATE_LIMIT = 50_000;

export interface FetchXmlClient {
  retrieveFetchXml(table: string, fetchXml: string): Promise<Page>;
}

export type LaneCount =
  | { readonly state: "counting" }
  | { readonly state: "counted"; readonly totals: LaneTotals }
  /** Dataverse refused to aggregate the lane: it holds more than 50,000 rows; sums are unknown. */
  | { readonly state: "overLimit" }
  | { readonly state: "unavailable" };

export interface ServerLanesSetup {
  readonly client: FetchXmlClient;
  readonly entity: string;
  readonly viewFetchXml: string;
  readonly primaryId: string;
  readonly laneColumn: string;
  /** Every lane's value, the "no value" lane (null) included. */
  readonly laneValues: readonly (number | null)[];
  readonly extraColumns: readonly string[];
  readonly amount?: { readonly name: string; readonly isCurrency: boolean };
  readonly probability?: string;
  readonly readCard: (row: DataverseRow) => BoardCard;
  readonly xml: XmlCodec;
  readonly pager?: LanePagerOptions;
}

interface LaneEntry {
  readonly value: number | null;
  readonly pager: LanePager;
  count: LaneCount;
}

export class ServerLanes {
  private entries = new Map<string, LaneEntry>();
  private shape: LaneQueryShape;
  private generation = 0;
  private changes = 0;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly setup: ServerLanesSetup,
    shape: LaneQueryShape,
  ) {
    this.shape = shape;
    this.start();
  }

  get version(): number {
    return this.changes;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  /** The filter and sort the lanes are read with; a change reads every lane again from its start. */
  setShape(shape: LaneQueryShape): void {
    if (sameShape(shape, this.shape)) return;
    this.shape = shape;
    this.start();
  }

  /** A lane's condition: its value, or for the "no value" lane also every value no lane shows. */
  private laneOf(value: number | null): { column: string; value: number | null; others?: number[] } {
    const column = this.setup.laneColumn;
    return value === null ? { column, value, others: this.setup.laneValues.filter((v): v is number => v !== null) } : { column, value };
  }

  /** Reads every lane again from its start (a record left the view under the board's eyes). */
  reload(): void {
    this.start();
  }

  pagerOf(key: string): LanePager | undefined {
    return this.entries.get(key)?.pager;
  }

  countOf(key: string): LaneCount {
    return this.entries.get(key)?.count ?? { state: "unavailable" };
  }

  /** The first cards of each lane, from the records the host already loaded (its first page, in view order). */
  seed(cards: readonly BoardCard[]): void {
    if (isFiltering(this.shape.filter) || this.shape.sort !== "view") return;
    const byLane = bucketCards(cards);
    for (const entry of this.entries.values()) entry.pager.setSeed(byLane.get(entry.value)?.cards ?? []);
  }

  close(): void {
    this.generation++;
    for (const entry of this.entries.values()) entry.pager.close();
    this.listeners.clear();
  }

  private start(): void {
    const generation = ++this.generation;
    for (const entry of this.entries.values()) entry.pager.close();
    this.entries = new Map(
      this.setup.laneValues.map((value) => [
        laneKeyOf(value),
        { value, pager: new LanePager({ read: (position, count, keysOnly) => this.readPage(value, position, count, keysOnly) }, () => this.changed(generation), this.setup.pager), count: { state: "counting" } },
      ]),
    );
    this.changed(generation);
    void this.count(generation);
  }

  private async readPage(value: number | null, position: PagingPosition, count: number, keysOnly: boolean): Promise<LanePage> {
    const { setup } = this;
    const fetchXml = buildLanePageFetchXml(
      setup.viewFetchXml,
      { lane: this.laneOf(value), primaryId: setup.primaryId, extraColumns: setup.extraColumns, shape: this.shape, position, count, keysOnly },
      setup.xml,
    );
    const page = await setup.client.retrieveFetchXml(setup.entity, fetchXml);
    return {
      cards: keysOnly ? [] : page.rows.map((row) => setup.readCard(row)),
      next: nextPositionOf(page.fetchXmlPaging, position, page.rows.length, count),
      rows: page.rows.length,
    };
  }

  /** One grouped aggregate; past Dataverse's limit, one per lane, in parallel. */
  private async count(generation: number): Promise<void> {
    const { setup } = this;
    const base = { laneColumn: setup.laneColumn, shape: this.shape, ...(setup.amount && { amount: setup.amount }), ...(setup.probability && { probability: setup.probability }) };
    try {
      const page = await setup.client.retrieveFetchXml(setup.entity, buildLaneAggregateFetchXml(setup.viewFetchXml, base, setup.xml));
      if (generation !== this.generation) return;
      // Values no lane shows (an option deleted since) are counted in the "no value" lane, which pages them too.
      const totals = readAggregateRows(page.rows, (grouped) => {
        const value = grouped === null || grouped === undefined || grouped === "" ? Number.NaN : Number(grouped);
        return Number.isFinite(value) && this.entries.has(laneKeyOf(value)) ? value : null;
      });
      for (const [key, entry] of this.entries) this.setCount(entry, { state: "counted", totals: totals.get(key) ?? EMPTY_TOTALS });
      this.changed(generation);
      return;
    } catch (error) {
      if (generation !== this.generation) return;
      if (!isAggregateLimit(error)) {
        for (const entry of this.entries.values()) entry.count = { state: "unavailable" };
        this.changed(generation);
        return;
      }
    }
    await Promise.all(
      [...this.entries.values()].map(async (entry) => {
        let count: LaneCount;
        try {
          const page = await setup.client.retrieveFetchXml(setup.entity, buildLaneAggregateFetchXml(setup.viewFetchXml, { ...base, lane: this.laneOf(entry.value) }, setup.xml));
          const totals = [...readAggregateRows(page.rows, () => entry.value).values()][0] ?? EMPTY_TOTALS;
          count = { state: "counted", totals };
        } catch (error) {
          count = isAggregateLimit(error) ? { state: "overLimit" } : { state: "unavailable" };
        }
        if (generation !== this.generation) return;
        this.setCount(entry, count);
        this.changed(generation);
      }),
    );
  }

  private setCount(entry: LaneEntry, count: LaneCount): void {
    entry.count = count;
    const length: LaneLength | null =
      count.state === "counted" ? { count: count.totals.count, exact: true } : count.state === "overLimit" ? { count: AGGREGATE_LIMIT, exact: false } : null;
    if (length) entry.pager.setLength(length);
  }

  private changed(generation: number): void {
    if (generation !== this.generation) return;
    this.changes++;
    for (const listener of this.listeners) listener();
  }
}

function isAggregateLimit(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { kind?: unknown }).kind === "aggregateLimit";
}

function sameShape(a: LaneQueryShape, b: LaneQueryShape): boolean {
  return a.sort === b.sort && a.today === b.today && JSON.stringify(a.filter) === JSON.stringify(b.filter) && JSON.stringify(a.columns) === JSON.stringify(b.columns);
}

