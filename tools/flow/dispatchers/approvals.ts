/**
 * A scripted Approvals service (shared_approvals): CreateAnApproval records the request; WaitForAnApproval answers
 * with the next scripted decision after the scripted time. A decision that takes longer than the action's
 * limit.timeout lets the runner time the action out, as an unanswered approval does.
 */
import type { JsonValue } from "../expressions";
import type { ConnectorDispatcher, ConnectorRequest, ConnectorResponse } from "../runner";

export const APPROVALS_API = "shared_approvals";

export interface ApprovalDecision {
  outcome: "Approve" | "Reject" | "NoResponse";
  comments?: string;
  responder?: { displayName: string; email: string };
  /** Time the approver takes; defaults to one hour. NoResponse never answers. */
  afterMs?: number;
}

export interface CreatedApproval {
  name: string;
  approvalType: string;
  title: string;
  assignedTo: string[];
  details: string;
  itemLink: string;
  requestor: string;
}

const HOUR = 3_600_000;
/** Longer than any approval timeout a flow can set (30 days), so NoResponse always times out. */
const NEVER = 31 * 24 * HOUR;

const text = (v: JsonValue | undefined): string => (typeof v === "string" ? v : v === undefined || v === null ? "" : JSON.stringify(v));

export class ScriptedApprovals implements ConnectorDispatcher {
  readonly created: CreatedApproval[] = [];
  private readonly decisions: ApprovalDecision[];
  private counter = 0;

  constructor(decisions: ApprovalDecision[] = [], private readonly newName: () => string = () => `approval-${++this.counter}`) {
    this.decisions = [...decisions];
  }

  invoke(request: ConnectorRequest): Promise<ConnectorResponse> {
    return Promise.resolve(this.answer(request));
  }

  private answer(request: ConnectorRequest): ConnectorResponse {
    const p = request.parameters;
    if (request.operationId === "CreateAnApproval" || request.operationId === "StartAndWaitForAnApproval") {
      const approvalType = text(p.approvalType);
      if (approvalType !== "Basic" && approvalType !== "BasicAwaitAll" && approvalType !== "CustomResponse") {
        return { statusCode: 400, body: { error: { code: "InvalidApprovalType", message: `approvalType '${approvalType}' is not Basic, BasicAwaitAll or CustomResponse (action '${request.actionName}')` } } };
      }
      const assignedTo = text(p["ApprovalCreationInput/assignedTo"]).split(";").map((s) => s.trim()).filter((s) => s !== "");
      const title = text(p["ApprovalCreationInput/title"]);
      if (title === "" || assignedTo.length === 0) {
        return { statusCode: 400, body: { error: { code: "InvalidApprovalRequest", message: `an approval needs ApprovalCreationInput/title and ApprovalCreationInput/assignedTo (action '${request.actionName}')` } } };
      }
      const approval: CreatedApproval = {
        name: this.newName(), approvalType, title, assignedTo,
        details: text(p["ApprovalCreationInput/details"]), itemLink: text(p["ApprovalCreationInput/itemLink"]), requestor: text(p["ApprovalCreationInput/requestor"]),
      };
      this.created.push(approval);
      if (request.operationId === "CreateAnApproval") return { statusCode: 201, body: { name: approval.name, title, assignedTo: assignedTo.join(";") } };
      return this.decide(approval);
    }
    if (request.operationId === "WaitForAnApproval") {
      const approval = this.created.find((a) => a.name === p.approvalName);
      if (approval === undefined) return { statusCode: 404, body: { error: { code: "ApprovalNotFound", message: `no approval named '${text(p.approvalName)}' (action '${request.actionName}')` } } };
      return this.decide(approval);
    }
    return { statusCode: 400, body: { error: { code: "UnknownOperation", message: `the Approvals connector has no operation '${request.operationId}' in this service (action '${request.actionName}')` } } };
  }

  private decide(approval: CreatedApproval): ConnectorResponse {
    const decision = this.decisions.shift() ?? { outcome: "NoResponse" };
    if (decision.outcome === "NoResponse") return { statusCode: 200, durationMs: NEVER, body: null };
    const responder = decision.responder ?? { displayName: approval.assignedTo[0], email: approval.assignedTo[0] };
    const response = { responder, approverResponse: decision.outcome, comments: decision.comments ?? "" };
    return {
      statusCode: 200,
      durationMs: decision.afterMs ?? HOUR,
      body: {
        name: approval.name, title: approval.title, outcome: decision.outcome,
        responses: [response], responseSummary: `${responder.displayName}: ${decision.outcome}`,
      },
    };
  }
}
