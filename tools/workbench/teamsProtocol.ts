/**
 * The host side of the @microsoft/teams-js 2.x window-message protocol (docs/reference/teams-host.md, 2.1), as a
 * pure function: a request the app frame posts, plus the host's state, gives the answer to post back and the entry
 * for the log. The workbench's simulated Teams page wires it to `postMessage`. Our controls send no such request; the
 * host answers them so that a page which does (a maker's own script, a future control) meets a real Teams tab.
 */

export type HostTheme = "default" | "dark" | "contrast";

export interface TeamsRequest {
  readonly id: number;
  readonly uuidAsString?: string;
  readonly func: string;
  readonly args?: readonly unknown[];
}

export interface HostState {
  readonly theme: HostTheme;
  /** BCP 47, lower case as Teams sends it (`en-us`, `zh-cn`). */
  readonly locale: string;
  readonly userObjectId: string;
  readonly userPrincipalName: string;
  readonly tenantId: string;
}

export interface HostAnswer {
  /** What to post back to the frame; absent when the protocol expects no answer (handler registration). */
  readonly response?: { readonly id: number; readonly uuidAsString?: string; readonly args: readonly unknown[] };
  /** A deep link the app asked Teams to open. */
  readonly openedLink?: string;
  readonly log: { readonly func: string; readonly detail: string; readonly handled: boolean };
}

/** teams-js posts many message shapes; only objects with a numeric id and a string func are requests. */
export function asTeamsRequest(data: unknown): TeamsRequest | undefined {
  if (typeof data !== "object" || data === null) return undefined;
  const { id, func, uuidAsString, args } = data as Record<string, unknown>;
  if (typeof id !== "number" || typeof func !== "string") return undefined;
  return { id, func, ...(typeof uuidAsString === "string" && { uuidAsString }), ...(Array.isArray(args) && { args }) };
}

/** The SDK version the simulated client claims, and the runtime it declares: what the workbench host implements. */
export const HOST_SDK_VERSION = "2.58.0";
export const HOST_RUNTIME = { apiVersion: 4, isLegacyTeams: false, supports: { teamsCore: {} } };

/** The legacy context object `getContext` answers with; teams-js converts it to `app.Context`. */
export function legacyContext(state: HostState): Record<string, unknown> {
  return {
    locale: state.locale,
    theme: state.theme,
    frameContext: "content",
    hostClientType: "web",
    hostName: "Teams",
    userObjectId: state.userObjectId,
    userPrincipalName: state.userPrincipalName,
    loginHint: state.userPrincipalName,
    tid: state.tenantId,
    entityId: "tcc-workbench",
    appSessionId: "00000000-0000-4000-8000-0000000a5e55",
  };
}

const TEAMS_LINK = /^https:\/\/(teams\.microsoft\.com|teams\.cloud\.microsoft|teams\.live\.com)\//i;

export function answerRequest(request: TeamsRequest, state: HostState): HostAnswer {
  const reply = (args: readonly unknown[]) => ({ id: request.id, ...(request.uuidAsString !== undefined && { uuidAsString: request.uuidAsString }), args });
  const args = request.args ?? [];
  switch (request.func) {
    case "initialize":
      return {
        response: reply(["content", "web", JSON.stringify(HOST_RUNTIME), HOST_SDK_VERSION]),
        log: { func: "initialize", detail: `app SDK ${typeof args[0] === "string" ? args[0] : "?"}`, handled: true },
      };
    case "getContext":
      return { response: reply([legacyContext(state)]), log: { func: "getContext", detail: `theme ${state.theme}, locale ${state.locale}`, handled: true } };
    case "executeDeepLink": {
      const url = typeof args[0] === "string" ? args[0] : "";
      if (!TEAMS_LINK.test(url)) {
        return { response: reply([false, `not a Teams link: ${url}`]), log: { func: "executeDeepLink", detail: `refused ${url}`, handled: true } };
      }
      return { response: reply([true]), openedLink: url, log: { func: "executeDeepLink", detail: url, handled: true } };
    }
    case "registerHandler":
      return { log: { func: "registerHandler", detail: typeof args[0] === "string" ? args[0] : "", handled: true } };
    case "appInitialization.appLoaded":
    case "appInitialization.success":
    case "appInitialization.failure":
    case "appInitialization.expectedFailure":
      return { log: { func: request.func, detail: args.map(String).join(" "), handled: true } };
    default:
      return {
        response: reply([false, `${request.func} is not supported by the workbench Teams host`]),
        log: { func: request.func, detail: "not supported", handled: false },
      };
  }
}

/** The host-initiated event teams-js delivers to `app.registerOnThemeChangeHandler`. */
export function themeChangeEvent(theme: HostTheme): { func: string; args: [HostTheme] } {
  return { func: "themeChange", args: [theme] };
}

/** A log entry for any message a frame posts to Teams: a teams-js request by its func, anything else by its shape. */
export function describeMessage(data: unknown): { func: string; detail: string } {
  const request = asTeamsRequest(data);
  if (request !== undefined) return { func: request.func, detail: `id ${request.id}` };
  let detail: string;
  try {
    detail = JSON.stringify(data) ?? String(data);
  } catch {
    detail = Object.prototype.toString.call(data);
  }
  return { func: "message", detail: detail.length > 200 ? `${detail.slice(0, 199)}…` : detail };
}
