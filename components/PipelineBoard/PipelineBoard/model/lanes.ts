/**
 * Lanes and the cards in them. Lanes follow the choice's own option order (not the order records happen to arrive
 * in), keep the option colours, and end with a "no value" lane; grouping and totals are one pass over the cards.
 */

/** One option of the lane column as the metadata describes it, label already in the user's language. */
export interface LaneOption {
  readonly value: number;
  readonly label: string;
  /** `#rrggbb` as set on the option in Dataverse; absent when the maker set none. */
  readonly color?: string;
  /** For status reason columns: the state (statecode) the option belongs to. */
  readonly state?: number;
}

/** The lane a record with no lane value goes to. */
export const NO_VALUE_LANE_KEY = "none";

export function laneKeyOf(value: number | null): string {
  return value === null ? NO_VALUE_LANE_KEY : String(value);
}

export interface Lane {
  readonly key: string;
  /** The option value written to Dataverse when a card moves here; null for the "no value" lane. */
  readonly value: number | null;
  readonly label: string;
  readonly color?: string;
  readonly state?: number;
  /** A value found on records but missing from the metadata (an option deleted since); shown, never a move target. */
  readonly unknown: boolean;
}

export interface LaneCard {
  readonly id: string;
  readonly laneValue: number | null;
  /** The lane column's display text on this record; labels a lane whose option is missing from the metadata. */
  readonly laneText?: string;
  /** Amount in the record's currency. */
  readonly amount: number | null;
  /** Amount in the organisation's base currency (`<amount>_base`); totals add these so currencies never mix. */
  readonly amountBase: number | null;
  /** Percent, 0–100. */
  readonly probability: number | null;
}

export interface LaneTotals {
  readonly count: number;
  readonly amount: number;
  /** Σ amount × probability / 100. */
  readonly weighted: number;
}

export const EMPTY_TOTALS: LaneTotals = { count: 0, amount: 0, weighted: 0 };

/** The amount a card adds to its lane's totals: the base-currency amount when Dataverse sent one. */
export function totalsAmountOf(card: LaneCard): number {
  return card.amountBase ?? card.amount ?? 0;
}

export function contributionOf(card: LaneCard): LaneTotals {
  const amount = totalsAmountOf(card);
  return { count: 1, amount, weighted: (amount * (card.probability ?? 0)) / 100 };
}

export function addTotals(a: LaneTotals, b: LaneTotals, sign: 1 | -1 = 1): LaneTotals {
  return { count: a.count + sign * b.count, amount: a.amount + sign * b.amount, weighted: a.weighted + sign * b.weighted };
}

export interface GroupedLane<C extends LaneCard> {
  readonly lane: Lane;
  readonly cards: C[];
  readonly totals: LaneTotals;
}

function laneLabelOf(card: LaneCard): string {
  const text = card.laneText?.trim();
  return text === undefined || text === "" ? String(card.laneValue) : text;
}

/** Lanes for the options, then a "no value" lane; unknown values found on cards get lanes of their own before it. */
export function lanesFor(options: readonly LaneOption[], noValueLabel: string, cards: readonly LaneCard[] = []): Lane[] {
  const lanes: Lane[] = options.map((o) => ({
    key: laneKeyOf(o.value),
    value: o.value,
    label: o.label,
    ...(o.color !== undefined && { color: o.color }),
    ...(o.state !== undefined && { state: o.state }),
    unknown: false,
  }));
  // Compared as numbers: a string key per card would cost 20,000 conversions on every metadata or page change.
  const known = new Set<number>(options.map((o) => o.value));
  for (const card of cards) {
    const value = card.laneValue;
    if (value === null || known.has(value)) continue;
    known.add(value);
    lanes.push({ key: laneKeyOf(value), value, label: laneLabelOf(card), unknown: true });
  }
  lanes.push({ key: NO_VALUE_LANE_KEY, value: null, label: noValueLabel, unknown: false });
  return lanes;
}

/** Cards with one lane value, in view order, and their totals. */
export interface LaneBucket<C extends LaneCard> {
  readonly cards: C[];
  readonly totals: LaneTotals;
}

export type LaneBuckets<C extends LaneCard> = ReadonlyMap<number | null, LaneBucket<C>>;

/**
 * The cards by lane value with each value's totals, in one pass that keeps view order. Lanes are put on afterwards
 * (`lanesWithCards`), so lane metadata arriving (labels, colours, option order) does not walk the cards again.
 * `laneOf` lets a pending move show the card in its new lane without copying the card.
 */
export function bucketCards<C extends LaneCard>(cards: readonly C[], laneOf: (card: C) => number | null = (card) => card.laneValue): LaneBuckets<C> {
  const open = new Map<number | null, { cards: C[]; count: number; amount: number; weighted: number }>();
  for (const card of cards) {
    const value = laneOf(card);
    let bucket = open.get(value);
    if (bucket === undefined) {
      bucket = { cards: [], count: 0, amount: 0, weighted: 0 };
      open.set(value, bucket);
    }
    bucket.cards.push(card);
    const amount = totalsAmountOf(card);
    bucket.count += 1;
    bucket.amount += amount;
    bucket.weighted += (amount * (card.probability ?? 0)) / 100;
  }
  const buckets = new Map<number | null, LaneBucket<C>>();
  for (const [value, { cards: bucketed, count, amount, weighted }] of open) buckets.set(value, { cards: bucketed, totals: { count, amount, weighted } });
  return buckets;
}

/**
 * Each lane with its cards and totals. A value no lane shows goes to the "no value" lane; that lane is then rebuilt
 * from `cards` (in view order), which index.ts avoids by giving every value found on the cards a lane.
 */
export function lanesWithCards<C extends LaneCard>(
  lanes: readonly Lane[],
  buckets: LaneBuckets<C>,
  cards: readonly C[],
  laneOf: (card: C) => number | null = (card) => card.laneValue,
): GroupedLane<C>[] {
  const shown = new Set(lanes.filter((l) => l.key !== NO_VALUE_LANE_KEY).map((l) => l.value));
  const stray = (value: number | null) => value === null || !shown.has(value);
  const strays = [...buckets.keys()].some((value) => value !== null && stray(value));
  return lanes.map((lane) => {
    if (lane.key === NO_VALUE_LANE_KEY && strays) {
      const gathered = bucketCards(
        cards.filter((card) => stray(laneOf(card))),
        () => null,
      ).get(null);
      return { lane, cards: gathered?.cards ?? [], totals: gathered?.totals ?? EMPTY_TOTALS };
    }
    const bucket = buckets.get(lane.value);
    return { lane, cards: bucket?.cards ?? [], totals: bucket?.totals ?? EMPTY_TOTALS };
  });
}

/** Puts each card in its lane, keeping the cards' order within a lane, and totals each lane. */
export function groupCards<C extends LaneCard>(
  lanes: readonly Lane[],
  cards: readonly C[],
  laneOf: (card: C) => number | null = (card) => card.laneValue,
): GroupedLane<C>[] {
  return lanesWithCards(lanes, bucketCards(cards, laneOf), cards, laneOf);
}

export interface LaneMove<C extends LaneCard> {
  readonly card: C;
  /** The lane the card is shown in, over the `laneValue` it was loaded with. */
  readonly to: number | null;
}

/** Where a card with view position `at` is, or goes, in a lane's cards (which are in view order). */
function lowerBound(cards: readonly LaneCard[], order: ReadonlyMap<string, number>, at: number): number {
  let low = 0;
  let high = cards.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((order.get(cards[middle].id) ?? Number.MAX_SAFE_INTEGER) < at) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The lane showing card `id` and its index there, found by binary search on view order: no walk over the cards. */
export function locateCard<C extends LaneCard>(
  grouped: readonly GroupedLane<C>[],
  order: ReadonlyMap<string, number>,
  id: string,
): { group: GroupedLane<C>; index: number } | null {
  const at = order.get(id);
  if (at === undefined) return null;
  for (const group of grouped) {
    const index = lowerBound(group.cards, order, at);
    if (group.cards[index]?.id === id) return { group, index };
  }
  return null;
}

/** What a lane was rebuilt from, so a later call with the same moves into and out of it can hand back the same object. */
const rebuiltFrom = new WeakMap<GroupedLane<LaneCard>, { base: GroupedLane<LaneCard>; moves: string }>();

/**
 * `grouped` (cards by their loaded lane) with moved cards shown in their new lanes, as `groupCards` with a `laneOf`
 * would give, but rebuilding only the lanes a move leaves or enters, by binary search and splice: a move costs two
 * lanes, not a walk over every card. Lanes no move touches are the objects of `grouped`; a lane with the same moves
 * as in `previous` is that object, so React skips both. `order` is each shown card's position in the view; a card it
 * lacks (filtered out) is not shown.
 */
export function withMoves<C extends LaneCard>(
  grouped: readonly GroupedLane<C>[],
  moves: readonly LaneMove<C>[],
  order: ReadonlyMap<string, number>,
  previous: readonly GroupedLane<C>[] = [],
): GroupedLane<C>[] {
  const keys = new Set(grouped.map((g) => g.lane.key));
  const resolve = (value: number | null): string | undefined => {
    const key = laneKeyOf(value);
    return keys.has(key) ? key : keys.has(NO_VALUE_LANE_KEY) ? NO_VALUE_LANE_KEY : undefined;
  };
  const touched = new Map<string, { leaving: C[]; entering: C[] }>();
  const touch = (key: string) => {
    let entry = touched.get(key);
    if (entry === undefined) {
      entry = { leaving: [], entering: [] };
      touched.set(key, entry);
    }
    return entry;
  };
  for (const { card, to } of moves) {
    if (!order.has(card.id)) continue;
    const fromKey = resolve(card.laneValue);
    const toKey = resolve(to);
    if (fromKey === toKey) continue;
    if (fromKey !== undefined) touch(fromKey).leaving.push(card);
    if (toKey !== undefined) touch(toKey).entering.push(card);
  }
  if (touched.size === 0) return [...grouped];
  const before = new Map(previous.map((g) => [g.lane.key, g]));
  return grouped.map((group) => {
    const change = touched.get(group.lane.key);
    if (change === undefined) return group;
    const signature = `${change.leaving.map((c) => c.id).join(",")}|${change.entering.map((c) => c.id).join(",")}`;
    const last = before.get(group.lane.key);
    const lastFrom = last === undefined ? undefined : rebuiltFrom.get(last);
    if (last !== undefined && lastFrom?.base === group && lastFrom.moves === signature) return last;
    const cards = group.cards.slice();
    let totals = group.totals;
    for (const card of change.leaving) {
      const index = lowerBound(cards, order, order.get(card.id) ?? Number.MAX_SAFE_INTEGER);
      if (cards[index]?.id !== card.id) continue;
      cards.splice(index, 1);
      totals = addTotals(totals, contributionOf(card), -1);
    }
    for (const card of change.entering) {
      cards.splice(lowerBound(cards, order, order.get(card.id) ?? Number.MAX_SAFE_INTEGER), 0, card);
      totals = addTotals(totals, contributionOf(card));
    }
    const rebuilt = { lane: group.lane, cards, totals };
    rebuiltFrom.set(rebuilt, { base: group, moves: signature });
    return rebuilt;
  });
}
