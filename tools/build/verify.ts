/**
 * Checks a solution zip for everything that would make Dynamics 365 refuse it or that differs from what it exports:
 * the container, the manifest, customizations.xml against Microsoft's schema (when a schema folder is given) and, for
 * the sections newer than that schema, against the shapes of real exports; every path a part names, every part named,
 * controls, flows, connection references and environment variables.
 */
import fs from "node:fs";
import path from "node:path";
import type { Element } from "@xmldom/xmldom";
import { validateXML } from "xmllint-wasm";
import { resolveContentTypes } from "./contentTypes";
import { definitionProblems, valuesProblems } from "./environmentVariables";
import { BuildError } from "./errors";
import { GUID, isVersion } from "./identity";
import { isObject, parseJson } from "./json";
import { checkRoles } from "./roles";
import { childElements, decodeUtf8, firstChild, parseXml, serializeXml, textOf } from "./xml";
import { listZipEntries, readZip, ZipError } from "./zip";

export interface Problem {
  file: string;
  line?: number;
  message: string;
}

export interface VerifyResult {
  checks: number;
  problems: Problem[];
  schema: "validated" | "no schema folder";
}

export interface VerifyOptions {
  /** Folder holding CustomizationsSolution.xsd and the files it includes. */
  schemaDir?: string;
}

/** 5 MB, the largest bundle.js the platform accepts. */
export const MAX_BUNDLE_BYTES = 5 * 1024 * 1024;

const DEFLATE = 8;

/** Child order of the parts of customizations.xml the 9.0 schema does not know, as every real export writes them. */
const WORKFLOW_ORDER = [
  "JsonFileName", "XamlFileName", "Type", "Subprocess", "Category", "Mode", "Scope", "OnDemand", "TriggerOnCreate", "TriggerOnDelete",
  "AsyncAutodelete", "SyncWorkflowLogOnFailure", "StateCode", "StatusCode", "RunAs", "IsTransacted", "IntroducedVersion",
  "IsCustomizable", "BusinessProcessType", "IsCustomProcessingStepAllowedForOtherPublishers", "ModernFlowType", "BillingContext",
  "PrimaryEntity", "LocalizedNames", "Descriptions",
];
const CONNECTOR_ORDER = [
  "connectorid", "description", "displayname", "iconbrandcolor", "name", "connectortype", "scriptoperations", "openapidefinition",
  "connectionparameters", "policytemplateinstances", "customcodeblobcontent", "iconblob",
];
const CONNECTION_REFERENCE_ORDER = [
  "connectionreferencedisplayname", "connectorid", "customconnectorid", "description", "iscustomizable", "promptingbehavior", "statecode", "statuscode",
];
const ENVIRONMENT_VARIABLE_ORDER = [
  "apiid", "defaultvalue", "description", "displayname", "introducedversion", "iscustomizable", "isrequired", "parameterkey",
  "parentdefinitionid", "secretstore", "type",
];
const SECTION_ORDER = [
  "Entities", "Roles", "Workflows", "FieldSecurityProfiles", "Templates", "EntityImageConfigs", "AttributeImageConfigs", "IsvConfig",
  "RelationshipRoles", "EntityMaps", "EntityRelationships", "OrganizationSettings", "optionsets", "Dashboards", "WebResources",
  "CustomControls", "SolutionPluginAssemblies", "SdkMessageProcessingSteps", "AppModuleSiteMaps", "AppModules", "EntityDataProviders",
  "CanvasApps", "AIModels", "Connectors", "connectionreferences", "Languages",
];
const MANIFEST_ORDER = ["UniqueName", "LocalizedNames", "Descriptions", "Version", "Managed", "Publisher", "RootComponents", "MissingDependencies"];

/** Elements and attributes real exports carry that are newer than the published 9.0.0.2090 schema. */
const NEWER_THAN_SCHEMA = {
  sections: ["CanvasApps", "AIModels", "Connectors", "connectionreferences", "EntityImageConfigs", "AttributeImageConfigs"],
  rootAttributes: ["OrganizationVersion", "OrganizationSchemaType", "CRMServerServiceabilityVersion"],
  elements: new Map<string, string[]>([
    ["Workflow", ["JsonFileName", "IsCustomProcessingStepAllowedForOtherPublishers", "ModernFlowType", "BillingContext"]],
    ["entity", ["IsRetrieveAuditEnabled", "IsRetrieveMultipleAuditEnabled", "IsSolutionAware", "IsMSTeamsIntegrationEnabled"]],
    ["attribute", ["AutoNumberFormat", "IsSearchable", "IsRetrievable", "IsLocalizable", "IsFilterable"]],
    ["EntityRelationship", ["CascadeArchive"]],
    ["AppModule", ["statecode", "statuscode", "OptimizedFor", "NavigationType", "appsettings", "appelements"]],
    ["AppModuleSiteMap", ["ShowHome", "ShowPinned", "ShowRecents", "EnableCollapsibleGroups"]],
    ["Role", ["IsAutoAssigned"]],
  ]),
  attributes: new Map<string, string[]>([["form", ["headerdensity"]], ["Role", ["isinherited"]]]),
};

const SCHEMA_FILES = ["isv.config.xsd", "SiteMapType.xsd", "FormXml.xsd", "Fetch.xsd", "RibbonCore.xsd", "RibbonTypes.xsd", "RibbonWSS.xsd"];

class Checker {
  checks = 0;
  readonly problems: Problem[] = [];

  check(condition: boolean, file: string, message: string, line?: number): boolean {
    this.checks++;
    if (!condition) this.problems.push({ file, line, message });
    return condition;
  }

  order(element: Element, expected: string[], file: string, what: string): void {
    const names = childElements(element).map((e) => e.nodeName);
    const unknown = names.filter((n) => !expected.includes(n));
    this.check(unknown.length === 0, file, `${what}: unknown child element(s) ${unknown.join(", ")}`, element.lineNumber);
    const positions = names.filter((n) => expected.includes(n)).map((n) => expected.indexOf(n));
    this.check(positions.every((p, i) => i === 0 || positions[i - 1] <= p), file, `${what}: children out of order (${names.join(", ")})`, element.lineNumber);
  }
}

function stripNewerThanSchema(root: Element): void {
  for (const name of NEWER_THAN_SCHEMA.rootAttributes) root.removeAttribute(name);
  for (const section of childElements(root)) if (NEWER_THAN_SCHEMA.sections.includes(section.nodeName)) root.removeChild(section);
  const walk = (element: Element) => {
    for (const attribute of NEWER_THAN_SCHEMA.attributes.get(element.nodeName) ?? []) element.removeAttribute(attribute);
    const drop = NEWER_THAN_SCHEMA.elements.get(element.nodeName) ?? [];
    for (const child of childElements(element)) {
      if (drop.includes(child.nodeName)) element.removeChild(child);
      else walk(child);
    }
  };
  walk(root);
}

async function validateAgainstSchema(customizations: Uint8Array, schemaDir: string, checker: Checker): Promise<void> {
  const { root } = parseXml(customizations, "customizations.xml");
  stripNewerThanSchema(root);
  const read = (name: string) => ({ fileName: name, contents: fs.readFileSync(path.join(schemaDir, name), "utf8") });
  const result = await validateXML({
    xml: [{ fileName: "customizations.xml", contents: serializeXml(root, { marks: { bom: false, declaration: false } }) }],
    schema: [read("CustomizationsSolution.xsd")],
    preload: SCHEMA_FILES.filter((f) => fs.existsSync(path.join(schemaDir, f))).map(read),
  });
  checker.check(result.valid, "customizations.xml", "validates against CustomizationsSolution.xsd");
  for (const error of result.errors) checker.problems.push({ file: "customizations.xml", line: error.loc?.lineNumber, message: `XSD: ${error.rawMessage.trim()}` });
}

export function schemaDirIsUsable(dir: string): boolean {
  return fs.existsSync(path.join(dir, "CustomizationsSolution.xsd"));
}

export async function verifyZip(zip: Uint8Array, zipName: string, options: VerifyOptions = {}): Promise<VerifyResult> {
  const c = new Checker();
  let entries;
  try {
    entries = listZipEntries(zip);
  } catch (error) {
    return { checks: 1, problems: [{ file: zipName, message: error instanceof Error ? error.message : String(error) }], schema: "no schema folder" };
  }
  for (const entry of entries) {
    c.check(!entry.isDirectory, entry.path, "directory entries do not occur in solution zips");
    c.check(entry.method === DEFLATE, entry.path, `stored with method ${entry.method}; solution zips deflate every entry`);
    c.check(!entry.path.includes("\\"), entry.path, "zip paths use /, never \\");
  }
  c.check(entries[0]?.path === "customizations.xml", zipName, "customizations.xml must be the first entry");
  let parts: Map<string, Uint8Array>;
  try {
    parts = new Map(readZip(zip).map((p) => [p.path, p.data]));
  } catch (error) {
    if (!(error instanceof ZipError)) throw error;
    c.problems.push({ file: zipName, message: error.message });
    return { checks: c.checks + 1, problems: c.problems, schema: "no schema folder" };
  }
  const named = new Set(["customizations.xml", "solution.xml", "[Content_Types].xml"]);
  const partOrProblem = (file: string, from: string, line?: number) => {
    named.add(file);
    return c.check(parts.has(file), from, `names ${file}, which is not in the zip`, line);
  };

  const contentTypes = parts.get("[Content_Types].xml");
  if (c.check(!!contentTypes, zipName, "[Content_Types].xml is missing") && contentTypes) {
    for (const [file, type] of resolveContentTypes(contentTypes, [...parts.keys()].filter((p) => p !== "[Content_Types].xml"))) {
      c.check(!!type, "[Content_Types].xml", `gives no content type to ${file}`);
    }
  }

  const solutionData = parts.get("solution.xml");
  const customizationsData = parts.get("customizations.xml");
  if (!c.check(!!solutionData && !!customizationsData, zipName, "solution.xml and customizations.xml are required") || !solutionData || !customizationsData) {
    return { checks: c.checks, problems: c.problems, schema: "no schema folder" };
  }
  let solution: Element;
  let customizations: Element;
  try {
    solution = parseXml(solutionData, "solution.xml").root;
    customizations = parseXml(customizationsData, "customizations.xml").root;
  } catch (error) {
    if (!(error instanceof BuildError)) throw error;
    c.problems.push({ file: error.file, line: error.line, message: error.problem });
    return { checks: c.checks + 1, problems: c.problems, schema: "no schema folder" };
  }

  // solution.xml
  const manifest = firstChild(solution, "SolutionManifest");
  let prefix = "";
  if (c.check(!!manifest, "solution.xml", "no <SolutionManifest>") && manifest) {
    c.order(manifest, MANIFEST_ORDER, "solution.xml", "SolutionManifest");
    const uniqueName = (textOf(manifest, "UniqueName") ?? "").trim();
    const version = (textOf(manifest, "Version") ?? "").trim();
    const managed = (textOf(manifest, "Managed") ?? "").trim();
    c.check(isVersion(version), "solution.xml", `Version "${version}" is not a version number`, firstChild(manifest, "Version")?.lineNumber);
    c.check(managed === "0" || managed === "1", "solution.xml", `Managed is "${managed}"; a zip says 0 (unmanaged) or 1 (managed)`);
    const expectManaged = /_managed\.zip$/i.test(zipName) ? "1" : "0";
    c.check(managed === expectManaged, "solution.xml", `Managed is ${managed} but the file name ${zipName} says ${expectManaged === "1" ? "managed" : "unmanaged"}`);
    const stem = /^(.+?)_(\d+(?:_\d+){1,3})(?:_managed)?\.zip$/i.exec(path.basename(zipName));
    if (stem) {
      c.check(stem[1] === uniqueName, zipName, `file name says solution ${stem[1]}, solution.xml says ${uniqueName}`);
      c.check(stem[2].replace(/_/g, ".") === version, zipName, `file name says version ${stem[2].replace(/_/g, ".")}, solution.xml says ${version}`);
    }
    const publisher = firstChild(manifest, "Publisher");
    prefix = (publisher ? textOf(publisher, "CustomizationPrefix") : "")?.trim() ?? "";
    c.check(/^[a-z][a-z0-9]{1,7}$/.test(prefix), "solution.xml", `CustomizationPrefix "${prefix}" is not valid`);
  }
  const rootComponents = manifest ? childElements(firstChild(manifest, "RootComponents") ?? manifest).filter((e) => e.nodeName === "RootComponent") : [];
  for (const component of rootComponents) {
    const id = component.getAttribute("id");
    if (id) c.check(GUID.test(id), "solution.xml", `RootComponent id "${id}" is not a GUID`, component.lineNumber);
  }
  const hasRoot = (type: string, test: (e: Element) => boolean) => rootComponents.some((e) => e.getAttribute("type") === type && test(e));
  const sameGuid = (a: string | null | undefined, b: string | null | undefined) => !!a && !!b && a.replace(/[{}]/g, "").toLowerCase() === b.replace(/[{}]/g, "").toLowerCase();

  // customizations.xml
  const sections = childElements(customizations).map((e) => e.nodeName);
  const known = sections.filter((s) => SECTION_ORDER.includes(s)).map((s) => SECTION_ORDER.indexOf(s));
  c.check(known.every((p, i) => i === 0 || known[i - 1] < p), "customizations.xml", `sections out of the order exports use: ${sections.join(", ")}`);
  const section = (name: string) => {
    const element = firstChild(customizations, name);
    return element ? childElements(element) : [];
  };

  const guids = new Map<string, string>();
  const claim = (guid: string, owner: string, line?: number) => {
    if (!c.check(GUID.test(guid), "customizations.xml", `${owner}: "${guid}" is not a GUID`, line)) return;
    const key = guid.replace(/[{}]/g, "").toLowerCase();
    c.check(!guids.has(key), "customizations.xml", `${owner}: GUID ${key} is also used by ${guids.get(key) ?? ""}`, line);
    guids.set(key, owner);
  };

  const controlNames: string[] = [];
  for (const control of section("CustomControls")) {
    const name = (textOf(control, "Name") ?? "").trim();
    const manifestPath = (textOf(control, "FileName") ?? "").trim().replace(/^\//, "");
    controlNames.push(name);
    c.check(new RegExp(`^${prefix}_[A-Za-z][A-Za-z0-9_]*\\.[A-Za-z][A-Za-z0-9_]*$`).test(name), "customizations.xml", `custom control name "${name}" is not ${prefix}_<namespace>.<constructor>`, control.lineNumber);
    c.check(manifestPath === `Controls/${name}/ControlManifest.xml`, "customizations.xml", `control ${name} names ${manifestPath}, expected Controls/${name}/ControlManifest.xml`, control.lineNumber);
    c.check(hasRoot("66", (e) => e.getAttribute("schemaName") === name), "solution.xml", `no RootComponent type 66 for control ${name}`);
    if (!partOrProblem(manifestPath, "customizations.xml", control.lineNumber)) continue;
    const controlXml = parseXml(parts.get(manifestPath)!, manifestPath).root;
    const element = firstChild(controlXml, "control");
    if (!c.check(!!element, manifestPath, "no <control> element") || !element) continue;
    c.check(`${prefix}_${element.getAttribute("namespace")}.${element.getAttribute("constructor")}` === name, manifestPath, `namespace and constructor do not give ${name}`);
    c.check(/^\d+\.\d+\.\d+$/.test(element.getAttribute("version") ?? ""), manifestPath, `control version "${element.getAttribute("version")}" is not major.minor.build`);
    const resources = childElements(firstChild(element, "resources") ?? element).filter((r) => r.getAttribute("path"));
    c.check(resources.some((r) => r.nodeName === "code"), manifestPath, "no <code> resource: the control has no bundle");
    for (const resource of resources) {
      const file = `Controls/${name}/${resource.getAttribute("path")}`;
      if (partOrProblem(file, manifestPath) && resource.nodeName === "code") {
        const size = (parts.get(file)!).length;
        c.check(size < MAX_BUNDLE_BYTES, file, `bundle is ${size} bytes; the platform refuses bundles over 5 MB`);
      }
    }
  }

  const workflowIds: string[] = [];
  for (const workflow of section("Workflows")) {
    const id = workflow.getAttribute("WorkflowId") ?? "";
    claim(id, `workflow ${workflow.getAttribute("Name")}`, workflow.lineNumber);
    workflowIds.push(id);
    c.order(workflow, WORKFLOW_ORDER, "customizations.xml", `workflow ${workflow.getAttribute("Name")}`);
    c.check(hasRoot("29", (e) => sameGuid(e.getAttribute("id"), id)), "solution.xml", `no RootComponent type 29 for flow ${id}`);
    const json = (textOf(workflow, "JsonFileName") ?? "").trim().replace(/^\//, "");
    if (json) partOrProblem(json, "customizations.xml", workflow.lineNumber);
  }

  const connectors = new Map<string, string>();
  for (const connector of section("Connectors")) {
    const id = (textOf(connector, "connectorid") ?? "").trim();
    const name = (textOf(connector, "name") ?? "").trim();
    claim(id, `connector ${name}`, connector.lineNumber);
    connectors.set(name, id);
    c.order(connector, CONNECTOR_ORDER, "customizations.xml", `connector ${name}`);
    c.check(hasRoot("372", (e) => sameGuid(e.getAttribute("id"), id) && e.getAttribute("schemaName") === name), "solution.xml", `no RootComponent type 372 for connector ${name}`);
    for (const tag of ["openapidefinition", "connectionparameters", "policytemplateinstances", "iconblob", "customcodeblobcontent"]) {
      const file = (textOf(connector, tag) ?? "").trim().replace(/^\//, "");
      if (!file) continue;
      c.check(file.startsWith("Connector/"), "customizations.xml", `connector ${name} ${tag} is ${file}; exports use the Connector/ folder`, connector.lineNumber);
      if (partOrProblem(file, "customizations.xml", connector.lineNumber) && file.endsWith(".json")) {
        try {
          parseJson(parts.get(file)!, file);
          c.checks++;
        } catch (error) {
          c.problems.push({ file, message: error instanceof Error ? error.message : String(error) });
        }
      }
    }
  }

  const references = new Map<string, Element>();
  for (const reference of section("connectionreferences")) {
    const logicalName = reference.getAttribute("connectionreferencelogicalname") ?? "";
    references.set(logicalName, reference);
    c.order(reference, CONNECTION_REFERENCE_ORDER, "customizations.xml", `connection reference ${logicalName}`);
    const custom = firstChild(reference, "customconnectorid");
    if (custom) {
      const id = (textOf(custom, "connectorid") ?? "").trim();
      c.check([...connectors.values()].some((v) => sameGuid(v, id)), "customizations.xml", `connection reference ${logicalName} carries connector id ${id}, which no connector in the solution has`, reference.lineNumber);
    }
  }

  const environmentVariables = new Set<string>();
  const environmentVariableTypes = new Map<string, string>();
  for (const [file, data] of parts) {
    const match = /^environmentvariabledefinitions\/([^/]+)\/environmentvariabledefinition\.xml$/.exec(file);
    if (!match) continue;
    named.add(file);
    let definition: Element;
    try {
      definition = parseXml(data, file).root;
    } catch (error) {
      if (!(error instanceof BuildError)) throw error;
      c.problems.push({ file, line: error.line, message: error.problem });
      continue;
    }
    environmentVariables.add(match[1]);
    environmentVariableTypes.set(match[1], (textOf(definition, "type") ?? "").trim());
    c.check(definition.getAttribute("schemaname") === match[1], file, `schemaname "${definition.getAttribute("schemaname")}" differs from its folder ${match[1]}`);
    c.order(definition, ENVIRONMENT_VARIABLE_ORDER, file, "environment variable definition");
    const problems = definitionProblems(definition);
    c.checks++;
    for (const problem of problems) c.problems.push({ file, line: problem.line, message: problem.message });
  }
  for (const [file, data] of parts) {
    const match = /^environmentvariabledefinitions\/([^/]+)\/environmentvariablevalues\.json$/.exec(file);
    if (!match) continue;
    named.add(file);
    const type = environmentVariableTypes.get(match[1]);
    if (!c.check(type !== undefined, file, `has no environmentvariabledefinition.xml beside it`) || type === undefined) continue;
    try {
      c.checks++;
      for (const problem of valuesProblems(parseJson(data, file), type, decodeUtf8(data))) c.problems.push({ file, line: problem.line, message: problem.message });
    } catch (error) {
      c.problems.push({ file, message: error instanceof Error ? error.message : String(error) });
    }
  }

  for (const id of workflowIds) {
    const json = [...parts.keys()].find((p) => p.startsWith("Workflows/") && p.toUpperCase().endsWith(`-${id.replace(/[{}]/g, "").toUpperCase()}.JSON`));
    if (!json) continue;
    let flow: unknown;
    try {
      flow = parseJson(parts.get(json)!, json);
    } catch (error) {
      c.problems.push({ file: json, message: error instanceof Error ? error.message : String(error) });
      continue;
    }
    const properties = isObject(flow) && isObject(flow.properties) ? flow.properties : {};
    for (const [key, value] of Object.entries(isObject(properties.connectionReferences) ? properties.connectionReferences : {})) {
      const logicalName = isObject(value) && isObject(value.connection) ? value.connection.connectionReferenceLogicalName : undefined;
      const api = isObject(value) && isObject(value.api) ? value.api : {};
      const reference = typeof logicalName === "string" ? references.get(logicalName) : undefined;
      if (!c.check(!!reference, json, `connection reference "${key}" (${String(logicalName)}) is not defined in customizations.xml`) || !reference) continue;
      if (typeof api.logicalName === "string" && connectors.has(api.logicalName)) {
        const custom = firstChild(reference, "customconnectorid");
        c.check(!!custom && sameGuid(textOf(custom, "connectorid"), connectors.get(api.logicalName)), "customizations.xml", `connection reference ${String(logicalName)} must carry the id of connector ${api.logicalName}`, reference.lineNumber);
      }
    }
    const definition = isObject(properties.definition) ? properties.definition : {};
    for (const [name, parameter] of Object.entries(isObject(definition.parameters) ? definition.parameters : {})) {
      const schemaName = isObject(parameter) && isObject(parameter.metadata) ? parameter.metadata.schemaName : undefined;
      if (typeof schemaName === "string") c.check(environmentVariables.has(schemaName), json, `parameter "${name}" reads environment variable ${schemaName}, which the solution does not define`);
    }
  }

  const roles = checkRoles(customizations, rootComponents);
  c.checks += roles.checks;
  c.problems.push(...roles.problems);

  for (const file of parts.keys()) c.check(named.has(file), file, "is in the zip but nothing names it");

  let schema: VerifyResult["schema"] = "no schema folder";
  if (options.schemaDir) {
    await validateAgainstSchema(customizationsData, options.schemaDir, c);
    schema = "validated";
  }
  c.check(controlNames.length === new Set(controlNames).size, "customizations.xml", "a custom control is listed twice");
  return { checks: c.checks, problems: c.problems, schema };
}
