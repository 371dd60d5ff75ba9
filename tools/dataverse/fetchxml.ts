/**
 * FetchXML as the Web API runs it (`GET /<set>?fetchXml=...`): attributes, filters, order, paging with `count`/`page`,
 * and `aggregate="true"` with count, countcolumn, sum, avg, min, max and groupby, refusing more than 50,000 rows
 * with Dataverse's AggregateQueryRecordLimit error. `link-entity` and date grouping are not implemented and are
 * refused by name rather than silently ignored.
 */
import { DOMParser, type Element } from "@xmldom/xmldom";
import { badRequest, DataverseServiceError, ERROR_CODES } from "./errors";
import { formattedValue } from "./format";
import type { TableMetadata } from "./metadata";
import { type JsonObject, FORMATTED, toWire, type WireContext } from "./odata/wire";
import { columnOf, type Condition, type OrderBy, runQuery, type Scalar } from "./query";
import { isLookupRef, type StoredRow } from "./store";

export const AGGREGATE_RECORD_LIMIT = 50_000;
const DEFAULT_PAGE_SIZE = 5000;

type AggregateFunction = "count" | "countcolumn" | "sum" | "avg" | "min" | "max";

interface FetchAttribute {
  readonly name: string;
  readonly alias?: string;
  readonly aggregate?: AggregateFunction;
  readonly groupBy: boolean;
  readonly distinct: boolean;
}

export interface FetchQuery {
  readonly entity: string;
  readonly aggregate: boolean;
  readonly attributes: readonly FetchAttribute[] | "all";
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
  if (elements(entity, "link-entity").length > 0) {
    throw badRequest("FetchXML: <link-entity> is not supported by the in-memory Dataverse.");
  }
  const aggregate = bool(fetch.getAttribute("aggregate"));
  const attributes: FetchAttribute[] = elements(entity, "attribute").map((a) => {
    if (a.getAttribute("dategrouping")) throw badRequest("FetchXML: dategrouping is not supported by the in-memory Dataverse.");
    const fn = a.getAttribute("aggregate");
    if (fn !== null && !["count", "countcolumn", "sum", "avg", "min", "max"].includes(fn)) {
      throw badRequest(`FetchXML: aggregate '${fn}' is not one of count, countcolumn, sum, avg, min, max.`);
    }
    const alias = a.getAttribute("alias");
    return {
      name: a.getAttribute("name") ?? "",
      ...(alias && { alias }),
      ...(fn && { aggregate: fn as AggregateFunction }),
      groupBy: bool(a.getAttribute("groupby")),
      distinct: bool(a.getAttribute("distinct")),
    };
  });
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

export function executeFetch(context: WireContext, meta: TableMetadata, query: FetchQuery): FetchResult {
  if (query.entity !== meta.logicalName) {
    throw badRequest(`FetchXML entity '${query.entity}' does not match the entity set of '${meta.logicalName}'.`);
  }
  const sortable = query.aggregate ? [] : query.orderBy;
  const matched = runQuery(meta, context.store.rows(meta.logicalName), query.filter, sortable);
  if (query.aggregate) return { rows: aggregateRows(context, meta, query, matched), moreRecords: false };
  const limited = query.top === undefined ? matched : matched.slice(0, query.top);
  const pageSize = query.count ?? DEFAULT_PAGE_SIZE;
  const start = (query.page - 1) * pageSize;
  const select = query.attributes === "all" ? undefined : query.attributes.map((a) => a.name);
  const rows = limited.slice(start, start + pageSize).map((row) => toWire(context, meta, row, select ? { select } : {}));
  return { rows, moreRecords: start + pageSize < limited.length };
}

function aggregateRows(context: WireContext, meta: TableMetadata, query: FetchQuery, rows: readonly Readonly<StoredRow>[]): JsonObject[] {
  if (rows.length > AGGREGATE_RECORD_LIMIT) {
    throw new DataverseServiceError(400, ERROR_CODES.aggregateQueryRecordLimit, "AggregateQueryRecordLimit exceeded. Cannot perform this operation.");
  }
  const attributes = query.attributes === "all" ? [] : query.attributes;
  const groupBy = attributes.filter((a) => a.groupBy);
  const measures = attributes.filter((a) => !a.groupBy);
  for (const a of attributes) columnOf(meta, a.name);
  const groups = new Map<string, Readonly<StoredRow>[]>();
  for (const row of rows) {
    const key = JSON.stringify(groupBy.map((g) => {
      const v = row[g.name];
      return isLookupRef(v) ? v.id : (v ?? null);
    }));
    const list = groups.get(key);
    if (list) list.push(row);
    else groups.set(key, [row]);
  }
  if (groupBy.length === 0 && groups.size === 0) groups.set("[]", []);
  const result: JsonObject[] = [];
  for (const members of groups.values()) {
    const out: JsonObject = {};
    const sample = members[0];
    for (const g of groupBy) {
      const alias = g.alias ?? g.name;
      const column = meta.columns[g.name];
      const value = sample?.[g.name] ?? null;
      out[alias] = isLookupRef(value) ? value.id : value;
      const text = context.annotations.formattedValues ? formattedValue(column, value, formatFor(context)) : null;
      if (text !== null) out[`${alias}${FORMATTED}`] = text;
    }
    for (const m of measures) out[m.alias ?? m.name] = measure(m, members);
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
function measure(attribute: FetchAttribute, rows: readonly Readonly<StoredRow>[]): number | null {
  if (attribute.aggregate === "count") return rows.length;
  const values = rows.map((r) => r[attribute.name]).filter((v) => v !== null && v !== undefined);
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
