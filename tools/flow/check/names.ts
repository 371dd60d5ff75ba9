/** Small helpers the flow check's name checks share: case-only suggestions and the dynamic parts of flow strings. */

/** The candidate that differs from `wrong` only in letter case, if exactly that kind of near miss exists. */
export function caseOnlyMatch(wrong: string, candidates: Iterable<string>): string | undefined {
  const lower = wrong.toLowerCase();
  for (const c of candidates) if (c !== wrong && c.toLowerCase() === lower) return c;
  return undefined;
}

/** "; did you mean 'X'?" for a case-only difference, else "". */
export function didYouMean(wrong: string, candidates: Iterable<string>): string {
  const match = caseOnlyMatch(wrong, candidates);
  return match === undefined ? "" : `; did you mean '${match}'?`;
}

/** A whole-value Workflow Definition Language expression (`@concat(...)`), whose result the check cannot know. */
export function isWholeExpression(value: string): boolean {
  return value.startsWith("@") && !value.startsWith("@@") && !value.startsWith("@{");
}

/** The character that stands for one `@{...}` interpolation after `maskInterpolations`. */
export const DYNAMIC = "\u0000";

/**
 * Replaces every `@{...}` interpolation in a template string by DYNAMIC, so that the literal text around it can be
 * parsed; quotes inside the expression (WDL strings, '' escapes) and braces inside those strings are skipped.
 * A leading `@@` (an escaped @) becomes `@`.
 */
export function maskInterpolations(value: string): string {
  const source = value.startsWith("@@") ? value.slice(1) : value;
  let out = "";
  let i = 0;
  while (i < source.length) {
    const at = source.indexOf("@{", i);
    if (at < 0) {
      out += source.slice(i);
      break;
    }
    out += source.slice(i, at) + DYNAMIC;
    let j = at + 2;
    let depth = 1;
    let quoted = false;
    for (; j < source.length && depth > 0; j++) {
      const c = source[j];
      if (quoted) {
        if (c === "'") {
          if (source[j + 1] === "'") j++;
          else quoted = false;
        }
      } else if (c === "'") quoted = true;
      else if (c === "{") depth++;
      else if (c === "}") depth--;
    }
    i = j;
  }
  return out;
}

export const isDynamic = (text: string): boolean => text.includes(DYNAMIC);
