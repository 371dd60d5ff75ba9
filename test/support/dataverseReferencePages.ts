/**
 * Reads Microsoft's generated Dataverse table reference pages (the oracle folder `dataverse-entities/`) into plain
 * facts: a table's names, its columns with type, targets, choices and date-time behaviour, and its relationships with
 * the navigation property names Dataverse gives them. Every page comes from one template: level-2 headings name the
 * sections, `### <a name="BKMK_…"></a> X` opens a column or relationship, and `|Key|Value|` rows carry its facts.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

export const REFERENCE_PAGES = path.resolve(__dirname, "../../../shared/oracles/dataverse-entities");

export interface PageOption {
  readonly value: number;
  readonly label: string;
  /** Status reasons: the state they belong to. */
  readonly state?: number;
  /** States: the status reason a record gets with the state alone. */
  readonly defaultStatus?: number;
}

export interface PageColumn {
  readonly schemaName: string;
  readonly logicalName: string;
  /** The page's type name: String, Memo, Lookup, Customer, Owner, Picklist, State, Status, DateTime, Money, … */
  readonly type: string;
  readonly writable: boolean;
  readonly targets?: readonly string[];
  readonly maxLength?: number;
  readonly dateTimeBehavior?: string;
  readonly format?: string;
  readonly options?: readonly PageOption[];
  /** 1-based line of the column's heading, for messages. */
  readonly line: number;
}

export interface PageManyToOne {
  readonly schemaName: string;
  readonly referencedEntity: string;
  readonly referencingAttribute: string;
  readonly navigationProperty: string;
}

export interface PageOneToMany {
  readonly schemaName: string;
  readonly referencingEntity: string;
  readonly referencingAttribute: string;
  readonly navigationProperty: string;
}

export interface ReferencePage {
  readonly file: string;
  /** Core Dataverse (powerapps-docs) or a table the Dynamics 365 apps add (dynamics-365-customer-engagement). */
  readonly repository: string;
  readonly logicalName: string;
  readonly schemaName: string;
  readonly entitySetName: string;
  readonly primaryIdAttribute: string;
  readonly primaryNameAttribute: string;
  readonly ownershipType: string;
  readonly columns: ReadonlyMap<string, PageColumn>;
  readonly manyToOne: readonly PageManyToOne[];
  readonly oneToMany: readonly PageOneToMany[];
}

const unquote = (cell: string): string => cell.replace(/^`|`$/g, "").replace(/^\*\*|\*\*$/g, "").trim();

function cells(line: string): string[] | null {
  if (!line.startsWith("|")) return null;
  return line
    .slice(1, line.endsWith("|") ? -1 : undefined)
    .split("|")
    .map((c) => c.trim());
}

/** The `Label: **x**<br />State:0<br />…` cell of a state or status option. */
function optionDetails(value: number, details: string): PageOption {
  const parts = details.split(/<br\s*\/>/);
  const field = (name: string) => parts.find((p) => p.trim().startsWith(`${name}:`))?.trim().slice(name.length + 1).trim();
  const label = unquote(field("Label") ?? details);
  const state = field("State");
  const defaultStatus = field("DefaultStatus");
  return {
    value,
    label,
    ...(state !== undefined && state !== "" && { state: Number(state) }),
    ...(defaultStatus !== undefined && defaultStatus !== "" && { defaultStatus: Number(defaultStatus) }),
  };
}

export function parseReferencePage(text: string, file: string, repository = ""): ReferencePage {
  const lines = text.split("\n");
  const properties = new Map<string, string>();
  const columns = new Map<string, PageColumn>();
  const manyToOne: PageManyToOne[] = [];
  const oneToMany: PageOneToMany[] = [];
  let section = "";
  let block: { name: string; line: number; rows: Map<string, string>; options: PageOption[] } | null = null;
  let inOptions = false;

  const flush = () => {
    if (block === null) return;
    const { rows } = block;
    const get = (key: string) => {
      const v = rows.get(key);
      return v === undefined ? undefined : unquote(v);
    };
    if (section === "Writable columns/attributes" || section === "Read-only columns/attributes") {
      const logicalName = get("LogicalName");
      const type = get("Type");
      if (logicalName !== undefined && type !== undefined) {
        const targets = get("Targets");
        const maxLength = get("MaxLength");
        columns.set(logicalName, {
          schemaName: block.name,
          logicalName,
          type,
          writable: section.startsWith("Writable"),
          line: block.line,
          ...(targets !== undefined && targets !== "" && { targets: targets.split(",").map((t) => t.trim()) }),
          ...(maxLength !== undefined && maxLength !== "" && { maxLength: Number(maxLength) }),
          ...(rows.has("DateTimeBehavior") && { dateTimeBehavior: get("DateTimeBehavior") }),
          ...(type === "DateTime" && rows.has("Format") && { format: get("Format") }),
          ...(block.options.length > 0 && { options: block.options }),
        });
      }
    } else if (section === "Many-to-One relationships") {
      manyToOne.push({
        schemaName: block.name,
        referencedEntity: get("ReferencedEntity") ?? "",
        referencingAttribute: get("ReferencingAttribute") ?? "",
        navigationProperty: get("ReferencingEntityNavigationPropertyName") ?? "",
      });
    } else if (section === "One-to-Many relationships") {
      oneToMany.push({
        schemaName: block.name,
        referencingEntity: get("ReferencingEntity") ?? "",
        referencingAttribute: get("ReferencingAttribute") ?? "",
        navigationProperty: get("ReferencedEntityNavigationPropertyName") ?? "",
      });
    }
    block = null;
  };

  lines.forEach((line, index) => {
    const heading2 = /^## (.+?)\s*$/.exec(line);
    if (heading2) {
      flush();
      section = heading2[1];
      return;
    }
    const heading3 = /^### <a name="[^"]*"><\/a>\s*(\S+)/.exec(line);
    if (heading3) {
      flush();
      block = { name: heading3[1], line: index + 1, rows: new Map(), options: [] };
      inOptions = false;
      return;
    }
    if (/^#### .*Choices\/Options/.test(line)) {
      inOptions = true;
      return;
    }
    const row = cells(line);
    if (row === null || row.length < 2 || /^-+$/.test(row[0]) || row[0] === "Property" || row[0] === "Value") return;
    if (section === "Properties" && block === null) {
      properties.set(unquote(row[0]), unquote(row[1]));
    } else if (block !== null) {
      if (inOptions && /^-?\d+$/.test(row[0])) {
        const value = Number(row[0]);
        block.options.push(row[1].includes("Label:") ? optionDetails(value, row[1]) : { value, label: unquote(row[1]) });
      } else if (!inOptions) {
        block.rows.set(row[0], row[1]);
      }
    }
  });
  flush();

  const property = (name: string) => {
    const v = properties.get(name);
    if (v === undefined) throw new Error(`${file}: the Properties table has no ${name}`);
    return v;
  };
  return {
    file,
    repository,
    logicalName: property("LogicalName"),
    schemaName: property("SchemaName"),
    entitySetName: property("EntitySetName"),
    primaryIdAttribute: property("PrimaryIdAttribute"),
    primaryNameAttribute: property("PrimaryNameAttribute"),
    ownershipType: property("OwnershipType"),
    columns,
    manyToOne,
    oneToMany,
  };
}

interface IndexEntry {
  readonly logicalName: string;
  readonly file: string;
  readonly repo: string;
}

/** Every page in the oracle folder by table logical name; empty when the folder is absent (a clone without shared/). */
export function loadReferencePages(folder = REFERENCE_PAGES): Map<string, ReferencePage> {
  const pages = new Map<string, ReferencePage>();
  const indexFile = path.join(folder, "index.json");
  if (!existsSync(indexFile)) return pages;
  const index = JSON.parse(readFileSync(indexFile, "utf8")) as IndexEntry[];
  for (const entry of index) {
    const page = parseReferencePage(readFileSync(path.join(folder, entry.file), "utf8"), entry.file, entry.repo);
    pages.set(page.logicalName, page);
  }
  return pages;
}
