/**
 * One lane's cards, read from Dataverse a page at a time as the user scrolls, in the view's order. Memory stays
 * bounded whatever the lane's size: only the pages around what the user looks at are kept; for the others the pager
 * keeps the paging cookie that reads them again (a few hundred bytes each). A far jump (the End key, a dragged
 * scrollbar) walks the cookies forward with pages of keys only, 5,000 rows a request, instead of reading every card.
 *
 * Positions are the lane's order at the time each page was read: Dataverse's cookie names the last row of the page
 * before, so pages read later neither repeat nor skip rows when records move meanwhile.
 */
import type { BoardCard } from "./card";
import { FIRST_PAGE, MAX_FETCH_COUNT, type PagingPosition } from "./laneQuery";

export interface LanePage {
  readonly cards: readonly BoardCard[];
  /** Where the next page starts; null when this page ends the lane. */
  readonly next: PagingPosition | null;
  /** Rows the page held (a keys-only page has rows but no cards). */
  readonly rows: number;
}

export interface LanePageReader {
  read(position: PagingPosition, count: number, keysOnly: boolean): Promise<LanePage>;
}

export interface LaneLength {
  /** Records the lane holds, or at least holds when `exact` is false. */
  readonly count: number;
  readonly exact: boolean;
}

export interface LanePagerOptions {
  readonly pageSize?: number;
  /** Pages kept in memory; the farthest from the user's range go first. */
  readonly keptPages?: number;
}

const DEFAULT_PAGE_SIZE = 50;
const DEFAULT_KEPT_PAGES = 12;

export class LanePager {
  readonly pageSize: number;
  private readonly keptPages: number;
  /** The position each page index starts at, once known: index 0 from the start, others from the page before. */
  private readonly starts = new Map<number, PagingPosition>([[0, FIRST_PAGE]]);
  private readonly pages = new Map<number, readonly BoardCard[]>();
  /** Cards the host already had for the start of this lane (the dataset's first page), shown until page 0 arrives. */
  private seed: readonly BoardCard[] = [];
  private known: LaneLength | null = null;
  /** The index of the page that ended the lane, once read, and how many rows it had. */
  private lastPage: number | null = null;
  private lastPageRows = 0;
  /** Dataverse gave no cookie for this query: pages are reached by number. */
  private simplePaging = false;
  private wanted: { start: number; end: number } = { start: 0, end: 0 };
  private busy = false;
  private failure: unknown = null;
  private closed = false;

  constructor(
    private readonly reader: LanePageReader,
    private readonly onChange: () => void,
    options: LanePagerOptions = {},
  ) {
    this.pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
    this.keptPages = Math.max(2, options.keptPages ?? DEFAULT_KEPT_PAGES);
  }

  /** The lane's length as far as the pager knows: the count it was told, corrected by the end when a page met it. */
  get length(): LaneLength | null {
    if (this.lastPage !== null) {
      const count = this.lastPage * this.pageSize + (this.pages.get(this.lastPage)?.length ?? this.lastPageRows);
      return { count, exact: true };
    }
    const readSoFar = this.furthestKnown();
    if (this.known === null) return readSoFar === 0 ? null : { count: readSoFar, exact: false };
    return { count: Math.max(this.known.count, readSoFar), exact: this.known.exact && readSoFar <= this.known.count };
  }

  /** The failure of the last read, until a later read succeeds. */
  get error(): unknown {
    return this.failure;
  }

  setSeed(cards: readonly BoardCard[]): void {
    this.seed = cards;
    this.changed();
  }

  /** The count the lane's aggregate gave (exact, or a floor when Dataverse refused to count past its limit). */
  setLength(length: LaneLength): void {
    this.known = length;
    this.changed();
  }

  /** The card at a position, or undefined while it is not read (or was let go and is being read again). */
  at(index: number): BoardCard | undefined {
    const page = this.pages.get(Math.floor(index / this.pageSize));
    if (page !== undefined) return page[index % this.pageSize];
    return this.seed[index];
  }

  /** Every card held with its position, in position order. */
  held(): [number, BoardCard][] {
    const held: [number, BoardCard][] = [];
    this.seed.forEach((card, position) => held.push([position, card]));
    for (const index of [...this.pages.keys()].sort((a, b) => a - b)) {
      (this.pages.get(index) ?? []).forEach((card, offset) => held.push([index * this.pageSize + offset, card]));
    }
    return held;
  }

  /** The positions the user looks at now; the pager reads what they lack, one request at a time. */
  want(start: number, end: number): void {
    this.wanted = { start: Math.max(0, start), end: Math.max(start, end) };
    if (this.failure !== null) {
      this.failure = null;
      this.changed();
    }
    void this.pump();
  }

  close(): void {
    this.closed = true;
  }


  private furthestKnown(): number {
    let furthest = this.seed.length;
    for (const [index, page] of this.pages) furthest = Math.max(furthest, index * this.pageSize + page.length);
    for (const index of this.starts.keys()) furthest = Math.max(furthest, index * this.pageSize);
    return furthest;
  }

  /** The first page of the wanted range (with one page of look-ahead) that is not held, or null. */
  private nextMissing(): number | null {
    const first = Math.floor(this.wanted.start / this.pageSize);
    const last = Math.floor(Math.max(this.wanted.start, this.wanted.end - 1) / this.pageSize) + 1;
    for (let index = first; index <= last; index++) {
      if (this.lastPage !== null && index > this.lastPage) return null;
      if (!this.pages.has(index)) return index;
    }
    return null;
  }

  private async pump(): Promise<void> {
    if (this.busy || this.closed) return;
    this.busy = true;
    try {
      for (let missing = this.nextMissing(); missing !== null && !this.closed; missing = this.nextMissing()) {
        await this.reach(missing);
      }
    } catch (error) {
      if (!this.closed) {
        this.failure = error;
        this.changed();
      }
    } finally {
      this.busy = false;
    }
  }

  /** Reads page `index`, walking the cookies forward from the nearest known start when it has none yet. */
  private async reach(index: number): Promise<void> {
    let from = this.simplePaging ? index : this.nearestStart(index);
    while (from < index) {
      const start = this.starts.get(from)!;
      const pages = Math.min(index - from, Math.floor(MAX_FETCH_COUNT / this.pageSize));
      const walked = await this.reader.read(start, pages * this.pageSize, true);
      if (this.closed) return;
      if (walked.next === null) {
        // The lane ends before the page asked for: its length is now exact.
        const total = from * this.pageSize + walked.rows;
        this.lastPage = Math.floor(Math.max(0, total - 1) / this.pageSize);
        this.lastPageRows = total - this.lastPage * this.pageSize;
        this.changed();
        return;
      }
      if (walked.next.cookie === undefined) {
        // Dataverse gives no cookie for this query (docs: some orders cannot be paged by cookie): pages are then
        // numbered in page-size units, which reach any page directly, up to Dataverse's 50,000-row limit.
        this.simplePaging = true;
        break;
      }
      from += pages;
      this.starts.set(from, walked.next);
    }
    const start = this.simplePaging ? { page: index + 1 } : (this.starts.get(index)!);
    const page = await this.reader.read(start, this.pageSize, false);
    if (this.closed) return;
    this.pages.set(index, page.cards);
    // The lane's own first page replaces what the host had; a page let go later is read again, not seeded.
    if (index === 0) this.seed = [];
    if (page.next === null) {
      this.lastPage = index;
      this.lastPageRows = page.cards.length;
    } else {
      if (page.next.cookie === undefined) this.simplePaging = true;
      this.starts.set(index + 1, page.next);
    }
    this.failure = null;
    this.evict();
    this.changed();
  }

  private nearestStart(index: number): number {
    let nearest = 0;
    for (const known of this.starts.keys()) if (known <= index && known > nearest) nearest = known;
    return nearest;
  }

  /** Lets go of the pages farthest from the wanted range, keeping `keptPages`. */
  private evict(): void {
    if (this.pages.size <= this.keptPages) return;
    const centre = (this.wanted.start + this.wanted.end) / 2 / this.pageSize;
    const byDistance = [...this.pages.keys()].sort((a, b) => Math.abs(b - centre) - Math.abs(a - centre));
    for (const index of byDistance.slice(0, this.pages.size - this.keptPages)) this.pages.delete(index);
  }

  private changed(): void {
    if (!this.closed) this.onChange();
  }
}
