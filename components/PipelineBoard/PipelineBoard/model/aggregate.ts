/**
 * Whole-view lane totals. The dataset only holds the pages loaded so far, so the totals come from a FetchXML
 * aggregate built from the view's own query: same filters and links, grouped by lane (and by probability, so the
 * probability-weighted sum is exact without a computed column), summing the base-currency amount so currencies
 * never mix. Dataverse refuses aggregates over 50,000 rows; then the board totals the loaded cards and says so.
 */
import { addTotals, contributionOf, EMPTY_TOTALS, laneKeyOf, type LaneCard, type LaneTotals } from "./lanes";

/** The few DOM members the rewrite needs, so the browser's DOMParser and @xmldom/xmldom both fit. */
export interface XmlNodeLike {
  readonly nodeType: number;
}
export interface XmlElementLike extends XmlNodeLike {
  readonly tagName: string;
  readonly childNodes: ArrayLike<XmlNodeLike>;
  getAttribute(name: string): string | null;
  setAttribute(name: string, value: string): void;
  removeAttribute(name: string): void;
  removeChild(child: XmlNodeLike): unknown;
  appendChild(child: XmlNodeLike): unknown;
}
export interface XmlDocumentLike {
  readonly documentElement: XmlElementLike | null;
  createElement(name: string): XmlElementLike;
  createTextNode(text: string): XmlNodeLike;
}
export interface XmlCodec {
  parse(text: string): XmlDocumentLike;
  serialize(document: XmlDocumentLike): string;
}

/**
 * Lanes that are the stages of a business process flow: each record's process instance (a row of the flow's own
 * table, `lookup` pointing at the record) is joined to the view's rows, and the aggregate groups by its active stage.
 */
export interface StageGrouping {
  readonly instanceTable: string;
  readonly lookup: string;
  /** The primary id column of the view's table. */
  readonly recordId: string;
}

export interface AggregateColumns {
  /** What the lanes group by: a column of the view's table, or the active stage of the records' process. */
  readonly lane: string | StageGrouping;
  /** The amount column; when it is a currency column its `_base` twin is summed. */
  readonly amount?: { readonly name: string; readonly isCurrency: boolean };
  readonly probability?: string;
}

/** The part of a PCF dataset column the aggregate needs. */
export interface DatasetColumn {
  readonly name: string;
  readonly dataType: string;
}

/**
 * What to total, from the columns the view carries: an amount or probability column the view lacks is left out, as
 * the cards have no value for it either (and on a maker's own table the opportunity defaults name columns that do not
 * exist, which Dataverse would refuse the whole aggregate for).
 */
export function aggregateColumnsFor(
  columns: { readonly lane: string; readonly amount: string; readonly probability: string },
  viewColumns: readonly DatasetColumn[],
): AggregateColumns {
  const amount = viewColumns.find((c) => c.name === columns.amount);
  // Probability only weighs the amount: without one, grouping by it would only multiply the rows.
  const probability = amount !== undefined && viewColumns.some((c) => c.name === columns.probability);
  return {
    lane: columns.lane,
    ...(amount !== undefined && { amount: { name: amount.name, isCurrency: amount.dataType === "Currency" } }),
    ...(probability && { probability: columns.probability }),
  };
}

export const ALIAS = { lane: "lane", probability: "probability", amount: "amount", count: "rowcount", stageLink: "processinstance" } as const;

const ELEMENT_NODE = 1;
/** Paging attributes of `<fetch>`: the board pages (or aggregates) the view's query its own way. */
const PAGING_ATTRIBUTES = ["count", "page", "paging-cookie", "top", "returntotalrecordcount", "aggregate"];
/** What an aggregate query must not carry besides. */
const NOT_IN_AGGREGATES = ["distinct", "no-lock"];
/** Children that shape the rows of a normal query; an aggregate query allows only its own aliased attributes. */
const SHAPE_ELEMENTS = new Set(["attribute", "all-attributes", "order"]);

export function elementChildren(node: XmlElementLike): XmlElementLike[] {
  return Array.from(node.childNodes).filter((child): child is XmlElementLike => child.nodeType === ELEMENT_NODE);
}

function stripShape(node: XmlElementLike): void {
  for (const child of elementChildren(node)) {
    if (SHAPE_ELEMENTS.has(child.tagName)) node.removeChild(child);
    else if (child.tagName === "link-entity") stripShape(child);
  }
}

/** A FetchXML element with its attributes. */
export function element(document: XmlDocumentLike, name: string, attributes: Readonly<Record<string, string>>): XmlElementLike {
  const created = document.createElement(name);
  for (const [key, value] of Object.entries(attributes)) created.setAttribute(key, value);
  return created;
}

const attribute = (document: XmlDocumentLike, values: Readonly<Record<string, string>>) => element(document, "attribute", values);

/** The view's query parsed, with the paging and shape attributes of `<fetch>` removed; throws with what is wrong. */
export function parseViewFetchXml(viewFetchXml: string, xml: XmlCodec): { document: XmlDocumentLike; fetch: XmlElementLike; entity: XmlElementLike } {
  let document: XmlDocumentLike;
  try {
    document = xml.parse(viewFetchXml);
  } catch (error) {
    throw new Error(`view FetchXML is not well-formed XML: ${error instanceof Error ? error.message : String(error)}`);
  }
  const fetch = document.documentElement;
  if (fetch?.tagName !== "fetch") {
    throw new Error(`view FetchXML: the root element is <${fetch?.tagName ?? "nothing"}>, expected <fetch>`);
  }
  const entity = elementChildren(fetch).find((e) => e.tagName === "entity");
  if (!entity) throw new Error("view FetchXML: <fetch> has no <entity> element");
  for (const name of PAGING_ATTRIBUTES) fetch.removeAttribute(name);
  return { document, fetch, entity };
}

/**
 * The aggregate FetchXML for a view's FetchXML; throws with what is wrong when the view's query is not usable.
 * `narrow` adds conditions (one lane, the board's filter) to the view's own.
 */
export function buildAggregateFetchXml(
  viewFetchXml: string,
  columns: AggregateColumns,
  xml: XmlCodec,
  narrow?: (document: XmlDocumentLike, entity: XmlElementLike) => void,
): string {
  const { document, fetch, entity } = parseViewFetchXml(viewFetchXml, xml);
  for (const name of NOT_IN_AGGREGATES) fetch.removeAttribute(name);
  fetch.setAttribute("aggregate", "true");
  stripShape(entity);
  narrow?.(document, entity);
  const { lane } = columns;
  if (typeof lane === "string") {
    entity.appendChild(attribute(document, { name: lane, alias: ALIAS.lane, groupby: "true" }));
  } else {
    // Outer, so records that never started the process are counted too (in the lane for them).
    const link = element(document, "link-entity", { name: lane.instanceTable, from: lane.lookup, to: lane.recordId, "link-type": "outer", alias: ALIAS.stageLink });
    link.appendChild(attribute(document, { name: "activestageid", alias: ALIAS.lane, groupby: "true" }));
    entity.appendChild(link);
  }
  if (columns.probability) {
    entity.appendChild(attribute(document, { name: columns.probability, alias: ALIAS.probability, groupby: "true" }));
  }
  entity.appendChild(attribute(document, { name: typeof lane === "string" ? lane : lane.recordId, alias: ALIAS.count, aggregate: "count" }));
  if (columns.amount) {
    const name = columns.amount.isCurrency ? `${columns.amount.name}_base` : columns.amount.name;
    entity.appendChild(attribute(document, { name, alias: ALIAS.amount, aggregate: "sum" }));
  }
  return xml.serialize(document);
}

function numberOf(value: unknown): number | null {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) return Number(value);
  return null;
}

/** The lane value an aggregate row's group stands for; by default the choice value it grouped by. */
export type AggregateLaneOf = (grouped: unknown) => number | null;

/** Totals per lane key from the aggregate's rows (one row per lane and probability). */
export function readAggregateRows(rows: readonly Readonly<Record<string, unknown>>[], laneOf: AggregateLaneOf = numberOf): Map<string, LaneTotals> {
  const totals = new Map<string, LaneTotals>();
  for (const row of rows) {
    const key = laneKeyOf(laneOf(row[ALIAS.lane]));
    const amount = numberOf(row[ALIAS.amount]) ?? 0;
    const probability = numberOf(row[ALIAS.probability]) ?? 0;
    const count = numberOf(row[ALIAS.count]) ?? 0;
    totals.set(key, addTotals(totals.get(key) ?? EMPTY_TOTALS, { count, amount, weighted: (amount * probability) / 100 }));
  }
  return totals;
}

/** Where the lane totals come from; the header labels them accordingly. */
export type TotalsSource =
  | { readonly scope: "view"; readonly totals: ReadonlyMap<string, LaneTotals> }
  | { readonly scope: "loaded"; readonly reason: "pending" | "aggregateLimit" | "unavailable" };

export interface AggregateRunner {
  retrieveFetchXml(table: string, fetchXml: string): Promise<{ readonly rows: readonly Readonly<Record<string, unknown>>[] }>;
}

/** Runs the aggregate; a refusal is not an error for the board, it is a reason to show loaded-record totals. */
export async function loadViewTotals(client: AggregateRunner, table: string, aggregateFetchXml: string, laneOf?: AggregateLaneOf): Promise<TotalsSource> {
  try {
    const page = await client.retrieveFetchXml(table, aggregateFetchXml);
    return { scope: "view", totals: readAggregateRows(page.rows, laneOf) };
  } catch (error) {
    const kind = typeof error === "object" && error !== null ? (error as { kind?: unknown }).kind : undefined;
    return { scope: "loaded", reason: kind === "aggregateLimit" ? "aggregateLimit" : "unavailable" };
  }
}

export interface MovedCard {
  readonly card: LaneCard;
  /** The lane the card was in when the aggregate ran. */
  readonly from: number | null;
  readonly to: number | null;
}

/** Whole-view totals after moves made since the aggregate ran, without asking Dataverse again. */
export function shiftTotals(totals: ReadonlyMap<string, LaneTotals>, moves: Iterable<MovedCard>): Map<string, LaneTotals> {
  const result = new Map(totals);
  for (const { card, from, to } of moves) {
    if (from === to) continue;
    const share = contributionOf(card);
    const fromKey = laneKeyOf(from);
    const toKey = laneKeyOf(to);
    result.set(fromKey, addTotals(result.get(fromKey) ?? EMPTY_TOTALS, share, -1));
    result.set(toKey, addTotals(result.get(toKey) ?? EMPTY_TOTALS, share));
  }
  return result;
}

/** Dataverse stops counting a view's rows at 5,000 unless asked for the exact count. */
const COUNT_CAP = 5000;

/**
 * The aggregate runs the saved view's query; on a subgrid, under a quick find or a grid filter the dataset shows
 * fewer rows than that query. When the dataset's own row count disagrees with the aggregate's, whole-view totals
 * would describe other records, so the board falls back to loaded totals.
 */
export function checkAgainstDataset(source: TotalsSource, totalResultCount: number): TotalsSource {
  if (source.scope !== "view" || totalResultCount < 0) return source;
  let count = 0;
  for (const totals of source.totals.values()) count += totals.count;
  const agrees = totalResultCount < COUNT_CAP ? count === totalResultCount : count >= totalResultCount;
  return agrees ? source : { scope: "loaded", reason: "unavailable" };
}
