/**
 * The workbench's switches as they live in the page's query string, so every state is a link: language, data size,
 * screen, record and faults. Pure, shared by the page and the tests.
 */
import type { FaultRule } from "../dataverse/faults";

export type Screen = "account" | "contact" | "opportunities" | "flows";
export type FaultSwitch = "latency" | "429" | "412" | "500" | "offline";
export type Language = 1033 | 2052;
/** Where the board's lanes come from: the sales stage choice column, or the stages of the Opportunity Sales Process. */
export type LaneSource = "choice" | "stages";
export type AppTheme = "light" | "dark";

export interface WorkbenchSettings {
  readonly language: Language;
  /** Opportunities in the sample data, 200 to 100,000. */
  readonly size: number;
  readonly screen: Screen;
  /** Row id of the account or contact the form shows; the first one when absent. */
  readonly record?: string;
  readonly faults: readonly FaultSwitch[];
  /**
   * Milliseconds every Dataverse request spends "on the wire" before the in-memory Dataverse answers it. The
   * workbench's Dataverse runs in the page; with a round trip its work (aggregates over every row, metadata) runs
   * when a real server's answer would arrive instead of inside the frame that asked. 0 answers at once.
   */
  readonly roundTripMs: number;
  /** Lanes of the opportunity board; "choice" (the default) is what the benchmark and the other browser tests measure. */
  readonly lanes: LaneSource;
  /** The model-driven app's modern theme, which the controls receive as PCF `fluentDesignLanguage`. */
  readonly appTheme: AppTheme;
}

export const SIZES = [200, 1000, 5000, 20000, 100000] as const;
export const MIN_SIZE = 200;
export const MAX_SIZE = 100000;
export const SCREENS: readonly Screen[] = ["account", "contact", "opportunities", "flows"];
export const FAULT_SWITCHES: readonly FaultSwitch[] = ["latency", "429", "412", "500", "offline"];
/** Injected latency per request. */
export const LATENCY_MS = 800;
export const MAX_ROUND_TRIP_MS = 5000;
/** The business process flow whose stages are the lanes with `lanes=stages`, as the sample data seeds it. */
export const STAGE_LANES_FLOW = "opportunitysalesprocess";

const WRITES = ["create", "update", "delete"] as const;

export function parseSettings(search: string): WorkbenchSettings {
  const q = new URLSearchParams(search);
  const lang = (q.get("lang") ?? "").toLowerCase();
  const size = Number(q.get("size") ?? MIN_SIZE);
  const screen = SCREENS.find((s) => s === q.get("screen")) ?? "account";
  const record = q.get("record");
  const roundTrip = Number(q.get("rtt") ?? 0);
  const faults = (q.get("faults") ?? "").split(",").filter((f): f is FaultSwitch => (FAULT_SWITCHES as readonly string[]).includes(f));
  return {
    language: lang === "zh-cn" || lang === "2052" ? 2052 : 1033,
    size: Number.isFinite(size) ? Math.min(MAX_SIZE, Math.max(MIN_SIZE, Math.round(size))) : MIN_SIZE,
    screen,
    ...(record !== null && /^[0-9a-f-]{36}$/i.test(record) && { record: record.toLowerCase() }),
    faults: [...new Set(faults)],
    roundTripMs: Number.isFinite(roundTrip) ? Math.min(MAX_ROUND_TRIP_MS, Math.max(0, Math.round(roundTrip))) : 0,
    lanes: q.get("lanes") === "stages" ? "stages" : "choice",
    appTheme: q.get("apptheme") === "dark" ? "dark" : "light",
  };
}

export function toSearch(settings: WorkbenchSettings): string {
  const q = new URLSearchParams();
  q.set("lang", settings.language === 2052 ? "zh-CN" : "en");
  q.set("size", String(settings.size));
  q.set("screen", settings.screen);
  if (settings.record !== undefined) q.set("record", settings.record);
  if (settings.faults.length > 0) q.set("faults", settings.faults.join(","));
  if (settings.roundTripMs > 0) q.set("rtt", String(settings.roundTripMs));
  if (settings.lanes === "stages") q.set("lanes", "stages");
  if (settings.appTheme === "dark") q.set("apptheme", "dark");
  return `?${q.toString()}`;
}

/**
 * Faults as the in-memory Dataverse's rules. Throttling, conflicts and server errors hit writes (the moments the
 * controls must roll back or retry; reads failing too would hide that behind an error page); latency and offline
 * hit every request.
 */
export function faultRules(faults: readonly FaultSwitch[], roundTripMs = 0): FaultRule[] {
  const rules: FaultRule[] = roundTripMs > 0 ? [{ kind: "latency", latencyMs: roundTripMs }] : [];
  for (const fault of faults) {
    if (fault === "latency") rules.push({ kind: "latency", latencyMs: LATENCY_MS });
    if (fault === "offline") rules.push({ kind: "network" });
    for (const operation of WRITES) {
      if (fault === "429") rules.push({ kind: "throttle", operation, retryAfterSeconds: 1 });
      if (fault === "412") rules.push({ kind: "conflict", operation });
      if (fault === "500") rules.push({ kind: "serverError", operation });
    }
  }
  return rules;
}
