import type { ConnectorDispatcher, ConnectorRequest, ConnectorResponse } from "../runner";

/** Routes each connector action to the dispatcher registered for its API name (from the flow's connection references). */
export class RoutingDispatcher implements ConnectorDispatcher {
  readonly requests: ConnectorRequest[] = [];

  constructor(private readonly routes: Readonly<Record<string, ConnectorDispatcher>>) {}

  invoke(request: ConnectorRequest): Promise<ConnectorResponse> {
    this.requests.push(request);
    const target = this.routes[request.apiName];
    if (target === undefined) {
      const known = Object.keys(this.routes).join(", ") || "none";
      return Promise.reject(new Error(`no dispatcher for API '${request.apiName}' (action '${request.actionName}'); known: ${known}`));
    }
    return target.invoke(request);
  }
}
