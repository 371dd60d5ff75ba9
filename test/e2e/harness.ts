/**
 * Browser-test harness: the workbench server on a free port and Debian's Chromium driven by playwright-core, with
 * the Teams and app origins routed to it (tools/workbench/browser.ts) so the frame ancestry the controls read is the
 * real host's.
 */
import * as path from "node:path";
import { type Browser, type BrowserContext, chromium, type Frame, type Page } from "playwright-core";
import { CHROMIUM_ARGS, OFFLINE_HOSTS, routeWorkbench } from "../../tools/workbench/browser";
import { startWorkbench, type Workbench } from "../../tools/workbench/server";
import { chromiumPath, missingChromium } from "./chromium";

// Each file starts a server and Chromium once; a test drives whole user journeys.
if (typeof jest !== "undefined") jest.setTimeout(60000);

export const ROOT = path.resolve(__dirname, "../..");

export interface Session {
  readonly workbench: Workbench;
  readonly browser: Browser;
  readonly context: BrowserContext;
  /** Console errors and uncaught page errors, except failed requests to the offline hosts (OFFLINE_HOSTS). */
  readonly errors: string[];
  open(pathAndQuery: string, options?: { width?: number }): Promise<Page>;
  close(): Promise<void>;
}

/**
 * Starts the workbench and Chromium. Whatever fails on the way (no Chromium, a launch that dies, a route that cannot
 * be set), everything already started is closed before the error is thrown, so a failed start leaves no server or
 * browser holding the test process open.
 */
export async function startSession(): Promise<Session> {
  const missing = missingChromium();
  if (missing !== undefined) throw new Error(missing);
  const workbench = await startWorkbench({ root: ROOT, port: 0 });
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS, timeout: 30000 });
    return await openSession(workbench, browser);
  } catch (error) {
    await browser?.close().catch(() => undefined);
    await workbench.close();
    throw error;
  }
}

async function openSession(workbench: Workbench, browser: Browser): Promise<Session> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, locale: "en-US" });
  const errors: string[] = [];
  const blocked = new Set<string>();
  await routeWorkbench(context, workbench.url, ROOT, (url) => blocked.add(url));
  const pages: Page[] = [];
  return {
    workbench,
    browser,
    context,
    errors,
    async open(pathAndQuery, options = {}) {
      const page = await context.newPage();
      if (options.width !== undefined) await page.setViewportSize({ width: options.width, height: 1000 });
      pages.push(page);
      page.on("console", (message) => {
        if (message.type() !== "error") return;
        const where = message.location().url;
        if (message.text().startsWith("Failed to load resource") && (blocked.has(where) || OFFLINE_HOSTS.test(where))) return;
        errors.push(`${where}: ${message.text()}`);
      });
      page.on("pageerror", (error) => errors.push(`pageerror: ${error.message}`));
      const url = pathAndQuery.startsWith("https://") ? pathAndQuery : `${workbench.url.replace(/\/$/, "")}${pathAndQuery}`;
      await page.goto(url);
      return page;
    },
    async close() {
      try {
        await browser.close();
      } finally {
        await workbench.close();
      }
    },
  };
}

/**
 * One workbench and browser shared by a test file's tests, each of which must end without a console or page error.
 * Call at the top of the file; the returned function gives the running session.
 */
export function useSession(): () => Session {
  let session: Session | undefined;
  // Kept so that afterAll can close a session whose start outlived beforeAll's timeout.
  let starting: Promise<Session | undefined> | undefined;
  beforeAll(async () => {
    starting = startSession();
    session = await starting;
  });
  afterAll(async () => {
    const started = session ?? (await starting?.catch(() => undefined));
    await started?.close();
  });
  afterEach(() => {
    expect(session?.errors).toEqual([]);
    session?.errors.splice(0);
  });
  return () => {
    if (!session) throw new Error("the workbench session has not started");
    return session;
  };
}

/** Waits until the workbench page (top level or framed) has built its screen. */
export async function ready(target: Page | Frame): Promise<void> {
  await target.waitForSelector("body[data-workbench-ready=true]", { timeout: 20000 });
}

/** Reads rows through the page's own Web API, as any client of the app would. */
export async function query<T>(target: Page | Frame, relativeUrl: string): Promise<T[]> {
  return target.evaluate(async (url) => {
    const response = await fetch(url, { headers: { Prefer: 'odata.include-annotations="*"' } });
    if (!response.ok) throw new Error(`${url}: HTTP ${response.status} ${await response.text()}`);
    return ((await response.json()) as { value: unknown[] }).value;
  }, `/api/data/v9.2/${relativeUrl}`) as Promise<T[]>;
}

/** Polls `read` until it returns `expected` (deep equality) or the time is up, then fails with the last value. */
export async function eventually<T>(read: () => Promise<T>, expected: T, timeoutMs = 10000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await read();
  while (JSON.stringify(last) !== JSON.stringify(expected) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    last = await read();
  }
  expect(last).toEqual(expected);
}
