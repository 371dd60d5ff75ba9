/**
 * Dataverse through PCF's `context.webAPI`, which carries the user's session and works offline-aware inside the
 * model-driven app. Updates that need an `If-Match` check go to the Web API client instead, because
 * `webAPI.updateRecord` cannot send headers.
 */
import { toDataverseError } from "./errors";
import { toQueryString } from "./queryString";
import type { DataverseClient, DataverseRow, Page, QueryOptions, UpdateOptions } from "./types";

/** The part of `ComponentFramework.WebApi` we call. */
export type PcfWebApi = Pick<
  ComponentFramework.WebApi,
  "retrieveRecord" | "retrieveMultipleRecords" | "createRecord" | "updateRecord" | "deleteRecord"
>;

export class PcfDataverseClient implements DataverseClient {
  constructor(
    private readonly webApi: PcfWebApi,
    /** Used for concurrency-checked updates; usually an `HttpDataverseClient` on the same origin. */
    private readonly http: Pick<DataverseClient, "update">,
  ) {}

  retrieve(table: string, id: string, options?: QueryOptions): Promise<DataverseRow> {
    return guard(async () => (await this.webApi.retrieveRecord(table, id, toQueryString(options))) as DataverseRow);
  }

  retrieveMultiple(table: string, options?: QueryOptions, maxPageSize?: number): Promise<Page> {
    return this.page(table, toQueryString(options), maxPageSize);
  }

  /** PCF takes the query part of the next link as its options string. */
  retrieveNextPage(table: string, nextLink: string, maxPageSize?: number): Promise<Page> {
    const query = nextLink.indexOf("?");
    return this.page(table, query < 0 ? "" : nextLink.slice(query), maxPageSize);
  }

  retrieveFetchXml(table: string, fetchXml: string): Promise<Page> {
    return this.page(table, `?fetchXml=${encodeURIComponent(fetchXml)}`);
  }

  create(table: string, data: Readonly<Record<string, unknown>>): Promise<string> {
    return guard(async () => (await this.webApi.createRecord(table, { ...data })).id.replace(/[{}]/g, "").toLowerCase());
  }

  update(table: string, id: string, data: Readonly<Record<string, unknown>>, options: UpdateOptions = {}): Promise<void> {
    if (options.etag !== undefined) return this.http.update(table, id, data, options);
    return guard(async () => {
      await this.webApi.updateRecord(table, id, { ...data });
    });
  }

  delete(table: string, id: string): Promise<void> {
    return guard(async () => {
      await this.webApi.deleteRecord(table, id);
    });
  }

  private page(table: string, options: string, maxPageSize?: number): Promise<Page> {
    return guard(async () => {
      const result = await this.webApi.retrieveMultipleRecords(table, options, maxPageSize);
      const rows = result.entities as DataverseRow[];
      return result.nextLink ? { rows, nextLink: result.nextLink } : { rows };
    });
  }
}

async function guard<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    throw toDataverseError(e);
  }
}
