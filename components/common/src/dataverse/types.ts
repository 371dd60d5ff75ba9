/**
 * The Dataverse access interface both controls use. Tables are named by logical name (as PCF's `webAPI` does);
 * rows and payloads are in the Web API's JSON shape (`_x_value`, `nav@odata.bind`, `@odata.etag`), so the same
 * data works whether it came through PCF, through `fetch`, or from the in-memory Dataverse.
 */

export type DataverseRow = Readonly<Record<string, unknown>>;

export interface ExpandOption {
  readonly navigationProperty: string;
  readonly select?: readonly string[];
  readonly filter?: string;
  readonly orderBy?: readonly string[];
  readonly top?: number;
}

export interface QueryOptions {
  readonly select?: readonly string[];
  /** An OData `$filter` expression; build text values with `odataString` to keep user text out of the syntax. */
  readonly filter?: string;
  /** `column` or `column desc`. */
  readonly orderBy?: readonly string[];
  readonly top?: number;
  readonly expand?: readonly ExpandOption[];
}

export interface Page {
  readonly rows: readonly DataverseRow[];
  /** Present when more rows match; pass it to `retrieveNextPage`. */
  readonly nextLink?: string;
  /** For a FetchXML query: where the next page starts, when Dataverse said (see `fetchXmlPagingOf`). */
  readonly fetchXmlPaging?: FetchXmlPaging;
}

/**
 * What the Web API says after a page of a FetchXML query: `@Microsoft.Dynamics.CRM.morerecords`, and in
 * `@Microsoft.Dynamics.CRM.fetchxmlpagingcookie` the paging cookie to send with the next page. Its `pagenumber` is not
 * read: reports from real organisations show it stuck at 2 on later pages, so callers count pages themselves.
 */
export interface FetchXmlPaging {
  readonly moreRecords: boolean;
  /** The cookie as the `<fetch paging-cookie>` attribute takes it (XML, decoded); absent for queries Dataverse cannot page by cookie. */
  readonly cookie?: string;
}

export interface UpdateOptions {
  /**
   * The row's `@odata.etag` when it was read. When given, Dataverse refuses the update with 412 if anyone saved the
   * row since, and nothing changes; without it, the last writer wins.
   */
  readonly etag?: string;
}

export interface DataverseClient {
  retrieve(table: string, id: string, options?: QueryOptions): Promise<DataverseRow>;
  /** `maxPageSize` is sent as `Prefer: odata.maxpagesize` (Dataverse allows at most 5,000). */
  retrieveMultiple(table: string, options?: QueryOptions, maxPageSize?: number): Promise<Page>;
  retrieveNextPage(table: string, nextLink: string, maxPageSize?: number): Promise<Page>;
  /** FetchXML, including `aggregate="true"` queries; aggregates over more than 50,000 rows fail with kind `aggregateLimit`. */
  retrieveFetchXml(table: string, fetchXml: string): Promise<Page>;
  /** Returns the new row's id. */
  create(table: string, data: Readonly<Record<string, unknown>>): Promise<string>;
  update(table: string, id: string, data: Readonly<Record<string, unknown>>, options?: UpdateOptions): Promise<void>;
  delete(table: string, id: string): Promise<void>;
}

export const FORMATTED_VALUE = "@OData.Community.Display.V1.FormattedValue";

export function etagOf(row: DataverseRow): string | undefined {
  const etag = row["@odata.etag"];
  return typeof etag === "string" ? etag : undefined;
}

/** The display text Dataverse sent for a column (`<column>@OData.Community.Display.V1.FormattedValue`). */
export function formattedValueOf(row: DataverseRow, column: string): string | undefined {
  const text = row[`${column}${FORMATTED_VALUE}`];
  return typeof text === "string" ? text : undefined;
}

/** One lookup of a table, as its metadata's ManyToOneRelationships describe it. */
export interface ManyToOneRelationship {
  /** The lookup column on the table. */
  readonly referencingAttribute: string;
  /** The table it points at. */
  readonly referencedEntity: string;
  /** The name `@odata.bind` and `$expand` use for it. */
  readonly navigationProperty: string;
}
