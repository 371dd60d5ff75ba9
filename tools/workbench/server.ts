/**
 * npm start [-- --port N] [--browser]: the local workbench. Builds what is missing (the two controls' production bundles with
 * pcf-scripts, the workbench page with esbuild), then serves on localhost:
 *   / and /main.aspx  the model-driven app page (account and contact forms with CustomerContextPanel, the
 *                     opportunity view with PipelineBoard, the flows panel), over an in-memory Dataverse in the page
 *   /teams            the simulated Teams client framing that page as a tab (`&tab=website`: a Website tab); it logs
 *                     every message the tab posts to it and answers the teams-js protocol only in a Dynamics 365 tab
 *   /platform/*       React 16.14 and Fluent 8.121.1 as platform libraries, Fluent's icon font (/platform/fonts/);
 *                     /controls/<C>/bundle.js the builds
 *   /graph/*          the Microsoft Graph stand-in the flows' Teams connector talks to; /workbench/graph/made?team=&chat=
 *                     what the flows made there (graphState.ts), for the flows page's Teams view
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import { CONTROLS } from "../build/build";
import { runPcfBuild } from "../build/pcfBuild";
import { loadConnectorSwagger, startGraphStandIn, type GraphStandIn, type StandInUser } from "../connector";
import { readControlStrings } from "../dataverse/node/resx";
import { bundlePages, type PageBundles } from "./bundle";
import { madeInTeams, type MadeInTeams } from "./graphState";
import { appHtml, teamsHtml } from "./html";
import { APP_ORIGIN, APP_PATH } from "./origins";

export interface WorkbenchOptions {
  readonly root: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly log?: (line: string) => void;
}

export interface Workbench {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

const REPO_ROOT = path.resolve(__dirname, "../..");

function bundlePath(root: string, control: string): string {
  return path.join(root, "components", control, "out", "controls", control, "bundle.js");
}

const PLATFORM: Readonly<Record<string, string>> = {
  "react.js": "node_modules/react/umd/react.production.min.js",
  "react-dom.js": "node_modules/react-dom/umd/react-dom.production.min.js",
  "fluent.js": "node_modules/pcf-start/lib/fluent_8_121_1.js",
};

/** Fluent's MDL2 icon font, which the page registers as the model-driven host does (html.ts). */
const ICON_FONTS = "node_modules/@fluentui/font-icons-mdl2/fonts";

const FLOW_KINDS = ["Customeronboarding", "Dealescalation"] as const;

function flowFile(root: string, kind: string): string | undefined {
  const dir = path.join(root, "flows");
  const name = readdirSync(dir).find((f) => f.includes(`-${kind}-`) && f.endsWith(".json"));
  return name === undefined ? undefined : path.join(dir, name);
}

/**
 * The largest request body the workbench reads: 1 MiB. Its bodies are the page's sample users for the Graph session and
 * the flows' Graph requests (a chat message, a team template), a few KiB each; anything larger is refused with 413.
 */
export const MAX_REQUEST_BODY_BYTES = 1024 * 1024;

/** A request body above the bound, by its Content-Length or by what arrived. */
export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`request body larger than ${limit} bytes`);
    this.name = "BodyTooLargeError";
  }
}

/** A request the workbench cannot use: answered 400 with the reason. */
export class BadRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BadRequestError";
  }
}

/** Reads a body of at most `limit` bytes; refuses a larger one as soon as its header or its bytes say so. */
export async function readBody(request: http.IncomingMessage, limit = MAX_REQUEST_BODY_BYTES): Promise<string> {
  const declared = Number(request.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limit) throw new BodyTooLargeError(limit);
  // Events rather than `for await`: leaving that loop would destroy the request, and with it the socket the 413 needs.
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      request.off("data", onData);
      request.off("end", onEnd);
      chunks.length = 0;
      reject(new BodyTooLargeError(limit));
    };
    const onEnd = () => resolve(Buffer.concat(chunks).toString("utf8"));
    request.on("data", onData);
    request.once("end", onEnd);
    request.once("error", reject);
  });
}

/**
 * Answers a request whose handling failed: 413 for a body over the bound (the rest of it is discarded unread and the
 * connection closed), 400 for a body the workbench cannot parse, 500 (logged with its stack) for anything else.
 */
export function answerError(request: http.IncomingMessage, response: http.ServerResponse, e: unknown, log: (line: string) => void): void {
  if (e instanceof BodyTooLargeError) {
    // Reading on without keeping anything lets the client finish sending and read the answer instead of a reset.
    request.resume();
    if (response.headersSent) return void response.end();
    response.writeHead(413, { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store", Connection: "close" });
    response.end(`workbench: ${e.message}`);
    return;
  }
  if (e instanceof BadRequestError) {
    if (response.headersSent) return void response.end();
    return send(response, 400, "text/plain; charset=utf-8", `workbench: ${e.message}`);
  }
  log(`workbench: ${request.method} ${request.url}: ${(e as Error).stack ?? String(e)}`);
  if (!response.headersSent) send(response, 500, "text/plain; charset=utf-8", `workbench: ${(e as Error).message}`);
  else response.end();
}

export function parseGraphSession(text: string): { users: StandInUser[]; signedInUserId: string } {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (e) {
    throw new BadRequestError(`graph session: the body is not JSON (${(e as Error).message})`);
  }
  const session = body as { users?: unknown; signedInUserId?: unknown } | null;
  if (typeof session !== "object" || session === null || !Array.isArray(session.users) || typeof session.signedInUserId !== "string") {
    throw new BadRequestError("graph session: the body must be {\"users\": [...], \"signedInUserId\": \"...\"}");
  }
  return session as { users: StandInUser[]; signedInUserId: string };
}

function send(response: http.ServerResponse, status: number, type: string, body: string | Buffer): void {
  response.writeHead(status, { "Content-Type": type, "Cache-Control": "no-store" });
  response.end(body);
}

/** The Graph stand-in is restarted with the page's users whenever the page's sample data changes. */
class GraphSession {
  private standIn: GraphStandIn | undefined;

  async reset(users: StandInUser[], signedInUserId: string): Promise<void> {
    await this.standIn?.close();
    this.standIn = undefined;
    this.standIn = await startGraphStandIn({ users, signedInUserId, asyncPolls: 1 });
  }

  async proxy(request: http.IncomingMessage, response: http.ServerResponse, pathAndQuery: string): Promise<void> {
    if (this.standIn === undefined) {
      send(response, 503, "application/json", JSON.stringify({ error: { code: "ServiceNotAvailable", message: "The Graph stand-in starts when the flows panel first runs a flow (POST /workbench/graph/session)." } }));
      return;
    }
    const body = await readBody(request);
    const target = new URL(pathAndQuery, this.standIn.baseUrl);
    const headers: http.OutgoingHttpHeaders = {};
    for (const name of ["authorization", "content-type", "accept"]) if (request.headers[name] !== undefined) headers[name] = request.headers[name];
    await new Promise<void>((resolve) => {
      const outgoing = http.request(target, { method: request.method, headers }, (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
        answer.on("end", resolve);
      });
      outgoing.on("error", (e) => {
        send(response, 502, "application/json", JSON.stringify({ error: { code: "BadGateway", message: `Graph stand-in: ${e.message}` } }));
        resolve();
      });
      outgoing.end(body === "" ? undefined : body);
    });
  }

  /** The team and chat the flows made, as the stand-in holds them now (nothing before the first run). */
  made(ids: { team?: string; chat?: string }): MadeInTeams {
    return this.standIn === undefined ? {} : madeInTeams(this.standIn, ids);
  }

  close(): Promise<void> {
    return this.standIn?.close() ?? Promise.resolve();
  }
}

/**
 * Builds only the controls whose bundle is missing: pcf-scripts `rebuild` empties a control's out/ first, so
 * rebuilding one that is there would take it away from anyone serving or testing it meanwhile.
 */
export async function buildMissingControls(root: string, log: (line: string) => void = () => undefined): Promise<void> {
  const missing = CONTROLS.filter((c) => !existsSync(bundlePath(root, c)));
  if (missing.length === 0) return;
  log(`building ${missing.join(" and ")} with pcf-scripts (no bundle in components/<control>/out) …`);
  const results = await Promise.all(missing.map((c) => runPcfBuild(path.join(root, "components", c))));
  results.forEach((result, i) => {
    if (result.ok) return;
    // pcf-scripts prints the failing step last: its tail names the file, line and rule.
    const tail = result.output.trimEnd().split("\n").slice(-40).join("\n");
    throw new Error(`workbench: components/${missing[i]}: pcf-scripts build failed, so its bundle is missing:\n${tail}`);
  });
}

export async function startWorkbench(options: WorkbenchOptions): Promise<Workbench> {
  const { root } = options;
  const log = options.log ?? (() => undefined);
  await buildMissingControls(root, log);
  const pages: PageBundles = await bundlePages(root);
  const graph = new GraphSession();
  const swagger = JSON.stringify(loadConnectorSwagger(path.join(root, "connector")));
  let origin = "";

  const handle = async (request: http.IncomingMessage, response: http.ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? "/", "http://workbench");
    const p = url.pathname;
    if (p === "/" || p === "/index.html" || p === APP_PATH) return send(response, 200, "text/html; charset=utf-8", appHtml());
    if (p === "/teams") return send(response, 200, "text/html; charset=utf-8", teamsHtml(origin));
    if (p === "/workbench/app.js") return send(response, 200, "text/javascript; charset=utf-8", pages.app);
    if (p === "/workbench/teams.js") return send(response, 200, "text/javascript; charset=utf-8", pages.teams);
    const platform = /^\/platform\/([a-z-]+\.js)$/.exec(p)?.[1];
    if (platform !== undefined && PLATFORM[platform] !== undefined) {
      return send(response, 200, "text/javascript; charset=utf-8", readFileSync(path.join(root, PLATFORM[platform])));
    }
    const font = /^\/platform\/fonts\/(fabric-icons[-a-z0-9]*\.woff)$/.exec(p)?.[1];
    if (font !== undefined && existsSync(path.join(root, ICON_FONTS, font))) {
      response.writeHead(200, { "Content-Type": "font/woff", "Cache-Control": "max-age=3600" });
      return void response.end(readFileSync(path.join(root, ICON_FONTS, font)));
    }
    const control = /^\/controls\/([A-Za-z]+)\/bundle\.js$/.exec(p)?.[1];
    if (control !== undefined && CONTROLS.includes(control)) {
      return send(response, 200, "text/javascript; charset=utf-8", readFileSync(bundlePath(root, control)));
    }
    const strings = /^\/workbench\/strings\/([A-Za-z]+)\/(1033|2052)\.json$/.exec(p);
    if (strings && CONTROLS.includes(strings[1])) {
      const language = strings[2] === "2052" ? 2052 : 1033;
      return send(response, 200, "application/json; charset=utf-8", JSON.stringify(readControlStrings(strings[1], language, root)));
    }
    const flow = /^\/workbench\/flows\/([A-Za-z]+)\.json$/.exec(p)?.[1];
    if (flow !== undefined && (FLOW_KINDS as readonly string[]).includes(flow)) {
      const file = flowFile(root, flow);
      if (file !== undefined) return send(response, 200, "application/json; charset=utf-8", readFileSync(file));
    }
    if (p === "/workbench/connector/swagger.json") return send(response, 200, "application/json; charset=utf-8", swagger);
    if (p === "/workbench/graph/session" && request.method === "POST") {
      const body = parseGraphSession(await readBody(request));
      await graph.reset(body.users, body.signedInUserId);
      return send(response, 204, "text/plain", "");
    }
    if (p === "/workbench/graph/made") {
      const ids = { team: url.searchParams.get("team") ?? undefined, chat: url.searchParams.get("chat") ?? undefined };
      return send(response, 200, "application/json; charset=utf-8", JSON.stringify(graph.made(ids)));
    }
    if (p.startsWith("/graph/")) return graph.proxy(request, response, `${p.slice("/graph".length)}${url.search}`);
    if (p === "/favicon.ico") return send(response, 204, "image/x-icon", "");
    send(response, 404, "text/plain; charset=utf-8", `workbench: nothing at ${p}`);
  };

  const server = http.createServer((request, response) => {
    handle(request, response).catch((e: unknown) => answerError(request, response, e, log));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/`,
    port,
    close: async () => {
      await graph.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function portOf(argv: readonly string[]): number {
  const i = argv.indexOf("--port");
  const raw = i >= 0 ? argv[i + 1] : process.env.PORT;
  if (raw === undefined || raw === "") return 8080;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`workbench: port '${raw}' (from ${i >= 0 ? "--port" : "PORT"}) is not a port number`);
  return port;
}

/** --browser: open Chromium with the Teams and Dynamics 365 origins routed here; it closes the workbench on exit. */
async function openBrowser(workbench: Workbench): Promise<void> {
  const { openWorkbenchBrowser } = await import("./browser");
  const browser = await openWorkbenchBrowser(workbench.url, REPO_ROOT);
  console.log(`Chromium opened on ${APP_ORIGIN}${APP_PATH} (routed to the workbench); "Open inside Teams" frames it in the simulated Teams client at its Teams origin`);
  browser.on("disconnected", () => void workbench.close());
}

if (require.main === module) {
  process.env.PP_TOOLS_TELEMETRY_OPTOUT ??= "true";
  const argv = process.argv.slice(2);
  void startWorkbench({ root: REPO_ROOT, port: portOf(argv), log: (line) => console.log(line) })
    .then(async (workbench) => {
      console.log(`Workbench: ${workbench.url}`);
      console.log(`Inside Teams: ${workbench.url}teams (its http origin is no Teams origin, so the controls run as outside Teams there; npm start -- --browser opens a Chromium where Teams is at its own origin)`);
      if (argv.includes("--browser")) {
        await openBrowser(workbench).catch(async (e: unknown) => {
          await workbench.close();
          throw e;
        });
      }
      return workbench;
    })
    .catch((e: unknown) => {
      console.error((e as Error).message);
      process.exitCode = 1;
    });
}
