import type { Node, Template } from "./ast";
import type { EvaluationContext } from "./context";
import { WdlError, WdlRuntimeError } from "./errors";
import { describeArity, lookupFunction } from "./catalogue";
import { IMPLEMENTATIONS } from "./functions";
import { parseTemplate, type ParseOptions } from "./parser";
import { fromJson, isNumber, isObject, makeFloat, numberOf, stringify, toJson, typeName, type JsonValue, type Value } from "./values";

function keyText(key: Value): string {
  return typeof key === "string" ? `'${key}'` : stringify(key);
}

/** Selects `key` from `target` as `[...]` / `?[...]` do; slash paths (`body/name`) walk nested objects. */
function select(target: Value, key: Value, optional: boolean): Value {
  if (target === null) {
    if (optional) return null;
    throw new WdlRuntimeError(
      `cannot select ${keyText(key)} from a null value (use ?[${keyText(key)}] to get null instead of an error)`,
    );
  }
  if (Array.isArray(target)) {
    if (!isNumber(key) || !Number.isInteger(numberOf(key))) {
      throw new WdlRuntimeError(`an array can only be indexed by an integer, not by ${typeName(key)} ${keyText(key)}`);
    }
    const i = numberOf(key);
    if (i >= 0 && i < target.length) return target[i];
    if (optional) return null;
    throw new WdlRuntimeError(`index ${i} is outside the array, which has ${target.length} element(s)`);
  }
  if (isObject(target)) {
    if (typeof key !== "string") throw new WdlRuntimeError(`an object's property must be selected by a string, not by ${typeName(key)} ${keyText(key)}`);
    if (Object.prototype.hasOwnProperty.call(target, key)) return target[key];
    if (key.includes("/")) {
      let v: Value = target;
      for (const part of key.split("/")) {
        v = select(v, part, optional);
      }
      return v;
    }
    if (optional) return null;
    const available = Object.keys(target);
    const hint = available.length === 0 ? "the object is empty" : `available properties are ${available.map((k) => `'${k}'`).join(", ")}`;
    throw new WdlRuntimeError(`property '${key}' doesn't exist; ${hint}`);
  }
  throw new WdlRuntimeError(`cannot select ${keyText(key)} from ${typeName(target)} ${keyText(target)}: only objects and arrays have properties`);
}

class Evaluation {
  constructor(
    private readonly source: string,
    private readonly ctx: EvaluationContext,
  ) {}

  private fail(pos: number, reason: string): never {
    throw new WdlError(this.source, pos + 1, reason);
  }

  eval(node: Node): Value {
    switch (node.kind) {
      case "literal":
        return node.float && typeof node.value === "number" ? makeFloat(node.value) : node.value;
      case "call": {
        const impl = IMPLEMENTATIONS[node.name];
        if (impl === undefined) this.fail(node.pos, `'${node.name}' is not a known function`);
        const args = node.args.map((a) => this.eval(a));
        return this.guard(node.pos, () => impl(args, this.ctx));
      }
      case "index": {
        const target = this.eval(node.target);
        const key = this.eval(node.index);
        return this.guard(node.pos, () => select(target, key, node.optional));
      }
      case "member": {
        const target = this.eval(node.target);
        return this.guard(node.pos, () => select(target, node.name, node.optional));
      }
    }
  }

  private guard(pos: number, run: () => Value): Value {
    try {
      return run();
    } catch (e) {
      if (e instanceof WdlRuntimeError) this.fail(pos, e.message);
      throw e;
    }
  }
}

/** Evaluates a parsed template: text as is, `@expr` keeping its type, `@{...}` interpolations as a string. */
export function evaluateTemplate(template: Template, ctx: EvaluationContext): Value {
  switch (template.kind) {
    case "text":
      return template.value;
    case "expression":
      return new Evaluation(template.source, ctx).eval(template.body);
    case "interpolation": {
      const ev = new Evaluation(template.source, ctx);
      return template.parts.map((p) => (typeof p === "string" ? p : stringify(ev.eval(p)))).join("");
    }
  }
}

const CACHE_LIMIT = 10_000;
const cache = new Map<string, Template>();

/** Parses once per distinct string; a run evaluates the same strings on every loop iteration. */
export function compileTemplate(source: string, options: ParseOptions = {}): Template {
  if (options.checkFunctions === false) return parseTemplate(source, options);
  let t = cache.get(source);
  if (t === undefined) {
    t = parseTemplate(source);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(source, t);
  }
  return t;
}

/** Evaluates one workflow string value (`"@add(1, 2)"`, `"Hello @{variables('name')}"`, or plain text). */
export function evaluate(source: string, ctx: EvaluationContext): JsonValue {
  return toJson(evaluateTemplate(compileTemplate(source), ctx));
}

/**
 * Evaluates every string in a JSON value (action inputs): values are templates, property names are
 * templates too (`@@odata.type` is the escaped name `@odata.type`).
 */
export function evaluateDeep(value: JsonValue, ctx: EvaluationContext): JsonValue {
  if (typeof value === "string") return evaluate(value, ctx);
  if (Array.isArray(value)) return value.map((v) => evaluateDeep(v, ctx));
  if (value !== null && typeof value === "object") {
    const out: Record<string, JsonValue> = {};
    for (const [k, v] of Object.entries(value)) out[stringify(evaluateTemplate(compileTemplate(k), ctx))] = evaluateDeep(v, ctx);
    return out;
  }
  return value;
}

/** Every template string found in a JSON value (values and property names), for checking without running. */
export function templateStrings(value: JsonValue): string[] {
  const out: string[] = [];
  const walk = (v: JsonValue) => {
    if (typeof v === "string") {
      if (v.includes("@")) out.push(v);
    } else if (Array.isArray(v)) {
      v.forEach(walk);
    } else if (v !== null && typeof v === "object") {
      for (const [k, x] of Object.entries(v)) {
        if (k.includes("@")) out.push(k);
        walk(x);
      }
    }
  };
  walk(value);
  return out;
}

/**
 * Calls a function by name with already evaluated arguments, as the object form of a condition
 * (`{"equals": ["@a", "b"]}`) does.
 */
export function callFunction(name: string, args: JsonValue[], ctx: EvaluationContext, where: string): JsonValue {
  const spec = lookupFunction(name);
  if (spec === undefined) throw new WdlError(where, 1, `'${name}' is not a known function`);
  if (args.length < spec.minArgs || args.length > spec.maxArgs) {
    throw new WdlError(where, 1, `the function '${spec.name}' takes ${describeArity(spec)} argument(s) but was given ${args.length}`);
  }
  try {
    return toJson(IMPLEMENTATIONS[spec.name](args.map(fromJson), ctx));
  } catch (e) {
    if (e instanceof WdlRuntimeError) throw new WdlError(where, 1, e.message);
    throw e;
  }
}
