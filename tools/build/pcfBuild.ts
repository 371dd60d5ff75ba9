/**
 * Builds the PCF control in the current directory with pcf-scripts in production mode.
 * pcf-scripts exits 0 even when validation, ESLint or TypeScript fail, so success is read from its output:
 * any "] Failed:" line, or no "] Succeeded" line, fails the build.
 */
import { spawn } from "node:child_process";
import path from "node:path";

export interface PcfBuildResult {
  ok: boolean;
  output: string;
}

export function judgePcfOutput(exitCode: number | null, output: string): boolean {
  return exitCode === 0 && !output.includes('] Failed:') && output.includes('] Succeeded');
}

/** Issue 19: each production bundle.js at most 100 KB (100,000 bytes), minified, as the browser downloads it. */
export const BUNDLE_BUDGET_BYTES = 100_000;

/** A message naming the bundle and its size when it is over the budget; undefined when it fits. */
export function bundleBudgetProblem(bundle: string, bytes: number, budget: number = BUNDLE_BUDGET_BYTES): string | undefined {
  if (bytes <= budget) return undefined;
  const kb = (n: number) => `${(n / 1000).toFixed(1)} KB`;
  return `${bundle} is ${kb(bytes)} (${bytes} bytes), over the ${kb(budget)} budget by ${kb(bytes - budget)}`;
}

export function runPcfBuild(controlDir: string, echo: (chunk: string) => void = () => undefined): Promise<PcfBuildResult> {
  const pcfScripts = require.resolve("pcf-scripts/bin/pcf-scripts.js", { paths: [controlDir, __dirname] });
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [pcfScripts, "rebuild", "--buildMode", "production", "--noColor"], {
      cwd: controlDir,
      env: { ...process.env, PP_TOOLS_TELEMETRY_OPTOUT: "true" },
    });
    let output = "";
    const collect = (data: Buffer) => {
      const text = data.toString();
      output += text;
      echo(text);
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    child.on("error", reject);
    child.on("close", (code) => resolve({ ok: judgePcfOutput(code, output), output }));
  });
}

async function main(): Promise<void> {
  const dir = process.cwd();
  try {
    const result = await runPcfBuild(dir, (text) => process.stdout.write(text));
    if (!result.ok) {
      process.stderr.write(`pcf-scripts build failed in ${path.basename(dir)}\n`);
      process.exitCode = 1;
    }
  } catch (error) {
    process.stderr.write(`could not run pcf-scripts: ${String(error)}\n`);
    process.exitCode = 1;
  }
}

if (require.main === module) void main();
