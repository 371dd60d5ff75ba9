/** The languages we ship resources for; any other user language falls back to English. */
export type SupportedLanguage = 1033 | 2052;

/**
 * Maps a Dataverse user language id to the resource language we show.
 * Chinese variants other than Simplified (Traditional: 1028, 3076, 5124) are not 2052 and fall back to English,
 * because showing Simplified characters to a Traditional reader is worse than English for our customers.
 */
export function languageOf(userLanguageId: number | undefined): SupportedLanguage {
  return userLanguageId === 2052 || userLanguageId === 4100 ? 2052 : 1033;
}

/** The BCP 47 locale whose plural rules apply to a resource language's strings. */
export const RESOURCE_LOCALE: Readonly<Record<SupportedLanguage, string>> = { 1033: "en-US", 2052: "zh-CN" };

const pluralRules = new Map<SupportedLanguage, Intl.PluralRules>();

/**
 * The CLDR plural category of a count in a resource language, from the platform's `Intl.PluralRules` (ICU's rules):
 * English has `one` (exactly 1) and `other`; Chinese has only `other`.
 */
export function pluralCategory(count: number, language: SupportedLanguage): Intl.LDMLPluralRule {
  let rules = pluralRules.get(language);
  if (rules === undefined) {
    rules = new Intl.PluralRules(RESOURCE_LOCALE[language]);
    pluralRules.set(language, rules);
  }
  return rules.select(count);
}

/**
 * The resource key for a count: `<key>_<category>` (`Case_Age_one`, `Case_Age_other`). Each plural string is a set of
 * resx entries, one per category the language uses, and `<key>_other` always exists; a category a language has but
 * the resx lacks (say `few`, should a language with one be added) falls back to `_other`, when `has` is given.
 */
export function pluralKey(key: string, count: number, language: SupportedLanguage, has?: (key: string) => boolean): string {
  const exact = `${key}_${pluralCategory(count, language)}`;
  return has === undefined || has(exact) ? exact : `${key}_other`;
}

/** A translate function as both controls have one: a resx key and the values of `{0}`, `{1}`… */
export type TranslateFn = (key: string, ...args: (string | number)[]) => string;

/**
 * The plural-aware form of a control's translate function: `{0}` is the count, formatted for `locale` (1,234 / 1,234),
 * and `{1}`… the other arguments. `pluralTranslator(t, 1033, "en-US")("Case_Age", 1)` reads `Case_Age_one`.
 */
export function pluralTranslator(t: TranslateFn, language: SupportedLanguage, locale: string, has?: (key: string) => boolean) {
  const numbers = new Intl.NumberFormat(locale);
  return (key: string, count: number, ...args: (string | number)[]): string => t(pluralKey(key, count, language, has), numbers.format(count), ...args);
}
