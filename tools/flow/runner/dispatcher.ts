import type { JsonValue } from "../expressions";

/** A connector operation call made by an OpenApiConnection or OpenApiConnectionWebhook action. */
export interface ConnectorRequest {
  actionName: string;
  actionType: "OpenApiConnection" | "OpenApiConnectionWebhook";
  /** The key in the flow's connectionReferences (host.connectionName). */
  connectionName: string;
  /** The connector's API name (e.g. shared_commondataserviceforapps), from connectionReferences. */
  apiName: string;
  operationId: string;
  /** The flattened parameters (`item/name`, `body/recipient`) after expression evaluation. */
  parameters: Record<string, JsonValue>;
  /** The same parameters as the definition writes them, before evaluation (a dispatcher can tell a value written out from one an expression produced). */
  authoredParameters?: Record<string, JsonValue>;
}

export interface ConnectorResponse {
  statusCode: number;
  headers?: Record<string, string>;
  body?: JsonValue;
  /** Virtual time the call takes (a webhook's wait for its callback, a slow service). */
  durationMs?: number;
}

/**
 * Routes connector actions to implementations (embedded Dataverse, scripted Approvals, the Teams
 * connector against the Graph stand-in). It answers with an HTTP-like response; it throws only for
 * requests it cannot route.
 */
export interface ConnectorDispatcher {
  invoke(request: ConnectorRequest): Promise<ConnectorResponse>;
}

type Script = ConnectorResponse | ((request: ConnectorRequest) => ConnectorResponse | Promise<ConnectorResponse>);

/**
 * A dispatcher for tests: responses scripted per `apiName/operationId`, consumed in order; the last
 * one repeats. Every request is recorded.
 */
export class ScriptedDispatcher implements ConnectorDispatcher {
  readonly requests: ConnectorRequest[] = [];
  private readonly scripts = new Map<string, Script[]>();

  on(apiName: string, operationId: string, ...responses: Script[]): this {
    this.scripts.set(`${apiName}/${operationId}`, responses);
    return this;
  }

  async invoke(request: ConnectorRequest): Promise<ConnectorResponse> {
    this.requests.push(request);
    const key = `${request.apiName}/${request.operationId}`;
    const queue = this.scripts.get(key);
    if (queue === undefined || queue.length === 0) {
      throw new Error(`no scripted response for ${key} (action '${request.actionName}')`);
    }
    const next = queue.length > 1 ? queue.shift() : queue[0];
    if (next === undefined) throw new Error(`no scripted response for ${key}`);
    return typeof next === "function" ? next(request) : next;
  }
}
