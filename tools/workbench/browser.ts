/**
 * Driving the workbench in Debian's Chromium (playwright-core), shared by the browser tests and the screenshots:
 * the simulated Teams client is served as https://local.teams.office.com (a parent origin @microsoft/teams-js
 * accepts) and the app inside it as an organisation's https Dynamics 365 origin, both routed to the local workbench,
 * so the controls' real teams-js origin checks run unchanged; the CDN hosts the page may try stay offline, except
 * Fluent's icon font, which @fluentui/font-icons-mdl2 ships under the same file names the CDN serves.
 */
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import type { BrowserContext, Route } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";
export const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic", "--no-first-run", "--disable-component-update", "--disable-sync"];
export const TEAMS_ORIGIN = "https://local.teams.office.com";
/** The app's origin inside Teams, as an organisation's Dynamics 365 URL. */
export const APP_ORIGIN = "https://contoso.crm.dynamics.com";
/** Hosts the page may try (teams-js's valid-domains list, Fluent's fonts and icons), kept offline on purpose. */
export const OFFLINE_HOSTS = /^https:\/\/(res(-\d)?\.cdn\.office\.net|static2\.sharepointonline\.com|spoppe-b\.azureedge\.net|[a-z0-9-]+\.azureedge\.net)\//;

/** The simulated Teams client's URL for a workbench query (`?screen=…&theme=…`), framing the app at APP_ORIGIN. */
export function teamsUrl(search: string): string {
  return `${TEAMS_ORIGIN}/teams${search}${search.includes("?") ? "&" : "?"}app=${encodeURIComponent(APP_ORIGIN)}`;
}

/** The local copy of a Fluent icon font the CDN serves as `…/assets/icons/<file>`, if the repo has it. */
export function localIconFont(root: string, url: string): string | undefined {
  const file = /\/assets\/icons\/(fabric-icons[-a-z0-9]*\.woff2?)$/.exec(new URL(url).pathname)?.[1];
  if (file === undefined) return undefined;
  const local = path.join(root, "node_modules", "@fluentui", "font-icons-mdl2", "fonts", file);
  return existsSync(local) ? local : undefined;
}

/**
 * Routes TEAMS_ORIGIN and APP_ORIGIN to the workbench at `workbenchUrl`, serves Fluent's icon fonts from `root`'s
 * node_modules and aborts everything else on the offline hosts; `onBlocked` hears each aborted URL, so a caller can
 * tell those failed loads from real ones.
 */
export async function routeWorkbench(context: BrowserContext, workbenchUrl: string, root: string, onBlocked: (url: string) => void = () => undefined): Promise<void> {
  const base = workbenchUrl.replace(/\/$/, "");
  await context.route(OFFLINE_HOSTS, (route) => {
    const url = route.request().url();
    const font = localIconFont(root, url);
    if (font !== undefined) {
      return route.fulfill({ status: 200, contentType: "font/woff", headers: { "Access-Control-Allow-Origin": "*" }, body: readFileSync(font) });
    }
    onBlocked(url);
    return route.abort("internetdisconnected");
  });
  const toWorkbench = async (route: Route) => {
    const url = new URL(route.request().url());
    const response = await route.fetch({ url: `${base}${url.pathname}${url.search}` });
    await route.fulfill({ response });
  };
  await context.route(`${TEAMS_ORIGIN}/**`, toWorkbench);
  await context.route(`${APP_ORIGIN}/**`, toWorkbench);
}
