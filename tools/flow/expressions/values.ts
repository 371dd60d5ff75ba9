/**
 * Runtime values of the Workflow Definition Language. They are JSON values, with one refinement:
 * WDL distinguishes integers from floats (div(11, 5) is 2, div(11, 5.0) is 2.2), and a JavaScript
 * number cannot say whether 5.0 was written as a float. A non-integral number is always a float; an
 * integral float is carried as a `WdlFloat` box inside the evaluator and unboxed at the API boundary.
 */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export class WdlFloat {
  constructor(readonly value: number) {}
}

export type Value = null | boolean | number | string | WdlFloat | Value[] | ValueObject;
export interface ValueObject {
  [key: string]: Value;
}

export type TypeName = "Null" | "Boolean" | "Integer" | "Float" | "String" | "Array" | "Object";

export function makeFloat(n: number): Value {
  return Number.isInteger(n) ? new WdlFloat(n) : n;
}

export function isNumber(v: Value): v is number | WdlFloat {
  return typeof v === "number" || v instanceof WdlFloat;
}

export function numberOf(v: number | WdlFloat): number {
  return typeof v === "number" ? v : v.value;
}

export function isFloat(v: Value): boolean {
  return v instanceof WdlFloat || (typeof v === "number" && !Number.isInteger(v));
}

export function isObject(v: Value): v is ValueObject {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof WdlFloat);
}

export function typeName(v: Value): TypeName {
  if (v === null) return "Null";
  if (typeof v === "boolean") return "Boolean";
  if (typeof v === "string") return "String";
  if (isNumber(v)) return isFloat(v) ? "Float" : "Integer";
  if (Array.isArray(v)) return "Array";
  return "Object";
}

/** Unboxes floats recursively: what callers of the engine see is plain JSON. */
export function toJson(v: Value): JsonValue {
  if (v instanceof WdlFloat) return v.value;
  if (Array.isArray(v)) return v.map(toJson);
  if (isObject(v)) {
    const out: Record<string, JsonValue> = {};
    for (const [k, x] of Object.entries(v)) out[k] = toJson(x);
    return out;
  }
  return v;
}

/** Plain JSON is already a valid Value (integral numbers read as integers). */
export function fromJson(v: JsonValue | undefined): Value {
  return v === undefined ? null : v;
}

/** Number rendering as .NET does for doubles in the invariant culture ("R" round-trip). */
export function formatNumberInvariant(n: number): string {
  if (Number.isNaN(n)) return "NaN";
  if (n === Infinity) return "Infinity";
  if (n === -Infinity) return "-Infinity";
  const s = String(n);
  return s.replace("e", "E");
}

/** Implicit string conversion used by interpolation, concat and string(). */
export function stringify(v: Value): string {
  if (v === null) return "";
  if (typeof v === "string") return v;
  if (typeof v === "boolean") return v ? "True" : "False";
  if (isNumber(v)) return formatNumberInvariant(numberOf(v));
  return JSON.stringify(toJson(v));
}

/** Deep equality with numbers compared by value (1 equals 1.0) and the documented bool/number coercion. */
export function valuesEqual(a: Value, b: Value): boolean {
  if (isNumber(a) && isNumber(b)) return numberOf(a) === numberOf(b);
  if (typeof a === "boolean" && isNumber(b)) return (numberOf(b) !== 0) === a;
  if (isNumber(a) && typeof b === "boolean") return (numberOf(a) !== 0) === b;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => valuesEqual(x, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => k in b && valuesEqual(a[k], b[k]));
  }
  return a === b;
}
