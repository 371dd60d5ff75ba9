/**
 * The controls in the frame structure Dynamics 365 in Teams has (docs/reference/teams-host.md, 1.2): the Teams client
 * is the top window at https://teams.microsoft.com, the model-driven app's main.aspx at the organisation's
 * https://contoso.crm.dynamics.com is its tab frame, and the controls are divs in that app's own window. The controls
 * load no Teams SDK: they recognise Teams from the frame ancestry, draw in the app's theme (PCF fluentDesignLanguage,
 * switched on the app page) or Teams' light theme, open every link through PCF navigation.openUrl (the app page logs
 * it), and post nothing to Teams, which logs every message it receives. A Website tab and a top-level app page give
 * the same behaviour.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import type { Frame, Page } from "playwright-core";
import { accessibilityViolations, axeViolations } from "./a11y";
import { APP_ORIGIN, APP_PATH, TEAMS_ORIGIN, type TeamsTab, teamsUrl } from "../../tools/workbench/origins";
import { eventually, query, ready, ROOT, useSession } from "./harness";

const session = useSession();

async function inTeams(search: string, tab: TeamsTab = "dynamics"): Promise<{ page: Page; app: Frame }> {
  const page = await session().open(teamsUrl(search, tab));
  const handle = await page.waitForSelector("#app-frame");
  const app = await handle.contentFrame();
  if (!app) throw new Error("the Teams host has no app frame");
  await ready(app);
  return { page, app };
}

/** Every message the Teams client received from any frame, as `func origin: detail`. */
const messagesToTeams = (page: Page) => page.locator("#teams-protocol-log li").allInnerTexts();
/** What the app page's PCF host received through `context.navigation.openUrl`, oldest first. */
const openedUrls = async (app: Page | Frame) => (await app.locator('[role=log] li[data-kind="openUrl"]').allInnerTexts()).map((line) => line.replace(/^openUrl: /, "")).reverse();

/** The Teams theme the card is drawn in (none: the app's own Fluent theme), and its colours. */
async function cardTheme(app: Page | Frame): Promise<{ theme: string | null; background: string; color: string }> {
  await app.locator('#customer-context-panel [aria-busy="false"]').first().waitFor();
  return app.locator("#customer-context-panel").evaluate((host) => {
    const themed = host.querySelector("[data-teams-theme]");
    const surface = (themed ?? host.firstElementChild) as HTMLElement;
    return { theme: themed?.getAttribute("data-teams-theme") ?? null, background: getComputedStyle(surface).backgroundColor, color: getComputedStyle(surface).color };
  });
}

/** The board's Teams theme (none: the app's own) and the colours of the board and its first card. */
async function boardLook(app: Page | Frame): Promise<{ theme: string | null; board: string; card: string; text: string }> {
  await app.locator('#pipeline-board section[aria-label="Qualify"] [role=listitem]').first().waitFor();
  return app.locator("#pipeline-board").evaluate((host) => {
    const region = host.querySelector("[role=region]");
    const card = host.querySelector("[role=listitem]");
    if (!region || !card) throw new Error("the board has no region or no card");
    return {
      theme: host.querySelector("[data-teams-theme]")?.getAttribute("data-teams-theme") ?? null,
      board: getComputedStyle(region).backgroundColor,
      card: getComputedStyle(card).backgroundColor,
      text: getComputedStyle(card).color,
    };
  });
}

const LIGHT_CARD = { background: "rgb(255, 255, 255)", color: "rgb(36, 36, 36)" };
const DARK_CARD = { background: "rgb(41, 41, 41)", color: "rgb(255, 255, 255)" };

/** An account the signed-in user does not own, and its owner's sign-in name, so "Chat with owner" is offered. */
async function accountOwnedByAnother(app: Frame | Page): Promise<{ id: string; owner: string }> {
  const me = await app.evaluate(async () => ((await (await fetch("/api/data/v9.2/WhoAmI")).json()) as { UserId: string }).UserId.toLowerCase());
  const accounts = await query<{ accountid: string; _ownerid_value: string }>(app, "accounts?$select=accountid,_ownerid_value&$top=25");
  const account = accounts.find((a) => a._ownerid_value !== me);
  if (!account) throw new Error("sample data: every account is owned by the signed-in user");
  const [owner] = await query<{ domainname: string }>(app, `systemusers?$select=domainname&$filter=systemuserid eq ${account._ownerid_value}`);
  return { id: account.accountid, owner: owner.domainname };
}

describe("the controls inside the simulated Teams client", () => {
  it("reproduces the real frames: Teams on top at its origin, main.aspx at the org origin as the tab, the controls in the app's own window", async () => {
    const { page, app } = await inTeams("?screen=account&lang=en");
    expect(new URL(page.url()).origin).toBe(TEAMS_ORIGIN);
    const tab = new URL(app.url());
    expect(`${tab.origin}${tab.pathname}`).toBe(`${APP_ORIGIN}${APP_PATH}`);
    expect(tab.searchParams.get("theme")).toBeNull();
    expect(app.parentFrame()).toBe(page.mainFrame());
    expect(app.childFrames()).toEqual([]);
    expect(await app.evaluate(() => Array.from(location.ancestorOrigins))).toEqual([TEAMS_ORIGIN]);
    expect(await app.locator("#customer-context-panel").evaluate((e) => e.tagName)).toBe("DIV");
  });

  it("the panel recognises Teams from the frame ancestry and draws Teams' light theme at once, posting nothing to Teams", async () => {
    const { page, app } = await inTeams("?screen=account&lang=zh-CN");
    expect(await cardTheme(app)).toEqual({ theme: "default", ...LIGHT_CARD });
    expect(await messagesToTeams(page)).toEqual([]);
  });

  it("the panel follows the app's theme switch (fluentDesignLanguage), not Teams' own theme, which it never receives", async () => {
    const { page, app } = await inTeams("?screen=account&lang=en");
    await page.selectOption("#teams-theme", "dark");
    expect(await cardTheme(app)).toEqual({ theme: "default", ...LIGHT_CARD });
    await app.selectOption("#wb-app-theme", "dark");
    await app.locator('#customer-context-panel [data-teams-theme="dark"]').waitFor();
    expect(await cardTheme(app)).toEqual({ theme: "dark", ...DARK_CARD });
    await app.selectOption("#wb-app-theme", "light");
    await app.locator('#customer-context-panel [data-teams-theme="default"]').waitFor();
    expect(await messagesToTeams(page)).toEqual([]);
  });

  it("the panel opens a quick action's Teams deep link through navigation.openUrl; Teams receives no message", async () => {
    const probe = await inTeams("?screen=account&lang=en");
    const account = await accountOwnedByAnother(probe.app);
    const { page, app } = await inTeams(`?screen=account&lang=en&record=${account.id}`);
    await app.locator('button[aria-label="Chat with owner"]').click();
    await eventually(async () => (await openedUrls(app)).length, 1);
    const chat = new URL((await openedUrls(app))[0]);
    expect(`${chat.origin}${chat.pathname}`).toBe("https://teams.microsoft.com/l/chat/0/0");
    expect(chat.searchParams.get("users")).toBe(account.owner);
    expect(await messagesToTeams(page)).toEqual([]);
    expect(await page.locator("#teams-opened-links li").count()).toBe(0);
  });

  it("the board draws Teams' light theme, then the app's dark theme when the app switches, and opens Share to Teams through navigation.openUrl", async () => {
    const { page, app } = await inTeams("?screen=opportunities&lang=en");
    expect(await boardLook(app)).toEqual({ theme: "default", board: "rgb(255, 255, 255)", card: "rgb(255, 255, 255)", text: "rgb(36, 36, 36)" });
    await app.selectOption("#wb-app-theme", "dark");
    await app.locator('#pipeline-board [data-teams-theme="dark"]').waitFor();
    expect(await boardLook(app)).toEqual({ theme: "dark", board: "rgb(41, 41, 41)", card: "rgb(41, 41, 41)", text: "rgb(255, 255, 255)" });
    await app.locator("#pipeline-board [role=listitem]").first().getByRole("button", { name: "Teams", exact: true }).click();
    await app.getByRole("menuitem", { name: "Share to Teams" }).click();
    await eventually(async () => (await openedUrls(app)).map((url) => `${new URL(url).origin}${new URL(url).pathname}`), ["https://teams.microsoft.com/share"]);
    expect(await messagesToTeams(page)).toEqual([]);
    expect(await accessibilityViolations(app)).toEqual([]);
    expect(await axeViolations(app)).toEqual([]);
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
  });

  it("in a Website tab the controls behave the same: Teams recognised, light theme, links through openUrl, nothing posted", async () => {
    const probe = await inTeams("?screen=account&lang=en", "website");
    const account = await accountOwnedByAnother(probe.app);
    const { page, app } = await inTeams(`?screen=account&lang=en&record=${account.id}`, "website");
    expect(await page.locator("h1").innerText()).toBe("Website tab: Dynamics 365");
    expect(await cardTheme(app)).toEqual({ theme: "default", ...LIGHT_CARD });
    await app.locator('button[aria-label="Chat with owner"]').click();
    await eventually(async () => (await openedUrls(app)).map((url) => new URL(url).pathname), ["/l/chat/0/0"]);
    expect(await messagesToTeams(page)).toEqual([]);
  });

  it("from the app at the Dynamics 365 origin, Open inside Teams leads to the Teams client, where the panel recognises Teams", async () => {
    const page = await session().open(`${APP_ORIGIN}${APP_PATH}?screen=account&lang=en`);
    await ready(page);
    await page.locator("#open-in-teams").click();
    await page.waitForURL(`${TEAMS_ORIGIN}/teams?**`);
    const app = await (await page.waitForSelector("#app-frame")).contentFrame();
    if (!app) throw new Error("the Teams host has no app frame");
    await app.locator('#customer-context-panel [data-teams-theme="default"]').waitFor();
    expect(await messagesToTeams(page)).toEqual([]);
  });
});

describe("the controls at top level, outside Teams", () => {
  it("draw the app's own theme, follow its dark switch, open links through openUrl, and post no message to any window", async () => {
    const page = await session().open(`${APP_ORIGIN}${APP_PATH}?screen=account&lang=en`);
    await ready(page);
    const account = await accountOwnedByAnother(page);
    // A message posted to window.parent at top level reaches this same window: record every one from the start.
    await page.addInitScript(() => {
      const seen: unknown[] = [];
      Object.defineProperty(window, "__messagesSeen", { value: seen });
      window.addEventListener("message", (event) => seen.push(event.data));
    });
    await page.goto(`${APP_ORIGIN}${APP_PATH}?screen=account&lang=en&record=${account.id}`);
    await ready(page);
    expect(await cardTheme(page)).toMatchObject({ theme: null });
    await page.locator('button[aria-label="Chat with owner"]').click();
    await eventually(async () => (await openedUrls(page)).map((url) => new URL(url).pathname), ["/l/chat/0/0"]);
    await page.selectOption("#wb-app-theme", "dark");
    await page.locator('#customer-context-panel [data-teams-theme="dark"]').waitFor();
    expect(await cardTheme(page)).toEqual({ theme: "dark", ...DARK_CARD });
    expect(await page.evaluate(() => (window as unknown as { __messagesSeen: unknown[] }).__messagesSeen)).toEqual([]);
  });
});

describe("no Teams SDK on the page", () => {
  /** Strings only @microsoft/teams-js 2.x carries: its one-copy warning, its CDN origins list, its handshake errors. */
  const TEAMS_JS_MARKERS = ["teamsjs can only be used from a single script", "res.cdn.office.net", "No Parent window found", "SDK initialization timed out", "executeDeepLink"];

  it.each(["CustomerContextPanel", "PipelineBoard"])("the production bundle of %s carries none of teams-js's identifying strings", (control) => {
    const bundle = readFileSync(path.join(ROOT, "components", control, "out", "controls", control, "bundle.js"), "utf8");
    expect(bundle.length).toBeGreaterThan(10_000);
    expect(TEAMS_JS_MARKERS.filter((marker) => bundle.includes(marker))).toEqual([]);
  });

  it("the app window, which loads both control bundles, has no teams-js global once the board has drawn", async () => {
    const { app } = await inTeams("?screen=opportunities&lang=en");
    await app.locator("#pipeline-board [role=listitem]").first().waitFor();
    expect(await app.evaluate(() => ["microsoftTeams", "teamsjs"].filter((name) => name in window))).toEqual([]);
  });
});
