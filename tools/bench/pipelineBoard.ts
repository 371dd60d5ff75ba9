/**
 * Benchmark of the PipelineBoard's pure work per data change: reading dataset records into cards, lanes plus
 * grouping and totals (one pass), shifting whole-view totals for pending moves, and the virtual window per lane,
 * for 200, 2,000 and 20,000 cards. Median of repeated runs, so one GC pause does not decide the number.
 * Run: npx tsx tools/bench/pipelineBoard.ts
 */
import { shiftTotals } from "../../components/PipelineBoard/PipelineBoard/model/aggregate";
import { type BoardCard, type CardColumns, cardReaderFor } from "../../components/PipelineBoard/PipelineBoard/model/card";
import { groupCards, laneKeyOf, lanesFor } from "../../components/PipelineBoard/PipelineBoard/model/lanes";
import { visibleRange } from "../../components/PipelineBoard/PipelineBoard/model/windowing";
import { SeededRandom } from "../dataverse/random";

const SIZES = [200, 2_000, 20_000];
const RUNS = 15;
const OPTIONS = [0, 1, 2, 3].map((value) => ({ value, label: ["Qualify", "Develop", "Propose", "Close"][value], color: "#0078d4" }));
const COLUMNS: CardColumns = {
  name: "name",
  lane: "salesstage",
  amount: "estimatedvalue",
  amountBase: "estimatedvalue_base",
  probability: "closeprobability",
  closeDate: "estimatedclosedate",
  owner: "ownerid",
  account: ["parentaccountid", "customerid"],
  version: "versionnumber",
};
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
