/**
 * npm run flow -- <command>
 *   check <flow.json…>                                     validate flows without running them
 *   run <flow.json> --trigger <row.json> [--scenario <file>] [--out <history.json>]
 *                                                          run a flow against the local services, print the run as a
 *                                                          tree, then the full history as JSON: into the file --out
 *                                                          (or --history) names, else on standard output
 *   eval                                                   evaluate one expression per stdin line, print one JSON value
 *                                                          (or {"error": "…"}) per line
 *   --debug (any command)                                  print the stack trace of an unexpected error
 *
 * Any error is one line on standard error and exit code 2; the process always exits once the command is done, even if
 * a service it started could not be closed.
 */
import { readFileSync, statSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { checkFlowFile, defaultCheckOptions } from "./check";
import { createFlowEnvironment, type Scenario } from "./dispatchers";
import { createContext, evaluate, type JsonValue } from "./expressions";
import { runFlow, VirtualClock, type ActionDefinition, type ActionRun, type FlowFile, type RunResult } from "./runner";

const USAGE = `usage: npm run flow -- check <flow.json…>
       npm run flow -- run <flow.json> --trigger <row.json> [--scenario <file>] [--out <history.json>]
       npm run flow -- eval   (one expression per line on standard input)
       add --debug for the stack trace of an unexpected error`;

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  stdin?: () => Promise<string>;
}

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const value = args[i + 1];
  if (value === undefined || value.startsWith("--")) throw new InputError(`${name} needs a value`);
  args.splice(i, 2);
  return value;
}

/** An error in what the user gave (a file, an option): said in one line, never with a stack trace. */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InputError";
  }
}

function readJson(file: string, what: string): JsonValue {
  const stat = statSync(file, { throwIfNoEntry: false });
  if (stat === undefined) throw new InputError(`${what} ${file}: no such file`);
  if (stat.isDirectory()) throw new InputError(`${what} ${file}: is a folder, not a file`);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new InputError(`${what} ${file}: cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, "")) as JsonValue;
  } catch (e) {
    throw new InputError(`${what} ${file}: not JSON: ${(e as Error).message}`);
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * The scenario's shape, checked before any service starts: a wrong shape found later would fail with the Graph
 * stand-in already listening. Each problem names its path in the file.
 */
export function checkScenario(value: unknown, file: string): Scenario {
  const fail = (where: string, message: string): never => {
    throw new InputError(`scenario ${file}: ${where} ${message}`);
  };
  const known = (object: Record<string, unknown>, where: string, keys: string[]) => {
    for (const key of Object.keys(object)) if (!keys.includes(key)) fail(`${where}${key}`, `is not a scenario setting (${keys.join(", ")})`);
  };
  const list = (v: unknown, where: string, each: (item: unknown, at: string) => void) => {
    if (v === undefined) return;
    if (!Array.isArray(v)) fail(where, "must be an array");
    (v as unknown[]).forEach((item, i) => each(item, `${where}[${i}]`));
  };
  const object = (v: unknown, where: string): Record<string, unknown> => (isRecord(v) ? v : fail(where, "must be an object"));
  const number = (v: unknown, where: string) => {
    if (v !== undefined && (typeof v !== "number" || !Number.isFinite(v) || v < 0)) fail(where, "must be a number, 0 or more");
  };
  const string = (v: unknown, where: string) => {
    if (v !== undefined && typeof v !== "string") fail(where, "must be a string");
  };

  const scenario = isRecord(value) ? value : fail("the file", "must hold a JSON object");
  known(scenario, "", ["parameters", "clock", "dataverse", "approvals", "graph"]);
  if (scenario.parameters !== undefined) object(scenario.parameters, "parameters");
  if (scenario.clock !== undefined && (typeof scenario.clock !== "string" || Number.isNaN(new Date(scenario.clock).getTime()))) {
    fail("clock", "must be a date and time (ISO 8601)");
  }
  if (scenario.dataverse !== undefined) {
    const dataverse = object(scenario.dataverse, "dataverse");
    known(dataverse, "dataverse.", ["sampleData", "rows"]);
    if (dataverse.sampleData !== undefined && typeof dataverse.sampleData !== "boolean") object(dataverse.sampleData, "dataverse.sampleData");
    list(dataverse.rows, "dataverse.rows", (row, at) => {
      const r = object(row, at);
      if (typeof r.entitySet !== "string" || r.entitySet === "") fail(`${at}.entitySet`, "must name an entity set");
      object(r.row, `${at}.row`);
    });
  }
  list(scenario.approvals, "approvals", (decision, at) => {
    const d = object(decision, at);
    if (!["Approve", "Reject", "NoResponse"].includes(d.outcome as string)) fail(`${at}.outcome`, "must be Approve, Reject or NoResponse");
    string(d.comments, `${at}.comments`);
    number(d.afterMs, `${at}.afterMs`);
    if (d.responder !== undefined) object(d.responder, `${at}.responder`);
  });
  if (scenario.graph !== undefined) {
    const graph = object(scenario.graph, "graph");
    known(graph, "graph.", ["throttle", "outages", "asyncPolls", "signedInUser"]);
    number(graph.asyncPolls, "graph.asyncPolls");
    string(graph.signedInUser, "graph.signedInUser");
    list(graph.throttle, "graph.throttle", (rule, at) => {
      const t = object(rule, at);
      if (t.count === undefined) fail(`${at}.count`, "is required");
      number(t.count, `${at}.count`);
      if (t.retryAfterSeconds === undefined) fail(`${at}.retryAfterSeconds`, "is required");
      number(t.retryAfterSeconds, `${at}.retryAfterSeconds`);
      string(t.path, `${at}.path`);
      if (typeof t.path === "string") {
        try {
          new RegExp(t.path);
        } catch (e) {
          fail(`${at}.path`, `is not a regular expression: ${(e as Error).message}`);
        }
      }
    });
    list(graph.outages, "graph.outages", (outage, at) => {
      const o = object(outage, at);
      if (typeof o.status !== "number" || !Number.isInteger(o.status)) fail(`${at}.status`, "must be an HTTP status code");
      number(o.times, `${at}.times`);
      list(o.operationIds, `${at}.operationIds`, (id, where) => string(id, where));
    });
  }
  return scenario;
}

/** The flow file's shape, as much as running it needs: an export with properties.definition.triggers and actions. */
function checkFlowShape(value: JsonValue, file: string): FlowFile {
  const properties = isRecord(value) ? value.properties : undefined;
  const definition = isRecord(properties) ? properties.definition : undefined;
  if (!isRecord(definition) || !isRecord(definition.triggers) || !isRecord(definition.actions)) {
    throw new InputError(`flow ${file}: not a cloud flow: it needs properties.definition with triggers and actions`);
  }
  return value as unknown as FlowFile;
}

interface Node {
  name: string;
  children: Node[];
}

function tree(actions: Record<string, ActionDefinition>): Node[] {
  return Object.entries(actions).map(([name, def]) => {
    const inner = [def.actions, def.else?.actions, def.default?.actions, ...Object.values(def.cases ?? {}).map((c) => c.actions)];
    return { name, children: inner.flatMap((a) => (a === undefined ? [] : tree(a))) };
  });
}

const MARK: Record<string, string> = { Succeeded: "ok     ", Failed: "FAILED ", Skipped: "skipped", TimedOut: "TIMEOUT", Cancelled: "cancel " };

/**
 * The run as readable lines: one per action run, each container's actions under it in the order they started,
 * loop repetitions marked with #n, retries and errors shown.
 */
export function formatRun(flow: FlowFile, run: RunResult): string {
  const start = new Date(run.startTime).getTime();
  const entries = new Map<string, { a: ActionRun; i: number }[]>();
  run.actions.forEach((a, i) => entries.set(a.name, [...(entries.get(a.name) ?? []), { a, i }]));
  const first = (n: Node): number => Math.min(...(entries.get(n.name) ?? []).map((e) => e.i), ...n.children.map(first), Number.MAX_SAFE_INTEGER);
  const lines = [`run ${run.status}  (${run.trigger.name}, ${run.startTime} .. ${run.endTime})`];
  const print = (nodes: Node[], depth: number) => {
    for (const n of [...nodes].sort((x, y) => first(x) - first(y))) {
      const indent = "  ".repeat(depth + 1);
      for (const { a } of entries.get(n.name) ?? []) {
        const rep = a.repetition.length === 0 ? "" : ` #${a.repetition.map((r) => r.index).join(".")}`;
        const at = `+${Math.round((new Date(a.startTime).getTime() - start) / 1000)}s`;
        const retries = a.retryHistory === undefined ? "" : `  (${a.retryHistory.length} retr${a.retryHistory.length === 1 ? "y" : "ies"}: ${a.retryHistory.map((r) => r.statusCode).join(", ")})`;
        lines.push(`${MARK[a.status] ?? a.status} ${indent}${n.name}${rep}  [${a.type}] ${at}${retries}`);
        if (a.error !== undefined) lines.push(`        ${indent}  ${a.error.code}: ${a.error.message}`);
      }
      print(n.children, depth + 1);
    }
  };
  print(tree(flow.properties.definition.actions), 0);
  if (run.error !== undefined) lines.push(`run error: ${run.error.code}: ${run.error.message}`);
  return lines.join("\n");
}

function check(files: string[], io: CliIo): number {
  if (files.length === 0) throw new InputError("check needs at least one flow file");
  for (const file of files) {
    const stat = statSync(file, { throwIfNoEntry: false });
    if (stat === undefined) throw new InputError(`${file}: no such file`);
    if (stat.isDirectory()) throw new InputError(`${file}: is a folder, not a file`);
  }
  const options = defaultCheckOptions();
  let count = 0;
  for (const file of files) {
    for (const p of checkFlowFile(path.resolve(file), options)) {
      io.stderr(`${p.file}${p.line === undefined ? "" : `:${p.line}`}: ${p.message}`);
      count++;
    }
  }
  io.stdout(count === 0 ? `${files.length} flow(s) checked, no problems` : `${count} problem(s) in ${files.length} flow(s)`);
  return count === 0 ? 0 : 1;
}

async function run(args: string[], io: CliIo): Promise<number> {
  const triggerFile = option(args, "--trigger");
  const scenarioFile = option(args, "--scenario");
  const outFile = option(args, "--out");
  const historyFile = option(args, "--history");
  if (outFile !== undefined && historyFile !== undefined && outFile !== historyFile) throw new InputError("--out and --history are the same option and name different files; give one");
  const [flowFile, ...rest] = args;
  if (flowFile === undefined || triggerFile === undefined) throw new InputError("run needs <flow.json> and --trigger <row.json>");
  if (rest.length > 0) throw new InputError(`unexpected arguments: ${rest.join(" ")}`);
  const flow = checkFlowShape(readJson(flowFile, "flow"), flowFile);
  const trigger = readJson(triggerFile, "trigger row");
  if (!isRecord(trigger)) throw new InputError(`trigger row ${triggerFile}: must hold a JSON object (the row, in Web API wire format)`);
  const scenario = scenarioFile === undefined ? {} : checkScenario(readJson(scenarioFile, "scenario"), scenarioFile);
  const env = await createFlowEnvironment(scenario);
  try {
    const result = await runFlow(flow, {
      trigger: { body: trigger },
      dispatcher: env.dispatcher,
      clock: new VirtualClock(scenario.clock ?? new Date()),
      parameters: scenario.parameters,
      workflowName: path.basename(flowFile, ".json"),
    });
    io.stdout(formatRun(flow, result));
    const history = JSON.stringify(result, null, 2);
    const out = outFile ?? historyFile;
    if (out === undefined) {
      io.stdout(history);
    } else {
      try {
        writeFileSync(out, `${history}\n`);
      } catch (e) {
        throw new InputError(`history ${out}: cannot be written (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      }
      io.stdout(`history written to ${out}`);
    }
    return result.status === "Succeeded" ? 0 : 1;
  } finally {
    await env.close();
  }
}

function evalLines(input: string, io: CliIo): number {
  const lines = input.split(/\r?\n/);
  if (lines[lines.length - 1] === "") lines.pop();
  const ctx = createContext();
  for (const line of lines) {
    // A line that starts with @ is a template (@expr, text with @{…}); any other line is a bare expression.
    const source = line.startsWith("@") ? line : `@${line}`;
    try {
      io.stdout(JSON.stringify(evaluate(source, ctx)));
    } catch (e) {
      io.stdout(JSON.stringify({ error: (e as Error).message }));
    }
  }
  return 0;
}

function readStdin(): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    process.stdin.on("data", (c: Buffer) => chunks.push(c));
    process.stdin.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    process.stdin.on("error", reject);
  });
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  const debug = argv.includes("--debug");
  const [command, ...args] = argv.filter((a) => a !== "--debug");
  try {
    if (command === "check") return check(args, io);
    if (command === "run") return await run(args, io);
    if (command === "eval") return evalLines(await (io.stdin ?? readStdin)(), io);
    io.stderr(USAGE);
    return 2;
  } catch (e) {
    const message = e instanceof Error ? e.message.split("\n")[0] : String(e);
    io.stderr(`flow ${command}: ${message}`);
    if (debug && e instanceof Error && e.stack) io.stderr(e.stack);
    return 2;
  }
}

/** How long the process may linger after its command is done before it is ended (a service that did not close). */
export const EXIT_GRACE_MS = 1000;

if (require.main === module) {
  void main(process.argv.slice(2), { stdout: (t) => console.log(t), stderr: (t) => console.error(t) }).then((code) => {
    process.exitCode = code;
    // Nothing should be left running; if something is (a server a failed setup could not close), do not hang on it.
    setTimeout(() => process.exit(code), EXIT_GRACE_MS).unref();
    return code;
  });
}
