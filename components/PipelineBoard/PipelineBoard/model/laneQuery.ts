/**
 * The queries that let a lane read its own cards from Dataverse: the view's FetchXML with the lane's condition, the
 * board's filter and sort added, paged with Dataverse's paging cookie; and the same for the lane's aggregate. Pure:
 * the XML goes through an `XmlCodec`, so the browser's DOMParser and @xmldom/xmldom both fit.
 */
import { type FetchXmlPaging, formattedValueOf } from "@tcc/common";
import { buildAggregateFetchXml, element, elementChildren as children, parseViewFetchXml, type XmlCodec, type XmlDocumentLike, type XmlElementLike } from "./aggregate";
import type { RecordReader } from "./card";
import type { BoardFilter, SortKey } from "./filters";
import { isFiltering } from "./filters";

/** Dataverse's largest page. */
export const MAX_FETCH_COUNT = 5000;

/** The view's columns that say what a filter or sort works on. */
export interface FilterColumns {
  readonly name: string;
  readonly amount: string;
  readonly probability: string;
  readonly closeDate: string;
  readonly owner: string;
  /** The lookup to the account whose name search also matches; absent on tables without one. */
  readonly account?: string;
}

/** Filter and sort as the board's toolbar sets them, with what they need to become conditions. */
export interface LaneQueryShape {
  readonly filter: BoardFilter;
  readonly sort: SortKey;
  /** `yyyy-mm-dd` in the user's time zone: "overdue", "this month" and "this quarter" are calendar days there. */
  readonly today: string;
  readonly columns: FilterColumns;
}

/** Where a page starts: the cookie Dataverse gave with the page before it, and that page's successor number. */
export interface PagingPosition {
  readonly page: number;
  readonly cookie?: string;
}

export const FIRST_PAGE: PagingPosition = { page: 1 };

export interface LanePageRequest {
  /** The lane column, and the lane's value (null: the records without one). */
  /**
   * The lane column, and the lane's value (null: the records without one). The "no value" lane also takes the values
   * no lane shows (`others` lists the lanes' values): an option deleted since, as the dataset mode does.
   */
  readonly lane: { readonly column: string; readonly value: number | null; readonly others?: readonly number[] };
  readonly primaryId: string;
  /** Columns the cards read that the view may not carry (the lane, `_base` amount, row version, status). */
  readonly extraColumns: readonly string[];
  readonly shape: LaneQueryShape;
  readonly position: PagingPosition;
  readonly count: number;
  /** Only the columns that order the rows: a walk to a far page needs the cookies, not the cards. */
  readonly keysOnly?: boolean;
}

const ACCOUNT_ALIAS = "pb_account";

/**
 * `%`, `_` and `[` are wildcards in a FetchXML `like` value (SQL's LIKE): a user searching "50%" means the text. The
 * bracket escape is SQL Server's, which Dataverse's `like` passes through.
 */
export function likeValue(search: string): string {
  return `%${search.replace(/[[%_]/g, (c) => `[${c}]`)}%`;
}

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** First and last calendar day of today's month or quarter. */
function periodOf(today: string, months: 1 | 3): [string, string] {
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7)) - 1;
  const first = months === 1 ? month : month - (month % 3);
  const start = new Date(Date.UTC(year, first, 1));
  const end = new Date(Date.UTC(year, first + months, 1));
  return [start.toISOString().slice(0, 10), addDays(end.toISOString().slice(0, 10), -1)];
}

function condition(document: XmlDocumentLike, attribute: string, operator: string, value?: string | number, entityName?: string): XmlElementLike {
  return element(document, "condition", {
    ...(entityName !== undefined && { entityname: entityName }),
    attribute,
    operator,
    ...(value !== undefined && { value: String(value) }),
  });
}

/** The conditions for the toolbar's filter, in the `and` filter given; a link to the account when search needs it. */
function addFilterConditions(document: XmlDocumentLike, entity: XmlElementLike, and: XmlElementLike, shape: LaneQueryShape): void {
  const { filter, columns } = shape;
  if (!isFiltering(filter)) return;
  const search = filter.search.trim();
  if (search !== "") {
    const or = element(document, "filter", { type: "or" });
    or.appendChild(condition(document, columns.name, "like", likeValue(search)));
    if (columns.account !== undefined) {
      // Outer, so deals without an account are still searched by their own name.
      entity.appendChild(element(document, "link-entity", { name: "account", from: "accountid", to: columns.account, "link-type": "outer", alias: ACCOUNT_ALIAS }));
      or.appendChild(condition(document, "name", "like", likeValue(search), ACCOUNT_ALIAS));
    }
    and.appendChild(or);
  }
  if (filter.mineOnly) and.appendChild(condition(document, columns.owner, "eq-userid"));
  if (filter.amountMin !== null) and.appendChild(condition(document, columns.amount, "ge", filter.amountMin));
  if (filter.amountMax !== null) and.appendChild(condition(document, columns.amount, "le", filter.amountMax));
  if (filter.probabilityMin !== null) and.appendChild(condition(document, columns.probability, "ge", filter.probabilityMin));
  if (filter.probabilityMax !== null) and.appendChild(condition(document, columns.probability, "le", filter.probabilityMax));
  switch (filter.closeDate) {
    case "any":
      break;
    case "overdue":
      and.appendChild(condition(document, columns.closeDate, "lt", shape.today));
      break;
    case "thisMonth":
    case "thisQuarter": {
      const [from, to] = periodOf(shape.today, filter.closeDate === "thisMonth" ? 1 : 3);
      and.appendChild(condition(document, columns.closeDate, "on-or-after", from));
      and.appendChild(condition(document, columns.closeDate, "on-or-before", to));
      break;
    }
  }
}

function laneCondition(document: XmlDocumentLike, lane: LanePageRequest["lane"]): XmlElementLike {
  if (lane.value !== null) return condition(document, lane.column, "eq", lane.value);
  if (!lane.others?.length) return condition(document, lane.column, "null");
  const or = element(document, "filter", { type: "or" });
  or.appendChild(condition(document, lane.column, "null"));
  const notIn = condition(document, lane.column, "not-in");
  for (const value of lane.others) {
    const item = document.createElement("value");
    item.appendChild(document.createTextNode(String(value)));
    notIn.appendChild(item);
  }
  or.appendChild(notIn);
  return or;
}

/** The board's sort replaces the view's order; "view" keeps it. Either way the primary id breaks ties, so pages never overlap. */
function applyOrder(document: XmlDocumentLike, entity: XmlElementLike, shape: LaneQueryShape, primaryId: string): string[] {
  const orders = children(entity).filter((child) => child.tagName === "order");
  const sorted: Readonly<Record<Exclude<SortKey, "view">, [string, boolean]>> = {
    amount: [shape.columns.amount, true],
    closeDate: [shape.columns.closeDate, false],
    probability: [shape.columns.probability, true],
  };
  if (shape.sort !== "view") {
    for (const order of orders) entity.removeChild(order);
    const [attribute, descending] = sorted[shape.sort];
    entity.appendChild(element(document, "order", { attribute, descending: String(descending) }));
  }
  const kept = children(entity).filter((child) => child.tagName === "order");
  const names = kept.map((order) => order.getAttribute("attribute") ?? "").filter((name) => name !== "");
  if (!names.includes(primaryId)) {
    entity.appendChild(element(document, "order", { attribute: primaryId, descending: "false" }));
    names.push(primaryId);
  }
  return names;
}

/** Escapes for an XML attribute value written by hand (the cookie is itself XML). */
function ensureAttributes(document: XmlDocumentLike, entity: XmlElementLike, names: readonly string[]): void {
  if (children(entity).some((child) => child.tagName === "all-attributes")) return;
  const present = new Set(children(entity).filter((child) => child.tagName === "attribute").map((child) => child.getAttribute("name")));
  for (const name of names) {
    if (present.has(name)) continue;
    entity.appendChild(element(document, "attribute", { name }));
    present.add(name);
  }
}

/** One page of one lane's records, in the view's order (or the board's sort), with the view's own filters kept. */
export function buildLanePageFetchXml(viewFetchXml: string, request: LanePageRequest, xml: XmlCodec): string {
  const { document, fetch, entity } = parseViewFetchXml(viewFetchXml, xml);
  const and = element(document, "filter", { type: "and" });
  and.appendChild(laneCondition(document, request.lane));
  addFilterConditions(document, entity, and, request.shape);
  entity.appendChild(and);
  const orderColumns = applyOrder(document, entity, request.shape, request.primaryId);
  if (request.keysOnly === true) {
    for (const child of children(entity)) if (child.tagName === "attribute" || child.tagName === "all-attributes") entity.removeChild(child);
    for (const link of children(entity).filter((child) => child.tagName === "link-entity")) {
      for (const child of children(link)) if (child.tagName === "attribute" || child.tagName === "all-attributes") link.removeChild(child);
    }
    ensureAttributes(document, entity, orderColumns);
  } else {
    ensureAttributes(document, entity, [request.primaryId, request.lane.column, ...request.extraColumns]);
  }
  fetch.setAttribute("count", String(Math.min(MAX_FETCH_COUNT, Math.max(1, Math.floor(request.count)))));
  fetch.setAttribute("page", String(request.position.page));
  if (request.position.cookie !== undefined) fetch.setAttribute("paging-cookie", request.position.cookie);
  return xml.serialize(document);
}

export interface LaneAggregateRequest {
  /** A single lane (its condition added), or every lane grouped (`undefined`). */
  readonly lane?: LanePageRequest["lane"];
  readonly laneColumn: string;
  readonly amount?: { readonly name: string; readonly isCurrency: boolean };
  readonly probability?: string;
  readonly shape: LaneQueryShape;
}

/**
 * Count, base-currency sum and probability groups, of one lane or of every lane grouped by the lane column, under the
 * board's filter. Rows come back under the aliases of aggregate.ts, so `readAggregateRows` reads both.
 */
export function buildLaneAggregateFetchXml(viewFetchXml: string, request: LaneAggregateRequest, xml: XmlCodec): string {
  const columns = { lane: request.laneColumn, ...(request.amount && { amount: request.amount }), ...(request.probability !== undefined && { probability: request.probability }) };
  return buildAggregateFetchXml(viewFetchXml, columns, xml, (document, entity) => {
    const and = element(document, "filter", { type: "and" });
    if (request.lane !== undefined) and.appendChild(laneCondition(document, request.lane));
    addFilterConditions(document, entity, and, request.shape);
    if (children(and).length > 0) entity.appendChild(and);
  });
}

/** The lookups' `_x_value` and every column's formatted value, read as a PCF record would give them. */
export function webApiRecordReader(row: Readonly<Record<string, unknown>>, primaryId: string): RecordReader {
  const formatted = (key: string) => formattedValueOf(row, key);
  return {
    id: typeof row[primaryId] === "string" ? row[primaryId] : "",
    value: (column) => {
      if (column in row) return row[column];
      const lookup = row[`_${column}_value`];
      if (typeof lookup === "string") return { id: lookup, name: formatted(`_${column}_value`) ?? "" };
      return null;
    },
    text: (column) => formatted(column) ?? formatted(`_${column}_value`) ?? "",
  };
}

/** The position after a page, from what Dataverse said; null when the lane has no more records. */
export function nextPositionOf(paging: FetchXmlPaging | undefined, asked: PagingPosition, rows: number, count: number): PagingPosition | null {
  const more = paging === undefined ? rows >= count : paging.moreRecords;
  if (!more) return null;
  return { page: asked.page + 1, ...(paging?.cookie !== undefined && { cookie: paging.cookie }) };
}
