/**
 * npm run flow -- <command>
 *   check <flow.json…>                                     validate flows without running them
 *   run <flow.json> --trigger <row.json> [--scenario <file>] [--out <history.json>]
 *                                                          run a flow against the local services, print the run as a
 *                                                          tree and write the full history as JSON
 *   eval                                                   evaluate one expression per stdin line, print one JSON value
 *                                                          (or {"error": "…"}) per line
 */
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { checkFlowFile, defaultCheckOptions } from "./check";
import { createFlowEnvironment, type Scenario } from "./dispatchers";
import { createContext, evaluate, type JsonValue } from "./expressions";
import { runFlow, VirtualClock, type ActionDefinition, type ActionRun, type FlowFile, type RunResult } from "./runner";

const USAGE = `usage: npm run flow -- check <flow.json…>
       npm run flow -- run <flow.json> --trigger <row.json> [--scenario <file>] [--out <history.json>]
       npm run flow -- eval   (one expression per line on standard input)`;

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  stdin?: () => Promise<string>;
}

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const value = args[i + 1];
  if (value === undefined || value.startsWith("--")) throw new Error(`${name} needs a value`);
  args.splice(i, 2);
  return value;
}

function readJson(file: string, what: string): JsonValue {
  try {
    return JSON.parse(readFileSync(file, "utf8").replace(/^\uFEFF/, "")) as JsonValue;
  } catch (e) {
    throw new Error(`${what} ${file}: ${(e as Error).message}`);
  }
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
  if (files.length === 0) throw new Error("check needs at least one flow file");
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
  const [flowFile, ...rest] = args;
  if (flowFile === undefined || triggerFile === undefined) throw new Error("run needs <flow.json> and --trigger <row.json>");
  if (rest.length > 0) throw new Error(`unexpected arguments: ${rest.join(" ")}`);
  const flow = readJson(flowFile, "flow") as unknown as FlowFile;
  const trigger = readJson(triggerFile, "trigger row");
  const scenario = (scenarioFile === undefined ? {} : readJson(scenarioFile, "scenario")) as Scenario;
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
    const out = outFile ?? `${path.basename(flowFile, ".json")}.history.json`;
    writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
    io.stdout(`history written to ${out}`);
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
  const [command, ...args] = argv;
  try {
    if (command === "check") return check(args, io);
    if (command === "run") return await run(args, io);
    if (command === "eval") return evalLines(await (io.stdin ?? readStdin)(), io);
    io.stderr(USAGE);
    return 2;
  } catch (e) {
    io.stderr(`flow ${command}: ${(e as Error).message}`);
    return 2;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2), { stdout: (t) => console.log(t), stderr: (t) => console.error(t) }).then((code) => {
    process.exitCode = code;
    return code;
  });
}
