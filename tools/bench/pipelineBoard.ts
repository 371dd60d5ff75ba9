/**
 * Benchmark of the PipelineBoard's pure work per data change: reading dataset records into cards, lanes plus
 * grouping and totals (one pass), shifting whole-view totals for pending moves, and the virtual window per lane,
 * for 200, 2,000 and 20,000 cards. Median of repeated runs, so one GC pause does not decide the number.
 * Run: npx tsx tools/bench/pipelineBoard.ts
 */
import { shiftTotals } from "../../components/PipelineBoard/PipelineBoard/model/aggregate";
import { type BoardCard, cardReaderFor } from "../../components/PipelineBoard/PipelineBoard/model/card";
import { groupCards, laneKeyOf, lanesFor } from "../../components/PipelineBoard/PipelineBoard/model/lanes";
import { visibleRange } from "../../components/PipelineBoard/PipelineBoard/model/windowing";
import { SeededRandom } from "../dataverse/random";
import { OPPORTUNITY_COLUMNS } from "../../test/components/PipelineBoard/PipelineBoard/opportunityColumns";

const SIZES = [200, 2_000, 20_000];
const RUNS = 15;
const OPTIONS = [0, 1, 2, 3].map((value) => ({ value, label: ["Qualify", "Develop", "Propose", "Close"][value], color: "#0078d4" }));
const COLUMNS = OPPORTUNITY_COLUMNS;
const VIEW_COLUMNS = ["name", "estimatedvalue", "salesstage", "closeprobability", "estimatedclosedate", "ownerid", "parentaccountid", "opportunityratingcode"].map(
  (name) => ({ name, displayName: name }),
);

function records(count: number) {
  const random = new SeededRandom(7);
  return Array.from({ length: count }, (_, i) => {
    const values: Record<string, unknown> = {
      name: `Deal ${i}`,
      salesstage: random.int(0, 4) === 4 ? null : random.int(0, 3),
      estimatedvalue: random.int(1_000, 500_000),
      estimatedvalue_base: random.int(1_000, 500_000),
      closeprobability: random.int(0, 100),
      estimatedclosedate: new Date(2025, random.int(0, 11), random.int(1, 28)),
      versionnumber: 1000 + i,
    };
    const texts: Record<string, string> = { name: `Deal ${i}`, estimatedvalue: "$12,345.00", ownerid: "Ann Lee", parentaccountid: "Contoso", opportunityratingcode: "Warm" };
    return { id: `id-${i}`, value: (c: string) => values[c], text: (c: string) => texts[c] ?? "" };
  });
}

function median(work: () => void): number {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    work();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(RUNS / 2)];
}

console.log("cards | read cards ms | lanes+group+totals ms | shift totals (1% moved) ms | windows ms | cards rendered (all lanes)");
for (const size of SIZES) {
  const source = records(size);
  let cards: BoardCard[] = [];
  const readMs = median(() => {
    cards = source.map(cardReaderFor(COLUMNS, VIEW_COLUMNS));
  });
  let grouped = groupCards(lanesFor(OPTIONS, "(no value)", cards), cards);
  const groupMs = median(() => {
    grouped = groupCards(lanesFor(OPTIONS, "(no value)", cards), cards);
  });
  const totals = new Map(grouped.map((g) => [g.lane.key, g.totals]));
  const moved = cards.filter((_, i) => i % 100 === 0).map((card) => ({ card, from: card.laneValue, to: ((card.laneValue ?? 0) + 1) % 4 }));
  const shiftMs = median(() => {
    shiftTotals(totals, moved);
  });
  let rendered = 0;
  const windowMs = median(() => {
    rendered = grouped.reduce((n, g) => {
      const range = visibleRange(0, 600, 136, g.cards.length);
      return n + range.end - range.start;
    }, 0);
  });
  const check = grouped.reduce((n, g) => n + g.totals.count, 0);
  if (check !== size || laneKeyOf(null) !== "none") throw new Error(`grouping lost cards: ${check} of ${size}`);
  console.log(`${size} | ${readMs.toFixed(2)} | ${groupMs.toFixed(2)} | ${shiftMs.toFixed(3)} | ${windowMs.toFixed(4)} | ${rendered}`);
}

/**
 * The board rendered in jsdom with React's production build: time from data to the first rendered board, DOM
 * elements, and the synchronous re-render after a keyboard move. jsdom does no layout or paint, so these are the
 * script part of what headless Chromium would show; the element count is the same in any DOM.
 */
async function domBench(): Promise<void> {
  process.env.NODE_ENV = "production";
  const { JSDOM } = await import("jsdom");
  const dom = new JSDOM("<!doctype html><html><body><div id=root></div></body></html>", { pretendToBeVisual: true });
  const globals = globalThis as unknown as Record<string, unknown>;
  for (const name of ["window", "document", "navigator", "HTMLElement", "Node", "Element", "getComputedStyle", "requestAnimationFrame", "cancelAnimationFrame"]) {
    const value: unknown = Reflect.get(dom.window, name);
    Object.defineProperty(globals, name, { value: typeof value === "function" && /^[a-z]/.test(name) ? (value as () => unknown).bind(dom.window) : value, configurable: true, writable: true });
  }
  const React = await import("react");
  const ReactDOM = await import("react-dom");
  const { Board } = await import("../../components/PipelineBoard/PipelineBoard/ui/Board");
  // The platform registers Fluent's icon font; without it Fluent warns once per icon name, which is noise here.
  const warn = console.warn.bind(console);
  console.warn = (...args: unknown[]) => {
    if (!String(args[0]).includes("was used but not registered")) warn(...args);
  };
  const t = (key: string, ...args: readonly (string | number)[]) => `${key} ${args.join(" ")}`;
  const lanes = lanesFor(OPTIONS, "(no value)");
  console.log("\ncards | first render ms | DOM elements | re-render after a move ms (median of 7)");
  // The first size is a warm-up (JIT, Fluent's style registration) and is not reported.
  for (const size of [200, 1_000, 5_000, 20_000]) {
    const cards = records(size).map(cardReaderFor(COLUMNS, VIEW_COLUMNS));
    const root = dom.window.document.createElement("div");
    dom.window.document.body.appendChild(root);
    const start = performance.now();
    ReactDOM.render(
      React.createElement(Board, {
        t,
        locale: "en-US",
        today: "2025-03-14",
        lanes,
        cards,
        laneKind: "choice",
        permissions: { controlDisabled: false, allowMove: true, canWrite: true },
        totals: { scope: "loaded", reason: "pending" },
        progress: { loaded: size, total: size, loading: false },
        services: { save: () => Promise.resolve(), reload: () => Promise.reject(new Error("not needed")), sleep: () => Promise.resolve() },
        onOpen: () => undefined,
        laneHeight: 600,
        userId: null,
        width: 1400,
      }),
      root,
    );
    const firstMs = performance.now() - start;
    const elements = root.getElementsByTagName("*").length;
    const moves: number[] = [];
    for (let i = 0; i < 7; i++) {
      const card = root.querySelector("section [data-card-id]");
      if (!card) throw new Error("no card rendered");
      const moveStart = performance.now();
      card.dispatchEvent(new dom.window.KeyboardEvent("keydown", { key: "ArrowRight", altKey: true, bubbles: true }));
      moves.push(performance.now() - moveStart);
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    const moveMs = moves.sort((a, b) => a - b)[3];
    if (size !== 200) console.log(`${size} | ${firstMs.toFixed(1)} | ${elements} | ${moveMs.toFixed(1)}`);
    ReactDOM.unmountComponentAtNode(root);
    root.remove();
  }
}

void domBench().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
