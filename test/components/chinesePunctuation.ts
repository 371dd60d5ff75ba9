/**
 * Simplified Chinese text takes full-width punctuation: "，；：（）！？" next to Chinese characters or placeholders,
 * not the ASCII forms, which read as typos to Chinese users. Numbers ("50,000") and code ("Shift+F10") keep theirs.
 */
const CHINESE = "\\u4e00-\\u9fff\\u3000-\\u303f\\uff00-\\uffef“”…";
const HALF_WIDTH_NEXT_TO_CHINESE = new RegExp(`[${CHINESE}}][,;:()!?]|[,;:()!?][${CHINESE}{]`, "u");

/** The strings (by key) whose text puts ASCII punctuation against Chinese text or a placeholder. */
export function halfWidthPunctuation(strings: ReadonlyMap<string, string>): string[] {
  return [...strings].filter(([, text]) => HALF_WIDTH_NEXT_TO_CHINESE.test(text)).map(([key, text]) => `${key}: ${text}`);
}
