/**
 * The card view model: what one record shows on the board, read through a two-method reader so the same code
 * works on a PCF dataset record, a Web API row or a test's plain object.
 */
import type { LaneCard } from "./lanes";

/** The part of a PCF `EntityRecord` a card needs. */
export interface RecordReader {
  readonly id: string;
  value(column: string): unknown;
  /** Dataverse's display text for the column (in the record's currency, the user's date format…), or "". */
  text(column: string): string;
}

export interface CardColumns {
  readonly name: string;
  readonly lane: string;
  readonly amount: string;
  readonly probability: string;
  readonly closeDate: string;
  readonly owner: string;
  /** Where the account comes from; the first with a value wins (opportunity: parentaccountid, then customerid). */
  readonly account: readonly string[];
  /** Present when the amount is a currency column whose `_base` twin the dataset carries. */
  readonly amountBase?: string;
  /** The row version column; its value makes the etag for the concurrency-checked save. */
  readonly version?: string;
  /** The status column (`statecode`: 0 open or active; won, lost, inactive otherwise), when the dataset carries it. */
  readonly state?: string;
}

export interface ViewColumn {
  readonly name: string;
  readonly displayName: string;
}

export interface CardDetail {
  readonly label: string;
  readonly text: string;
}

export interface BoardCard extends LaneCard {
  readonly name: string;
  readonly account: string;
  /** Formatted in the record's own currency. */
  readonly amountText: string;
  /** Calendar date `yyyy-mm-dd`, or null. */
  readonly closeDate: string | null;
  readonly closeDateText: string;
  readonly owner: string;
  /** The owner's id, for "mine only". */
  readonly ownerId?: string;
  /** The view's other columns, in view order, only those with a value. */
  readonly details: readonly CardDetail[];
  /** `W/"<versionnumber>"`, the `@odata.etag` Dataverse gives the row at that version. */
  readonly etag?: string;
  /** The record is closed (won, lost) or inactive: its close date is history, not a deadline. */
  readonly closed?: boolean;
}

/**
 * A finite number or null, whatever the host hands over: a number, numeric text, or an option object `{ value }`
 * (followed one level only, so a self-referencing object cannot recurse forever). NaN, ±Infinity, `"1e400"`, empty
 * text and anything else are no value, so totals and sorts never see them.
 */
function numberOf(value: unknown, depth = 0): number | null {
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value === "string") {
    const n = value.trim() === "" ? Number.NaN : Number(value);
    return Number.isFinite(n) ? n : null;
  }
  // PCF gives a choice column's value as a number, but some hosts (the test harness) hand over an option object.
  if (depth === 0 && typeof value === "object" && value !== null && "value" in value) {
    try {
      return numberOf((value).value, 1);
    } catch {
      return null;
    }
  }
  return null;
}

/** One read from the host; a host that throws for a column (or a getter that throws) reads as no value. */
function safely<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

/**
 * A date-only column as its calendar date. PCF gives it as a Date at local midnight (or a string from some hosts);
 * reading the local calendar fields keeps 14 March from becoming 13 March west of UTC.
 */
export function calendarDateOf(value: unknown): string | null {
  if (value instanceof Date) {
    return Number.isNaN(value.getTime()) ? null : `${String(value.getFullYear()).padStart(4, "0").slice(-4)}-${pad(value.getMonth() + 1)}-${pad(value.getDate())}`;
  }
  if (typeof value === "string") {
    const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
    if (!match) return null;
    // A day that does not exist (2025-02-30, 2025-13-01) is no date: filters and "overdue" compare it as text.
    const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const check = new Date(Date.UTC(y, m - 1, d));
    return check.getUTCMonth() === m - 1 && check.getUTCDate() === d ? `${match[1]}-${match[2]}-${match[3]}` : null;
  }
  return null;
}

export function todayOf(now: Date): string {
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** Open and past its close date; a card closing today is not overdue yet, a won or lost one never is. */
export function isOverdue(card: Pick<BoardCard, "closeDate" | "closed">, today: string): boolean {
  return card.closed !== true && card.closeDate !== null && card.closeDate < today;
}

/** The id of a lookup value: PCF gives `{ id: { guid } }` (EntityReference) or `{ id }` (LookupValue). */
function lookupIdOf(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null || !("id" in value)) return undefined;
  const id = (value).id;
  if (typeof id === "string") return id;
  if (typeof id === "object" && id !== null && "guid" in id) {
    const guid = (id).guid;
    return typeof guid === "string" ? guid : undefined;
  }
  return undefined;
}

/** Display text: only a string is text (an object from a careless host would make React throw when drawn). */
function stringOr(value: unknown): string {
  return typeof value === "string" ? value : "";
}

function textOf(reader: RecordReader, column: string): string {
  const text = stringOr(safely(() => reader.text(column)));
  if (text) return text;
  const value = safely(() => reader.value(column));
  if (typeof value === "string") return value;
  if (typeof value === "object" && value !== null && "name" in value) {
    const name = safely(() => (value).name);
    if (typeof name === "string") return name;
  }
  return "";
}

function valueOf(reader: RecordReader, column: string): unknown {
  return safely(() => reader.value(column));
}

type Figures = Pick<BoardCard, "laneValue" | "amount" | "amountBase" | "probability" | "closeDate" | "ownerId" | "etag" | "closed">;
type Texts = Pick<BoardCard, "name" | "account" | "laneText" | "amountText" | "closeDateText" | "owner" | "details">;

/** What grouping, totals, sorting and moves need; every value checked where it becomes a number or date. */
function figuresOf(columns: CardColumns, value: (column: string) => unknown): Figures {
  const probability = numberOf(value(columns.probability));
  const version = columns.version ? numberOf(value(columns.version)) : null;
  const state = columns.state ? numberOf(value(columns.state)) : null;
  return {
    laneValue: numberOf(value(columns.lane)),
    amount: numberOf(value(columns.amount)),
    amountBase: columns.amountBase ? numberOf(value(columns.amountBase)) : null,
    probability: probability === null ? null : Math.min(100, Math.max(0, probability)),
    closeDate: calendarDateOf(value(columns.closeDate)),
    ownerId: safely(() => lookupIdOf(value(columns.owner))),
    etag: version === null ? undefined : `W/"${version}"`,
    closed: state !== null && state !== 0,
  };
}

/** What a card shows as text; the column bookkeeping is done once per reader, not once per card. */
function textsReaderFor(columns: CardColumns, viewColumns: readonly ViewColumn[]): (reader: RecordReader) => Texts {
  const shown = new Set([
    columns.name,
    columns.lane,
    columns.amount,
    columns.probability,
    columns.closeDate,
    columns.owner,
    ...columns.account,
    ...(columns.amountBase ? [columns.amountBase] : []),
    ...(columns.version ? [columns.version] : []),
    ...(columns.state ? [columns.state] : []),
  ]);
  const detailColumns = viewColumns.filter((c) => !shown.has(c.name));
  return (reader) => {
    const details: CardDetail[] = [];
    for (const column of detailColumns) {
      const text = textOf(reader, column.name);
      if (text) details.push({ label: column.displayName, text });
    }
    let account = "";
    for (const column of columns.account) {
      account = textOf(reader, column);
      if (account) break;
    }
    return {
      name: textOf(reader, columns.name),
      account,
      laneText: stringOr(safely(() => reader.text(columns.lane))) || undefined,
      amountText: textOf(reader, columns.amount),
      closeDateText: textOf(reader, columns.closeDate),
      owner: textOf(reader, columns.owner),
      details,
    };
  };
}

/**
 * A reader for many records. Every value is checked where it becomes a number, date or text: one odd record shows
 * less, never throws.
 */
export function cardReaderFor(columns: CardColumns, viewColumns: readonly ViewColumn[]): (reader: RecordReader) => BoardCard {
  const textsOf = textsReaderFor(columns, viewColumns);
  return (reader) => {
    const figures = figuresOf(columns, (column) => valueOf(reader, column));
    return cardWith({ id: String(reader.id), ...figures, ...textsOf(reader) }, {});
  };
}

/** Reads a column of a record the host keeps; a lazy card holds the record and reads its texts through this. */
export interface RecordAccess<R> {
  value(record: R, column: string): unknown;
  text(record: R, column: string): string;
}

/**
 * A card whose figures (lane, amounts, probability, dates, owner id, version, state) are read at once, for grouping,
 * totals, sorting and moves, and whose display texts are read from the host's record the first time something shows
 * them. Formatted values are most of what reading a record costs (the host formats every one on each call), and a
 * board with 20,000 records shows about fifty.
 */
class LazyCard<R> implements BoardCard {
  readonly laneValue: number | null;
  readonly amount: number | null;
  readonly amountBase: number | null;
  readonly probability: number | null;
  readonly closeDate: string | null;
  readonly ownerId: string | undefined;
  readonly etag: string | undefined;
  readonly closed: boolean;
  private texts: Texts | undefined;

  constructor(
    readonly id: string,
    private readonly record: R,
    private readonly plan: { readonly access: RecordAccess<R>; readonly texts: (reader: RecordReader) => Texts },
    figures: Figures,
  ) {
    this.laneValue = figures.laneValue;
    this.amount = figures.amount;
    this.amountBase = figures.amountBase;
    this.probability = figures.probability;
    this.closeDate = figures.closeDate;
    this.ownerId = figures.ownerId;
    this.etag = figures.etag;
    this.closed = figures.closed === true;
  }

  private get read(): Texts {
    if (this.texts === undefined) {
      const { record, plan } = this;
      this.texts = plan.texts({ id: this.id, value: (column) => plan.access.value(record, column), text: (column) => plan.access.text(record, column) });
    }
    return this.texts;
  }

  get name(): string {
    return this.read.name;
  }
  get account(): string {
    return this.read.account;
  }
  get laneText(): string | undefined {
    return this.read.laneText;
  }
  get amountText(): string {
    return this.read.amountText;
  }
  get closeDateText(): string {
    return this.read.closeDateText;
  }
  get owner(): string {
    return this.read.owner;
  }
  get details(): readonly CardDetail[] {
    return this.read.details;
  }
}

/**
 * A reader of many host records into lazy cards: the figures now, the texts when shown. `access` must not throw; it
 * reads one column of one record as `RecordReader` does.
 */
export function lazyCardReaderFor<R>(columns: CardColumns, viewColumns: readonly ViewColumn[], access: RecordAccess<R>): (id: string, record: R) => BoardCard {
  const plan = { access, texts: textsReaderFor(columns, viewColumns) };
  return (id, record) => new LazyCard(id, record, plan, figuresOf(columns, (column) => safely(() => access.value(record, column))));
}

/**
 * A plain copy of a card with some fields changed. Not `{ ...card }`: a lazy card's texts are getters, which a spread
 * does not copy. Every copy has the same properties in the same order (absent ones undefined): V8 then builds
 * thousands of them with one hidden class instead of dictionary objects.
 */
export function cardWith(card: BoardCard, changes: Partial<BoardCard>): BoardCard {
  return {
    id: card.id,
    name: card.name,
    account: card.account,
    laneValue: card.laneValue,
    laneText: card.laneText,
    amount: card.amount,
    amountText: card.amountText,
    amountBase: card.amountBase,
    probability: card.probability,
    closeDate: card.closeDate,
    closeDateText: card.closeDateText,
    owner: card.owner,
    ownerId: card.ownerId,
    details: card.details,
    etag: card.etag,
    closed: card.closed,
    ...changes,
  };
}

export function readCard(reader: RecordReader, columns: CardColumns, viewColumns: readonly ViewColumn[]): BoardCard {
  return cardReaderFor(columns, viewColumns)(reader);
}
