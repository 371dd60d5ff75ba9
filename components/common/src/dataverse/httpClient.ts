/**
 * Dataverse over the hosting app's Web API endpoint (`/api/data/v9.2/`), for what PCF's `webAPI` cannot express:
 * `If-Match` concurrency checks and response headers such as `Retry-After`. The fetch function and base URL are
 * constructor inputs so tests run it against the in-memory Dataverse.
 */
import { entitySetName, normaliseGuid } from "./entitySets";
import { fetchXmlPagingOf } from "./fetchXmlPaging";
import { DataverseError, fromHttpResponse, toDataverseError } from "./errors";
import { odataString, toQueryString } from "./queryString";
import type { DataverseClient, DataverseRow, ManyToOneRelationship, Page, QueryOptions, UpdateOptions } from "./types";

/** The part of `window.fetch` we use; the browser's fetch satisfies it. */
export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string },
) => Promise<{ readonly status: number; readonly headers: { get(name: string): string | null }; text(): Promise<string> }>;

export interface HttpDataverseClientOptions {
  readonly fetch: FetchLike;
  /** Relative by default so calls stay on the hosting app's origin and session. */
  readonly baseUrl?: string;
  /**
   * A table's Web API set name. By default the fixed list in entitySets.ts; a control that works on any table (a
   * maker's own, or the instance table of a maker's business process flow) passes `entitySetsFrom` its metadata.
   */
  readonly entitySet?: (table: string) => string | Promise<string>;
}

const MAX_PAGE_SIZE = 5000;

export class HttpDataverseClient implements DataverseClient {
  private readonly fetchFn: FetchLike;
  private readonly baseUrl: string;
  private readonly entitySet: (table: string) => string | Promise<string>;

  constructor(options: HttpDataverseClientOptions) {
    this.fetchFn = options.fetch;
    this.baseUrl = (options.baseUrl ?? "/api/data/v9.2/").replace(/\/?$/, "/");
    this.entitySet = options.entitySet ?? entitySetName;
  }

  async retrieve(table: string, id: string, options?: QueryOptions): Promise<DataverseRow> {
    const { body } = await this.send("GET", `${await this.setOf(table)}(${normaliseGuid(id)})${toQueryString(options)}`);
    return asRow(body);
  }

  async retrieveMultiple(table: string, options?: QueryOptions, maxPageSize?: number): Promise<Page> {
    return this.page(`${await this.setOf(table)}${toQueryString(options)}`, maxPageSize);
  }

  async retrieveNextPage(_table: string, nextLink: string, maxPageSize?: number): Promise<Page> {
    return this.page(nextLink, maxPageSize);
  }

  async retrieveFetchXml(table: string, fetchXml: string): Promise<Page> {
    return this.page(`${await this.setOf(table)}?fetchXml=${encodeURIComponent(fetchXml)}`);
  }

  async create(table: string, data: Readonly<Record<string, unknown>>): Promise<string> {
    const { headers } = await this.send("POST", await this.setOf(table), data);
    const entityId = headers.get("OData-EntityId") ?? "";
    const id = /\(([0-9a-fA-F-]{36})\)$/.exec(entityId)?.[1];
    if (id === undefined) throw new DataverseError("unknown", `Dataverse created a ${table} row but sent no OData-EntityId header`);
    return id.toLowerCase();
  }

  async update(table: string, id: string, data: Readonly<Record<string, unknown>>, options: UpdateOptions = {}): Promise<void> {
    // If-Match: * also stops PATCH from creating a row that was deleted meanwhile (PATCH is an upsert otherwise).
    await this.send("PATCH", `${await this.setOf(table)}(${normaliseGuid(id)})`, data, { "If-Match": options.etag ?? "*" });
  }

  async delete(table: string, id: string): Promise<void> {
    await this.send("DELETE", `${await this.setOf(table)}(${normaliseGuid(id)})`);
  }

  /** The lookups of `table` to other tables, from its metadata: which column points where, under which name. */
  async manyToOneRelationships(table: string): Promise<ManyToOneRelationship[]> {
    const select = "ReferencingAttribute,ReferencedEntity,ReferencingEntityNavigationPropertyName";
    const { body } = await this.send("GET", `EntityDefinitions(LogicalName=${odataString(table)})/ManyToOneRelationships?$select=${select}`);
    const value = (body as { value?: unknown } | undefined)?.value;
    if (!Array.isArray(value)) throw new DataverseError("unknown", `Dataverse answered the relationships of '${table}' without a 'value' array`);
    return value.map((r: Record<string, unknown>) => ({
      referencingAttribute: String(r.ReferencingAttribute),
      referencedEntity: String(r.ReferencedEntity),
      navigationProperty: String(r.ReferencingEntityNavigationPropertyName),
    }));
  }

  /** A set-name lookup that fails (metadata refused, throttled, offline) fails as the request it was for would. */
  private async setOf(table: string): Promise<string> {
    try {
      return await this.entitySet(table);
    } catch (e) {
      throw toDataverseError(e);
    }
  }

  private async page(pathOrUrl: string, maxPageSize?: number): Promise<Page> {
    const size = maxPageSize === undefined ? undefined : Math.min(Math.max(1, Math.floor(maxPageSize)), MAX_PAGE_SIZE);
    const { body } = await this.send("GET", pathOrUrl, undefined, size === undefined ? {} : { Prefer: `odata.include-annotations="*",odata.maxpagesize=${size}` });
    const value = typeof body === "object" && body !== null ? (body as { value?: unknown; "@odata.nextLink"?: unknown }) : {};
    if (!Array.isArray(value.value)) throw new DataverseError("unknown", "Dataverse answered a query without a 'value' array");
    const nextLink = value["@odata.nextLink"];
    const fetchXmlPaging = fetchXmlPagingOf(value);
    return { rows: value.value.map(asRow), ...(typeof nextLink === "string" && { nextLink }), ...(fetchXmlPaging && { fetchXmlPaging }) };
  }

  private async send(
    method: string,
    pathOrUrl: string,
    data?: Readonly<Record<string, unknown>>,
    extraHeaders: Record<string, string> = {},
  ): Promise<{ body: unknown; headers: { get(name: string): string | null } }> {
    const url = /^https?:\/\//.test(pathOrUrl) ? pathOrUrl : `${this.baseUrl}${pathOrUrl}`;
    const headers: Record<string, string> = {
      Accept: "application/json",
      "OData-MaxVersion": "4.0",
      "OData-Version": "4.0",
      Prefer: 'odata.include-annotations="*"',
      ...(data !== undefined && { "Content-Type": "application/json; charset=utf-8" }),
      ...extraHeaders,
    };
    let response: Awaited<ReturnType<FetchLike>>;
    let text: string;
    try {
      response = await this.fetchFn(url, { method, headers, ...(data !== undefined && { body: JSON.stringify(data) }) });
      text = await response.text();
    } catch (e) {
      throw toDataverseError(e);
    }
    if (response.status < 200 || response.status >= 300) {
      throw fromHttpResponse(response.status, text, response.headers.get("Retry-After"));
    }
    try {
      return { body: text === "" ? undefined : (JSON.parse(text) as unknown), headers: response.headers };
    } catch {
      throw new DataverseError("unknown", `Dataverse answered ${method} ${url} with a body that is not JSON`, response.status);
    }
  }
}

function asRow(value: unknown): DataverseRow {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new DataverseError("unknown", "Dataverse answered with something that is not a row");
  }
  return value as DataverseRow;
}
