/**
 * The Microsoft Graph bodies a flow builds for our custom connector, checked against the body schema of the
 * operation in connector/apiDefinition.swagger.json: unknown properties, missing required properties, and literal
 * values where the schema fixes them (an enum, or the default of an internal property such as `@odata.type`).
 *
 * Where the flow gives the body property by property (`body/topic`), the designer and runtime fill a required
 * property that has a default, as our request builder does. Inside array items nothing is filled: Power Automate
 * documents no such thing, and Graph requires `@odata.type` on members and `contentType` on attachments, so every
 * item must carry every required property itself. Items are checked where they are literal: in the action's own
 * parameters, or in the action an array expression takes them from (`body('Select')` → the Select's `select` map,
 * `outputs('Compose')` → the Compose's literal array, `union(...)`, `if(...)`, `coalesce(...)` → each argument).
 */
import { parseTemplate, WdlError, type JsonValue, type Node } from "../expressions";
import type { ParameterObject, SchemaObject } from "../../connector/swagger";
import type { NameProblem } from "./dataverse";
import { didYouMean, isWholeExpression } from "./names";

type Json = Record<string, JsonValue>;
const isObject = (v: JsonValue | undefined): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** Items an array expression is built from, with the action that builds them. */
interface ItemSource {
  origin: string;
  items: JsonValue[];
}

/** Whether a value is only known at run time: a whole expression, or an interpolation where no string is expected. */
function dynamic(value: JsonValue, schema: SchemaObject): boolean {
  if (typeof value !== "string") return false;
  if (isWholeExpression(value)) return true;
  return value.includes("@{") && schema.type !== undefined && schema.type !== "string";
}

function itemSources(expression: string, actions: ReadonlyMap<string, Json>, seen: Set<string>): ItemSource[] {
  let template;
  try {
    template = parseTemplate(expression);
  } catch (e) {
    if (e instanceof WdlError) return [];
    throw e;
  }
  if (template.kind !== "expression") return [];
  return fromNode(template.body, actions, seen);
}

function fromNode(node: Node, actions: ReadonlyMap<string, Json>, seen: Set<string>): ItemSource[] {
  if (node.kind !== "call") return [];
  const args = node.args;
  if ((node.name === "body" || node.name === "outputs") && args.length === 1 && args[0].kind === "literal" && typeof args[0].value === "string") {
    const name = args[0].value;
    const action = actions.get(name);
    if (action === undefined || seen.has(name)) return [];
    const next = new Set(seen).add(name);
    const inputs = action.inputs;
    if (action.type === "Select" && isObject(inputs)) {
      const select = inputs.select;
      return select !== undefined && !(typeof select === "string") ? [{ origin: name, items: [select] }] : [];
    }
    if (action.type === "Compose") {
      if (Array.isArray(inputs)) return [{ origin: name, items: inputs }];
      if (typeof inputs === "string") return itemSources(inputs, actions, next);
      return [];
    }
    if (action.type === "Query" && isObject(inputs) && typeof inputs.from === "string") return itemSources(inputs.from, actions, next);
    return [];
  }
  if (node.name === "union" || node.name === "coalesce") return args.flatMap((a) => fromNode(a, actions, seen));
  if (node.name === "if") return args.slice(1).flatMap((a) => fromNode(a, actions, seen));
  return [];
}

interface Context {
  operationId: string;
  /** Where the flow builds the value, when it is another action. */
  origin?: string;
  /** True inside array items, where nothing fills defaults. */
  inItem: boolean;
  actions: ReadonlyMap<string, Json>;
  /** Paths the flow gives as flattened keys (`body/topic`) and their prefixes; check.ts reports unknown ones itself. */
  flattened: ReadonlySet<string>;
  /** `path` is where in the body, without array indexes (`body/members`). */
  report: (path: string, message: string) => void;
}

function describeRequiredValue(schema: SchemaObject): string {
  if (schema.default !== undefined) return ` (${JSON.stringify(schema.default)})`;
  if (schema.enum !== undefined && schema.enum.length > 0) return ` (one of ${schema.enum.map((v) => JSON.stringify(v)).join(", ")})`;
  return "";
}

function check(schema: SchemaObject, given: JsonValue, path: string, ctx: Context): void {
  let value = given;
  const at = (message: string) =>
    ctx.report(path.replace(/\[\d*\]/g, ""), `${ctx.operationId} ${path}${ctx.origin === undefined ? "" : ` (built by action '${ctx.origin}')`}: ${message}`);
  if (dynamic(value, schema)) {
    if (schema.type === "array" && schema.items !== undefined && typeof value === "string") {
      for (const source of itemSources(value, ctx.actions, new Set())) {
        source.items.forEach((item, i) => check(schema.items!, item, source.items.length > 1 ? `${path}[${i}]` : `${path}[]`, { ...ctx, origin: source.origin, inItem: true }));
      }
    }
    return;
  }
  const literalScalar = typeof value === "string" || typeof value === "number" || typeof value === "boolean";
  if (literalScalar && !(typeof value === "string" && value.includes("@{"))) {
    // A literal that begins with @ is written @@ (the runtime removes one).
    if (typeof value === "string" && value.startsWith("@@")) value = value.slice(1);
    if (schema["x-ms-visibility"] === "internal" && schema.default !== undefined && value !== schema.default) {
      at(`is ${JSON.stringify(value)}, but the schema fixes it to ${JSON.stringify(schema.default)}`);
    } else if (schema.enum !== undefined && !schema.enum.includes(value)) {
      at(`is ${JSON.stringify(value)}, which is not one of ${schema.enum.map((v) => JSON.stringify(v)).join(", ")}`);
    }
    return;
  }
  if (Array.isArray(value)) {
    if (schema.type === "array" && schema.items !== undefined) {
      value.forEach((item, i) => check(schema.items!, item, `${path}[${i}]`, { ...ctx, inItem: true }));
    }
    return;
  }
  if (!isObject(value) || schema.type !== "object" || schema.properties === undefined) return;
  const properties = schema.properties;
  // Property names are templates too: `@@odata.type` is sent as `@odata.type`.
  value = Object.fromEntries(Object.entries(value).map(([k, v]) => [k.startsWith("@@") ? k.slice(1) : k, v]));
  for (const [key, child] of Object.entries(value)) {
    const childSchema = properties[key];
    if (childSchema === undefined) {
      if (ctx.flattened.has(`${path}/${key}`)) continue;
      if (schema.additionalProperties === true || key.includes("@{") || (key.startsWith("@") && !key.startsWith("@odata."))) continue;
      at(`'${key}' is not a property of the schema${didYouMean(key, Object.keys(properties))} (it has ${Object.keys(properties).join(", ")})`);
      continue;
    }
    check(childSchema, child, `${path}/${key}`, ctx);
  }
  for (const name of schema.required ?? []) {
    if (name in value) continue;
    const childSchema = properties[name] ?? {};
    // Given property by property, a required property with a default is filled by the designer and the runtime.
    if (!ctx.inItem && childSchema.default !== undefined) continue;
    at(`lacks '${name}'${describeRequiredValue(childSchema)}, which the schema requires${ctx.inItem && childSchema.default !== undefined ? "; nothing fills defaults inside array items, so each item must carry it" : ""}`);
  }
}

/** Assembles the body from `body` and `body/a/b` parameters; undefined when the flow gives none. */
function assembleBody(name: string, parameters: Json): { value: JsonValue; keys: string[] } | undefined {
  let value: JsonValue | undefined = parameters[name];
  const keys: string[] = value === undefined ? [] : [name];
  for (const [key, v] of Object.entries(parameters)) {
    if (!key.startsWith(`${name}/`)) continue;
    keys.push(key);
    if (value === undefined) value = {};
    if (!isObject(value)) return undefined;
    let node: Json = value;
    const parts = key.slice(name.length + 1).split("/");
    for (const part of parts.slice(0, -1)) {
      const next = node[part];
      if (next === undefined) node[part] = {};
      else if (!isObject(next)) return undefined;
      node = node[part] as Json;
    }
    node[parts[parts.length - 1]] = v;
  }
  return value === undefined ? undefined : { value, keys };
}

/** Problems in the body one custom-connector action sends; `parameters` are the action's inputs.parameters. */
export function graphBodyProblems(operationId: string, declared: readonly ParameterObject[], parameters: Json, actions: ReadonlyMap<string, Json>): NameProblem[] {
  const problems: NameProblem[] = [];
  const body = declared.find((p) => p.in === "body");
  if (body?.schema === undefined) return problems;
  const assembled = assembleBody(body.name, structuredClone(parameters));
  if (assembled === undefined) {
    if (body.required) problems.push({ parameter: body.name, message: `${operationId} needs a body, and the action gives none` });
    return problems;
  }
  // Report each problem at the parameter it comes from: the longest key that is a prefix of its path.
  const keyFor = (path: string) => assembled.keys.filter((k) => path === k || path.startsWith(`${k}/`)).sort((a, b) => b.length - a.length)[0] ?? body.name;
  check(body.schema, assembled.value, body.name, {
    operationId,
    inItem: false,
    actions,
    flattened: new Set(assembled.keys.flatMap((k) => k.split("/").map((_, i, parts) => parts.slice(0, i + 1).join("/")))),
    report: (path, message) => problems.push({ parameter: keyFor(path), message }),
  });
  return problems;
}
