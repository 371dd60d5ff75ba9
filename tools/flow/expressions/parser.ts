import type { Node, Template } from "./ast";
import { describeArity, lookupFunction } from "./catalogue";
import { WdlError } from "./errors";

type TokenKind = "ident" | "number" | "string" | "(" | ")" | "[" | "]" | "," | "." | "?" | "}" | "end";

interface Token {
  kind: TokenKind;
  text: string;
  pos: number;
  value?: string | number;
  float?: boolean;
}

const PUNCTUATION = new Set(["(", ")", "[", "]", ",", ".", "?", "}"]);

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= "0" && c <= "9";
}

function isIdentStart(c: string): boolean {
  return /[A-Za-z_$]/.test(c);
}

function isIdentPart(c: string): boolean {
  return /[A-Za-z0-9_$]/.test(c);
}

/**
 * Tokenizes and parses one expression inside `source`, starting at `start`. In an interpolation the
 * expression ends at the first `}` outside a string literal; otherwise at the end of the source.
 */
class Parser {
  private pos: number;
  private token: Token;

  constructor(
    private readonly source: string,
    start: number,
    private readonly checkFunctions: boolean,
  ) {
    this.pos = start;
    this.token = this.scan();
  }

  fail(pos: number, reason: string): never {
    throw new WdlError(this.source, pos + 1, reason);
  }

  private scan(): Token {
    const s = this.source;
    while (this.pos < s.length && /\s/.test(s[this.pos])) this.pos++;
    const start = this.pos;
    if (start >= s.length) return { kind: "end", text: "", pos: start };
    const c = s[start];
    if (isDigit(c) || (c === "." && isDigit(s[start + 1])) || ((c === "-" || c === "+") && (isDigit(s[start + 1]) || (s[start + 1] === "." && isDigit(s[start + 2]))))) {
      return this.scanNumber(start);
    }
    if (PUNCTUATION.has(c)) {
      this.pos++;
      return { kind: c as TokenKind, text: c, pos: start };
    }
    if (c === "'") return this.scanString(start);
    if (isIdentStart(c)) {
      while (this.pos < s.length && isIdentPart(s[this.pos])) this.pos++;
      return { kind: "ident", text: s.slice(start, this.pos), pos: start };
    }
    if (c === '"') this.fail(start, "string literals use single quotes ('text'), not double quotes");
    return this.fail(start, `unexpected character '${c}'`);
  }

  private scanString(start: number): Token {
    const s = this.source;
    let value = "";
    let i = start + 1;
    for (;;) {
      if (i >= s.length) this.fail(start, "unterminated string literal: a closing ' is missing");
      if (s[i] === "'") {
        if (s[i + 1] === "'") {
          value += "'";
          i += 2;
          continue;
        }
        break;
      }
      value += s[i];
      i++;
    }
    this.pos = i + 1;
    return { kind: "string", text: s.slice(start, this.pos), pos: start, value };
  }

  private scanNumber(start: number): Token {
    const m = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/.exec(this.source.slice(start));
    if (m === null) return this.fail(start, "malformed number");
    this.pos = start + m[0].length;
    if (this.pos < this.source.length && isIdentPart(this.source[this.pos])) {
      this.fail(start, `malformed number '${this.source.slice(start, this.pos + 1)}'`);
    }
    const float = /[.eE]/.test(m[0]);
    return { kind: "number", text: m[0], pos: start, value: Number(m[0]), float };
  }

  /** The current token's kind; a method so that the compiler does not narrow it across `next()` calls. */
  private peek(): TokenKind {
    return this.token.kind;
  }

  private next(): Token {
    const t = this.token;
    this.token = this.scan();
    return t;
  }

  private expect(kind: TokenKind, what: string): Token {
    if (this.token.kind !== kind) this.fail(this.token.pos, `expected ${what} but found ${this.describe(this.token)}`);
    return this.next();
  }

  private describe(t: Token): string {
    return t.kind === "end" ? "the end of the expression" : `'${t.text}'`;
  }

  /** Parses one expression and checks it is followed by `terminator`; returns the node and the offset after it. */
  parseWhole(terminator: "end" | "}"): { node: Node; end: number } {
    if (this.token.kind === "end" && terminator === "end") this.fail(this.token.pos, "the expression is empty");
    if (this.peek() === "}") this.fail(this.token.pos, "the expression inside @{ } is empty");
    const node = this.parseExpression();
    if (this.token.kind !== terminator) {
      const what = terminator === "end" ? "the end of the expression" : "'}' to close '@{'";
      this.fail(this.token.pos, `expected ${what} but found ${this.describe(this.token)}`);
    }
    return { node, end: this.token.pos + (terminator === "}" ? 1 : 0) };
  }

  private parseExpression(): Node {
    let node = this.parsePrimary();
    for (;;) {
      const t = this.token;
      if (t.kind === "[") {
        this.next();
        node = this.parseIndex(node, false, t.pos);
      } else if (t.kind === ".") {
        this.next();
        node = this.parseMember(node, false, t.pos);
      } else if (t.kind === "?") {
        this.next();
        const after = this.next();
        if (after.kind === "[") node = this.parseIndex(node, true, t.pos);
        else if (after.kind === ".") node = this.parseMember(node, true, t.pos);
        else this.fail(after.pos, `expected '[' or '.' after '?' but found ${this.describe(after)}`);
      } else {
        return node;
      }
    }
  }

  private parseIndex(target: Node, optional: boolean, pos: number): Node {
    if (this.token.kind === "]") this.fail(this.token.pos, "the index inside [ ] is empty");
    const index = this.parseExpression();
    this.expect("]", "']'");
    return { kind: "index", target, index, optional, pos };
  }

  private parseMember(target: Node, optional: boolean, pos: number): Node {
    const name = this.expect("ident", "a property name after '.'");
    return { kind: "member", target, name: name.text, optional, pos };
  }

  private parsePrimary(): Node {
    const t = this.next();
    switch (t.kind) {
      case "number":
        return { kind: "literal", value: t.value as number, float: t.float === true, pos: t.pos };
      case "string":
        return { kind: "literal", value: t.value as string, float: false, pos: t.pos };
      case "ident":
        return this.parseIdentifier(t);
      default:
        return this.fail(t.pos, `expected a value or a function call but found ${this.describe(t)}`);
    }
  }

  private parseIdentifier(t: Token): Node {
    if (this.token.kind !== "(") {
      const lower = t.text.toLowerCase();
      if (lower === "true" || lower === "false") return { kind: "literal", value: lower === "true", float: false, pos: t.pos };
      if (lower === "null") return { kind: "literal", value: null, float: false, pos: t.pos };
      return this.fail(t.pos, `'${t.text}' is not a value; a function call needs parentheses, a text needs single quotes`);
    }
    this.next();
    const args: Node[] = [];
    if (this.peek() !== ")") {
      for (;;) {
        args.push(this.parseExpression());
        if (this.peek() === ",") {
          this.next();
          continue;
        }
        break;
      }
    }
    this.expect(")", `',' or ')' in the call of '${t.text}'`);
    let name = t.text;
    if (this.checkFunctions) {
      const spec = lookupFunction(t.text);
      if (spec === undefined) this.fail(t.pos, `'${t.text}' is not a known function`);
      if (args.length < spec.minArgs || args.length > spec.maxArgs) {
        this.fail(t.pos, `the function '${spec.name}' takes ${describeArity(spec)} argument(s) but was given ${args.length}`);
      }
      name = spec.name;
    }
    return { kind: "call", name, args, pos: t.pos };
  }
}

export interface ParseOptions {
  /** Reject unknown functions and wrong argument counts at parse time (default true). */
  checkFunctions?: boolean;
}

/** Parses a bare expression (the text after `@`, without the `@`). */
export function parseExpression(source: string, options: ParseOptions = {}): Node {
  return new Parser(source, 0, options.checkFunctions ?? true).parseWhole("end").node;
}

/**
 * Classifies a JSON string of a workflow definition: plain text, a whole-value expression (`@expr`, whose
 * result keeps its type), or an interpolation (`text @{expr} text`, always a string). `@@` at the start
 * and `@@{` anywhere are escapes for a literal `@` and `@{`.
 */
export function parseTemplate(source: string, options: ParseOptions = {}): Template {
  const check = options.checkFunctions ?? true;
  if (source.startsWith("@@")) return { kind: "text", value: source.slice(1) };
  if (source.startsWith("@") && !source.startsWith("@{")) {
    const body = new Parser(source, 1, check).parseWhole("end").node;
    return { kind: "expression", source, body };
  }
  if (!source.includes("@{")) return { kind: "text", value: source };
  const parts: (string | Node)[] = [];
  let text = "";
  let i = 0;
  while (i < source.length) {
    const at = source.indexOf("@{", i);
    if (at < 0) {
      text += source.slice(i);
      break;
    }
    if (at > 0 && source[at - 1] === "@") {
      text += source.slice(i, at - 1) + "@{";
      i = at + 2;
      continue;
    }
    text += source.slice(i, at);
    if (text !== "") parts.push(text);
    text = "";
    const { node, end } = new Parser(source, at + 2, check).parseWhole("}");
    parts.push(node);
    i = end;
  }
  if (text !== "") parts.push(text);
  if (parts.every((p) => typeof p === "string")) return { kind: "text", value: parts.join("") };
  return { kind: "interpolation", source, parts };
}
