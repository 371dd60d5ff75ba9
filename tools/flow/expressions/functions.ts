import type { EvaluationContext } from "./context";
import {
  addInterval,
  dayOfMonth,
  dayOfWeek,
  dayOfYear,
  formatTimeSpan,
  formatTimeSpanConstant,
  formatTimestamp,
  fromDate,
  parseTimeSpan,
  parseTimestamp,
  parseWithFormat,
  startOf,
  ticksOf,
  timeUnit,
  type Timestamp,
} from "./datetime";
import { WdlRuntimeError } from "./errors";
import { formatNumber } from "./numberformat";
import { ianaZone, utcToWall, wallToUtc } from "./timezones";
import {
  isFloat,
  isNumber,
  isObject,
  makeFloat,
  numberOf,
  stringify,
  typeName,
  valuesEqual,
  type Value,
  type ValueObject,
} from "./values";

export type FunctionImpl = (args: Value[], ctx: EvaluationContext) => Value;

const ORDINALS = ["first", "second", "third", "fourth", "fifth"];

function describe(v: Value): string {
  const t = typeName(v);
  if (t === "Null") return "null";
  const text = typeof v === "string" ? `'${v.length > 40 ? `${v.slice(0, 40)}…` : v}'` : stringify(v);
  return `${t} ${text.length > 60 ? `${text.slice(0, 60)}…` : text}`;
}

function wrongType(fn: string, i: number, expected: string, v: Value): never {
  throw new WdlRuntimeError(`the function '${fn}' expects its ${ORDINALS[i] ?? `#${i + 1}`} argument to be ${expected}, but it is ${describe(v)}`);
}

function str(fn: string, args: Value[], i: number): string {
  const v = args[i];
  if (typeof v !== "string") wrongType(fn, i, "a string", v);
  return v;
}

function optStr(fn: string, args: Value[], i: number): string | undefined {
  return args.length > i && args[i] !== null ? str(fn, args, i) : undefined;
}

function num(fn: string, args: Value[], i: number): number {
  const v = args[i];
  if (!isNumber(v)) wrongType(fn, i, "a number", v);
  return numberOf(v);
}

function int(fn: string, args: Value[], i: number): number {
  const v = args[i];
  if (!isNumber(v) || !Number.isInteger(numberOf(v))) wrongType(fn, i, "an integer", v);
  return numberOf(v);
}

function bool(fn: string, args: Value[], i: number): boolean {
  const v = args[i];
  if (typeof v !== "boolean") wrongType(fn, i, "a boolean", v);
  return v;
}

function arr(fn: string, args: Value[], i: number): Value[] {
  const v = args[i];
  if (!Array.isArray(v)) wrongType(fn, i, "an array", v);
  return v;
}

function obj(fn: string, args: Value[], i: number): ValueObject {
  const v = args[i];
  if (!isObject(v)) wrongType(fn, i, "an object", v);
  return v;
}

function strOrArr(fn: string, args: Value[], i: number): string | Value[] {
  const v = args[i];
  if (typeof v !== "string" && !Array.isArray(v)) wrongType(fn, i, "a string or an array", v);
  return v;
}

function timestamp(fn: string, args: Value[], i: number): Timestamp {
  return parseTimestamp(str(fn, args, i));
}

function format(fn: string, args: Value[], i: number, t: Timestamp): string {
  return formatTimestamp(t, optStr(fn, args, i));
}

// Strings

/** Culture-insensitive case folding; the documented "not case-sensitive" functions use it. */
const fold = (s: string): string => s.toLowerCase();

function nthIndexOf(text: string, search: string, n: number): number {
  if (n === 0) throw new WdlRuntimeError("the function 'nthIndexOf' expects a non-zero occurrence");
  const t = fold(text);
  const s = fold(search);
  if (n > 0) {
    let at = -1;
    for (let k = 0; k < n; k++) {
      at = t.indexOf(s, at + 1);
      if (at < 0) return -1;
    }
    return at;
  }
  let at = t.length;
  for (let k = 0; k < -n; k++) {
    at = t.lastIndexOf(s, at - 1);
    if (at < 0) return -1;
  }
  return at;
}

const XML_ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };

function encodeXmlName(name: string): string {
  let out = "";
  [...name].forEach((ch, i) => {
    const code = ch.codePointAt(0) ?? 0;
    const ok = i === 0 ? /[\p{L}_]/u.test(ch) : /[\p{L}\p{N}_.\-·]/u.test(ch);
    const escapeUnderscore = ch === "_" && /^_x[0-9A-Fa-f]{4}_/.test(name.slice(i));
    out += ok && !escapeUnderscore ? ch : `_x${code.toString(16).toUpperCase().padStart(4, "0")}_`;
  });
  return out;
}

/** Uri.EscapeDataString: everything but the RFC 3986 unreserved characters is percent-encoded. */
function escapeDataString(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function decodeComponent(fn: string, s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, "%20"));
  } catch {
    throw new WdlRuntimeError(`the function '${fn}' was given '${s}', which is not valid percent-encoded text`);
  }
}

function formatGuid(fn: string, hex: string, fmt: string): string {
  const d = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  switch (fmt) {
    case "N":
      return hex;
    case "D":
      return d;
    case "B":
      return `{${d}}`;
    case "P":
      return `(${d})`;
    case "X": {
      const p = (a: number, b: number) => `0x${hex.slice(a, b)}`;
      const bytes = [16, 18, 20, 22, 24, 26, 28, 30].map((k) => p(k, k + 2)).join(",");
      return `{${p(0, 8)},${p(8, 12)},${p(12, 16)},{${bytes}}}`;
    }
    default:
      throw new WdlRuntimeError(`the function '${fn}' expects the format N, D, B, P or X, not '${fmt}'`);
  }
}

// Binary and data URIs: binary content is represented the way Logic Apps serializes it in outputs.

interface Binary {
  contentType: string;
  bytes: Buffer;
}

function binaryValue(b: Binary): Value {
  return { "$content-type": b.contentType, $content: b.bytes.toString("base64") };
}

function asBytes(fn: string, args: Value[], i: number): Buffer {
  const v = args[i];
  if (typeof v === "string") return Buffer.from(v, "utf8");
  if (isObject(v) && typeof v.$content === "string") return Buffer.from(v.$content, "base64");
  return wrongType(fn, i, "a string or binary content", v);
}

function base64Text(fn: string, args: Value[], i: number): Buffer {
  const v = args[i];
  if (isObject(v) && typeof v.$content === "string") return Buffer.from(v.$content, "base64");
  const s = str(fn, args, i).trim();
  if (!/^[A-Za-z0-9+/\-_]*={0,2}$/.test(s) || s.replace(/=+$/, "").length % 4 === 1) {
    throw new WdlRuntimeError(`the function '${fn}' was given '${s.slice(0, 40)}', which is not valid base64`);
  }
  return Buffer.from(s, "base64");
}

function parseDataUri(fn: string, uri: string): Binary {
  const m = /^data:([^,]*?)(;base64)?,(.*)$/s.exec(uri);
  if (m === null) throw new WdlRuntimeError(`the function '${fn}' was given '${uri.slice(0, 40)}', which is not a data URI`);
  const contentType = m[1] === "" ? "text/plain;charset=US-ASCII" : m[1];
  const bytes = m[2] !== undefined ? Buffer.from(m[3], "base64") : Buffer.from(decodeComponent(fn, m[3]), "utf8");
  return { contentType, bytes };
}

// Collections

function first(v: string | Value[]): Value {
  return typeof v === "string" ? (v.length > 0 ? v[0] : null) : (v[0] ?? null);
}

function union(fn: string, args: Value[]): Value {
  if (args.every((a) => Array.isArray(a))) {
    const out: Value[] = [];
    for (const a of args as Value[][]) for (const x of a) if (!out.some((y) => valuesEqual(x, y))) out.push(x);
    return out;
  }
  if (args.every(isObject)) return Object.assign({}, ...args) as ValueObject;
  throw new WdlRuntimeError(`the function '${fn}' expects all arguments to be arrays, or all to be objects`);
}

function intersection(fn: string, args: Value[]): Value {
  if (args.every((a) => Array.isArray(a))) {
    const [head, ...rest] = args as Value[][];
    const out: Value[] = [];
    for (const x of head) {
      if (rest.every((r) => r.some((y) => valuesEqual(x, y))) && !out.some((y) => valuesEqual(x, y))) out.push(x);
    }
    return out;
  }
  if (args.every(isObject)) {
    const [head, ...rest] = args;
    const out: ValueObject = {};
    for (const [k, v] of Object.entries(head)) {
      if (rest.every((r) => k in r && valuesEqual(r[k], v))) out[k] = v;
    }
    return out;
  }
  throw new WdlRuntimeError(`the function '${fn}' expects all arguments to be arrays, or all to be objects`);
}

function compareForSort(a: Value, b: Value): number {
  if (isNumber(a) && isNumber(b)) return numberOf(a) - numberOf(b);
  if (typeof a === "string" && typeof b === "string") return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === "boolean" && typeof b === "boolean") return Number(a) - Number(b);
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  throw new WdlRuntimeError(`the function 'sort' cannot order ${typeName(a)} and ${typeName(b)} values together`);
}

// Comparisons: nulls compare as empty strings (documented for logical comparison functions).

function comparable(fn: string, args: Value[]): [number | string, number | string] {
  const norm = (v: Value, i: number): number | string => {
    const x = v ?? "";
    if (isNumber(x)) return numberOf(x);
    if (typeof x === "string") return x;
    return wrongType(fn, i, "a number or a string", x);
  };
  const a = norm(args[0], 0);
  const b = norm(args[1], 1);
  if (typeof a !== typeof b) {
    throw new WdlRuntimeError(`the function '${fn}' cannot compare ${describe(args[0])} with ${describe(args[1])}`);
  }
  return [a, b];
}

// Conversions

function toInt(fn: string, v: Value): number {
  if (isNumber(v) && Number.isInteger(numberOf(v))) return numberOf(v);
  if (typeof v === "string" && /^\s*[-+]?\d+\s*$/.test(v)) return Number(v);
  throw new WdlRuntimeError(`the function '${fn}' cannot convert ${describe(v)} to an integer`);
}

function toFloat(fn: string, v: Value, locale?: string): number {
  if (isNumber(v)) return numberOf(v);
  if (typeof v === "string") {
    let s = v.trim();
    if (locale !== undefined && /^(is|de|fr|es|it|nl|pt|ru|da|sv|nb|fi)(-|$)/i.test(locale)) {
      s = s.replace(/\./g, "").replace(",", ".");
    } else {
      s = s.replace(/,/g, "");
    }
    if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s)) return Number(s);
  }
  throw new WdlRuntimeError(`the function '${fn}' cannot convert ${describe(v)} to a number`);
}

function toBool(fn: string, v: Value): boolean {
  if (typeof v === "boolean") return v;
  if (isNumber(v)) return numberOf(v) !== 0;
  if (typeof v === "string") {
    const s = v.trim().toLowerCase();
    if (s === "true") return true;
    if (s === "false") return false;
  }
  throw new WdlRuntimeError(`the function '${fn}' cannot convert ${describe(v)} to a boolean`);
}

function parseJson(fn: string, text: string): Value {
  try {
    return JSON.parse(text) as Value;
  } catch (e) {
    throw new WdlRuntimeError(`the function '${fn}' was given text that is not valid JSON: ${(e as Error).message}`);
  }
}

/** Form data and multipart content as Logic Apps represents request bodies ($formdata, $multipart). */
function formValues(fn: string, body: Value, key: string): Value[] {
  if (isObject(body) && Array.isArray(body.$formdata)) {
    return body.$formdata.filter((e) => isObject(e) && e.key === key).map((e) => (isObject(e) ? (e.value ?? null) : null));
  }
  if (isObject(body) && typeof body.$content === "string") {
    const params = new URLSearchParams(Buffer.from(body.$content, "base64").toString("utf8"));
    return params.getAll(key);
  }
  throw new WdlRuntimeError(`the function '${fn}' needs form data content (application/x-www-form-urlencoded)`);
}

function singleFormValue(fn: string, values: Value[], key: string): Value {
  if (values.length !== 1) {
    throw new WdlRuntimeError(`the function '${fn}' found ${values.length} values for the key '${key}'; it needs exactly one`);
  }
  return values[0];
}

function multipartPart(fn: string, body: Value, index: number): Value {
  if (!isObject(body) || !Array.isArray(body.$multipart)) throw new WdlRuntimeError(`the function '${fn}' needs multipart content`);
  const part = body.$multipart[index];
  if (part === undefined) throw new WdlRuntimeError(`the function '${fn}' was asked for part ${index} of ${body.$multipart.length}`);
  return isObject(part) ? (part.body ?? null) : part;
}

// Math

function arithmetic(fn: string, args: Value[], op: (a: number, b: number) => number): Value {
  const a = num(fn, args, 0);
  const b = num(fn, args, 1);
  const r = op(a, b);
  if (!Number.isFinite(r)) throw new WdlRuntimeError(`the function '${fn}' overflowed with ${a} and ${b}`);
  return isFloat(args[0]) || isFloat(args[1]) ? makeFloat(r) : r;
}

function extremum(fn: string, args: Value[], pick: (a: number, b: number) => boolean): Value {
  const values = args.length === 1 && Array.isArray(args[0]) ? args[0] : args;
  if (values.length === 0) throw new WdlRuntimeError(`the function '${fn}' needs at least one number`);
  let best = values[0];
  values.forEach((v, i) => {
    if (!isNumber(v)) wrongType(fn, args.length === 1 ? 0 : i, "a number (or an array of numbers)", v);
    if (pick(numberOf(v), numberOf(best as number))) best = v;
  });
  return best;
}

// Dates

function shifted(fn: string, args: Value[], amountIndex: number, unit: string, sign: number): Value {
  const t = timestamp(fn, args, 0);
  const amount = num(fn, args, amountIndex);
  return format(fn, args, amountIndex + 1, addInterval(t, sign * amount, timeUnit(unit)));
}

function relativeToNow(fn: string, args: Value[], ctx: EvaluationContext, sign: number): Value {
  const t = addInterval(fromDate(ctx.now()), sign * int(fn, args, 0), timeUnit(str(fn, args, 1)));
  return format(fn, args, 2, t);
}

function inZone(t: Timestamp, zone: string, kind: Timestamp["kind"]): Timestamp {
  return { ms: utcToWall(zone, t.ms), subTicks: t.subTicks, kind };
}

function fromZone(t: Timestamp, zone: string): Timestamp {
  return { ms: wallToUtc(zone, t.ms), subTicks: t.subTicks, kind: "utc" };
}

function isUtcZone(iana: string): boolean {
  return iana === "Etc/UTC";
}

// URIs

function uri(fn: string, args: Value[]): URL {
  const s = str(fn, args, 0);
  try {
    return new URL(s);
  } catch {
    throw new WdlRuntimeError(`the function '${fn}' was given '${s}', which is not an absolute URI`);
  }
}

const DEFAULT_PORTS: Record<string, number> = { "http:": 80, "https:": 443, "ftp:": 21 };

function actionBody(ctx: EvaluationContext, name: string): Value {
  const outputs = ctx.actionOutputs(name);
  return isObject(outputs) ? (outputs.body ?? null) : null;
}

export const IMPLEMENTATIONS: Record<string, FunctionImpl> = {
  concat: (a) => (a.every((x) => Array.isArray(x)) ? (a as Value[][]).flat(1) : a.map(stringify).join("")),
  substring: (a) => {
    const s = str("substring", a, 0);
    const start = int("substring", a, 1);
    const length = a.length > 2 ? int("substring", a, 2) : s.length - start;
    if (start < 0 || start > s.length) throw new WdlRuntimeError(`the function 'substring' was given start index ${start} for a text of length ${s.length}`);
    if (length < 0 || start + length > s.length) {
      throw new WdlRuntimeError(`the function 'substring' was asked for ${length} characters from index ${start} of a text of length ${s.length}`);
    }
    return s.substr(start, length);
  },
  slice: (a) => {
    const s = str("slice", a, 0);
    const start = int("slice", a, 1);
    const end = a.length > 2 && a[2] !== null ? int("slice", a, 2) : s.length;
    return s.slice(start, end);
  },
  replace: (a) => {
    const s = str("replace", a, 0);
    const old = str("replace", a, 1);
    if (old === "") throw new WdlRuntimeError("the function 'replace' cannot replace an empty text");
    return s.split(old).join(str("replace", a, 2));
  },
  guid: (a, ctx) => formatGuid("guid", ctx.newGuid().replace(/[^0-9a-fA-F]/g, "").toLowerCase(), (optStr("guid", a, 0) ?? "D").toUpperCase()),
  toLower: (a) => str("toLower", a, 0).toLowerCase(),
  toUpper: (a) => str("toUpper", a, 0).toUpperCase(),
  indexOf: (a) => fold(str("indexOf", a, 0)).indexOf(fold(str("indexOf", a, 1))),
  nthIndexOf: (a) => nthIndexOf(str("nthIndexOf", a, 0), str("nthIndexOf", a, 1), int("nthIndexOf", a, 2)),
  lastIndexOf: (a) => {
    const s = str("lastIndexOf", a, 0);
    const search = str("lastIndexOf", a, 1);
    return search === "" ? Math.max(0, s.length - 1) : fold(s).lastIndexOf(fold(search));
  },
  startsWith: (a) => fold(str("startsWith", a, 0)).startsWith(fold(str("startsWith", a, 1))),
  endsWith: (a) => fold(str("endsWith", a, 0)).endsWith(fold(str("endsWith", a, 1))),
  split: (a) => {
    const s = str("split", a, 0);
    const sep = str("split", a, 1);
    return sep === "" ? [s] : s.split(sep);
  },
  trim: (a) => str("trim", a, 0).trim(),
  formatNumber: (a) => formatNumber(num("formatNumber", a, 0), str("formatNumber", a, 1), optStr("formatNumber", a, 2)),
  trimByteOrderMark: (a) => {
    const v = a[0];
    if (typeof v === "string") return v.replace(/^\uFEFF/, "");
    const bytes = asBytes("trimByteOrderMark", a, 0);
    const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
    return binaryValue({ contentType: "application/octet-stream", bytes: bom ? bytes.subarray(3) : bytes });
  },
  encodeXmlValue: (a) => str("encodeXmlValue", a, 0).replace(/[&<>"']/g, (c) => XML_ENTITIES[c]),
  decodeXmlValue: (a) =>
    str("decodeXmlValue", a, 0).replace(/&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (m, e: string) => {
      if (e.startsWith("#x")) return String.fromCodePoint(parseInt(e.slice(2), 16));
      if (e.startsWith("#")) return String.fromCodePoint(Number(e.slice(1)));
      return Object.keys(XML_ENTITIES).find((k) => XML_ENTITIES[k] === m) ?? m;
    }),
  encodeXmlName: (a) => encodeXmlName(str("encodeXmlName", a, 0)),
  decodeXmlName: (a) => str("decodeXmlName", a, 0).replace(/_x([0-9A-Fa-f]{4,6})_/g, (_, h: string) => String.fromCodePoint(parseInt(h, 16))),

  contains: (a) => {
    const c = a[0];
    if (typeof c === "string") return c.includes(stringify(a[1]));
    if (Array.isArray(c)) return c.some((x) => valuesEqual(x, a[1]));
    if (isObject(c)) return Object.prototype.hasOwnProperty.call(c, str("contains", a, 1));
    return wrongType("contains", 0, "a string, an array or an object", c);
  },
  length: (a) => {
    const v = a[0];
    if (isObject(v) && typeof v.$content === "string") return Buffer.from(v.$content, "base64").length;
    return strOrArr("length", a, 0).length;
  },
  sort: (a) => {
    const items = [...arr("sort", a, 0)];
    const key = optStr("sort", a, 1);
    const pick = (x: Value): Value => {
      if (key === undefined) return x;
      if (!isObject(x)) throw new WdlRuntimeError(`the function 'sort' can sort by '${key}' only objects, not ${describe(x)}`);
      return x[key] ?? null;
    };
    return items.sort((x, y) => compareForSort(pick(x), pick(y)));
  },
  reverse: (a) => [...arr("reverse", a, 0)].reverse(),
  empty: (a) => {
    const v = a[0];
    if (v === null) return true;
    if (typeof v === "string" || Array.isArray(v)) return v.length === 0;
    if (isObject(v)) return Object.keys(v).length === 0;
    return wrongType("empty", 0, "a string, an array, an object or null", v);
  },
  intersection: (a) => intersection("intersection", a),
  union: (a) => union("union", a),
  first: (a) => first(strOrArr("first", a, 0)),
  last: (a) => {
    const v = strOrArr("last", a, 0);
    return typeof v === "string" ? (v.length > 0 ? v[v.length - 1] : null) : (v[v.length - 1] ?? null);
  },
  take: (a) => {
    const n = int("take", a, 1);
    if (n < 0) throw new WdlRuntimeError(`the function 'take' needs a count of at least 0, not ${n}`);
    return strOrArr("take", a, 0).slice(0, n);
  },
  skip: (a) => {
    const n = int("skip", a, 1);
    if (n < 0) throw new WdlRuntimeError(`the function 'skip' needs a count of at least 0, not ${n}`);
    return strOrArr("skip", a, 0).slice(n);
  },
  join: (a) => arr("join", a, 0).map(stringify).join(str("join", a, 1)),
  chunk: (a) => {
    const c = strOrArr("chunk", a, 0);
    const n = int("chunk", a, 1);
    if (n < 1) throw new WdlRuntimeError(`the function 'chunk' needs a length of at least 1, not ${n}`);
    const out: Value[] = [];
    for (let i = 0; i < c.length; i += n) out.push(c.slice(i, i + n));
    return out;
  },

  if: (a) => (bool("if", a, 0) ? a[1] : a[2]),
  equals: (a) => valuesEqual(a[0] ?? "", a[1] ?? ""),
  and: (a) => bool("and", a, 0) && bool("and", a, 1),
  or: (a) => bool("or", a, 0) || bool("or", a, 1),
  not: (a) => !bool("not", a, 0),
  less: (a) => {
    const [x, y] = comparable("less", a);
    return x < y;
  },
  lessOrEquals: (a) => {
    const [x, y] = comparable("lessOrEquals", a);
    return x <= y;
  },
  greater: (a) => {
    const [x, y] = comparable("greater", a);
    return x > y;
  },
  greaterOrEquals: (a) => {
    const [x, y] = comparable("greaterOrEquals", a);
    return x >= y;
  },
  isInt: (a) => typeof a[0] === "string" && /^\s*[-+]?\d+\s*$/.test(a[0]),
  isFloat: (a) => {
    try {
      toFloat("isFloat", str("isFloat", a, 0), optStr("isFloat", a, 1));
      return true;
    } catch {
      return false;
    }
  },

  json: (a) => {
    const v = a[0];
    if (isObject(v) && typeof v.$content === "string") return parseJson("json", Buffer.from(v.$content, "base64").toString("utf8"));
    const s = str("json", a, 0);
    if (s.trimStart().startsWith("<")) throw new WdlRuntimeError("the function 'json' cannot convert XML: XML documents are not supported by this engine");
    return parseJson("json", s);
  },
  xml: () => {
    throw new WdlRuntimeError("the function 'xml' is not supported by this engine: XML documents have no representation here");
  },
  int: (a) => toInt("int", a[0]),
  string: (a) => stringify(a[0]),
  float: (a) => makeFloat(toFloat("float", a[0])),
  bool: (a) => toBool("bool", a[0]),
  base64: (a) => asBytes("base64", a, 0).toString("base64"),
  base64ToBinary: (a) => binaryValue({ contentType: "application/octet-stream", bytes: base64Text("base64ToBinary", a, 0) }),
  base64ToString: (a) => base64Text("base64ToString", a, 0).toString("utf8"),
  binary: (a) => binaryValue({ contentType: "application/octet-stream", bytes: asBytes("binary", a, 0) }),
  dataUriToBinary: (a) => binaryValue(parseDataUri("dataUriToBinary", str("dataUriToBinary", a, 0))),
  dataUriToString: (a) => parseDataUri("dataUriToString", str("dataUriToString", a, 0)).bytes.toString("utf8"),
  dataUri: (a) => {
    const v = a[0];
    const type = isObject(v) && typeof v["$content-type"] === "string" ? v["$content-type"] : "text/plain;charset=utf-8";
    return `data:${type};base64,${asBytes("dataUri", a, 0).toString("base64")}`;
  },
  decodeBase64: (a) => base64Text("decodeBase64", a, 0).toString("utf8"),
  utf8Length: (a) => Buffer.byteLength(str("utf8Length", a, 0), "utf8"),
  utf16Length: (a) => str("utf16Length", a, 0).length,
  encodeUriComponent: (a) => escapeDataString(str("encodeUriComponent", a, 0)),
  decodeUriComponent: (a) => decodeComponent("decodeUriComponent", str("decodeUriComponent", a, 0)),
  decodeDataUri: (a) => binaryValue(parseDataUri("decodeDataUri", str("decodeDataUri", a, 0))),
  uriComponent: (a) => escapeDataString(str("uriComponent", a, 0)),
  uriComponentToBinary: (a) =>
    binaryValue({ contentType: "application/octet-stream", bytes: Buffer.from(decodeComponent("uriComponentToBinary", str("uriComponentToBinary", a, 0)), "utf8") }),
  uriComponentToString: (a) => decodeComponent("uriComponentToString", str("uriComponentToString", a, 0)),
  array: (a) => [a[0]],
  createArray: (a) => [...a],
  triggerFormDataValue: (a, ctx) => {
    const key = str("triggerFormDataValue", a, 0);
    return singleFormValue("triggerFormDataValue", formValues("triggerFormDataValue", bodyOf(ctx.triggerOutputs()), key), key);
  },
  triggerFormDataMultiValues: (a, ctx) => formValues("triggerFormDataMultiValues", bodyOf(ctx.triggerOutputs()), str("triggerFormDataMultiValues", a, 0)),
  triggerMultipartBody: (a, ctx) => multipartPart("triggerMultipartBody", bodyOf(ctx.triggerOutputs()), int("triggerMultipartBody", a, 0)),
  formDataValue: (a, ctx) => {
    const key = str("formDataValue", a, 1);
    return singleFormValue("formDataValue", formValues("formDataValue", actionBody(ctx, str("formDataValue", a, 0)), key), key);
  },
  formDataMultiValues: (a, ctx) => formValues("formDataMultiValues", actionBody(ctx, str("formDataMultiValues", a, 0)), str("formDataMultiValues", a, 1)),
  multipartBody: (a, ctx) => multipartPart("multipartBody", actionBody(ctx, str("multipartBody", a, 0)), int("multipartBody", a, 1)),
  decimal: (a) => {
    const n = toFloat("decimal", a[0]);
    return Number.isInteger(n) ? n : makeFloat(n);
  },

  min: (a) => extremum("min", a, (x, best) => x < best),
  max: (a) => extremum("max", a, (x, best) => x > best),
  rand: (a, ctx) => {
    const lo = int("rand", a, 0);
    const hi = int("rand", a, 1);
    if (hi <= lo) throw new WdlRuntimeError(`the function 'rand' needs a maximum greater than the minimum (${lo}, ${hi})`);
    return ctx.randomInt(lo, hi);
  },
  add: (a) => arithmetic("add", a, (x, y) => x + y),
  sub: (a) => arithmetic("sub", a, (x, y) => x - y),
  mul: (a) => arithmetic("mul", a, (x, y) => x * y),
  div: (a) => {
    if (num("div", a, 1) === 0) throw new WdlRuntimeError("the function 'div' cannot divide by zero");
    const float = isFloat(a[0]) || isFloat(a[1]);
    return arithmetic("div", a, (x, y) => (float ? x / y : Math.trunc(x / y)));
  },
  mod: (a) => {
    if (num("mod", a, 1) === 0) throw new WdlRuntimeError("the function 'mod' cannot divide by zero");
    return arithmetic("mod", a, (x, y) => x % y);
  },
  range: (a) => {
    const start = int("range", a, 0);
    const count = int("range", a, 1);
    if (count < 0 || count > 100_000) throw new WdlRuntimeError(`the function 'range' needs a count between 0 and 100000, not ${count}`);
    return Array.from({ length: count }, (_, i) => start + i);
  },

  utcNow: (a, ctx) => format("utcNow", a, 0, fromDate(ctx.now())),
  getFutureTime: (a, ctx) => relativeToNow("getFutureTime", a, ctx, 1),
  getPastTime: (a, ctx) => relativeToNow("getPastTime", a, ctx, -1),
  addToTime: (a) => formatShift("addToTime", a, 1),
  subtractFromTime: (a) => formatShift("subtractFromTime", a, -1),
  addSeconds: (a) => shifted("addSeconds", a, 1, "Second", 1),
  addMinutes: (a) => shifted("addMinutes", a, 1, "Minute", 1),
  addHours: (a) => shifted("addHours", a, 1, "Hour", 1),
  addDays: (a) => shifted("addDays", a, 1, "Day", 1),
  dateDifference: (a) => formatTimeSpanConstant(ticksOf(timestamp("dateDifference", a, 1)) - ticksOf(timestamp("dateDifference", a, 0))),
  convertTimeZone: (a) => {
    const t = timestamp("convertTimeZone", a, 0);
    const src = ianaZone(str("convertTimeZone", a, 1));
    const dst = ianaZone(str("convertTimeZone", a, 2));
    const utc = fromZone({ ...t, kind: "unspecified" }, src);
    return format("convertTimeZone", a, 3, isUtcZone(dst) ? utc : inZone(utc, dst, "unspecified"));
  },
  convertToUtc: (a) => {
    const t = timestamp("convertToUtc", a, 0);
    const src = ianaZone(str("convertToUtc", a, 1));
    return format("convertToUtc", a, 2, t.kind === "utc" ? t : fromZone(t, src));
  },
  convertFromUtc: (a) => {
    const t = timestamp("convertFromUtc", a, 0);
    const dst = ianaZone(str("convertFromUtc", a, 1));
    return format("convertFromUtc", a, 2, isUtcZone(dst) ? { ...t, kind: "utc" } : inZone(t, dst, "unspecified"));
  },
  formatDateTime: (a) => formatTimestamp(timestamp("formatDateTime", a, 0), optStr("formatDateTime", a, 1), optStr("formatDateTime", a, 2)),
  parseDateTime: (a) => {
    const text = str("parseDateTime", a, 0);
    const fmt = optStr("parseDateTime", a, 2);
    const t = fmt === undefined ? parseTimestamp(text) : parseWithFormat(text, fmt, optStr("parseDateTime", a, 1));
    return formatTimestamp(t, "o");
  },
  startOfHour: (a) => format("startOfHour", a, 1, startOf(timestamp("startOfHour", a, 0), "Hour")),
  startOfDay: (a) => format("startOfDay", a, 1, startOf(timestamp("startOfDay", a, 0), "Day")),
  startOfMonth: (a) => format("startOfMonth", a, 1, startOf(timestamp("startOfMonth", a, 0), "Month")),
  dayOfWeek: (a) => dayOfWeek(timestamp("dayOfWeek", a, 0)),
  dayOfMonth: (a) => dayOfMonth(timestamp("dayOfMonth", a, 0)),
  dayOfYear: (a) => dayOfYear(timestamp("dayOfYear", a, 0)),
  ticks: (a) => Number(ticksOf(timestamp("ticks", a, 0))),
  formatTimeSpan: (a) => formatTimeSpan(parseTimeSpan(str("formatTimeSpan", a, 0)), str("formatTimeSpan", a, 1), optStr("formatTimeSpan", a, 2)),

  parameters: (a, ctx) => ctx.parameter(str("parameters", a, 0)),
  result: (a, ctx) => ctx.result(optStr("result", a, 0)),
  actions: (a, ctx) => ctx.action(str("actions", a, 0)),
  outputs: (a, ctx) => ctx.actionOutputs(str("outputs", a, 0)),
  body: (a, ctx) => actionBody(ctx, str("body", a, 0)),
  triggerOutputs: (_, ctx) => ctx.triggerOutputs(),
  triggerBody: (_, ctx) => bodyOf(ctx.triggerOutputs()),
  trigger: (_, ctx) => ctx.trigger(),
  item: (_, ctx) => ctx.item(),
  items: (a, ctx) => ctx.items(str("items", a, 0)),
  iterationIndexes: (a, ctx) => ctx.iterationIndex(str("iterationIndexes", a, 0)),
  variables: (a, ctx) => ctx.variable(str("variables", a, 0)),
  listCallbackUrl: (_, ctx) => ctx.listCallbackUrl(),
  workflow: (_, ctx) => ctx.workflow(),

  uriHost: (a) => uri("uriHost", a).hostname,
  uriPath: (a) => uri("uriPath", a).pathname,
  uriPathAndQuery: (a) => {
    const u = uri("uriPathAndQuery", a);
    return u.pathname + u.search;
  },
  uriPort: (a) => {
    const u = uri("uriPort", a);
    return u.port !== "" ? Number(u.port) : (DEFAULT_PORTS[u.protocol] ?? -1);
  },
  uriScheme: (a) => uri("uriScheme", a).protocol.replace(/:$/, ""),
  uriQuery: (a) => uri("uriQuery", a).search,

  coalesce: (a) => a.find((x) => x !== null) ?? null,
  addProperty: (a) => {
    const o = obj("addProperty", a, 0);
    const k = str("addProperty", a, 1);
    if (Object.prototype.hasOwnProperty.call(o, k)) throw new WdlRuntimeError(`the function 'addProperty' cannot add '${k}': the object already has it (use setProperty)`);
    return { ...o, [k]: a[2] };
  },
  setProperty: (a) => ({ ...obj("setProperty", a, 0), [str("setProperty", a, 1)]: a[2] }),
  removeProperty: (a) => {
    const o = { ...obj("removeProperty", a, 0) };
    delete o[str("removeProperty", a, 1)];
    return o;
  },
  xpath: () => {
    throw new WdlRuntimeError("the function 'xpath' is not supported by this engine: XML documents have no representation here");
  },
  mergeObjects: (a) => ({ ...obj("mergeObjects", a, 0), ...obj("mergeObjects", a, 1) }),
};

function bodyOf(outputs: Value): Value {
  return isObject(outputs) ? (outputs.body ?? null) : null;
}

function formatShift(fn: string, a: Value[], sign: number): Value {
  return shifted(fn, [a[0], a[1], a[3] ?? null], 1, str(fn, a, 2), sign);
}
