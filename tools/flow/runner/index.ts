/** The flow runner: executes an exported Power Automate flow on a virtual clock and records its history. */
export { durationMs, VirtualClock, type Clock } from "./clock";
export { ScriptedDispatcher, type ConnectorDispatcher, type ConnectorRequest, type ConnectorResponse } from "./dispatcher";
export { runFlow, SUPPORTED_ACTION_TYPES, type RunOptions } from "./runner";
export type { ActionDefinition, ActionError, ActionRun, ActionStatus, FlowFile, RunResult, WorkflowDefinition } from "./types";
