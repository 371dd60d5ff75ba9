/**
 * Parser for the `$filter` subset our controls and flows use: eq/ne/gt/ge/lt/le, and/or/not, parentheses,
 * contains/startswith/endswith, null, and Dataverse's `Microsoft.Dynamics.CRM.In`/`NotIn`/`EqualUserId`/`NotEqualUserId`.
 * Anything else is rejected with the query-syntax error Dataverse gives, naming the position.
 */
import { badRequest } from "../errors";
import type { CompareOp, Condition, Scalar, TextOp } from "../query";

type Token =
  | { readonly type: "ident"; readonly text: string; readonly at: number }
  | { readonly type: "string"; readonly text: string; readonly at: number }
  | { readonly type: "number"; readonly value: number; readonly at: number }
  | { readonly type: "punct"; readonly text: "(" | ")" | "," | "=" | "[" | "]"; readonly at: number };

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const DATE = /^\d{4}-\d{2}-\d{2}(T[0-9:.]+(Z|[+-]\d{2}:\d{2})?)?/;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if ("(),=[]".includes(ch)) {
      tokens.push({ type: "punct", text: ch as "(" | ")" | "," | "=" | "[" | "]", at: i });
      i++;
      continue;
    }
    if (ch === "'") {
      let value = "";
      let j = i + 1;
      for (;;) {
        if (j >= text.length) throw syntax(text, i, "unterminated string literal");
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
      tokens.push({ type: "string", text: value, at: i });
      i = j + 1;
      continue;
    }
    const rest = text.slice(i);
    const guid = GUID.exec(rest);
    const date = DATE.exec(rest);
    if (guid || date) {
      const m = (guid ?? date)!;
      tokens.push({ type: "string", text: m[0], at: i });
      i += m[0].length;
      continue;
    }
    const num = /^-?\d+(\.\d+)?/.exec(rest);
    if (num) {
      tokens.push({ type: "number", value: Number(num[0]), at: i });
      i += num[0].length;
      continue;
    }
    const ident = /^[A-Za-z_][A-Za-z0-9_./]*/.exec(rest);
    if (ident) {
      tokens.push({ type: "ident", text: ident[0], at: i });
      i += ident[0].length;
      continue;
    }
    throw syntax(text, i, `unexpected character '${ch}'`);
  }
  return tokens;
}

function syntax(text: string, at: number, why: string) {
  return badRequest(`Syntax error at position ${at} in '${text}': ${why}.`);
}

const COMPARE_OPS = new Set<string>(["eq", "ne", "gt", "ge", "lt", "le"]);
const TEXT_FUNCTIONS = new Set<string>(["contains", "startswith", "endswith"]);

export interface FilterContext {
  /** The calling user, for `EqualUserId`. */
  readonly userId?: string;
}

export function parseFilter(text: string, context: FilterContext = {}): Condition {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const fail = (why: string): never => {
    throw syntax(text, peek()?.at ?? text.length, why);
  };
  const expectPunct = (p: string) => {
    const t = tokens[pos];
    if (t?.type !== "punct" || t.text !== p) fail(`expected '${p}'`);
    pos++;
  };
  const atPunct = (p: string) => {
    const t = peek();
    return t?.type === "punct" && t.text === p;
  };
  const isKeyword = (word: string) => {
    const t = peek();
    return t?.type === "ident" && t.text.toLowerCase() === word;
  };

  const value = (): Scalar => {
    const t = tokens[pos++];
    if (!t) return fail("expected a value");
    if (t.type === "string") return t.text;
    if (t.type === "number") return t.value;
    if (t.type === "ident") {
      if (t.text === "null") return null;
      if (t.text === "true") return true;
      if (t.text === "false") return false;
    }
    return fail("expected a literal value");
  };

  const identifier = (): string => {
    const t = tokens[pos++];
    if (t?.type !== "ident") return fail("expected a column name");
    if (t.text.includes("/")) fail(`navigation paths such as '${t.text}' are not supported in $filter here`);
    return t.text;
  };

  const crmFunction = (name: string): Condition => {
    expectPunct("(");
    const args = new Map<string, Scalar | Scalar[]>();
    while (!(atPunct(")"))) {
      const key = identifier();
      expectPunct("=");
      if (atPunct("[")) {
        pos++;
        const list: Scalar[] = [];
        while (!(atPunct("]"))) {
          list.push(value());
          if (atPunct(",")) pos++;
        }
        pos++;
        args.set(key, list);
      } else {
        args.set(key, value());
      }
      if (atPunct(",")) pos++;
    }
    expectPunct(")");
    const property = args.get("PropertyName");
    if (typeof property !== "string") return fail(`${name} needs PropertyName`);
    switch (name) {
      case "In":
      case "NotIn": {
        const values = args.get("PropertyValues");
        if (!Array.isArray(values)) return fail(`${name} needs PropertyValues=[...]`);
        const inCondition: Condition = { kind: "in", column: property, values };
        return name === "In" ? inCondition : { kind: "not", item: inCondition };
      }
      case "EqualUserId":
      case "NotEqualUserId": {
        const eq: Condition = { kind: "compare", column: `_${property}_value`, op: "eq", value: context.userId ?? null };
        return name === "EqualUserId" ? eq : { kind: "not", item: eq };
      }
      default:
        return fail(`the query function 'Microsoft.Dynamics.CRM.${name}' is not supported`);
    }
  };

  const primary = (): Condition => {
    const t = peek();
    if (atPunct("(")) {
      pos++;
      const inner = or();
      expectPunct(")");
      return inner;
    }
    if (t?.type === "ident" && t.text.startsWith("Microsoft.Dynamics.CRM.")) {
      pos++;
      return crmFunction(t.text.slice("Microsoft.Dynamics.CRM.".length));
    }
    if (t?.type === "ident" && TEXT_FUNCTIONS.has(t.text.toLowerCase()) && tokens[pos + 1]?.type === "punct") {
      pos++;
      expectPunct("(");
      const column = identifier();
      expectPunct(",");
      const needle = value();
      if (typeof needle !== "string") fail(`${t.text} needs a text value`);
      expectPunct(")");
      return { kind: "text", column, op: t.text.toLowerCase() as TextOp, value: needle as string };
    }
    const column = identifier();
    const op = peek();
    if (op?.type !== "ident" || !COMPARE_OPS.has(op.text)) return fail("expected eq, ne, gt, ge, lt or le");
    pos++;
    return { kind: "compare", column, op: op.text as CompareOp, value: value() };
  };

  const unary = (): Condition => {
    if (isKeyword("not")) {
      pos++;
      return { kind: "not", item: unary() };
    }
    return primary();
  };

  const and = (): Condition => {
    const items = [unary()];
    while (isKeyword("and")) {
      pos++;
      items.push(unary());
    }
    return items.length === 1 ? items[0] : { kind: "and", items };
  };

  function or(): Condition {
    const items = [and()];
    while (isKeyword("or")) {
      pos++;
      items.push(and());
    }
    return items.length === 1 ? items[0] : { kind: "or", items };
  }

  const result = or();
  if (pos < tokens.length) fail("unexpected text after the end of the expression");
  return result;
}
