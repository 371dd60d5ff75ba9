/**
 * Filters and sort orders of the board. They only choose which loaded cards are shown and in what order; moves in
 * flight are held by id in the move controller, so hiding a card never drops its save.
 */
import type { BoardCard } from "./card";

export type CloseDateFilter = "any" | "overdue" | "thisMonth" | "thisQuarter";
export type SortKey = "view" | "amount" | "closeDate" | "probability";

/**
 * Which of the card's figures the view carries. The board offers filters, sorts and lane figures only for those: on a
 * table of the maker's own without an amount, "Sum 0" and an amount range would say nothing.
 */
export interface BoardMeasures {
  readonly amount: boolean;
  readonly probability: boolean;
  readonly closeDate: boolean;
}

export const ALL_MEASURES: BoardMeasures = { amount: true, probability: true, closeDate: true };

export interface BoardFilter {
  /** Matches name or account, case- and accent-insensitively. */
  readonly search: string;
  readonly mineOnly: boolean;
  readonly amountMin: number | null;
  readonly amountMax: number | null;
  readonly probabilityMin: number | null;
  readonly probabilityMax: number | null;
  readonly closeDate: CloseDateFilter;
}

export const NO_FILTER: BoardFilter = {
  search: "",
  mineOnly: false,
  amountMin: null,
  amountMax: null,
  probabilityMin: null,
  probabilityMax: null,
  closeDate: "any",
};

/**
 * The part of a filter and sort the view's figures allow: after a switch to a view without an amount, say, an amount
 * range set before would hide every card behind a field the board no longer shows.
 */
export function applicableFilter(filter: BoardFilter, measures: BoardMeasures): BoardFilter {
  return {
    ...filter,
    ...(!measures.amount && { amountMin: null, amountMax: null }),
    ...(!measures.probability && { probabilityMin: null, probabilityMax: null }),
    ...(!measures.closeDate && { closeDate: "any" }),
  };
}

export function applicableSort(sort: SortKey, measures: BoardMeasures): SortKey {
  return sort === "view" || measures[sort] ? sort : "view";
}

export function isFiltering(filter: BoardFilter): boolean {
  return (
    filter.search.trim() !== "" ||
    filter.mineOnly ||
    filter.amountMin !== null ||
    filter.amountMax !== null ||
    filter.probabilityMin !== null ||
    filter.probabilityMax !== null ||
    filter.closeDate !== "any"
  );
}

/** Lower case without diacritics, so "Muller" finds "Müller"; Chinese text is unchanged by this. */
export function foldText(text: string): string {
  return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
}

/** `{ a, b }` without braces, lower case: how PCF and the Web API spell the same GUID differently. */
export function normaliseId(id: string): string {
  return id.replace(/[{}]/g, "").toLowerCase();
}

function quarterOf(date: string): string {
  return `${date.slice(0, 4)}-Q${Math.floor((Number(date.slice(5, 7)) - 1) / 3)}`;
}

function matchesClose(closeDate: string | null, filter: CloseDateFilter, today: string): boolean {
  switch (filter) {
    case "any":
      return true;
    case "overdue":
      return closeDate !== null && closeDate < today;
    case "thisMonth":
      return closeDate !== null && closeDate.slice(0, 7) === today.slice(0, 7);
    case "thisQuarter":
      return closeDate !== null && quarterOf(closeDate) === quarterOf(today);
  }
}

function inRange(value: number | null, min: number | null, max: number | null): boolean {
  if (min === null && max === null) return true;
  if (value === null) return false;
  return (min === null || value >= min) && (max === null || value <= max);
}

/**
 * The cards the filter lets through, in their order. Amount ranges compare the amount in the record's currency,
 * which is the number the card shows.
 */
export function filterCards<C extends BoardCard>(cards: readonly C[], filter: BoardFilter, today: string, userId: string | null): readonly C[] {
  if (!isFiltering(filter)) return cards;
  const search = foldText(filter.search.trim());
  const me = userId === null ? null : normaliseId(userId);
  return cards.filter(
    (card) =>
      (search === "" || foldText(card.name).includes(search) || foldText(card.account).includes(search)) &&
      (!filter.mineOnly || (me !== null && card.ownerId !== undefined && normaliseId(card.ownerId) === me)) &&
      inRange(card.amount, filter.amountMin, filter.amountMax) &&
      inRange(card.probability, filter.probabilityMin, filter.probabilityMax) &&
      matchesClose(card.closeDate, filter.closeDate, today),
  );
}

/** Missing values go last whatever the direction, so a sort never buries the cards that have the value. */
function compareNullable<T extends number | string>(a: T | null, b: T | null, descending: boolean): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return (a < b ? -1 : 1) * (descending ? -1 : 1);
}

/** Amount and probability highest first, close date soonest first; ties keep the view's order (stable sort). */
export function sortCards<C extends BoardCard>(cards: readonly C[], key: SortKey): readonly C[] {
  switch (key) {
    case "view":
      return cards;
    case "amount":
      return [...cards].sort((a, b) => compareNullable(a.amount, b.amount, true));
    case "closeDate":
      return [...cards].sort((a, b) => compareNullable(a.closeDate, b.closeDate, false));
    case "probability":
      return [...cards].sort((a, b) => compareNullable(a.probability, b.probability, true));
  }
}
