/**
 * Lays out the complete SolutionPackager source tree the packer reads (dist/unpacked/) from our sources: the solution
 * source in solution/, the built controls, the connector in connector/ and the flows in flows/. Every input is
 * checked on the way, and a problem stops the build naming the file, the line where there is one, and what is wrong.
 */
import fs from "node:fs";
import path from "node:path";
import type { Document, Element } from "@xmldom/xmldom";
import { withOAuthVariables, type OAuthVariables } from "./connectorEnvironment";
import { definitionProblems, valuesProblems } from "./environmentVariables";
import { BuildError } from "./errors";
import { listFiles } from "./files";
import { connectorApiName, connectorName, GUID, isVersion, stableGuid } from "./identity";
import { isObject, lineOf, parseJson } from "./json";
import { CUSTOMIZATIONS_SOURCE, SOLUTION_SOURCE, sqlGuidKey, type FileTree } from "./layout";
import { childElements, decodeUtf8, firstChild, parseXml, serializeXml, textOf, XSI_NAMESPACE } from "./xml";

export interface StageSources {
  /** Repository root: error messages name files relative to it. */
  root: string;
  solutionDir: string;
  /** pcf-scripts output folders, one per control (`components/<C>/out/controls/<C>`). */
  controlDirs: string[];
  /** Folders holding a connector definition (apiDefinition.swagger.json). */
  connectorDirs: string[];
  flowsDir: string;
  /**
   * Environment variables of the solution that each connector's OAuth client id and secret come from: the packer
   * writes `@environmentVariables("…")` references into the connection parameters, so an import or upgrade takes the
   * environment's values instead of the zip's (see connectorEnvironment.ts).
   */
  connectorOAuthVariables?: OAuthVariables;
}

export interface StagedComponent {
  kind: "solution" | "control" | "connector" | "flow" | "environment variable";
  name: string;
  files: number;
  bytes: number;
}

export interface DeploymentSettings {
  EnvironmentVariables: { SchemaName: string; Value: string }[];
  ConnectionReferences: { LogicalName: string; ConnectionId: string; ConnectorId: string }[];
}

export interface StagedSolution {
  tree: FileTree;
  uniqueName: string;
  version: string;
  components: StagedComponent[];
  deploymentSettings: DeploymentSettings;
}

interface ConnectorIdentity {
  name: string;
  id: string;
  apiName: string;
  title: string;
}

const encoder = new TextEncoder();
const SPLIT_MARKS = { bom: true, declaration: true };
const MAX_FLOW_NAME = 50;
const STANDARD_CONNECTORS: Record<string, string> = {
  shared_commondataserviceforapps: "Microsoft Dataverse",
  shared_approvals: "Approvals",
  shared_teams: "Microsoft Teams",
  shared_office365: "Office 365 Outlook",
  shared_office365users: "Office 365 Users",
};

class Stager {
  readonly tree: FileTree = new Map();
  readonly components: StagedComponent[] = [];
  private readonly guids = new Map<string, string>();
  private readonly rootComponents: { type: number; id?: string; schemaName?: string }[] = [];
  /** Type of every environment variable the solution source defines, by schema name. */
  readonly environmentVariableTypes = new Map<string, string>();

  constructor(private readonly sources: StageSources) {}

  rel(file: string): string {
    return path.relative(this.sources.root, file).split(path.sep).join("/") || file;
  }

  read(file: string): Uint8Array {
    if (!fs.existsSync(file)) throw new BuildError(this.rel(file), "missing");
    return fs.readFileSync(file);
  }

  claimGuid(guid: string, owner: string, line?: number): void {
    if (!GUID.test(guid)) throw new BuildError(owner, `"${guid}" is not a GUID`, line);
    const key = guid.replace(/[{}]/g, "").toLowerCase();
    const previous = this.guids.get(key);
    if (previous) throw new BuildError(owner, `duplicate GUID ${key}: ${previous} uses it too`, line);
    this.guids.set(key, owner);
  }

  add(component: StagedComponent["kind"], name: string, files: [string, Uint8Array][]): void {
    for (const [file, data] of files) this.tree.set(file, data);
    this.components.push({ kind: component, name, files: files.length, bytes: files.reduce((n, [, d]) => n + d.length, 0) });
  }

  /** Copies solution/ after checking that every XML and JSON file in it parses. */
  stageSolutionSource(): { document: Document; solution: Element; prefix: string; uniqueName: string; version: string } {
    const dir = this.sources.solutionDir;
    const files: [string, Uint8Array][] = [];
    for (const file of listFiles(dir)) {
      const data = this.read(path.join(dir, file));
      const shown = this.rel(path.join(dir, file));
      if (file.endsWith(".xml")) parseXml(data, shown);
      if (file.endsWith(".json")) parseJson(data, shown);
      files.push([file, data]);
    }
    this.checkEnvironmentVariables(dir, files);
    const solutionFile = this.rel(path.join(dir, SOLUTION_SOURCE));
    const solutionData = files.find(([f]) => f === SOLUTION_SOURCE)?.[1];
    if (!solutionData) throw new BuildError(solutionFile, "missing: the solution manifest is required");
    if (!files.some(([f]) => f === CUSTOMIZATIONS_SOURCE)) throw new BuildError(this.rel(path.join(dir, CUSTOMIZATIONS_SOURCE)), "missing");
    const { document, root } = parseXml(solutionData, solutionFile);
    const manifest = firstChild(root, "SolutionManifest");
    if (!manifest) throw new BuildError(solutionFile, "no <SolutionManifest> element", root.lineNumber);
    const versionElement = firstChild(manifest, "Version");
    const version = (versionElement?.textContent ?? "").trim();
    if (!isVersion(version)) {
      throw new BuildError(solutionFile, `bad version string "${version}": expected major.minor.build.revision, numbers only`, versionElement?.lineNumber ?? manifest.lineNumber);
    }
    const uniqueName = (textOf(manifest, "UniqueName") ?? "").trim();
    const publisher = firstChild(manifest, "Publisher");
    const prefix = (publisher ? textOf(publisher, "CustomizationPrefix") : undefined)?.trim() ?? "";
    if (!/^[a-z][a-z0-9]{1,7}$/.test(prefix)) throw new BuildError(solutionFile, `publisher CustomizationPrefix "${prefix}" is not 2-8 lower-case letters or digits`);
    for (const [file, data] of files) {
      if (file === SOLUTION_SOURCE) continue;
      this.tree.set(file, data);
      const shown = this.rel(path.join(dir, file));
      for (const tag of ["formid", "savedqueryid"]) {
        const match = new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(decodeUtf8(data));
        if (match) this.claimGuid(match[1].trim(), shown, lineOf(decodeUtf8(data), match[0]));
      }
    }
    const envVars = files.filter(([f]) => /^environmentvariabledefinitions\/[^/]+\//.test(f));
    for (const folder of new Set(envVars.map(([f]) => f.split("/")[1]))) {
      const own = envVars.filter(([f]) => f.split("/")[1] === folder);
      this.components.push({ kind: "environment variable", name: folder, files: own.length, bytes: own.reduce((n, [, d]) => n + d.length, 0) });
    }
    const rest = files.filter(([f]) => !envVars.some(([e]) => e === f));
    this.components.push({ kind: "solution", name: uniqueName, files: rest.length, bytes: rest.reduce((n, [, d]) => n + d.length, 0) });
    return { document, solution: root, prefix, uniqueName, version };
  }

  /** Each environment variable's type known, its default and its value of the type: the first problem stops the build. */
  private checkEnvironmentVariables(dir: string, files: [string, Uint8Array][]): void {
    const types = new Map<string, string>();
    for (const [file, data] of files) {
      const match = /^environmentvariabledefinitions\/([^/]+)\/environmentvariabledefinition\.xml$/.exec(file);
      if (!match) continue;
      const shown = this.rel(path.join(dir, file));
      const { root } = parseXml(data, shown);
      const [problem] = definitionProblems(root);
      if (problem) throw new BuildError(shown, problem.message, problem.line);
      types.set(match[1], (textOf(root, "type") ?? "").trim());
      this.environmentVariableTypes.set(match[1], (textOf(root, "type") ?? "").trim());
    }
    for (const [file, data] of files) {
      const match = /^environmentvariabledefinitions\/([^/]+)\/environmentvariablevalues\.json$/.exec(file);
      const type = match ? types.get(match[1]) : undefined;
      if (!match || type === undefined) continue;
      const shown = this.rel(path.join(dir, file));
      const [problem] = valuesProblems(parseJson(data, shown), type, decodeUtf8(data));
      if (problem) throw new BuildError(shown, problem.message, problem.line);
    }
  }

  stageControl(outDir: string, prefix: string, version: string): void {
    const manifestFile = path.join(outDir, "ControlManifest.xml");
    const shown = this.rel(manifestFile);
    if (!fs.existsSync(manifestFile)) throw new BuildError(shown, "missing control manifest: the control did not build");
    const { root } = parseXml(this.read(manifestFile), shown);
    const control = root.nodeName === "manifest" ? firstChild(root, "control") : undefined;
    if (!control) throw new BuildError(shown, "invalid control manifest: expected <manifest><control …>", root.lineNumber);
    const attribute = (name: string) => {
      const value = control.getAttribute(name) ?? "";
      if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(value)) throw new BuildError(shown, `invalid control manifest: ${name}="${value}"`, control.lineNumber);
      return value;
    };
    const name = `${prefix}_${attribute("namespace")}.${attribute("constructor")}`;
    // PCF versions have three parts; the platform reloads a control's files only when this version rises.
    control.setAttribute("version", version.split(".").slice(0, 3).join("."));
    const resources = firstChild(control, "resources");
    const named = resources ? childElements(resources).map((r) => r.getAttribute("path")).filter((p): p is string => !!p) : [];
    if (!named.some((p) => p.endsWith(".js"))) throw new BuildError(shown, "invalid control manifest: no <code> resource", control.lineNumber);
    const folder = `Controls/${name}/`;
    const files: [string, Uint8Array][] = [[`${folder}ControlManifest.xml`, encoder.encode(compact(root))]];
    for (const resource of named) {
      files.push([`${folder}${resource}`, this.read(path.join(outDir, resource))]);
    }
    const data = `<CustomControl xmlns:xsi="${XSI_NAMESPACE}"><Name>${name}</Name><FileName>/${folder}ControlManifest.xml</FileName></CustomControl>`;
    files.push([`${folder}ControlManifest.xml.data.xml`, encoder.encode(serializeXml(parseXml(data, "generated").root, { marks: SPLIT_MARKS }))]);
    this.add("control", name, files);
    this.rootComponents.push({ type: 66, schemaName: name });
  }

  stageConnector(dir: string, prefix: string): ConnectorIdentity {
    const swaggerFile = path.join(dir, "apiDefinition.swagger.json");
    const propertiesFile = path.join(dir, "apiProperties.json");
    const swagger = parseJson(this.read(swaggerFile), this.rel(swaggerFile));
    const properties = parseJson(this.read(propertiesFile), this.rel(propertiesFile));
    const info = isObject(swagger) && isObject(swagger.info) ? swagger.info : undefined;
    const title = typeof info?.title === "string" ? info.title.trim() : "";
    if (!title) throw new BuildError(this.rel(swaggerFile), "info.title is required: it is the connector's display name");
    const props = isObject(properties) && isObject(properties.properties) ? properties.properties : {};
    const name = connectorName(prefix, title);
    const identity: ConnectorIdentity = { name, id: stableGuid(`connector:${name}`), apiName: connectorApiName(name), title };
    this.claimGuid(identity.id, this.rel(swaggerFile));
    const oauth = withOAuthVariables(props.connectionParameters ?? {}, this.sources.connectorOAuthVariables ?? {}, this.environmentVariableTypes);
    if (oauth.problems.length > 0) throw new BuildError(this.rel(propertiesFile), oauth.problems[0]);
    if (this.sources.connectorOAuthVariables && oauth.oauthParameters.length === 0 && Object.values(this.sources.connectorOAuthVariables).some(Boolean)) {
      throw new BuildError(this.rel(propertiesFile), "connectionParameters has no oauthSetting parameter to take the client id and secret from environment variables");
    }
    const iconFile = path.join(dir, "icon.png");
    const base = `Connectors/${name}`;
    const element = [
      ["connectorid", identity.id],
      ["description", typeof info?.description === "string" ? info.description : ""],
      ["displayname", title],
      ["iconbrandcolor", typeof props.iconBrandColor === "string" ? props.iconBrandColor : ""],
      ["name", name],
      ["connectortype", "1"],
      ["openapidefinition", `/Connector/${name}_openapidefinition.json`],
      ["connectionparameters", `/Connector/${name}_connectionparameters.json`],
      ["policytemplateinstances", `/Connector/${name}_policytemplateinstances.json`],
      ["iconblob", `/Connector/${name}_iconblob.Png`],
    ]
      .map(([tag, value]) => `<${tag}>${escapeXml(value)}</${tag}>`)
      .join("");
    const xml = serializeXml(parseXml(`<Connector xmlns:xsi="${XSI_NAMESPACE}">${element}</Connector>`, "generated").root, { marks: SPLIT_MARKS });
    this.add("connector", name, [
      [`${base}.xml`, encoder.encode(xml)],
      [`${base}_openapidefinition.json`, encoder.encode(JSON.stringify(swagger))],
      [`${base}_connectionparameters.json`, encoder.encode(JSON.stringify(oauth.parameters))],
      [`${base}_policytemplateinstances.json`, encoder.encode(JSON.stringify(props.policyTemplateInstances ?? null))],
      [`${base}_iconblob.Png`, this.read(iconFile)],
    ]);
    this.rootComponents.push({ type: 372, id: identity.id, schemaName: name });
    return identity;
  }

  stageFlows(connectors: ConnectorIdentity[]): Map<string, { apiName: string; connector?: ConnectorIdentity }> {
    const dir = this.sources.flowsDir;
    const references = new Map<string, { apiName: string; connector?: ConnectorIdentity }>();
    for (const file of listFiles(dir).filter((f) => /^[^/]+\.json$/.test(f))) {
      const jsonPath = path.join(dir, file);
      const shown = this.rel(jsonPath);
      const text = decodeUtf8(this.read(jsonPath));
      const flow = parseJson(text, shown);
      const dataPath = `${jsonPath}.data.xml`;
      const dataShown = this.rel(dataPath);
      const { root: workflow } = parseXml(this.read(dataPath), dataShown);
      if (workflow.nodeName !== "Workflow") throw new BuildError(dataShown, `root element is <${workflow.nodeName}>, expected <Workflow>`, workflow.lineNumber);
      const id = workflow.getAttribute("WorkflowId") ?? "";
      this.claimGuid(id, dataShown, workflow.lineNumber);
      const expectedName = `${(workflow.getAttribute("Name") ?? "").replace(/[^A-Za-z0-9_-]/g, "").slice(0, MAX_FLOW_NAME)}-${id.replace(/[{}]/g, "").toUpperCase()}.json`;
      if (file !== expectedName) throw new BuildError(shown, `file name should be ${expectedName}, as Dynamics 365 names a flow from its Name and WorkflowId`);
      const jsonFileName = (textOf(workflow, "JsonFileName") ?? "").trim();
      if (jsonFileName !== `/Workflows/${file}`) throw new BuildError(dataShown, `<JsonFileName> is "${jsonFileName}", expected "/Workflows/${file}"`);
      this.collectConnectionReferences(flow, text, shown, connectors, references);
      this.add("flow", workflow.getAttribute("Name") ?? file, [
        [`Workflows/${file}`, this.read(jsonPath)],
        [`Workflows/${file}.data.xml`, this.read(dataPath)],
      ]);
      this.rootComponents.push({ type: 29, id: id.startsWith("{") ? id.toLowerCase() : `{${id.toLowerCase()}}` });
    }
    return references;
  }

  /** The flow check (tools/flow/check.ts) has judged actions and parameters; here we need only the references. */
  collectConnectionReferences(
    flow: unknown,
    text: string,
    file: string,
    connectors: ConnectorIdentity[],
    references: Map<string, { apiName: string; connector?: ConnectorIdentity }>,
  ): void {
    const properties = isObject(flow) && isObject(flow.properties) ? flow.properties : undefined;
    const definition = properties && isObject(properties.definition) ? properties.definition : undefined;
    if (!properties || !definition) throw new BuildError(file, "not an exported flow: expected properties.definition");
    const connectionReferences = isObject(properties.connectionReferences) ? properties.connectionReferences : {};
    for (const [key, value] of Object.entries(connectionReferences)) {
      const connection = isObject(value) && isObject(value.connection) ? value.connection : {};
      const api = isObject(value) && isObject(value.api) ? value.api : {};
      const logicalName = connection.connectionReferenceLogicalName;
      const apiName = api.name;
      if (typeof logicalName !== "string" || typeof apiName !== "string") {
        throw new BuildError(file, `connection reference "${key}" needs connection.connectionReferenceLogicalName and api.name`, lineOf(text, `"${key}"`));
      }
      const connector = connectors.find((c) => c.name === api.logicalName || c.apiName === apiName);
      if (typeof api.logicalName === "string" && !connector) {
        throw new BuildError(file, `connection reference "${key}" names connector ${api.logicalName}, which connector/ does not define`, lineOf(text, api.logicalName));
      }
      if (connector && apiName !== connector.apiName) {
        throw new BuildError(file, `connection reference "${key}" has api.name ${apiName}; the packed connector's is ${connector.apiName}`, lineOf(text, apiName));
      }
      references.set(logicalName, { apiName, connector });
    }
  }

  /** Adds the connection references flows use that the source does not already define, as exports write them. */
  addConnectionReferences(references: Map<string, { apiName: string; connector?: ConnectorIdentity }>): DeploymentSettings["ConnectionReferences"] {
    const file = CUSTOMIZATIONS_SOURCE;
    const { document, root, marks } = parseXml(this.tree.get(file) as Uint8Array, file);
    let section = firstChild(root, "connectionreferences");
    const existing = new Set(section ? childElements(section).map((e) => e.getAttribute("connectionreferencelogicalname")) : []);
    const settings: DeploymentSettings["ConnectionReferences"] = [];
    for (const [logicalName, { apiName, connector }] of [...references].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const connectorId = `/providers/Microsoft.PowerApps/apis/${apiName}`;
      settings.push({ LogicalName: logicalName, ConnectionId: "", ConnectorId: connectorId });
      if (existing.has(logicalName)) continue;
      if (!section) {
        section = document.createElement("connectionreferences");
        root.insertBefore(section, firstChild(root, "Languages") ?? null);
      }
      const reference = element(document, "connectionreference", { connectionreferencelogicalname: logicalName });
      const display = connector ? connector.title : STANDARD_CONNECTORS[apiName];
      reference.appendChild(element(document, "connectionreferencedisplayname", {}, display ?? apiName));
      reference.appendChild(element(document, "connectorid", {}, connectorId));
      if (connector) {
        const custom = element(document, "customconnectorid");
        custom.appendChild(element(document, "connectorid", {}, connector.id));
        reference.appendChild(custom);
      }
      for (const [tag, value] of [["iscustomizable", "1"], ["promptingbehavior", "0"], ["statecode", "0"], ["statuscode", "1"]]) {
        reference.appendChild(element(document, tag, {}, value));
      }
      const after = childElements(section).find((e) => (e.getAttribute("connectionreferencelogicalname") ?? "") > logicalName);
      section.insertBefore(reference, after ?? null);
    }
    this.tree.set(file, encoder.encode(serializeXml(root, { marks })));
    return settings;
  }

  writeRootComponents(document: Document, solution: Element): void {
    const manifest = firstChild(solution, "SolutionManifest")!;
    let list = firstChild(manifest, "RootComponents");
    if (!list) {
      list = document.createElement("RootComponents");
      manifest.insertBefore(list, firstChild(manifest, "MissingDependencies") ?? null);
    }
    const key = (c: { id?: string; schemaName?: string }) => (c.schemaName ?? "") + (c.id ?? "");
    const present = new Set(childElements(list).map((e) => `${e.getAttribute("type")}|${e.getAttribute("schemaName") ?? ""}${e.getAttribute("id") ?? ""}`));
    const order = (c: { type: number; id?: string; schemaName?: string }) => `${String(c.type).padStart(6, "0")}|${c.type === 29 ? sqlGuidKey(c.id ?? "") : key(c)}`;
    for (const component of [...this.rootComponents].sort((a, b) => (order(a) < order(b) ? -1 : 1))) {
      if (present.has(`${component.type}|${key(component)}`)) continue;
      const attributes: Record<string, string> = { type: String(component.type) };
      if (component.id) attributes.id = component.id.startsWith("{") ? component.id : `{${component.id}}`;
      if (component.schemaName) attributes.schemaName = component.schemaName;
      attributes.behavior = "0";
      list.appendChild(element(document, "RootComponent", attributes));
    }
  }
}

function element(document: Document, name: string, attributes: Record<string, string> = {}, text?: string): Element {
  const result = document.createElement(name);
  for (const [key, value] of Object.entries(attributes)) result.setAttribute(key, value);
  if (text !== undefined) result.appendChild(document.createTextNode(text));
  return result;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** A control manifest as an export writes it: one line, no declaration. */
function compact(root: Element): string {
  return serializeXml(root, { marks: { bom: false, declaration: false } })
    .split("\r\n")
    .map((line) => line.trim())
    .join("");
}

export function stage(sources: StageSources): StagedSolution {
  const stager = new Stager(sources);
  const { document, solution, prefix, uniqueName, version } = stager.stageSolutionSource();
  for (const dir of sources.controlDirs) stager.stageControl(dir, prefix, version);
  const connectors = sources.connectorDirs.map((dir) => stager.stageConnector(dir, prefix));
  const environmentVariables = new Set(
    [...stager.tree.keys()].filter((f) => f.endsWith("/environmentvariabledefinition.xml")).map((f) => f.split("/")[1]),
  );
  const references = stager.stageFlows(connectors);
  const connectionReferences = stager.addConnectionReferences(references);
  stager.writeRootComponents(document, solution);
  const solutionFile = stager.rel(path.join(sources.solutionDir, SOLUTION_SOURCE));
  const solutionMarks = parseXml(stager.read(path.join(sources.solutionDir, SOLUTION_SOURCE)), solutionFile).marks;
  stager.tree.set(SOLUTION_SOURCE, encoder.encode(serializeXml(solution, { marks: solutionMarks })));
  return {
    tree: stager.tree,
    uniqueName,
    version,
    components: stager.components,
    deploymentSettings: {
      EnvironmentVariables: [...environmentVariables].sort().map((schemaName) => ({ SchemaName: schemaName, Value: "" })),
      ConnectionReferences: connectionReferences,
    },
  };
}

/** The solution's environment variables our Teams connector signs in with (solution/environmentvariabledefinitions/). */
export const CONNECTOR_OAUTH_VARIABLES: OAuthVariables = { clientId: "tcc_TeamsConnectorClientId", clientSecret: "tcc_TeamsConnectorClientSecret" };

/** Where our sources live in this repository. */
export function repositorySources(root: string): StageSources {
  const controlDirs = ["CustomerContextPanel", "PipelineBoard"].map((c) => path.join(root, "components", c, "out", "controls", c));
  const connectorRoot = path.join(root, "connector");
  const connectorDirs = [connectorRoot, ...(fs.existsSync(connectorRoot) ? fs.readdirSync(connectorRoot).map((d) => path.join(connectorRoot, d)) : [])].filter(
    (d) => fs.existsSync(path.join(d, "apiDefinition.swagger.json")),
  );
  return {
    root,
    solutionDir: path.join(root, "solution"),
    controlDirs,
    connectorDirs,
    flowsDir: path.join(root, "flows"),
    connectorOAuthVariables: CONNECTOR_OAUTH_VARIABLES,
  };
}
