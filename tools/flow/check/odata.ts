/**
 * Just enough OData to find the names in the literal query options a flow gives the Dataverse connector: $select,
 * $orderby, $expand (with nested options) and $filter (identifiers and paths before operators and inside functions
 * such as contains(), lambda any/all, and the PropertyName of Microsoft.Dynamics.CRM.* query functions). Parts that
 * came from `@{...}` interpolations (masked as DYNAMIC beforehand) are skipped, since their names are not known.
 */
import { DYNAMIC, isDynamic } from "./names";

/** Splits at `separator` outside parentheses, brackets and single-quoted strings. */
export function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === "'") {
        if (text[i + 1] === "'") i++;
        else quoted = false;
      }
    } else if (c === "'") quoted = true;
    else if (c === "(" || c === "[") depth++;
    else if (c === ")" || c === "]") depth--;
    else if (c === separator && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/** The property names of a `$select` (dynamic ones left out). */
export function selectNames(select: string): string[] {
  return select.split(",").map((s) => s.trim()).filter((s) => s !== "" && !isDynamic(s));
}

/** The property paths of a `$orderby` (`name asc, parentaccountid/name desc`). */
export function orderbyPaths(orderby: string): string[][] {
  return orderby
    .split(",")
    .map((s) => s.trim().split(/\s+/)[0] ?? "")
    .filter((s) => s !== "" && !isDynamic(s))
    .map((s) => s.split("/"));
}

export interface ExpandItem {
  navigation: string;
  /** Nested query options by name (`$select`, `$filter`, `$orderby`, `$expand`, `$top`…). */
  options: Record<string, string>;
}

/** The items of a `$expand`: `nav($select=a,b;$filter=…),other`. */
export function expandItems(expand: string): ExpandItem[] {
  const out: ExpandItem[] = [];
  for (const raw of splitTopLevel(expand, ",")) {
    const item = raw.trim();
    if (item === "") continue;
    const open = item.indexOf("(");
    const navigation = (open < 0 ? item : item.slice(0, open)).trim();
    const options: Record<string, string> = {};
    if (open >= 0) {
      const inner = item.slice(open + 1, item.lastIndexOf(")") > open ? item.lastIndexOf(")") : item.length);
      for (const option of splitTopLevel(inner, ";")) {
        const eq = option.indexOf("=");
        if (eq > 0) options[option.slice(0, eq).trim()] = option.slice(eq + 1).trim();
      }
    }
    if (!isDynamic(navigation)) out.push({ navigation, options });
  }
  return out;
}

interface Token {
  kind: "string" | "word" | "dynamic" | "punct";
  text: string;
}

const PUNCTUATION = new Set(["(", ")", "[", "]", ",", "/", "=", ":", ";"]);
const KEYWORDS = new Set(["eq", "ne", "gt", "ge", "lt", "le", "and", "or", "not", "has", "in", "add", "sub", "mul", "div", "mod", "null", "true", "false", "asc", "desc"]);
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_.]*$/;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'") {
      let j = i + 1;
      let value = "";
      while (j < text.length) {
        if (text[j] === "'") {
          if (text[j + 1] === "'") {
            value += "'";
            j += 2;
            continue;
          }
          break;
        }
        value += text[j++];
      }
      tokens.push({ kind: "string", text: value });
      i = j + 1;
    } else if (PUNCTUATION.has(c)) {
      tokens.push({ kind: "punct", text: c });
      i++;
    } else {
      let j = i;
      while (j < text.length && !/\s/.test(text[j]) && !PUNCTUATION.has(text[j]) && text[j] !== "'") j++;
      const word = text.slice(i, j);
      tokens.push({ kind: word.includes(DYNAMIC) ? "dynamic" : "word", text: word });
      i = j;
    }
  }
  return tokens;
}

const isName = (t: Token | undefined): t is Token =>
  t?.kind === "word" && IDENTIFIER.test(t.text) && !KEYWORDS.has(t.text) && !GUID.test(t.text);
const isPunct = (t: Token | undefined, p: string) => t?.kind === "punct" && t.text === p;

/** Index of the `)` that closes the `(` at `open`. */
function closing(tokens: Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    if (isPunct(tokens[i], "(")) depth++;
    else if (isPunct(tokens[i], ")") && --depth === 0) return i;
  }
  return tokens.length;
}

/** What a `$filter` reads, in order. */
export interface FilterReference {
  /** A property path; `variable` set when it starts at a lambda variable. */
  path: string[];
  variable?: string;
  /** The lambda this path opens (`nav/any(o: …)`): the variable's name. */
  lambda?: string;
  /** For PropertyName='x' of a Microsoft.Dynamics.CRM query function: the function's name. */
  queryFunction?: string;
}

/**
 * The property paths a literal `$filter` reads. A lambda `nav/any(o: o/col eq 1)` yields the path [nav] with
 * `lambda: "o"` and then [col] with `variable: "o"`; callers resolve the variable to the navigation's table.
 */
/** Whether a string literal runs to the end of the text (`name eq 'x`), which Dataverse refuses as a syntax error. */
export function hasUnterminatedString(text: string): boolean {
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== "'") continue;
    if (inString && text[i + 1] === "'") i++;
    else inString = !inString;
  }
  return inString;
}

export function filterReferences(filter: string): FilterReference[] {
  const tokens = tokenize(filter);
  const out: FilterReference[] = [];
  const variables = new Set<string>();
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (!isName(t)) continue;
    // A function call: contains(...), Microsoft.Dynamics.CRM.In(PropertyName='x', ...).
    if (isPunct(tokens[i + 1], "(")) {
      if (t.text.startsWith("Microsoft.Dynamics.CRM.")) {
        const end = closing(tokens, i + 1);
        for (let k = i + 2; k < end; k++) {
          if (tokens[k].kind === "word" && tokens[k].text === "PropertyName" && isPunct(tokens[k + 1], "=") && tokens[k + 2]?.kind === "string") {
            const value = tokens[k + 2].text;
            if (!isDynamic(value)) out.push({ path: value.split("/"), queryFunction: t.text.slice("Microsoft.Dynamics.CRM.".length) });
          }
        }
        i = end;
      }
      continue;
    }
    // A lambda variable's declaration `o:`; a qualified name that is not a call (an enum type before its 'value').
    if (isPunct(tokens[i + 1], ":") || t.text.includes(".")) continue;
    const segments = [t.text];
    let j = i + 1;
    let dynamic = false;
    while (isPunct(tokens[j], "/") && tokens[j + 1] !== undefined && (tokens[j + 1].kind === "word" || tokens[j + 1].kind === "dynamic")) {
      if (tokens[j + 1].kind === "dynamic") dynamic = true;
      segments.push(tokens[j + 1].text);
      j += 2;
    }
    i = j - 1;
    if (dynamic) continue;
    const last = segments[segments.length - 1];
    let lambda: string | undefined;
    if ((last === "any" || last === "all") && segments.length > 1 && isPunct(tokens[j], "(")) {
      segments.pop();
      const variable = tokens[j + 1];
      if (variable?.kind === "word" && isPunct(tokens[j + 2], ":")) {
        lambda = variable.text;
        variables.add(lambda);
      }
    }
    const reference: FilterReference = { path: segments };
    if (variables.has(segments[0]) && lambda !== segments[0]) {
      reference.variable = segments[0];
      reference.path = segments.slice(1);
      if (reference.path.length === 0) continue;
    }
    if (lambda !== undefined) reference.lambda = lambda;
    out.push(reference);
  }
  return out;
}
