/**
 * One error type for every way a Dataverse call fails — Web API error bodies, HTTP statuses, PCF `webAPI`
 * rejections and network failures — so the UI decides what to tell the user from `kind` alone.
 */

export type DataverseErrorKind =
  /** 412: someone saved the row after we read it; reload and let the user decide. */
  | "concurrency"
  /** 429: service protection limits; wait `retryAfterMs` and retry. */
  | "throttled"
  | "notFound"
  /** 401/403: missing privilege. */
  | "forbidden"
  /** 400: the request or data is invalid; retrying the same request will not help. */
  | "invalid"
  /** FetchXML aggregate over more than 50,000 rows. */
  | "aggregateLimit"
  | "server"
  | "network"
  | "unknown";

export class DataverseError extends Error {
  constructor(
    readonly kind: DataverseErrorKind,
    message: string,
    readonly status?: number,
    /** Dataverse's error code as a lower-case hex string, e.g. `0x80060882`. */
    readonly code?: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = "DataverseError";
  }

  /** Whether sending the same request again later can succeed without the user doing anything. */
  get retryable(): boolean {
    return this.kind === "throttled" || this.kind === "network" || (this.kind === "server" && this.status !== 501);
  }
}

/** Resource keys for the user-facing message of each kind; each control's resx must define them in 1033 and 2052. */
export const DATAVERSE_ERROR_MESSAGE_KEYS = {
  concurrency: "DataverseError_Concurrency",
  throttled: "DataverseError_Throttled",
  notFound: "DataverseError_NotFound",
  forbidden: "DataverseError_Forbidden",
  invalid: "DataverseError_Invalid",
  aggregateLimit: "DataverseError_AggregateLimit",
  server: "DataverseError_Server",
  network: "DataverseError_Network",
  unknown: "DataverseError_Unknown",
} as const satisfies Readonly<Record<DataverseErrorKind, string>>;

const KIND_BY_CODE: Readonly<Record<string, DataverseErrorKind>> = {
  "0x80060882": "concurrency",
  "0x80072322": "throttled",
  "0x80072321": "throttled",
  "0x80072326": "throttled",
  "0x80040217": "notFound",
  "0x80040220": "forbidden",
  "0x8004e023": "aggregateLimit",
  "0x80040203": "invalid",
  "0x80060888": "invalid",
  "0x8004431a": "invalid",
  "0x80044331": "invalid",
  "0x80040237": "invalid",
  // Dataverse's generic server-side failure; PCF's webAPI reports it without an HTTP status.
  "0x80040216": "server",
};

function kindOfStatus(status: number): DataverseErrorKind {
  if (status === 412) return "concurrency";
  if (status === 429) return "throttled";
  if (status === 404) return "notFound";
  if (status === 401 || status === 403) return "forbidden";
  if (status >= 400 && status < 500) return "invalid";
  if (status >= 500) return "server";
  return "unknown";
}

/** `0x8004e023` from `"0x8004E023"`, `2147803171` or `-2147164125`. */
export function normaliseErrorCode(code: string | number): string {
  if (typeof code === "number") return `0x${(code >>> 0).toString(16).padStart(8, "0")}`;
  return code.toLowerCase();
}

/** Retry-After is either delta-seconds or an HTTP date. */
export function parseRetryAfter(header: string | null | undefined, now: number = Date.now()): number | undefined {
  if (header === null || header === undefined || header.trim() === "") return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function errorBody(text: string): { code?: string; message?: string } {
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === "object" && parsed !== null && "error" in parsed) {
      const error = (parsed).error;
      if (typeof error === "object" && error !== null) {
        const { code, message } = error as { code?: unknown; message?: unknown };
        return {
          ...(typeof code === "string" && { code }),
          ...(typeof message === "string" && { message }),
        };
      }
    }
  } catch {
    // Not JSON (a gateway's HTML error page, for example): the status alone decides.
  }
  return {};
}

export function fromHttpResponse(status: number, bodyText: string, retryAfter?: string | null): DataverseError {
  const body = errorBody(bodyText);
  const code = body.code === undefined ? undefined : normaliseErrorCode(body.code);
  const kind = (code !== undefined ? KIND_BY_CODE[code] : undefined) ?? kindOfStatus(status);
  const message = body.message ?? `Dataverse answered HTTP ${status}`;
  return new DataverseError(kind, message, status, code, kind === "throttled" ? parseRetryAfter(retryAfter) : undefined);
}

/** Maps anything a Dataverse call can throw: our own errors, PCF `webAPI` rejections, `fetch` network failures. */
export function toDataverseError(error: unknown): DataverseError {
  if (error instanceof DataverseError) return error;
  if (error instanceof TypeError) return new DataverseError("network", error.message);
  if (typeof error === "object" && error !== null) {
    const { errorCode, message, status } = error as { errorCode?: unknown; message?: unknown; status?: unknown };
    const text = typeof message === "string" ? message : "Dataverse request failed";
    if (typeof errorCode === "number" || typeof errorCode === "string") {
      const code = normaliseErrorCode(errorCode);
      const kind = KIND_BY_CODE[code] ?? (typeof status === "number" ? kindOfStatus(status) : "unknown");
      return new DataverseError(kind, text, typeof status === "number" ? status : undefined, code);
    }
    if (typeof status === "number") return new DataverseError(kindOfStatus(status), text, status);
    if (error instanceof Error) return new DataverseError("unknown", error.message);
  }
  return new DataverseError("unknown", String(error));
}
