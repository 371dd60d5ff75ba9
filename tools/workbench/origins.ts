/**
 * Where the workbench pretends to live when a browser routes these https origins to it (tools/workbench/browser.ts):
 * the simulated Teams client at the Teams web client's own origin, and the model-driven app at an organisation's
 * Dynamics 365 URL (`main.aspx`), framed by it as a tab. docs/reference/teams-host.md, section 1.2, is the structure
 * reproduced. Pure, shared by the pages and the Node side.
 */
export const TEAMS_ORIGIN = "https://teams.microsoft.com";
export const APP_ORIGIN = "https://contoso.crm.dynamics.com";
/** The model-driven app's page, as Dynamics 365 serves it and as a pinned tab's website URL names it. */
export const APP_PATH = "/main.aspx";

/**
 * How Teams frames the app: `dynamics`, the Dynamics 365 app's tab (whether Microsoft puts a wrapper frame of its own
 * between is unknown; the workbench frames main.aspx directly), or `website`, a Website tab pointing at main.aspx
 * (the documented GCC workaround), where Teams answers no teams-js request.
 */
export type TeamsTab = "dynamics" | "website";

/** The simulated Teams client's URL for a workbench query (`?screen=…`), framing the app at APP_ORIGIN. */
export function teamsUrl(search: string, tab: TeamsTab = "dynamics"): string {
  return `${TEAMS_ORIGIN}/teams${search}${search.includes("?") ? "&" : "?"}app=${encodeURIComponent(APP_ORIGIN)}${tab === "website" ? "&tab=website" : ""}`;
}

/**
 * The "Open inside Teams" link of the app page at `origin`: at the routed Dynamics 365 origin, the Teams client at its
 * routed https origin, whose frame the controls recognise as Teams; on plain localhost, the local /teams page, whose
 * http origin is no Teams origin, so the controls run there as outside Teams.
 */
export function insideTeamsHref(origin: string, search: string, tab: TeamsTab = "dynamics"): string {
  return origin === APP_ORIGIN ? teamsUrl(search, tab) : `/teams${search}${tab === "website" ? "&tab=website" : ""}`;
}
