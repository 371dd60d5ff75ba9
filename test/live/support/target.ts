/**
 * Where the live suite sends its requests. By default it starts the in-memory Dataverse (seeded with the sample data)
 * behind a node:http server on 127.0.0.1 and talks to it over real HTTP. With TCC_DATAVERSE_URL set, it talks to that
 * environment instead, with an app-only token from Entra ID (client credentials through @azure/msal-node:
 * TCC_TENANT_ID, TCC_CLIENT_ID, TCC_CLIENT_SECRET).
 *
 * Against a real environment the suite only touches rows it creates: every create goes through `create()`, which
 * records the row, and `cleanUp()` (called from afterAll) deletes them all, newest first, whatever the tests did.
 */
import { randomBytes } from "node:crypto";

export type Mode = "in-memory" | "real";

export interface LiveResponse {
  readonly status: number;
  readonly headers: Headers;
  /** The parsed JSON body (an empty object for an empty or non-JSON one; `text` has it as sent). */
  readonly body: JsonBody;
  readonly text: string;
}

/** A Web API JSON body: a row, a collection (`value`), metadata, or an error (`error`). */
export type JsonBody = Readonly<Record<string, unknown>> & {
  readonly value?: readonly Readonly<Record<string, unknown>>[];
  readonly error?: { readonly code?: unknown; readonly message?: unknown };
};

export interface RequestOptions {
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
}

interface Created {
  readonly entitySet: string;
  readonly id: string;
}

const ID_IN_ENTITY_URL = /\(([0-9a-fA-F-]{36})\)\s*$/;

export class LiveTarget {
  /** Names of rows this run creates start with it, so a leftover row is easy to find and to tell apart. */
  readonly prefix = `tcc-live-${randomBytes(4).toString("hex")}`;
  private readonly created: Created[] = [];
  /** Reasons tests printed for skipping (real mode only), repeated once at the end. */
  readonly skipped: string[] = [];

  private constructor(
    readonly mode: Mode,
    /** The Web API root, ending in `/api/data/v9.2/`. */
    readonly apiUrl: string,
    private readonly token: () => Promise<string | undefined>,
    private readonly stop: () => Promise<void>,
  ) {}

  /** From the environment: a real environment when TCC_DATAVERSE_URL is set, else the in-memory Dataverse. */
  static async start(env: NodeJS.ProcessEnv = process.env): Promise<LiveTarget> {
    const url = env.TCC_DATAVERSE_URL?.trim();
    if (url) return LiveTarget.real(url, env);
    const { createSampleData } = await import("../../../tools/dataverse/sampleData");
    const { startDataverseServer } = await import("../../../tools/dataverse/node/server");
    const server = await startDataverseServer({ store: createSampleData().store });
    return new LiveTarget("in-memory", `${server.url}api/data/v9.2/`, () => Promise.resolve(undefined), () => server.close());
  }

  private static async real(url: string, env: NodeJS.ProcessEnv): Promise<LiveTarget> {
    const missing = ["TCC_TENANT_ID", "TCC_CLIENT_ID", "TCC_CLIENT_SECRET"].filter((name) => !env[name]?.trim());
    if (missing.length > 0) {
      throw new Error(`TCC_DATAVERSE_URL is set, so the live suite targets ${url}, but ${missing.join(", ")} ${missing.length === 1 ? "is" : "are"} not set (see docs/guide.md, "Check a development environment with the live suite").`);
    }
    let origin: string;
    try {
      origin = new URL(url).origin;
    } catch {
      throw new Error(`TCC_DATAVERSE_URL '${url}' is not a URL; give the environment URL, e.g. https://contoso-dev.crm.dynamics.com`);
    }
    if (!origin.startsWith("https://")) throw new Error(`TCC_DATAVERSE_URL '${url}' must be an https URL.`);
    const { ConfidentialClientApplication } = await import("@azure/msal-node");
    const app = new ConfidentialClientApplication({
      auth: {
        clientId: env.TCC_CLIENT_ID!.trim(),
        authority: `https://login.microsoftonline.com/${env.TCC_TENANT_ID!.trim()}`,
        clientSecret: env.TCC_CLIENT_SECRET!,
      },
    });
    // msal-node caches the token and renews it when it nears expiry.
    const token = async (): Promise<string> => {
      const result = await app.acquireTokenByClientCredential({ scopes: [`${origin}/.default`] });
      if (!result?.accessToken) throw new Error(`Entra ID returned no access token for ${origin}/.default`);
      return result.accessToken;
    };
    await token();
    return LiveTarget.connect(`${origin}/api/data/v9.2/`, token);
  }

  /** A real-environment target over a given Web API root and token source (the harness's own tests use it). */
  static connect(apiUrl: string, token: () => Promise<string>): LiveTarget {
    return new LiveTarget("real", apiUrl, token, () => Promise.resolve());
  }

  /** Sends one Web API request; `path` is relative to `/api/data/v9.2/`. */
  async request(method: string, path: string, options: RequestOptions = {}): Promise<LiveResponse> {
    const token = await this.token();
    const headers: Record<string, string> = {
      Accept: "application/json",
      "OData-MaxVersion": "4.0",
      "OData-Version": "4.0",
      ...(options.body !== undefined && { "Content-Type": "application/json; charset=utf-8" }),
      ...(token !== undefined && { Authorization: `Bearer ${token}` }),
      ...options.headers,
    };
    const response = await fetch(`${this.apiUrl}${path}`, {
      method,
      headers,
      ...(options.body !== undefined && { body: JSON.stringify(options.body) }),
    });
    const text = await response.text();
    let body: JsonBody = {};
    if (text !== "") {
      try {
        const parsed = JSON.parse(text) as unknown;
        if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) body = parsed as JsonBody;
      } catch {
        // Not JSON: the caller sees the status and `text`.
      }
    }
    return { status: response.status, headers: response.headers, body, text };
  }

  get(path: string, headers?: Readonly<Record<string, string>>): Promise<LiveResponse> {
    return this.request("GET", path, headers ? { headers } : {});
  }

  /**
   * POSTs a row and records it for clean-up whenever the service created one, whatever the status says, so a
   * request that should have been refused but was not still leaves nothing behind. Returns the response and the id.
   */
  async create(entitySet: string, body: Readonly<Record<string, unknown>>): Promise<{ response: LiveResponse; id: string | undefined }> {
    const response = await this.request("POST", entitySet, { body });
    const id = ID_IN_ENTITY_URL.exec(response.headers.get("OData-EntityId") ?? "")?.[1]?.toLowerCase();
    if (id !== undefined) this.created.push({ entitySet, id });
    return { response, id };
  }

  /** Like `create`, but fails with the service's answer unless the row was created. */
  async mustCreate(entitySet: string, body: Readonly<Record<string, unknown>>): Promise<string> {
    const { response, id } = await this.create(entitySet, body);
    if (response.status !== 204 && response.status !== 201) throw new Error(`POST ${entitySet} answered ${response.status}: ${response.text}`);
    if (id === undefined) throw new Error(`POST ${entitySet} answered ${response.status} without an OData-EntityId header`);
    return id;
  }

  /** Records a row the service created on its own for one of ours (e.g. a business process flow instance). */
  adopt(entitySet: string, id: string): void {
    if (!this.created.some((c) => c.entitySet === entitySet && c.id === id)) this.created.push({ entitySet, id: id.toLowerCase() });
  }

  /**
   * Whether a table exists here. In-memory every table the suite needs does, and a missing one is a failure; in a real
   * environment a table that comes with an app (opportunity with Dynamics 365 Sales) or with our solution
   * (tcc_teamslink) may be absent, and the caller skips with the reason.
   */
  async hasTable(logicalName: string): Promise<boolean> {
    const response = await this.get(`EntityDefinitions(LogicalName='${logicalName}')?$select=LogicalName`);
    if (response.status === 200) return true;
    if (response.status === 404 && this.mode === "real") return false;
    throw new Error(`EntityDefinitions(LogicalName='${logicalName}') answered ${response.status}: ${response.text}`);
  }

  /** Prints why a test did not run (real mode only; the in-memory Dataverse has every table, so nothing skips there). */
  skip(test: string, reason: string): void {
    if (this.mode !== "real") throw new Error(`${test}: the in-memory Dataverse must never skip (${reason})`);
    const line = `SKIPPED ${test}: ${reason}`;
    this.skipped.push(line);
    console.warn(line);
  }

  /** Deletes every row this run created, newest first (children before parents); returns what could not be deleted. */
  async cleanUp(): Promise<string[]> {
    let pending = [...this.created].reverse();
    this.created.length = 0;
    let left: string[] = [];
    // A second pass retries what failed once its parent or child is gone (a 404 then means a cascade removed it).
    for (let pass = 0; pass < 2 && pending.length > 0; pass++) {
      const failed: Created[] = [];
      left = [];
      for (const row of pending) {
        try {
          const response = await this.request("DELETE", `${row.entitySet}(${row.id})`);
          if (response.status === 204 || response.status === 404) continue;
          failed.push(row);
          left.push(`${row.entitySet}(${row.id}): ${response.status} ${response.text.slice(0, 500)}`);
        } catch (e) {
          failed.push(row);
          left.push(`${row.entitySet}(${row.id}): ${(e as Error).message}`);
        }
      }
      pending = failed;
    }
    return left;
  }

  async close(): Promise<void> {
    await this.stop();
  }
}
