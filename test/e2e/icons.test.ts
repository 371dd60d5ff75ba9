/**
 * Icons as Dynamics 365 shows them: the workbench registers Fluent's MDL2 icon font before the controls render, as a
 * model-driven app does (docs/reference/fluent-icons.md), and every icon the controls draw is registered: no Fluent
 * "was used but not registered" (or "re-registered") warning on any screen, and each drawn icon has a glyph of the
 * loaded font or an SVG.
 */
import type { Frame, Page } from "playwright-core";
import { teamsUrl } from "../../tools/workbench/origins";
import { ready, useSession } from "./harness";

const session = useSession();

const ICON_WARNING = /was used but not registered|were re-registered/;

function iconWarnings(page: Page): string[] {
  const warnings: string[] = [];
  page.on("console", (message) => {
    if (ICON_WARNING.test(message.text())) warnings.push(message.text().split("\n")[0] ?? "");
  });
  return warnings;
}

/** Icons in `root` that show nothing: neither an SVG nor a character of the registered MDL2 font. */
async function blankIcons(target: Page | Frame, root: string): Promise<string[]> {
  return target.evaluate(async (selector) => {
    await document.fonts.ready;
    const blank: string[] = [];
    for (const icon of document.querySelectorAll<HTMLElement>(`${selector} [data-icon-name]`)) {
      const name = icon.getAttribute("data-icon-name") ?? "";
      if (name === "" || icon.querySelector("svg") !== null) continue;
      const family = getComputedStyle(icon).fontFamily;
      const glyph = (icon.textContent ?? "").trim();
      const fontLoaded = [...document.fonts].some((f) => family.includes(f.family.replace(/"/g, "")) && f.status === "loaded");
      if (!family.includes("FabricMDL2Icons") || glyph === "" || !fontLoaded) blank.push(`${name} (font ${family}, glyph ${glyph === "" ? "none" : "yes"}, loaded ${String(fontLoaded)})`);
    }
    return blank;
  }, root);
}

describe("Fluent icons on every screen", () => {
  it.each([
    ["account", "en"],
    ["contact", "zh-CN"],
  ])("the customer panel on the %s form (%s): every icon registered and drawn, the follow-up form too", async (screen, language) => {
    const page = await session().open(`/?screen=${screen}&lang=${language}`);
    const warnings = iconWarnings(page);
    await ready(page);
    await page.locator('#customer-context-panel [aria-busy="false"]').waitFor();
    const followUp = page.locator('#customer-context-panel [data-icon-name="TaskAdd"]');
    expect(await followUp.count()).toBeGreaterThan(0);
    await page.locator('#customer-context-panel button:has([data-icon-name="TaskAdd"])').first().click();
    await page.locator('#customer-context-panel [role="form"]').first().waitFor();
    expect(warnings).toEqual([]);
    expect(await blankIcons(page, "body")).toEqual([]);
  });

  it.each(["choice", "stages"])("the pipeline board with %s lanes, and a card's menu: every icon registered and drawn", async (lanes) => {
    const page = await session().open(`/?screen=opportunities&lang=en&lanes=${lanes}`);
    const warnings = iconWarnings(page);
    await ready(page);
    const card = page.locator("#pipeline-board [role=listitem]").first();
    await card.waitFor();
    await card.click({ button: "right" });
    await page.locator('[role="menu"]').first().waitFor();
    expect(warnings).toEqual([]);
    expect(await blankIcons(page, "body")).toEqual([]);
    await page.keyboard.press("Escape");
  });

  it("the flows page: no icon warning", async () => {
    const page = await session().open("/?screen=flows&lang=en");
    const warnings = iconWarnings(page);
    await ready(page);
    expect(warnings).toEqual([]);
  });

  it("inside Teams (dark): both controls' icons registered and drawn in the framed app", async () => {
    for (const screen of ["account", "opportunities"]) {
      const page = await session().open(teamsUrl(`?screen=${screen}&lang=en&apptheme=dark&theme=dark`));
      const warnings = iconWarnings(page);
      const app = await (await page.waitForSelector("#app-frame")).contentFrame();
      if (!app) throw new Error("the Teams host has no app frame");
      await ready(app);
      await app.locator(screen === "account" ? '#customer-context-panel [aria-busy="false"]' : "#pipeline-board [role=listitem]").first().waitFor();
      expect(warnings).toEqual([]);
      expect(await blankIcons(app, "body")).toEqual([]);
    }
  });
});
