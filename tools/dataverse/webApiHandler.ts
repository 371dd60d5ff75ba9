/**
 * The in-memory Dataverse's HTTP face: `handle(request) -> response` speaking the Web API wire format of
 * `/api/data/v9.2/` (methods, URLs, headers, JSON bodies, status codes, error bodies), plus a `fetch`-compatible
 * function so the production client in components/common can run against it unchanged, in Node or in a browser.
 */
import { badRequest, DataverseServiceError, ERROR_CODES } from "./errors";
import { failureError, FaultPlan, type Operation } from "./faults";
import { executeFetch, parseFetchXml, TOTAL_RECORD_COUNT_LIMIT } from "./fetchxml";
import type { LanguageId, TableMetadata } from "./metadata";
import { answerMetadata, isMetadataPath } from "./odata/metadataApi";
import { parseQueryOptions, type QueryOptions } from "./odata/queryOptions";
import { annotationPreference, fromWire, type JsonObject, toWire, type WireContext } from "./odata/wire";
import { runQuery } from "./query";
import { type DataverseStore, etagOf } from "./store";

export interface WebApiRequest {
  readonly method: string;
  /** Absolute (`https://org.crm.dynamics.com/api/data/v9.2/accounts`) or relative (`/api/data/v9.2/accounts`). */
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

export interface WebApiResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface InMemoryWebApiOptions {
  readonly store: DataverseStore;
  readonly faults?: FaultPlan;
  /** Language of formatted values; Dataverse uses the calling user's UI language. */
  readonly language?: LanguageId;
  /** Used for `@odata.nextLink`, `@odata.context` and `OData-EntityId`, which Dataverse always makes absolute. */
  readonly baseUrl?: string;
  /** Waits for injected latency; tests may pass a fake. */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** Dataverse's ceiling for `Prefer: odata.maxpagesize` and its default page size. */
export const MAX_PAGE_SIZE = 5000;
const API_PATH = /\/api\/data\/v9\.[0-9]+\/(.*)$/;

const jsonHeaders = { "Content-Type": "application/json; odata.metadata=minimal", "OData-Version": "4.0" };

export class InMemoryWebApi {
  readonly store: DataverseStore;
  readonly faults: FaultPlan;
  language: LanguageId;
  readonly baseUrl: string;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(options: InMemoryWebApiOptions) {
    this.store = options.store;
    this.faults = options.faults ?? new FaultPlan();
    this.language = options.language ?? 1033;
    this.baseUrl = options.baseUrl ?? "https://contoso.crm.dynamics.com/api/data/v9.2/";
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** Answers like the Web API; rejects only for an injected network failure, as `fetch` does. */
  async handle(request: WebApiRequest): Promise<WebApiResponse> {
    const headers = lowerCaseKeys(request.headers ?? {});
    let route: Route;
    try {
      route = this.route(request.method.toUpperCase(), request.url);
    } catch (e) {
      return errorResponse(e);
    }
    if (route.table) {
      const decision = this.faults.decide(route.table.logicalName, route.operation);
      if (decision.latencyMs > 0) await this.sleep(decision.latencyMs);
      if (decision.conflict && route.id && this.store.get(route.table.logicalName, route.id)) {
        this.store.touch(route.table.logicalName, route.id);
      }
      const failure = failureError(decision);
      if (failure instanceof TypeError) throw failure;
      if (failure) return errorResponse(failure);
    }
    try {
      return this.execute(route, headers, request.body);
    } catch (e) {
      return errorResponse(e);
    }
  }

  /** A `fetch` over `handle`, structurally compatible with the browser's for the client in components/common. */
  readonly fetch = async (
    url: string,
    init: { method?: string; headers?: Record<string, string>; body?: string } = {},
  ): Promise<{ status: number; ok: boolean; headers: { get(name: string): string | null }; text(): Promise<string> }> => {
    const response = await this.handle({ method: init.method ?? "GET", url, headers: init.headers ?? {}, body: init.body });
    const lower = lowerCaseKeys(response.headers);
    return {
      status: response.status,
      ok: response.status >= 200 && response.status < 300,
      headers: { get: (name: string) => lower[name.toLowerCase()] ?? null },
      text: () => Promise.resolve(response.body),
    };
  };

  private route(method: string, url: string): Route {
    const parsed = new URL(url, "https://localhost");
    const match = API_PATH.exec(decodeURIComponent(parsed.pathname));
    if (!match) throw new DataverseServiceError(404, ERROR_CODES.querySyntax, `'${parsed.pathname}' is not a Web API path (/api/data/v9.2/...).`);
    const path = match[1];
    if (path === "WhoAmI" && method === "GET") return { kind: "whoAmI", operation: "retrieve", search: parsed.searchParams };
    if (isMetadataPath(path)) {
      if (method !== "GET") throw new DataverseServiceError(405, ERROR_CODES.querySyntax, `${method} is not allowed on this resource.`);
      return { kind: "metadata", path, operation: "retrieve", search: parsed.searchParams };
    }
    const resource = /^([A-Za-z_0-9]+)(?:\(([0-9a-fA-F-]{36})\))?$/.exec(path);
    const table = resource ? this.store.metadata.tableBySetName(resource[1]) : undefined;
    if (!resource || !table) throw new DataverseServiceError(404, ERROR_CODES.querySyntax, `Resource not found for the segment '${path}'.`);
    const id = resource[2]?.toLowerCase();
    const operation = operationOf(method, id !== undefined);
    return { kind: "table", table, operation, search: parsed.searchParams, method, ...(id !== undefined && { id }) };
  }

  private execute(route: Route, headers: Readonly<Record<string, string>>, body: string | undefined): WebApiResponse {
    if (route.kind === "whoAmI") {
      return json(200, { UserId: this.store.callerId ?? null, BusinessUnitId: null, OrganizationId: null });
    }
    if (route.kind === "metadata") {
      return json(200, answerMetadata({ path: route.path, search: route.search, metadata: this.store.metadata, language: this.language, baseUrl: this.baseUrl }));
    }
    const { table } = route;
    // operationOf only routes retrieve, update and delete when the URL carries an id.
    const id = route.id ?? "";
    const context: WireContext = { store: this.store, language: this.language, annotations: annotationPreference(headers.prefer) };
    const filterContext = { ...(this.store.callerId && { userId: this.store.callerId }), scope: { store: this.store, table } };
    switch (route.operation) {
      case "retrieve": {
        this.store.assertPrivilege(table.logicalName, "read");
        const row = this.store.retrieveAsCaller(table.logicalName, id);
        if (!row) throw new DataverseServiceError(404, ERROR_CODES.objectDoesNotExist, `${table.logicalName} With Id = ${id} Does Not Exist`);
        const options = parseQueryOptions(route.search, filterContext);
        return json(200, { "@odata.context": `${this.baseUrl}$metadata#${table.entitySetName}/$entity`, ...toWire(context, table, row, options) });
      }
      case "retrieveMultiple": {
        this.store.assertPrivilege(table.logicalName, "read");
        const options = parseQueryOptions(route.search, filterContext);
        return options.fetchXml !== undefined
          ? this.fetchXml(context, table, options.fetchXml, options.count === true, headers.prefer)
          : this.retrieveMultiple(context, table, options, route.search, headers.prefer);
      }
      case "create": {
        const values = fromWire(this.store, table, parseBody(body));
        const row = this.store.create(table.logicalName, values);
        return this.written(context, table, row, headers.prefer, 201);
      }
      case "update": {
        const values = fromWire(this.store, table, parseBody(body));
        const existing = this.store.get(table.logicalName, id);
        if (headers["if-none-match"] === "*" && existing) {
          throw new DataverseServiceError(412, ERROR_CODES.duplicateRecord, `A record with matching key values already exists (${table.logicalName} ${id}).`);
        }
        if (!existing && headers["if-match"] === undefined) {
          // PATCH without If-Match is an upsert in Dataverse: a missing row is created with the given id.
          const row = this.store.create(table.logicalName, { ...values, [table.primaryIdAttribute]: id });
          return this.written(context, table, row, headers.prefer, 201);
        }
        const row = this.store.update(table.logicalName, id, values, ifMatch(headers));
        return this.written(context, table, row, headers.prefer, 200);
      }
      case "delete":
        this.store.delete(table.logicalName, id, ifMatch(headers));
        return { status: 204, headers: { "OData-Version": "4.0" }, body: "" };
    }
  }

  private retrieveMultiple(
    context: WireContext,
    table: TableMetadata,
    options: QueryOptions,
    search: URLSearchParams,
    prefer: string | undefined,
  ): WebApiResponse {
    const requested = /odata\.maxpagesize=(\d+)/.exec(prefer ?? "");
    const pageSize = Math.min(requested ? Number(requested[1]) : MAX_PAGE_SIZE, MAX_PAGE_SIZE);
    const matched = runQuery(table, this.store.rows(table.logicalName), options.filter, options.orderBy);
    // Dataverse ignores $top when a page size is requested.
    const limited = options.top !== undefined && !requested ? matched.slice(0, options.top) : matched;
    const offset = skipOffset(options.skipToken);
    const page = limited.slice(offset, offset + pageSize);
    const body: JsonObject = { "@odata.context": `${this.baseUrl}$metadata#${table.entitySetName}` };
    if (options.count) body["@odata.count"] = Math.min(limited.length, MAX_PAGE_SIZE);
    body.value = page.map((row) => toWire(context, table, row, options));
    if (offset + pageSize < limited.length) {
      const next = [...search.entries()].filter(([key]) => key !== "$skiptoken");
      next.push(["$skiptoken", `<cookie pagenumber="${offset / pageSize + 2}" offset="${offset + pageSize}" />`]);
      const query = next.map(([key, value]) => `${key}=${encodeURIComponent(value)}`).join("&");
      body["@odata.nextLink"] = `${this.baseUrl}${table.entitySetName}?${query}`;
    }
    const applied: Record<string, string> = requested ? { "Preference-Applied": `odata.maxpagesize=${pageSize}` } : {};
    return json(200, body, applied);
  }

  /**
   * Microsoft's "Page results using FetchXml" and "Count rows using FetchXml" (Web API tabs): the paging cookie and
   * more-records flag, and the total-count annotations, come only when `Prefer: odata.include-annotations` asks for
   * them (by name, `Microsoft.Dynamics.CRM.*` or `*`); neither comes on the last page. `returntotalrecordcount="true"`
   * and `$count=true` both add `@odata.count`, at most 5,000. The docs say totalrecordcount is "-1 otherwise": read
   * here as "when the query did not ask to count", since the same docs treat 5,000 plus limitexceeded as the answer
   * for a larger set.
   */
  private fetchXml(context: WireContext, table: TableMetadata, xml: string, dollarCount: boolean, prefer: string | undefined): WebApiResponse {
    const parsed = parseFetchXml(xml, this.store.callerId);
    const result = executeFetch(context, table, { ...parsed, returnTotalRecordCount: parsed.returnTotalRecordCount || dollarCount });
    const wants = includedAnnotations(prefer);
    const body: JsonObject = { "@odata.context": `${this.baseUrl}$metadata#${table.entitySetName}` };
    const total = result.totalRecordCount;
    const counted = total !== undefined;
    if (counted) body["@odata.count"] = Math.min(total, TOTAL_RECORD_COUNT_LIMIT);
    let applied = false;
    if (wants("Microsoft.Dynamics.CRM.totalrecordcount")) {
      body["@Microsoft.Dynamics.CRM.totalrecordcount"] = counted ? Math.min(total, TOTAL_RECORD_COUNT_LIMIT) : -1;
      applied = true;
    }
    if (wants("Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded")) {
      body["@Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded"] = counted && total > TOTAL_RECORD_COUNT_LIMIT;
      applied = true;
    }
    if (result.pagingCookie !== undefined && wants("Microsoft.Dynamics.CRM.fetchxmlpagingcookie")) {
      body["@Microsoft.Dynamics.CRM.fetchxmlpagingcookie"] = result.pagingCookie;
      applied = true;
    }
    if (result.moreRecords && wants("Microsoft.Dynamics.CRM.morerecords")) {
      body["@Microsoft.Dynamics.CRM.morerecords"] = true;
      applied = true;
    }
    body.value = result.rows;
    const requested = /odata\.include-annotations="[^"]*"/.exec(prefer ?? "");
    return json(200, body, applied && requested ? { "Preference-Applied": requested[0] } : {});
  }

  private written(context: WireContext, table: TableMetadata, row: Readonly<Record<string, unknown>>, prefer: string | undefined, representationStatus: number): WebApiResponse {
    const id = row[table.primaryIdAttribute] as string;
    const stored = this.store.get(table.logicalName, id);
    const entityId = `${this.baseUrl}${table.entitySetName}(${id})`;
    const common = { "OData-Version": "4.0", "OData-EntityId": entityId, ...(stored && { ETag: etagOf(stored) }) };
    if (stored && (prefer ?? "").includes('return=representation')) {
      return { status: representationStatus, headers: { ...jsonHeaders, ...common, "Preference-Applied": "return=representation" }, body: JSON.stringify(toWire(context, table, stored)) };
    }
    return { status: 204, headers: common, body: "" };
  }
}

type Route =
  | { readonly kind: "whoAmI"; readonly operation: Operation; readonly search: URLSearchParams; readonly table?: undefined; readonly id?: undefined }
  | { readonly kind: "metadata"; readonly path: string; readonly operation: Operation; readonly search: URLSearchParams; readonly table?: undefined; readonly id?: undefined }
  | {
      readonly kind: "table";
      readonly table: TableMetadata;
      readonly operation: Operation;
      readonly search: URLSearchParams;
      readonly method: string;
      readonly id?: string;
    };

function operationOf(method: string, hasId: boolean): Operation {
  if (method === "GET") return hasId ? "retrieve" : "retrieveMultiple";
  if (method === "POST" && !hasId) return "create";
  if (method === "PATCH" && hasId) return "update";
  if (method === "DELETE" && hasId) return "delete";
  throw new DataverseServiceError(405, ERROR_CODES.querySyntax, `${method} is not allowed on this resource.`);
}

function ifMatch(headers: Readonly<Record<string, string>>): { ifMatch?: string } {
  return headers["if-match"] === undefined ? {} : { ifMatch: headers["if-match"] };
}

function skipOffset(token: string | undefined): number {
  if (token === undefined) return 0;
  const m = /offset="(\d+)"/.exec(token);
  if (!m) throw badRequest(`$skiptoken '${token}' was not issued by this service.`);
  return Number(m[1]);
}

function parseBody(body: string | undefined): unknown {
  if (body === undefined || body === "") throw badRequest("The request body is empty; a JSON object is required.", ERROR_CODES.invalidArgument);
  try {
    return JSON.parse(body) as unknown;
  } catch (e) {
    throw badRequest(`The request body is not valid JSON: ${(e as Error).message}`, ERROR_CODES.invalidArgument);
  }
}

function json(status: number, body: JsonObject, extraHeaders: Record<string, string> = {}): WebApiResponse {
  return { status, headers: { ...jsonHeaders, ...extraHeaders }, body: JSON.stringify(body) };
}

function errorResponse(e: unknown): WebApiResponse {
  if (e instanceof DataverseServiceError) {
    return { status: e.status, headers: { ...jsonHeaders, ...e.headers }, body: JSON.stringify(e.toBody()) };
  }
  const message = e instanceof Error ? e.message : String(e);
  return { status: 500, headers: jsonHeaders, body: JSON.stringify({ error: { code: ERROR_CODES.unexpected, message } }) };
}

/** Whether `Prefer: odata.include-annotations="..."` asks for an annotation: by name, by `Namespace.*`, or `*`. */
function includedAnnotations(prefer: string | undefined): (name: string) => boolean {
  const match = /odata\.include-annotations="([^"]*)"/.exec(prefer ?? "");
  const requested = match ? match[1].split(",").map((s) => s.trim()) : [];
  return (name) => requested.some((r) => r === "*" || r === name || (r.endsWith(".*") && name.startsWith(r.slice(0, -1))));
}

function lowerCaseKeys(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}
