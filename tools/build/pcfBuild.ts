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
