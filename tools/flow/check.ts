/**
 * Static checks of an exported flow file, without running it: the exported-flow shape, known action types, the
 * runAfter graph, every expression, connection references, connector operations and parameters, environment
 * variables, every table, column and navigation-property name sent to or read from the Dataverse connector (against
 * the in-memory Dataverse's metadata: check/dataverse.ts), and the Graph bodies built for our connector (against its
 * swagger: check/graph.ts). The build calls `checkFlowFile` for every file in flows/; `npm run flow -- check` prints
 * the same problems.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { connectorApiName, connectorName } from "../build/identity";
import { findOperation, operationParameters, type SwaggerDocument } from "../connector";
import { parseTemplate, templateStrings, WdlError, lookupFunction, type JsonValue, type Node } from "./expressions";
import { DATAVERSE_API, DATAVERSE_OPERATIONS } from "./dispatchers/dataverse";
import { APPROVALS_API } from "./dispatchers/approvals";
import { SUPPORTED_ACTION_TYPES } from "./runner";
import { MetadataSet } from "../dataverse/metadata";
import { DataverseNames, dataverseNameProblems, type NameProblem } from "./check/dataverse";
import { graphBodyProblems } from "./check/graph";
import { didYouMean } from "./check/names";

export interface FlowProblem {
  file: string;
  line?: number;
  message: string;
}

export interface CheckOptions {
  /** The solution source folder (solution/); environment variables are read from its environmentvariabledefinitions/. */
  solutionDir: string;
  /** Custom connector folders (each with apiDefinition.swagger.json). */
  connectorDirs: string[];
  /** The Dataverse metadata names are checked against; the in-memory Dataverse's tables when absent. */
  metadata?: MetadataSet;
}

const SCHEMA = "https://schema.management.azure.com/providers/Microsoft.Logic/schemas/2016-06-01/workflowdefinition.json#";
const TRIGGER_TYPES = new Set(["OpenApiConnectionWebhook", "OpenApiConnection", "Request", "Recurrence"]);
const RUN_AFTER_STATUSES = new Set(["Succeeded", "Failed", "Skipped", "TimedOut"]);
const PARAMETER_TYPES = new Set(["String", "SecureString", "Int", "Float", "Bool", "Array", "Object", "SecureObject"]);
/** Standard connectors our flows use, with the operations they call. */
const STANDARD_OPERATIONS: Record<string, readonly string[]> = {
  [DATAVERSE_API]: Object.keys(DATAVERSE_OPERATIONS),
  [APPROVALS_API]: ["CreateAnApproval", "WaitForAnApproval", "StartAndWaitForAnApproval"],
};

type Json = Record<string, JsonValue>;
const isObject = (v: JsonValue | undefined): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

interface CustomConnector {
  apiName: string;
  logicalName: string;
  swagger: SwaggerDocument;
}

function readPrefix(solutionDir: string): string {
  const file = path.join(solutionDir, "Other", "Solution.xml");
  if (!existsSync(file)) return "tcc";
  return /<CustomizationPrefix>([^<]+)<\/CustomizationPrefix>/i.exec(readFileSync(file, "utf8"))?.[1]?.trim() ?? "tcc";
}

function loadConnectors(options: CheckOptions): CustomConnector[] {
  const prefix = readPrefix(options.solutionDir);
  return options.connectorDirs.map((dir) => {
    const swagger = JSON.parse(readFileSync(path.join(dir, "apiDefinition.swagger.json"), "utf8")) as SwaggerDocument & { info?: { title?: string } };
    const logicalName = connectorName(prefix, (swagger.info?.title ?? "").trim());
    return { apiName: connectorApiName(logicalName), logicalName, swagger };
  });
}

function environmentVariables(solutionDir: string): Set<string> {
  const dir = path.join(solutionDir, "environmentvariabledefinitions");
  if (!existsSync(dir)) return new Set();
  return new Set(readdirSync(dir).filter((name) => existsSync(path.join(dir, name, "environmentvariabledefinition.xml"))));
}

/** 1-based line of the first occurrence of `needle` at or after `from`; undefined when absent. */
function lineOf(text: string, needle: string, from = 0): number | undefined {
  const at = text.indexOf(needle, from);
  return at < 0 ? undefined : text.slice(0, at).split("\n").length;
}

interface ActionSite {
  name: string;
  def: Json;
  /** The names of the actions in the same container (for runAfter). */
  siblings: Record<string, JsonValue>;
  isTrigger: boolean;
}

function containersOf(def: Json): Record<string, JsonValue>[] {
  const out: Record<string, JsonValue>[] = [];
  if (isObject(def.actions)) out.push(def.actions);
  if (isObject(def.else) && isObject(def.else.actions)) out.push(def.else.actions);
  if (isObject(def.default) && isObject(def.default.actions)) out.push(def.default.actions);
  if (isObject(def.cases)) for (const c of Object.values(def.cases)) if (isObject(c) && isObject(c.actions)) out.push(c.actions);
  return out;
}

/** Checks one flow given as text; `file` is only used in the problems it returns. */
export function checkFlowText(text: string, file: string, options: CheckOptions): FlowProblem[] {
  const problems: FlowProblem[] = [];
  const report = (message: string, line?: number) => problems.push(line === undefined ? { file, message } : { file, line, message });
  let flow: JsonValue;
  try {
    flow = JSON.parse(text) as JsonValue;
  } catch (e) {
    const position = /position (\d+)/.exec((e as Error).message);
    report(`not valid JSON: ${(e as Error).message}`, position ? text.slice(0, Number(position[1])).split("\n").length : undefined);
    return problems;
  }
  if (!isObject(flow) || !isObject(flow.properties)) {
    report("not an exported flow: the file needs { \"properties\": { connectionReferences, definition }, \"schemaVersion\": \"1.0.0.0\" }", 1);
    return problems;
  }
  if (flow.schemaVersion !== "1.0.0.0") report(`schemaVersion is ${JSON.stringify(flow.schemaVersion ?? null)}; exported flows have "1.0.0.0"`, lineOf(text, '"schemaVersion"') ?? 1);
  const properties = flow.properties;
  const definition = properties.definition;
  if (!isObject(definition)) {
    report("properties.definition is missing or not an object", lineOf(text, '"properties"'));
    return problems;
  }
  if (definition.$schema !== SCHEMA) report(`definition.$schema should be ${SCHEMA}`, lineOf(text, '"$schema"') ?? lineOf(text, '"definition"'));
  if (definition.contentVersion !== "1.0.0.0") report('definition.contentVersion should be "1.0.0.0"', lineOf(text, '"contentVersion"') ?? lineOf(text, '"definition"'));

  // Connection references.
  const references = isObject(properties.connectionReferences) ? properties.connectionReferences : {};
  if (!isObject(properties.connectionReferences)) report("properties.connectionReferences is missing", lineOf(text, '"properties"'));
  const connectors = loadConnectors(options);
  const apiOf = new Map<string, string>();
  for (const [key, ref] of Object.entries(references)) {
    const line = lineOf(text, `"${key}": {`);
    const api = isObject(ref) && isObject(ref.api) ? ref.api : {};
    const logical = isObject(ref) && isObject(ref.connection) ? ref.connection.connectionReferenceLogicalName : undefined;
    if (typeof logical !== "string" || logical === "") report(`connection reference '${key}' has no connection.connectionReferenceLogicalName`, line);
    const apiName = typeof api.name === "string" ? api.name : "";
    const custom = connectors.find((c) => c.apiName === apiName || c.logicalName === api.logicalName);
    if (custom !== undefined) {
      if (apiName !== custom.apiName) report(`connection reference '${key}' has api.name '${apiName}'; the connector in connector/ is '${custom.apiName}'`, line);
      if (api.logicalName !== custom.logicalName) report(`connection reference '${key}' has api.logicalName '${JSON.stringify(api.logicalName ?? null)}'; the connector in connector/ is '${custom.logicalName}'`, line);
    } else if (!(apiName in STANDARD_OPERATIONS)) {
      report(`connection reference '${key}' uses API '${apiName}', which is neither one of our connectors nor a standard connector the flows may use (${Object.keys(STANDARD_OPERATIONS).join(", ")})`, line);
    }
    apiOf.set(key, apiName);
  }

  // Parameters and environment variables.
  const parameters = isObject(definition.parameters) ? definition.parameters : {};
  for (const required of ["$connections", "$authentication"]) {
    if (!(required in parameters)) report(`definition.parameters needs '${required}', as every exported flow has`, lineOf(text, '"parameters"'));
  }
  const variables = environmentVariables(options.solutionDir);
  for (const [name, p] of Object.entries(parameters)) {
    const line = lineOf(text, `"${name}": {`);
    if (!isObject(p) || typeof p.type !== "string" || !PARAMETER_TYPES.has(p.type)) {
      report(`parameter '${name}' needs a type (one of ${[...PARAMETER_TYPES].join(", ")})`, line);
      continue;
    }
    const schemaName = isObject(p.metadata) ? p.metadata.schemaName : undefined;
    if (typeof schemaName === "string") {
      if (!variables.has(schemaName)) report(`parameter '${name}' reads environment variable ${schemaName}, which ${path.join(path.basename(options.solutionDir), "environmentvariabledefinitions")}/ does not define`, line);
      if (!name.endsWith(`(${schemaName})`)) report(`parameter '${name}' should be named '<Display name> (${schemaName})', as exports name environment variable parameters`, line);
    }
  }

  // Actions: collect every site with its container.
  const triggers = isObject(definition.triggers) ? definition.triggers : {};
  if (Object.keys(triggers).length !== 1) report(`a flow has exactly one trigger; this one has ${Object.keys(triggers).length}`, lineOf(text, '"triggers"'));
  if (!isObject(definition.actions)) report("definition.actions is missing", lineOf(text, '"definition"'));
  const sites: ActionSite[] = [];
  const containers: Record<string, JsonValue>[] = [];
  for (const [name, def] of Object.entries(triggers)) if (isObject(def)) sites.push({ name, def, siblings: triggers, isTrigger: true });
  const collect = (actions: Record<string, JsonValue>) => {
    containers.push(actions);
    for (const [name, def] of Object.entries(actions)) {
      if (!isObject(def)) {
        report(`action '${name}' is not an object`, lineOf(text, `"${name}": `));
        continue;
      }
      sites.push({ name, def, siblings: actions, isTrigger: false });
      for (const inner of containersOf(def)) collect(inner);
    }
  };
  if (isObject(definition.actions)) collect(definition.actions);

  const seen = new Map<string, number>();
  for (const s of sites) seen.set(s.name, (seen.get(s.name) ?? 0) + 1);
  for (const [name, count] of seen) if (count > 1) report(`the name '${name}' is used by ${count} actions; action names are unique in a flow`, lineOf(text, `"${name}": {`));
  const allNames = new Set(seen.keys());
  const actionDefs = new Map(sites.filter((s) => !s.isTrigger).map((s) => [s.name, s.def]));
  const names = new DataverseNames(options.metadata ?? new MetadataSet());

  for (const site of sites) {
    const { name, def } = site;
    const line = lineOf(text, `"${name}": {`);
    const where = site.isTrigger ? `trigger '${name}'` : `action '${name}'`;
    const type = def.type;
    const known = site.isTrigger ? TRIGGER_TYPES : SUPPORTED_ACTION_TYPES;
    if (typeof type !== "string" || !known.has(type)) report(`${where} has type ${JSON.stringify(type ?? null)}, which is not a known ${site.isTrigger ? "trigger" : "action"} type (${[...known].join(", ")})`, line);
    if (!site.isTrigger) {
      const runAfter = def.runAfter;
      if (runAfter !== undefined && !isObject(runAfter)) report(`${where}: runAfter must be an object of action name -> statuses`, line);
      for (const [dep, statuses] of Object.entries(isObject(runAfter) ? runAfter : {})) {
        if (!(dep in site.siblings)) report(`${where} runs after '${dep}', which is not an action in the same ${site.siblings === definition.actions ? "flow level" : "scope"}`, lineOf(text, `"${dep}": [`, text.indexOf(`"${name}": {`)) ?? line);
        const list = Array.isArray(statuses) ? statuses : [];
        if (list.length === 0 || list.some((st) => typeof st !== "string" || !RUN_AFTER_STATUSES.has(st))) {
          report(`${where}: runAfter '${dep}' needs a non-empty list of Succeeded, Failed, Skipped, TimedOut`, line);
        }
      }
    }
    checkExpressions(def, where, line, allNames, parameters, report);
    if (type === "OpenApiConnection" || type === "OpenApiConnectionWebhook") {
      const start = text.indexOf(`"${name}": {`);
      const at = (parameter: string) => (start < 0 ? line : lineOf(text, `"${parameter}"`, start) ?? line);
      checkOperation(def, where, line, references, apiOf, connectors, report, { names, actions: actionDefs, lineOf: at });
    }
  }
  for (const container of containers) checkCycles(container, text, report);
  return problems;
}

function checkCycles(actions: Record<string, JsonValue>, text: string, report: (message: string, line?: number) => void): void {
  const state = new Map<string, "visiting" | "done">();
  const visit = (name: string, trail: string[]): void => {
    if (state.get(name) === "done") return;
    if (state.get(name) === "visiting") {
      const cycle = [...trail.slice(trail.indexOf(name)), name];
      report(`runAfter cycle: ${cycle.join(" -> ")}`, lineOf(text, `"${name}": {`));
      return;
    }
    state.set(name, "visiting");
    const def = actions[name];
    const runAfter = isObject(def) && isObject(def.runAfter) ? def.runAfter : {};
    for (const dep of Object.keys(runAfter)) if (dep in actions) visit(dep, [...trail, name]);
    state.set(name, "done");
  };
  for (const name of Object.keys(actions)) visit(name, []);
}

/** Functions whose first argument names an action, a variable or a parameter, checked against the flow. */
const ACTION_REFERENCES = new Set(["actions", "outputs", "body", "actionOutputs", "actionBody", "result", "items", "iterationIndexes"]);

function checkExpressions(
  def: Json, where: string, line: number | undefined, actionNames: Set<string>, parameters: Json,
  report: (message: string, line?: number) => void,
): void {
  // Nested actions are checked as their own sites.
  const own: Json = { ...def };
  delete own.actions;
  delete own.else;
  delete own.default;
  if (isObject(def.cases)) own.cases = Object.fromEntries(Object.entries(def.cases).map(([k, c]) => [k, isObject(c) ? c.case ?? null : null]));
  for (const source of templateStrings(own)) {
    let calls: Node[];
    try {
      calls = callsIn(parseTemplate(source));
    } catch (e) {
      if (!(e instanceof WdlError)) throw e;
      report(`${where}: ${e.message}`, line);
      continue;
    }
    for (const call of calls) {
      if (call.kind !== "call") continue;
      const first = call.args[0];
      const literal = first?.kind === "literal" && typeof first.value === "string" ? first.value : undefined;
      if (literal === undefined) continue;
      if (ACTION_REFERENCES.has(call.name) && !actionNames.has(literal)) report(`${where}: ${call.name}('${literal}') names an action the flow does not have (in ${source})`, line);
      if (call.name === "parameters" && !(literal in parameters)) report(`${where}: parameters('${literal}') names a parameter definition.parameters does not declare (in ${source})`, line);
    }
  }
  // The designer's object form of a condition: {"and": [{"equals": [a, b]}]}.
  const checkCondition = (node: JsonValue | undefined): void => {
    if (!isObject(node)) return;
    for (const [op, args] of Object.entries(node)) {
      if (op === "and" || op === "or") {
        if (Array.isArray(args)) args.forEach(checkCondition);
        continue;
      }
      if (op === "not") {
        checkCondition(args);
        continue;
      }
      const spec = lookupFunction(op);
      const count = Array.isArray(args) ? args.length : 1;
      if (spec === undefined) report(`${where}: the condition uses '${op}', which is not a known function`, line);
      else if (count < spec.minArgs || count > spec.maxArgs) report(`${where}: the condition calls '${spec.name}' with ${count} argument(s); it takes ${spec.minArgs === spec.maxArgs ? spec.minArgs : `${spec.minArgs} to ${spec.maxArgs}`}`, line);
      if (Array.isArray(args)) args.forEach(checkCondition);
    }
  };
  checkCondition(def.expression);
  if (isObject(def.inputs) && isObject(def.inputs.where)) checkCondition(def.inputs.where);
}

function callsIn(template: ReturnType<typeof parseTemplate>): Node[] {
  const roots: Node[] = template.kind === "expression" ? [template.body] : template.kind === "interpolation" ? template.parts.filter((p): p is Node => typeof p !== "string") : [];
  const out: Node[] = [];
  const walk = (n: Node): void => {
    out.push(n);
    if (n.kind === "call") n.args.forEach(walk);
    else if (n.kind === "index") {
      walk(n.target);
      walk(n.index);
    } else if (n.kind === "member") walk(n.target);
  };
  roots.forEach(walk);
  return out;
}

/** What the name checks of an operation need beyond the action itself. */
interface NameContext {
  names: DataverseNames;
  /** Every action of the flow by name, for the items an array expression takes from another action. */
  actions: ReadonlyMap<string, Json>;
  /** The line of a parameter of this action. */
  lineOf: (parameter: string) => number | undefined;
}

function checkOperation(
  def: Json, where: string, line: number | undefined, references: Json, apiOf: Map<string, string>, connectors: CustomConnector[],
  report: (message: string, line?: number) => void, context: NameContext,
): void {
  const reportNames = (problems: NameProblem[]) => {
    for (const p of problems) report(`${where}: ${p.message}`, context.lineOf(p.parameter));
  };
  const inputs = isObject(def.inputs) ? def.inputs : {};
  const host = isObject(inputs.host) ? inputs.host : {};
  const connectionName = host.connectionName;
  const operationId = host.operationId;
  if (typeof connectionName !== "string" || !(connectionName in references)) {
    report(`${where} uses connection ${JSON.stringify(connectionName ?? null)}, which properties.connectionReferences does not define`, line);
    return;
  }
  if (typeof operationId !== "string" || operationId === "") {
    report(`${where} has no inputs.host.operationId`, line);
    return;
  }
  const apiName = apiOf.get(connectionName) ?? "";
  if (typeof host.apiId === "string" && host.apiId !== `/providers/Microsoft.PowerApps/apis/${apiName}`) {
    report(`${where}: host.apiId is '${host.apiId}' but connection '${connectionName}' is API '${apiName}'`, line);
  }
  const parameters = isObject(inputs.parameters) ? inputs.parameters : {};
  const custom = connectors.find((c) => c.apiName === apiName);
  if (custom !== undefined) {
    let declared;
    try {
      declared = operationParameters(custom.swagger, findOperation(custom.swagger, operationId));
    } catch {
      report(`${where} calls ${operationId}, which the connector's apiDefinition.swagger.json does not define`, line);
      return;
    }
    for (const key of Object.keys(parameters)) {
      const [root, ...rest] = key.split("/");
      const p = declared.find((d) => d.name === root);
      if (p === undefined) {
        report(`${where}: '${key}' is not a parameter of ${operationId} (it takes ${declared.map((d) => d.name).join(", ")})`, line);
        continue;
      }
      let schema = p.schema;
      for (const segment of rest) {
        const next = schema?.properties?.[segment];
        if (next === undefined) {
          report(`${where}: '${key}' is not in the ${operationId} body (no property '${segment}'${didYouMean(segment, Object.keys(schema?.properties ?? {}))})`, context.lineOf(key));
          break;
        }
        schema = next;
      }
    }
    reportNames(graphBodyProblems(operationId, declared, parameters, context.actions));
    return;
  }
  const known = STANDARD_OPERATIONS[apiName];
  if (known !== undefined && !known.includes(operationId)) {
    report(`${where} calls ${operationId}, which is not an operation of ${apiName} the flows may use (${known.join(", ")})`, line);
    return;
  }
  if (apiName === DATAVERSE_API) reportNames(dataverseNameProblems(context.names, operationId, parameters));
}

/** Checks one flow file on disk. */
export function checkFlowFile(jsonPath: string, options: CheckOptions): FlowProblem[] {
  const file = path.relative(process.cwd(), jsonPath) || jsonPath;
  let text: string;
  try {
    text = readFileSync(jsonPath, "utf8").replace(/^\uFEFF/, "");
  } catch (e) {
    return [{ file, message: `cannot read the file: ${(e as Error).message}` }];
  }
  return checkFlowText(text, file, options);
}

/** The repository's own layout: solution/ and connector/ next to flows/. */
export function defaultCheckOptions(root = path.resolve(__dirname, "../..")): CheckOptions {
  return { solutionDir: path.join(root, "solution"), connectorDirs: [path.join(root, "connector")] };
}
