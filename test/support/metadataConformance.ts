/**
 * Holds the in-memory Dataverse's table metadata to Microsoft's reference pages. Each difference is one line naming
 * the table, the column or relationship and the property, with both values, so a failing test says what to fix.
 */
import type { ColumnMetadata, ColumnType, TableMetadata } from "../../tools/dataverse/metadata";
import type { PageColumn, ReferencePage } from "./dataverseReferencePages";

/**
 * Tables the Dynamics 365 apps add. The core pages (powerapps-docs) describe an environment without those apps, so a
 * core table's lookup to one of these, or their lookups to it, is not on its page: it is judged on the app table's
 * page where that has it, and skipped otherwise (the oracle folder's README says so).
 */
const APP_TABLES = new Set(["opportunity", "lead", "incident", "opportunitysalesprocess", "leadtoopportunitysalesprocess", "phonetocaseprocess"]);

const PAGE_TYPES: Readonly<Record<ColumnType, readonly string[]>> = {
  uniqueidentifier: ["Uniqueidentifier"],
  string: ["String", "EntityName"],
  memo: ["Memo"],
  integer: ["Integer"],
  bigint: ["BigInt"],
  decimal: ["Decimal"],
  money: ["Money"],
  datetime: ["DateTime"],
  dateonly: ["DateTime"],
  boolean: ["Boolean"],
  choice: ["Picklist"],
  state: ["State"],
  status: ["Status"],
  lookup: ["Lookup", "Customer", "Owner"],
};

function typeDifference(ours: ColumnMetadata, page: PageColumn): string | null {
  if (!PAGE_TYPES[ours.type].includes(page.type)) return `type is '${ours.type}', the page says ${page.type}`;
  if (page.type === "DateTime") {
    const dateOnly = page.dateTimeBehavior === "DateOnly";
    if (dateOnly !== (ours.type === "dateonly")) return `type is '${ours.type}', the page says DateTime with behaviour ${page.dateTimeBehavior ?? "(none)"}`;
  }
  return null;
}

function isCorePage(page: ReferencePage): boolean {
  return page.repository.endsWith("powerapps-docs");
}

function columnDifferences(table: TableMetadata, ours: ColumnMetadata, page: ReferencePage): string[] {
  const where = `${table.logicalName}.${ours.logicalName}`;
  const theirs = page.columns.get(ours.logicalName);
  if (!theirs) {
    const caseOnly = [...page.columns.keys()].find((k) => k.toLowerCase() === ours.logicalName.toLowerCase());
    return [`${where}: no such column on ${page.file}${caseOnly ? ` (did you mean '${caseOnly}'?)` : ""}`];
  }
  const out: string[] = [];
  const type = typeDifference(ours, theirs);
  if (type) out.push(`${where}: ${type} (${page.file}:${theirs.line})`);
  if (ours.maxLength !== undefined && theirs.maxLength !== undefined && ours.maxLength !== theirs.maxLength) {
    out.push(`${where}: maxLength is ${ours.maxLength}, the page says ${theirs.maxLength} (${page.file}:${theirs.line})`);
  }
  const ourWritable = ours.readOnly !== true;
  if (ourWritable !== theirs.writable) {
    out.push(`${where}: ${ourWritable ? "writable" : "read-only"} here, ${theirs.writable ? "writable" : "read-only"} on the page (${page.file}:${theirs.line})`);
  }
  if (ours.options) {
    const pageOptions = new Map((theirs.options ?? []).map((o) => [o.value, o]));
    for (const option of ours.options) {
      const theirOption = pageOptions.get(option.value);
      if (!theirOption) {
        out.push(`${where}: choice ${option.value} ('${option.labels[1033]}') is not on the page (${page.file}:${theirs.line})`);
        continue;
      }
      if (theirOption.label !== option.labels[1033]) out.push(`${where}: choice ${option.value} is labelled '${option.labels[1033]}', the page says '${theirOption.label}'`);
      if (theirOption.state !== undefined && option.state !== theirOption.state) out.push(`${where}: status ${option.value} belongs to state ${option.state}, the page says ${theirOption.state}`);
      if (theirOption.defaultStatus !== undefined && option.defaultStatus !== theirOption.defaultStatus) {
        out.push(`${where}: state ${option.value} defaults to status ${option.defaultStatus}, the page says ${theirOption.defaultStatus}`);
      }
    }
    if (ours.type === "state" || ours.type === "status") {
      const known = new Set(ours.options.map((o) => o.value));
      const missing = (theirs.options ?? []).filter((o) => !known.has(o.value));
      if (missing.length > 0) out.push(`${where}: the page has ${ours.type} values this metadata lacks: ${missing.map((o) => `${o.value} '${o.label}'`).join(", ")}`);
    }
  }
  for (const target of ours.targets ?? []) {
    const described = theirs.targets?.includes(target.table) ?? false;
    if (!described) {
      if (!(isCorePage(page) && APP_TABLES.has(target.table))) out.push(`${where}: target '${target.table}' is not among the page's targets (${(theirs.targets ?? []).join(", ")})`);
      continue;
    }
    const relationship = page.manyToOne.find((r) => r.referencingAttribute === ours.logicalName && r.referencedEntity === target.table);
    if (!relationship) continue;
    if (relationship.navigationProperty !== target.navigationProperty) {
      out.push(`${where}: navigation property to ${target.table} is '${target.navigationProperty}', Dataverse names it '${relationship.navigationProperty}' (${relationship.schemaName})`);
    }
  }
  return out;
}

/** The differences between one table of ours and its page; none means the table agrees with Microsoft's. */
export function tableDifferences(table: TableMetadata, page: ReferencePage): string[] {
  const out: string[] = [];
  const fact = (name: string, ours: string, theirs: string) => {
    if (ours !== theirs) out.push(`${table.logicalName}: ${name} is '${ours}', the page says '${theirs}' (${page.file})`);
  };
  fact("entity set name", table.entitySetName, page.entitySetName);
  fact("primary id", table.primaryIdAttribute, page.primaryIdAttribute);
  fact("primary name", table.primaryNameAttribute, page.primaryNameAttribute);
  for (const column of Object.values(table.columns)) out.push(...columnDifferences(table, column, page));
  for (const relationship of table.oneToMany) {
    const theirs = page.oneToMany.find((r) => r.referencingEntity === relationship.referencingTable && r.referencingAttribute === relationship.referencingColumn);
    if (!theirs) {
      const appAdded = isCorePage(page) && APP_TABLES.has(relationship.referencingTable);
      if (!appAdded && !relationship.referencingTable.startsWith("tcc_")) {
        out.push(`${table.logicalName}: the page has no one-to-many relationship to ${relationship.referencingTable}.${relationship.referencingColumn} ('${relationship.navigationProperty}')`);
      }
      continue;
    }
    if (theirs.navigationProperty !== relationship.navigationProperty) {
      out.push(`${table.logicalName}: collection navigation property to ${relationship.referencingTable}.${relationship.referencingColumn} is '${relationship.navigationProperty}', Dataverse names it '${theirs.navigationProperty}' (${theirs.schemaName})`);
    }
  }
  return out;
}
