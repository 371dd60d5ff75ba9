/** Connector dispatchers for running the flows locally: embedded Dataverse, scripted Approvals, our Teams connector. */
export { APPROVALS_API, ScriptedApprovals, type ApprovalDecision, type CreatedApproval } from "./approvals";
export { DATAVERSE_API, DATAVERSE_OPERATIONS, DataverseDispatcher } from "./dataverse";
export { createFlowEnvironment, type FlowEnvironment, type Scenario } from "./environment";
export { RoutingDispatcher } from "./routing";
export { TEAMS_API, TeamsDispatcher, type TeamsDispatcherOptions, type TeamsOutage } from "./teams";
