import type { JsonValue } from "../expressions";

/** The parts of an exported flow file (`{ properties: { connectionReferences, definition } }`) the runner reads. */
export interface FlowFile {
  properties: {
    connectionReferences?: Record<string, { api?: { name?: string }; connection?: { connectionReferenceLogicalName?: string } }>;
    definition: WorkflowDefinition;
  };
}

export interface WorkflowDefinition {
  parameters?: Record<string, { type?: string; defaultValue?: JsonValue }>;
  triggers: Record<string, ActionDefinition>;
  actions: Record<string, ActionDefinition>;
}

export type RunAfterStatus = "Succeeded" | "Failed" | "Skipped" | "TimedOut";

export interface ActionDefinition {
  type: string;
  inputs?: JsonValue;
  runAfter?: Record<string, RunAfterStatus[]>;
  actions?: Record<string, ActionDefinition>;
  else?: { actions?: Record<string, ActionDefinition> };
  cases?: Record<string, { case: JsonValue; actions?: Record<string, ActionDefinition> }>;
  default?: { actions?: Record<string, ActionDefinition> };
  expression?: JsonValue;
  foreach?: JsonValue;
  limit?: { count?: number; timeout?: string };
  operationOptions?: string;
  runtimeConfiguration?: {
    /** `repetitions` limits a Foreach's parallel iterations; `runs` on a trigger limits the flow's concurrent runs (later runs wait in a queue). */
    concurrency?: { repetitions?: number; runs?: number };
    secureData?: { properties?: ("inputs" | "outputs")[] };
  };
}

export type ActionStatus = "Succeeded" | "Failed" | "Skipped" | "TimedOut" | "Cancelled";

export interface ActionError {
  code: string;
  message: string;
}

/** One entry of the run history: an action (or one repetition of it inside loops). */
export interface ActionRun {
  name: string;
  type: string;
  status: ActionStatus;
  /** Enclosing loop repetitions, outermost first, e.g. [{ loop: "Each_member", index: 2 }]. */
  repetition: { loop: string; index: number }[];
  startTime: string;
  endTime: string;
  inputs?: JsonValue;
  outputs?: JsonValue;
  error?: ActionError;
  /** Failed attempts before the final one (connector actions with a retry policy). */
  retryHistory?: { startTime: string; endTime: string; statusCode: number }[];
}

export interface RunResult {
  status: "Succeeded" | "Failed" | "Cancelled";
  error?: ActionError;
  startTime: string;
  endTime: string;
  trigger: { name: string; status: "Succeeded"; startTime: string; outputs: JsonValue };
  /** Every action execution in the order they finished. */
  actions: ActionRun[];
  variables: Record<string, JsonValue>;
}
