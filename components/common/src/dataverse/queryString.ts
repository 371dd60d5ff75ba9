/** Builds OData query strings; pure, so every control builds them the same way and tests can read them. */
import type { ExpandOption, QueryOptions } from "./types";

/** A string literal for `$filter`: quotes doubled, so user text can never end the literal. */
export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

function expandClause(expand: ExpandOption): string {
  const nested = [
    expand.select && `$select=${expand.select.join(",")}`,
    expand.filter && `$filter=${expand.filter}`,
    expand.orderBy && `$orderby=${expand.orderBy.join(",")}`,
    expand.top !== undefined && `$top=${expand.top}`,
  ].filter((part): part is string => typeof part === "string");
  return nested.length > 0 ? `${expand.navigationProperty}(${nested.join(";")})` : expand.navigationProperty;
}

/** `?$select=...&$filter=...`, each value URI-encoded; empty string when there are no options. */
export function toQueryString(options: QueryOptions = {}): string {
  const parts: [string, string][] = [];
  if (options.select?.length) parts.push(["$select", options.select.join(",")]);
  if (options.filter) parts.push(["$filter", options.filter]);
  if (options.orderBy?.length) parts.push(["$orderby", options.orderBy.join(",")]);
  if (options.top !== undefined) parts.push(["$top", String(options.top)]);
  if (options.expand?.length) parts.push(["$expand", options.expand.map(expandClause).join(",")]);
  return parts.length === 0 ? "" : `?${parts.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join("&")}`;
}
