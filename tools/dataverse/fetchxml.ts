/**
 * FetchXML as the Web API runs it (`GET /<set>?fetchXml=...`): attributes, filters, order, paging with `count`/`page`,
 * and `aggregate="true"` with count, countcolumn, sum, avg, min, max and groupby, refusing more than 50,000 rows
 * with Dataverse's AggregateQueryRecordLimit error. One level of inner or outer `link-entity` is joined, with its
 * own attributes (in aggregates too, grouped or measured) and filters. Nested links, other link types, orders inside a
 * link, conditions naming another entity and date grouping are not implemented and are refused by name rather than
 * silently ignored.
 */
import { DOMParser, type Element } from "@xmldom/xmldom";
import { badRequest, DataverseServiceError, ERROR_CODES } from "./errors";
import { formattedValue } from "./format";
import type { TableMetadata } from "./metadata";
import { type JsonObject, FORMATTED, toWire, type WireContext } from "./odata/wire";
import { columnOf, type Condition, type OrderBy, runQuery, type Scalar } from "./query";
import { isLookupRef, type StoredRow, type StoredValue } from "./store";

export const AGGREGATE_RECORD_LIMIT = 50_000;
const DEFAULT_PAGE_SIZE = 5000;

type AggregateFunction = "count" | "countcolumn" | "sum" | "avg" | "min" | "max";

interface FetchAttribute {
  readonly name: string;
  /** The alias of the link-entity the attribute belongs to; absent for the query's own entity. */
  readonly link?: string;
  readonly alias?: string;
  readonly aggregate?: AggregateFunction;
  readonly groupBy: boolean;
  readonly distinct: boolean;
}

/** `<link-entity name from to link-type alias>`: rows of `name` whose `from` column equals the entity's `to` column. */
export interface FetchLink {
  readonly name: string;
  readonly from: string;
  readonly to: string;
  readonly outer: boolean;
  readonly alias: string;
  readonly filter?: Condition;
}

export interface FetchQuery {
  readonly entity: string;
  readonly aggregate: boolean;
  /** The entity's own attributes and those of its links (marked with the link's alias). */
  readonly attributes: readonly FetchAttribute[] | "all";
  readonly links: readonly FetchLink[];
  readonly filter?: Condition;
  readonly orderBy: readonly (OrderBy & { readonly alias?: string })[];
  readonly top?: number;
  readonly count?: number;
  readonly page: number;
}

const elements = (parent: Element, name: string): Element[] =>
  Array.from(parent.childNodes).filter((n): n is Element => n.nodeType === 1 && (n as Element).tagName === name);

const bool = (value: string | null): boolean => value === "true" || value === "1";

function parseCondition(el: Element, userId: string | undefined): Condition {
  if (el.getAttribute("entityname")) throw badRequest("FetchXML: a <condition> with 'entityname' is not supported by the in-memory Dataverse.");
  const column = el.getAttribute("attribute");
  const operator = el.getAttribute("operator");
  if (!column || !operator) throw badRequest("FetchXML: <condition> needs 'attribute' and 'operator'.");
  const value: Scalar = el.getAttribute("value");
  const values = elements(el, "value").map((v) => v.textContent ?? "");
  const compare = (op: "eq" | "ne" | "gt" | "ge" | "lt" | "le", v: Scalar = value): Condition => ({ kind: "compare", column, op, value: v });
  switch (operator) {
    case "eq":
    case "ne":
    case "gt":
    case "ge":
    case "lt":
    case "le":
      return compare(operator);
    case "neq":
      return compare("ne");
    case "null":
      return compare("eq", null);
    case "not-null":
      return compare("ne", null);
    case "like":
      return { kind: "like", column, pattern: value ?? "" };
    case "not-like":
      return { kind: "not", item: { kind: "like", column, pattern: value ?? "" } };
    case "begins-with":
      return { kind: "text", column, op: "startswith", value: value ?? "" };
    case "ends-with":
      return { kind: "text", column, op: "endswith", value: value ?? "" };
    case "in":
      return { kind: "in", column, values };
    case "not-in":
      return { kind: "not", item: { kind: "in", column, values } };
    case "eq-userid":
      return compare("eq", userId ?? null);
    case "ne-userid":
      return compare("ne", userId ?? null);
    case "on-or-before":
      return compare("le", value);
    case "on-or-after":
      return compare("ge", value);
    default:
      throw badRequest(`FetchXML: condition operator '${operator}' on '${column}' is not supported by the in-memory Dataverse.`);
  }
}

function parseFilter(el: Element, userId: string | undefined): Condition {
  const items = [
    ...elements(el, "condition").map((c) => parseCondition(c, userId)),
    ...elements(el, "filter").map((f) => parseFilter(f, userId)),
  ];
  return { kind: el.getAttribute("type") === "or" ? "or" : "and", items };
}

function parseAttribute(a: Element, link?: string): FetchAttribute {
  if (a.getAttribute("dategrouping")) throw badRequest("FetchXML: dategrouping is not supported by the in-memory Dataverse.");
  const fn = a.getAttribute("aggregate");
  if (fn !== null && !["count", "countcolumn", "sum", "avg", "min", "max"].includes(fn)) {
    throw badRequest(`FetchXML: aggregate '${fn}' is not one of count, countcolumn, sum, avg, min, max.`);
  }
  const alias = a.getAttribute("alias");
  return {
    name: a.getAttribute("name") ?? "",
    ...(link !== undefined && { link }),
    ...(alias && { alias }),
    ...(fn && { aggregate: fn as AggregateFunction }),
    groupBy: bool(a.getAttribute("groupby")),
    distinct: bool(a.getAttribute("distinct")),
  };
}

function parseLink(el: Element, index: number, userId: string | undefined): { link: FetchLink; attributes: FetchAttribute[] } {
  const name = el.getAttribute("name");
  const from = el.getAttribute("from");
  const to = el.getAttribute("to");
  if (!name || !from || !to) throw badRequest("FetchXML: <link-entity> needs 'name', 'from' and 'to'.");
  const type = el.getAttribute("link-type") ?? "inner";
  if (type !== "inner" && type !== "outer") throw badRequest(`FetchXML: link-type '${type}' of <link-entity name="${name}"> is not supported by the in-memory Dataverse.`);
  if (elements(el, "link-entity").length > 0) throw badRequest(`FetchXML: a <link-entity> inside <link-entity name="${name}"> is not supported by the in-memory Dataverse.`);
  if (elements(el, "order").length > 0 || elements(el, "all-attributes").length > 0) {
    throw badRequest(`FetchXML: <order> and <all-attributes> inside <link-entity name="${name}"> are not supported by the in-memory Dataverse.`);
  }
  // Dataverse names an alias-less link after its table and position.
  const alias = el.getAttribute("alias") ?? `${name}${index + 1}`;
  const filters = elements(el, "filter").map((f) => parseFilter(f, userId));
  return {
    link: { name, from, to, outer: type === "outer", alias, ...(filters.length > 0 && { filter: filters.length === 1 ? filters[0] : { kind: "and", items: filters } }) },
    attributes: elements(el, "attribute").map((a) => parseAttribute(a, alias)),
  };
}

export function parseFetchXml(xml: string, userId?: string): FetchQuery {
  let doc: ReturnType<DOMParser["parseFromString"]>;
  try {
    doc = new DOMParser({ onError: (level, message) => { if (level !== "warning") throw new Error(message); } }).parseFromString(xml, "text/xml");
  } catch (e) {
    throw badRequest(`FetchXML is not well-formed: ${(e as Error).message}`);
  }
  const fetch = doc.documentElement;
  if (fetch?.tagName !== "fetch") throw badRequest("FetchXML must have <fetch> as its root element.");
  const entity = elements(fetch, "entity")[0];
  const entityName = entity?.getAttribute("name");
  if (!entity || !entityName) throw badRequest("FetchXML: <fetch> needs one <entity name=\"...\">.");
  const aggregate = bool(fetch.getAttribute("aggregate"));
  const links = elements(entity, "link-entity").map((el, index) => parseLink(el, index, userId));
  const attributes: FetchAttribute[] = [...elements(entity, "attribute").map((a) => parseAttribute(a)), ...links.flatMap((l) => l.attributes)];
  if (aggregate && attributes.some((a) => !a.alias)) throw badRequest("FetchXML: every attribute of an aggregate query needs an alias.");
  const filters = elements(entity, "filter").map((f) => parseFilter(f, userId));
  const number = (name: string): number | undefined => {
    const raw = fetch.getAttribute(name);
    if (raw === null) return undefined;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1) throw badRequest(`FetchXML: '${name}' must be a positive whole number, got '${raw}'.`);
    return n;
  };
  const top = number("top");
  const count = number("count");
  return {
    entity: entityName,
    aggregate,
    attributes: elements(entity, "all-attributes").length > 0 || attributes.length === 0 ? "all" : attributes,
    links: links.map((l) => l.link),
    ...(filters.length > 0 && { filter: filters.length === 1 ? filters[0] : { kind: "and", items: filters } }),
    orderBy: elements(entity, "order").map((o) => {
      const alias = o.getAttribute("alias");
      return { column: o.getAttribute("attribute") ?? alias ?? "", descending: bool(o.getAttribute("descending")), ...(alias && { alias }) };
    }),
    ...(top !== undefined && { top }),
    ...(count !== undefined && { count }),
    page: number("page") ?? 1,
  };
}

export interface FetchResult {
  readonly rows: JsonObject[];
  readonly moreRecords: boolean;
}

/** A row of the query's entity with the row each link joined to it (null for an outer link that found none). */
interface JoinedRow {
  readonly main: Readonly<StoredRow>;
  readonly linked: Readonly<Record<string, Readonly<StoredRow> | null>>;
}

const joinKey = (value: StoredValue | undefined): string | null =>
  isLookupRef(value) ? value.id.toLowerCase() : value === null || value === undefined ? null : String(value).toLowerCase();

function linkedTable(context: WireContext, link: FetchLink): TableMetadata {
  const meta = context.store.metadata.table(link.name);
  if (!meta) throw badRequest(`FetchXML: <link-entity name="${link.name}">: there is no table '${link.name}'.`);
  return meta;
}

/** Inner links keep the rows that have a match, outer links every row; a row with several matches repeats. */
function join(context: WireContext, meta: TableMetadata, links: readonly FetchLink[], rows: readonly Readonly<StoredRow>[]): JoinedRow[] {
  let joined: JoinedRow[] = rows.map((main) => ({ main, linked: {} }));
  for (const link of links) {
    const linkMeta = linkedTable(context, link);
    columnOf(linkMeta, link.from);
    columnOf(meta, link.to);
    const byKey = new Map<string, Readonly<StoredRow>[]>();
    for (const row of runQuery(linkMeta, context.store.rows(link.name), link.filter)) {
      const key = joinKey(row[link.from]);
      if (key === null) continue;
      const sameKey = byKey.get(key);
      if (sameKey) sameKey.push(row);
      else byKey.set(key, [row]);
    }
    const next: JoinedRow[] = [];
    for (const row of joined) {
      const key = joinKey(row.main[link.to]);
      const matches = key === null ? [] : (byKey.get(key) ?? []);
      if (matches.length === 0 && link.outer) next.push({ main: row.main, linked: { ...row.linked, [link.alias]: null } });
      for (const match of matches) next.push({ main: row.main, linked: { ...row.linked, [link.alias]: match } });
    }
    joined = next;
  }
  return joined;
}

const valueOf = (row: JoinedRow, attribute: FetchAttribute): StoredValue =>
  (attribute.link === undefined ? row.main[attribute.name] : row.linked[attribute.link]?.[attribute.name]) ?? null;

export function executeFetch(context: WireContext, meta: TableMetadata, query: FetchQuery): FetchResult {
  if (query.entity !== meta.logicalName) {
    throw badRequest(`FetchXML entity '${query.entity}' does not match the entity set of '${meta.logicalName}'.`);
  }
  const sortable = query.aggregate ? [] : query.orderBy;
  const matched = join(context, meta, query.links, runQuery(meta, context.store.rows(meta.logicalName), query.filter, sortable));
  if (query.aggregate) return { rows: aggregateRows(context, meta, query, matched), moreRecords: false };
  const limited = query.top === undefined ? matched : matched.slice(0, query.top);
  const pageSize = query.count ?? DEFAULT_PAGE_SIZE;
  const start = (query.page - 1) * pageSize;
  const own = query.attributes === "all" ? undefined : query.attributes.filter((a) => a.link === undefined).map((a) => a.name);
  const linked = query.attributes === "all" ? [] : query.attributes.filter((a) => a.link !== undefined);
  const rows = limited.slice(start, start + pageSize).map((row) => {
    const out = toWire(context, meta, row.main, own ? { select: own } : {});
    // The Web API names a link's columns `<alias>.<column>`, a lookup by its id.
    for (const a of linked) {
      const value = valueOf(row, a);
      out[a.alias ?? `${a.link}.${a.name}`] = (isLookupRef(value) ? value.id : value);
    }
    return out;
  });
  return { rows, moreRecords: start + pageSize < limited.length };
}

function aggregateRows(context: WireContext, meta: TableMetadata, query: FetchQuery, rows: readonly JoinedRow[]): JsonObject[] {
  if (rows.length > AGGREGATE_RECORD_LIMIT) {
    throw new DataverseServiceError(400, ERROR_CODES.aggregateQueryRecordLimit, "AggregateQueryRecordLimit exceeded. Cannot perform this operation.");
  }
  const attributes = query.attributes === "all" ? [] : query.attributes;
  const groupBy = attributes.filter((a) => a.groupBy);
  const measures = attributes.filter((a) => !a.groupBy);
  const tableOf = (a: FetchAttribute): TableMetadata => {
    const link = query.links.find((l) => l.alias === a.link);
    return link === undefined ? meta : linkedTable(context, link);
  };
  for (const a of attributes) columnOf(tableOf(a), a.name);
  const groups = new Map<string, JoinedRow[]>();
  for (const row of rows) {
    const key = JSON.stringify(groupBy.map((g) => {
      const v = valueOf(row, g);
      return isLookupRef(v) ? v.id : v;
    }));
    const list = groups.get(key);
    if (list) list.push(row);
    else groups.set(key, [row]);
  }
  if (groupBy.length === 0 && groups.size === 0) groups.set("[]", []);
  const result: JsonObject[] = [];
  for (const members of groups.values()) {
    const out: JsonObject = {};
    const sample = members[0] as JoinedRow | undefined;
    for (const g of groupBy) {
      const alias = g.alias ?? g.name;
      const column = tableOf(g).columns[g.name];
      const value = sample === undefined ? null : valueOf(sample, g);
      out[alias] = (isLookupRef(value) ? value.id : value);
      const text = context.annotations.formattedValues ? formattedValue(column, value, formatFor(context)) : null;
      if (text !== null) out[`${alias}${FORMATTED}`] = text;
    }
    for (const m of measures) out[m.alias ?? m.name] = measure(m, members.map((row) => valueOf(row, m)));
    result.push(out);
  }
  const order = query.orderBy;
  if (order.length > 0) {
    result.sort((a, b) => {
      for (const o of order) {
        const key = o.alias ?? o.column;
        const x = a[key] as number | string | null;
        const y = b[key] as number | string | null;
        if (x === y) continue;
        if (x === null) return o.descending ? 1 : -1;
        if (y === null) return o.descending ? -1 : 1;
        return (x < y ? -1 : 1) * (o.descending ? -1 : 1);
      }
      return 0;
    });
  }
  return result;
}

function formatFor(context: WireContext) {
  return {
    language: context.language,
    nameOf: (table: string, id: string) => {
      const name = context.store.get(table, id)?.[context.store.metadata.require(table).primaryNameAttribute];
      return typeof name === "string" ? name : null;
    },
  };
}

/**
 * Sums mix currencies exactly as Dataverse does (it adds the raw amounts), which is why lane totals must sum the
 * `_base` column.
 */
function measure(attribute: FetchAttribute, memberValues: readonly StoredValue[]): number | null {
  if (attribute.aggregate === "count") return memberValues.length;
  const values = memberValues.filter((v) => v !== null && v !== undefined);
  if (attribute.aggregate === "countcolumn") {
    if (!attribute.distinct) return values.length;
    return new Set(values.map((v) => (isLookupRef(v) ? v.id : v))).size;
  }
  const numbers = values.filter((v): v is number => typeof v === "number");
  if (numbers.length === 0) return null;
  switch (attribute.aggregate) {
    case "sum":
      return numbers.reduce((s, n) => s + n, 0);
    case "avg":
      return numbers.reduce((s, n) => s + n, 0) / numbers.length;
    case "min":
      return numbers.reduce((m, n) => (n < m ? n : m));
    case "max":
      return numbers.reduce((m, n) => (n > m ? n : m));
    default:
      throw badRequest(`FetchXML: attribute '${attribute.name}' needs an aggregate or groupby in an aggregate query.`);
  }
}
