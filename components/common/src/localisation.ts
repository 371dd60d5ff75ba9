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
