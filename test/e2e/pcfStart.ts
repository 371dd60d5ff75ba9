/**
 * Driving Microsoft's own harness, pcf-start (node_modules/pcf-start), offline in Chromium: shared by the pcf-start
 * browser test and the pcf-start benchmark (tools/bench/pipelineBoardPcfStart.ts). The harness page takes React 16.14
 * from unpkg, routed here to node_modules' UMD builds (docs/reference/pcf-toolchain.md §4); Fluent 8.121.1 comes
 * from the harness's own lib/.
 */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import type { Browser, Page } from "playwright-core";
import { ROOT } from "./harness";

/** The React build the harness page gets: the development build its index.html names, or the production build. */
export type ReactBuild = "development" | "production";

const UNPKG_REACT: Readonly<Record<ReactBuild, Readonly<Record<string, string>>>> = {
  development: {
    "/react@16.14.0/umd/react.development.js": "node_modules/react/umd/react.development.js",
    "/react-dom@16.14.0/umd/react-dom.development.js": "node_modules/react-dom/umd/react-dom.development.js",
  },
  production: {
    "/react@16.14.0/umd/react.development.js": "node_modules/react/umd/react.production.min.js",
    "/react-dom@16.14.0/umd/react-dom.development.js": "node_modules/react-dom/umd/react-dom.production.min.js",
  },
};
/** Fluent's fonts and icons: the harness asks the Office CDN for them; without them text falls back to system fonts. */
const OFFLINE_FONTS = /^https:\/\/res(-\d)?\.cdn\.office\.net\//;
/**
 * The harness's own React warning, from its "Component Container Width" box while that box is empty (the stack is
 * the harness's components, not the control's); listed as harmless in pcf-toolchain.md §4.
 */
const HARNESS_WIDTH_WARNING = "Warning: `NaN` is an invalid value for the `%s` css style property.%s width";

export interface Harness {
  readonly url: string;
  stop(): void;
}

/** The build output pcf-start serves for one of our controls: components/<C>/out/controls/<C>. */
export const controlOutput = (control: string): string => path.join(ROOT, "components", control, "out", "controls", control);

/**
 * Starts pcf-start on a built control's folder (the one holding ControlManifest.xml and bundle.js) and resolves with
 * the URL it prints (8181, or the next free port).
 */
export function startHarness(codePath: string): Promise<Harness> {
  const name = path.basename(codePath);
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
      reject(new Error(`pcf-start for ${name} printed no URL within 30 s:\n${output}`));
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
      reject(new Error(`pcf-start for ${name} exited with ${code}:\n${output}`));
    });
  });
}

export interface HarnessPageOptions {
  readonly react?: ReactBuild;
  /** Runs on the page before it navigates: init scripts and bindings that must be in place before the harness loads. */
  readonly before?: (page: Page) => Promise<void>;
}

/**
 * Opens the harness in a fresh browser context (the harness keeps its inputs and data in localStorage, so a page of
 * its own starts from the manifest's defaults) with React routed offline; collects console errors and page errors.
 */
export async function openHarness(browser: Browser, url: string, options: HarnessPageOptions = {}): Promise<{ page: Page; errors: string[] }> {
  const react = UNPKG_REACT[options.react ?? "development"];
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const errors: string[] = [];
  await page.route("https://unpkg.com/**", (route) => {
    const file = react[new URL(route.request().url()).pathname];
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
  await options.before?.(page);
  await page.goto(url);
  return { page, errors };
}

/** The harness's own inputs (its right-hand panel), as opposed to any input the control renders. */
const HARNESS_INPUTS = "input:not(#TestControl-pcf-container-id input)";

/**
 * The harness fills every text input without a default with "val"; clears them as a maker would, one by one, and
 * says how many there were.
 */
export async function clearPlaceholderInputs(page: Page): Promise<number> {
  // Looked up afresh after each one: the harness re-renders its panel on every change.
  const nextPlaceholder = () => page.evaluate((css) => Array.from(document.querySelectorAll<HTMLInputElement>(css)).findIndex((e) => e.value === "val"), HARNESS_INPUTS);
  let cleared = 0;
  for (let at = await nextPlaceholder(); at >= 0; at = await nextPlaceholder()) {
    const input = page.locator(HARNESS_INPUTS).nth(at);
    await input.fill("");
    await input.press("Tab");
    if ((await input.inputValue()) === "val") throw new Error(`pcf-start: harness input ${at} still reads "val" after it was cleared`);
    cleared++;
  }
  return cleared;
}

/** The board's data-set property-sets (ControlManifest.Input.xml), each bound to the CSV column of the same name. */
export const PROPERTY_SETS = ["lane", "amount", "probability", "closeDate", "owner"] as const;

/** `rows` deals over four lanes (whole numbers, as the harness shows option values), with amounts, probabilities, dates and owners as text. */
export function boardCsv(rows: number): string {
  const lines = [PROPERTY_SETS.join(",")];
  for (let i = 0; i < rows; i++) {
    const day = String(1 + (i % 28)).padStart(2, "0");
    lines.push(`${1 + (i % 4)},${1000 + ((i * 37) % 90000)},${(i * 7) % 100},2026-0${1 + (i % 9)}-${day},Owner ${i % 12}`);
  }
  return lines.join("\n") + "\n";
}

/** The harness's Apply button for the data-set: pcf-start keeps it disabled until every property-set has a column. */
export const APPLY = "input[type=button][value=Apply]";

/** Uploads `csv` through the harness's "Select a file" input (parsed by the harness at once, not yet applied). */
export async function uploadCsv(page: Page, csv: string): Promise<void> {
  await page.setInputFiles("input[type=file]", { name: "opportunities.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
}

/** Binds each property-set to the CSV column of the same name with the harness's column pickers, as a maker binds them in the designer. */
export async function bindColumns(page: Page, propertySets: readonly string[] = PROPERTY_SETS): Promise<void> {
  for (const set of propertySets) {
    const panel = page.locator(".dataset-inputs .io-panel").filter({ has: page.locator(".key-value-pair-value > span", { hasText: new RegExp(`^${set}$`) }) });
    await panel.locator("select").first().selectOption(set);
  }
}
