/**
 * Moving a card between lanes: who may move what, and the save state machine. A move shows at once (optimistic),
 * is saved with the etag the card was loaded with, and the board only keeps showing it while Dataverse agrees:
 * 412 shows the server's truth, 429 waits for Retry-After (bounded) and tries again, anything else puts the card
 * back. A card with a save in flight cannot be moved again, so no change is lost or applied twice.
 */
import type { Lane } from "./lanes";

export type LaneColumnKind = "choice" | "state" | "status";

export interface MovePermissions {
  readonly controlDisabled: boolean;
  /** The maker's `allowMove` input. */
  readonly allowMove: boolean;
  /** The user's write privilege on the table. */
  readonly canWrite: boolean;
}

export type BoardRefusal = "disabled" | "turnedOff" | "noPrivilege";
export type MoveRefusal = BoardRefusal | "dialog" | "saving" | "sameLane" | "unknownLane";

/** Why no card on the board can move, or null when moving is on. */
export function boardMoveRefusal(permissions: MovePermissions): BoardRefusal | null {
  if (permissions.controlDisabled) return "disabled";
  if (!permissions.allowMove) return "turnedOff";
  if (!permissions.canWrite) return "noPrivilege";
  return null;
}

/**
 * Why this move is not written, or null when it may be. Changing the state (closing an opportunity as won or lost,
 * deactivating a row) goes through Dataverse's own dialogs and messages, never through a silent update.
 */
export function moveRefusal(
  permissions: MovePermissions,
  kind: LaneColumnKind,
  from: Lane | undefined,
  to: Lane,
  saving: boolean,
): MoveRefusal | null {
  const board = boardMoveRefusal(permissions);
  if (board) return board;
  if (saving) return "saving";
  if (from?.key === to.key) return "sameLane";
  if (to.unknown) return "unknownLane";
  if (kind === "state") return "dialog";
  if (kind === "status" && (to.value === null || from?.state !== to.state)) return "dialog";
  return null;
}

/** The fields of a Dataverse failure the move logic decides on (`DataverseError` from `@tcc/common` has them). */
export interface FailureFacts {
  readonly kind: string;
  readonly retryAfterMs?: number;
  /** Why the services refused the move themselves (a business process rule), already in the user's language. */
  readonly reason?: string;
}

export function failureFactsOf(error: unknown): FailureFacts {
  if (typeof error === "object" && error !== null) {
    const { kind, retryAfterMs, reason } = error as { kind?: unknown; retryAfterMs?: unknown; reason?: unknown };
    if (typeof kind === "string") {
      return { kind, ...(typeof retryAfterMs === "number" && { retryAfterMs }), ...(typeof reason === "string" && reason !== "" && { reason }) };
    }
  }
  return { kind: "unknown" };
}

export interface ServerTruth {
  readonly laneValue: number | null;
  readonly etag?: string;
}

export interface MoveServices {
  /**
   * Writes the lane value; with an etag, Dataverse must refuse (412) if the row changed since. Without one (a host
   * that cannot add the version column), the lane the card was loaded with stands in for it.
   */
  save(id: string, laneValue: number | null, etag: string | undefined, loadedLane: number | null): Promise<void>;
  /** The row's current lane value and etag. */
  reload(id: string): Promise<ServerTruth>;
  sleep(ms: number): Promise<void>;
}

export interface RetryPolicy {
  readonly maxThrottleRetries: number;
  /** A Retry-After longer than this is not waited for: the move is given up and the card goes back. */
  readonly maxDelayMs: number;
  /** Used when a 429 carries no Retry-After. */
  readonly defaultDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxThrottleRetries: 3, maxDelayMs: 30_000, defaultDelayMs: 2_000 };

export interface MovableCard {
  readonly id: string;
  readonly laneValue: number | null;
  readonly etag?: string;
}

export type MoveEvent =
  | { readonly type: "moved"; readonly id: string; readonly from: number | null; readonly to: number | null }
  | { readonly type: "retrying"; readonly id: string; readonly delayMs: number }
  | { readonly type: "saved"; readonly id: string; readonly laneValue: number | null }
  | { readonly type: "conflict"; readonly id: string; readonly laneValue: number | null }
  | { readonly type: "failed"; readonly id: string; readonly laneValue: number | null; readonly errorKind: string; readonly reason?: string };

export type MoveOutcome = Extract<MoveEvent, { type: "saved" | "conflict" | "failed" }>;

interface Override {
  readonly laneValue: number | null;
  readonly etag?: string;
  readonly saving: boolean;
}

/** `42` from `W/"42"`; the row version, which only grows. */
export function versionOfEtag(etag: string | undefined): number | undefined {
  const match = etag === undefined ? null : /^W\/"(\d+)"$/.exec(etag);
  return match ? Number(match[1]) : undefined;
}

/**
 * Holds what the board shows over the loaded data: moves in flight and saved moves the dataset has not caught up
 * with. Decisions are here; React only subscribes.
 */
export class MoveController {
  private readonly overrides = new Map<string, Override>();
  private readonly listeners = new Set<() => void>();
  private changes = 0;

  constructor(
    private readonly services: MoveServices,
    private readonly onEvent: (event: MoveEvent) => void = () => undefined,
    private readonly policy: RetryPolicy = DEFAULT_RETRY_POLICY,
  ) {}

  /** Grows on every change, so a React hook can tell that the board needs to re-render. */
  get version(): number {
    return this.changes;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  laneOf(card: MovableCard): number | null {
    const override = this.overrides.get(card.id);
    return override ? override.laneValue : card.laneValue;
  }

  etagOf(card: MovableCard): string | undefined {
    const override = this.overrides.get(card.id);
    return override ? override.etag : card.etag;
  }

  isSaving(id: string): boolean {
    return this.overrides.get(id)?.saving ?? false;
  }

  /** Cards with a save in flight. */
  savingIds(): string[] {
    const ids: string[] = [];
    for (const [id, override] of this.overrides) if (override.saving) ids.push(id);
    return ids;
  }

  get hasPendingSaves(): boolean {
    for (const override of this.overrides.values()) if (override.saving) return true;
    return false;
  }

  /**
   * Loaded cards whose shown lane differs from their loaded lane, for regrouping and shifting whole-view totals.
   * Walks the moves, not the cards, so its cost does not grow with the board.
   */
  movedCards<C extends MovableCard>(cardsById: ReadonlyMap<string, C>): { card: C; from: number | null; to: number | null }[] {
    const moved: { card: C; from: number | null; to: number | null }[] = [];
    for (const [id, override] of this.overrides) {
      const card = cardsById.get(id);
      if (card && override.laneValue !== card.laneValue) moved.push({ card, from: card.laneValue, to: override.laneValue });
    }
    return moved;
  }

  /**
   * Fresh data arrived: forget settled overrides the data has caught up with (same or newer row version, or the
   * same lane when versions are unknown). Saves in flight are always kept.
   */
  reconcile(cards: readonly MovableCard[]): void {
    let changed = false;
    for (const card of cards) {
      const override = this.overrides.get(card.id);
      if (!override || override.saving) continue;
      const loaded = versionOfEtag(card.etag);
      const ours = versionOfEtag(override.etag);
      const caughtUp = loaded !== undefined && ours !== undefined ? loaded >= ours : card.laneValue === override.laneValue;
      if (caughtUp) {
        this.overrides.delete(card.id);
        changed = true;
      }
    }
    if (changed) this.changed();
  }

  /** Callers check `moveRefusal` first; a second move of a card still saving is refused here too. */
  async move(card: MovableCard, to: number | null): Promise<MoveOutcome> {
    const from = this.laneOf(card);
    const etag = this.etagOf(card);
    if (this.isSaving(card.id)) {
      return { type: "failed", id: card.id, laneValue: from, errorKind: "saving" };
    }
    const before = this.overrides.get(card.id);
    this.set(card.id, { laneValue: to, ...(etag !== undefined && { etag }), saving: true });
    this.onEvent({ type: "moved", id: card.id, from, to });
    for (let attempt = 0; ; attempt++) {
      try {
        await this.services.save(card.id, to, etag, from);
        return this.finish(await this.afterSave(card.id, to, etag));
      } catch (error) {
        const facts = failureFactsOf(error);
        if (facts.kind === "throttled" && attempt < this.policy.maxThrottleRetries) {
          const delayMs = Math.max(0, facts.retryAfterMs ?? this.policy.defaultDelayMs);
          if (delayMs <= this.policy.maxDelayMs) {
            this.onEvent({ type: "retrying", id: card.id, delayMs });
            await this.services.sleep(delayMs);
            continue;
          }
        }
        if (facts.kind === "concurrency") return this.finish(await this.afterConflict(card.id, from, before));
        this.restore(card.id, before);
        return this.finish({ type: "failed", id: card.id, laneValue: from, errorKind: facts.kind, ...(facts.reason !== undefined && { reason: facts.reason }) });
      }
    }
  }

  private async afterSave(id: string, to: number | null, etag: string | undefined): Promise<MoveOutcome> {
    try {
      const truth = await this.services.reload(id);
      this.set(id, { laneValue: truth.laneValue, ...(truth.etag !== undefined && { etag: truth.etag }), saving: false });
      return { type: "saved", id, laneValue: truth.laneValue };
    } catch {
      // Saved, but the new etag is unknown. Keeping the old one makes a next move of this card meet a 412 and show
      // the server's truth: safe, where dropping it would let that move overwrite someone else's change.
      this.set(id, { laneValue: to, ...(etag !== undefined && { etag }), saving: false });
      return { type: "saved", id, laneValue: to };
    }
  }

  private async afterConflict(id: string, from: number | null, before: Override | undefined): Promise<MoveOutcome> {
    try {
      const truth = await this.services.reload(id);
      this.set(id, { laneValue: truth.laneValue, ...(truth.etag !== undefined && { etag: truth.etag }), saving: false });
      return { type: "conflict", id, laneValue: truth.laneValue };
    } catch (error) {
      this.restore(id, before);
      return { type: "failed", id, laneValue: from, errorKind: failureFactsOf(error).kind };
    }
  }

  private finish(outcome: MoveOutcome): MoveOutcome {
    this.onEvent(outcome);
    return outcome;
  }

  private restore(id: string, before: Override | undefined): void {
    if (before) this.set(id, { ...before, saving: false });
    else {
      this.overrides.delete(id);
      this.changed();
    }
  }

  private set(id: string, override: Override): void {
    this.overrides.set(id, override);
    this.changed();
  }

  private changed(): void {
    this.changes++;
    for (const listener of this.listeners) listener();
  }
}
