/**
 * Accessibility of both controls in the three Teams themes (default, dark, contrast) inside the simulated Teams
 * client, and of the plain workbench pages: names, landmarks and unique ids (accessibilityViolations) for the app
 * frame and the host, and text contrast (contrastViolations) for both controls in every theme and for the flows
 * panel and the workbench chrome in the light app.
 */
import type { Frame, Page } from "playwright-core";
import { accessibilityViolations, axeViolations, contrastViolations } from "./a11y";
import { teamsUrl } from "../../tools/workbench/origins";
import { ready, useSession } from "./harness";

const session = useSession();

const THEMES = ["default", "dark", "contrast"] as const;

async function inTeams(screen: string, theme: string, language: string): Promise<{ page: Page; app: Frame }> {
  const page = await session().open(teamsUrl(`?screen=${screen}&lang=${language}&theme=${theme}`));
  const app = await (await page.waitForSelector("#app-frame")).contentFrame();
  if (!app) throw new Error("the Teams host has no app frame");
  await ready(app);
  return { page, app };
}

describe("accessibility in the Teams themes", () => {
  it.each(THEMES)("the customer panel in the %s theme: named controls, landmarks, unique ids and text contrast", async (theme) => {
    const { page, app } = await inTeams("account", theme, theme === "dark" ? "zh-CN" : "en");
    // Measure the card as the user sees it: drawn in the host's theme and loaded.
    await app.locator(`#customer-context-panel [data-teams-theme="${theme}"] [aria-busy="false"]`).waitFor();
    expect(await accessibilityViolations(app)).toEqual([]);
    expect(await axeViolations(app)).toEqual([]);
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
    expect(await contrastViolations(app, "#customer-context-panel")).toEqual([]);
    expect(await contrastViolations(page)).toEqual([]);
  });

  it.each(THEMES)("the pipeline board in the %s theme: named controls, landmarks, unique ids and text contrast", async (theme) => {
    const { page, app } = await inTeams("opportunities", theme, "en");
    // Measure the board as the user sees it: drawn in the host's theme, with cards (and an overdue date) loaded.
    await app.locator(`#pipeline-board [data-teams-theme="${theme}"] section[aria-label="Qualify"] [role=listitem]`).first().waitFor();
    expect(await accessibilityViolations(app)).toEqual([]);
    expect(await axeViolations(app)).toEqual([]);
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
    expect(await contrastViolations(app, "#pipeline-board")).toEqual([]);
    expect(await contrastViolations(page)).toEqual([]);
  });
});

describe("text contrast in the light app", () => {
  it.each(["account", "contact", "opportunities", "flows"])("the %s screen, controls and workbench chrome, meets 4.5:1 (3:1 for large text)", async (screen) => {
    const page = await session().open(`/?screen=${screen}&lang=en`);
    await ready(page);
    if (screen === "opportunities") await page.locator('section[aria-label="Qualify"] [role=listitem]').first().waitFor();
    else if (screen !== "flows") await page.locator("#customer-context-panel [role=toolbar]").waitFor();
    if (screen !== "flows" && screen !== "opportunities") await page.locator('#customer-context-panel [aria-busy="false"]').waitFor();
    expect(await contrastViolations(page)).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
  });
});

describe("axe-core in the suite", () => {
  it("reports a serious or critical violation with its rule, impact, target and help page, and ignores minor ones", async () => {
    const page = await session().context.newPage();
    try {
      await page.setContent('<html lang="en"><body><main><img src="data:," id="no-alt"><h3>skipped heading level</h3></main></body></html>');
      const violations = await axeViolations(page);
      expect(violations).toEqual([expect.stringMatching(/^image-alt \(critical\): .+ at \["#no-alt"\], see https:\/\/dequeuniversity\.com\/rules\/axe\/[\d.]+\/image-alt/)]);
    } finally {
      await page.close();
    }
  });
});
