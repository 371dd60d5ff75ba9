/**
 * Browser benchmark of PipelineBoard's production bundle in the workbench (headless Chromium via playwright-core),
 * for 1,000, 5,000 and 20,000 opportunities:
 *   first paint   from the page handing the loaded dataset to the control (mark `workbench:board-data`) to the end
 *                 of the first frame that shows cards: the frame is the requestAnimationFrame after the cards are in
 *                 the DOM, and its end is a message posted from that callback, which runs after style, layout and
 *                 paint of the frame
 *   all loaded    from the same mark to the end of the first frame without the progress bar: every record up to the
 *                 maximum loaded (page after page) and read onto the board (the first paint shows the first part)
 *   DOM nodes     elements under the board's container, at first paint and once every page is loaded
 *   JS heap       the page's used JS heap after a forced GC (CDP), and the part the board adds: minus the same page
 *                 and data on the flows screen, which has no board
 *   move          a keyboard move (Alt+ArrowRight on the first Qualify card): the script work from the arrow's
 *                 keydown to the card in Develop plus the work of the frame that shows it; waiting for the frame
 *                 (vsync) is not the board's cost and is reported apart as "to frame"
 * The workbench's Dataverse runs in the page; like PCF's, its dataset delivers each further page on a later task, and
 * the board asks for the next page only after the frame showing the current cards, so "until frame" is the wait for
 * that first frame. A real Dataverse answers the board's own requests (lane metadata's view, the whole-view aggregate)
 * over the network, doing their work on the server; the in-page one does it on the page's main thread as soon as it
 * is asked, inside the very frame it would be measured in. So the judged loads give every request a round trip of
 * ROUND_TRIP_MS (shorter than any real Dataverse's), and "server in page" loads without one show the worst case.
 * Medians over fresh page loads (first paint, nodes, heap) and over several moves per page.
 * Missed targets are printed as MISSED; only errors (page errors, a board that never shows) exit non-zero.
 * A missed target adds one profiled load at that size (V8 sampling profiler), printing where the time went by script.
 * Run: npx tsx tools/bench/pipelineBoardBrowser.ts [sizes …] [--profile]
 */
import { existsSync, statSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { query, ready, ROOT, type Session, startSession } from "../../test/e2e/harness";
import { attribute, type CallFrame, type CpuProfile, median, mib, ms, newestSource, table, usedHeapAfterGc } from "./support/browser";

const SIZES = [1_000, 5_000, 20_000];
const LOADS = 7;
/** Loads per size with no round trip: the in-page Dataverse's work lands in the measured frame. */
const IN_PAGE_LOADS = 3;
const ROUND_TRIP_MS = 50;
const MOVES_PER_LOAD = 3;
const FIRST_PAINT_TARGET_MS: Readonly<Record<number, number>> = { 5_000: 100, 20_000: 300 };
const MOVE_TARGET_MS = 16;
/** "Nearly flat": the settled board at the largest size has at most this many times the nodes of the smallest. */
const FLAT_NODES_RATIO = 1.25;
const BUNDLE = path.join(ROOT, "components/PipelineBoard/out/controls/PipelineBoard/bundle.js");
const SOURCES = path.join(ROOT, "components/PipelineBoard/PipelineBoard");
const BOARD = "#pipeline-board";
/**
 * The probe hands its first-paint timing to the bench through this binding (CDP Runtime.addBinding). Waiting for it
 * with playwright's waitForFunction instead would evaluate playwright's injected script in the page (~9 ms of script
 * on this machine) at about the time of the board's first frame, and time it as the board's.
 */
const REPORT_BINDING = "__tccBenchFirstPaint";
/** In the page URL (the workbench ignores it), makes the probe record a CPU profile of the first paint and of each move. */
const PROFILE_SWITCH = "benchProfile";

/**
 * Installed in every page before its own scripts. Plain JavaScript text: the probe runs in the page, and functions
 * handed to playwright as functions would carry the TypeScript runner's helpers, which the page does not have.
 */
const PROBE = `(() => {
  const BOARD = ${JSON.stringify(BOARD)};
  const PROFILE = new URLSearchParams(location.search).has(${JSON.stringify(PROFILE_SWITCH)});
  const probe = { move: null, allLoaded: null };
  window.__tccBench = probe;
  if (PROFILE) {
    const mark = performance.mark.bind(performance);
    performance.mark = (name, options) => {
      if (name === "workbench:board-data") console.profile("first paint: data to cards in the DOM");
      return mark(name, options);
    };
  }
  const afterFrame = (done) => requestAnimationFrame(() => {
    const frameStart = performance.now();
    const channel = new MessageChannel();
    channel.port1.onmessage = () => done(frameStart, performance.now());
    channel.port2.postMessage(null);
  });
  const nodes = () => document.querySelector(BOARD).getElementsByTagName("*").length;
  const first = new MutationObserver(() => {
    if (document.querySelector(BOARD + " [role=listitem]") === null) return;
    first.disconnect();
    const dom = performance.now();
    const mark = performance.getEntriesByName("workbench:board-data")[0];
    const count = nodes();
    if (PROFILE) {
      console.profileEnd("first paint: data to cards in the DOM");
      console.profile("first paint: cards in the DOM to the painted frame");
    }
    afterFrame((frameStart, frameEnd) => {
      if (PROFILE) console.profileEnd("first paint: cards in the DOM to the painted frame");
      window[${JSON.stringify(REPORT_BINDING)}]({ mark: mark ? mark.startTime : NaN, dom, frameStart, frameEnd, nodes: count });
      const board = document.querySelector(BOARD);
      const loading = () => board.querySelector("[role=progressbar]") !== null;
      const allRead = () => afterFrame((start, end) => { probe.allLoaded = end - (mark ? mark.startTime : NaN); });
      if (!loading()) return allRead();
      const read = new MutationObserver(() => {
        if (loading()) return;
        read.disconnect();
        allRead();
      });
      read.observe(board, { childList: true, subtree: true });
    });
  });
  first.observe(document, { childList: true, subtree: true });
  probe.armMove = (cardId, lane) => {
    const target = BOARD + ' section[aria-label="' + lane + '"] [data-card-id="' + cardId + '"]';
    probe.move = new Promise((resolve, reject) => {
      let input = NaN;
      const board = document.querySelector(BOARD);
      const seen = new MutationObserver(() => {
        if (Number.isNaN(input) || document.querySelector(target) === null) return;
        seen.disconnect();
        const dom = performance.now();
        if (PROFILE) {
          console.profileEnd("move: key to card in the DOM");
          console.profile("move: card in the DOM to the painted frame");
        }
        afterFrame((frameStart, frameEnd) => {
          if (PROFILE) console.profileEnd("move: card in the DOM to the painted frame");
          resolve({ input, dom, frameStart, frameEnd });
        });
      });
      seen.observe(board, { childList: true, subtree: true, attributes: true });
      // Alt+ArrowRight arrives as two keydowns a few milliseconds apart; the move starts at the arrow's.
      const onKey = (event) => {
        if (["Alt", "Shift", "Control", "Meta"].includes(event.key)) return;
        window.removeEventListener("keydown", onKey, true);
        if (PROFILE) console.profile("move: key to card in the DOM");
        input = performance.now();
      };
      window.addEventListener("keydown", onKey, true);
      setTimeout(() => reject(new Error("card " + cardId + " did not appear in lane " + lane + " within 5 s of the key press")), 5000);
    });
  };
})();`;

interface FirstPaintProbe {
  readonly mark: number;
  readonly dom: number;
  readonly frameStart: number;
  readonly frameEnd: number;
  readonly nodes: number;
}

interface MoveProbe {
  readonly input: number;
  readonly dom: number;
  readonly frameStart: number;
  readonly frameEnd: number;
}

interface LoadResult {
  readonly firstPaintMs: number;
  /** To the end of the first frame without the progress bar: every record up to the maximum loaded and on the board. */
  readonly allLoadedMs: number;
  readonly scriptMs: number;
  /** From the cards in the DOM to the start of the frame that paints them: other tasks, then waiting for vsync. */
  readonly untilFrameMs: number;
  /** The painting frame itself: its other rAF callbacks, style, layout and paint. */
  readonly frameMs: number;
  readonly nodesAtFirstPaint: number;
  readonly nodesSettled: number;
  readonly heapBytes: number;
  readonly moveWorkMs: number[];
  readonly moveToFrameMs: number[];
}

/** Every page loaded and the whole-view totals shown: no progress bar, and the totals note says whole view. */
async function settled(page: Page): Promise<void> {
  await page.waitForFunction(
    (board) => {
      const root = document.querySelector(board);
      return root !== null && root.querySelector("[role=progressbar]") === null && (root.textContent ?? "").includes("Totals for the whole view");
    },
    BOARD,
    { timeout: 60000, polling: 100 },
  );
}

async function nodesUnderBoard(page: Page): Promise<number> {
  return page.evaluate((board) => document.querySelector(board)?.getElementsByTagName("*").length ?? 0, BOARD);
}

async function stageOf(page: Page, id: string): Promise<number> {
  const [row] = await query<{ salesstage: number }>(page, `opportunities?$select=salesstage&$filter=opportunityid eq ${id}`);
  return row.salesstage;
}

async function moveOnce(page: Page): Promise<MoveProbe> {
  const card = page.locator(`${BOARD} section[aria-label="Qualify"] [role=listitem]`).first();
  const id = await card.getAttribute("data-card-id");
  if (id === null) throw new Error("the first card in Qualify has no data-card-id");
  await card.focus();
  await page.evaluate(([cardId, lane]) => (window as unknown as { __tccBench: { armMove(id: string, lane: string): void } }).__tccBench.armMove(cardId, lane), [id, "Develop"] as const);
  await page.keyboard.press("Alt+ArrowRight");
  const timing = await page.evaluate(() => (window as unknown as { __tccBench: { move: Promise<MoveProbe> } }).__tccBench.move);
  // The next move starts from a quiet board: this one saved, read back (the card no longer busy: with a round trip the
  // read-back lands a request later than the save) and drawn. Otherwise its end is timed as part of the next move.
  const deadline = Date.now() + 10000;
  while ((await stageOf(page, id)) !== 1) {
    if (Date.now() > deadline) throw new Error(`the move of ${id} to Develop was not saved within 10 s`);
    await page.waitForTimeout(20);
  }
  await page.locator(`${BOARD} [data-card-id="${id}"][aria-busy="false"]`).waitFor({ state: "attached", timeout: 10000 });
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  return timing;
}

const boardUrl = (size: number, profile = false, roundTripMs = ROUND_TRIP_MS): string =>
  `/?screen=opportunities&lang=en&size=${size}&rtt=${roundTripMs}${profile ? `&${PROFILE_SWITCH}` : ""}`;

/** First-paint reports by page, as the probe sends them; a report may arrive before anyone waits for it. */
class FirstPaints {
  private readonly arrived = new Map<Page, FirstPaintProbe>();
  private readonly waiting = new Map<Page, (paint: FirstPaintProbe) => void>();

  async listen(context: BrowserContext): Promise<void> {
    await context.exposeBinding(REPORT_BINDING, ({ page }: { page: Page }, paint: FirstPaintProbe) => {
      const waiter = this.waiting.get(page);
      if (waiter === undefined) this.arrived.set(page, paint);
      else waiter(paint);
    });
  }

  async of(page: Page): Promise<FirstPaintProbe> {
    const paint =
      this.arrived.get(page) ??
      (await new Promise<FirstPaintProbe>((resolve, reject) => {
        const timer = setTimeout(() => {
          this.waiting.delete(page);
          reject(new Error("the board showed no card within 60 s"));
        }, 60000);
        this.waiting.set(page, (report) => {
          clearTimeout(timer);
          resolve(report);
        });
      }));
    this.arrived.delete(page);
    this.waiting.delete(page);
    await ready(page);
    if (Number.isNaN(paint.mark)) throw new Error("the page set no 'workbench:board-data' mark (tools/workbench/page/app.ts, showBoard)");
    return paint;
  }
}

const firstPaints = new FirstPaints();

/** First paint of a board whose Dataverse answers in the page at once (no round trip). */
async function firstPaintInPage(session: Session, size: number): Promise<number> {
  const page = await session.open(boardUrl(size, false, 0));
  try {
    const paint = await firstPaints.of(page);
    return paint.frameEnd - paint.mark;
  } finally {
    await page.close();
  }
}

async function measureLoad(session: Session, size: number): Promise<LoadResult> {
  const page = await session.open(boardUrl(size));
  try {
    const paint = await firstPaints.of(page);
    await settled(page);
    const allLoaded = await page.waitForFunction(() => (window as unknown as { __tccBench: { allLoaded: number | null } }).__tccBench.allLoaded, undefined, { timeout: 10000 });
    const allLoadedMs = (await allLoaded.jsonValue())!;
    const nodesSettled = await nodesUnderBoard(page);
    const heapBytes = await usedHeapAfterGc(page);
    const moveWorkMs: number[] = [];
    const moveToFrameMs: number[] = [];
    for (let i = 0; i < MOVES_PER_LOAD; i++) {
      const move = await moveOnce(page);
      moveWorkMs.push(move.dom - move.input + (move.frameEnd - move.frameStart));
      moveToFrameMs.push(move.frameEnd - move.input);
    }
    return {
      firstPaintMs: paint.frameEnd - paint.mark,
      allLoadedMs,
      scriptMs: paint.dom - paint.mark,
      untilFrameMs: paint.frameStart - paint.dom,
      frameMs: paint.frameEnd - paint.frameStart,
      nodesAtFirstPaint: paint.nodes,
      nodesSettled,
      heapBytes,
      moveWorkMs,
      moveToFrameMs,
    };
  } finally {
    await page.close();
  }
}

/** Which script a profile frame belongs to, named for the reader. */
function scriptOf(frame: CallFrame): string {
  if (frame.url === "") return frame.functionName === "" ? "(native)" : frame.functionName;
  const p = new URL(frame.url).pathname;
  if (p.endsWith("/PipelineBoard/bundle.js")) return "PipelineBoard bundle";
  if (p === "/platform/react-dom.js") return "react-dom";
  if (p === "/platform/react.js") return "react";
  if (p === "/platform/fluent.js") return "Fluent UI";
  if (p === "/workbench/app.js") return "workbench page (in-memory Dataverse, fake PCF host)";
  return p;
}

function printProfile(title: string, profile: CpuProfile): void {
  const { total, scripts, functions } = attribute(profile, scriptOf);
  console.log(`  ${title}: ${(total / 1000).toFixed(1)} ms sampled`);
  for (const [script, micros] of scripts) console.log(`    ${(micros / 1000).toFixed(1).padStart(7)} ms  ${script}`);
  console.log("    heaviest functions (self time):");
  for (const [name, micros] of functions) console.log(`    ${(micros / 1000).toFixed(1).padStart(7)} ms  ${name}`);
}

/**
 * One more load with the V8 sampling profiler on (not counted in the table: profiling slows the page), for a missed
 * target: the first paint and one move, split by script, to show where the time goes.
 */
async function profileAt(session: Session, size: number): Promise<void> {
  const page = await session.open("/?screen=flows&lang=en&size=200");
  const cdp = await page.context().newCDPSession(page);
  try {
    const profiles: { title: string; profile: CpuProfile }[] = [];
    cdp.on("Profiler.consoleProfileFinished", (event) => profiles.push({ title: event.title ?? "", profile: event.profile }));
    await cdp.send("Profiler.enable");
    await cdp.send("Profiler.setSamplingInterval", { interval: 100 });
    await page.goto(new URL(boardUrl(size, true), page.url()).href);
    await firstPaints.of(page);
    await settled(page);
    await moveOnce(page);
    console.log(`
where the time goes at ${size.toLocaleString("en-US")} opportunities (V8 CPU profile of one more load, main thread):`);
    for (const { title, profile } of profiles) printProfile(title, profile);
  } finally {
    await cdp.detach();
    await page.close();
  }
}

/** The same page and sample data without the board, so the heap the board adds can be told from the Dataverse's. */
async function baselineHeap(session: Session, size: number): Promise<number> {
  const page = await session.open(`/?screen=flows&lang=en&size=${size}`);
  try {
    await ready(page);
    return await usedHeapAfterGc(page);
  } finally {
    await page.close();
  }
}

const judged = (text: string, missed: boolean): string => (missed ? `${text} MISSED` : text);

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const forceProfile = args.includes("--profile");
  const asked = args.filter((a) => a !== "--profile").map(Number);
  const wrong = args.filter((a) => a !== "--profile" && !(Number.isInteger(Number(a)) && Number(a) >= 200 && Number(a) <= 20000));
  if (wrong.length > 0) throw new Error(`pipelineBoardBrowser: arguments are sizes from 200 to 20000 and --profile; not ${wrong.join(", ")}`);
  const sizes = asked.length > 0 ? asked : SIZES;
  const startLoad = os.loadavg()[0];
  const hadBundle = existsSync(BUNDLE);
  const session = await startSession();
  try {
    await session.context.addInitScript({ content: PROBE });
    await firstPaints.listen(session.context);
    const bundle = statSync(BUNDLE);
    console.log(`PipelineBoard production bundle: ${BUNDLE.slice(ROOT.length + 1)}, ${bundle.size.toLocaleString("en-US")} bytes (${(bundle.size / 1024).toFixed(1)} KiB)${hadBundle ? "" : ", built now"}`);
    if (newestSource(SOURCES) > bundle.mtimeMs) console.log("note: PipelineBoard sources are newer than this bundle; `npm run build:controls` measures the current code");
    const rows: string[][] = [];
    const settledNodes: number[] = [];
    const missedAt: number[] = [];
    for (const size of sizes) {
      const loads: LoadResult[] = [];
      for (let i = 0; i < LOADS; i++) loads.push(await measureLoad(session, size));
      const inPage: number[] = [];
      for (let i = 0; i < IN_PAGE_LOADS; i++) inPage.push(await firstPaintInPage(session, size));
      const baseline = await baselineHeap(session, size);
      if (session.errors.length > 0) throw new Error(`page errors at ${size} opportunities:\n${session.errors.join("\n")}`);
      const firstPaint = median(loads.map((l) => l.firstPaintMs));
      const moveWork = median(loads.flatMap((l) => l.moveWorkMs));
      const heap = median(loads.map((l) => l.heapBytes));
      const nodes = median(loads.map((l) => l.nodesSettled));
      settledNodes.push(nodes);
      const paintTarget = FIRST_PAINT_TARGET_MS[size];
      const paintMissed = paintTarget !== undefined && firstPaint > paintTarget;
      if (paintMissed || moveWork > MOVE_TARGET_MS) missedAt.push(size);
      rows.push([
        size.toLocaleString("en-US"),
        judged(ms(firstPaint), paintMissed),
        ms(median(loads.map((l) => l.scriptMs))),
        ms(median(loads.map((l) => l.untilFrameMs))),
        ms(median(loads.map((l) => l.frameMs))),
        ms(median(inPage)),
        ms(median(loads.map((l) => l.allLoadedMs))),
        String(median(loads.map((l) => l.nodesAtFirstPaint))),
        String(nodes),
        mib(heap),
        mib(heap - baseline),
        judged(ms(moveWork), moveWork > MOVE_TARGET_MS),
        ms(median(loads.flatMap((l) => l.moveToFrameMs))),
      ]);
    }
    console.log(`\nmedians of ${LOADS} page loads per size with a ${ROUND_TRIP_MS} ms Dataverse round trip (${IN_PAGE_LOADS} more without one for "server in page"), ${MOVES_PER_LOAD} keyboard moves per load; targets: first paint <= 100 ms at 5,000 and <= 300 ms at 20,000, move <= ${MOVE_TARGET_MS} ms`);
    console.log(
      table(
        ["opportunities", "first paint ms", "script ms", "until frame ms", "frame ms", "first paint, server in page ms", "all loaded ms", "DOM nodes (first paint)", "DOM nodes (all loaded)", "JS heap MiB", "board heap MiB", "move ms", "move to frame ms"],
        rows,
      ),
    );
    const ratio = settledNodes[settledNodes.length - 1] / settledNodes[0];
    console.log(
      judged(`DOM nodes ${sizes[sizes.length - 1].toLocaleString("en-US")} / ${sizes[0].toLocaleString("en-US")} cards: x${ratio.toFixed(2)} (nearly flat: <= x${FLAT_NODES_RATIO})`, ratio > FLAT_NODES_RATIO),
    );
    console.log(`load average (1 min) at start ${startLoad.toFixed(2)}, at end ${os.loadavg()[0].toFixed(2)} on ${os.cpus().length} cores: wall-clock numbers grow with it`);
    const profileSize = forceProfile ? sizes[sizes.length - 1] : missedAt[missedAt.length - 1];
    if (profileSize !== undefined) await profileAt(session, profileSize);
  } finally {
    await session.close();
  }
}

main().catch((e: unknown) => {
  console.error(`pipelineBoardBrowser: ${(e as Error).stack ?? String(e)}`);
  process.exitCode = 1;
});
