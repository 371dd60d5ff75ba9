/**
 * Our own table's metadata, read from the one definition we ship (solution/Entities/<table>/Entity.xml and the
 * relationships in solution/Other/Customizations.xml), so the in-memory Dataverse cannot drift from what imports.
 * The in-memory Dataverse also runs in the workbench page, which has no file system: `npm run generate:metadata`
 * writes the result to tools/dataverse/solutionTables.generated.ts, and a unit test fails when that file is stale.
 *
 *   npx tsx tools/dataverse/solutionTable.ts [--check]
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { DOMParser, type Element } from "@xmldom/xmldom";
import type { ChoiceOption, ColumnMetadata, ColumnType, Labels, OneToManyRelationship, TableMetadata } from "./metadata";

const ROOT = path.resolve(__dirname, "../..");
export const GENERATED_FILE = path.join(ROOT, "tools/dataverse/solutionTables.generated.ts");
const SOLUTION_TABLES = ["tcc_teamslink"];

/** A one-to-many relationship our solution adds to a table it does not define (account → tcc_teamslink). */
export interface AddedRelationship {
  readonly referencedTable: string;
  readonly relationship: OneToManyRelationship;
}

export interface SolutionTables {
  readonly tables: readonly TableMetadata[];
  readonly addedRelationships: readonly AddedRelationship[];
}

const children = (parent: Element, name: string): Element[] => Array.from(parent.childNodes).filter((n): n is Element => n.nodeType === 1 && (n as Element).tagName === name);
const child = (parent: Element, name: string): Element | undefined => children(parent, name)[0];
const text = (parent: Element, name: string): string | undefined => child(parent, name)?.textContent?.trim() ?? undefined;

function labelsOf(container: Element | undefined, element: string, where: string): Labels {
  const found = new Map<string, string>();
  for (const e of container ? children(container, element) : []) found.set(e.getAttribute("languagecode") ?? "", e.getAttribute("description") ?? "");
  const en = found.get("1033");
  const zh = found.get("2052");
  if (en === undefined || zh === undefined) throw new Error(`${where}: needs <${element}> labels for 1033 and 2052`);
  return { 1033: en, 2052: zh };
}

function parse(file: string): Element {
  const document = new DOMParser().parseFromString(readFileSync(file, "utf8"), "text/xml");
  if (!document.documentElement) throw new Error(`${file}: not XML`);
  return document.documentElement;
}

/** Customizations' relationship names for tables as Dataverse's logical names (`Owner` is the user-or-team owner). */
function referencedTables(name: string): string[] {
  return name === "Owner" ? ["systemuser", "team"] : [name.toLowerCase()];
}

function columnType(type: string, attribute: Element, where: string): ColumnType {
  switch (type) {
    case "primarykey":
      return "uniqueidentifier";
    case "nvarchar":
      return "string";
    case "ntext":
      return "memo";
    case "int":
      return "integer";
    case "bigint":
      return "bigint";
    case "decimal":
      return "decimal";
    case "money":
      return "money";
    case "bit":
      return "boolean";
    case "picklist":
      return "choice";
    case "state":
      return "state";
    case "status":
      return "status";
    case "lookup":
    case "owner":
    case "customer":
      return "lookup";
    case "datetime":
      // Behavior 2 is Dataverse's DateOnly behaviour; 1 (user local) and 3 (time-zone independent) keep the time.
      return text(attribute, "Behavior") === "2" ? "dateonly" : "datetime";
    default:
      throw new Error(`${where}: attribute type '${type}' is not one the in-memory Dataverse models`);
  }
}

function optionsOf(attribute: Element, where: string): ChoiceOption[] | undefined {
  const set = child(attribute, "optionset");
  if (!set) return undefined;
  const kind = text(attribute, "Type");
  const list = kind === "state" ? child(set, "states") : kind === "status" ? child(set, "statuses") : child(set, "options");
  const items = list ? children(list, kind === "state" ? "state" : kind === "status" ? "status" : "option") : [];
  return items.map((item) => {
    const value = Number(item.getAttribute("value"));
    const labels = labelsOf(child(item, "labels"), "label", `${where} option ${value}`);
    const defaultStatus = item.getAttribute("defaultstatus");
    const state = item.getAttribute("state");
    return {
      value,
      labels,
      ...(kind === "state" && defaultStatus !== null && defaultStatus !== "" && { defaultStatus: Number(defaultStatus) }),
      ...(kind === "status" && state !== null && state !== "" && { state: Number(state) }),
    };
  });
}

interface Relationship {
  readonly name: string;
  readonly referencingTable: string;
  readonly referencedTables: readonly string[];
  /** The lookup's schema name, as Customizations.xml writes it. */
  readonly referencingAttribute: string;
  /** Single-valued navigation property on the referencing table; Dataverse defaults it to the lookup's schema name. */
  readonly referencingNavigation: string;
  /** Collection-valued navigation property on the referenced table; Dataverse defaults it to the relationship name. */
  readonly referencedNavigation: string;
}

function relationshipsOf(customizations: Element): Relationship[] {
  const container = child(customizations, "EntityRelationships");
  return (container ? children(container, "EntityRelationship") : []).map((r) => {
    const name = r.getAttribute("Name") ?? "";
    const attribute = text(r, "ReferencingAttributeName") ?? "";
    const roles = child(r, "EntityRelationshipRoles");
    const role = (type: string) => (roles ? children(roles, "EntityRelationshipRole").find((e) => text(e, "RelationshipRoleType") === type) : undefined);
    return {
      name,
      referencingTable: (text(r, "ReferencingEntityName") ?? "").toLowerCase(),
      referencedTables: referencedTables(text(r, "ReferencedEntityName") ?? ""),
      referencingAttribute: attribute,
      referencingNavigation: (role("1") && text(role("1")!, "NavigationPropertyName")) ?? attribute.toLowerCase(),
      referencedNavigation: (role("0") && text(role("0")!, "NavigationPropertyName")) ?? name,
    };
  });
}

/**
 * Lookups the platform adds to every user-owned table, whose relationships exports may leave out
 * (`lk_<table>_createdonbehalfby`): Dataverse names their navigation properties after the column.
 */
const PLATFORM_LOOKUPS: Readonly<Record<string, Relationship>> = Object.fromEntries(
  (
    [
      ["createdby", "systemuser"],
      ["modifiedby", "systemuser"],
      ["createdonbehalfby", "systemuser"],
      ["modifiedonbehalfby", "systemuser"],
      ["owninguser", "systemuser"],
      ["owningteam", "team"],
      ["owningbusinessunit", "businessunit"],
    ] as const
  ).map(([column, target]) => [
    column,
    { name: "", referencingTable: "", referencedTables: [target], referencingAttribute: column, referencingNavigation: column, referencedNavigation: "" },
  ]),
);

/** Columns every table has that exports leave out because the platform adds them itself. */
const PLATFORM_COLUMNS: readonly ColumnMetadata[] = [
  { logicalName: "versionnumber", schemaName: "VersionNumber", type: "bigint", displayName: { 1033: "Version Number", 2052: "版本号" }, readOnly: true },
];

function keysOf(entity: Element): { name: string; columns: string[] }[] {
  const keys = child(entity, "EntityKeys");
  return (keys ? children(keys, "EntityKey") : []).map((key) => ({
    name: text(key, "Name") ?? "",
    columns: children(child(key, "EntityKeyAttributes")!, "AttributeName").map((a) => a.textContent?.trim() ?? ""),
  }));
}

export function readSolutionTables(solutionDir = path.join(ROOT, "solution")): SolutionTables {
  const customizationsFile = path.join(solutionDir, "Other/Customizations.xml");
  const relationships = relationshipsOf(parse(customizationsFile));
  const tables: TableMetadata[] = [];
  for (const logicalName of SOLUTION_TABLES) {
    const file = path.join(solutionDir, "Entities", logicalName, "Entity.xml");
    const root = parse(file);
    const entity = child(child(root, "EntityInfo")!, "entity")!;
    const where = path.relative(ROOT, file);
    const columns: ColumnMetadata[] = [];
    let primaryId = "";
    let primaryName = "";
    for (const attribute of children(child(entity, "attributes")!, "attribute")) {
      const logical = text(attribute, "LogicalName") ?? "";
      const schemaName = attribute.getAttribute("PhysicalName") ?? logical;
      const at = `${where} attribute ${logical}`;
      const type = columnType(text(attribute, "Type") ?? "", attribute, at);
      if (text(attribute, "Type") === "primarykey") primaryId = logical;
      if ((text(attribute, "DisplayMask") ?? "").split("|").includes("PrimaryName")) primaryName = logical;
      const options = optionsOf(attribute, at);
      const maxLength = text(attribute, "MaxLength");
      const writable = text(attribute, "ValidForCreateApi") === "1" || text(attribute, "ValidForUpdateApi") === "1";
      const declared = relationships.filter((r) => r.referencingTable === logicalName && r.referencingAttribute.toLowerCase() === logical);
      const lookups = declared.length > 0 || PLATFORM_LOOKUPS[logical] === undefined ? declared : [PLATFORM_LOOKUPS[logical]];
      const column: ColumnMetadata = {
        logicalName: logical,
        schemaName,
        type,
        displayName: labelsOf(child(attribute, "displaynames"), "displayname", at),
        ...(maxLength !== undefined && maxLength !== "" && { maxLength: Number(maxLength) }),
        ...(options && { options }),
        ...(type === "lookup" && {
          targets: lookups.flatMap((r) => r.referencedTables.map((table) => ({ table, navigationProperty: r.referencedTables.length > 1 ? logical : r.referencingNavigation }))),
        }),
        ...(!writable && { readOnly: true }),
      };
      if (type === "lookup" && column.targets?.length === 0) throw new Error(`${at}: a lookup with no relationship in Customizations.xml`);
      columns.push(column);
    }
    for (const platform of PLATFORM_COLUMNS) if (!columns.some((c) => c.logicalName === platform.logicalName)) columns.push(platform);
    if (primaryId === "" || primaryName === "") throw new Error(`${where}: needs a primarykey attribute and one whose DisplayMask has PrimaryName`);
    const info = entity;
    tables.push({
      logicalName,
      schemaName: child(root, "Name")?.textContent?.trim() ?? logicalName,
      entitySetName: text(info, "EntitySetName") ?? `${logicalName}s`,
      primaryIdAttribute: primaryId,
      primaryNameAttribute: primaryName,
      displayName: labelsOf(child(entity, "LocalizedNames"), "LocalizedName", where),
      displayCollectionName: labelsOf(child(entity, "LocalizedCollectionNames"), "LocalizedCollectionName", where),
      columns: Object.fromEntries(columns.map((c) => [c.logicalName, c])),
      oneToMany: [],
      isActivity: text(info, "IsActivity") === "1",
      alternateKeys: keysOf(entity),
    });
  }
  const ours = new Set(SOLUTION_TABLES);
  const addedRelationships = relationships
    .filter((r) => ours.has(r.referencingTable))
    .flatMap((r) =>
      r.referencedTables
        .filter((t) => !ours.has(t))
        .map((referencedTable) => ({
          referencedTable,
          relationship: { schemaName: r.name, navigationProperty: r.referencedNavigation, referencingTable: r.referencingTable, referencingColumn: r.referencingAttribute.toLowerCase() },
        })),
    );
  return { tables, addedRelationships };
}

export function renderSolutionTables(read: SolutionTables = readSolutionTables()): string {
  return [
    "// Generated by tools/dataverse/solutionTable.ts from solution/ (npm run generate:metadata); do not edit.",
    'import type { TableMetadata } from "./metadata";',
    'import type { AddedRelationship } from "./solutionTable";',
    "",
    `export const SOLUTION_TABLES: readonly TableMetadata[] = ${JSON.stringify(read.tables, null, 2)};`,
    "",
    `export const SOLUTION_RELATIONSHIPS: readonly AddedRelationship[] = ${JSON.stringify(read.addedRelationships, null, 2)};`,
    "",
  ].join("\n");
}

if (require.main === module) {
  const rendered = renderSolutionTables();
  if (process.argv.includes("--check")) {
    const current = readFileSync(GENERATED_FILE, "utf8");
    if (current !== rendered) {
      console.error(`${path.relative(ROOT, GENERATED_FILE)} is stale: run npm run generate:metadata`);
      process.exit(1);
    }
  } else {
    writeFileSync(GENERATED_FILE, rendered);
    console.log(`wrote ${path.relative(ROOT, GENERATED_FILE)}`);
  }
}
