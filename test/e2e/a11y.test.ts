/**
 * Accessibility of both controls inside the simulated Teams client in each look they can have there: Teams' light
 * theme, the app's dark theme (PCF fluentDesignLanguage), and the system's forced colours (high contrast, which the
 * controls follow through `forced-colors`; no Teams contrast theme reaches a control, docs/reference/teams-host.md),
 * and of the plain workbench pages: names, landmarks and unique ids (accessibilityViolations) for the app frame and
 * the host, and text contrast (contrastViolations) for both controls in every look and for the flows panel and the
 * workbench chrome in the light app.
 */
import type { Frame, Page } from "playwright-core";
import { accessibilityViolations, axeViolations, contrastViolations } from "./a11y";
import { teamsUrl } from "../../tools/workbench/origins";
import { ready, useSession } from "./harness";

const session = useSession();

interface Look {
  readonly name: string;
  /** The app's theme and the Teams client's own, as the workbench query sets them. */
  readonly query: string;
  /** The Teams theme the controls draw with in it. */
  readonly theme: "default" | "dark";
  readonly forcedColors: boolean;
}

const LOOKS: readonly Look[] = [
  { name: "Teams light", query: "", theme: "default", forcedColors: false },
  { name: "app dark", query: "&apptheme=dark&theme=dark", theme: "dark", forcedColors: false },
  { name: "forced colours", query: "&theme=contrast", theme: "default", forcedColors: true },
];

async function inTeams(screen: string, look: Look, language: string): Promise<{ page: Page; app: Frame }> {
  const page = await session().open(teamsUrl(`?screen=${screen}&lang=${language}${look.query}`));
  if (look.forcedColors) await page.emulateMedia({ forcedColors: "active" });
  const app = await (await page.waitForSelector("#app-frame")).contentFrame();
  if (!app) throw new Error("the Teams host has no app frame");
  await ready(app);
  return { page, app };
}

describe("accessibility in each look inside Teams", () => {
  it.each(LOOKS)("the customer panel in $name: named controls, landmarks, unique ids and text contrast", async (look) => {
    const { page, app } = await inTeams("account", look, look.theme === "dark" ? "zh-CN" : "en");
    // Measure the card as the user sees it: drawn in its theme and loaded.
    await app.locator(`#customer-context-panel [data-teams-theme="${look.theme}"] [aria-busy="false"]`).waitFor();
    expect(await accessibilityViolations(app)).toEqual([]);
    expect(await axeViolations(app)).toEqual([]);
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
    expect(await contrastViolations(app, "#customer-context-panel")).toEqual([]);
    expect(await contrastViolations(page)).toEqual([]);
  });

  it.each(LOOKS)("the pipeline board in $name: named controls, landmarks, unique ids and text contrast", async (look) => {
    const { page, app } = await inTeams("opportunities", look, "en");
    // Measure the board as the user sees it: drawn in its theme, with cards (and an overdue date) loaded.
    await app.locator(`#pipeline-board [data-teams-theme="${look.theme}"] section[aria-label="Qualify"] [role=listitem]`).first().waitFor();
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
