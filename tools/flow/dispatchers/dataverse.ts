/**
 * The Dataverse connector (shared_commondataserviceforapps) over the in-memory Dataverse: each row operation a flow
 * calls becomes the Web API request the connector sends, answered by the embedded Web API handler, so OData
 * filters, `@odata.bind` lookups, formatted values and platform rules behave as they do against a real environment.
 */
import type { JsonValue } from "../expressions";
import type { ConnectorDispatcher, ConnectorRequest, ConnectorResponse } from "../runner";
import { ConnectorActionError, DataverseConnector } from "../../dataverse/connector";
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
  private readonly connector: DataverseConnector;

  constructor(api: InMemoryWebApi) {
    this.connector = new DataverseConnector(api);
  }

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
    const entityName = parameters.entityName;
    if (typeof entityName !== "string" || entityName === "") return errorResponse(400, `${operationId} needs entityName, the table's entity set name (action '${request.actionName}').`);
    const recordId = typeof parameters.recordId === "string" ? parameters.recordId : "";
    if (operationId !== "ListRecords" && operationId !== "CreateRecord" && recordId === "") return errorResponse(400, `${operationId} needs recordId (action '${request.actionName}').`);
    const text = (name: string): string | undefined => {
      const v = parameters[name];
      return typeof v === "string" || typeof v === "number" ? String(v) : undefined;
    };
    try {
      switch (operationId) {
        case "ListRecords": {
          const top = parameters.$top;
          const body = await this.connector.listRows({
            entityName, $select: text("$select"), $filter: text("$filter"), $orderby: text("$orderby"), $expand: text("$expand"),
            $top: typeof top === "number" ? top : typeof top === "string" && top !== "" ? Number(top) : undefined,
            fetchXml: text("fetchXml"), $skiptoken: text("$skiptoken"),
          });
          return { statusCode: 200, body: body as JsonValue };
        }
        case "GetItem":
          return { statusCode: 200, body: (await this.connector.getRow({ entityName, recordId, $select: text("$select"), $expand: text("$expand") })) as JsonValue };
        case "CreateRecord":
          return { statusCode: 201, body: (await this.connector.addRow({ entityName, item: normaliseBinds(itemOf(parameters)) })) as JsonValue };
        case "UpdateRecord":
          return { statusCode: 200, body: (await this.connector.updateRow({ entityName, recordId, item: normaliseBinds(itemOf(parameters)) })) as JsonValue };
        default:
          await this.connector.deleteRow({ entityName, recordId });
          return { statusCode: 204, body: null };
      }
    } catch (e) {
      if (!(e instanceof ConnectorActionError)) throw e;
      let body: JsonValue;
      try {
        body = JSON.parse(e.body) as JsonValue;
      } catch {
        body = { error: { code: "0x80040216", message: e.body } };
      }
      return { statusCode: e.status, body };
    }
  }
}
