/**
 * What a flow run made, or why it made nothing, read from the run itself: the team or chat id it created or found
 * (its variables and the Customer_team / Deal_room outputs) and, for a run that stopped early or took the "not ours"
 * branch, the condition that decided it. Pure; the flows page shows it beside the run tree.
 */
import type { JsonValue } from "../flow/expressions";
import type { RunResult } from "../flow/runner";

export type FlowKind = "Customeronboarding" | "Dealescalation";

export type NothingReason =
  | { readonly code: "belowThreshold"; readonly value: number; readonly threshold: number }
  | { readonly code: "notOpen" }
  | { readonly code: "dealRoomExists" | "dealRoomOpening" | "teamExists" | "teamProvisioning" }
  | { readonly code: "stopped"; readonly action: string; readonly message: string };

export interface RunOutcome {
  /** The customer team the run created or found on the account's link. */
  readonly teamId?: string;
  /** The deal-room chat the run created or found on the opportunity's link. */
  readonly chatId?: string;
  /** Whether this run created it (false: it was there before). */
  readonly created: boolean;
  readonly reason?: NothingReason;
}

const ACTIVE = 615300001;
const PROVISIONING = 615300000;

const record = (v: JsonValue | undefined): Record<string, JsonValue> => (typeof v === "object" && v !== null && !Array.isArray(v) ? v : {});
const text = (v: JsonValue | undefined): string => (typeof v === "string" ? v : "");

function lastRun(result: RunResult, name: string) {
  return [...result.actions].reverse().find((a) => a.name === name);
}

function conditionWas(result: RunResult, name: string): boolean | undefined {
  const v = record(lastRun(result, name)?.outputs).expression;
  return typeof v === "boolean" ? v : undefined;
}

/** The Terminate action that ended the run, if one did. */
function terminated(result: RunResult): NothingReason | undefined {
  const stop = [...result.actions].reverse().find((a) => a.type === "Terminate" && a.status !== "Skipped");
  if (stop === undefined) return undefined;
  return { code: "stopped", action: stop.name, message: result.error?.message ?? "" };
}

export function runOutcome(kind: FlowKind, result: RunResult, threshold: number): RunOutcome {
  if (kind === "Dealescalation") {
    const chatVariable = text(result.variables["Deal room chat"]);
    if (conditionWas(result, "Is_a_large_open_deal") === false) {
      const deal = record(record(lastRun(result, "Get_deal")?.outputs).body);
      if (deal.statecode !== 0) return { created: false, reason: { code: "notOpen" } };
      const value = typeof deal.estimatedvalue_base === "number" ? deal.estimatedvalue_base : 0;
      return { created: false, reason: { code: "belowThreshold", value, threshold } };
    }
    const room = record(lastRun(result, "Deal_room")?.outputs);
    if (conditionWas(result, "Deal_room_is_ours") === false) {
      const chatId = text(room.chatId);
      return { ...(chatId !== "" && { chatId }), created: false, reason: { code: room.status === PROVISIONING ? "dealRoomOpening" : room.status === ACTIVE ? "dealRoomExists" : "dealRoomExists" } };
    }
    const created = lastRun(result, "Create_deal_room")?.status === "Succeeded";
    const stop = terminated(result);
    return { ...(chatVariable !== "" && { chatId: chatVariable }), created, ...(stop !== undefined && { reason: stop }) };
  }
  const teamVariable = text(result.variables["Team id"]);
  const link = record(lastRun(result, "Customer_team")?.outputs);
  if (conditionWas(result, "Customer_team_is_ours") === false) {
    const teamId = text(link.teamId);
    return { ...(teamId !== "" && { teamId }), created: false, reason: { code: link.status === PROVISIONING ? "teamProvisioning" : "teamExists" } };
  }
  const created = lastRun(result, "Create_team")?.status === "Succeeded";
  const stop = terminated(result);
  return { ...(teamVariable !== "" && { teamId: teamVariable }), created, ...(stop !== undefined && { reason: stop }) };
}
