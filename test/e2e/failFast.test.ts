/**
 * The browser suite fails fast and never hangs: without Chromium `npm run test:e2e` stops within 10 s with the
 * install command (a child Jest run with CHROMIUM_PATH pointing nowhere), and a session whose browser cannot start
 * closes the workbench it had already started.
 */
import { spawn } from "node:child_process";
import * as path from "node:path";
import { INSTALL_COMMAND } from "./chromium";
import { ROOT, startSession } from "./harness";

function run(args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<{ code: number | null; output: string; ms: number; timedOut: boolean }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, detached: true });
    let output = "";
    let timedOut = false;
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
    }, timeoutMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, output, ms: Date.now() - started, timedOut });
    });
  });
}

const openServers = () => process.getActiveResourcesInfo().filter((kind) => kind === "TCPServerWrap").length;

/** Listening servers, once the event loop has released the handles of those just closed (that takes a turn or two). */
async function settledServers(expected: number): Promise<number> {
  const deadline = Date.now() + 2000;
  while (openServers() !== expected && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  return openServers();
}

describe("the browser suite without Chromium", () => {
  it("exits at once, non-zero, naming the install command", async () => {
    const jest = path.join(ROOT, "node_modules", "jest", "bin", "jest.js");
    const result = await run([jest, "test/e2e/flows.test.ts", "--selectProjects", "e2e", "--runInBand"], { CHROMIUM_PATH: "/nonexistent/chromium" }, 45000);
    expect(result.timedOut).toBe(false);
    expect(result.code).not.toBe(0);
    expect(result.output).toContain(INSTALL_COMMAND);
    expect(result.output).toContain("/nonexistent/chromium");
    // The target is 10 s (about 1.5 s measured for `npm run test:e2e` alone); a child Jest started from a busy test
    // run needs more of its time to start, so this guards against waiting for a browser, not the figure itself.
    process.stdout.write(`failFast: the suite without Chromium stopped after ${result.ms} ms\n`);
    expect(result.ms).toBeLessThan(20000);
  });

  it("a session whose browser will not start closes the workbench it started", async () => {
    const before = openServers();
    const saved = process.env.CHROMIUM_PATH;
    // An executable that is not Chromium: the launch itself fails, after the workbench is listening.
    process.env.CHROMIUM_PATH = "/bin/false";
    try {
      await expect(startSession()).rejects.toThrow();
    } finally {
      if (saved === undefined) delete process.env.CHROMIUM_PATH;
      else process.env.CHROMIUM_PATH = saved;
    }
    expect(await settledServers(before)).toBe(before);
  });

  it("a session without Chromium says how to install it before starting anything", async () => {
    const before = openServers();
    const saved = process.env.CHROMIUM_PATH;
    process.env.CHROMIUM_PATH = "/nonexistent/chromium";
    try {
      await expect(startSession()).rejects.toThrow(INSTALL_COMMAND);
    } finally {
      if (saved === undefined) delete process.env.CHROMIUM_PATH;
      else process.env.CHROMIUM_PATH = saved;
    }
    expect(await settledServers(before)).toBe(before);
  });
});
