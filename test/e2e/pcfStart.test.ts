/**
 * Each built control in Microsoft's own harness, pcf-start (node_modules/pcf-start), one after the other on its fixed
 * port 8181: the harness page takes React 16.14 from unpkg, routed here to node_modules' UMD builds so the test runs
 * offline (docs/reference/pcf-toolchain.md §4); Fluent 8.121.1 comes from the harness's own lib/. The control must
 * load from out/controls/<C>/bundle.js, render, and log no console error.
 */
import { type Browser, chromium } from "playwright-core";
import { readControlStrings } from "../../tools/dataverse/node/resx";
import { buildMissingControls } from "../../tools/workbench/server";
import { CHROMIUM_ARGS } from "../../tools/workbench/browser";
import { chromiumPath } from "./chromium";
import { ROOT } from "./harness";
import { APPLY, bindColumns, boardCsv, clearPlaceholderInputs, controlOutput, openHarness, startHarness, uploadCsv } from "./pcfStart";

let browser: Browser | undefined;
beforeAll(async () => {
  // On a fresh clone the harness would serve an empty folder: build what is missing, as npm start does.
  await buildMissingControls(ROOT);
  browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
});
afterAll(async () => {
  await browser?.close();
});
function requireBrowser(): Browser {
  if (!browser) throw new Error("Chromium did not start");
  return browser;
}

/** The harness shows the control's strings in English or Chinese depending on which resx it applied last. */
const either = (control: string, key: string) => [readControlStrings(control, 1033)[key], readControlStrings(control, 2052)[key]];
const ROWS = 5000;
/** Reads `read` until `done` holds or `ms` pass; returns the last reading. */
async function poll<T>(read: () => Promise<T>, done: (value: T) => boolean, ms: number): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > until) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

describe("the built controls in Microsoft's pcf-start harness", () => {
  it("CustomerContextPanel loads its bundle and renders; outside a form it says it belongs on account and contact forms", async () => {
    const harness = await startHarness(controlOutput("CustomerContextPanel"));
    try {
      const { page, errors } = await openHarness(requireBrowser(), harness.url);
      const container = page.locator("#TestControl-pcf-container-id");
      const [en, zh] = either("CustomerContextPanel", "Panel_Unsupported");
      await container.getByText(new RegExp(`^(${escape(en)}|${escape(zh)})$`)).waitFor({ timeout: 20000 });
      expect(errors).toEqual([]);
      await page.close();
    } finally {
      harness.stop();
    }
  });

  it("PipelineBoard loads its bundle and renders; bound to a 5,000-row CSV through the harness's own column pickers, every card is counted and no progress bar is left", async () => {
    const harness = await startHarness(controlOutput("PipelineBoard"));
    try {
      const { page, errors } = await openHarness(requireBrowser(), harness.url);
      const container = page.locator("#TestControl-pcf-container-id");
      const [en, zh] = either("PipelineBoard", "Board_Label");
      const board = container.locator(`[role=region][aria-label="${en}"], [role=region][aria-label="${zh}"]`);
      // The harness fills every text input without a default with "val"; here that is the business process flow
      // input, which the harness cannot serve (it refuses retrieveMultipleRecords), so clear it as a maker would.
      await board.waitFor({ timeout: 20000 });
      expect(await clearPlaceholderInputs(page)).toBe(1);
      // The data-set's five property-sets: pcf-start keeps Apply disabled until each has a CSV column, as a maker binds
      // them in the designer. All rows arrive as one page (hasNextPage false).
      await uploadCsv(page, boardCsv(ROWS));
      const apply = page.locator(APPLY);
      expect(await apply.isDisabled()).toBe(true);
      await bindColumns(page);
      expect(await apply.isEnabled()).toBe(true);
      await apply.click();
      const counts = board.locator("section[data-lane-key] [aria-describedby=pipelineboard-totals-scope] > span:first-child");
      // Every row counted in a lane (the harness's first page holds them all) and no "Loaded n of N" left: the board
      // reads the rest of the page without the updateView that the harness's requestRender never brings.
      expect(await poll(async () => (await counts.allInnerTexts()).reduce((sum, text) => sum + Number(text.replace(/\D/g, "")), 0), (sum) => sum === ROWS, 30000)).toBe(ROWS);
      expect(await poll(() => board.locator("[role=progressbar]").count(), (n) => n === 0, 10000)).toBe(0);
      expect(await board.locator("[role=listitem][data-card-id]").count()).toBeGreaterThan(0);
      expect(errors).toEqual([]);
      await page.close();
    } finally {
      harness.stop();
    }
  });
});
