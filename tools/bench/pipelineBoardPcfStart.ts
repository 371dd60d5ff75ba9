/**
 * The board benchmark's pcf-start mode (issue 16 items 3 and 5): PipelineBoard against a do-nothing dataset control
 * (tools/bench/noopDataset, built here with pcf-scripts in production mode into its ignored out/) in Microsoft's own
 * harness, pcf-start 1.51.1, with production React, headless Chromium. Both get the same opportunity-like CSV of
 * 1,000, 5,000 and 20,000 rows through the harness's own file input, column pickers and Apply button, as a maker
 * loads data; loads alternate between the two controls (A B A B …), each in a fresh page.
 *
 *   painted    from Apply's click (a capture listener on the window, before the harness's own handler) to the end of
 *              the first frame that shows the CSV's records: the do-nothing control's "<rows> records", the board's
 *              first card of a CSV row the harness's placeholder data does not have (ids past id0–id2); the frame is
 *              the requestAnimationFrame after that DOM change, and its end a message posted from that callback, which
 *              runs after style, layout and paint of the frame. This is "the user sees the board".
 *   complete   the same, to the first frame in which the control is done with the data: for the board, no progress
 *              bar and some lane count (for the do-nothing control it is the painted frame)
 *   counted    the records the board's lane counts add up to 1 s after complete: fewer than the rows is a board that
 *              silently stopped short of the view (issue 16 item 1)
 *   JS heap    the page's used JS heap after a forced GC (CDP), once complete; harness, libraries and data included
 *   longest    the longest task from Apply's click to 1 s after complete, from a `longtask` PerformanceObserver
 *              installed before the harness loads (it sees only tasks over 50 ms: "-" means none)
 * Medians over the loads; the ratio is board / do-nothing. Issue 16's targets: painted ratio <= 2, no task over 50 ms;
 * a miss prints MISSED, only errors exit non-zero.
 * --profile adds, at the largest size, V8 CPU profiles of PROFILE_LOADS more board loads (averaged) and a performance
 * trace of one more, on a
 * production build without minification (pcf-scripts' own webpack configuration, minimize off; see
 * support/readableBuild.ts), so functions keep their source names.
 * Run: npx tsx tools/bench/pipelineBoardPcfStart.ts [sizes …] [--profile]
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { chromiumPath, missingChromium } from "../../test/e2e/chromium";
import { ROOT } from "../../test/e2e/harness";
import { APPLY, bindColumns, boardCsv, clearPlaceholderInputs, controlOutput, type Harness, openHarness, startHarness, uploadCsv } from "../../test/e2e/pcfStart";
import { runPcfBuild } from "../build/pcfBuild";
import { CHROMIUM_ARGS } from "../workbench/browser";
import { buildMissingControls } from "../workbench/server";
import { attribute, type CallFrame, type CpuProfile, median, mib, ms, newestSource, table, usedHeapAfterGc } from "./support/browser";

const SIZES = [1_000, 5_000, 20_000];
const RUNS = 5;
const RATIO_TARGET = 2;
const LONG_TASK_TARGET_MS = 50;
/** After complete, how long long tasks are still counted: work the control leaves for later is the user's wait too. */
const SETTLE_MS = 1000;
/** Profiled loads with --profile, averaged: one load on a shared 2-core machine is too noisy to name a cost by. */
const PROFILE_LOADS = 3;
const NOOP_PROJECT = path.join(__dirname, "noopDataset");
const NOOP_OUTPUT = path.join(NOOP_PROJECT, "out", "controls", "NoopDataset");
const BOARD_SOURCES = path.join(ROOT, "components/PipelineBoard/PipelineBoard");
const CONTAINER = "#TestControl-pcf-container-id";
const PROBE_GLOBAL = "__tccPcfStartBench";

type Kind = "noop" | "board";

/**
 * Installed in every page before the harness's scripts. Plain JavaScript text: it runs in the page, and functions
 * handed to playwright as functions would carry the TypeScript runner's helpers, which the page does not have.
 */
const PROBE = `(() => {
  const CONTAINER = ${JSON.stringify(CONTAINER)};
  const APPLY = ${JSON.stringify(APPLY)};
  const longTasks = [];
  new PerformanceObserver((list) => {
    for (const task of list.getEntries()) longTasks.push({ start: task.startTime, duration: task.duration });
  }).observe({ type: "longtask" });
  const afterFrame = (done) => requestAnimationFrame(() => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => done(performance.now());
    channel.port2.postMessage(null);
  });
  // The harness's placeholder data-set has the records id0, id1 and id2; any other card is a CSV row.
  const placeholderIds = ":not([data-card-id=id0]):not([data-card-id=id1]):not([data-card-id=id2])";
  const checks = {
    noop: (rows) => {
      const counted = () => Number((document.querySelector(CONTAINER + " [data-bench=noop]")?.textContent ?? "").replace(/\\D/g, ""));
      const shows = () => counted() === rows;
      return { shows, complete: shows, counted };
    },
    board: () => {
      const board = () => document.querySelector(CONTAINER + " [role=region]");
      const shows = () => board()?.querySelector("[role=listitem][data-card-id]" + placeholderIds) != null;
      const counted = () => {
        let sum = 0;
        for (const count of board()?.querySelectorAll("section[data-lane-key] [aria-describedby=pipelineboard-totals-scope] > span:first-child") ?? []) {
          sum += Number((count.textContent ?? "").replace(/\\D/g, ""));
        }
        return sum;
      };
      // Not "counts add up to the rows": a board that stops at its maximum records would never be complete.
      const complete = () => board()?.querySelector("[role=progressbar]") === null && counted() > 0;
      return { shows, complete, counted };
    },
  };
  window[${JSON.stringify(PROBE_GLOBAL)}] = {
    arm(kind, rows, profile) {
      const { shows, complete, counted } = checks[kind](rows);
      let start = NaN;
      const marks = {};
      let phase = null;
      // Each phase is its own console.profile, so a CPU profile of the load splits at the same points as the timing.
      const nextPhase = (title) => {
        if (!profile) return;
        if (phase !== null) console.profileEnd(phase);
        phase = title;
        if (title !== null) console.profile(title);
      };
      const onClick = (event) => {
        if (!(event.target instanceof Element) || !event.target.matches(APPLY)) return;
        window.removeEventListener("click", onClick, true);
        nextPhase("Apply click to the data in the DOM");
        start = performance.now();
      };
      window.addEventListener("click", onClick, true);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(kind + ": the control did not show and finish " + rows + " rows within 60 s of Apply (painted " + marks.painted + ")")), 60000);
        const finish = () => {
          if (marks.finishing) return;
          marks.finishing = true;
          const done = (end) => {
            nextPhase(null);
            marks.completeFrame = end;
            setTimeout(() => {
              clearTimeout(timer);
              const until = marks.completeFrame + ${SETTLE_MS};
              const tasks = longTasks.filter((t) => t.start + t.duration > start && t.start < until).map((t) => ({ start: t.start - start, duration: t.duration }));
              resolve({ painted: marks.painted - start, complete: marks.completeFrame - start, tasks, counted: counted() });
            }, ${SETTLE_MS});
          };
          // Complete in the very commit that showed the data: its frame is the painted one.
          if (marks.complete === marks.shows) done(marks.painted);
          else afterFrame(done);
        };
        const observer = new MutationObserver(() => {
          if (Number.isNaN(start)) return;
          const now = performance.now();
          if (marks.shows === undefined && shows()) {
            marks.shows = now;
            nextPhase("data in the DOM to its painted frame");
            afterFrame((end) => {
              marks.painted = end;
              if (marks.complete === undefined) nextPhase("painted frame to complete");
              else finish();
            });
          }
          if (marks.shows !== undefined && marks.complete === undefined && complete()) {
            observer.disconnect();
            marks.complete = now;
            if (marks.painted !== undefined) finish();
          }
        });
        observer.observe(document, { childList: true, subtree: true, characterData: true, attributes: true });
      });
    },
  };
})();`;

interface Timing {
  readonly painted: number;
  readonly complete: number;
  /** Long tasks from Apply's click to SETTLE_MS after complete, start relative to the click. */
  readonly tasks: readonly { readonly start: number; readonly duration: number }[];
  /** Records the control says it holds, SETTLE_MS after complete: the board's lane counts added up. */
  readonly counted: number;
}

interface Load extends Timing {
  readonly heapBytes: number;
}

interface Control {
  readonly kind: Kind;
  readonly label: string;
  readonly harness: Harness;
}

/** One fresh harness page: the data bound and ready, the probe armed, Apply clicked; resolves once complete. */
async function applyCsv(browser: Browser, control: Control, csv: string, rows: number, options: { profile?: boolean; page?: (page: Page) => Promise<void> } = {}): Promise<{ page: Page; timing: Timing; errors: string[] }> {
  const { page, errors } = await openHarness(browser, control.harness.url, { react: "production", before: async (p) => { await p.addInitScript({ content: PROBE }); } });
  try {
    const rendered = control.kind === "noop" ? `${CONTAINER} [data-bench=noop]` : `${CONTAINER} [role=region]`;
    await page.locator(rendered).first().waitFor({ timeout: 30000 });
    // The board's business process flow input holds the harness's "val", which the harness cannot serve; the
    // do-nothing control has no text input.
    await clearPlaceholderInputs(page);
    await uploadCsv(page, csv);
    await bindColumns(page);
    const apply = page.locator(APPLY);
    if (!(await apply.isEnabled())) throw new Error(`${control.label}: the harness kept Apply disabled after every property-set was bound`);
    // A quiet page before the click: the column pickers' own re-renders are not the control's.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(resolve, 200)))));
    await options.page?.(page);
    const armed = page.evaluate(([global, kind, count, profile]) => (window as unknown as Record<string, { arm(k: string, r: number, p: boolean): Promise<Timing> }>)[global].arm(kind, count, profile), [PROBE_GLOBAL, control.kind, rows, options.profile === true] as const);
    await apply.click();
    const timing = await armed;
    return { page, timing, errors };
  } catch (error) {
    await page.close();
    throw error;
  }
}

async function measure(browser: Browser, control: Control, csv: string, rows: number): Promise<Load> {
  const { page, timing, errors } = await applyCsv(browser, control, csv, rows);
  try {
    const heapBytes = await usedHeapAfterGc(page);
    if (errors.length > 0) throw new Error(`${control.label} at ${rows} rows logged errors:\n${errors.join("\n")}`);
    return { ...timing, heapBytes };
  } finally {
    await page.close();
  }
}

const longest = (load: Timing): number => Math.max(0, ...load.tasks.map((t) => t.duration));
const taskText = (value: number): string => (value === 0 ? "-" : ms(value));

/** Which script a profile frame belongs to, named for the reader. */
function scriptOf(frame: CallFrame): string {
  if (frame.url === "") return frame.functionName === "" ? "(native)" : frame.functionName;
  const p = new URL(frame.url).pathname;
  if (p.endsWith("/bundle.js")) return "PipelineBoard bundle";
  if (p.includes("react-dom")) return "react-dom";
  if (p.includes("/react@") || p.endsWith("/react.production.min.js")) return "react";
  if (p.includes("/lib/fluent_")) return "Fluent UI (harness lib)";
  if (p.endsWith("/harness.js")) return "pcf-start harness";
  return p;
}

/** Time under each function (itself and what it calls), by sample: the stack of each sample counted once per function. */
function inclusive(profile: CpuProfile, keep: (frame: CallFrame) => boolean): [string, number][] {
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const frames = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const totals = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    const seen = new Set<string>();
    for (let id: number | undefined = samples[i]; id !== undefined; id = parent.get(id)) {
      const frame = frames.get(id);
      if (frame === undefined || !keep(frame)) continue;
      const name = `${frame.functionName === "" ? "(anonymous)" : frame.functionName} :${frame.lineNumber + 1}`;
      if (seen.has(name)) continue;
      seen.add(name);
      totals.set(name, (totals.get(name) ?? 0) + (deltas[i + 1] ?? 0));
    }
  }
  return [...totals.entries()].sort((a, b) => b[1] - a[1]);
}

/** Each key's mean over the lists (a key missing from a list counts as 0 there), largest first. */
function averaged(lists: readonly (readonly [string, number][])[]): [string, number][] {
  const sums = new Map<string, number>();
  for (const list of lists) for (const [key, value] of list) sums.set(key, (sums.get(key) ?? 0) + value / lists.length);
  return [...sums.entries()].sort((x, y) => y[1] - x[1]);
}

/** One phase's CPU profiles, one per profiled load, as means: by script, by function (self), board functions (inclusive). */
function printProfiles(title: string, profiles: readonly CpuProfile[]): void {
  const each = profiles.map((profile) => attribute(profile, scriptOf, { scripts: Infinity, functions: Infinity }));
  const total = each.reduce((sum, e) => sum + e.total, 0) / each.length;
  console.log(`  ${title}: ${(total / 1000).toFixed(1)} ms sampled (mean of ${profiles.length})`);
  const line = ([name, micros]: [string, number]) => console.log(`    ${(micros / 1000).toFixed(1).padStart(7)} ms  ${name}`);
  averaged(each.map((e) => e.scripts)).slice(0, 8).forEach(line);
  console.log("    heaviest functions (self time):");
  averaged(each.map((e) => e.functions)).slice(0, 15).forEach(line);
  console.log("    board functions with what they call (inclusive, bundle line):");
  averaged(profiles.map((profile) => inclusive(profile, (f) => scriptOf(f) === "PipelineBoard bundle"))).slice(0, 25).forEach(line);
}

/** Main-thread work of the renderer by trace event, top-level only (events inside another counted event are not added twice). */
interface TraceEvent {
  readonly name: string;
  readonly ph: string;
  readonly ts: number;
  readonly dur?: number;
  readonly tid: number;
  readonly pid: number;
  readonly args?: { readonly name?: string; readonly data?: { readonly type?: string } };
}

function traceSummary(events: readonly TraceEvent[], from: number, to: number): [string, number][] {
  const main = events.find((e) => e.name === "thread_name" && e.args?.name === "CrRendererMain");
  if (main === undefined) return [];
  const counted = new Set(["FunctionCall", "EvaluateScript", "EventDispatch", "TimerFire", "FireAnimationFrame", "RunMicrotasks", "UpdateLayoutTree", "Layout", "PrePaint", "Paint", "Layerize", "Commit", "ParseHTML", "MinorGC", "MajorGC", "V8.GC_SCAVENGER", "V8.GC_MARK_COMPACTOR", "HitTest", "IntersectionObserverController::computeIntersections"]);
  const onMain = events.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === "X" && e.dur !== undefined && e.ts >= from && e.ts <= to).sort((a, b) => a.ts - b.ts);
  const totals = new Map<string, number>();
  let openUntil = -1;
  for (const e of onMain) {
    if (!counted.has(e.name) || e.ts < openUntil) continue;
    openUntil = e.ts + (e.dur ?? 0);
    totals.set(e.name, (totals.get(e.name) ?? 0) + (e.dur ?? 0));
  }
  return [...totals.entries()].sort((a, b) => b[1] - a[1]);
}

/** One more board load at `rows`, on the readable build: CPU profile by phase, then a performance trace of another. */
async function profileBoard(browser: Browser, rows: number): Promise<void> {
  const outDir = mkdtempSync(path.join(os.tmpdir(), "tcc-board-readable-"));
  const build = spawnSync(process.execPath, ["--import", "tsx", path.join(__dirname, "support", "readableBuild.ts"), path.join(ROOT, "components", "PipelineBoard"), "PipelineBoard", outDir], {
    cwd: path.join(ROOT, "components", "PipelineBoard"),
    encoding: "utf8",
  });
  if (build.status !== 0) throw new Error(`the readable production build of PipelineBoard failed:\n${build.stdout}\n${build.stderr}`);
  const harness = await startHarness(path.join(outDir, "PipelineBoard"));
  try {
    const control: Control = { kind: "board", label: "PipelineBoard (readable build)", harness };
    const csv = boardCsv(rows);
    const phases = new Map<string, CpuProfile[]>();
    const timings: Timing[] = [];
    for (let i = 0; i < PROFILE_LOADS; i++) {
      const { page, timing } = await applyCsv(browser, control, csv, rows, {
        profile: true,
        page: async (p) => {
          const cdp = await p.context().newCDPSession(p);
          cdp.on("Profiler.consoleProfileFinished", (event) => phases.set(event.title ?? "", [...(phases.get(event.title ?? "") ?? []), event.profile]));
          await cdp.send("Profiler.enable");
          await cdp.send("Profiler.setSamplingInterval", { interval: 100 });
        },
      });
      timings.push(timing);
      await page.close();
    }
    console.log(`\nwhere the board's time goes at ${rows.toLocaleString("en-US")} rows in pcf-start (readable production build, V8 CPU profiles of ${PROFILE_LOADS} more loads, by phase):`);
    for (const timing of timings) {
      // The first long task holds the profiler's own start (console.profile in the click listener, before the clock starts).
      console.log(`  load: painted ${ms(timing.painted)} ms, complete ${ms(timing.complete)} ms; long tasks (start from Apply's click + duration, ms): ${timing.tasks.map((t) => `${ms(t.start)}+${ms(t.duration)}`).join(", ") || "none"}`);
    }
    for (const [title, profiles] of phases) printProfiles(title, profiles);

    let traced: Page | undefined;
    const second = await applyCsv(browser, control, csv, rows, {
      page: async (p) => {
        traced = p;
        await browser.startTracing(p, { categories: ["devtools.timeline", "disabled-by-default-devtools.timeline", "v8"] });
      },
    });
    const buffer = await browser.stopTracing();
    if (traced === undefined) throw new Error("the traced page did not open");
    const { traceEvents } = JSON.parse(buffer.toString()) as { traceEvents: TraceEvent[] };
    const clickAt = traceEvents.find((e) => e.name === "EventDispatch" && e.args?.data?.type === "click")?.ts;
    await second.page.close();
    if (clickAt === undefined) throw new Error("the performance trace holds no click dispatch");
    const to = clickAt + second.timing.complete * 1000;
    console.log(`  performance trace of another load (painted ${ms(second.timing.painted)} ms, complete ${ms(second.timing.complete)} ms), main-thread work from Apply's click to complete, by top-level event:`);
    for (const [name, micros] of traceSummary(traceEvents, clickAt, to)) console.log(`    ${(micros / 1000).toFixed(1).padStart(7)} ms  ${name}`);
  } finally {
    harness.stop();
    rmSync(outDir, { recursive: true, force: true });
  }
}

const hashOf = (file: string): string => createHash("sha256").update(readFileSync(file)).digest("hex");

async function buildNoop(): Promise<void> {
  const result = await runPcfBuild(NOOP_PROJECT);
  if (!result.ok) throw new Error(`pcf-scripts could not build the do-nothing control in ${path.relative(ROOT, NOOP_PROJECT)}:\n${result.output.trimEnd().split("\n").slice(-40).join("\n")}`);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const profile = args.includes("--profile");
  const asked = args.filter((a) => a !== "--profile");
  const wrong = asked.filter((a) => !(Number.isInteger(Number(a)) && Number(a) >= 100 && Number(a) <= 50000));
  if (wrong.length > 0) throw new Error(`pipelineBoardPcfStart: arguments are sizes from 100 to 50000 and --profile; not ${wrong.join(", ")}`);
  const sizes = asked.length > 0 ? asked.map(Number) : SIZES;
  const missing = missingChromium(chromiumPath());
  if (missing !== undefined) throw new Error(missing);
  const startLoad = os.loadavg()[0];
  await buildNoop();
  await buildMissingControls(ROOT);
  const bundle = path.join(controlOutput("PipelineBoard"), "bundle.js");
  const built = statSync(bundle);
  const bundleHash = hashOf(bundle);
  console.log(`PipelineBoard production bundle: ${path.relative(ROOT, bundle)}, ${built.size.toLocaleString("en-US")} bytes, built ${built.mtime.toISOString()}`);
  if (newestSource(BOARD_SOURCES) > built.mtimeMs) console.log("note: PipelineBoard sources are newer than this bundle; `npm run build:controls` measures the current code");
  if (!existsSync(path.join(NOOP_OUTPUT, "bundle.js"))) throw new Error(`pcf-scripts reported success but wrote no ${path.relative(ROOT, NOOP_OUTPUT)}/bundle.js`);

  const harnesses: Harness[] = [];
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS, timeout: 30000 });
  try {
    const noopHarness = await startHarness(NOOP_OUTPUT);
    harnesses.push(noopHarness);
    const boardHarness = await startHarness(controlOutput("PipelineBoard"));
    harnesses.push(boardHarness);
    const controls: Control[] = [
      { kind: "noop", label: "do-nothing dataset control", harness: noopHarness },
      { kind: "board", label: "PipelineBoard", harness: boardHarness },
    ];
    const rows: string[][] = [];
    for (const size of sizes) {
      const csv = boardCsv(size);
      const loads: Record<Kind, Load[]> = { noop: [], board: [] };
      for (let run = 0; run < RUNS; run++) for (const control of controls) loads[control.kind].push(await measure(browser, control, csv, size));
      const med = (kind: Kind, read: (load: Load) => number) => median(loads[kind].map(read));
      const ratio = med("board", (l) => l.painted) / med("noop", (l) => l.painted);
      const boardLongest = med("board", longest);
      rows.push([
        size.toLocaleString("en-US"),
        ms(med("noop", (l) => l.painted)),
        ms(med("board", (l) => l.painted)),
        `${ratio.toFixed(2)}${ratio > RATIO_TARGET ? " MISSED" : ""}`,
        ms(med("board", (l) => l.complete)),
        (med("board", (l) => l.complete) / med("noop", (l) => l.complete)).toFixed(2),
        mib(med("noop", (l) => l.heapBytes)),
        mib(med("board", (l) => l.heapBytes)),
        taskText(med("noop", longest)),
        `${taskText(boardLongest)}${boardLongest > LONG_TASK_TARGET_MS ? " MISSED" : ""}`,
        taskText(Math.max(...loads.board.map(longest))),
        `${Math.min(...loads.board.map((l) => l.counted)).toLocaleString("en-US")}${loads.board.some((l) => l.counted !== size) ? " MISSED" : ""}`,
      ]);
    }
    console.log(`\npcf-start 1.51.1, production React, medians of ${RUNS} loads per control and size, interleaved; ms from Apply's click; targets: painted ratio <= ${RATIO_TARGET}, no task over ${LONG_TASK_TARGET_MS} ms`);
    console.log(
      table(
        ["rows", "do-nothing painted ms", "board painted ms", "painted ratio", "board complete ms", "complete ratio", "do-nothing heap MiB", "board heap MiB", "do-nothing longest task ms", "board longest task ms", "board worst task ms", "board counted"],
        rows,
      ),
    );
    console.log(`load average (1 min) at start ${startLoad.toFixed(2)}, at end ${os.loadavg()[0].toFixed(2)} on ${os.cpus().length} cores: wall-clock numbers grow with it`);
    if (hashOf(bundle) !== bundleHash) console.log("WARNING: the PipelineBoard bundle was rebuilt during this run: the loads above mix two builds");
    if (profile) await profileBoard(browser, sizes[sizes.length - 1]);
  } finally {
    for (const harness of harnesses) harness.stop();
    await browser.close();
  }
}

main().catch((e: unknown) => {
  console.error(`pipelineBoardPcfStart: ${(e as Error).stack ?? String(e)}`);
  process.exitCode = 1;
});
