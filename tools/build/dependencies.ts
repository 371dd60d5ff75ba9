/**
 * What a solution needs from the environment it is imported into, checked by the verifier:
 *
 * - Standard tables it references (relationships in customizations.xml, table privileges in its roles, the Dataverse
 *   trigger and actions of its flows) are either part of every Dataverse database (`BASE_TABLES`) or declared in
 *   solution.xml's `<MissingDependencies>`, so the import wizard can say what to install first. Real exports write a
 *   declaration as `<MissingDependency><Required type="1" schemaName="…" displayName="…" solution="…" /><Dependent …/>`.
 * - `@environmentVariables("…")` values in a connector's connection parameters name variables the solution defines (or,
 *   for another publisher's solution, declares), and a client secret comes from a Secret (Azure Key Vault) variable.
 */
import type { Element } from "@xmldom/xmldom";
import { environmentVariableUses, OAUTH_VARIABLE_TYPES } from "./connectorEnvironment";
import { ENVIRONMENT_VARIABLE_TYPE_NAMES } from "./environmentVariables";
import { isObject, parseJson } from "./json";
import { childElements, firstChild, textOf } from "./xml";

/** The verifier's checker, as far as these checks need it. */
export interface Judge {
  readonly policy: boolean;
  check(condition: boolean, file: string, message: string, line?: number): boolean;
  environment(condition: boolean, file: string, message: string, line?: number): boolean;
}

/**
 * Tables every Dataverse database has, with or without Dynamics 365 apps (the common tables of the Power Apps
 * "standard tables" list: people, organisation structure, activities, notes, currencies, queues, connections,
 * processes). Sales, Service and Marketing tables (opportunity, lead, quote, incident, product, …) come with Dynamics
 * 365 apps and must be declared.
 */
export const BASE_TABLES: ReadonlySet<string> = new Set([
  "account", "contact", "systemuser", "team", "businessunit", "organization", "owner", "position", "role",
  "activitypointer", "activityparty", "task", "email", "phonecall", "appointment", "letter", "fax", "recurringappointmentmaster",
  "annotation", "transactioncurrency", "queue", "queueitem", "connection", "connectionrole", "workflow", "processstage",
  "sharepointdocumentlocation", "sharepointsite", "teamtemplate", "principalobjectattributeaccess", "environmentvariabledefinition",
  "environmentvariablevalue", "connectionreference", "solution", "publisher", "savedquery", "userquery", "systemform",
]);

const PRIVILEGE = /^prv(?:Create|Read|Write|Delete|AppendTo|Append|Assign|Share)(.+)$/;

/** An entity set name (`opportunities`, `accounts`) back to the table's logical name, as Dataverse pluralises. */
export function tableOfEntitySet(entitySet: string): string {
  const name = entitySet.toLowerCase();
  if (name.endsWith("ies")) return `${name.slice(0, -3)}y`;
  if (/(ss|x|ch|sh)es$/.test(name)) return name.slice(0, -2);
  return name.endsWith("s") ? name.slice(0, -1) : name;
}

export interface TableReference {
  table: string;
  file: string;
  line?: number;
  where: string;
}

/** Every table a solution references by name: relationships, role privileges, flow triggers and Dataverse actions. */
export function tableReferences(customizations: Element, flows: Map<string, Uint8Array>): TableReference[] {
  const references: TableReference[] = [];
  for (const relationship of childElements(firstChild(customizations, "EntityRelationships") ?? customizations)) {
    if (relationship.nodeName !== "EntityRelationship") continue;
    for (const tag of ["ReferencedEntityName", "ReferencingEntityName"]) {
      const table = (textOf(relationship, tag) ?? "").trim().toLowerCase();
      if (table) references.push({ table, file: "customizations.xml", line: relationship.lineNumber ?? undefined, where: `relationship ${relationship.getAttribute("Name") ?? ""}` });
    }
  }
  for (const role of childElements(firstChild(customizations, "Roles") ?? customizations)) {
    for (const privilege of childElements(firstChild(role, "RolePrivileges") ?? role)) {
      const match = PRIVILEGE.exec(privilege.getAttribute("name") ?? "");
      if (match) references.push({ table: match[1].toLowerCase(), file: "customizations.xml", line: privilege.lineNumber ?? undefined, where: `role ${role.getAttribute("name") ?? ""} privilege ${privilege.getAttribute("name") ?? ""}` });
    }
  }
  for (const [file, data] of flows) {
    let flow: unknown;
    try {
      flow = parseJson(data, file);
    } catch {
      continue; // the verifier reports unreadable flow JSON itself
    }
    const walk = (value: unknown, action: string) => {
      if (Array.isArray(value)) for (const item of value) walk(item, action);
      if (!isObject(value)) return;
      const parameters = isObject(value.inputs) && isObject(value.inputs.parameters) ? value.inputs.parameters : undefined;
      if (parameters) {
        const trigger = parameters["subscriptionRequest/entityname"];
        if (typeof trigger === "string" && trigger) references.push({ table: trigger.toLowerCase(), file, where: `trigger ${action}` });
        const set = parameters.entityName;
        if (typeof set === "string" && /^[A-Za-z_][A-Za-z0-9_]*$/.test(set)) references.push({ table: tableOfEntitySet(set), file, where: `action ${action}` });
      }
      for (const [key, child] of Object.entries(value)) walk(child, isObject(child) && ("type" in child || "inputs" in child) ? key : action);
    };
    walk(flow, "");
  }
  return references;
}

/** Standard tables referenced but neither in Dataverse's base nor declared: a problem under our policy, else a warning. */
export function checkStandardDependencies(judge: Judge, customizations: Element, parts: Map<string, Uint8Array>, required: ReadonlySet<string>, prefix: string): void {
  const own = new Set(
    childElements(firstChild(customizations, "Entities") ?? customizations)
      .map((entity) => (textOf(entity, "Name") ?? "").trim().toLowerCase())
      .filter(Boolean),
  );
  const flows = new Map([...parts].filter(([file]) => /^Workflows\/[^/]+\.json$/i.test(file)));
  const reported = new Set<string>();
  for (const reference of tableReferences(customizations, flows)) {
    const { table } = reference;
    if (own.has(table) || (prefix && table.startsWith(`${prefix.toLowerCase()}_`)) || BASE_TABLES.has(table) || reported.has(table)) continue;
    const declared = required.has(table);
    if (!declared) reported.add(table);
    judge.environment(
      declared,
      reference.file,
      `${reference.where} references table ${table}, which is not in every Dataverse database and is not declared in solution.xml <MissingDependencies> (<Required type="1" schemaName="${table}" …/>): the import cannot say which app to install first`,
      reference.line,
    );
  }
}

/** `@environmentVariables("…")` in each connector's connection parameters: defined (or declared), and a secret of type Secret. */
export function checkConnectorVariables(
  judge: Judge,
  connectors: Element[],
  parts: Map<string, Uint8Array>,
  environmentVariableTypes: ReadonlyMap<string, string>,
  required: ReadonlySet<string>,
): void {
  for (const connector of connectors) {
    const file = (textOf(connector, "connectionparameters") ?? "").trim().replace(/^\//, "");
    const data = file ? parts.get(file) : undefined;
    if (!data) continue;
    let parameters: unknown;
    try {
      parameters = parseJson(data, file);
    } catch {
      continue; // reported by the connector checks
    }
    for (const use of environmentVariableUses(parameters)) {
      const type = environmentVariableTypes.get(use.schemaName);
      if (type === undefined) {
        judge.environment(
          !judge.policy && required.has(use.schemaName.toLowerCase()),
          file,
          `${use.path} reads environment variable ${use.schemaName}, which the solution does not define${judge.policy ? "" : " nor declare in <MissingDependencies>"}: the connector cannot be saved on import`,
        );
        continue;
      }
      if (/(^|\.)clientSecret$/i.test(use.path)) {
        judge.environment(
          type === OAUTH_VARIABLE_TYPES.clientSecret,
          file,
          `${use.path} reads ${use.schemaName}, a ${ENVIRONMENT_VARIABLE_TYPE_NAMES[type] ?? type} variable: a client secret belongs in a Secret (Azure Key Vault) variable, whose value never travels in the solution`,
        );
      }
    }
  }
}
