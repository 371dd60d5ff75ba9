export type { DataverseClient, DataverseRow, ExpandOption, FetchXmlPaging, ManyToOneRelationship, Page, QueryOptions, UpdateOptions } from "./types";
export { fetchXmlPagingOf } from "./fetchXmlPaging";
export { etagOf, formattedValueOf, FORMATTED_VALUE } from "./types";
export { bindTo, entitySetName, type EntitySetMetadata, entitySetsFrom, normaliseGuid } from "./entitySets";
export { odataString, toQueryString } from "./queryString";
export {
  DATAVERSE_ERROR_MESSAGE_KEYS,
  DataverseError,
  type DataverseErrorKind,
  fromHttpResponse,
  normaliseErrorCode,
  parseRetryAfter,
  toDataverseError,
} from "./errors";
export { type FetchLike, HttpDataverseClient, type HttpDataverseClientOptions } from "./httpClient";
export { PcfDataverseClient, type PcfWebApi } from "./pcfClient";
