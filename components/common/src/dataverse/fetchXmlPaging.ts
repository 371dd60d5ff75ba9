/**
 * Reads the paging annotations of a Web API FetchXML response. Dataverse sends the cookie wrapped: an outer
 * `<cookie pagenumber="2" pagingcookie="…" istracking="False" />` whose `pagingcookie` attribute is the real cookie,
 * URL-encoded twice (Microsoft's "Page results using FetchXml": decode it twice, then XML-encode it into the next
 * request's `paging-cookie` attribute).
 */
import type { FetchXmlPaging } from "./types";

const MORE_RECORDS = "@Microsoft.Dynamics.CRM.morerecords";
const PAGING_COOKIE = "@Microsoft.Dynamics.CRM.fetchxmlpagingcookie";

function attributeOf(element: string, name: string): string | undefined {
  const match = new RegExp(`\\s${name}="([^"]*)"`).exec(element);
  return match?.[1];
}

function decodeTwice(text: string): string | undefined {
  try {
    return decodeURIComponent(decodeURIComponent(text));
  } catch {
    return undefined;
  }
}

/** The paging of a FetchXML response body, or undefined when it carries none (an aggregate, a non-FetchXML query). */
export function fetchXmlPagingOf(body: Readonly<Record<string, unknown>>): FetchXmlPaging | undefined {
  const more = body[MORE_RECORDS];
  const wrapper = body[PAGING_COOKIE];
  if (typeof more !== "boolean" && typeof wrapper !== "string") return undefined;
  const moreRecords = more === true;
  if (typeof wrapper !== "string") return { moreRecords };
  const encoded = attributeOf(wrapper, "pagingcookie");
  const cookie = encoded === undefined || encoded === "" ? undefined : decodeTwice(encoded);
  return { moreRecords, ...(cookie !== undefined && { cookie }) };
}
