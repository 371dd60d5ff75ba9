/**
 * The controls' own Teams code inside the workbench's simulated Teams client, served as
 * https://local.teams.office.com: each control's bundled @microsoft/teams-js handshakes with the host, draws itself
 * in the host's theme and follows its changes, and the panel opens quick-action deep links through the Teams
 * protocol. Nothing is injected into the app frame.
 */
import type { Frame, Page } from "playwright-core";
import { accessibilityViolations, axeViolations } from "./a11y";
import { APP_ORIGIN, TEAMS_ORIGIN, teamsUrl } from "../../tools/workbench/origins";
import { eventually, query, ready, useSession } from "./harness";

const session = useSession();

async function inTeams(query: string): Promise<{ page: Page; app: Frame }> {
  const page = await session().open(teamsUrl(query));
  const handle = await page.waitForSelector("#app-frame");
  const app = await handle.contentFrame();
  if (!app) throw new Error("the Teams host has no app frame");
  await ready(app);
  return { page, app };
}

/** The teams-js calls the host answered, in order, as `func detail`. */
const protocolLog = (page: Page) => page.locator("#teams-protocol-log li").allInnerTexts();
const openedInTeams = (page: Page) => page.locator("#teams-opened-links a").evaluateAll((links) => links.map((a) => a.getAttribute("href") ?? ""));

/** The card's Teams theme once the SDK handshake has answered, and the colours the card is drawn in. */
async function cardTheme(app: Frame): Promise<{ theme: string | null; background: string; color: string }> {
  const card = app.locator("#customer-context-panel [data-teams-theme]");
  return card.evaluate((e) => ({ theme: e.getAttribute("data-teams-theme"), background: getComputedStyle(e).backgroundColor, color: getComputedStyle(e).color }));
}

describe("the controls inside the simulated Teams client", () => {
  it("the panel's teams-js handshakes with the host (initialize, getContext, theme handler) and takes its theme", async () => {
    const { page, app } = await inTeams("?screen=account&lang=zh-CN&theme=dark");
    await app.locator('#customer-context-panel [data-teams-theme="dark"]').waitFor();
    const calls = await protocolLog(page);
    expect(calls.slice(0, 3)).toEqual(["initialize app SDK 2.58.0", "getContext theme dark, locale zh-cn", "registerHandler themeChange"]);
    expect(await page.locator('#teams-protocol-log li[data-handled="false"]').count()).toBe(0);
    expect(await cardTheme(app)).toEqual({ theme: "dark", background: "rgb(41, 41, 41)", color: "rgb(255, 255, 255)" });
  });

  it("the card follows the host's theme changes: default, then dark, then contrast", async () => {
    const { page, app } = await inTeams("?screen=account&lang=en&theme=default");
    await app.locator('#customer-context-panel [data-teams-theme="default"]').waitFor();
    const seen = [await cardTheme(app)];
    for (const theme of ["dark", "contrast"]) {
      await page.selectOption("#teams-theme", theme);
      await app.locator(`#customer-context-panel [data-teams-theme="${theme}"]`).waitFor();
      seen.push(await cardTheme(app));
    }
    expect(seen.map((s) => s.theme)).toEqual(["default", "dark", "contrast"]);
    expect(new Set(seen.map((s) => s.background)).size).toBe(3);
    expect((await protocolLog(page)).filter((line) => line.startsWith("themeChange"))).toEqual(["themeChange host → app: dark", "themeChange host → app: contrast"]);
  });

  it("a quick action's deep link reaches Teams through the protocol (executeDeepLink), not a new window", async () => {
    const probe = await inTeams("?screen=account&lang=en");
    const me = await probe.app.evaluate(async () => ((await (await fetch("/api/data/v9.2/WhoAmI")).json()) as { UserId: string }).UserId.toLowerCase());
    const accounts = await query<{ accountid: string; _ownerid_value: string }>(probe.app, "accounts?$select=accountid,_ownerid_value&$top=25");
    const account = accounts.find((a) => a._ownerid_value !== me);
    if (!account) throw new Error("sample data: every account is owned by the signed-in user");
    const [owner] = await query<{ domainname: string }>(probe.app, `systemusers?$select=domainname&$filter=systemuserid eq ${account._ownerid_value}`);

    const { page, app } = await inTeams(`?screen=account&lang=en&record=${account.accountid}`);
    // The link goes through Teams only once the handshake has answered, as in the real client.
    await app.locator("#customer-context-panel [data-teams-theme]").waitFor();
    await app.locator('button[aria-label="Chat with owner"]').click();
    await eventually(async () => (await openedInTeams(page)).length, 1);
    const [opened] = await openedInTeams(page);
    const chat = new URL(opened);
    expect(`${chat.origin}${chat.pathname}`).toBe("https://teams.microsoft.com/l/chat/0/0");
    expect(chat.searchParams.get("users")).toBe(owner.domainname);
    expect((await protocolLog(page)).filter((line) => line.startsWith("executeDeepLink"))).toEqual([`executeDeepLink ${opened}`]);
    // The workbench's PCF host logs navigation.openUrl: the new-window fallback must not have been taken.
    expect(await app.locator('[role=log] li[data-kind="openUrl"]').count()).toBe(0);
  });

  it("from the app at the Dynamics 365 origin, Open inside Teams leads to the Teams client where the panel connects", async () => {
    const page = await session().open(`${APP_ORIGIN}/?screen=account&lang=en`);
    await ready(page);
    await page.locator("#open-in-teams").click();
    await page.waitForURL(`${TEAMS_ORIGIN}/teams?**`);
    const app = await (await page.waitForSelector("#app-frame")).contentFrame();
    if (!app) throw new Error("the Teams host has no app frame");
    await app.locator('#customer-context-panel [data-teams-theme="default"]').waitFor();
    expect((await protocolLog(page)).slice(0, 2)).toEqual(["initialize app SDK 2.58.0", "getContext theme default, locale en-us"]);
  });

  it("the board handshakes with the host and follows its theme changes: default, then dark, then contrast", async () => {
    const { page, app } = await inTeams("?screen=opportunities&lang=en&theme=default");
    const boardTheme = async (theme: string) => {
      const themed = app.locator(`#pipeline-board [data-teams-theme="${theme}"]`);
      await themed.locator('section[aria-label="Qualify"] [role=listitem]').first().waitFor();
      return themed.evaluate((e) => {
        const region = e.querySelector("[role=region]");
        const card = e.querySelector("[role=listitem]");
        if (!region || !card) throw new Error("the board has no region or no card");
        return { board: getComputedStyle(region).backgroundColor, card: getComputedStyle(card).backgroundColor, text: getComputedStyle(card).color };
      });
    };
    const seen = [await boardTheme("default")];
    for (const theme of ["dark", "contrast"]) {
      await page.selectOption("#teams-theme", theme);
      seen.push(await boardTheme(theme));
    }
    expect(seen).toEqual([
      { board: "rgb(255, 255, 255)", card: "rgb(255, 255, 255)", text: "rgb(36, 36, 36)" },
      { board: "rgb(41, 41, 41)", card: "rgb(41, 41, 41)", text: "rgb(255, 255, 255)" },
      { board: "rgb(0, 0, 0)", card: "rgb(0, 0, 0)", text: "rgb(255, 255, 255)" },
    ]);
    expect((await protocolLog(page)).filter((line) => line.startsWith("themeChange"))).toEqual(["themeChange host → app: dark", "themeChange host → app: contrast"]);
    expect(await accessibilityViolations(app)).toEqual([]);
    expect(await axeViolations(app)).toEqual([]);
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
  });
});
