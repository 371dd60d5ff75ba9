/**
 * The maker's inputs, parsed and validated once, and the decision whether a new `updateView` needs a new request.
 */
import { isTeamsUserId } from "../../../common/src";
import type { CardTable, RelatedTable } from "./query";
import { clampActivityCount } from "./query";
import type { Section } from "./cardModel";

export const ALL_SECTIONS: readonly Section[] = ["facts", "interactions", "opportunities", "cases", "contacts", "teams"];

export interface SectionsParse {
  readonly sections: readonly Section[];
  /** Words the maker wrote that are no section, to show in the maker-facing warning. */
  readonly unknown: readonly string[];
}

/** `facts, cases;teams` → those sections in the card's fixed order; empty or nothing valid means all sections. */
export function parseSections(value: string | null | undefined): SectionsParse {
  const words = (value ?? "")
    .split(/[,;\s]+/)
    .map((w) => w.trim().toLowerCase())
    .filter((w) => w !== "");
  const known = new Set(words.filter((w): w is Section => (ALL_SECTIONS as readonly string[]).includes(w)));
  const unknown = words.filter((w) => !(ALL_SECTIONS as readonly string[]).includes(w));
  return { sections: known.size === 0 ? ALL_SECTIONS : ALL_SECTIONS.filter((s) => known.has(s)), unknown };
}

export interface ColleaguesParse {
  readonly upns: readonly string[];
  readonly invalid: readonly string[];
}

/** User principal names separated by commas, semicolons or line breaks; duplicates dropped case-insensitively. */
export function parseColleagues(value: string | null | undefined): ColleaguesParse {
  const seen = new Set<string>();
  const upns: string[] = [];
  const invalid: string[] = [];
  for (const raw of (value ?? "").split(/[,;\r\n]+/)) {
    const entry = raw.trim();
    if (entry === "") continue;
    if (!isTeamsUserId(entry)) {
      invalid.push(entry);
      continue;
    }
    const key = entry.toLowerCase();
    if (!seen.has(key)) {
      seen.add(key);
      upns.push(entry);
    }
  }
  return { upns, invalid };
}

export type Layout = "full" | "compact";

/** Narrow form columns get the compact layout whatever the maker chose; a width of 0 or less means "not known". */
export const COMPACT_WIDTH_PX = 320;

export function effectiveLayout(chosen: string | null | undefined, allocatedWidth: number): Layout {
  if (allocatedWidth > 0 && allocatedWidth <= COMPACT_WIDTH_PX) return "compact";
  return chosen === "compact" ? "compact" : "full";
}

/** Everything that decides what the card requests; equal keys mean the last response is still what the card shows. */
export interface FetchKey {
  readonly table: CardTable | undefined;
  readonly id: string | undefined;
  readonly recentActivityCount: number;
  readonly readable: readonly RelatedTable[];
  readonly language: number;
  /** Bumped by the user's refresh and after the panel's own writes. */
  readonly revision: number;
}

export function fetchKey(input: {
  table: string | undefined;
  id: string | undefined;
  recentActivityCount: number | null | undefined;
  readable: readonly RelatedTable[];
  language: number;
  revision: number;
}): FetchKey {
  const table = input.table === "account" || input.table === "contact" ? input.table : undefined;
  const id = input.id?.replace(/[{}]/g, "").toLowerCase();
  return {
    table,
    id: id === "" ? undefined : id,
    recentActivityCount: clampActivityCount(input.recentActivityCount),
    readable: [...input.readable].sort(),
    language: input.language,
    revision: input.revision,
  };
}

export function sameFetch(a: FetchKey | undefined, b: FetchKey): boolean {
  return (
    a !== undefined &&
    a.table === b.table &&
    a.id === b.id &&
    a.recentActivityCount === b.recentActivityCount &&
    a.language === b.language &&
    a.revision === b.revision &&
    a.readable.length === b.readable.length &&
    a.readable.every((t, i) => t === b.readable[i])
  );
}
