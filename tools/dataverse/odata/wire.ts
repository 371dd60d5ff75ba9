/**
 * Conversion between stored rows and the Web API's JSON: lookups as `_x_value` with their annotations, formatted
 * values, `@odata.etag`, `$select`/`$expand` shaping on the way out; `nav@odata.bind` on the way in.
 */
import { badRequest, ERROR_CODES } from "../errors";
import { formattedValue, type FormatContext } from "../format";
import type { LanguageId, TableMetadata } from "../metadata";
import { compileCondition, compileOrder } from "../query";
import { type DataverseStore, etagOf, isLookupRef, type StoredRow, type StoredValue } from "../store";
import type { QueryOptions } from "./queryOptions";

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = Record<string, JsonValue>;

export const FORMATTED = "@OData.Community.Display.V1.FormattedValue";
export const LOOKUP_LOGICAL_NAME = "@Microsoft.Dynamics.CRM.lookuplogicalname";
export const ASSOCIATED_NAVIGATION = "@Microsoft.Dynamics.CRM.associatednavigationproperty";

/** Which annotations the caller asked for with `Prefer: odata.include-annotations="..."`. */
export interface AnnotationPreference {
  readonly formattedValues: boolean;
  readonly lookupNames: boolean;
}

export function annotationPreference(prefer: string | undefined): AnnotationPreference {
  const match = /odata\.include-annotations="([^"]*)"/.exec(prefer ?? "");
  const requested = match ? match[1].split(",").map((s) => s.trim()) : [];
  const all = requested.includes("*");
  return {
    formattedValues: all || requested.includes("OData.Community.Display.V1.FormattedValue"),
    lookupNames: all || requested.some((r) => r.startsWith("Microsoft.Dynamics.CRM.")),
  };
}

export interface WireContext {
  readonly store: DataverseStore;
  readonly language: LanguageId;
  readonly annotations: AnnotationPreference;
}

function formatContextFor(context: WireContext, row: Readonly<StoredRow>): FormatContext {
  const { store } = context;
  const currencyRef = row.transactioncurrencyid;
  const currency = isLookupRef(currencyRef) ? store.get("transactioncurrency", currencyRef.id) : undefined;
  return {
    language: context.language,
    nameOf: (table, id) => {
      const target = store.get(table, id);
      const name = target?.[store.metadata.require(table).primaryNameAttribute];
      return typeof name === "string" ? name : null;
    },
    ...(currency && {
      currency: {
        symbol: typeof currency.currencysymbol === "string" ? currency.currencysymbol : "",
        precision: typeof currency.currencyprecision === "number" ? currency.currencyprecision : 2,
      },
    }),
  };
}

function selectedColumns(meta: TableMetadata, select: readonly string[] | undefined): string[] {
  if (!select) return Object.keys(meta.columns);
  const names = new Set<string>([meta.primaryIdAttribute]);
  for (const s of select) {
    const lookup = /^_(.+)_value$/.exec(s);
    const name = lookup ? lookup[1] : s;
    if (!(name in meta.columns)) {
      throw badRequest(`Could not find a property named '${s}' on type 'Microsoft.Dynamics.CRM.${meta.logicalName}'.`);
    }
    names.add(name);
  }
  return [...names];
}

export function toWire(context: WireContext, meta: TableMetadata, row: Readonly<StoredRow>, options: QueryOptions = {}): JsonObject {
  const out: JsonObject = {};
  if (typeof row.versionnumber === "number") out["@odata.etag"] = etagOf(row);
  const format = formatContextFor(context, row);
  for (const name of selectedColumns(meta, options.select)) {
    const column = meta.columns[name];
    const value = row[name] ?? null;
    const key = column.type === "lookup" ? `_${name}_value` : name;
    if (isLookupRef(value)) {
      out[key] = value.id;
      if (context.annotations.lookupNames) {
        out[`${key}${LOOKUP_LOGICAL_NAME}`] = value.table;
        const nav = column.targets?.find((t) => t.table === value.table)?.navigationProperty;
        if (nav) out[`${key}${ASSOCIATED_NAVIGATION}`] = nav;
      }
    } else {
      out[key] = value;
    }
    if (context.annotations.formattedValues && name !== "versionnumber") {
      const text = formattedValue(column, value, format);
      if (text !== null) out[`${key}${FORMATTED}`] = text;
    }
  }
  for (const expand of options.expand ?? []) out[expand.navigationProperty] = expandValue(context, meta, row, expand.navigationProperty, expand.options);
  return out;
}

function expandValue(context: WireContext, meta: TableMetadata, row: Readonly<StoredRow>, nav: string, options: QueryOptions): JsonValue {
  const { store } = context;
  const single = store.metadata.singleNavigation(meta.logicalName, nav);
  if (single) {
    const ref = row[single.column.logicalName];
    if (!isLookupRef(ref) || ref.table !== single.target.table) return null;
    const target = store.get(ref.table, ref.id);
    return target ? toWire(context, store.metadata.require(ref.table), target, options) : null;
  }
  const relation = store.metadata.collectionNavigation(meta.logicalName, nav);
  if (!relation) {
    throw badRequest(`Could not find a property named '${nav}' on type 'Microsoft.Dynamics.CRM.${meta.logicalName}'.`);
  }
  const childMeta = store.metadata.require(relation.referencingTable);
  const parentId = row[meta.primaryIdAttribute];
  const filter = options.filter ? compileCondition(childMeta, options.filter) : undefined;
  const children: Readonly<StoredRow>[] = [];
  for (const child of store.rows(childMeta.logicalName)) {
    const ref = child[relation.referencingColumn];
    if (isLookupRef(ref) && ref.id === parentId && (!filter || filter(child))) children.push(child);
  }
  if (options.orderBy) children.sort(compileOrder(childMeta, options.orderBy));
  const limited = options.top === undefined ? children : children.slice(0, options.top);
  return limited.map((child) => toWire(context, childMeta, child, { ...options, expand: options.expand ?? [] }));
}

const undeclaredProperty = (name: string) =>
  `An undeclared property '${name}' which only has property annotations in the payload but no property value was found in the payload.`;

/** A request body turned into stored values; lookups must be set with `nav@odata.bind`, as in the real Web API. */
export function fromWire(store: DataverseStore, meta: TableMetadata, body: unknown): StoredRow {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw badRequest("The request body must be a JSON object.", ERROR_CODES.invalidArgument);
  }
  const values: StoredRow = {};
  for (const [key, raw] of Object.entries(body as Record<string, unknown>)) {
    if (key.startsWith("@odata.")) continue;
    const bind = /^(.+)@odata\.bind$/.exec(key);
    if (bind) {
      const nav = store.metadata.singleNavigation(meta.logicalName, bind[1]);
      // ODataLib's own wording; Dataverse matches navigation property names case-sensitively.
      if (!nav) throw badRequest(`${undeclaredProperty(bind[1])} In OData, only declared navigation properties and declared named streams can be represented as properties without values.`);
      if (raw === null) {
        values[nav.column.logicalName] = null;
        continue;
      }
      const target = typeof raw === "string" ? /^\/?([a-z_0-9]+)\(([0-9a-fA-F-]{36})\)$/.exec(raw.replace(/^.*\/api\/data\/v[0-9.]+\//, "")) : null;
      const targetMeta = target ? store.metadata.tableBySetName(target[1]) : undefined;
      if (!target || targetMeta?.logicalName !== nav.target.table) {
        throw badRequest(`'${key}' must be '/${store.metadata.require(nav.target.table).entitySetName}(<id>)', got '${JSON.stringify(raw)}'.`);
      }
      values[nav.column.logicalName] = { id: target[2].toLowerCase(), table: nav.target.table };
      continue;
    }
    if (key.includes("@")) continue;
    if (/^_.+_value$/.test(key)) {
      throw badRequest(`${undeclaredProperty(key)} Use '<navigation>@odata.bind' to set a lookup.`);
    }
    const column = meta.columns[key];
    if (column?.type === "lookup") {
      throw badRequest(`Lookup '${key}' must be set with '<navigation>@odata.bind' on '${meta.logicalName}'.`);
    }
    if (raw !== null && typeof raw === "object") throw badRequest(`'${key}' must be a primitive value.`);
    values[key] = raw as StoredValue;
  }
  return values;
}
