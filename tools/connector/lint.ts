/**
 * Certification lint for a custom connector folder (apiDefinition.swagger.json, apiProperties.json,
 * settings.json, icon.png). Two layers:
 *  - our own rules, written from Microsoft's certification pages (Swagger Validator codes are reused
 *    as rule ids where one exists; rules of our own have descriptive ids). They need nothing outside
 *    the repository.
 *  - optionally, validation against Microsoft's published JSON schemas when a schema folder is given.
 */
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { decodePng, parseHexColour } from "./png";
import { DRAFT04_META_SUBSET, DRAFT04_URI, jsonPathChild, SchemaValidator, stripJsonComments, type Json, type Schema } from "./jsonSchema";
import { listOperations, operationParameters, operationScopes, type OperationRef, type ParameterObject, type SchemaObject, type SwaggerDocument } from "./swagger";

export interface LintProblem {
  file: string;
  /** JSON path inside the file ($ for the whole file). */
  path: string;
  rule: string;
  message: string;
}

export interface ApiProperties {
  properties?: {
    connectionParameters?: Record<string, {
      type?: string;
      oAuthSettings?: {
        identityProvider?: string;
        clientId?: string;
        scopes?: string[];
        redirectMode?: string;
        redirectUrl?: string;
        properties?: Record<string, unknown>;
        customParameters?: Record<string, unknown>;
        [key: string]: unknown;
      };
      [key: string]: unknown;
    }>;
    iconBrandColor?: string;
    capabilities?: string[];
    policyTemplateInstances?: { templateId?: string; title?: string; parameters?: Record<string, unknown> }[];
    publisher?: string;
    stackOwner?: string;
    [key: string]: unknown;
  };
}

export interface ConnectorFiles {
  swagger: SwaggerDocument;
  swaggerBytes: number;
  apiProperties: ApiProperties;
  settings: Record<string, unknown>;
  icon?: Uint8Array;
}

export const FILES = {
  swagger: "apiDefinition.swagger.json",
  apiProperties: "apiProperties.json",
  settings: "settings.json",
  icon: "icon.png",
} as const;

/** Categories the certification portal offers (x-ms-connector-metadata "Categories"). */
export const CONNECTOR_CATEGORIES = [
  "AI", "Business Management", "Business Intelligence", "Collaboration", "Commerce", "Communication",
  "Content and Files", "Data", "Finance", "Human Resources", "Internet of Things", "IT Operations",
  "Lifestyle and Entertainment", "Marketing", "Productivity", "Sales and CRM", "Security", "Social Media", "Website",
];

/** Words a title or description may not contain: "API", "Connector" and Power Platform product names. */
export const RESTRICTED_TITLE_WORDS = ["API", "Connector", "Power Apps", "PowerApps", "Power Automate", "Flow", "Power BI", "Power Pages", "Power Platform", "Power Virtual Agents", "Copilot Studio", "Logic Apps"];
export const RESTRICTED_DESCRIPTION_WORDS = ["API", "Power Apps", "PowerApps", "Power Automate", "Power BI", "Power Pages", "Power Platform", "Power Virtual Agents", "Copilot Studio", "Logic Apps"];

const FORBIDDEN_BRAND_COLOURS = ["#ffffff", "#007ee5"];
const REDIRECT_URL = "https://global.consent.azure-apim.net/redirect";
const MAX_SWAGGER_BYTES = 1024 * 1024;
const MAX_SUMMARY = 80;
const SMALL_WORDS = new Set(["a", "an", "the", "and", "or", "of", "in", "on", "to", "for", "by", "with", "at", "from", "as"]);
const SETTINGS_KEYS = ["$schema", "connectorId", "environment", "apiProperties", "apiDefinition", "icon", "powerAppsUrl", "powerAppsApiVersion", "flowUrl", "flowApiVersion"];

/** Every rule the lint can report, with what it enforces. Tests hold one failing case per entry. */
export const RULES: Record<string, string> = {
  SpecificationVersionIncorrect: "The 'swagger' property must be \"2.0\".",
  HostNameNotValid: "host must be a bare host name.",
  BasePathNotValid: "basePath must start with '/'.",
  SchemesArrayEmpty: "schemes must list at least one scheme.",
  SwaggerTooLarge: "The swagger must be at most 1 MB.",
  FieldLengthExceeded: "Title at most 30 characters; summaries at most 80.",
  FieldLengthNotInRange: "Connector description between 30 and 500 characters.",
  ValueContainsRestrictedWords: "Title and description avoid 'API', 'Connector' and product names.",
  ValueMustEndWithAlphanumeric: "Titles and summaries end with a letter or digit.",
  RequiredPropertyMissing: "A property certification requires is missing or empty.",
  ContactEmailNotValid: "info.contact.email must be an email address.",
  UrlNotValid: "URLs in contact and metadata must be absolute https URLs.",
  ConnectorMetadataPropertiesMissing: "x-ms-connector-metadata has Website, Privacy policy and Categories.",
  InvalidConnectorCategory: "Categories come from the portal's fixed list.",
  TooManyConnectorCategories: "At most two categories.",
  OperationIdRequired: "Every operation has an operationId.",
  OperationIdNotUnique: "operationIds are unique.",
  OperationIdSanitized: "operationIds contain only letters and digits.",
  OperationIdNotPascalCase: "operationIds are PascalCase like GetContacts.",
  RestrictedCharactersInSummary: "Summaries contain only letters, digits, spaces and parentheses.",
  SummaryNotSentenceCase: "Operation summaries are in sentence case.",
  SummaryNotTitleCase: "Parameter and response x-ms-summary values are in title case.",
  DescriptionMustEndWithPunctuation: "Operation and parameter descriptions are sentences; response property descriptions end with a period.",
  SummaryEqualsDescription: "Summary and description differ.",
  OperationVisibilityMissing: "Every operation states x-ms-visibility.",
  OperationShouldHaveSuccessfulResponse: "Every operation has a 2xx response.",
  DefaultResponseHasSchema: "The default response has no schema.",
  OperationHasManyResponsesWithSchema: "At most one response has a schema.",
  SchemaDefinitionSetIncorrectly: "A 200 or 201 response defines the exact output schema.",
  EmptyResponseSchema: "Response schemas are not empty.",
  BodyOrFormDataParameterInFetchOperationNotAllowed: "GET operations have no body.",
  InvalidNextLinkNameValue: "x-ms-pageable nextLinkName is nextLink or @odata.nextLink.",
  PageableOperationMissingNextLinkPolicy: "Pageable operations are listed in the updatenextlink policy.",
  ConnectionIdParameterNotAllowed: "No parameter is named connectionId.",
  PathParameterMustBeRequired: "Path parameters are required.",
  PathParameterMissingEncoding: "Path parameters set x-ms-url-encoding.",
  OperationMissingPathParameter: "Every {variable} in the path has a parameter.",
  PathParameterNotDefinedInTemplate: "Every path parameter appears in the path.",
  QueryParameterEncodingNotSupported: "Query parameters do not set x-ms-url-encoding.",
  ParameterSummaryMissing: "Visible parameters and body properties have x-ms-summary.",
  ParameterDescriptionMissing: "Parameters and body properties have a description.",
  PropertyMustBeRequired: "Internal parameters and properties with a default are required.",
  InternalParameterWithoutDefault: "Internal parameters and properties have a default the runtime can send.",
  RequiredPropertyDefinitionMissing: "Names in 'required' are defined in 'properties'.",
  RequiredPropertyArrayEmpty: "'required' is not an empty array.",
  ArrayHasNoItems: "Array schemas define items.",
  DefaultValueMustMatchType: "Defaults have the declared type and are in the enum.",
  ResponsePropertySummaryMissing: "Visible response properties have x-ms-summary and a description.",
  OperationIdNotFound: "x-ms-dynamic-values refers to an operation that exists.",
  InvokedOperationShouldProduceArray: "x-ms-dynamic-values value-collection is an array in that operation's response.",
  OperationParameterNameNotFound: "x-ms-dynamic-values parameters exist on both operations.",
  SecurityRequirementMustBeDefined: "Security requirements name a defined security scheme.",
  OAuthSecurityRequirementValueMustBeScopeName: "Scopes in requirements are defined in the scheme.",
  OperationScopeMissing: "Every operation states the OAuth scope it needs.",
  ScopesMatchOperations: "apiProperties scopes are exactly the union of the operations' scopes.",
  ResourceSpecificConsentScope: "No resource-specific consent (*.Group) scope is requested as an AAD scope.",
  IconBrandColorInvalid: "iconBrandColor is #rrggbb and not #ffffff or #007ee5.",
  RedirectUrlInvalid: "OAuth uses the global consent redirect URL.",
  SecretCommitted: "No client secret or password is committed.",
  IconInvalid: "icon.png is a square, opaque PNG on the brand colour.",
  SettingsInvalid: "settings.json has paconn's keys and names files that exist.",
  SchemaViolation: "The file passes Microsoft's published JSON schema for it.",
  FileUnreadable: "The file exists and is valid JSON.",
};

const isVisible = (s: { "x-ms-visibility"?: string }) => s["x-ms-visibility"] !== "internal";
const endsAlphanumeric = (s: string) => /[A-Za-z0-9]$/.test(s);
const isHttpsUrl = (s: string) => {
  try {
    return new URL(s).protocol === "https:";
  } catch {
    return false;
  }
};
const containsWord = (text: string, word: string) => new RegExp(`(^|[^A-Za-z])${word.replace(/ /g, "\\s+")}([^A-Za-z]|$)`, "i").test(text);

export function isTitleCase(text: string): boolean {
  return text.split(/\s+/).every((word, i) => {
    const first = word.replace(/^\(/, "")[0] ?? "";
    if (!/[a-z]/i.test(first)) return true;
    if (i > 0 && SMALL_WORDS.has(word.toLowerCase())) return word === word.toLowerCase();
    return first === first.toUpperCase();
  });
}

export function isSentenceCase(text: string): boolean {
  const words = text.split(/\s+/);
  if (!/^[A-Z0-9]/.test(words[0] ?? "")) return false;
  // Proper nouns stay capitalised, so only a summary whose every later long word is capitalised fails.
  const later = words.slice(1).filter((w) => w.length > 3 && /^[A-Za-z]/.test(w));
  return later.length < 2 || later.some((w) => /^[a-z]/.test(w));
}

interface Ctx {
  files: ConnectorFiles;
  problems: LintProblem[];
}

function report(ctx: Ctx, file: string, jsonPath: string, rule: string, message: string): void {
  if (!(rule in RULES)) throw new Error(`lint bug: rule '${rule}' is not registered`);
  ctx.problems.push({ file, path: jsonPath, rule, message });
}

function checkSummaryText(ctx: Ctx, jsonPath: string, summary: string, kind: "operation" | "title-case"): void {
  const S = FILES.swagger;
  if (summary.length > MAX_SUMMARY) report(ctx, S, jsonPath, "FieldLengthExceeded", `summary has ${summary.length} characters, at most ${MAX_SUMMARY} allowed`);
  if (/[^A-Za-z0-9 ()]/.test(summary)) report(ctx, S, jsonPath, "RestrictedCharactersInSummary", `summary '${summary}' has characters other than letters, digits, spaces and parentheses`);
  if (!endsAlphanumeric(summary)) report(ctx, S, jsonPath, "ValueMustEndWithAlphanumeric", `summary '${summary}' must end with a letter or digit`);
  if (kind === "operation" && !isSentenceCase(summary)) report(ctx, S, jsonPath, "SummaryNotSentenceCase", `operation summary '${summary}' should be in sentence case`);
  if (kind === "title-case" && !isTitleCase(summary)) report(ctx, S, jsonPath, "SummaryNotTitleCase", `x-ms-summary '${summary}' should be in title case`);
}

function checkDocument(ctx: Ctx): void {
  const S = FILES.swagger;
  const sw = ctx.files.swagger;
  if (sw.swagger !== "2.0") report(ctx, S, "$.swagger", "SpecificationVersionIncorrect", `swagger is ${JSON.stringify(sw.swagger)}, must be "2.0"`);
  if (!sw.host || /[/:]/.test(sw.host) || !/^[A-Za-z0-9.-]+$/.test(sw.host)) report(ctx, S, "$.host", "HostNameNotValid", `host ${JSON.stringify(sw.host)} must be a host name without scheme or path`);
  if (sw.basePath !== undefined && !sw.basePath.startsWith("/")) report(ctx, S, "$.basePath", "BasePathNotValid", `basePath '${sw.basePath}' must start with '/'`);
  if (!sw.schemes || sw.schemes.length === 0) report(ctx, S, "$.schemes", "SchemesArrayEmpty", "schemes must list at least one scheme (https)");
  if (ctx.files.swaggerBytes > MAX_SWAGGER_BYTES) report(ctx, S, "$", "SwaggerTooLarge", `the swagger is ${ctx.files.swaggerBytes} bytes, at most ${MAX_SWAGGER_BYTES}`);

  const title = sw.info?.title ?? "";
  if (!title) report(ctx, S, "$.info.title", "RequiredPropertyMissing", "info.title is required");
  if (title.length > 30) report(ctx, S, "$.info.title", "FieldLengthExceeded", `title has ${title.length} characters, at most 30 allowed`);
  for (const word of RESTRICTED_TITLE_WORDS) if (containsWord(title, word)) report(ctx, S, "$.info.title", "ValueContainsRestrictedWords", `title '${title}' contains the restricted word '${word}'`);
  if (title && !endsAlphanumeric(title)) report(ctx, S, "$.info.title", "ValueMustEndWithAlphanumeric", `title '${title}' must end with a letter or digit`);

  const description = sw.info?.description ?? "";
  if (description.length < 30 || description.length > 500) report(ctx, S, "$.info.description", "FieldLengthNotInRange", `description has ${description.length} characters, must be 30 to 500`);
  for (const word of RESTRICTED_DESCRIPTION_WORDS) if (containsWord(description, word)) report(ctx, S, "$.info.description", "ValueContainsRestrictedWords", `description contains the restricted word '${word}'`);

  const contact = sw.info?.contact;
  for (const key of ["name", "url", "email"] as const) if (!contact?.[key]) report(ctx, S, `$.info.contact.${key}`, "RequiredPropertyMissing", `info.contact.${key} is required`);
  if (contact?.email && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(contact.email)) report(ctx, S, "$.info.contact.email", "ContactEmailNotValid", `'${contact.email}' is not an email address`);
  if (contact?.url && !isHttpsUrl(contact.url)) report(ctx, S, "$.info.contact.url", "UrlNotValid", `'${contact.url}' is not an absolute https URL`);

  const metadata = sw["x-ms-connector-metadata"] ?? [];
  for (const name of ["Website", "Privacy policy", "Categories"]) {
    const entry = metadata.find((m) => m.propertyName === name);
    if (!entry?.propertyValue) report(ctx, S, "$[\"x-ms-connector-metadata\"]", "ConnectorMetadataPropertiesMissing", `connector metadata '${name}' is required`);
  }
  metadata.forEach((m, i) => {
    const at = `$["x-ms-connector-metadata"][${i}].propertyValue`;
    if ((m.propertyName === "Website" || m.propertyName === "Privacy policy") && m.propertyValue && !isHttpsUrl(m.propertyValue)) report(ctx, S, at, "UrlNotValid", `${m.propertyName} '${m.propertyValue}' is not an absolute https URL`);
    if (m.propertyName === "Categories" && m.propertyValue) {
      const categories = m.propertyValue.split(";").map((c) => c.trim());
      if (categories.length > 2) report(ctx, S, at, "TooManyConnectorCategories", `${categories.length} categories given, at most 2 allowed`);
      for (const c of categories) if (!CONNECTOR_CATEGORIES.includes(c)) report(ctx, S, at, "InvalidConnectorCategory", `category '${c}' is not one of: ${CONNECTOR_CATEGORIES.join(", ")}`);
    }
  });
}

function walkInputSchema(ctx: Ctx, schema: SchemaObject, jsonPath: string, isRequired: boolean, parentInternal: boolean): void {
  const S = FILES.swagger;
  checkSchemaStructure(ctx, schema, jsonPath);
  const internal = parentInternal || schema["x-ms-visibility"] === "internal";
  if (schema["x-ms-visibility"] === "internal") {
    if (schema.default === undefined) report(ctx, S, jsonPath, "InternalParameterWithoutDefault", "internal property has no default, so nothing can fill it");
    else if (!isRequired) report(ctx, S, jsonPath, "PropertyMustBeRequired", "internal property with a default must be required, or the runtime leaves it out");
  }
  for (const [name, child] of Object.entries(schema.properties ?? {})) {
    const childPath = jsonPathChild(`${jsonPath}.properties`, name);
    if (!internal && isVisible(child)) {
      const summary = child["x-ms-summary"];
      if (!summary) report(ctx, S, childPath, "ParameterSummaryMissing", `body property '${name}' is visible but has no x-ms-summary`);
      else checkSummaryText(ctx, `${childPath}["x-ms-summary"]`, summary, "title-case");
      checkDescription(ctx, childPath, child.description, summary, "sentence");
    }
    walkInputSchema(ctx, child, childPath, (schema.required ?? []).includes(name), internal);
  }
  if (schema.items) walkInputSchema(ctx, schema.items, `${jsonPath}.items`, true, internal);
}

function checkSchemaStructure(ctx: Ctx, schema: SchemaObject | ParameterObject, jsonPath: string): void {
  const S = FILES.swagger;
  // Non-body parameters use a boolean 'required'; only schema objects have the array form.
  if (Array.isArray(schema.required)) {
    if (schema.required.length === 0) report(ctx, S, `${jsonPath}.required`, "RequiredPropertyArrayEmpty", "'required' is empty; remove it");
    for (const name of schema.required) if (!schema.properties?.[name]) report(ctx, S, `${jsonPath}.required`, "RequiredPropertyDefinitionMissing", `required property '${name}' is not defined in properties`);
  }
  if (schema.type === "array" && !schema.items) report(ctx, S, jsonPath, "ArrayHasNoItems", "array schema has no items");
  if (schema.default !== undefined) {
    const expected = schema.type;
    const actual = Array.isArray(schema.default) ? "array" : typeof schema.default;
    const matches = !expected || actual === expected || (actual === "number" && (expected === "integer" || expected === "number"));
    if (!matches) report(ctx, S, `${jsonPath}.default`, "DefaultValueMustMatchType", `default is ${actual}, the type is ${expected}`);
    if (schema.enum && !schema.enum.includes(schema.default)) report(ctx, S, `${jsonPath}.default`, "DefaultValueMustMatchType", `default ${JSON.stringify(schema.default)} is not in the enum`);
  }
}

function checkDescription(ctx: Ctx, jsonPath: string, description: string | undefined, summary: string | undefined, style: "sentence" | "period"): void {
  const S = FILES.swagger;
  if (!description) {
    report(ctx, S, jsonPath, style === "period" ? "ResponsePropertySummaryMissing" : "ParameterDescriptionMissing", "description is missing");
    return;
  }
  const ok = style === "period" ? description.endsWith(".") : /[.!?]$/.test(description);
  if (!ok) report(ctx, S, `${jsonPath}.description`, "DescriptionMustEndWithPunctuation", `description '${description}' must end with ${style === "period" ? "a period" : "punctuation"}`);
  if (summary?.trim().toLowerCase() === description.trim().toLowerCase()) report(ctx, S, `${jsonPath}.description`, "SummaryEqualsDescription", "summary and description are the same text");
}

function walkResponseSchema(ctx: Ctx, schema: SchemaObject, jsonPath: string): void {
  const S = FILES.swagger;
  checkSchemaStructure(ctx, schema, jsonPath);
  for (const [name, child] of Object.entries(schema.properties ?? {})) {
    const childPath = jsonPathChild(`${jsonPath}.properties`, name);
    if (isVisible(child)) {
      const summary = child["x-ms-summary"];
      if (!summary) report(ctx, S, childPath, "ResponsePropertySummaryMissing", `response property '${name}' has no x-ms-summary`);
      else checkSummaryText(ctx, `${childPath}["x-ms-summary"]`, summary, "title-case");
      checkDescription(ctx, childPath, child.description, summary, "period");
    }
    walkResponseSchema(ctx, child, childPath);
  }
  if (schema.items) walkResponseSchema(ctx, schema.items, `${jsonPath}.items`);
}

function checkParameters(ctx: Ctx, ref: OperationRef): void {
  const S = FILES.swagger;
  const params = operationParameters(ctx.files.swagger, ref);
  const template = [...ref.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
  for (const name of template) {
    if (!params.some((p) => p.in === "path" && p.name === name)) report(ctx, S, ref.jsonPath, "OperationMissingPathParameter", `path variable '{${name}}' has no path parameter`);
  }
  params.forEach((p: ParameterObject, i) => {
    const at = `${ref.jsonPath}.parameters[${i}]`;
    if (p.name.toLowerCase() === "connectionid") report(ctx, S, at, "ConnectionIdParameterNotAllowed", "a parameter cannot be named connectionId");
    if (p.in === "path") {
      if (p.required !== true) report(ctx, S, at, "PathParameterMustBeRequired", `path parameter '${p.name}' must be required: true`);
      if (!p["x-ms-url-encoding"]) report(ctx, S, at, "PathParameterMissingEncoding", `path parameter '${p.name}' must set x-ms-url-encoding (single)`);
      if (!template.includes(p.name)) report(ctx, S, at, "PathParameterNotDefinedInTemplate", `path parameter '${p.name}' is not in '${ref.path}'`);
    }
    if (p.in === "query" && p["x-ms-url-encoding"]) report(ctx, S, at, "QueryParameterEncodingNotSupported", `query parameter '${p.name}' must not set x-ms-url-encoding`);
    if ((p.in === "body" || p.in === "formData") && ref.method === "get") report(ctx, S, at, "BodyOrFormDataParameterInFetchOperationNotAllowed", "a GET operation cannot have a body");
    if (p.in === "body") {
      if (p.schema) walkInputSchema(ctx, p.schema, `${at}.schema`, p.required === true, false);
      return;
    }
    checkSchemaStructure(ctx, p, at);
    if (p["x-ms-visibility"] === "internal") {
      if (p.default === undefined) report(ctx, S, at, "InternalParameterWithoutDefault", `internal parameter '${p.name}' has no default`);
      else if (p.required !== true) report(ctx, S, at, "PropertyMustBeRequired", `internal parameter '${p.name}' with a default must be required`);
      return;
    }
    const summary = p["x-ms-summary"];
    if (!summary) report(ctx, S, at, "ParameterSummaryMissing", `parameter '${p.name}' has no x-ms-summary`);
    else checkSummaryText(ctx, `${at}["x-ms-summary"]`, summary, "title-case");
    checkDescription(ctx, at, p.description, summary, "sentence");
  });
}

function checkResponses(ctx: Ctx, ref: OperationRef): void {
  const S = FILES.swagger;
  const responses = ref.operation.responses ?? {};
  const codes = Object.keys(responses);
  if (!codes.some((c) => /^2\d\d$/.test(c))) report(ctx, S, `${ref.jsonPath}.responses`, "OperationShouldHaveSuccessfulResponse", "no 2xx response is defined");
  if (responses.default?.schema) report(ctx, S, `${ref.jsonPath}.responses.default.schema`, "DefaultResponseHasSchema", "the default response must not have a schema");
  const withSchema = codes.filter((c) => responses[c].schema);
  if (withSchema.length > 1) report(ctx, S, `${ref.jsonPath}.responses`, "OperationHasManyResponsesWithSchema", `responses ${withSchema.join(", ")} all have schemas; only one is used`);
  for (const code of ["200", "201"]) {
    const response = responses[code];
    if (!response) continue;
    const at = `${ref.jsonPath}.responses["${code}"]`;
    if (!response.schema) {
      report(ctx, S, at, "SchemaDefinitionSetIncorrectly", `response ${code} has no schema; define the exact output`);
      continue;
    }
    const schema = response.schema;
    if (schema.type === "object" && Object.keys(schema.properties ?? {}).length === 0 && !schema["x-ms-dynamic-schema"]) report(ctx, S, `${at}.schema`, "EmptyResponseSchema", "the response schema has no properties");
    walkResponseSchema(ctx, schema, `${at}.schema`);
  }
  for (const [code, response] of Object.entries(responses)) {
    for (const [name, header] of Object.entries(response.headers ?? {})) {
      const at = `${ref.jsonPath}.responses["${code}"].headers[${JSON.stringify(name)}]`;
      if (!header["x-ms-summary"]) report(ctx, S, at, "ResponsePropertySummaryMissing", `response header '${name}' has no x-ms-summary`);
      else checkSummaryText(ctx, `${at}["x-ms-summary"]`, header["x-ms-summary"], "title-case");
      checkDescription(ctx, at, header.description, header["x-ms-summary"], "period");
    }
  }
}

function responseSchemaOf(ref: OperationRef): SchemaObject | undefined {
  const responses = ref.operation.responses ?? {};
  return responses["200"]?.schema ?? responses["201"]?.schema;
}

function schemaAt(schema: SchemaObject | undefined, dottedPath: string): SchemaObject | undefined {
  let node = schema;
  for (const part of dottedPath.split("/").filter(Boolean)) node = node?.properties?.[part];
  return node;
}

function checkDynamicValues(ctx: Ctx, ops: OperationRef[]): void {
  const S = FILES.swagger;
  const visit = (ref: OperationRef, schema: SchemaObject | ParameterObject, jsonPath: string, sourceParams: string[]) => {
    const dv = schema["x-ms-dynamic-values"];
    if (dv?.operationId) {
      const at = `${jsonPath}["x-ms-dynamic-values"]`;
      const target = ops.find((o) => o.operation.operationId === dv.operationId);
      if (!target) {
        report(ctx, S, at, "OperationIdNotFound", `operation '${dv.operationId}' does not exist`);
      } else {
        const collection = dv["value-collection"] ? schemaAt(responseSchemaOf(target), dv["value-collection"]) : responseSchemaOf(target);
        if (collection?.type !== "array") report(ctx, S, at, "InvokedOperationShouldProduceArray", `'${dv.operationId}' has no array at '${dv["value-collection"] ?? "(root)"}' in its response`);
        const targetParams = operationParameters(ctx.files.swagger, target).map((p) => p.name);
        for (const [name, binding] of Object.entries(dv.parameters ?? {})) {
          if (!targetParams.includes(name)) report(ctx, S, at, "OperationParameterNameNotFound", `'${dv.operationId}' has no parameter '${name}'`);
          if (binding.parameter && !sourceParams.includes(binding.parameter)) report(ctx, S, at, "OperationParameterNameNotFound", `'${ref.operation.operationId}' has no parameter '${binding.parameter}' to pass`);
        }
      }
    }
    for (const [name, child] of Object.entries(schema.properties ?? {})) visit(ref, child, jsonPathChild(`${jsonPath}.properties`, name), sourceParams);
    if (schema.items) visit(ref, schema.items, `${jsonPath}.items`, sourceParams);
  };
  for (const ref of ops) {
    const params = operationParameters(ctx.files.swagger, ref);
    const names = params.map((p) => p.name);
    params.forEach((p, i) => visit(ref, p.in === "body" && p.schema ? p.schema : p, `${ref.jsonPath}.parameters[${i}]${p.in === "body" ? ".schema" : ""}`, names));
  }
}

function checkOperations(ctx: Ctx): void {
  const S = FILES.swagger;
  const ops = listOperations(ctx.files.swagger);
  const seen = new Map<string, string>();
  for (const ref of ops) {
    const op = ref.operation;
    const id = op.operationId;
    if (!id) {
      report(ctx, S, ref.jsonPath, "OperationIdRequired", `${ref.method.toUpperCase()} ${ref.path} has no operationId`);
    } else {
      if (seen.has(id)) report(ctx, S, `${ref.jsonPath}.operationId`, "OperationIdNotUnique", `operationId '${id}' is also used at ${seen.get(id)}`);
      seen.set(id, ref.jsonPath);
      if (/[^A-Za-z0-9]/.test(id)) report(ctx, S, `${ref.jsonPath}.operationId`, "OperationIdSanitized", `operationId '${id}' must contain only letters and digits`);
      else if (!/^[A-Z]/.test(id)) report(ctx, S, `${ref.jsonPath}.operationId`, "OperationIdNotPascalCase", `operationId '${id}' should be PascalCase`);
    }
    if (!op.summary) report(ctx, S, `${ref.jsonPath}.summary`, "RequiredPropertyMissing", "operation summary is required");
    else checkSummaryText(ctx, `${ref.jsonPath}.summary`, op.summary, "operation");
    if (!op.description) report(ctx, S, `${ref.jsonPath}.description`, "RequiredPropertyMissing", "operation description is required");
    else checkDescription(ctx, ref.jsonPath, op.description, op.summary, "sentence");
    if (!op["x-ms-visibility"] || !["important", "advanced", "internal"].includes(op["x-ms-visibility"])) report(ctx, S, `${ref.jsonPath}["x-ms-visibility"]`, "OperationVisibilityMissing", "operation must set x-ms-visibility to important, advanced or internal");
    const pageable = op["x-ms-pageable"];
    if (pageable) {
      if (pageable.nextLinkName !== "nextLink" && pageable.nextLinkName !== "@odata.nextLink") report(ctx, S, `${ref.jsonPath}["x-ms-pageable"]`, "InvalidNextLinkNameValue", `nextLinkName '${pageable.nextLinkName}' must be nextLink or @odata.nextLink`);
      const policy = ctx.files.apiProperties.properties?.policyTemplateInstances?.find((p) => p.templateId === "updatenextlink");
      const listed = policy?.parameters?.["x-ms-apimTemplate-operationName"];
      if (!id || !Array.isArray(listed) || !listed.includes(id)) report(ctx, FILES.apiProperties, "$.properties.policyTemplateInstances", "PageableOperationMissingNextLinkPolicy", `pageable operation '${id}' is not listed in an updatenextlink policy, so next links bypass the connector`);
    }
    checkParameters(ctx, ref);
    checkResponses(ctx, ref);
  }
  checkDynamicValues(ctx, ops);
}

function checkSecurity(ctx: Ctx): void {
  const S = FILES.swagger;
  const sw = ctx.files.swagger;
  const definitions = sw.securityDefinitions ?? {};
  const checkRequirements = (requirements: Record<string, string[]>[] | undefined, at: string) => {
    (requirements ?? []).forEach((req, i) => {
      for (const [scheme, scopes] of Object.entries(req)) {
        const def = definitions[scheme];
        if (!def) {
          report(ctx, S, `${at}[${i}]`, "SecurityRequirementMustBeDefined", `security scheme '${scheme}' is not in securityDefinitions`);
          continue;
        }
        for (const scope of scopes) if (!def.scopes || !(scope in def.scopes)) report(ctx, S, `${at}[${i}]`, "OAuthSecurityRequirementValueMustBeScopeName", `scope '${scope}' is not defined in securityDefinitions.${scheme}.scopes`);
      }
    });
  };
  checkRequirements(sw.security, "$.security");
  const union = new Set<string>();
  for (const ref of listOperations(sw)) {
    checkRequirements(ref.operation.security, `${ref.jsonPath}.security`);
    const scopes = operationScopes(sw, ref.operation);
    if (scopes.length === 0) report(ctx, S, `${ref.jsonPath}.security`, "OperationScopeMissing", `operation '${ref.operation.operationId}' does not state the scope it needs`);
    scopes.forEach((s) => union.add(s));
  }
  const P = FILES.apiProperties;
  for (const [name, param] of Object.entries(ctx.files.apiProperties.properties?.connectionParameters ?? {})) {
    const oauth = param.oAuthSettings;
    if (!oauth) continue;
    const at = `$.properties.connectionParameters[${JSON.stringify(name)}].oAuthSettings`;
    const requested = (oauth.scopes ?? []).flatMap((s) => s.split(/\s+/)).filter(Boolean);
    const missing = [...union].filter((s) => !requested.includes(s));
    const extra = requested.filter((s) => !union.has(s));
    if (missing.length || extra.length) report(ctx, P, `${at}.scopes`, "ScopesMatchOperations", `scopes must equal the operations' scopes; missing [${missing.join(", ")}], not used by any operation [${extra.join(", ")}]`);
    for (const s of requested) if (s.endsWith(".Group")) report(ctx, P, `${at}.scopes`, "ResourceSpecificConsentScope", `'${s}' is a resource-specific consent permission and cannot be requested as an AAD scope`);
    if (oauth.redirectUrl !== REDIRECT_URL) report(ctx, P, `${at}.redirectUrl`, "RedirectUrlInvalid", `redirectUrl must be ${REDIRECT_URL}`);
  }
}

function checkSecrets(ctx: Ctx): void {
  const visit = (value: unknown, jsonPath: string) => {
    if (value === null || typeof value !== "object") return;
    for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
      const childPath = jsonPathChild(jsonPath, Array.isArray(value) ? Number(key) : key);
      if (/secret|password/i.test(key) && typeof child === "string" && child.trim() !== "") report(ctx, FILES.apiProperties, childPath, "SecretCommitted", `'${key}' has a value; secrets are entered at deployment, never committed`);
      visit(child, childPath);
    }
  };
  visit(ctx.files.apiProperties, "$");
}

function checkApiProperties(ctx: Ctx): void {
  const P = FILES.apiProperties;
  const props = ctx.files.apiProperties.properties;
  if (!props?.publisher) report(ctx, P, "$.properties.publisher", "RequiredPropertyMissing", "publisher is required");
  if (!props?.stackOwner) report(ctx, P, "$.properties.stackOwner", "RequiredPropertyMissing", "stackOwner is required");
  const colour = props?.iconBrandColor ?? "";
  if (!parseHexColour(colour) || FORBIDDEN_BRAND_COLOURS.includes(colour.toLowerCase())) report(ctx, P, "$.properties.iconBrandColor", "IconBrandColorInvalid", `iconBrandColor '${colour}' must be #rrggbb and not ${FORBIDDEN_BRAND_COLOURS.join(" or ")}`);
  checkSecrets(ctx);
}

function checkIcon(ctx: Ctx): void {
  const I = FILES.icon;
  if (!ctx.files.icon) {
    report(ctx, I, "$", "IconInvalid", "icon.png is missing");
    return;
  }
  let raster;
  try {
    raster = decodePng(ctx.files.icon);
  } catch (e) {
    report(ctx, I, "$", "IconInvalid", `icon.png cannot be read: ${(e as Error).message}`);
    return;
  }
  if (raster.width !== raster.height) report(ctx, I, "$", "IconInvalid", `icon is ${raster.width}x${raster.height}, it must be square`);
  for (let i = 3; i < raster.rgba.length; i += 4) {
    if (raster.rgba[i] !== 255) {
      report(ctx, I, "$", "IconInvalid", "icon has transparent pixels; the background must be opaque");
      break;
    }
  }
  const brand = parseHexColour(ctx.files.apiProperties.properties?.iconBrandColor ?? "");
  const corner = [...raster.rgba.subarray(0, 3)];
  if (brand && corner.some((c, i) => c !== brand[i])) {
    const hex = `#${corner.map((c) => c.toString(16).padStart(2, "0")).join("")}`;
    report(ctx, I, "$", "IconInvalid", `icon background ${hex} does not match iconBrandColor ${ctx.files.apiProperties.properties?.iconBrandColor}`);
  }
}

function checkSettings(ctx: Ctx, dir: string | undefined): void {
  const T = FILES.settings;
  for (const key of Object.keys(ctx.files.settings)) if (!SETTINGS_KEYS.includes(key)) report(ctx, T, jsonPathChild("$", key), "SettingsInvalid", `'${key}' is not a paconn settings key`);
  const expected: Record<string, string> = { apiDefinition: FILES.swagger, apiProperties: FILES.apiProperties, icon: FILES.icon };
  for (const [key, file] of Object.entries(expected)) {
    const value = ctx.files.settings[key];
    if (value !== file) report(ctx, T, `$.${key}`, "SettingsInvalid", `${key} must name '${file}', found ${JSON.stringify(value)}`);
    else if (dir && !existsSync(path.join(dir, file))) report(ctx, T, `$.${key}`, "SettingsInvalid", `'${file}' does not exist next to settings.json`);
  }
}

/** Runs our own certification rules on already-loaded connector files. */
export function lintConnectorFiles(files: ConnectorFiles, dir?: string): LintProblem[] {
  const ctx: Ctx = { files, problems: [] };
  checkDocument(ctx);
  checkOperations(ctx);
  checkSecurity(ctx);
  checkApiProperties(ctx);
  checkIcon(ctx);
  checkSettings(ctx, dir);
  return ctx.problems;
}

/**
 * A deliberate difference from Microsoft's 2020 schemas. Each one names the file, the JSON path
 * pattern and schema keyword it excuses, and why.
 */
export interface SchemaRelaxation {
  file: string;
  path: RegExp;
  keyword: string;
  reason: string;
}

/**
 * The schemas predate values current certified connectors use. We excuse only these, and only where
 * the value is what newer connectors ship; our own files need none today, but a connector switched to
 * per-connector redirect or on-behalf-of login must not fail on a schema that does not know them.
 */
export const SCHEMA_RELAXATIONS: SchemaRelaxation[] = [
  {
    file: FILES.apiProperties,
    path: /^\$\.properties\.connectionParameters\[?[^\]]*\]?.*\.oAuthSettings\.redirectMode$/,
    keyword: "enum",
    reason: "redirectMode GlobalPerConnector is used by current certified connectors; the 2020 schema only knows Global and Direct.",
  },
  {
    file: FILES.apiProperties,
    path: /\.oAuthSettings\.customParameters\.enableOnbehalfOfLogin$/,
    keyword: "additionalProperties",
    reason: "customParameters.enableOnbehalfOfLogin for aad is used by current connectors; the 2020 schema predates it.",
  },
];

interface SchemaSet {
  apiDefinition: SchemaValidator;
  apiProperties: SchemaValidator;
  settings: SchemaValidator;
}

export function loadSchemas(schemaDir: string): SchemaSet {
  const read = (name: string): Schema => {
    const file = path.join(schemaDir, name);
    if (!existsSync(file)) throw new Error(`schema folder ${schemaDir} has no ${name}`);
    return JSON.parse(stripJsonComments(readFileSync(file, "utf8"))) as Schema;
  };
  return {
    apiDefinition: new SchemaValidator(read("apiDefinition.swagger.schema.json"), { externalDocuments: { [DRAFT04_URI]: DRAFT04_META_SUBSET } }),
    apiProperties: new SchemaValidator(read("paconn-apiProperties.schema.json")),
    settings: new SchemaValidator(read("paconn-settings.schema.json")),
  };
}

/**
 * oneOf/anyOf failures nest the real cause; a relaxation excuses a branch when every error in it is
 * excused, so schema errors are re-checked with each relaxation's path in mind.
 */
export function validateAgainstSchemas(files: ConnectorFiles, schemas: SchemaSet, relaxations: SchemaRelaxation[] = SCHEMA_RELAXATIONS): LintProblem[] {
  const out: LintProblem[] = [];
  const run = (file: string, validator: SchemaValidator, value: unknown) => {
    const relaxed = relaxations.filter((r) => r.file === file);
    const prepared = relaxed.length ? applyRelaxations(value, relaxed) : value;
    for (const e of validator.validate(prepared as Json)) {
      out.push({ file, path: e.path, rule: "SchemaViolation", message: `${e.message} (schema ${e.schemaPath})` });
    }
  };
  run(FILES.swagger, schemas.apiDefinition, files.swagger);
  run(FILES.apiProperties, schemas.apiProperties, files.apiProperties);
  run(FILES.settings, schemas.settings, files.settings);
  return out;
}

/**
 * Rewrites excused values to what the schema knows before validating: GlobalPerConnector becomes
 * Global and enableOnbehalfOfLogin is dropped. Everything else is validated unchanged.
 */
function applyRelaxations(value: unknown, relaxations: SchemaRelaxation[]): unknown {
  const visit = (node: unknown, jsonPath: string): unknown => {
    if (Array.isArray(node)) return node.map((child, i) => visit(child, jsonPathChild(jsonPath, i)));
    if (node === null || typeof node !== "object") {
      const hit = relaxations.find((r) => r.keyword === "enum" && r.path.test(jsonPath));
      return hit && node === "GlobalPerConnector" ? "Global" : node;
    }
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(node as Record<string, unknown>)) {
      const childPath = jsonPathChild(jsonPath, key);
      if (relaxations.some((r) => r.keyword === "additionalProperties" && r.path.test(childPath))) continue;
      out[key] = visit(child, childPath);
    }
    return out;
  };
  return visit(value, "$");
}

export function readConnectorFolder(dir: string): { files?: ConnectorFiles; problems: LintProblem[] } {
  const problems: LintProblem[] = [];
  const readJson = (name: string): unknown => {
    const file = path.join(dir, name);
    if (!existsSync(file)) {
      problems.push({ file: name, path: "$", rule: "FileUnreadable", message: `${file} does not exist` });
      return undefined;
    }
    const text = readFileSync(file, "utf8");
    try {
      return JSON.parse(text);
    } catch (e) {
      problems.push({ file: name, path: "$", rule: "FileUnreadable", message: `${file} is not valid JSON: ${(e as Error).message}` });
      return undefined;
    }
  };
  const swagger = readJson(FILES.swagger) as SwaggerDocument | undefined;
  const apiProperties = readJson(FILES.apiProperties) as ApiProperties | undefined;
  const settings = readJson(FILES.settings) as Record<string, unknown> | undefined;
  if (!swagger || !apiProperties || !settings) return { problems };
  const iconPath = path.join(dir, FILES.icon);
  return {
    problems,
    files: {
      swagger,
      swaggerBytes: Buffer.byteLength(readFileSync(path.join(dir, FILES.swagger))),
      apiProperties,
      settings,
      icon: existsSync(iconPath) ? readFileSync(iconPath) : undefined,
    },
  };
}

export interface LintOptions {
  /** Folder holding Microsoft's connector JSON schemas; when given, the files are also validated against them. */
  schemaDir?: string;
}

export function lintConnector(dir: string, options: LintOptions = {}): LintProblem[] {
  const { files, problems } = readConnectorFolder(dir);
  if (!files) return problems;
  problems.push(...lintConnectorFiles(files, dir));
  if (options.schemaDir) problems.push(...validateAgainstSchemas(files, loadSchemas(options.schemaDir)));
  return problems;
}

export function formatProblem(dir: string, p: LintProblem): string {
  return `${path.join(dir, p.file)} ${p.path} [${p.rule}] ${p.message}`;
}
