/**
 * npm run screenshots: regenerates the README's workbench images in docs/images/ from the running workbench in
 * Debian's Chromium: the account form with the customer panel (English) and the opportunity board (Simplified
 * Chinese) in the light app, and the panel inside the simulated Teams client in the dark theme (Chinese).
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, statSync } from "node:fs";
import * as path from "node:path";
import { chromium, type Frame, type Page } from "playwright-core";
import { CHROMIUM, CHROMIUM_ARGS, routeWorkbench, teamsUrl } from "./browser";
import { startWorkbench } from "./server";

export interface Shot {
  /** File name in docs/images/, without .png. */
  readonly name: string;
  /** Workbench query: screen, language, theme. */
  readonly search: string;
  /** Inside the simulated Teams client rather than the plain app page. */
  readonly inTeams: boolean;
  /** Appears in the app (page or frame) once the control shows what the image is for. */
  readonly ready: string;
  readonly language: "en" | "zh-CN";
  /** Clicked once the page is ready, before waiting for `ready` (the flows page runs a flow). */
  readonly click?: string;
}

const PANEL_READY = '#customer-context-panel [aria-busy="false"]';
const BOARD_READY = "#pipeline-board [role=listitem][data-card-id]";

export const SHOTS: readonly Shot[] = [
  { name: "workbench-panel", search: "?screen=account&lang=en", inTeams: false, ready: PANEL_READY, language: "en" },
  { name: "workbench-board-zh", search: "?screen=opportunities&lang=zh-CN&size=1000", inTeams: false, ready: BOARD_READY, language: "zh-CN" },
  {
    name: "workbench-flows-deal-room-zh",
    search: "?screen=flows&lang=zh-CN",
    inTeams: false,
    click: "#flow-Dealescalation-run",
    ready: 'article[data-flow="Dealescalation"] [data-card="adaptive"]',
    language: "zh-CN",
  },
  { name: "workbench-teams-dark-panel-zh", search: "?screen=account&lang=zh-CN&apptheme=dark&theme=dark", inTeams: true, ready: `#customer-context-panel [data-teams-theme="dark"] [aria-busy="false"]`, language: "zh-CN" },
];

const ROOT = path.resolve(__dirname, "../..");
const OUT = path.join(ROOT, "docs", "images");
const VIEWPORT = { width: 1400, height: 860 };

/** Chromium draws CJK text with whatever font fontconfig offers; without one the Chinese images show empty boxes. */
function assertCjkFont(): void {
  let fonts = "";
  try {
    fonts = execFileSync("fc-list", [":lang=zh"], { encoding: "utf8" });
  } catch {
    // No fontconfig at all: Chromium has no CJK font either.
  }
  if (fonts.trim() === "") {
    throw new Error("screenshots: no font covers Simplified Chinese (fc-list :lang=zh is empty), so the zh-CN images would show empty boxes; install one, e.g. apt-get install fonts-wqy-microhei");
  }
}

async function appOf(page: Page, inTeams: boolean): Promise<Page | Frame> {
  if (!inTeams) return page;
  const frame = await (await page.waitForSelector("#app-frame")).contentFrame();
  if (!frame) throw new Error("screenshots: the Teams host page has no app frame");
  return frame;
}

async function main(): Promise<void> {
  if (SHOTS.some((s) => s.language === "zh-CN")) assertCjkFont();
  mkdirSync(OUT, { recursive: true });
  const workbench = await startWorkbench({ root: ROOT, port: 0, log: (line) => console.log(line) });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 });
    await routeWorkbench(context, workbench.url, ROOT);
    for (const shot of SHOTS) {
      const page = await context.newPage();
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      await page.goto(shot.inTeams ? teamsUrl(shot.search) : `${workbench.url.replace(/\/$/, "")}/${shot.search}`);
      const app = await appOf(page, shot.inTeams);
      await app.waitForSelector("body[data-workbench-ready=true]", { timeout: 20000 });
      if (shot.click !== undefined) await app.locator(shot.click).click();
      await app.locator(shot.ready).first().waitFor({ timeout: 30000 });
      await app.locator(shot.ready).first().scrollIntoViewIfNeeded();
      if (errors.length > 0) throw new Error(`screenshots: ${shot.name}: the page failed: ${errors.join("; ")}`);
      const file = path.join(OUT, `${shot.name}.png`);
      await page.screenshot({ path: file });
      console.log(`${path.relative(ROOT, file)}  ${Math.round(statSync(file).size / 1024)} KiB`);
      await page.close();
    }
  } finally {
    await browser.close();
    await workbench.close();
  }
}

if (require.main === module) {
  process.env.PP_TOOLS_TELEMETRY_OPTOUT ??= "true";
  main().catch((e: unknown) => {
    console.error((e as Error).message);
    process.exitCode = 1;
  });
}
