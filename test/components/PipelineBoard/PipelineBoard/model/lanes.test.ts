import {
  bucketCards,
  groupCards,
  type LaneCard,
  lanesFor,
  lanesWithCards,
  locateCard,
  NO_VALUE_LANE_KEY,
  withMoves,
} from "../../../../../components/PipelineBoard/PipelineBoard/model/lanes";

const options = [
  { value: 0, label: "Qualify", color: "#8764b8" },
  { value: 1, label: "Develop", color: "#0078d4" },
  { value: 2, label: "Propose" },
];

const card = (id: string, laneValue: number | null, amount: number | null, probability: number | null, amountBase?: number): LaneCard & { id: string } => ({
  id,
  laneValue,
  amount,
  amountBase: amountBase ?? null,
  probability,
});

describe("lanesFor", () => {
  it("keeps the choice's option order and colours and ends with the no-value lane", () => {
    const lanes = lanesFor([options[2], options[0], options[1]], "(no value)");
    expect(lanes.map((l) => l.label)).toEqual(["Propose", "Qualify", "Develop", "(no value)"]);
    expect(lanes[1].color).toBe("#8764b8");
    expect(lanes[0].color).toBeUndefined();
    expect(lanes[3]).toMatchObject({ key: NO_VALUE_LANE_KEY, value: null, unknown: false });
  });

  it("gives a value missing from the metadata its own lane, labelled with the record's text, before no value", () => {
    const lanes = lanesFor(options, "(no value)", [{ ...card("a", 7, 1, 1), laneText: "Retired stage" }, card("b", 7, 1, 1)]);
    expect(lanes.map((l) => l.label)).toEqual(["Qualify", "Develop", "Propose", "Retired stage", "(no value)"]);
    expect(lanes[3].unknown).toBe(true);
  });
});

describe("groupCards", () => {
  const lanes = lanesFor(options, "(no value)");

  it("puts cards in their lanes in their loaded order, no value last", () => {
    const grouped = groupCards(lanes, [card("a", 1, 10, 50), card("b", null, 5, 0), card("c", 1, 20, 10), card("d", 0, 1, 1)]);
    expect(grouped.map((g) => g.cards.map((c) => c.id))).toEqual([["d"], ["a", "c"], [], ["b"]]);
  });

  it("counts, sums and weights each lane by probability", () => {
    const grouped = groupCards(lanes, [card("a", 1, 100, 50), card("b", 1, 300, 10), card("c", 1, null, 90)]);
    expect(grouped[1].totals).toEqual({ count: 3, amount: 400, weighted: 80 });
    expect(grouped[0].totals).toEqual({ count: 0, amount: 0, weighted: 0 });
  });

  it("sums base-currency amounts when present so currencies never mix", () => {
    const grouped = groupCards(lanes, [card("usd", 2, 100, 100, 100), card("cny", 2, 710, 100, 100)]);
    expect(grouped[2].totals.amount).toBe(200);
  });

  it("places a card where laneOf says, for moves not yet in the data", () => {
    const grouped = groupCards(lanes, [card("a", 0, 10, 10)], () => 2);
    expect(grouped[2].cards.map((c) => c.id)).toEqual(["a"]);
    expect(grouped[0].totals.count).toBe(0);
  });

  it("sends cards of a lane the board does not know to no value rather than dropping them", () => {
    const grouped = groupCards(lanes, [card("a", 9, 10, 10)]);
    expect(grouped[3].cards.map((c) => c.id)).toEqual(["a"]);
  });

  it("keeps view order in the no-value lane when it also takes cards of unknown lanes", () => {
    const cards = [card("a", null, 1, 1), card("b", 9, 2, 2), card("c", null, 3, 3)];
    const grouped = groupCards(lanes, cards);
    expect(grouped[3].cards.map((c) => c.id)).toEqual(["a", "b", "c"]);
    expect(grouped[3].totals).toEqual({ count: 3, amount: 6, weighted: (1 + 4 + 9) / 100 });
  });

  it("puts lanes that arrive after the cards (new labels, colours, order) on the same card lists without regrouping", () => {
    const cards = [card("a", 1, 10, 50), card("b", 0, 5, 0), card("c", 1, 20, 10)];
    const buckets = bucketCards(cards);
    const fromValues = lanesWithCards(lanesFor([], "(no value)", cards), buckets, cards);
    const fromMetadata = lanesWithCards(lanesFor([options[1], options[0]], "(no value)", cards), buckets, cards);
    expect(fromValues.map((g) => g.lane.label)).toEqual(["1", "0", "(no value)"]);
    expect(fromMetadata.map((g) => g.lane.label)).toEqual(["Develop", "Qualify", "(no value)"]);
    expect(fromMetadata[0].cards).toBe(fromValues[0].cards);
    expect(fromMetadata[0].totals).toBe(fromValues[0].totals);
  });
});

describe("withMoves", () => {
  const lanes = lanesFor(options, "(no value)");
  const cards = [card("a", 0, 10, 50), card("b", 1, 20, 10), card("c", 0, 30, 20), card("d", 2, 40, 0), card("e", null, 5, 100), card("f", 1, 60, 90)];
  const order = new Map(cards.map((c, i) => [c.id, i]));
  const base = groupCards(lanes, cards);

  it("shows moved cards in their new lanes in view order, with the lanes and totals groupCards would give", () => {
    const moves = [
      { card: cards[2], to: 1 },
      { card: cards[4], to: 0 },
      { card: cards[3], to: 9 },
    ];
    const target = new Map(moves.map((m) => [m.card.id, m.to]));
    const expected = groupCards(lanes, cards, (c) => (target.has(c.id) ? (target.get(c.id) ?? null) : c.laneValue));
    expect(withMoves(base, moves, order)).toEqual(expected);
  });

  it("keeps every lane a move does not touch as the same object", () => {
    const moved = withMoves(base, [{ card: cards[0], to: 1 }], order);
    expect(moved[0]).not.toBe(base[0]);
    expect(moved[1]).not.toBe(base[1]);
    expect(moved[2]).toBe(base[2]);
    expect(moved[3]).toBe(base[3]);
  });

  it("reuses the previous lane object when a later move leaves its cards as they were", () => {
    const first = withMoves(base, [{ card: cards[0], to: 1 }], order);
    const second = withMoves(base, [{ card: cards[0], to: 1 }, { card: cards[3], to: null }], order, first);
    expect(second[0]).toBe(first[0]);
    expect(second[1]).toBe(first[1]);
    expect(second[2].cards.map((c) => c.id)).toEqual([]);
    expect(second[3].cards.map((c) => c.id)).toEqual(["d", "e"]);
  });

  it("does not show a moved card the filter left out", () => {
    const shown = cards.filter((c) => c.id !== "a");
    const filteredOrder = new Map(shown.map((c, i) => [c.id, i]));
    const moved = withMoves(groupCards(lanes, shown), [{ card: cards[0], to: 1 }], filteredOrder);
    expect(moved[1].cards.map((c) => c.id)).toEqual(["b", "f"]);
  });
});

describe("locateCard", () => {
  const lanes = lanesFor(options, "(no value)");
  const cards = [card("a", 0, 10, 50), card("b", 1, 20, 10), card("c", 0, 30, 20), card("d", 1, 40, 0), card("e", 1, 5, 100)];
  const order = new Map(cards.map((c, i) => [c.id, i]));

  it("finds the lane and index a card is shown at, after a move too", () => {
    const grouped = withMoves(groupCards(lanes, cards), [{ card: cards[0], to: 1 }], order);
    expect(locateCard(grouped, order, "a")).toEqual({ group: grouped[1], index: 0 });
    expect(locateCard(grouped, order, "d")).toEqual({ group: grouped[1], index: 2 });
    expect(locateCard(grouped, order, "c")).toEqual({ group: grouped[0], index: 0 });
  });

  it("finds nothing for a card that is not shown", () => {
    expect(locateCard(groupCards(lanes, cards), order, "zz")).toBeNull();
  });
});
