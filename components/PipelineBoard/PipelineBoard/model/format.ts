/** Numbers in the user's locale; Dataverse's own formatted values are used wherever a record supplies them. */
import type { SupportedLanguage } from "@tcc/common";

export function localeOf(language: SupportedLanguage): string {
  return language === 2052 ? "zh-CN" : "en-US";
}

export type NumberFormatter = (value: number) => string;

/** Whole units: lane totals are for reading at a glance, not accounting. */
export function totalFormatter(locale: string): NumberFormatter {
  const format = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  return (value) => format.format(Math.round(value));
}
