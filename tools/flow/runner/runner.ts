import {
  callFunction,
  evaluateDeep,
  valuesEqual,
  WdlError,
  WdlRuntimeError,
  type EvaluationContext,
  type JsonValue,
} from "../expressions";
import { durationMs, VirtualClock, type Clock } from "./clock";
import type { ConnectorDispatcher, ConnectorResponse } from "./dispatcher";
import type { ActionDefinition, ActionError, ActionRun, ActionStatus, FlowFile, RunResult } from "./types";

export interface RunOptions {
  /** The trigger's outputs as the connector delivers them, e.g. `{ body: { ...row } }`. */
  trigger: { headers?: Record<string, string>; body?: JsonValue };
  dispatcher: ConnectorDispatcher;
  clock?: Clock;
  /** Values for definition parameters (environment variables), by parameter name. */
  parameters?: Record<string, JsonValue>;
  guids?: () => string;
  workflowName?: string;
}

const MASKED = "<secured: content not shown due to security configuration>";
const TRANSIENT = (code: number) => code === 408 || code === 429 || code >= 500;
const ACTION_TYPES = new Set([
  "Compose", "InitializeVariable", "SetVariable", "AppendToArrayVariable", "AppendToStringVariable", "IncrementVariable",
  "DecrementVariable", "If", "Switch", "Foreach", "Until", "Scope", "Terminate", "ParseJson", "Query", "Select", "Join",
  "Wait", "OpenApiConnection", "OpenApiConnectionWebhook",
]);

interface ActionRecord {
  name: string;
  status: ActionStatus;
  inputs: JsonValue;
  outputs: JsonValue;
  startTime: string;
  endTime: string;
  error: ActionError | null;
}

/** Action records are global except inside loop repetitions, which each see their own copies. */
interface Frame {
  records: Map<string, ActionRecord>;
  parent?: Frame;
  loop?: { name: string; item: JsonValue; index: number };
  repetition: { loop: string; index: number }[];
}

interface Execution {
  inputs: JsonValue;
  outputs: JsonValue;
  failed?: { status: ActionStatus; error: ActionError };
  retryHistory?: ActionRun["retryHistory"];
}

class Terminated extends Error {
  constructor(
    readonly status: "Succeeded" | "Failed" | "Cancelled",
    readonly runError: ActionError | undefined,
  ) {
    super(`terminated: ${status}`);
  }
}

class ActionFailure extends Error {
  constructor(
    readonly error: ActionError,
    readonly outputs: JsonValue = null,
    readonly status: ActionStatus = "Failed",
  ) {
    super(error.message);
  }
}

function isRecord(v: JsonValue | undefined): v is Record<string, JsonValue> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function typeOfVariable(v: JsonValue): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "float";
  return typeof v;
}

function checkVariableType(name: string, declared: string, value: JsonValue): void {
  const actual = typeOfVariable(value);
  const ok = actual === declared || (declared === "float" && actual === "integer") || (actual === "null" && declared !== "integer" && declared !== "float" && declared !== "boolean");
  if (!ok) throw new ActionFailure({ code: "InvalidVariableType", message: `the variable '${name}' is of type ${declared}; the value is of type ${actual}` });
}

class Run {
  readonly history: ActionRun[] = [];
  readonly variables = new Map<string, { type: string; value: JsonValue }>();
  private readonly children = new Map<string, string[]>();
  readonly clock: Clock;
  private readonly parameters: Record<string, JsonValue> = {};
  readonly triggerName: string;
  readonly triggerRecord: Record<string, JsonValue>;

  constructor(
    readonly flow: FlowFile,
    readonly options: RunOptions,
  ) {
    this.clock = options.clock ?? new VirtualClock();
    const def = flow.properties.definition;
    for (const [name, p] of Object.entries(def.parameters ?? {})) this.parameters[name] = p.defaultValue ?? null;
    Object.assign(this.parameters, options.parameters ?? {});
    const triggers = Object.keys(def.triggers);
    if (triggers.length !== 1) throw new Error(`a flow has exactly one trigger; this one has ${triggers.length}`);
    this.triggerName = triggers[0];
    // result() of a Scope, If, Switch, Foreach or Until that never ran (skipped, or in a branch not taken) is an empty array, as in the runtime.
    const register = (actions: Record<string, ActionDefinition> | undefined) => {
      for (const [n, a] of Object.entries(actions ?? {})) {
        if (["Scope", "If", "Switch", "Foreach", "Until"].includes(a.type)) {
          const inner = [a.actions, a.else?.actions, a.default?.actions, ...Object.values(a.cases ?? {}).map((c) => c.actions)];
          this.children.set(n, inner.flatMap((x) => Object.keys(x ?? {})));
          inner.forEach(register);
        }
      }
    };
    register(def.actions);
    this.triggerRecord = {
      name: this.triggerName,
      status: "Succeeded",
      startTime: this.clock.now().toISOString(),
      outputs: { headers: options.trigger.headers ?? {}, body: options.trigger.body ?? null },
    };
  }

  context(frame: Frame): EvaluationContext {
    const find = (name: string): ActionRecord => {
      for (let f: Frame | undefined = frame; f !== undefined; f = f.parent) {
        const r = f.records.get(name);
        if (r !== undefined) return r;
      }
      throw new WdlRuntimeError(`the action '${name}' has not run (it does not exist, is not reachable from here, or has not run yet)`);
    };
    const loop = (name?: string) => {
      for (let f: Frame | undefined = frame; f !== undefined; f = f.parent) {
        if (f.loop !== undefined && (name === undefined || f.loop.name === name)) return f.loop;
      }
      throw new WdlRuntimeError(name === undefined ? "item() is only valid inside a Foreach loop or an array operation" : `'${name}' is not a Foreach loop that contains this expression`);
    };
    const toJsonRecord = (r: ActionRecord): JsonValue => ({ ...r, error: r.error === null ? null : { ...r.error } });
    return {
      trigger: () => this.triggerRecord,
      triggerOutputs: () => this.triggerRecord.outputs,
      action: (name) => toJsonRecord(find(name)),
      actionOutputs: (name) => find(name).outputs,
      result: (scope) => {
        if (scope === undefined) throw new WdlRuntimeError("result() needs the name of a Scope, Foreach or Until action");
        const names = this.children.get(scope);
        if (names === undefined) throw new WdlRuntimeError(`'${scope}' is not a Scope, Foreach or Until action`);
        const out: JsonValue[] = [];
        for (const n of names) {
          try {
            out.push(toJsonRecord(find(n)));
          } catch {
            continue;
          }
        }
        return out;
      },
      variable: (name) => {
        const v = this.variables.get(name);
        if (v === undefined) throw new WdlRuntimeError(`the variable '${name}' is not initialized (variables are created by an Initialize variable action)`);
        return v.value;
      },
      parameter: (name) => {
        if (!(name in this.parameters)) throw new WdlRuntimeError(`the parameter '${name}' is not defined in the workflow`);
        return this.parameters[name];
      },
      item: () => loop().item,
      items: (name) => loop(name).item,
      iterationIndex: (name) => loop(name).index,
      workflow: () => ({ name: this.options.workflowName ?? "flow", run: { name: "run" } }),
      listCallbackUrl: () => `https://localhost/workflows/${this.options.workflowName ?? "flow"}/callback`,
      now: () => this.clock.now(),
      newGuid: this.options.guids ?? (() => crypto.randomUUID()),
      randomInt: (min, max) => min + Math.floor(Math.random() * (max - min)),
    };
  }

  eval(value: JsonValue | undefined, frame: Frame): JsonValue {
    return evaluateDeep(value ?? null, this.context(frame));
  }

  /** Runs one container's actions in runAfter order; returns whether it ended with an unhandled failure. */
  async runGraph(actions: Record<string, ActionDefinition>, frame: Frame, owner: string | null): Promise<boolean> {
    if (owner !== null) this.children.set(owner, Object.keys(actions));
    const done = new Map<string, ActionStatus>();
    const names = Object.keys(actions);
    for (const name of names) {
      for (const dep of Object.keys(actions[name].runAfter ?? {})) {
        if (!(dep in actions)) throw new Error(`action '${name}' runs after '${dep}', which is not in the same scope`);
      }
    }
    while (done.size < names.length) {
      const ready = names.filter((n) => !done.has(n) && Object.keys(actions[n].runAfter ?? {}).every((d) => done.has(d)));
      if (ready.length === 0) throw new Error(`the runAfter graph has a cycle among: ${names.filter((n) => !done.has(n)).join(", ")}`);
      for (const name of ready) {
        const def = actions[name];
        const runAfter = def.runAfter ?? {};
        const allowed = Object.entries(runAfter).every(([dep, statuses]) => statuses.includes(done.get(dep) as never));
        const status = allowed ? await this.runAction(name, def, frame) : this.skip(name, def, frame);
        done.set(name, status);
      }
    }
    const handled = (name: string, status: ActionStatus) =>
      names.some((n) => {
        const after = actions[n].runAfter?.[name];
        return after !== undefined && (after as string[]).includes(status) && done.get(n) !== "Skipped";
      });
    return [...done].some(([n, s]) => (s === "Failed" || s === "TimedOut") && !handled(n, s));
  }

  private skip(name: string, def: ActionDefinition, frame: Frame): ActionStatus {
    const now = this.clock.now().toISOString();
    const record: ActionRecord = { name, status: "Skipped", inputs: null, outputs: null, startTime: now, endTime: now, error: null };
    frame.records.set(name, record);
    this.history.push({ name, type: def.type, status: "Skipped", repetition: frame.repetition, startTime: now, endTime: now });
    return "Skipped";
  }

  private async runAction(name: string, def: ActionDefinition, frame: Frame): Promise<ActionStatus> {
    const startTime = this.clock.now().toISOString();
    let inputs: JsonValue = null;
    let outputs: JsonValue = null;
    let status: ActionStatus = "Succeeded";
    let error: ActionError | null = null;
    let retryHistory: ActionRun["retryHistory"];
    try {
      const result = await this.execute(name, def, frame);
      inputs = result.inputs;
      outputs = result.outputs;
      retryHistory = result.retryHistory;
      if (result.failed !== undefined) {
        status = result.failed.status;
        error = result.failed.error;
      }
    } catch (e) {
      if (e instanceof Terminated) {
        this.record(name, def, frame, startTime, "Succeeded", this.eval(def.inputs, frame), null, null);
        throw e;
      }
      status = e instanceof ActionFailure ? e.status : "Failed";
      outputs = e instanceof ActionFailure ? e.outputs : null;
      error =
        e instanceof ActionFailure ? e.error
        : e instanceof WdlError ? { code: "InvalidTemplate", message: `Unable to process template language expressions in action '${name}' inputs: ${e.message}` }
        : { code: "ActionFailed", message: (e as Error).message };
    }
    this.record(name, def, frame, startTime, status, inputs, outputs, error, retryHistory);
    return status;
  }

  private record(
    name: string, def: ActionDefinition, frame: Frame, startTime: string, status: ActionStatus,
    inputs: JsonValue, outputs: JsonValue, error: ActionError | null, retryHistory?: ActionRun["retryHistory"],
  ): void {
    const endTime = this.clock.now().toISOString();
    frame.records.set(name, { name, status, inputs, outputs, startTime, endTime, error });
    const secure = def.runtimeConfiguration?.secureData?.properties ?? [];
    const entry: ActionRun = { name, type: def.type, status, repetition: frame.repetition, startTime, endTime };
    if (inputs !== null) entry.inputs = secure.includes("inputs") ? MASKED : inputs;
    if (outputs !== null) entry.outputs = secure.includes("outputs") ? MASKED : outputs;
    if (error !== null) entry.error = error;
    if (retryHistory !== undefined && retryHistory.length > 0) entry.retryHistory = retryHistory;
    this.history.push(entry);
  }

  private async execute(
    name: string, def: ActionDefinition, frame: Frame,
  ): Promise<Execution> {
    const failedInside = (what: string) => ({ status: "Failed" as const, error: { code: "ActionFailed", message: `An action failed. No dependent actions succeeded. (${what} '${name}')` } });
    switch (def.type) {
      case "Compose": {
        const v = this.eval(def.inputs, frame);
        return { inputs: v, outputs: v };
      }
      case "InitializeVariable": {
        const inputs = this.eval(def.inputs, frame);
        const decl = isRecord(inputs) && Array.isArray(inputs.variables) ? inputs.variables[0] : null;
        if (!isRecord(decl) || typeof decl.name !== "string" || typeof decl.type !== "string") {
          throw new ActionFailure({ code: "InvalidInputs", message: "InitializeVariable needs inputs.variables[0] with a name and a type" });
        }
        if (this.variables.has(decl.name)) throw new ActionFailure({ code: "InvalidVariable", message: `the variable '${decl.name}' is already initialized` });
        const type = decl.type.toLowerCase();
        const value = decl.value ?? (type === "array" ? [] : type === "object" ? {} : type === "string" ? "" : null);
        checkVariableType(decl.name, type, value);
        this.variables.set(decl.name, { type, value });
        return { inputs, outputs: null };
      }
      case "SetVariable":
      case "AppendToArrayVariable":
      case "AppendToStringVariable":
      case "IncrementVariable":
      case "DecrementVariable":
        return this.changeVariable(def, frame);
      case "If": {
        const result = this.condition(def.expression, frame, name);
        const branch = result ? def.actions : def.else?.actions;
        const failed = await this.runGraph(branch ?? {}, frame, name);
        return { inputs: null, outputs: { expression: result }, failed: failed ? failedInside("If") : undefined };
      }
      case "Switch": {
        const on = this.eval(def.expression, frame);
        const match = Object.entries(def.cases ?? {}).find(([, c]) => valuesEqual(c.case, on));
        const failed = await this.runGraph(match?.[1].actions ?? def.default?.actions ?? {}, frame, name);
        return { inputs: { expression: on }, outputs: null, failed: failed ? failedInside("Switch") : undefined };
      }
      case "Scope": {
        const failed = await this.runGraph(def.actions ?? {}, frame, name);
        return { inputs: null, outputs: null, failed: failed ? failedInside("Scope") : undefined };
      }
      case "Foreach":
        return this.foreach(name, def, frame);
      case "Until":
        return this.until(name, def, frame);
      case "Terminate": {
        const inputs = this.eval(def.inputs, frame);
        const status = isRecord(inputs) ? inputs.runStatus : null;
        if (status !== "Succeeded" && status !== "Failed" && status !== "Cancelled") {
          throw new ActionFailure({ code: "InvalidInputs", message: "Terminate needs runStatus Succeeded, Failed or Cancelled" });
        }
        const e = isRecord(inputs) && isRecord(inputs.runError) ? inputs.runError : null;
        throw new Terminated(status, e === null ? undefined : { code: typeof e.code === "string" ? e.code : "Terminated", message: typeof e.message === "string" ? e.message : "" });
      }
      case "ParseJson": {
        const inputs = this.eval(def.inputs, frame);
        const content = isRecord(inputs) ? (inputs.content ?? null) : null;
        const parsed = typeof content === "string" ? this.parseJsonText(content) : content;
        const problems = isRecord(inputs) && isRecord(inputs.schema) ? validateSchema(parsed, inputs.schema, "") : [];
        if (problems.length > 0) {
          throw new ActionFailure({ code: "ValidationFailed", message: `The schema validation failed: ${problems.join("; ")}` }, { body: parsed });
        }
        return { inputs, outputs: { body: parsed } };
      }
      case "Query":
      case "Select":
        return this.arrayOperation(name, def, frame);
      case "Join": {
        const inputs = this.eval(def.inputs, frame);
        if (!isRecord(inputs) || !Array.isArray(inputs.from)) throw new ActionFailure({ code: "InvalidInputs", message: "Join needs inputs.from to be an array" });
        const sep = typeof inputs.joinWith === "string" ? inputs.joinWith : "";
        const text = inputs.from.map((x) => (x === null ? "" : typeof x === "string" ? x : JSON.stringify(x))).join(sep);
        return { inputs, outputs: { body: text } };
      }
      case "Wait": {
        const inputs = this.eval(def.inputs, frame);
        this.clock.advance(waitMs(inputs, this.clock.now()));
        return { inputs, outputs: null };
      }
      case "OpenApiConnection":
      case "OpenApiConnectionWebhook":
        return this.connector(name, def, frame);
      default:
        throw new ActionFailure({ code: "UnsupportedAction", message: `the action type '${def.type}' is not supported by the flow runner (supported: ${[...ACTION_TYPES].join(", ")})` });
    }
  }

  private parseJsonText(text: string): JsonValue {
    try {
      return JSON.parse(text) as JsonValue;
    } catch (e) {
      throw new ActionFailure({ code: "InvalidJSON", message: `ParseJson content is not valid JSON: ${(e as Error).message}` });
    }
  }

  private changeVariable(def: ActionDefinition, frame: Frame): Execution {
    const inputs = this.eval(def.inputs, frame);
    if (!isRecord(inputs) || typeof inputs.name !== "string") throw new ActionFailure({ code: "InvalidInputs", message: `${def.type} needs inputs.name` });
    const v = this.variables.get(inputs.name);
    if (v === undefined) throw new ActionFailure({ code: "InvalidVariable", message: `the variable '${inputs.name}' is not initialized` });
    const value = inputs.value ?? null;
    let next: JsonValue;
    if (def.type === "SetVariable") {
      next = value;
    } else if (def.type === "AppendToArrayVariable") {
      if (!Array.isArray(v.value)) throw new ActionFailure({ code: "InvalidVariableType", message: `the variable '${inputs.name}' is not an array` });
      next = [...v.value, value];
    } else if (def.type === "AppendToStringVariable") {
      if (typeof v.value !== "string") throw new ActionFailure({ code: "InvalidVariableType", message: `the variable '${inputs.name}' is not a string` });
      next = v.value + (value === null ? "" : typeof value === "string" ? value : JSON.stringify(value));
    } else {
      const by = inputs.value === undefined ? 1 : value;
      if (typeof v.value !== "number" || typeof by !== "number") {
        throw new ActionFailure({ code: "InvalidVariableType", message: `${def.type} needs a number variable and a number value ('${inputs.name}')` });
      }
      next = v.value + (def.type === "IncrementVariable" ? by : -by);
    }
    checkVariableType(inputs.name, v.type, next);
    v.value = next;
    return { inputs, outputs: { body: { name: inputs.name, value: next } } };
  }

  /** Conditions are an expression string or the designer's object form ({"and": [{"equals": [a, b]}]}). */
  private condition(expr: JsonValue | undefined, frame: Frame, name: string): boolean {
    const ctx = this.context(frame);
    const walk = (node: JsonValue | undefined): JsonValue => {
      if (typeof node === "string" || typeof node === "boolean") return evaluateDeep(node, ctx);
      if (!isRecord(node)) throw new ActionFailure({ code: "InvalidCondition", message: `the condition of '${name}' is not an expression` });
      const [op, args] = Object.entries(node)[0] ?? [];
      if (op === "and" || op === "or") {
        if (!Array.isArray(args)) throw new ActionFailure({ code: "InvalidCondition", message: `'${op}' in the condition of '${name}' needs an array` });
        const values = args.map(walk);
        return op === "and" ? values.every((v) => v === true) : values.some((v) => v === true);
      }
      if (op === "not") return walk(args) !== true;
      if (op === undefined) throw new ActionFailure({ code: "InvalidCondition", message: `the condition of '${name}' is empty` });
      const list = Array.isArray(args) ? args : [args ?? null];
      return callFunction(op, list.map((a) => (isRecord(a) && !Array.isArray(a) && Object.keys(a).length === 1 && typeof Object.values(a)[0] !== "string" ? walk(a) : evaluateDeep(a, ctx))), ctx, `${op}(...) in the condition of '${name}'`);
    };
    const result = walk(expr);
    if (typeof result !== "boolean") throw new ActionFailure({ code: "InvalidCondition", message: `the condition of '${name}' evaluated to ${JSON.stringify(result)}, not a boolean` });
    return result;
  }

  private async foreach(name: string, def: ActionDefinition, frame: Frame): Promise<Execution> {
    const items = this.eval(def.foreach, frame);
    if (!Array.isArray(items)) throw new ActionFailure({ code: "InvalidForeach", message: `the Foreach '${name}' needs an array; it got ${typeOfVariable(items)}` });
    const sequential = def.operationOptions === "Sequential" || def.runtimeConfiguration?.concurrency?.repetitions === 1;
    const degree = sequential ? 1 : Math.max(1, def.runtimeConfiguration?.concurrency?.repetitions ?? 20);
    let failed = false;
    const iterate = async (item: JsonValue, index: number) => {
      const child: Frame = { records: new Map(), parent: frame, loop: { name, item, index }, repetition: [...frame.repetition, { loop: name, index }] };
      if (await this.runGraph(def.actions ?? {}, child, name)) failed = true;
    };
    for (let i = 0; i < items.length; i += degree) {
      await Promise.all(items.slice(i, i + degree).map((item, k) => iterate(item, i + k)));
    }
    return { inputs: items, outputs: null, failed: failed ? { status: "Failed" as const, error: { code: "ActionFailed", message: `An action failed in a repetition of Foreach '${name}'` } } : undefined };
  }

  private async until(name: string, def: ActionDefinition, frame: Frame): Promise<Execution> {
    const count = def.limit?.count ?? 60;
    const timeout = durationMs(def.limit?.timeout ?? "PT1H");
    const start = this.clock.now().getTime();
    let iterations = 0;
    for (;;) {
      const child: Frame = { records: new Map(), parent: frame, repetition: [...frame.repetition, { loop: name, index: iterations }] };
      const failed = await this.runGraph(def.actions ?? {}, child, name);
      iterations++;
      if (failed) return { inputs: null, outputs: { iterationCount: iterations }, failed: { status: "Failed" as const, error: { code: "ActionFailed", message: `An action failed in iteration ${iterations} of Until '${name}'` } } };
      for (const [k, r] of child.records) frame.records.set(k, r);
      if (this.condition(def.expression, frame, name)) return { inputs: null, outputs: { iterationCount: iterations } };
      if (iterations >= count || this.clock.now().getTime() - start >= timeout) {
        const which = iterations >= count ? `count limit ${count}` : `timeout ${def.limit?.timeout ?? "PT1H"}`;
        return { inputs: null, outputs: { iterationCount: iterations, limitReached: which } };
      }
    }
  }

  private arrayOperation(name: string, def: ActionDefinition, frame: Frame): Execution {
    const raw = isRecord(def.inputs) ? def.inputs : {};
    const from = this.eval(raw.from, frame);
    if (!Array.isArray(from)) throw new ActionFailure({ code: "InvalidInputs", message: `${def.type} '${name}' needs 'from' to be an array; it got ${typeOfVariable(from)}` });
    const out: JsonValue[] = [];
    from.forEach((item, index) => {
      const child: Frame = { records: new Map(), parent: frame, loop: { name, item, index }, repetition: frame.repetition };
      if (def.type === "Select") {
        out.push(this.eval(raw.select, child));
      } else {
        const keep = typeof raw.where === "string" ? this.eval(raw.where, child) : this.condition(raw.where, child, name);
        if (keep === true) out.push(item);
      }
    });
    return { inputs: { from }, outputs: { body: out } };
  }

  private async connector(name: string, def: ActionDefinition, frame: Frame): Promise<Execution> {
    const raw = isRecord(def.inputs) ? def.inputs : {};
    const host = isRecord(raw.host) ? raw.host : {};
    const connectionName = typeof host.connectionName === "string" ? host.connectionName : "";
    const operationId = typeof host.operationId === "string" ? host.operationId : "";
    const reference = this.flow.properties.connectionReferences?.[connectionName];
    if (reference === undefined) {
      throw new ActionFailure({ code: "InvalidConnection", message: `'${name}' uses the connection '${connectionName}', which is not in the flow's connectionReferences` });
    }
    const parameters = this.eval(raw.parameters ?? {}, frame);
    const inputs: JsonValue = { host: { connectionName, operationId, apiName: reference.api?.name ?? "" }, parameters };
    const policy = retryPolicy(raw.retryPolicy);
    const retryHistory: NonNullable<ActionRun["retryHistory"]> = [];
    for (let attempt = 0; ; attempt++) {
      const attemptStart = this.clock.now().toISOString();
      const response: ConnectorResponse = await this.options.dispatcher.invoke({
        actionName: name,
        actionType: def.type as "OpenApiConnection" | "OpenApiConnectionWebhook",
        connectionName,
        apiName: reference.api?.name ?? "",
        operationId,
        parameters: isRecord(parameters) ? parameters : {},
        authoredParameters: isRecord(raw.parameters) ? raw.parameters : {},
      });
      // A webhook action waits for its callback at most limit.timeout; past it the action times out, as the runtime does.
      const timeout = def.type === "OpenApiConnectionWebhook" && def.limit?.timeout !== undefined ? durationMs(def.limit.timeout) : undefined;
      if (timeout !== undefined && (response.durationMs ?? 0) > timeout) {
        this.clock.advance(timeout);
        return { inputs, outputs: null, retryHistory, failed: { status: "TimedOut" as const, error: { code: "ActionTimedOut", message: `The action '${name}' did not get its callback within ${def.limit?.timeout}.` } } };
      }
      if (response.durationMs !== undefined) this.clock.advance(response.durationMs);
      const outputs: JsonValue = { statusCode: response.statusCode, headers: response.headers ?? {}, body: response.body ?? null };
      if (response.statusCode < 400) return { inputs, outputs, retryHistory };
      const delay = TRANSIENT(response.statusCode) ? policy(attempt + 1, response.headers) : undefined;
      if (delay === undefined) {
        const body = response.body;
        const detail = isRecord(body) && isRecord(body.error) && typeof body.error.message === "string" ? body.error.message : `status code ${response.statusCode}`;
        return { inputs, outputs, retryHistory, failed: { status: "Failed" as const, error: { code: `Http${response.statusCode}`, message: detail } } };
      }
      retryHistory.push({ startTime: attemptStart, endTime: this.clock.now().toISOString(), statusCode: response.statusCode });
      this.clock.advance(delay);
    }
  }
}

/** Returns the delay before retry number `n` (1-based), or undefined when the policy gives up. */
function retryPolicy(raw: JsonValue | undefined): (n: number, headers?: Record<string, string>) => number | undefined {
  const p = isRecord(raw) ? raw : {};
  const type = typeof p.type === "string" ? p.type.toLowerCase() : "default";
  const count = typeof p.count === "number" ? p.count : 4;
  const interval = typeof p.interval === "string" ? durationMs(p.interval) : 7500;
  const min = typeof p.minimumInterval === "string" ? durationMs(p.minimumInterval) : 5000;
  const max = typeof p.maximumInterval === "string" ? durationMs(p.maximumInterval) : type === "default" ? 45_000 : 86_400_000;
  return (n, headers) => {
    if (type === "none" || n > count) return undefined;
    const after = headers?.["Retry-After"] ?? headers?.["retry-after"];
    if (after !== undefined && /^\d+$/.test(after)) return Number(after) * 1000;
    if (type === "fixed") return interval;
    return Math.min(Math.max(interval * 2 ** (n - 1), min), max);
  };
}

function waitMs(inputs: JsonValue, now: Date): number {
  if (isRecord(inputs) && isRecord(inputs.interval)) {
    const count = inputs.interval.count;
    const unit = typeof inputs.interval.unit === "string" ? inputs.interval.unit.toLowerCase() : "";
    const per: Record<string, number> = { second: 1000, minute: 60_000, hour: 3_600_000, day: 86_400_000, week: 604_800_000, month: 2_592_000_000 };
    if (typeof count !== "number" || per[unit] === undefined) throw new ActionFailure({ code: "InvalidInputs", message: "Delay needs interval.count (a number) and interval.unit (Second, Minute, Hour, Day, Week or Month)" });
    return count * per[unit];
  }
  if (isRecord(inputs) && isRecord(inputs.until) && typeof inputs.until.timestamp === "string") {
    return Math.max(0, new Date(inputs.until.timestamp).getTime() - now.getTime());
  }
  throw new ActionFailure({ code: "InvalidInputs", message: "Delay needs inputs.interval or inputs.until.timestamp" });
}

/** The JSON Schema subset ParseJson schemas use: type (or list of types), properties, required, items. */
function validateSchema(value: JsonValue, schema: Record<string, JsonValue>, at: string): string[] {
  const where = at === "" ? "the content" : `'${at}'`;
  const types = Array.isArray(schema.type) ? schema.type : typeof schema.type === "string" ? [schema.type] : [];
  const actual = typeOfVariable(value);
  const matches = (t: JsonValue) => t === actual || (t === "number" && (actual === "integer" || actual === "float")) || (t === "integer" && actual === "integer");
  if (types.length > 0 && !types.some(matches)) return [`${where} is ${actual}, expected ${types.map((t) => JSON.stringify(t)).join(" or ")}`];
  const problems: string[] = [];
  if (isRecord(value)) {
    for (const req of Array.isArray(schema.required) ? schema.required : []) {
      if (typeof req === "string" && !(req in value)) problems.push(`${where} is missing the required property '${req}'`);
    }
    if (isRecord(schema.properties)) {
      for (const [k, sub] of Object.entries(schema.properties)) {
        if (k in value && isRecord(sub)) problems.push(...validateSchema(value[k], sub, at === "" ? k : `${at}.${k}`));
      }
    }
  }
  if (Array.isArray(value) && isRecord(schema.items)) {
    const items = schema.items;
    value.forEach((v, i) => problems.push(...validateSchema(v, items, `${at}[${i}]`)));
  }
  return problems;
}

/** Runs waiting for a slot of their flow, per flow definition object: the trigger's concurrency control. */
const slots = new WeakMap<FlowFile, { active: number; waiting: (() => void)[] }>();

/**
 * Runs an exported flow against a trigger event; connector actions go to `options.dispatcher`. When the trigger sets
 * `runtimeConfiguration.concurrency.runs`, at most that many runs of the same flow (object) go at once; the others wait
 * in order, as the runtime queues them.
 */
export async function runFlow(flow: FlowFile, options: RunOptions): Promise<RunResult> {
  const trigger = Object.values(flow.properties.definition.triggers)[0] as ActionDefinition | undefined;
  const limit = trigger?.runtimeConfiguration?.concurrency?.runs;
  if (limit === undefined) return runOnce(flow, options);
  let slot = slots.get(flow);
  if (slot === undefined) slots.set(flow, (slot = { active: 0, waiting: [] }));
  const s = slot;
  if (s.active >= Math.max(1, limit)) await new Promise<void>((resolve) => s.waiting.push(resolve));
  else s.active++;
  try {
    return await runOnce(flow, options);
  } finally {
    const next = s.waiting.shift();
    if (next !== undefined) next();
    else s.active--;
  }
}

async function runOnce(flow: FlowFile, options: RunOptions): Promise<RunResult> {
  const run = new Run(flow, options);
  const startTime = run.clock.now().toISOString();
  const root: Frame = { records: new Map(), repetition: [] };
  let status: RunResult["status"] = "Succeeded";
  let error: ActionError | undefined;
  try {
    if (await run.runGraph(flow.properties.definition.actions, root, null)) {
      status = "Failed";
      const first = run.history.find((h) => h.status === "Failed" || h.status === "TimedOut");
      error = first?.error ?? { code: "ActionFailed", message: "An action failed." };
    }
  } catch (e) {
    if (!(e instanceof Terminated)) throw e;
    status = e.status;
    error = e.runError;
  }
  const variables: Record<string, JsonValue> = {};
  for (const [k, v] of run.variables) variables[k] = v.value;
  const result: RunResult = {
    status,
    startTime,
    endTime: run.clock.now().toISOString(),
    trigger: { name: run.triggerName, status: "Succeeded", startTime, outputs: run.triggerRecord.outputs ?? null },
    actions: run.history,
    variables,
  };
  if (error !== undefined) result.error = error;
  return result;
}

export const SUPPORTED_ACTION_TYPES: ReadonlySet<string> = ACTION_TYPES;
