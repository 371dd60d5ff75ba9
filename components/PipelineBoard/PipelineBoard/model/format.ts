/** Numbers in the user's locale; Dataverse's own formatted values are used wherever a record supplies them. */
import type { SupportedLanguage } from "@tcc/common";

export function localeOf(language: SupportedLanguage): string {
  return language === 2052 ? "zh-CN" : "en-US";
}

export type NumberFormatter = (value: number) => string;

/** The organisation's base currency: the `transactioncurrency` whose exchange rate is 1, in which totals are summed. */
export interface BaseCurrency {
  readonly symbol: string;
  /**
   * Where the symbol goes, as the user's `numberFormattingInfo.currencyPositivePattern`: 0 `$n`, 1 `n$`, 2 `$ n`,
   * 3 `n $`.
   */
  readonly pattern?: number;
}

/** Whole units: lane totals are for reading at a glance, not accounting. With the base currency's symbol when known. */
export function totalFormatter(locale: string, currency?: BaseCurrency): NumberFormatter {
  const format = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  if (currency === undefined || currency.symbol === "") return (value) => format.format(Math.round(value));
  const { symbol, pattern = 0 } = currency;
  return (value) => {
    const rounded = Math.round(value);
    const n = format.format(Math.abs(rounded));
    const sign = rounded < 0 ? "-" : "";
    return pattern === 1 ? `${sign}${n}${symbol}` : pattern === 2 ? `${sign}${symbol} ${n}` : pattern === 3 ? `${sign}${n} ${symbol}` : `${sign}${symbol}${n}`;
  };
}
