/**
 * Our Teams connector: each action's parameters go through the connector's request builder (the swagger, as the
 * runtime reads it) and are sent as real HTTP to a Graph endpoint, normally the loopback Graph stand-in.
 * Parameters the swagger does not accept fail the action with 400, as the runtime rejects them before sending.
 * A value the action gives as one expression is sent as the expression produced it (no internal values filled in).
 */
import { buildRequest, RequestBuildError, sendRequest, type SwaggerDocument } from "../../connector";
import type { JsonValue } from "../expressions";
import type { ConnectorDispatcher, ConnectorRequest, ConnectorResponse } from "../runner";

export const TEAMS_API = "shared_tcc-5fteams-20customer-20collaboration-5f72dfd415918a4991af";

export interface TeamsOutage {
  /** Operations that fail; omitted means all. */
  operationIds?: string[];
  status: number;
  /** How many requests fail before the service recovers; omitted means it never does. */
  times?: number;
}

export interface TeamsDispatcherOptions {
  swagger: SwaggerDocument;
  /** scheme://host of the Graph endpoint, e.g. the stand-in's baseUrl. */
  baseUrl: string;
  accessToken?: string;
  /**
   * A Graph outage in front of the endpoint (the stand-in answers 429 itself but has no 5xx switch): matching
   * requests get this status with Graph's error body and never reach the endpoint.
   */
  outages?: TeamsOutage[];
}

/** Graph sends header names in their canonical case; fetch lower-cases them, flows read them as sent. */
const CANONICAL_HEADERS: Record<string, string> = { location: "Location", "content-location": "Content-Location", "retry-after": "Retry-After", "request-id": "request-id" };

export class TeamsDispatcher implements ConnectorDispatcher {
  /** Every request that reached the Graph endpoint, in order (operation id, method, URL, body). */
  readonly sent: { operationId: string; method: string; url: string; body?: unknown }[] = [];
  private readonly outages: (TeamsOutage & { remaining: number })[];

  constructor(private readonly options: TeamsDispatcherOptions) {
    this.outages = (options.outages ?? []).map((o) => ({ ...o, remaining: o.times ?? Number.POSITIVE_INFINITY }));
  }

  async invoke(request: ConnectorRequest): Promise<ConnectorResponse> {
    let built;
    try {
      built = buildRequest(this.options.swagger, request.operationId, request.parameters, { baseUrl: this.options.baseUrl, authored: request.authoredParameters });
    } catch (e) {
      if (!(e instanceof RequestBuildError)) throw e;
      return { statusCode: 400, body: { error: { code: "InvalidRequestContent", message: `action '${request.actionName}': ${e.message}` } } };
    }
    const outage = this.outages.find((o) => o.remaining > 0 && (o.operationIds === undefined || o.operationIds.includes(request.operationId)));
    if (outage !== undefined) {
      outage.remaining--;
      return { statusCode: outage.status, body: { error: { code: outage.status >= 500 ? "InternalServerError" : "BadRequest", message: `Graph answered ${outage.status} to ${request.operationId}` } } };
    }
    this.sent.push({ operationId: request.operationId, method: built.method, url: built.url, body: built.body });
    const response = await sendRequest(built, this.options.accessToken ?? "stand-in-token");
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(response.headers)) headers[CANONICAL_HEADERS[k] ?? k] = v;
    return { statusCode: response.status, headers, body: (response.body ?? null) as JsonValue };
  }
}
