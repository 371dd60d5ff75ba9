/**
 * The in-memory Dataverse over real HTTP: a node:http server on 127.0.0.1 that passes every request to an
 * `InMemoryWebApi` and writes its answer back unchanged. The live suite (test/live) talks to it exactly as it talks to
 * a real environment. (The workbench keeps its Dataverse inside the page, so it has no such server to reuse.)
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { InMemoryWebApi } from "../webApiHandler";
import type { DataverseStore } from "../store";

/** Dataverse's own ceiling for a request body is far larger; 16 MiB is plenty for tests and refuses runaway input. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;

export interface DataverseServer {
  /** `http://127.0.0.1:<port>/`: the organisation URL; the Web API is under `api/data/v9.2/`. */
  readonly url: string;
  readonly api: InMemoryWebApi;
  close(): Promise<void>;
}

export interface DataverseServerOptions {
  readonly store: DataverseStore;
  /** 0 (the default) picks a free port. */
  readonly port?: number;
}

async function readBody(request: http.IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error(`request body larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  return size === 0 ? undefined : Buffer.concat(chunks).toString("utf8");
}

function headersOf(request: http.IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}

/** Starts the server; the caller must `close()` it. */
export async function startDataverseServer(options: DataverseServerOptions): Promise<DataverseServer> {
  let origin = "";
  // The API's base URL needs the port, which is known once the server listens; requests cannot arrive before that.
  const holder: { api?: InMemoryWebApi } = {};
  const server = http.createServer((request, response) => {
    void (async () => {
      try {
        const body = await readBody(request);
        const answer = await holder.api!.handle({ method: request.method ?? "GET", url: `${origin}${request.url ?? "/"}`, headers: headersOf(request), body });
        response.writeHead(answer.status, answer.headers);
        response.end(answer.body);
      } catch (e) {
        // handle() rejects only for an injected network failure: drop the connection as a network would.
        if (!response.headersSent && !(e instanceof TypeError)) {
          response.writeHead(500, { "Content-Type": "text/plain; charset=utf-8" });
          response.end((e as Error).message);
        } else {
          response.destroy();
        }
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const api = new InMemoryWebApi({ store: options.store, baseUrl: `${origin}/api/data/v9.2/` });
  holder.api = api;
  return {
    url: `${origin}/`,
    api,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
