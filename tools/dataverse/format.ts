/**
 * Formatted values as Dataverse renders them for a user (`@OData.Community.Display.V1.FormattedValue`, dataset
 * `getFormattedValue`): choice labels in the user's language, amounts with the row's currency symbol, dates and
 * numbers in the user's locale. Times are shown in UTC because the fake users all have a UTC time zone.
 */
import type { ColumnMetadata, LanguageId } from "./metadata";
import { isLookupRef, type StoredValue } from "./store";

export const LOCALES: Readonly<Record<LanguageId, string>> = { 1033: "en-US", 2052: "zh-CN" };

const YES_NO = { true: { 1033: "Yes", 2052: "是" }, false: { 1033: "No", 2052: "否" } } as const;

export interface FormatContext {
  readonly language: LanguageId;
  /** Primary name of a referenced row, for lookups. */
  readonly nameOf: (table: string, id: string) => string | null;
  /** Symbol and precision of the row's currency, for money. */
  readonly currency?: { readonly symbol: string; readonly precision: number };
}

/** Intl formatters are expensive to build and queries format thousands of values, so each is built once. */
const formatters = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();

function numberFormat(language: LanguageId, digits: number): Intl.NumberFormat {
  const key = `n${language}:${digits}`;
  let f = formatters.get(key) as Intl.NumberFormat | undefined;
  if (!f) {
    f = new Intl.NumberFormat(LOCALES[language], { minimumFractionDigits: digits, maximumFractionDigits: digits });
    formatters.set(key, f);
  }
  return f;
}

function dateFormat(language: LanguageId, withTime: boolean): Intl.DateTimeFormat {
  const key = `d${language}:${withTime}`;
  let f = formatters.get(key) as Intl.DateTimeFormat | undefined;
  if (!f) {
    const options: Intl.DateTimeFormatOptions = withTime
      ? { year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "2-digit", timeZone: "UTC" }
      : { year: "numeric", month: "numeric", day: "numeric", timeZone: "UTC" };
    f = new Intl.DateTimeFormat(LOCALES[language], options);
    formatters.set(key, f);
  }
  return f;
}

export function formatNumber(value: number, language: LanguageId, digits: number): string {
  return numberFormat(language, digits).format(value);
}

export function formatMoney(value: number, language: LanguageId, symbol: string, precision: number): string {
  const sign = value < 0 ? "-" : "";
  return `${sign}${symbol}${formatNumber(Math.abs(value), language, precision)}`;
}

export function formatDate(value: string, language: LanguageId, withTime: boolean): string {
  return dateFormat(language, withTime).format(new Date(value.length === 10 ? `${value}T00:00:00Z` : value));
}

/** The display text of a stored value, or null where Dataverse sends no formatted value (text, ids, nulls). */
export function formattedValue(column: ColumnMetadata, value: StoredValue | undefined, context: FormatContext): string | null {
  if (value === null || value === undefined) return null;
  const { language } = context;
  switch (column.type) {
    case "lookup":
      return isLookupRef(value) ? context.nameOf(value.table, value.id) : null;
    case "choice":
    case "state":
    case "status":
      return column.options?.find((o) => o.value === value)?.labels[language] ?? null;
    case "boolean": {
      const labels = column.booleanLabels ?? YES_NO;
      return (value ? labels.true : labels.false)[language];
    }
    case "money":
      return typeof value === "number"
        ? formatMoney(value, language, context.currency?.symbol ?? "", context.currency?.precision ?? 2)
        : null;
    case "integer":
    case "bigint":
      return typeof value === "number" ? formatNumber(value, language, 0) : null;
    case "decimal":
      return typeof value === "number" ? formatNumber(value, language, 2) : null;
    case "datetime":
      return typeof value === "string" ? formatDate(value, language, true) : null;
    case "dateonly":
      return typeof value === "string" ? formatDate(value, language, false) : null;
    default:
      return null;
  }
}
