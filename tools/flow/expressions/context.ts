import { WdlRuntimeError } from "./errors";
import { fromJson, type JsonValue, type Value } from "./values";

/**
 * What an expression can see of the run it belongs to. The flow runner implements it over its run state;
 * `createContext` builds one from plain data for tests and one-off evaluation. A method throws
 * `WdlRuntimeError` (with the reason) when the thing asked for does not exist.
 */
export interface EvaluationContext {
  /** trigger(): the trigger's record (name, inputs, outputs, startTime, endTime, status...). */
  trigger(): Value;
  triggerOutputs(): Value;
  /** actions(name): the action's record. */
  action(name: string): Value;
  /** outputs(name): the action's outputs. */
  actionOutputs(name: string): Value;
  /** result(scope): the records of the actions directly inside a scope or loop. */
  result(scopeName: string | undefined): Value;
  variable(name: string): Value;
  parameter(name: string): Value;
  /** item(): the current element of the innermost Foreach (or the Filter/Select input element). */
  item(): Value;
  items(loopName: string): Value;
  iterationIndex(loopName: string): number;
  workflow(): Value;
  listCallbackUrl(): string;
  /** The clock: the runner supplies its virtual clock. */
  now(): Date;
  newGuid(): string;
  /** A random integer in [min, max). */
  randomInt(min: number, max: number): number;
}

export interface ContextData {
  trigger?: { name?: string; outputs?: JsonValue; inputs?: JsonValue };
  actions?: Record<string, { outputs?: JsonValue; inputs?: JsonValue; status?: string }>;
  variables?: Record<string, JsonValue>;
  parameters?: Record<string, JsonValue>;
  /** Innermost last: the loops the expression is evaluated inside, with their current element and index. */
  loops?: { name: string; item: JsonValue; index?: number }[];
  workflow?: JsonValue;
  callbackUrl?: string;
  now?: Date | (() => Date);
  guids?: () => string;
  random?: (min: number, max: number) => number;
}

function defaultGuid(): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(Math.random() * 16).toString(16)).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${((parseInt(hex[16], 16) & 3) | 8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20)}`;
}

function lookup<T>(table: Record<string, T> | undefined, name: string, what: string): T {
  if (table !== undefined && Object.prototype.hasOwnProperty.call(table, name)) return table[name];
  const known = table === undefined ? [] : Object.keys(table);
  const hint = known.length === 0 ? `no ${what}s are defined` : `defined: ${known.map((k) => `'${k}'`).join(", ")}`;
  throw new WdlRuntimeError(`the ${what} '${name}' does not exist (${hint})`);
}

export function createContext(data: ContextData = {}): EvaluationContext {
  const loops = data.loops ?? [];
  const loop = (name: string) => {
    const l = [...loops].reverse().find((x) => x.name === name);
    if (l === undefined) throw new WdlRuntimeError(`'${name}' is not a Foreach loop that contains this expression`);
    return l;
  };
  return {
    trigger: () => fromJson({ name: data.trigger?.name ?? "manual", inputs: data.trigger?.inputs ?? null, outputs: data.trigger?.outputs ?? null }),
    triggerOutputs: () => fromJson(data.trigger?.outputs ?? null),
    action: (name) => {
      const a = lookup(data.actions, name, "action");
      return fromJson({ name, inputs: a.inputs ?? null, outputs: a.outputs ?? null, status: a.status ?? "Succeeded" });
    },
    actionOutputs: (name) => fromJson(lookup(data.actions, name, "action").outputs ?? null),
    result: (scope) => {
      throw new WdlRuntimeError(`result('${scope ?? ""}') needs a run: no scope results are available in this context`);
    },
    variable: (name) => fromJson(lookup(data.variables, name, "variable")),
    parameter: (name) => fromJson(lookup(data.parameters, name, "parameter")),
    item: () => {
      const l = loops[loops.length - 1];
      if (l === undefined) throw new WdlRuntimeError("item() is only valid inside a Foreach loop or an array operation");
      return fromJson(l.item);
    },
    items: (name) => fromJson(loop(name).item),
    iterationIndex: (name) => loop(name).index ?? 0,
    workflow: () => fromJson(data.workflow ?? { name: "workflow", run: { name: "run" } }),
    listCallbackUrl: () => {
      if (data.callbackUrl === undefined) throw new WdlRuntimeError("listCallbackUrl() needs a trigger with a callback URL");
      return data.callbackUrl;
    },
    now: () => (typeof data.now === "function" ? data.now() : (data.now ?? new Date())),
    newGuid: data.guids ?? defaultGuid,
    randomInt: data.random ?? ((min, max) => min + Math.floor(Math.random() * (max - min))),
  };
}
