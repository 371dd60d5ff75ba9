/**
 * Parses the OData system query options of a Web API URL (`$select`, `$filter`, `$orderby`, `$top`, `$expand`,
 * `$count`, `$skiptoken`, `fetchXml`), including nested options inside `$expand=nav($select=...;$filter=...)`.
 */
import { badRequest } from "../errors";
import type { Condition, OrderBy } from "../query";
import { type FilterContext, parseFilter } from "./filter";

export interface ExpandOption {
  readonly navigationProperty: string;
  readonly options: QueryOptions;
}

export interface QueryOptions {
  readonly select?: readonly string[];
  readonly filter?: Condition;
  readonly orderBy?: readonly OrderBy[];
  readonly top?: number;
  readonly expand?: readonly ExpandOption[];
  readonly count?: boolean;
  readonly skipToken?: string;
  readonly fetchXml?: string;
}

/** Splits on `separator` only outside parentheses and quotes; parts are trimmed and empty ones dropped. */
export function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let inString = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "'") inString = !inString;
    else if (!inString && ch === "(") depth++;
    else if (!inString && ch === ")") depth--;
    else if (!inString && depth === 0 && ch === separator) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p !== "");
}

function parseOrderBy(text: string): OrderBy[] {
  return splitTopLevel(text, ",").map((part) => {
    const [column, direction = "asc"] = part.split(/\s+/);
    if (direction !== "asc" && direction !== "desc") throw badRequest(`$orderby: '${direction}' must be asc or desc.`);
    return { column, descending: direction === "desc" };
  });
}

function parseTop(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw badRequest(`$top: '${text}' is not a non-negative whole number.`);
  return n;
}

/** Dataverse's answer to `$top` or `$orderby` where "Join tables using OData" says only `$select` and `$filter` go. */
export const EXPAND_OPTIONS_LIMITED = "Only $select and $filter clause can be provided while doing $expand on many-to-one relationship or nested one-to-many relationship.";

/** Whether `$top`/`$orderby` are refused on this `$expand`: below a lookup, or a collection expanded inside another `$expand`. */
function limitedExpand(context: FilterContext, navigationProperty: string, nested: boolean): boolean {
  const scope = context.scope;
  if (scope === undefined) return false;
  const { metadata } = scope.store;
  const table = scope.table.logicalName;
  return metadata.singleNavigation(table, navigationProperty) !== undefined || (nested && metadata.collectionNavigation(table, navigationProperty) !== undefined);
}

function parseExpand(text: string, context: FilterContext, nested: boolean): ExpandOption[] {
  return splitTopLevel(text, ",").map((item) => {
    const open = item.indexOf("(");
    if (open < 0) return { navigationProperty: item, options: {} };
    if (!item.endsWith(")")) throw badRequest(`$expand: missing ')' in '${item}'.`);
    const options = new Map<string, string>();
    for (const pair of splitTopLevel(item.slice(open + 1, -1), ";")) {
      const eq = pair.indexOf("=");
      if (eq < 0) throw badRequest(`$expand: '${pair}' is not an option=value pair.`);
      options.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    const navigationProperty = item.slice(0, open);
    if ((options.has("$top") || options.has("$orderby")) && limitedExpand(context, navigationProperty, nested)) throw badRequest(EXPAND_OPTIONS_LIMITED);
    return { navigationProperty, options: fromOptionMap(options, expandedContext(context, navigationProperty), true) };
  });
}

/** A nested `$filter` applies to the rows the navigation property leads to; an unknown one is refused when expanded. */
function expandedContext(context: FilterContext, navigationProperty: string): FilterContext {
  const scope = context.scope;
  if (scope === undefined) return context;
  const { metadata } = scope.store;
  const target =
    metadata.collectionNavigation(scope.table.logicalName, navigationProperty)?.referencingTable ?? metadata.singleNavigation(scope.table.logicalName, navigationProperty)?.target.table;
  const table = target === undefined ? undefined : metadata.table(target);
  const user = context.userId === undefined ? {} : { userId: context.userId };
  return table === undefined ? user : { ...user, scope: { store: scope.store, table } };
}

const KNOWN = new Set(["$select", "$filter", "$orderby", "$top", "$expand", "$count", "$skiptoken", "fetchXml"]);

function fromOptionMap(map: ReadonlyMap<string, string>, context: FilterContext, insideExpand = false): QueryOptions {
  for (const key of map.keys()) {
    if (key === "$skip") throw badRequest("The query parameter $skip is not supported.");
    if (key.startsWith("$") && !KNOWN.has(key)) throw badRequest(`The query parameter ${key} is not supported.`);
  }
  const select = map.get("$select");
  const filter = map.get("$filter");
  const orderBy = map.get("$orderby");
  const top = map.get("$top");
  const expand = map.get("$expand");
  return {
    ...(select !== undefined && { select: select.split(",").map((s) => s.trim()) }),
    ...(filter !== undefined && { filter: parseFilter(filter, context) }),
    ...(orderBy !== undefined && { orderBy: parseOrderBy(orderBy) }),
    ...(top !== undefined && { top: parseTop(top) }),
    ...(expand !== undefined && { expand: parseExpand(expand, context, insideExpand) }),
    ...(map.get("$count") === "true" && { count: true }),
    ...(map.has("$skiptoken") && { skipToken: map.get("$skiptoken") }),
    ...(map.has("fetchXml") && { fetchXml: map.get("fetchXml") }),
  };
}

export function parseQueryOptions(search: URLSearchParams, context: FilterContext = {}): QueryOptions {
  return fromOptionMap(new Map(search.entries()), context);
}
