/**
 * The query model shared by OData `$filter`/`$orderby`, FetchXML and the fake PCF dataset: one condition tree,
 * compiled once against a table's metadata into a row predicate, with Dataverse's comparison rules
 * (case- and accent-insensitive text, lookups compared by id, nulls only equal to null).
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
  | { readonly kind: "in"; readonly column: string; readonly values: readonly Scalar[] }
  /** FetchXML's `on`, `on-or-after`, `on-or-before`: whole days, on date and time or date-only columns. */
  | { readonly kind: "day"; readonly column: string; readonly op: "on" | "on-or-after" | "on-or-before"; readonly value: string }
  /** FetchXML's `eq-userid` / `ne-userid`: the calling user, on a lookup or unique identifier column. */
  | { readonly kind: "user"; readonly column: string; readonly op: "eq" | "ne"; readonly userId: string | null };

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

const ASCII = /^[ -~]*$/;
const MARKS = /\p{Mn}/gu;

/**
 * Text as Dataverse's collation compares it. The collation follows the organisation's base language; for both of ours,
 * 1033 English and 2052 Simplified Chinese, Microsoft's language-collation table lists _CI_AI: "Cafe", "cafe" and
 * "café" are the same word. Languages whose collation is _CI_AS (Finnish, English (UK), ...) are not modelled. The
 * collation's own sort order (pinyin or stroke order for Chinese) is not modelled either: text sorts by code point
 * after folding.
 */
export function foldText(text: string): string {
  return ASCII.test(text) ? text.toLowerCase() : text.normalize("NFD").replace(MARKS, "").toLowerCase();
}

/** A stored value reduced to something comparable: lookups to their id, text folded by the collation, times to ms. */
export function comparable(column: ColumnMetadata, value: StoredValue | undefined): string | number | boolean | null {
  if (value === undefined || value === null) return null;
  if (isLookupRef(value)) return value.id.toLowerCase();
  if (column.type === "datetime" && typeof value === "string") return Date.parse(value);
  // The store keeps ids lower case and dates as digits: nothing to fold.
  if (column.type === "uniqueidentifier" || column.type === "dateonly") return value;
  if (typeof value === "string") return foldText(value);
  return value;
}

/** A literal from OData or FetchXML (where every value is text) converted to the column's type. */
export function literal(column: ColumnMetadata, value: Scalar, where: string): string | number | boolean | null {
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
    case "lookup":
    case "uniqueidentifier":
      // FetchXML (and paging cookies) may write ids in braces: {E062B974-...}.
      return String(value).replace(/^\{(.*)\}$/, "$1").toLowerCase();
    default:
      return foldText(String(value));
  }
}

export function compareScalars(a: string | number | boolean, b: string | number | boolean): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
/** Inside a character class only these are special (and the `u` flag refuses escaping anything else there). */
const escapeInClass = (ch: string): string => (/[\]\\^-]/.test(ch) ? `\\${ch}` : ch);

/**
 * T-SQL's LIKE, which Microsoft's "wildcard characters" page says Dataverse uses: `%` any run of characters, `_` one
 * character, `[abc]` / `[a-c]` one of a set or range, `[^abc]` one not in it; a wildcard in brackets (`[%]`) is
 * literal. Pattern and value are folded alike, so matching follows the collation.
 */
export function likeToRegExp(pattern: string): RegExp {
  const folded = foldText(pattern);
  let source = "";
  for (let i = 0; i < folded.length; i++) {
    const ch = folded[i];
    if (ch === "%") source += ".*";
    else if (ch === "_") source += ".";
    else if (ch === "[" && folded.indexOf("]", i + 2) > 0) {
      const end = folded.indexOf("]", i + 2);
      const body = folded.slice(i + 1, end);
      const negated = body.startsWith("^") && body.length > 1;
      const members = negated ? body.slice(1) : body;
      let set = "";
      for (let j = 0; j < members.length; j++) {
        const range = members[j + 1] === "-" && j + 2 < members.length;
        set += range ? `${escapeInClass(members[j])}-${escapeInClass(members[j + 2])}` : escapeInClass(members[j]);
        if (range) j += 2;
      }
      source += `[${negated ? "^" : ""}${set}]`;
      i = end;
    } else source += escapeRegExp(ch);
  }
  return new RegExp(`^${source}$`, "su");
}

const TEXT_TYPES: readonly string[] = ["string", "memo"];
const ID_TYPES: readonly string[] = ["lookup", "uniqueidentifier"];
const DAY_TYPES: readonly string[] = ["datetime", "dateonly"];

function requireType(column: ColumnMetadata, types: readonly string[], operator: string, where: string): void {
  if (!types.includes(column.type)) {
    throw badRequest(`${where}: the operator '${operator}' is not valid for '${column.logicalName}', a ${column.type} column (it takes ${types.join(" or ")}).`);
  }
}

const DAY_MS = 86_400_000;

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
      const needle = foldText(condition.value);
      const op = condition.op;
      return (row) => {
        const v = row[column.logicalName];
        if (typeof v !== "string") return false;
        const text = foldText(v);
        return op === "contains" ? text.includes(needle) : op === "startswith" ? text.startsWith(needle) : text.endsWith(needle);
      };
    }
    case "like": {
      const column = columnOf(meta, condition.column);
      requireType(column, TEXT_TYPES, "like", where);
      const re = likeToRegExp(condition.pattern);
      return (row) => {
        const v = row[column.logicalName];
        return typeof v === "string" && re.test(foldText(v));
      };
    }
    case "day": {
      const column = columnOf(meta, condition.column);
      requireType(column, DAY_TYPES, condition.op, where);
      const day = condition.value.slice(0, 10);
      if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(Date.parse(day))) {
        throw badRequest(`${where}: '${condition.value}' is not a date for '${column.logicalName}' (${condition.op} takes YYYY-MM-DD).`);
      }
      const op = condition.op;
      if (column.type === "dateonly") {
        return (row) => {
          const v = row[column.logicalName];
          if (typeof v !== "string") return false;
          return op === "on" ? v === day : op === "on-or-after" ? v >= day : v <= day;
        };
      }
      // A date and time column is compared by whole days: Dataverse takes the day in the caller's time zone; the
      // in-memory Dataverse has no user time zone and takes UTC days.
      const start = Date.parse(`${day}T00:00:00Z`);
      const end = start + DAY_MS;
      return (row) => {
        const v = row[column.logicalName];
        if (typeof v !== "string") return false;
        const t = Date.parse(v);
        return op === "on" ? t >= start && t < end : op === "on-or-after" ? t >= start : t < end;
      };
    }
    case "user": {
      const column = columnOf(meta, condition.column);
      requireType(column, ID_TYPES, `${condition.op}-userid`, where);
      const user = condition.userId?.toLowerCase() ?? null;
      const eq = condition.op === "eq";
      return (row) => {
        const actual = comparable(column, row[column.logicalName]);
        // As SQL compares: a row whose column is null is neither the user nor not the user.
        if (actual === null || user === null) return false;
        return eq ? actual === user : actual !== user;
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
  const keyOf = (row: Readonly<StoredRow>): Key => keys.map((k) => comparable(k.column, row[k.column.logicalName]));
  return (a, b) => compareKeys(keyOf(a), keyOf(b), keys);
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
  if (orderBy.length === 0) return out;
  // Each row's sort key is computed once: folding text on every comparison made sorting 100,000 rows slow.
  const keys = orderBy.map((o) => ({ column: columnOf(meta, o.column), sign: o.descending ? -1 : 1 }));
  const keyed = out.map((row) => ({ row, key: keys.map((k) => comparable(k.column, row[k.column.logicalName])) }));
  keyed.sort((a, b) => compareKeys(a.key, b.key, keys));
  return keyed.map((k) => k.row);
}

type Key = readonly (string | number | boolean | null)[];

/** Compares two sort keys as SQL Server orders them: nulls first when ascending, last when descending. */
export function compareKeys(a: Key, b: Key, orders: readonly { readonly sign: number }[]): number {
  for (let i = 0; i < orders.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    const sign = orders[i].sign;
    if (x === null) return -sign;
    if (y === null) return sign;
    return sign * compareScalars(x, y);
  }
  return 0;
}
