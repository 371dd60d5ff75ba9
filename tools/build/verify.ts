/**
 * Checks a solution zip, from any environment or packer, for what would make Dynamics 365 refuse it or misbehave on
 * import: the container, the manifest, customizations.xml against Microsoft's schema (when a schema folder is given),
 * every part a component names, controls, flows, connection references, environment variables and roles.
 *
 * Our own policy for TeamsCustomerCollaboration (`policy`, on by default; `npm run verify` on other zips turns it off)
 * adds what we require of our solution beyond import: the file name, the `tcc` prefix, the exported shape our packer
 * writes (entry order, deflate, child order), every part named by something, references resolved inside the solution,
 * and the role allow-list and least-privilege list of tools/build/roles.ts.
 */
import fs from "node:fs";
import path from "node:path";
import type { Element } from "@xmldom/xmldom";
import { validateXML } from "xmllint-wasm";
import { resolveContentTypes } from "./contentTypes";
import { checkConnectorVariables, checkStandardDependencies } from "./dependencies";
import { definitionProblems, valuesProblems } from "./environmentVariables";
import { BuildError } from "./errors";
import { GUID, isVersion } from "./identity";
import { isObject, parseJson } from "./json";
import { checkRoles, ROLE_POLICY } from "./roles";
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
  /** What imports but may misbehave, or depends on the target environment: never fails a verification. */
  warnings: Problem[];
  schema: "validated" | "no schema folder";
}

export interface VerifyOptions {
  /** Folder holding CustomizationsSolution.xsd and the files it includes. */
  schemaDir?: string;
  /** Our own policy for TeamsCustomerCollaboration (see the top of this file). Default true. */
  policy?: boolean;
}

/**
 * 5 MB (5,120 KB), the default of the environment setting that limits a control's bundle.js: Microsoft documents that
 * web resources are limited by the same setting as email attachments, "Maximum file size for attachments" (Power
 * Platform admin center → environment → Settings → Email), stored as Organization.MaxUploadFileSize
 * (learn.microsoft.com/power-apps/developer/model-driven-apps/use-web-resources). An environment can raise it.
 */
export const MAX_BUNDLE_BYTES = 5 * 1024 * 1024;
/** Our publisher's customization prefix, required by the policy. */
export const OUR_PREFIX = "tcc";

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
    ["CustomControl", ["ForceUpdate"]],
  ]),
  attributes: new Map<string, string[]>([
    ["form", ["headerdensity"]],
    ["Role", ["isinherited"]],
    ["Group", ["ToolTipResourseId"]],
    ["SubArea", ["ToolTipResourseId", "VectorIcon"]],
  ]),
  /** Power BI dashboards (`<forms type="powerbi">`), newer than the schema's form types. */
  formTypes: ["powerbi"],
};

const SCHEMA_FILES = ["isv.config.xsd", "SiteMapType.xsd", "FormXml.xsd", "Fetch.xsd", "RibbonCore.xsd", "RibbonTypes.xsd", "RibbonWSS.xsd"];

class Checker {
  checks = 0;
  readonly problems: Problem[] = [];
  readonly warnings: Problem[] = [];

  constructor(readonly policy: boolean) {}

  /** What fails or misbehaves on import, for any solution. */
  check(condition: boolean, file: string, message: string, line?: number): boolean {
    this.checks++;
    if (!condition) this.problems.push({ file, line, message });
    return condition;
  }

  /** Our policy only: a problem for our solution, not checked for others. */
  ours(condition: boolean, file: string, message: string, line?: number): boolean {
    return this.policy ? this.check(condition, file, message, line) : condition;
  }

  /** What imports but depends on the target environment: a problem under our policy, a warning otherwise. */
  environment(condition: boolean, file: string, message: string, line?: number): boolean {
    if (this.policy) return this.check(condition, file, message, line);
    return this.warn(condition, file, message, line);
  }

  warn(condition: boolean, file: string, message: string, line?: number): boolean {
    this.checks++;
    if (!condition) this.warnings.push({ file, line, message });
    return condition;
  }

  /** The child order real exports write, which our packer follows: our policy only. */
  order(element: Element, expected: string[], file: string, what: string): void {
    if (!this.policy) return;
    const names = childElements(element).map((e) => e.nodeName);
    const unknown = names.filter((n) => !expected.includes(n));
    this.check(unknown.length === 0, file, `${what}: unknown child element(s) ${unknown.join(", ")}`, element.lineNumber);
    const positions = names.filter((n) => expected.includes(n)).map((n) => expected.indexOf(n));
    this.check(positions.every((p, i) => i === 0 || positions[i - 1] <= p), file, `${what}: children out of order (${names.join(", ")})`, element.lineNumber);
  }

  result(schema: VerifyResult["schema"] = "no schema folder"): VerifyResult {
    return { checks: this.checks, problems: this.problems, warnings: this.warnings, schema };
  }
}

/** Every text and attribute value in an XML tree, trimmed: how components name their parts (FileName, DocumentUri, …). */
function valuesOf(element: Element, into = new Set<string>()): Set<string> {
  for (let i = 0; i < element.attributes.length; i++) {
    const value = element.attributes.item(i)?.value.trim();
    if (value) into.add(value.toLowerCase());
  }
  const children = childElements(element);
  if (children.length === 0) {
    const text = (element.textContent ?? "").trim();
    if (text) into.add(text.toLowerCase());
  }
  for (const child of children) valuesOf(child, into);
  return into;
}

function stripNewerThanSchema(root: Element): void {
  for (const name of NEWER_THAN_SCHEMA.rootAttributes) root.removeAttribute(name);
  for (const section of childElements(root)) if (NEWER_THAN_SCHEMA.sections.includes(section.nodeName)) root.removeChild(section);
  const walk = (element: Element) => {
    for (const attribute of NEWER_THAN_SCHEMA.attributes.get(element.nodeName) ?? []) element.removeAttribute(attribute);
    const drop = NEWER_THAN_SCHEMA.elements.get(element.nodeName) ?? [];
    for (const child of childElements(element)) {
      if (drop.includes(child.nodeName)) element.removeChild(child);
      else if (child.nodeName === "forms" && NEWER_THAN_SCHEMA.formTypes.includes(child.getAttribute("type") ?? "")) element.removeChild(child);
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
  checker.check(result.valid || result.errors.length > 0, "customizations.xml", "does not validate against CustomizationsSolution.xsd");
  for (const error of result.errors) checker.problems.push({ file: "customizations.xml", line: error.loc?.lineNumber, message: `XSD: ${error.rawMessage.trim()}` });
}

export function schemaDirIsUsable(dir: string): boolean {
  return fs.existsSync(path.join(dir, "CustomizationsSolution.xsd"));
}

export async function verifyZip(zip: Uint8Array, zipName: string, options: VerifyOptions = {}): Promise<VerifyResult> {
  const c = new Checker(options.policy ?? true);
  let entries;
  try {
    entries = listZipEntries(zip);
  } catch (error) {
    return { checks: 1, problems: [{ file: zipName, message: error instanceof Error ? error.message : String(error) }], warnings: [], schema: "no schema folder" };
  }
  for (const entry of entries) {
    c.ours(!entry.isDirectory, entry.path, "directory entries do not occur in solution zips");
    c.ours(entry.method === DEFLATE, entry.path, `stored with method ${entry.method}; solution zips deflate every entry`);
    c.check(!entry.path.includes("\\"), entry.path, "zip paths use /, never \\");
  }
  c.ours(entries[0]?.path === "customizations.xml", zipName, "customizations.xml must be the first entry");
  let parts: Map<string, Uint8Array>;
  try {
    parts = new Map(readZip(zip).filter((p) => !p.path.endsWith("/")).map((p) => [p.path, p.data]));
  } catch (error) {
    if (!(error instanceof ZipError)) throw error;
    c.problems.push({ file: zipName, message: error.message });
    c.checks++;
    return c.result();
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
    return c.result();
  }
  let solution: Element;
  let customizations: Element;
  try {
    solution = parseXml(solutionData, "solution.xml").root;
    customizations = parseXml(customizationsData, "customizations.xml").root;
  } catch (error) {
    if (!(error instanceof BuildError)) throw error;
    c.problems.push({ file: error.file, line: error.line, message: error.problem });
    c.checks++;
    return c.result();
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
    c.ours(managed === expectManaged, "solution.xml", `Managed is ${managed} but the file name ${zipName} says ${expectManaged === "1" ? "managed" : "unmanaged"}`);
    const stem = /^(.+?)_(\d+(?:_\d+){1,3})(?:_managed)?\.zip$/i.exec(path.basename(zipName));
    if (stem) {
      c.ours(stem[1] === uniqueName, zipName, `file name says solution ${stem[1]}, solution.xml says ${uniqueName}`);
      c.ours(stem[2].replace(/_/g, ".") === version, zipName, `file name says version ${stem[2].replace(/_/g, ".")}, solution.xml says ${version}`);
    }
    const publisher = firstChild(manifest, "Publisher");
    prefix = (publisher ? textOf(publisher, "CustomizationPrefix") : "")?.trim() ?? "";
    // Dataverse: 2 to 8 letters or digits, starting with a letter, not "mscrm".
    c.check(/^[A-Za-z][A-Za-z0-9]{1,7}$/.test(prefix) && !/^mscrm/i.test(prefix), "solution.xml", `CustomizationPrefix "${prefix}" is not 2 to 8 letters or digits starting with a letter (and not mscrm)`);
    c.ours(prefix === OUR_PREFIX, "solution.xml", `CustomizationPrefix is "${prefix}"; our publisher's prefix is ${OUR_PREFIX}`);
  }
  const rootComponents = manifest ? childElements(firstChild(manifest, "RootComponents") ?? manifest).filter((e) => e.nodeName === "RootComponent") : [];
  for (const component of rootComponents) {
    const id = component.getAttribute("id");
    if (id) c.check(GUID.test(id), "solution.xml", `RootComponent id "${id}" is not a GUID`, component.lineNumber);
  }
  const hasRoot = (type: string, test: (e: Element) => boolean) => rootComponents.some((e) => e.getAttribute("type") === type && test(e));
  const sameGuid = (a: string | null | undefined, b: string | null | undefined) => !!a && !!b && a.replace(/[{}]/g, "").toLowerCase() === b.replace(/[{}]/g, "").toLowerCase();
  /** Names of components the solution declares it needs from the target environment (<MissingDependencies>). */
  const required = new Set<string>();
  for (const dependency of childElements(firstChild(manifest ?? solution, "MissingDependencies") ?? solution)) {
    const need = firstChild(dependency, "Required");
    if (need) for (const value of valuesOf(need)) required.add(value);
  }

  // customizations.xml
  const sections = childElements(customizations).map((e) => e.nodeName);
  const known = sections.filter((s) => SECTION_ORDER.includes(s)).map((s) => SECTION_ORDER.indexOf(s));
  c.ours(known.every((p, i) => i === 0 || known[i - 1] < p), "customizations.xml", `sections out of the order exports use: ${sections.join(", ")}`);
  const section = (name: string) => {
    const element = firstChild(customizations, name);
    return element ? childElements(element) : [];
  };
  // Web resources, forms, canvas apps, site maps, plug-in assemblies… name their parts by path in customizations.xml.
  const mentioned = valuesOf(customizations);

  const guids = new Map<string, string>();
  const claim = (guid: string, owner: string, line?: number) => {
    if (!c.check(GUID.test(guid), "customizations.xml", `${owner}: "${guid}" is not a GUID`, line)) return;
    const key = guid.replace(/[{}]/g, "").toLowerCase();
    c.check(!guids.has(key), "customizations.xml", `${owner}: GUID ${key} is also used by ${guids.get(key) ?? ""}`, line);
    guids.set(key, owner);
  };

  for (const resource of section("WebResources")) {
    const file = (textOf(resource, "FileName") ?? "").trim().replace(/^\//, "");
    if (file) partOrProblem(file, "customizations.xml", resource.lineNumber);
  }

  const controlNames: string[] = [];
  for (const control of section("CustomControls")) {
    const name = (textOf(control, "Name") ?? "").trim();
    const manifestPath = (textOf(control, "FileName") ?? "").trim().replace(/^\//, "");
    controlNames.push(name);
    // <prefix>_<namespace>.<constructor>, where pac writes dotted namespaces (dev_Contoso.Controls.Timeline); first-party controls have no prefix.
    c.check(/^([A-Za-z][A-Za-z0-9]*_)?[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+$/.test(name), "customizations.xml", `custom control name "${name}" is not <prefix>_<namespace>.<constructor>`, control.lineNumber);
    c.ours(name.startsWith(`${OUR_PREFIX}_`), "customizations.xml", `custom control name "${name}" does not start with our prefix ${OUR_PREFIX}_`, control.lineNumber);
    c.ours(manifestPath === `Controls/${name}/ControlManifest.xml`, "customizations.xml", `control ${name} names ${manifestPath}, expected Controls/${name}/ControlManifest.xml`, control.lineNumber);
    c.check(hasRoot("66", (e) => e.getAttribute("schemaName") === name), "solution.xml", `no RootComponent type 66 for control ${name}`);
    if (!manifestPath || !partOrProblem(manifestPath, "customizations.xml", control.lineNumber)) continue;
    let controlXml: Element;
    try {
      controlXml = parseXml(parts.get(manifestPath)!, manifestPath).root;
    } catch (error) {
      if (!(error instanceof BuildError)) throw error;
      c.problems.push({ file: manifestPath, line: error.line, message: error.problem });
      continue;
    }
    const element = firstChild(controlXml, "control");
    if (!c.check(!!element, manifestPath, "no <control> element") || !element) continue;
    const full = `${element.getAttribute("namespace")}.${element.getAttribute("constructor")}`;
    c.check(name === full || name.endsWith(`_${full}`), manifestPath, `namespace and constructor give ${full}, which control name ${name} does not end with`);
    c.ours(name === `${prefix}_${full}`, manifestPath, `namespace and constructor do not give ${prefix}_${full} = ${name}`);
    c.check(/^\d+\.\d+\.\d+$/.test(element.getAttribute("version") ?? ""), manifestPath, `control version "${element.getAttribute("version")}" is not major.minor.build`);
    const resources = childElements(firstChild(element, "resources") ?? element).filter((r) => r.getAttribute("path"));
    c.check(resources.some((r) => r.nodeName === "code"), manifestPath, "no <code> resource: the control has no bundle");
    const folder = path.posix.dirname(manifestPath);
    for (const resource of resources) {
      const file = `${folder}/${resource.getAttribute("path")}`;
      if (partOrProblem(file, manifestPath) && resource.nodeName === "code") {
        const size = (parts.get(file)!).length;
        c.warn(
          size <= MAX_BUNDLE_BYTES,
          file,
          `bundle is ${size} bytes, over 5 MB (5,120 KB): it imports only into an environment whose maximum upload file size is at least ${Math.ceil(size / 1024)} KB (Power Platform admin center → Settings → Email → "Maximum file size for attachments", the organization's MaxUploadFileSize; 5,120 KB by default)`,
        );
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
    for (const tag of ["JsonFileName", "XamlFileName"]) {
      const file = (textOf(workflow, tag) ?? "").trim().replace(/^\//, "");
      if (file) partOrProblem(file, "customizations.xml", workflow.lineNumber);
    }
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
      c.ours(file.startsWith("Connector/"), "customizations.xml", `connector ${name} ${tag} is ${file}; exports use the Connector/ folder`, connector.lineNumber);
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
      // A sibling solution may carry the connector (Microsoft's approvals kit does): then the target environment must have it.
      c.environment(
        [...connectors.values()].some((v) => sameGuid(v, id)),
        "customizations.xml",
        `connection reference ${logicalName} carries connector id ${id}, which no connector in the solution has${c.policy ? "" : " (the target environment must already have that custom connector)"}`,
        reference.lineNumber,
      );
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
      // Without a definition here the reference must already exist in the target environment: exports say so in <MissingDependencies>.
      const declared = typeof logicalName === "string" && required.has(logicalName.toLowerCase());
      if (!reference && declared && !c.policy) continue;
      if (!c.environment(!!reference, json, `connection reference "${key}" (${String(logicalName)}) is not defined in customizations.xml${c.policy ? "" : " nor listed in <MissingDependencies>: the flow stays off unless the target environment has it"}`) || !reference) continue;
      if (typeof api.logicalName === "string" && connectors.has(api.logicalName)) {
        const custom = firstChild(reference, "customconnectorid");
        c.check(!!custom && sameGuid(textOf(custom, "connectorid"), connectors.get(api.logicalName)), "customizations.xml", `connection reference ${String(logicalName)} must carry the id of connector ${api.logicalName}`, reference.lineNumber);
      }
    }
    const definition = isObject(properties.definition) ? properties.definition : {};
    for (const [name, parameter] of Object.entries(isObject(definition.parameters) ? definition.parameters : {})) {
      const schemaName = isObject(parameter) && isObject(parameter.metadata) ? parameter.metadata.schemaName : undefined;
      if (typeof schemaName !== "string" || (!c.policy && required.has(schemaName.toLowerCase()))) continue;
      c.environment(environmentVariables.has(schemaName), json, `parameter "${name}" reads environment variable ${schemaName}, which the solution does not define${c.policy ? "" : " (the flow uses its default value unless the target environment has it)"}`);
    }
  }

  // Connector settings from environment variables, and standard tables from Dataverse's base or declared (dependencies.ts).
  checkConnectorVariables(c, section("Connectors"), parts, environmentVariableTypes, required);
  checkStandardDependencies(c, customizations, parts, required, prefix);

  const roles = checkRoles(customizations, rootComponents, c.policy ? ROLE_POLICY : false);
  c.checks += roles.checks;
  c.problems.push(...roles.problems);

  // A part nothing names is ignored on import: only our policy refuses one (our packer must not leave strays).
  const isMentioned = (file: string) => mentioned.has(file.toLowerCase()) || mentioned.has(`/${file}`.toLowerCase());
  for (const file of parts.keys()) c.ours(named.has(file) || isMentioned(file), file, "is in the zip but nothing names it");

  let schema: VerifyResult["schema"] = "no schema folder";
  if (options.schemaDir) {
    await validateAgainstSchema(customizationsData, options.schemaDir, c);
    schema = "validated";
  }
  c.check(controlNames.length === new Set(controlNames).size, "customizations.xml", "a custom control is listed twice");
  return c.result(schema);
}
