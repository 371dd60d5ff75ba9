/**
 * The table, column and navigation-property names a flow sends to or reads from the Dataverse connector
 * (shared_commondataserviceforapps), checked against the in-memory Dataverse's metadata, which follows Microsoft's
 * table reference: `entityName` (an entity set name), `item/<column>`, `item/<navigation>@odata.bind` (matched
 * case-sensitively, as Dataverse does), `$select`, `$filter`, `$orderby`, `$expand`, and the trigger's
 * `subscriptionRequest/entityname` (a logical name), `filteringattributes` and `filterexpression`.
 * Lookups are read as `_<column>_value`. Names inside `@{...}` are dynamic and skipped; a whole-value expression
 * (`@...`) is skipped entirely.
 */
import type { JsonValue } from "../expressions";
import type { ColumnMetadata, MetadataSet, TableMetadata } from "../../dataverse/metadata";
import { expandItems, filterReferences, hasUnterminatedString, orderbyPaths, selectNames } from "./odata";
import { caseOnlyMatch, didYouMean, isDynamic, isWholeExpression, maskInterpolations } from "./names";

export interface NameProblem {
  /** The parameter the wrong name is in, as the flow writes it (for the line). */
  parameter: string;
  message: string;
}

type Json = Record<string, JsonValue>;
const isObject = (v: JsonValue | undefined): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** Name look-ups on top of MetadataSet that the check needs and MetadataSet does not offer. */
export class DataverseNames {
  constructor(readonly metadata: MetadataSet) {}

  /** The tables a single-valued navigation property of `table` leads to, with its lookup column. */
  singleNavigation(table: TableMetadata, navigation: string): { column: ColumnMetadata; tables: TableMetadata[] } | undefined {
    for (const column of Object.values(table.columns)) {
      const targets = column.targets?.filter((t) => t.navigationProperty === navigation) ?? [];
      if (targets.length > 0) {
        return { column, tables: targets.map((t) => this.metadata.table(t.table)).filter((t): t is TableMetadata => t !== undefined) };
      }
    }
    return undefined;
  }

  /** The table a collection-valued navigation property of `table` leads to. */
  collectionNavigation(table: TableMetadata, navigation: string): TableMetadata | undefined {
    const relationship = this.metadata.collectionNavigation(table.logicalName, navigation);
    return relationship === undefined ? undefined : this.metadata.table(relationship.referencingTable);
  }

  singleNavigationNames(table: TableMetadata): string[] {
    return [...new Set(Object.values(table.columns).flatMap((c) => c.targets?.map((t) => t.navigationProperty) ?? []))];
  }

  navigationNames(table: TableMetadata): string[] {
    return [...this.singleNavigationNames(table), ...table.oneToMany.map((r) => r.navigationProperty)];
  }

  /** The names a query reads a table's columns by: lookups as `_<column>_value`, the rest by logical name. */
  readNames(table: TableMetadata): string[] {
    return Object.values(table.columns).map((c) => (c.type === "lookup" ? `_${c.logicalName}_value` : c.logicalName));
  }
}

const tableName = (tables: readonly TableMetadata[]) => tables.map((t) => t.logicalName).join(" or ");

/** Why `name` is not a column a query can read on any of `tables`, or undefined when it is one. */
function readProblem(names: DataverseNames, tables: readonly TableMetadata[], name: string): string | undefined {
  if (tables.some((t) => names.readNames(t).includes(name))) return undefined;
  const lookup = tables.map((t) => t.columns[name]).find((c) => c?.type === "lookup");
  if (lookup !== undefined) return `'${name}' is a lookup column of ${tableName(tables)}; a query reads it as '_${name}_value'`;
  const plain = /^_(.+)_value$/.exec(name)?.[1];
  if (plain !== undefined && tables.some((t) => t.columns[plain] !== undefined)) return `'${plain}' is not a lookup column of ${tableName(tables)}; read it as '${plain}'`;
  const candidates = tables.flatMap((t) => names.readNames(t));
  const navigation = tables.some((t) => names.navigationNames(t).includes(name));
  if (navigation) return `'${name}' is a navigation property of ${tableName(tables)}, not a column; read its columns with $expand`;
  return `'${name}' is not a column of ${tableName(tables)}${didYouMean(name, candidates)}`;
}

/** Resolves a property path (navigations, then a column) and reports the first wrong segment. */
function pathProblem(names: DataverseNames, start: readonly TableMetadata[], path: readonly string[]): string | undefined {
  let tables = start;
  for (let i = 0; i < path.length - 1; i++) {
    const segment = path[i];
    const next = tables.flatMap((t) => names.singleNavigation(t, segment)?.tables ?? []);
    if (next.length === 0) {
      const all = tables.flatMap((t) => names.singleNavigationNames(t));
      const lookup = tables.map((t) => t.columns[segment]).find((c) => c?.type === "lookup");
      const hint = lookup !== undefined ? `; '${segment}' is a lookup column, navigated through ${lookup.targets?.map((t) => `'${t.navigationProperty}'`).join(" or ")}` : didYouMean(segment, all);
      return `'${segment}' in '${path.join("/")}' is not a single-valued navigation property of ${tableName(tables)}${hint}`;
    }
    tables = next;
  }
  return readProblem(names, tables, path[path.length - 1]);
}

function filterProblems(names: DataverseNames, tables: readonly TableMetadata[], filter: string): string[] {
  const problems: string[] = [];
  if (hasUnterminatedString(filter)) return [`a string literal has no closing quote (${filter})`];
  const variables = new Map<string, TableMetadata[]>();
  for (const reference of filterReferences(filter)) {
    let start: readonly TableMetadata[] = tables;
    if (reference.variable !== undefined) {
      const bound = variables.get(reference.variable);
      if (bound === undefined) continue;
      start = bound;
    }
    if (reference.lambda !== undefined) {
      // nav/any(o: ...): the path up to the collection, whose table the variable stands for.
      const path = reference.path;
      const head = path.slice(0, -1);
      let owner: readonly TableMetadata[] = start;
      for (const segment of head) owner = owner.flatMap((t) => names.singleNavigation(t, segment)?.tables ?? []);
      const collection = path[path.length - 1];
      const target = owner.map((t) => names.collectionNavigation(t, collection)).filter((t): t is TableMetadata => t !== undefined);
      if (target.length === 0) {
        const all = owner.flatMap((t) => t.oneToMany.map((r) => r.navigationProperty));
        problems.push(`'${collection}' is not a collection-valued navigation property of ${tableName(owner.length > 0 ? owner : start)}${didYouMean(collection, all)}`);
        continue;
      }
      variables.set(reference.lambda, target);
      continue;
    }
    if (reference.queryFunction !== undefined) {
      // PropertyName names a column by its logical name (lookups too); accept the _x_value form as well.
      const name = reference.path.join("/");
      const plain = /^_(.+)_value$/.exec(name)?.[1] ?? name;
      if (start.some((t) => t.columns[plain] !== undefined)) continue;
      const all = start.flatMap((t) => Object.keys(t.columns));
      problems.push(`PropertyName '${name}' of ${reference.queryFunction}() is not a column of ${tableName(start)}${didYouMean(name, all)}`);
      continue;
    }
    const problem = pathProblem(names, start, reference.path);
    if (problem !== undefined) problems.push(problem);
  }
  return problems;
}

/** A query option's literal text with interpolations masked; undefined when the whole value is dynamic or absent. */
function literal(value: JsonValue | undefined): string | undefined {
  if (typeof value !== "string" || value === "" || isWholeExpression(value)) return undefined;
  return maskInterpolations(value);
}

function queryProblems(names: DataverseNames, tables: readonly TableMetadata[], options: Record<string, JsonValue | undefined>, report: (option: string, message: string) => void, depth = 0): void {
  const select = literal(options.$select);
  if (select !== undefined) for (const name of selectNames(select)) {
    const problem = readProblem(names, tables, name);
    if (problem !== undefined) report("$select", problem);
  }
  const filter = literal(options.$filter);
  if (filter !== undefined) for (const problem of filterProblems(names, tables, filter)) report("$filter", problem);
  const orderby = literal(options.$orderby);
  if (orderby !== undefined) for (const path of orderbyPaths(orderby)) {
    const problem = pathProblem(names, tables, path);
    if (problem !== undefined) report("$orderby", problem);
  }
  const expand = literal(options.$expand);
  if (expand !== undefined && depth < 8) for (const item of expandItems(expand)) {
    const single = tables.flatMap((t) => names.singleNavigation(t, item.navigation)?.tables ?? []);
    const collection = tables.map((t) => names.collectionNavigation(t, item.navigation)).filter((t): t is TableMetadata => t !== undefined);
    const targets = [...single, ...collection];
    if (targets.length === 0) {
      const lookup = tables.map((t) => t.columns[item.navigation]).find((c) => c?.type === "lookup");
      const hint = lookup !== undefined ? `; '${item.navigation}' is a lookup column, expanded through ${lookup.targets?.map((t) => `'${t.navigationProperty}'`).join(" or ")}` : didYouMean(item.navigation, tables.flatMap((t) => names.navigationNames(t)));
      report("$expand", `'${item.navigation}' is not a navigation property of ${tableName(tables)}${hint}`);
      continue;
    }
    queryProblems(names, targets, item.options, (option, message) => report("$expand", `${item.navigation}(${option}): ${message}`), depth + 1);
  }
}

/** Flattens `{ "item": { a: 1 } }` to `item/a`, so that both forms exported flows use are checked alike. */
function flatParameters(parameters: Json): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(parameters)) {
    if ((key === "item" || key === "subscriptionRequest") && isObject(value)) {
      for (const [inner, v] of Object.entries(value)) out[`${key}/${inner}`] = v;
    } else out[key] = value;
  }
  return out;
}

function tableBySetName(names: DataverseNames, setName: string, report: (message: string) => void): TableMetadata | undefined {
  const table = names.metadata.tableBySetName(setName);
  if (table !== undefined) return table;
  const tables = names.metadata.tables();
  const byLogical = names.metadata.table(setName) ?? tables.find((t) => t.logicalName.toLowerCase() === setName.toLowerCase());
  const hint = byLogical !== undefined
    ? `; that is the logical name of ${byLogical.logicalName}, whose entity set name is '${byLogical.entitySetName}'`
    : didYouMean(setName, tables.map((t) => t.entitySetName));
  report(`entityName '${setName}' is not the entity set name of any table in the Dataverse metadata${hint}`);
  return undefined;
}

function itemProblems(names: DataverseNames, table: TableMetadata, parameters: Json, report: (parameter: string, message: string) => void): void {
  for (const [key, value] of Object.entries(parameters)) {
    if (!key.startsWith("item/")) continue;
    const name = key.slice("item/".length);
    if (isDynamic(maskInterpolations(name))) continue;
    if (name.endsWith("@odata.bind")) {
      const navigation = name.slice(0, -"@odata.bind".length);
      const single = names.singleNavigation(table, navigation);
      const collection = names.collectionNavigation(table, navigation);
      if (single === undefined && collection === undefined) {
        const match = caseOnlyMatch(navigation, names.navigationNames(table));
        const column = table.columns[navigation];
        const hint = match !== undefined
          ? `; did you mean '${match}'? Dataverse matches @odata.bind names case-sensitively`
          : column?.type === "lookup"
            ? `; '${navigation}' is a lookup column, bound through ${column.targets?.map((t) => `'${t.navigationProperty}'`).join(" or ")}`
            : "";
        report(key, `'${navigation}' is not a navigation property of ${table.logicalName}${hint}`);
        continue;
      }
      // The bound record: `accounts(<id>)` or `/accounts(<id>)`; its set must be one the navigation leads to.
      const bound = typeof value === "string" && !isWholeExpression(value) ? /^\/?([A-Za-z_][A-Za-z0-9_]*)\(/.exec(maskInterpolations(value))?.[1] : undefined;
      if (bound !== undefined) {
        const targets = single?.tables ?? (collection ? [collection] : []);
        const boundTable = names.metadata.tableBySetName(bound);
        if (boundTable === undefined) {
          report(key, `the bound record's entity set '${bound}' is not a table in the Dataverse metadata${didYouMean(bound, targets.map((t) => t.entitySetName))}`);
        } else if (!targets.some((t) => t.logicalName === boundTable.logicalName)) {
          report(key, `'${navigation}' leads to ${tableName(targets)}, not to ${boundTable.logicalName} ('${bound}')`);
        }
      }
      continue;
    }
    const column = table.columns[name];
    if (column === undefined) {
      const lookup = /^_(.+)_value$/.exec(name)?.[1];
      const hint = lookup !== undefined && table.columns[lookup]?.type === "lookup"
        ? `; set a lookup with '<navigation property>@odata.bind' (${table.columns[lookup].targets?.map((t) => `'${t.navigationProperty}@odata.bind'`).join(" or ")})`
        : didYouMean(name, Object.keys(table.columns));
      report(key, `'${name}' is not a column of ${table.logicalName}${hint}`);
    } else if (column.type === "lookup") {
      report(key, `'${name}' is a lookup column of ${table.logicalName}; set it with ${column.targets?.map((t) => `'${t.navigationProperty}@odata.bind'`).join(" or ")}`);
    } else if (column.readOnly) {
      report(key, `'${name}' is a read-only column of ${table.logicalName}; Dataverse does not let a client write it`);
    } else if (column.options !== undefined && column.type !== "boolean" && typeof value === "number" && !column.options.some((o) => o.value === value)) {
      report(key, `${value} is not an option of ${table.logicalName}.${name} (${column.options.map((o) => `${o.value} ${o.labels[1033]}`).join(", ")})`);
    }
  }
}

/** Every wrong name in the parameters of one Dataverse connector action or trigger. */
export function dataverseNameProblems(names: DataverseNames, operationId: string, raw: Json): NameProblem[] {
  const problems: NameProblem[] = [];
  const parameters = flatParameters(raw);
  if (operationId === "SubscribeWebhookTrigger") {
    const entity = parameters["subscriptionRequest/entityname"];
    if (typeof entity !== "string" || entity === "" || isDynamic(maskInterpolations(entity)) || isWholeExpression(entity)) return problems;
    const table = names.metadata.table(entity);
    if (table === undefined) {
      const bySet = names.metadata.tableBySetName(entity);
      const hint = bySet !== undefined
        ? `; the trigger takes a logical name: did you mean '${bySet.logicalName}'?`
        : didYouMean(entity, names.metadata.tables().map((t) => t.logicalName));
      problems.push({ parameter: "subscriptionRequest/entityname", message: `subscriptionRequest/entityname: '${entity}' is not the logical name of any table in the Dataverse metadata${hint}` });
      return problems;
    }
    const attributes = literal(parameters["subscriptionRequest/filteringattributes"]);
    if (attributes !== undefined) for (const name of selectNames(attributes)) {
      if (table.columns[name] !== undefined) continue;
      const lookup = /^_(.+)_value$/.exec(name)?.[1];
      const hint = lookup !== undefined && table.columns[lookup] !== undefined ? `; filtering attributes are logical names: did you mean '${lookup}'?` : didYouMean(name, Object.keys(table.columns));
      problems.push({ parameter: "subscriptionRequest/filteringattributes", message: `subscriptionRequest/filteringattributes: '${name}' is not a column of ${table.logicalName}${hint}` });
    }
    const expression = literal(parameters["subscriptionRequest/filterexpression"]);
    if (expression !== undefined) for (const message of filterProblems(names, [table], expression)) problems.push({ parameter: "subscriptionRequest/filterexpression", message: `subscriptionRequest/filterexpression: ${message}` });
    return problems;
  }
  const entityName = parameters.entityName;
  if (typeof entityName !== "string" || entityName === "" || isWholeExpression(entityName) || isDynamic(maskInterpolations(entityName))) return problems;
  const table = tableBySetName(names, entityName, (message) => problems.push({ parameter: "entityName", message }));
  if (table === undefined) return problems;
  queryProblems(names, [table], parameters, (option, message) => problems.push({ parameter: option, message: `${option}: ${message}` }));
  itemProblems(names, table, parameters, (parameter, message) => problems.push({ parameter, message: `${parameter}: ${message}` }));
  return problems;
}
