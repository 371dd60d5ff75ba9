/**
 * What the board draws from lanes that page their own cards: each lane's cards as a sparse array as long as the lane
 * (a hole is a record not read yet), with moves shown at once: a moved card is pinned at the top of the lane it went
 * to and left out where it was read. When two reads of one record disagree (read in one lane, read again in another
 * after a move), the newer row version wins, so no record shows twice.
 */
import type { BoardCard } from "./card";
import { addTotals, contributionOf, EMPTY_TOTALS, type GroupedLane, type Lane, laneKeyOf, type LaneTotals, NO_VALUE_LANE_KEY } from "./lanes";
import type { LanePager } from "./lanePager";
import { versionOfEtag } from "./moves";
import type { LaneCount } from "./serverLanes";

/** What a lane's header can say: its count as Dataverse gave it, with the moves made since. */
export type LaneFigure = LaneCount;

export interface PagedLaneSource {
  pagerOf(key: string): LanePager | undefined;
  countOf(key: string): LaneCount;
}

export interface PagedGrouping {
  readonly grouped: readonly GroupedLane<BoardCard>[];
  readonly figures: ReadonlyMap<string, LaneFigure>;
  /** Where each drawn card is: its lane and index there. */
  readonly located: ReadonlyMap<string, { readonly laneKey: string; readonly index: number }>;
  /** Every record read, once (its newest read). */
  readonly held: readonly BoardCard[];
  /** Cards pinned at the top of each lane: a lane's index minus this is about its position in the pager. */
  readonly pinned: ReadonlyMap<string, number>;
}

function newer(a: BoardCard, b: BoardCard): boolean {
  return (versionOfEtag(a.etag) ?? -1) > (versionOfEtag(b.etag) ?? -1);
}

export function groupPagedLanes(lanes: readonly Lane[], source: PagedLaneSource, laneOf: (card: BoardCard) => number | null): PagedGrouping {
  const heldByLane = new Map<string, [number, BoardCard][]>();
  const chosen = new Map<string, BoardCard>();
  for (const lane of lanes) {
    const held = source.pagerOf(lane.key)?.held() ?? [];
    heldByLane.set(lane.key, held);
    for (const [, card] of held) {
      const current = chosen.get(card.id);
      if (current === undefined || newer(card, current)) chosen.set(card.id, card);
    }
  }
  const moved = [...chosen.values()].filter((card) => laneOf(card) !== card.laneValue);
  // A value no lane shows is in the "no value" lane, as Dataverse counted and paged it.
  const keys = new Set(lanes.map((lane) => lane.key));
  const keyOf = (value: number | null) => (keys.has(laneKeyOf(value)) ? laneKeyOf(value) : NO_VALUE_LANE_KEY);
  const shifts = new Map<string, LaneTotals>();
  const shift = (key: string, share: LaneTotals, sign: 1 | -1) => shifts.set(key, addTotals(shifts.get(key) ?? EMPTY_TOTALS, share, sign));
  for (const card of moved) {
    shift(keyOf(card.laneValue), contributionOf(card), -1);
    shift(keyOf(laneOf(card)), contributionOf(card), 1);
  }
  const located = new Map<string, { laneKey: string; index: number }>();
  const figures = new Map<string, LaneFigure>();
  const pinnedCounts = new Map<string, number>();
  const grouped = lanes.map((lane): GroupedLane<BoardCard> => {
    const held = heldByLane.get(lane.key) ?? [];
    const pinned = moved.filter((card) => keyOf(laneOf(card)) === lane.key);
    const excluded: number[] = [];
    const shown: [number, BoardCard][] = [];
    for (const entry of held) {
      const [position, card] = entry;
      if (chosen.get(card.id) === card && laneOf(card) === card.laneValue) shown.push(entry);
      else excluded.push(position);
    }
    const length = source.pagerOf(lane.key)?.length?.count ?? (held.length === 0 ? 0 : held[held.length - 1][0] + 1);
    const cards = new Array<BoardCard>(pinned.length + Math.max(0, length - excluded.length));
    pinned.forEach((card, index) => {
      cards[index] = card;
      located.set(card.id, { laneKey: lane.key, index });
    });
    let skipped = 0;
    for (const [position, card] of shown) {
      while (skipped < excluded.length && excluded[skipped] < position) skipped++;
      const index = pinned.length + position - skipped;
      if (index >= cards.length) continue;
      cards[index] = card;
      located.set(card.id, { laneKey: lane.key, index });
    }
    pinnedCounts.set(lane.key, pinned.length);
    const count = source.countOf(lane.key);
    const figure: LaneFigure = count.state === "counted" ? { state: "counted", totals: addTotals(count.totals, shifts.get(lane.key) ?? EMPTY_TOTALS) } : count;
    figures.set(lane.key, figure);
    return { lane, cards, totals: figure.state === "counted" ? figure.totals : EMPTY_TOTALS };
  });
  return { grouped, figures, located, held: [...chosen.values()], pinned: pinnedCounts };
}
