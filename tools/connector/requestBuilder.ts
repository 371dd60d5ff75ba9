/**
 * Turns an operation of a connector swagger plus the parameter values a flow action carries into the
 * HTTP request the Power Platform runtime sends:
 *  - path parameters are URL-encoded per x-ms-url-encoding (single: once, double: twice; the runtime
 *    encodes once when it is absent);
 *  - query parameters are encoded once; header parameters are sent as given;
 *  - the body is assembled from the body parameter's schema, accepting values nested (`body: {...}`)
 *    or flattened with slashes as exported flows write them (`body/topic/value`);
 *  - internal parameters and properties always carry their default; a missing required parameter
 *    with a default gets the default (the designer pre-fills it); other missing optional values are left out;
 *  - a value the flow gives as one expression (`"body/members": "@body('Members')"`, known from
 *    `authored`) is sent as the expression produced it: nothing inside it gets an internal value or a
 *    default and a missing required member is not reported here, because nothing documents that the
 *    runtime fills them in; the service (Graph, or the stand-in) judges it. Only values written out in
 *    the definition, as the designer writes them, get the internal values filled in;
 *  - values are checked against the declared type and enum, and unknown parameters are rejected.
 */
import { findOperation, operationParameters, type HttpMethod, type ParameterObject, type SchemaFacets, type SchemaObject, type SwaggerDocument } from "./swagger";

export interface BuiltRequest {
  operationId: string;
  method: Uppercase<HttpMethod>;
  /** Absolute URL including basePath, path and query string. */
  url: string;
  headers: Record<string, string>;
  /** The JSON body, or undefined when the operation sends none. */
  body?: unknown;
}

export interface BuildOptions {
  /** Replaces scheme://host (e.g. the loopback Graph stand-in); basePath is kept. */
  baseUrl?: string;
  /**
   * The parameters as the flow definition writes them, before evaluation (nested or slash-flattened like
   * `params`). Where one of them is a whole expression (`@…`), the value it produced is sent as it is.
   * Without it every value is taken as written out in the definition.
   */
  authored?: Params;
}

/** True for a string that Workflow Definition Language evaluates as one expression to any type ("@f(x)", not "@{…}" or "@@"). */
export function isWholeExpression(authored: unknown): boolean {
  return typeof authored === "string" && authored.startsWith("@") && !authored.startsWith("@@") && !authored.startsWith("@{");
}

const child = (authored: unknown, key: string | number): unknown =>
  authored !== null && typeof authored === "object" ? (authored as Record<string, unknown>)[key as string] : undefined;

export class RequestBuildError extends Error {
  constructor(operationId: string, where: string, message: string) {
    super(`${operationId}: ${where}: ${message}`);
    this.name = "RequestBuildError";
  }
}

type Params = Record<string, unknown>;

/** Expands `a/b/c` keys into nested objects; a nested value and flattened keys may be mixed. */
export function unflattenParameters(params: Params): Params {
  const out: Params = {};
  for (const [key, value] of Object.entries(params)) {
    const parts = key.split("/");
    let node = out;
    for (let i = 0; i < parts.length - 1; i++) {
      const existing = node[parts[i]];
      if (existing === undefined) node[parts[i]] = {};
      else if (existing === null || typeof existing !== "object" || Array.isArray(existing)) {
        throw new Error(`parameter '${key}' conflicts with a value already given for '${parts.slice(0, i + 1).join("/")}'`);
      }
      node = node[parts[i]] as Params;
    }
    const leaf = parts[parts.length - 1];
    const prior = node[leaf];
    if (prior !== undefined && typeof prior === "object" && prior !== null && typeof value === "object" && value !== null && !Array.isArray(value)) {
      node[leaf] = { ...(prior as Params), ...(value as Params) };
    } else {
      node[leaf] = value;
    }
  }
  return out;
}

function typeError(schema: SchemaFacets, value: unknown): string | undefined {
  const t = schema.type;
  if (!t) return undefined;
  const ok =
    (t === "string" && typeof value === "string") ||
    (t === "integer" && typeof value === "number" && Number.isInteger(value)) ||
    (t === "number" && typeof value === "number") ||
    (t === "boolean" && typeof value === "boolean") ||
    (t === "array" && Array.isArray(value)) ||
    (t === "object" && typeof value === "object" && value !== null && !Array.isArray(value));
  if (!ok) return `expected ${t}, got ${Array.isArray(value) ? "array" : value === null ? "null" : typeof value}`;
  if (schema.enum && !schema.enum.includes(value)) return `${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`;
  if (typeof value === "number" && schema.minimum !== undefined && value < schema.minimum) return `${value} is below the minimum ${schema.minimum}`;
  if (typeof value === "number" && schema.maximum !== undefined && value > schema.maximum) return `${value} is above the maximum ${schema.maximum}`;
  return undefined;
}

/**
 * Builds a value for `schema` from what the caller gave, applying internal values and defaults.
 * `authored` is the same place in the flow definition; `asProduced` is set inside a value that an expression produced.
 */
function buildValue(opId: string, schema: SchemaObject, given: unknown, where: string, authored: unknown, asProduced = false): unknown {
  const produced = asProduced || isWholeExpression(authored);
  if (schema["x-ms-visibility"] === "internal") {
    if (given !== undefined && JSON.stringify(given) !== JSON.stringify(schema.default)) {
      throw new RequestBuildError(opId, where, "is internal; the runtime always sends its default and a flow cannot set it");
    }
    return produced ? given : schema.default;
  }
  if (given === undefined) return undefined;
  const problem = typeError(schema, given);
  if (problem) throw new RequestBuildError(opId, where, problem);
  if (schema.type === "array" && schema.items) {
    return (given as unknown[]).map((item, i) => buildValue(opId, schema.items!, item, `${where}[${i}]`, child(authored, i), produced));
  }
  if (schema.type === "object" && schema.properties) {
    const input = given as Params;
    const props = schema.properties;
    for (const key of Object.keys(input)) {
      if (!(key in props)) throw new RequestBuildError(opId, `${where}/${key}`, `is not a property of this operation (known: ${Object.keys(props).join(", ")})`);
    }
    const out: Params = {};
    for (const [name, prop] of Object.entries(props)) {
      const childWhere = `${where}/${name}`;
      let value = buildValue(opId, prop, input[name], childWhere, child(authored, name), produced);
      const required = (schema.required ?? []).includes(name);
      if (!produced) {
        if (value === undefined && required && prop.default !== undefined) value = prop.default;
        if (value === undefined && required) throw new RequestBuildError(opId, childWhere, "is required");
      }
      if (value !== undefined) out[name] = value;
    }
    return out;
  }
  return given;
}

function encodePath(value: string, encoding: ParameterObject["x-ms-url-encoding"]): string {
  const once = encodeURIComponent(value);
  return encoding === "double" ? encodeURIComponent(once) : once;
}

function scalarToString(opId: string, p: ParameterObject, value: unknown): string {
  const problem = typeError(p, value);
  if (problem) throw new RequestBuildError(opId, `parameter '${p.name}' (${p.in})`, problem);
  if (Array.isArray(value)) return value.map(String).join(",");
  return String(value);
}

export function buildRequest(swagger: SwaggerDocument, operationId: string, params: Params = {}, options: BuildOptions = {}): BuiltRequest {
  const ref = findOperation(swagger, operationId);
  const declared = operationParameters(swagger, ref);
  const input = unflattenParameters(params);
  const authored = options.authored === undefined ? undefined : unflattenParameters(options.authored);
  for (const key of Object.keys(input)) {
    if (!declared.some((p) => p.name === key)) {
      throw new RequestBuildError(operationId, `parameter '${key}'`, `is not a parameter of this operation (known: ${declared.map((p) => p.name).join(", ") || "none"})`);
    }
  }

  let pathname = ref.path;
  const query: string[] = [];
  const headers: Record<string, string> = {};
  let body: unknown;
  for (const p of declared) {
    const where = `parameter '${p.name}' (${p.in})`;
    if (p.in === "body") {
      const schema = p.schema ?? {};
      const value = buildValue(operationId, schema, input[p.name], p.name, child(authored, p.name));
      if (value === undefined && p.required) {
        // A required object body with nothing given is still built, so that its required members are reported or defaulted.
        body = buildValue(operationId, schema, {}, p.name, undefined);
      } else {
        body = value;
      }
      continue;
    }
    let value = input[p.name];
    if (p["x-ms-visibility"] === "internal") {
      if (value !== undefined && value !== p.default) throw new RequestBuildError(operationId, where, "is internal; the runtime always sends its default and a flow cannot set it");
      value = p.default;
    }
    if (value === undefined && p.required && p.default !== undefined) value = p.default;
    if (value === undefined || value === "") {
      if (p.required) throw new RequestBuildError(operationId, where, "is required");
      continue;
    }
    const text = scalarToString(operationId, p, value);
    if (p.in === "path") pathname = pathname.split(`{${p.name}}`).join(encodePath(text, p["x-ms-url-encoding"]));
    else if (p.in === "query") query.push(`${encodeURIComponent(p.name)}=${encodeURIComponent(text)}`);
    else if (p.in === "header") headers[p.name] = text;
    else throw new RequestBuildError(operationId, where, `location '${p.in}' is not supported by this builder`);
  }
  if (body !== undefined) headers["Content-Type"] = "application/json";

  const scheme = swagger.schemes?.[0] ?? "https";
  const origin = (options.baseUrl ?? `${scheme}://${swagger.host}`).replace(/\/+$/, "");
  const basePath = (swagger.basePath ?? "/").replace(/\/+$/, "");
  const url = `${origin}${basePath}${pathname}${query.length ? `?${query.join("&")}` : ""}`;
  return { operationId, method: ref.method.toUpperCase() as Uppercase<HttpMethod>, url, headers, body };
}

export interface SentResponse {
  status: number;
  headers: Record<string, string>;
  /** Parsed JSON when the response has a JSON body, otherwise undefined. */
  body: unknown;
}

/** Sends a built request with fetch, as the runtime would, adding the bearer token. */
export async function sendRequest(request: BuiltRequest, accessToken: string): Promise<SentResponse> {
  const response = await fetch(request.url, {
    method: request.method,
    headers: { ...request.headers, Authorization: `Bearer ${accessToken}` },
    body: request.body === undefined ? undefined : JSON.stringify(request.body),
  });
  const text = await response.text();
  const headers: Record<string, string> = {};
  response.headers.forEach((value, key) => {
    headers[key] = value;
  });
  let body: unknown;
  if (text && (response.headers.get("content-type") ?? "").includes("json")) body = JSON.parse(text);
  return { status: response.status, headers, body };
}
