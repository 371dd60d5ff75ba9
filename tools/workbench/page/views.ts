/**
 * The opportunity view the board is placed on, as the app defines it: its columns and filter for the dataset, and
 * its FetchXML served as the system view (`savedqueries`), which the board reads to total the whole view.
 * The in-memory Dataverse has no view tables, so the workbench answers those two reads itself, as the app's
 * metadata would.
 */
import type { Condition } from "../../dataverse/query";
import type { WebApiResponse } from "../../dataverse/webApiHandler";

export const OPEN_OPPORTUNITIES_VIEW = {
  id: "00000000-0000-0000-00aa-000010001002",
  name: "Open Opportunities",
  columns: ["name", "salesstage", "estimatedvalue", "closeprobability", "estimatedclosedate", "ownerid", "parentaccountid", "opportunityratingcode"],
  filter: { kind: "compare", column: "statecode", op: "eq", value: 0 } as Condition,
  fetchXml:
    '<fetch version="1.0" mapping="logical"><entity name="opportunity"><attribute name="name"/><attribute name="salesstage"/>' +
    '<attribute name="estimatedvalue"/><attribute name="closeprobability"/><attribute name="estimatedclosedate"/><attribute name="ownerid"/>' +
    '<attribute name="parentaccountid"/><order attribute="estimatedclosedate"/><filter type="and">' +
    '<condition attribute="statecode" operator="eq" value="0"/></filter></entity></fetch>',
} as const;

const JSON_HEADERS = { "Content-Type": "application/json; odata.metadata=minimal", "OData-Version": "4.0" };

function notFound(what: string): WebApiResponse {
  return { status: 404, headers: JSON_HEADERS, body: JSON.stringify({ error: { code: "0x80040217", message: `${what} Does Not Exist` } }) };
}

/** The answer for a view read, or undefined for every other request. */
export function systemViewResponse(method: string, url: URL): WebApiResponse | undefined {
  if (method !== "GET") return undefined;
  const match = /\/api\/data\/v9\.\d+\/(savedqueries|userqueries)\(([0-9a-fA-F-]{36})\)$/.exec(url.pathname);
  if (!match) return undefined;
  const [, set, id] = match;
  if (set === "userqueries") return notFound(`userquery With Id = ${id}`);
  if (id.toLowerCase() !== OPEN_OPPORTUNITIES_VIEW.id) return notFound(`savedquery With Id = ${id}`);
  return {
    status: 200,
    headers: JSON_HEADERS,
    body: JSON.stringify({ savedqueryid: OPEN_OPPORTUNITIES_VIEW.id, name: OPEN_OPPORTUNITIES_VIEW.name, fetchxml: OPEN_OPPORTUNITIES_VIEW.fetchXml }),
  };
}

/** PCF's `webAPI` with the view reads answered as above; PCF rejects a missing row with errorCode 0x80040217. */
export function withSystemViews(webApi: ComponentFramework.WebApi): ComponentFramework.WebApi {
  return {
    createRecord: (entityType, data) => webApi.createRecord(entityType, data),
    deleteRecord: (entityType, id) => webApi.deleteRecord(entityType, id),
    updateRecord: (entityType, id, data) => webApi.updateRecord(entityType, id, data),
    retrieveMultipleRecords: (entityType, options, maxPageSize) => webApi.retrieveMultipleRecords(entityType, options, maxPageSize),
    retrieveRecord: (entityType, id, options) => {
      if (entityType !== "savedquery" && entityType !== "userquery") return webApi.retrieveRecord(entityType, id, options);
      const answer = systemViewResponse("GET", new URL(`https://workbench/api/data/v9.2/${entityType === "savedquery" ? "savedqueries" : "userqueries"}(${id})`));
      if (answer?.status === 200) return Promise.resolve(JSON.parse(answer.body) as ComponentFramework.WebApi.Entity);
      const message = `${entityType} With Id = ${id} Does Not Exist`;
      return Promise.reject(Object.assign(new Error(message), { errorCode: 0x80040217, code: 0x80040217 }));
    },
  };
}
