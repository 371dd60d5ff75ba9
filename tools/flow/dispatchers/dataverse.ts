/**
 * The Dataverse connector (shared_commondataserviceforapps) over the in-memory Dataverse: each row operation a flow
 * calls becomes the Web API request the connector sends, answered by the embedded Web API handler, so OData
 * filters, `@odata.bind` lookups, formatted values and platform rules behave as they do against a real environment.
 */
import type { JsonValue } from "../expressions";
import type { ConnectorDispatcher, ConnectorRequest, ConnectorResponse } from "../runner";
import type { InMemoryWebApi } from "../../dataverse/webApiHandler";

export const DATAVERSE_API = "shared_commondataserviceforapps";

/** The connector's row operations and the parameters each one reads; anything else is rejected as the designer would. */
export const DATAVERSE_OPERATIONS: Readonly<Record<string, readonly string[]>> = {
  ListRecords: ["entityName", "$select", "$filter", "$orderby", "$expand", "$top", "fetchXml", "$skiptoken"],
  GetItem: ["entityName", "recordId", "$select", "$expand"],
  CreateRecord: ["entityName", "item"],
  UpdateRecord: ["entityName", "recordId", "item"],
  DeleteRecord: ["entityName", "recordId"],
  SubscribeWebhookTrigger: ["subscriptionRequest"],
};

const API_ROOT = "/api/data/v9.2/";
const PREFER = 'odata.include-annotations="*",return=representation';

function errorResponse(status: number, message: string): ConnectorResponse {
  return { statusCode: status, body: { error: { code: "0x80040203", message } } };
}

/** Splits `item/name` parameters into the row body the Web API receives. */
function itemOf(parameters: Record<string, JsonValue>): Record<string, JsonValue> {
  const item: Record<string, JsonValue> = {};
  for (const [key, value] of Object.entries(parameters)) {
    if (key.startsWith("item/")) item[key.slice(5)] = value;
  }
  return item;
}

/** `accounts(id)` binds need the leading slash the Web API expects; the connector accepts both forms. */
function normaliseBinds(item: Record<string, JsonValue>): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  for (const [key, value] of Object.entries(item)) {
    out[key] = key.endsWith("@odata.bind") && typeof value === "string" && !value.startsWith("/") && !/^https?:/.test(value) ? `/${value}` : value;
  }
  return out;
}

export class DataverseDispatcher implements ConnectorDispatcher {
  constructor(private readonly api: InMemoryWebApi) {}

  async invoke(request: ConnectorRequest): Promise<ConnectorResponse> {
    const { operationId, parameters } = request;
    const known = DATAVERSE_OPERATIONS[operationId];
    if (known === undefined) return errorResponse(400, `The Dataverse connector has no operation '${operationId}' (action '${request.actionName}').`);
    for (const key of Object.keys(parameters)) {
      const root = key.split("/")[0];
      if (!known.includes(root)) return errorResponse(400, `'${key}' is not a parameter of ${operationId} (action '${request.actionName}'); it takes ${known.join(", ")}.`);
    }
    if (operationId === "SubscribeWebhookTrigger") {
      return errorResponse(400, `SubscribeWebhookTrigger is a trigger; the runner delivers its event as the trigger outputs (action '${request.actionName}').`);
    }
    const entitySet = parameters.entityName;
    if (typeof entitySet !== "string" || entitySet === "") return errorResponse(400, `${operationId} needs entityName, the table's entity set name (action '${request.actionName}').`);
    const recordId = parameters.recordId;
    const needsId = operationId !== "ListRecords" && operationId !== "CreateRecord";
    if (needsId && (typeof recordId !== "string" || recordId === "")) return errorResponse(400, `${operationId} needs recordId (action '${request.actionName}').`);
    const target = needsId && typeof recordId === "string" ? `${entitySet}(${recordId})` : entitySet;
    const query = new URLSearchParams();
    for (const option of ["$select", "$filter", "$orderby", "$expand", "$top"]) {
      const v = parameters[option];
      if (typeof v === "string" || typeof v === "number") query.set(option, String(v));
    }
    if (typeof parameters.fetchXml === "string" && parameters.fetchXml !== "") query.set("fetchXml", parameters.fetchXml);
    const search = query.toString() === "" ? "" : `?${query.toString()}`;
    const method = { ListRecords: "GET", GetItem: "GET", CreateRecord: "POST", UpdateRecord: "PATCH", DeleteRecord: "DELETE" }[operationId] ?? "GET";
    const headers: Record<string, string> = { Accept: "application/json", Prefer: PREFER, "OData-Version": "4.0" };
    let body: string | undefined;
    if (method === "POST" || method === "PATCH") {
      headers["Content-Type"] = "application/json";
      body = JSON.stringify(normaliseBinds(itemOf(parameters)));
      // The connector's Update a row never creates: it sends If-Match: * so a missing row is a 404, not an upsert.
      if (method === "PATCH") headers["If-Match"] = "*";
    }
    const response = await this.api.handle({ method, url: `${API_ROOT}${target}${search}`, headers, body });
    const responseHeaders: Record<string, string> = {};
    for (const [k, v] of Object.entries(response.headers)) responseHeaders[k] = v;
    let parsed: JsonValue = null;
    if (response.body !== "") {
      try {
        parsed = JSON.parse(response.body) as JsonValue;
      } catch {
        parsed = response.body;
      }
    }
    return { statusCode: response.status, headers: responseHeaders, body: parsed };
  }
}
