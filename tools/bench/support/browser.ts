/**
 * What the browser benchmarks (pipelineBoardBrowser.ts, pipelineBoardPcfStart.ts) share: medians, the plain table,
 * the JS heap after a forced GC, and where a V8 CPU profile's time went. Lives outside tools/bench's top level, whose
 * every file `npm run bench` runs as a benchmark.
 */
import { readdirSync, statSync } from "node:fs";
import * as path from "node:path";
import type { Page } from "playwright-core";

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error("median of no values");
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The page's used JS heap after a forced GC (CDP HeapProfiler.collectGarbage), in bytes. */
export async function usedHeapAfterGc(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send("HeapProfiler.collectGarbage");
    await cdp.send("Performance.enable");
    const { metrics } = await cdp.send("Performance.getMetrics");
    const used = metrics.find((m) => m.name === "JSHeapUsedSize");
    if (used === undefined) throw new Error("CDP Performance.getMetrics reported no JSHeapUsedSize");
    return used.value;
  } finally {
    await cdp.detach();
  }
}

/** The newest modification time of any file under `dir`, to tell a bundle older than its sources. */
export function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(full) : statSync(full).mtimeMs);
  }
  return newest;
}

export const mib = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1);
export const ms = (value: number): string => value.toFixed(1);

/** A plain text table, right-aligned. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padStart(widths[i])).join(" | ")} |`;
  return [line(header), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.map(line)].join("\n");
}

/** The parts of a CDP `Profiler.Profile` read here. */
export interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
  readonly columnNumber: number;
}
export interface CpuProfile {
  readonly nodes: readonly { readonly id: number; readonly callFrame: CallFrame; readonly children?: readonly number[] }[];
  readonly samples?: readonly number[];
  readonly timeDeltas?: readonly number[];
}

/** Self time per script and the heaviest functions, from the samples (time of a sample = the delta to the next). */
export function attribute(
  profile: CpuProfile,
  scriptOf: (frame: CallFrame) => string,
  counts: { scripts: number; functions: number } = { scripts: 8, functions: 10 },
): { total: number; scripts: [string, number][]; functions: [string, number][] } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  const scripts = new Map<string, number>();
  const functions = new Map<string, number>();
  let total = 0;
  for (let i = 0; i < samples.length; i++) {
    const frame = byId.get(samples[i]);
    if (frame === undefined) continue;
    const micros = deltas[i + 1] ?? 0;
    total += micros;
    const script = scriptOf(frame);
    scripts.set(script, (scripts.get(script) ?? 0) + micros);
    const name = `${frame.functionName === "" ? "(anonymous)" : frame.functionName} [${script}${frame.url === "" ? "" : `:${frame.lineNumber + 1}:${frame.columnNumber + 1}`}]`;
    functions.set(name, (functions.get(name) ?? 0) + micros);
  }
  const heaviest = (m: Map<string, number>, n: number) => [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, n);
  return { total, scripts: heaviest(scripts, counts.scripts), functions: heaviest(functions, counts.functions) };
}
