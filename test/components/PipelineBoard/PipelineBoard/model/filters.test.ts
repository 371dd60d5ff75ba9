import type { BoardCard } from "../../../../../components/PipelineBoard/PipelineBoard/model/card";
import {
  ALL_MEASURES,
  applicableFilter,
  applicableSort,
  filterCards,
  foldText,
  isFiltering,
  NO_FILTER,
  sortCards,
} from "../../../../../components/PipelineBoard/PipelineBoard/model/filters";

const card = (id: string, extra: Partial<BoardCard>): BoardCard => ({
  id,
  name: `Deal ${id}`,
  account: "",
  laneValue: 0,
  amount: null,
  amountText: "",
  amountBase: null,
  probability: null,
  closeDate: null,
  closeDateText: "",
  owner: "",
  details: [],
  ...extra,
});

const cards = [
  card("a", { name: "Müller renewal", account: "Contoso", amount: 500, probability: 20, closeDate: "2025-03-01", ownerId: "{AAAA-1}" }),
  card("b", { name: "Cloud migration", account: "华信科技有限公司", amount: 5000, probability: 80, closeDate: "2025-05-20", ownerId: "bbbb-2" }),
  card("c", { name: "Training", account: "Fabrikam", amount: null, probability: null, closeDate: null }),
  card("d", { name: "Licences", account: "Northwind", amount: 1500, probability: 50, closeDate: "2025-03-30", ownerId: "aaaa-1" }),
];
const today = "2025-03-14";
const ids = (list: readonly BoardCard[]) => list.map((c) => c.id);

describe("filterCards", () => {
  it("returns the same list when no filter is set", () => {
    expect(isFiltering(NO_FILTER)).toBe(false);
    expect(filterCards(cards, NO_FILTER, today, null)).toBe(cards);
  });

  it("searches name and account, ignoring case and accents, in Chinese too", () => {
    expect(ids(filterCards(cards, { ...NO_FILTER, search: "muller" }, today, null))).toEqual(["a"]);
    expect(ids(filterCards(cards, { ...NO_FILTER, search: "华信" }, today, null))).toEqual(["b"]);
    expect(ids(filterCards(cards, { ...NO_FILTER, search: "  NORTH " }, today, null))).toEqual(["d"]);
    expect(foldText("Ångström")).toBe("angstrom");
  });

  it("keeps only the user's own cards, whatever the GUID's braces and case", () => {
    expect(ids(filterCards(cards, { ...NO_FILTER, mineOnly: true }, today, "{aaaa-1}"))).toEqual(["a", "d"]);
    expect(ids(filterCards(cards, { ...NO_FILTER, mineOnly: true }, today, null))).toEqual([]);
  });

  it("filters amount and probability ranges, leaving out cards without a value", () => {
    expect(ids(filterCards(cards, { ...NO_FILTER, amountMin: 1000 }, today, null))).toEqual(["b", "d"]);
    expect(ids(filterCards(cards, { ...NO_FILTER, amountMin: 500, amountMax: 1500 }, today, null))).toEqual(["a", "d"]);
    expect(ids(filterCards(cards, { ...NO_FILTER, probabilityMax: 50 }, today, null))).toEqual(["a", "d"]);
  });

  it("filters close dates: overdue, this month, this quarter", () => {
    expect(ids(filterCards(cards, { ...NO_FILTER, closeDate: "overdue" }, today, null))).toEqual(["a"]);
    expect(ids(filterCards(cards, { ...NO_FILTER, closeDate: "thisMonth" }, today, null))).toEqual(["a", "d"]);
    expect(ids(filterCards(cards, { ...NO_FILTER, closeDate: "thisQuarter" }, "2025-04-02", null))).toEqual(["b"]);
  });
});

describe("sortCards", () => {
  it("sorts amount and probability highest first and close date soonest first, missing values last", () => {
    expect(ids(sortCards(cards, "amount"))).toEqual(["b", "d", "a", "c"]);
    expect(ids(sortCards(cards, "probability"))).toEqual(["b", "d", "a", "c"]);
    expect(ids(sortCards(cards, "closeDate"))).toEqual(["a", "d", "b", "c"]);
  });

  it("keeps the view's order by default and does not change the input", () => {
    expect(sortCards(cards, "view")).toBe(cards);
    sortCards(cards, "amount");
    expect(ids(cards)).toEqual(["a", "b", "c", "d"]);
  });
});

describe("filters and sorts the view's figures allow", () => {
  const everything = { ...NO_FILTER, search: "abc", amountMin: 10, amountMax: 20, probabilityMin: 5, probabilityMax: 50, closeDate: "overdue" as const };

  it("keeps the whole filter and sort while the view has every figure", () => {
    expect(applicableFilter(everything, ALL_MEASURES)).toEqual(everything);
    expect(applicableSort("probability", ALL_MEASURES)).toBe("probability");
  });

  it("drops the ranges, close-date filter and sorts of figures the view lacks, keeping search", () => {
    const none = { amount: false, probability: false, closeDate: false };
    expect(applicableFilter(everything, none)).toEqual({ ...NO_FILTER, search: "abc" });
    expect(applicableFilter(everything, { ...none, probability: true })).toEqual({ ...NO_FILTER, search: "abc", probabilityMin: 5, probabilityMax: 50 });
    expect(applicableSort("amount", { ...none, closeDate: true })).toBe("view");
    expect(applicableSort("closeDate", { ...none, closeDate: true })).toBe("closeDate");
  });
});
