/**
 * Scripted failures for the in-memory Dataverse, per table and operation, deterministic by seed: tests and the
 * workbench use them to prove that the controls and flows survive throttling, conflicts, outages and slow networks.
 */
import { DataverseServiceError, ERROR_CODES } from "./errors";
import { SeededRandom } from "./random";

export type Operation = "retrieve" | "retrieveMultiple" | "create" | "update" | "delete";

export type FaultKind =
  /** Delay the response; combines with any other fault. */
  | "latency"
  /** 429 with Retry-After, as service protection limits answer. */
  | "throttle"
  /** A concurrent writer saves the row first: a request carrying its old ETag gets 412. */
  | "conflict"
  /** 500 with Dataverse's generic error. */
  | "serverError"
  /** The request never reaches Dataverse: the fetch promise rejects. */
  | "network";

export interface FaultRule {
  readonly kind: FaultKind;
  /** Logical name; omitted means every table. */
  readonly table?: string;
  /** Omitted means every operation. */
  readonly operation?: Operation;
  /** Chance per matching request, 0..1; default 1. Drawn from the plan's seeded sequence. */
  readonly probability?: number;
  /** How many times the rule fires before it is spent; default unlimited. */
  readonly times?: number;
  readonly latencyMs?: number;
  readonly retryAfterSeconds?: number;
}

export interface FaultDecision {
  readonly latencyMs: number;
  /** The failure to answer with, if any; `conflict` is returned separately because it changes data instead. */
  readonly failure?: "throttle" | "serverError" | "network";
  readonly retryAfterSeconds?: number;
  readonly conflict: boolean;
}

export class NetworkFailure extends TypeError {
  constructor() {
    super("Failed to fetch");
    this.name = "TypeError";
  }
}

export class FaultPlan {
  private readonly rules: { rule: FaultRule; remaining: number }[] = [];
  private random: SeededRandom;

  constructor(seed = 1) {
    this.random = new SeededRandom(seed);
  }

  add(rule: FaultRule): this {
    if (rule.probability !== undefined && (rule.probability < 0 || rule.probability > 1)) {
      throw new Error(`Fault rule probability must be between 0 and 1, got ${rule.probability}`);
    }
    this.rules.push({ rule, remaining: rule.times ?? Number.POSITIVE_INFINITY });
    return this;
  }

  clear(seed?: number): void {
    this.rules.length = 0;
    if (seed !== undefined) this.random = new SeededRandom(seed);
  }

  decide(table: string, operation: Operation): FaultDecision {
    let latencyMs = 0;
    let failure: FaultDecision["failure"];
    let retryAfterSeconds: number | undefined;
    let conflict = false;
    for (const entry of this.rules) {
      const { rule } = entry;
      if (entry.remaining <= 0) continue;
      if (rule.table !== undefined && rule.table !== table) continue;
      if (rule.operation !== undefined && rule.operation !== operation) continue;
      if (rule.probability !== undefined && this.random.next() >= rule.probability) continue;
      if (rule.kind !== "latency" && (failure !== undefined || conflict)) continue;
      entry.remaining--;
      if (rule.kind === "latency") latencyMs += rule.latencyMs ?? 0;
      else if (rule.kind === "conflict") conflict = true;
      else {
        failure = rule.kind;
        retryAfterSeconds = rule.kind === "throttle" ? (rule.retryAfterSeconds ?? 5) : undefined;
      }
    }
    return { latencyMs, conflict, ...(failure && { failure }), ...(retryAfterSeconds !== undefined && { retryAfterSeconds }) };
  }
}

export function failureError(decision: FaultDecision): DataverseServiceError | NetworkFailure | undefined {
  switch (decision.failure) {
    case "throttle":
      return new DataverseServiceError(
        429,
        ERROR_CODES.throttledRequests,
        "Number of requests exceeded the limit of 6000 over time window of 300 seconds.",
        { "Retry-After": String(decision.retryAfterSeconds ?? 5) },
      );
    case "serverError":
      return new DataverseServiceError(500, ERROR_CODES.unexpected, "An unexpected error occurred.");
    case "network":
      return new NetworkFailure();
    default:
      return undefined;
  }
}
