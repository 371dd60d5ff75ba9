/**
 * Each built control in Microsoft's own harness, pcf-start (node_modules/pcf-start), one after the other on its fixed
 * port 8181: the harness page takes React 16.14 from unpkg, routed here to node_modules' UMD builds so the test runs
 * offline (docs/reference/pcf-toolchain.md §4); Fluent 8.121.1 comes from the harness's own lib/. The control must
 * load from out/controls/<C>/bundle.js, render, and log no console error.
 */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { readControlStrings } from "../../tools/dataverse/node/resx";
import { buildMissingControls } from "../../tools/workbench/server";
import { CHROMIUM_ARGS } from "../../tools/workbench/browser";
import { chromiumPath } from "./chromium";
import { ROOT } from "./harness";

const UNPKG_REACT: Readonly<Record<string, string>> = {
  "/react@16.14.0/umd/react.development.js": "node_modules/react/umd/react.development.js",
  "/react-dom@16.14.0/umd/react-dom.development.js": "node_modules/react-dom/umd/react-dom.development.js",
};
/** Fluent's fonts and icons: the harness asks the Office CDN for them; without them text falls back to system fonts. */
const OFFLINE_FONTS = /^https:\/\/res(-\d)?\.cdn\.office\.net\//;
/**
 * The harness's own React warning, from its "Component Container Width" box while that box is empty (the stack is
 * the harness's components, not the control's); listed as harmless in pcf-toolchain.md §4.
 */
const HARNESS_WIDTH_WARNING = "Warning: `NaN` is an invalid value for the `%s` css style property.%s width";

interface Harness {
  readonly url: string;
  stop(): void;
}

/** Starts pcf-start on a control's build output and resolves with the URL it prints (8181, or the next free port). */
function startHarness(control: string): Promise<Harness> {
  const codePath = path.join(ROOT, "components", control, "out", "controls", control);
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [path.join(ROOT, "node_modules/pcf-start/bin/pcf-start.js"), "--codePath", codePath], {
    cwd: ROOT,
    env: { ...process.env, PP_TOOLS_TELEMETRY_OPTOUT: "true" },
    // Its own process group, so stopping it also stops what browser-sync started.
    detached: true,
  });
  const stop = () => {
    if (child.exitCode === null && child.pid !== undefined) process.kill(-child.pid, "SIGTERM");
  };
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`pcf-start for ${control} printed no URL within 30 s:\n${output}`));
    }, 30000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /Local: (http:\/\/localhost:\d+)/.exec(output)?.[1];
      if (url === undefined) return;
      clearTimeout(timer);
      resolve({ url, stop });
    };
    child.stdout.on("data", read);
    child.stderr.on("data", read);
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`pcf-start for ${control} exited with ${code}:\n${output}`));
    });
  });
}

let browser: Browser | undefined;
beforeAll(async () => {
  // On a fresh clone the harness would serve an empty folder: build what is missing, as npm start does.
  await buildMissingControls(ROOT);
  browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
});
afterAll(async () => {
  await browser?.close();
});

/** Opens the harness with React routed offline; collects console errors and page errors. */
async function openHarness(url: string): Promise<{ page: Page; errors: string[] }> {
  if (!browser) throw new Error("Chromium did not start");
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const errors: string[] = [];
  await page.route("https://unpkg.com/**", (route) => {
    const file = UNPKG_REACT[new URL(route.request().url()).pathname];
    if (file === undefined) return route.abort("internetdisconnected");
    return route.fulfill({ status: 200, contentType: "application/javascript", body: readFileSync(path.join(ROOT, file)) });
  });
  await page.route(OFFLINE_FONTS, (route) => route.abort("internetdisconnected"));
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    const where = message.location().url;
    if (message.text().startsWith("Failed to load resource") && OFFLINE_FONTS.test(where)) return;
    if (message.text().startsWith(HARNESS_WIDTH_WARNING)) return;
    errors.push(`${where}: ${message.text()}`);
  });
  page.on("pageerror", (error) => errors.push(`pageerror: ${error.message}`));
  // The harness answers webAPI record reads with an alert and a rejection (the board's view lookup); the control must carry on.
  page.on("dialog", (dialog) => void dialog.dismiss());
  await page.goto(url);
  return { page, errors };
}

/** The harness shows the control's strings in English or Chinese depending on which resx it applied last. */
const either = (control: string, key: string) => [readControlStrings(control, 1033)[key], readControlStrings(control, 2052)[key]];
/** The board data-set's property-sets (ControlManifest.Input.xml), each bound to the CSV column of the same name. */
const PROPERTY_SETS = ["lane", "amount", "probability", "closeDate", "owner"] as const;
const ROWS = 5000;
/** `rows` deals over four lanes (whole numbers, as the harness shows option values), with amounts, probabilities, dates and owners as text. */
function boardCsv(rows: number): string {
  const lines = [PROPERTY_SETS.join(",")];
  for (let i = 0; i < rows; i++) {
    const day = String(1 + (i % 28)).padStart(2, "0");
    lines.push(`${1 + (i % 4)},${1000 + ((i * 37) % 90000)},${(i * 7) % 100},2026-0${1 + (i % 9)}-${day},Owner ${i % 12}`);
  }
  return lines.join("\n") + "\n";
}
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
    const harness = await startHarness("CustomerContextPanel");
    try {
      const { page, errors } = await openHarness(harness.url);
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
    const harness = await startHarness("PipelineBoard");
    try {
      const { page, errors } = await openHarness(harness.url);
      const container = page.locator("#TestControl-pcf-container-id");
      const [en, zh] = either("PipelineBoard", "Board_Label");
      const board = container.locator(`[role=region][aria-label="${en}"], [role=region][aria-label="${zh}"]`);
      // The harness fills every text input without a default with "val"; here that is the business process flow
      // input, which the harness cannot serve (it refuses retrieveMultipleRecords), so clear it as a maker would.
      await board.waitFor({ timeout: 20000 });
      const harnessInputs = "input:not(#TestControl-pcf-container-id input)";
      const at = await page.evaluate((css) => Array.from(document.querySelectorAll<HTMLInputElement>(css)).findIndex((e) => e.value === "val"), harnessInputs);
      expect(at).toBeGreaterThanOrEqual(0);
      const flowInput = page.locator(harnessInputs).nth(at);
      await flowInput.fill("");
      await flowInput.press("Tab");
      // The data-set's five property-sets: pcf-start keeps Apply disabled until each has a CSV column, as a maker binds
      // them in the designer. All rows arrive as one page (hasNextPage false).
      await page.setInputFiles("input[type=file]", { name: "opportunities.csv", mimeType: "text/csv", buffer: Buffer.from(boardCsv(ROWS)) });
      const apply = page.locator("input[type=button][value=Apply]");
      expect(await apply.isDisabled()).toBe(true);
      for (const set of PROPERTY_SETS) {
        const panel = page.locator(".dataset-inputs .io-panel").filter({ has: page.locator(".key-value-pair-value > span", { hasText: new RegExp(`^${set}$`) }) });
        await panel.locator("select").first().selectOption(set);
      }
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
