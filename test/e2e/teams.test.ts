/**
 * The workbench's simulated Teams client, served as https://local.teams.office.com: the real @microsoft/teams-js
 * library in the app frame initializes against it, reads the context, follows theme changes and opens links
 * through it; the board follows the Teams theme the host gives the tab.
 */
import * as path from "node:path";
import type { Frame, Page } from "playwright-core";
import { accessibilityViolations } from "./a11y";
import { APP_ORIGIN, ready, ROOT, type Session, startSession, TEAMS_ORIGIN } from "./harness";

let session: Session;
beforeAll(async () => {
  session = await startSession();
});
afterAll(async () => {
  await session.close();
});
afterEach(() => {
  expect(session.errors).toEqual([]);
  session.errors.length = 0;
});

async function inTeams(query: string): Promise<{ page: Page; app: Frame }> {
  const page = await session.open(`${TEAMS_ORIGIN}/teams${query}&app=${encodeURIComponent(APP_ORIGIN)}`);
  const handle = await page.waitForSelector("#app-frame");
  const app = await handle.contentFrame();
  if (!app) throw new Error("the Teams host has no app frame");
  await ready(app);
  return { page, app };
}

const TEAMS_JS = path.join(ROOT, "node_modules/@microsoft/teams-js/dist/umd/MicrosoftTeams.min.js");

describe("the workbench inside the simulated Teams client", () => {
  it("answers teams-js: initialize and getContext succeed through the https Teams origin check, and each call is logged", async () => {
    const { page, app } = await inTeams("?screen=account&lang=zh-CN&theme=dark");
    await app.addScriptTag({ path: TEAMS_JS });
    const context = await app.evaluate(async () => {
      const teams = (window as unknown as { microsoftTeams: typeof import("@microsoft/teams-js") }).microsoftTeams;
      await teams.app.initialize();
      const c = await teams.app.getContext();
      return { theme: c.app.theme, locale: c.app.locale, host: c.app.host.name, frame: c.page.frameContext };
    });
    expect(context).toEqual({ theme: "dark", locale: "zh-cn", host: "Teams", frame: "content" });
    const calls = await page.locator("#teams-protocol-log li").evaluateAll((items) => items.map((i) => i.getAttribute("data-func")));
    expect(calls).toEqual(expect.arrayContaining(["initialize", "getContext"]));
  });

  it("delivers theme changes to the app's handler and opens Teams links through executeDeepLink", async () => {
    const { page, app } = await inTeams("?screen=account&lang=en");
    await app.addScriptTag({ path: TEAMS_JS });
    await app.evaluate(async () => {
      const teams = (window as unknown as { microsoftTeams: typeof import("@microsoft/teams-js") }).microsoftTeams;
      await teams.app.initialize();
      const w = window as unknown as { themes: string[] };
      w.themes = [];
      teams.app.registerOnThemeChangeHandler((theme) => w.themes.push(theme));
    });
    await page.selectOption("#teams-theme", "contrast");
    await app.waitForFunction(() => (window as unknown as { themes: string[] }).themes.join() === "contrast");
    const link = "https://teams.microsoft.com/l/chat/0/0?users=megan.bowen%40contoso.example";
    const outcome = await app.evaluate(async (url) => {
      const teams = (window as unknown as { microsoftTeams: typeof import("@microsoft/teams-js") }).microsoftTeams;
      await teams.app.openLink(url);
      try {
        await teams.app.openLink("https://evil.example/");
        return "accepted";
      } catch (e) {
        return (e as Error).message;
      }
    }, link);
    expect(outcome).toBe("not a Teams link: https://evil.example/");
    expect(await page.locator("#teams-opened-links a").evaluateAll((a) => a.map((e) => e.getAttribute("href")))).toEqual([link]);
  });

  it("shows the board in the Teams theme the host gives the tab, detected as inside Teams", async () => {
    const light = await inTeams("?screen=opportunities&lang=en&theme=default");
    const dark = await inTeams("?screen=opportunities&lang=en&theme=dark");
    const paletteOf = (app: Frame) => app.locator("#pipeline-board [role=region]").first().getAttribute("style");
    const [a, b] = [await paletteOf(light.app), await paletteOf(dark.app)];
    expect(a).not.toBeNull();
    expect(b).not.toEqual(a);
    expect(await accessibilityViolations(dark.app)).toEqual([]);
    expect(await accessibilityViolations(dark.page)).toEqual([]);
  });
});
