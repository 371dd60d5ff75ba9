/**
 * Where the workbench pretends to live when a browser routes these https origins to it (tools/workbench/browser.ts):
 * the simulated Teams client at a parent origin @microsoft/teams-js accepts, and the app at an organisation's
 * Dynamics 365 URL, as Teams frames it. Pure, shared by the pages and the Node side.
 */
export const TEAMS_ORIGIN = "https://local.teams.office.com";
export const APP_ORIGIN = "https://contoso.crm.dynamics.com";

/** The simulated Teams client's URL for a workbench query (`?screen=…&theme=…`), framing the app at APP_ORIGIN. */
export function teamsUrl(search: string): string {
  return `${TEAMS_ORIGIN}/teams${search}${search.includes("?") ? "&" : "?"}app=${encodeURIComponent(APP_ORIGIN)}`;
}

/**
 * The "Open inside Teams" link of the app page at `origin`: at the routed Dynamics 365 origin, the Teams client at its
 * routed https origin, where the controls' teams-js handshake succeeds; on plain localhost, the local /teams page,
 * where teams-js refuses the http parent and the controls run as outside Teams.
 */
export function insideTeamsHref(origin: string, search: string): string {
  return origin === APP_ORIGIN ? teamsUrl(search) : `/teams${search}`;
}
