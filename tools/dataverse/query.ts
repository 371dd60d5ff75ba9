/**
 * The query model shared by OData `$filter`/`$orderby`, FetchXML and the fake PCF dataset: one condition tree,
 * compiled once against a table's metadata into a row predicate, with Dataverse's comparison rules
 * (case-insensitive text, lookups compared by id, nulls only equal to null).
 */
import { badRequest } from "./errors";
import type { ColumnMetadata, TableMetadata } from "./metadata";
import { isLookupRef, type StoredRow, type StoredValue } from "./store";

export type Scalar = string | number | boolean | null;
export type CompareOp = "eq" | "ne" | "gt" | "ge" | "lt" | "le";
export type TextOp = "contains" | "startswith" | "endswith";

export type Condition =
  | { readonly kind: "and" | "or"; readonly items: readonly Condition[] }
  | { readonly kind: "not"; readonly item: Condition }
  | { readonly kind: "compare"; readonly column: string; readonly op: CompareOp; readonly value: Scalar }
  | { readonly kind: "text"; readonly column: string; readonly op: TextOp; readonly value: string }
  | { readonly kind: "like"; readonly column: string; readonly pattern: string }
  | { readonly kind: "in"; readonly column: string; readonly values: readonly Scalar[] };

export interface OrderBy {
  readonly column: string;
  readonly descending: boolean;
}

export type RowPredicate = (row: Readonly<StoredRow>) => boolean;

export function columnOf(meta: TableMetadata, name: string): ColumnMetadata {
  const lookupMatch = /^_(.+)_value$/.exec(name);
  const column = meta.columns[lookupMatch ? lookupMatch[1] : name];
  if (!column || (lookupMatch && column.type !== "lookup")) {
    throw badRequest(`Could not find a property named '${name}' on type 'Microsoft.Dynamics.CRM.${meta.logicalName}'.`);
  }
  return column;
}

/** A stored value reduced to something comparable: lookups to their id, text to lower case (Dataverse's collation). */
function comparable(column: ColumnMetadata, value: StoredValue | undefined): string | number | boolean | null {
  if (value === undefined || value === null) return null;
  if (isLookupRef(value)) return value.id.toLowerCase();
  if (column.type === "datetime" && typeof value === "string") return Date.parse(value);
  if (typeof value === "string") return value.toLowerCase();
  return value;
}

/** A literal from OData or FetchXML (where every value is text) converted to the column's type. */
function literal(column: ColumnMetadata, value: Scalar, where: string): string | number | boolean | null {
  if (value === null) return null;
  switch (column.type) {
    case "integer":
    case "bigint":
    case "decimal":
    case "money":
    case "choice":
    case "state":
    case "status": {
      const n = typeof value === "number" ? value : Number(value);
      if (typeof value === "boolean" || Number.isNaN(n)) throw badRequest(`${where}: '${String(value)}' is not a number for '${column.logicalName}'.`);
      return n;
    }
    case "boolean":
      if (typeof value === "boolean") return value;
      if (value === "1" || value === "true") return true;
      if (value === "0" || value === "false") return false;
      throw badRequest(`${where}: '${String(value)}' is not a boolean for '${column.logicalName}'.`);
    case "datetime": {
      const t = Date.parse(String(value));
      if (Number.isNaN(t)) throw badRequest(`${where}: '${String(value)}' is not a date for '${column.logicalName}'.`);
      return t;
    }
    case "dateonly":
      return String(value).slice(0, 10);
    default:
      return String(value).toLowerCase();
  }
}

function compareScalars(a: string | number | boolean, b: string | number | boolean): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

function likeToRegExp(pattern: string): RegExp {
  let source = "";
  for (const ch of pattern.toLowerCase()) {
    if (ch === "%") source += ".*";
    else if (ch === "_") source += ".";
    else source += ch.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${source}$`, "s");
}

export function compileCondition(meta: TableMetadata, condition: Condition, where = "$filter"): RowPredicate {
  switch (condition.kind) {
    case "and": {
      const parts = condition.items.map((c) => compileCondition(meta, c, where));
      return (row) => parts.every((p) => p(row));
    }
    case "or": {
      const parts = condition.items.map((c) => compileCondition(meta, c, where));
      return (row) => parts.some((p) => p(row));
    }
    case "not": {
      const inner = compileCondition(meta, condition.item, where);
      return (row) => !inner(row);
    }
    case "compare": {
      const column = columnOf(meta, condition.column);
      const expected = literal(column, condition.value, where);
      const op = condition.op;
      return (row) => {
        const actual = comparable(column, row[column.logicalName]);
        if (op === "eq") return actual === expected;
        if (op === "ne") return actual !== expected;
        if (actual === null || expected === null) return false;
        const c = compareScalars(actual, expected);
        return op === "gt" ? c > 0 : op === "ge" ? c >= 0 : op === "lt" ? c < 0 : c <= 0;
      };
    }
    case "text": {
      const column = columnOf(meta, condition.column);
      const needle = condition.value.toLowerCase();
      const op = condition.op;
      return (row) => {
        const v = row[column.logicalName];
        if (typeof v !== "string") return false;
        const text = v.toLowerCase();
        return op === "contains" ? text.includes(needle) : op === "startswith" ? text.startsWith(needle) : text.endsWith(needle);
      };
    }
    case "like": {
      const column = columnOf(meta, condition.column);
      const re = likeToRegExp(condition.pattern);
      return (row) => {
        const v = row[column.logicalName];
        return typeof v === "string" && re.test(v.toLowerCase());
      };
    }
    case "in": {
      const column = columnOf(meta, condition.column);
      const allowed = new Set(condition.values.map((v) => literal(column, v, where)));
      return (row) => allowed.has(comparable(column, row[column.logicalName]));
    }
  }
}

/**
 * Sorts like SQL Server: nulls first when ascending. Choices sort by value, which for our stage-like choices is the
 * business order users expect (real Dataverse sorts FetchXML choices by label unless asked for raw order).
 */
export function compileOrder(meta: TableMetadata, orderBy: readonly OrderBy[]): (a: Readonly<StoredRow>, b: Readonly<StoredRow>) => number {
  const keys = orderBy.map((o) => ({ column: columnOf(meta, o.column), sign: o.descending ? -1 : 1 }));
  return (a, b) => {
    for (const { column, sign } of keys) {
      const x = comparable(column, a[column.logicalName]);
      const y = comparable(column, b[column.logicalName]);
      if (x === y) continue;
      if (x === null) return -sign;
      if (y === null) return sign;
      return sign * compareScalars(x, y);
    }
    return 0;
  };
}

export function runQuery(
  meta: TableMetadata,
  rows: Iterable<Readonly<StoredRow>>,
  filter: Condition | undefined,
  orderBy: readonly OrderBy[] = [],
): Readonly<StoredRow>[] {
  const predicate = filter ? compileCondition(meta, filter) : undefined;
  const out: Readonly<StoredRow>[] = [];
  for (const row of rows) if (!predicate || predicate(row)) out.push(row);
  if (orderBy.length > 0) out.sort(compileOrder(meta, orderBy));
  return out;
}
