/** The slice of Swagger 2.0 plus Power Platform x-ms-* extensions that our tools read. */

/** What schemas and non-body parameters share; they differ in 'required' (array vs boolean). */
export interface SchemaFacets {
  type?: string;
  format?: string;
  description?: string;
  title?: string;
  default?: unknown;
  enum?: unknown[];
  properties?: Record<string, SchemaObject>;
  items?: SchemaObject;
  additionalProperties?: boolean | SchemaObject;
  minimum?: number;
  maximum?: number;
  $ref?: string;
  "x-ms-summary"?: string;
  "x-ms-visibility"?: "important" | "advanced" | "internal";
  "x-ms-dynamic-values"?: DynamicValues;
  "x-ms-dynamic-schema"?: unknown;
  [extension: `x-${string}`]: unknown;
}

export interface SchemaObject extends SchemaFacets {
  required?: string[];
}

export interface DynamicValues {
  operationId?: string;
  parameters?: Record<string, { parameter?: string; value?: unknown }>;
  "value-collection"?: string;
  "value-path"?: string;
  "value-title"?: string;
}

export interface ParameterObject extends SchemaFacets {
  name: string;
  in: "path" | "query" | "header" | "body" | "formData";
  required?: boolean;
  schema?: SchemaObject;
  "x-ms-url-encoding"?: "single" | "double";
}

export interface ResponseObject {
  description?: string;
  schema?: SchemaObject;
  headers?: Record<string, SchemaObject>;
}

export interface OperationObject {
  operationId?: string;
  summary?: string;
  description?: string;
  parameters?: ParameterObject[];
  responses?: Record<string, ResponseObject>;
  security?: Record<string, string[]>[];
  consumes?: string[];
  produces?: string[];
  deprecated?: boolean;
  "x-ms-visibility"?: string;
  "x-ms-pageable"?: { nextLinkName?: string };
  [extension: `x-${string}`]: unknown;
}

export const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export type PathItem = Partial<Record<HttpMethod, OperationObject>> & { parameters?: ParameterObject[] };

export interface SwaggerDocument {
  swagger?: string;
  info?: { title?: string; description?: string; version?: string; contact?: { name?: string; url?: string; email?: string } };
  host?: string;
  basePath?: string;
  schemes?: string[];
  consumes?: string[];
  produces?: string[];
  paths?: Record<string, PathItem>;
  definitions?: Record<string, SchemaObject>;
  parameters?: Record<string, ParameterObject>;
  securityDefinitions?: Record<string, { type?: string; flow?: string; authorizationUrl?: string; tokenUrl?: string; scopes?: Record<string, string> }>;
  security?: Record<string, string[]>[];
  "x-ms-connector-metadata"?: { propertyName?: string; propertyValue?: string }[];
}

export interface OperationRef {
  path: string;
  method: HttpMethod;
  operation: OperationObject;
  /** JSON path of the operation in the swagger, for messages. */
  jsonPath: string;
}

export function listOperations(swagger: SwaggerDocument): OperationRef[] {
  const out: OperationRef[] = [];
  for (const [path, item] of Object.entries(swagger.paths ?? {})) {
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (operation) out.push({ path, method, operation, jsonPath: `$.paths[${JSON.stringify(path)}].${method}` });
    }
  }
  return out;
}

export function findOperation(swagger: SwaggerDocument, operationId: string): OperationRef {
  const found = listOperations(swagger).find((o) => o.operation.operationId === operationId);
  if (!found) {
    const known = listOperations(swagger).map((o) => o.operation.operationId).join(", ");
    throw new Error(`operation '${operationId}' is not in the swagger (known: ${known})`);
  }
  return found;
}

/** Path-level parameters merged with operation parameters, operation winning on name+location. */
export function operationParameters(swagger: SwaggerDocument, ref: OperationRef): ParameterObject[] {
  const resolve = (p: ParameterObject): ParameterObject => {
    const r = (p as { $ref?: string }).$ref;
    if (!r) return p;
    const name = r.replace(/^#\/parameters\//, "");
    const target = swagger.parameters?.[name];
    if (!target) throw new Error(`parameter reference '${r}' in ${ref.jsonPath} does not exist`);
    return target;
  };
  const pathLevel = (swagger.paths?.[ref.path]?.parameters ?? []).map(resolve);
  const own = (ref.operation.parameters ?? []).map(resolve);
  const merged = pathLevel.filter((p) => !own.some((o) => o.name === p.name && o.in === p.in));
  return [...merged, ...own];
}

/** Operation scopes from the operation-level OAuth requirement, falling back to the document level. */
export function operationScopes(swagger: SwaggerDocument, operation: OperationObject): string[] {
  const requirements = operation.security ?? swagger.security ?? [];
  return [...new Set(requirements.flatMap((r) => Object.values(r).flat()))];
}
