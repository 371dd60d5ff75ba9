/**
 * Driving the workbench in Debian's Chromium (playwright-core), shared by the browser tests and the screenshots:
 * the simulated Teams client is served as https://teams.microsoft.com and the app inside it as an organisation's
 * https Dynamics 365 origin, both routed to the local workbench, so the frame ancestry the controls read
 * (`location.ancestorOrigins`) is the real host's; the CDN hosts the page may try stay offline, except Fluent's icon
 * font, which @fluentui/font-icons-mdl2 ships under the same file names the CDN serves.
 */
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { type Browser, type BrowserContext, chromium, type Route } from "playwright-core";
import { APP_ORIGIN, APP_PATH, TEAMS_ORIGIN } from "./origins";

export { APP_ORIGIN, TEAMS_ORIGIN, teamsUrl } from "./origins";

export const CHROMIUM = "/usr/bin/chromium";
export const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic", "--no-first-run", "--disable-component-update", "--disable-sync"];
/** Hosts the page may try (Fluent's fonts and icons), kept offline on purpose. */
export const OFFLINE_HOSTS = /^https:\/\/(res(-\d)?\.cdn\.office\.net|static2\.sharepointonline\.com|spoppe-b\.azureedge\.net|[a-z0-9-]+\.azureedge\.net)\//;

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

/**
 * npm start -- --browser: a Chromium window (CHROMIUM_PATH, else Debian's) with the routes above, opened on the app
 * at APP_ORIGIN, so "Open inside Teams" leads to the simulated client at TEAMS_ORIGIN, whose frame the controls
 * recognise as Teams, as in the browser tests.
 */
export async function openWorkbenchBrowser(workbenchUrl: string, root: string, options: { readonly headless?: boolean; readonly search?: string } = {}): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH ?? CHROMIUM;
  if (!existsSync(executablePath)) throw new Error(`workbench --browser: no Chromium at ${executablePath} (apt-get install chromium, or set CHROMIUM_PATH)`);
  const headless = options.headless ?? false;
  const browser = await chromium.launch({ executablePath, headless, args: CHROMIUM_ARGS.filter((arg) => headless || arg !== "--headless") });
  const context = await browser.newContext(headless ? {} : { viewport: null });
  await routeWorkbench(context, workbenchUrl, root);
  const page = await context.newPage();
  await page.goto(`${APP_ORIGIN}${APP_PATH}${options.search ?? ""}`);
  return browser;
}
