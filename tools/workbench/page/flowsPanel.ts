/**
 * The flows panel: runs the solution's two flows in the page, against the page's in-memory Dataverse (the rows the
 * controls show), scripted approvals, and the Teams connector sending real HTTP through the workbench server to the
 * Microsoft Graph stand-in; shows each run's history as a tree with statuses.
 */
import type { DataverseStore } from "../../dataverse/store";
import { InMemoryWebApi } from "../../dataverse/webApiHandler";
import { type ApprovalDecision, ScriptedApprovals } from "../../flow/dispatchers/approvals";
import { DataverseDispatcher } from "../../flow/dispatchers/dataverse";
import { RoutingDispatcher } from "../../flow/dispatchers/routing";
import { TeamsDispatcher } from "../../flow/dispatchers/teams";
import type { JsonValue } from "../../flow/expressions";
import { type FlowFile, runFlow, VirtualClock } from "../../flow/runner";
import type { SwaggerDocument } from "../../connector/swagger";
import type { MadeInTeams } from "../graphState";
import { type FlowKind as RunFlowKind, runOutcome } from "../runOutcome";
import { runTree, type RunTreeNode } from "../runTree";
import type { Language } from "../settings";
import { el } from "./dom";
import type { ChromeStrings } from "./strings";
import { teamsView } from "./teamsView";

const DATAVERSE_API = "shared_commondataserviceforapps";
const APPROVALS_API = "shared_approvals";
const TEAMS_API = "shared_tcc-5fteams-20customer-20collaboration-5f72dfd415918a4991af";
export const ESCALATION_THRESHOLD = 100000;

export interface FlowsPanelOptions {
  readonly store: DataverseStore;
  readonly language: Language;
  readonly strings: ChromeStrings;
  readonly origin: string;
  readonly log: (kind: string, detail: string) => void;
}

type FlowKind = RunFlowKind;

const str = (v: unknown): string => (typeof v === "string" ? v : "");

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return (await response.json()) as T;
}

function treeElement(nodes: readonly RunTreeNode[], root: boolean): HTMLElement {
  const list = el("ul", { role: root ? "tree" : "group", ...(root && { "aria-label": "run" }) });
  for (const node of nodes) {
    const label = `${node.name}${node.repetition ? ` ${node.repetition}` : ""}`;
    const item = el(
      "li",
      { role: "treeitem", "data-action": node.name, "data-status": node.status, ...(node.children.length > 0 && { "aria-expanded": "true" }) },
      el("span", { class: `wb-status wb-status-${node.status}` }, node.status),
      ` ${label} `,
      el("small", {}, `[${node.type}] +${node.startedAfterSeconds}s${node.retries.length > 0 ? ` retries: ${node.retries.join(", ")}` : ""}`),
    );
    if (node.error !== undefined) item.append(el("div", { class: "wb-error" }, node.error));
    if (node.children.length > 0) item.append(treeElement(node.children, false));
    list.append(item);
  }
  return list;
}

export function renderFlowsPanel(main: HTMLElement, options: FlowsPanelOptions): void {
  const { store, strings: s } = options;
  const webApi = new InMemoryWebApi({ store, language: options.language, sleep: () => Promise.resolve() });
  let graphReady: Promise<void> | undefined;
  const users = [...store.rows("systemuser")].filter((u) => typeof u.azureactivedirectoryobjectid === "string");
  const aadOf = (id: string | undefined) => str(users.find((u) => u.systemuserid === id)?.azureactivedirectoryobjectid);
  const startGraph = () =>
    (graphReady ??= fetch("/workbench/graph/session", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        users: users.map((u) => ({ id: str(u.azureactivedirectoryobjectid), displayName: str(u.fullname) || str(u.internalemailaddress), mail: str(u.internalemailaddress), userPrincipalName: str(u.domainname) || str(u.internalemailaddress) })),
        signedInUserId: aadOf(store.callerId) || str(users[0]?.azureactivedirectoryobjectid),
      }),
    }).then((r) => {
      if (!r.ok) throw new Error(`starting the Graph stand-in: HTTP ${r.status}`);
      return undefined;
    }));

  const opportunities = [...store.rows("opportunity")];
  const baseValue = (o: (typeof opportunities)[number]): number =>
    typeof o.estimatedvalue_base === "number" ? o.estimatedvalue_base : typeof o.estimatedvalue === "number" ? o.estimatedvalue : 0;
  const candidates: Record<FlowKind, typeof opportunities> = {
    Customeronboarding: opportunities.filter((o) => o.statecode === 1).slice(0, 20),
    // Large deals first, then a few below the threshold, whose runs show why they do nothing. The flow compares the
    // value in the base currency (estimatedvalue_base), so the picker does too.
    Dealescalation: [
      ...opportunities.filter((o) => o.statecode === 0 && baseValue(o) >= ESCALATION_THRESHOLD).slice(0, 20),
      ...opportunities.filter((o) => o.statecode === 0 && baseValue(o) < ESCALATION_THRESHOLD).slice(0, 5),
    ],
  };
  const colleagues = users.slice(1, 3).map((u) => str(u.internalemailaddress)).join("; ");
  const parameters: Record<string, JsonValue> = {
    "Deal Escalation Threshold (tcc_EscalationThreshold)": ESCALATION_THRESHOLD,
    "Deal Desk Colleagues (tcc_DealDeskColleagues)": colleagues,
    "Onboarding Channel Template (tcc_OnboardingChannelTemplate)": options.language === 2052 ? ["销售", "服务", "项目"] : ["Sales", "Service", "Projects"],
    // Graph accepts only https tab URLs, so a plain-http workbench stands in for the org URL it would have.
    "Dynamics 365 URL (tcc_Dynamics365Url)": options.origin.startsWith("https://") ? `${options.origin}/` : "https://contoso.crm.dynamics.com/",
  };

  const history = el("section", { "aria-label": s.runHistory, class: "wb-history" }, el("h2", {}, s.runHistory));
  const form = (kind: FlowKind, title: string) => {
    const id = `flow-${kind}`;
    const picker = el("select", { id: `${id}-record` });
    for (const o of candidates[kind]) picker.append(el("option", { value: str(o.opportunityid) }, `${str(o.name) || "—"} (${kind === "Dealescalation" ? baseValue(o) : typeof o.estimatedvalue === "number" ? o.estimatedvalue : ""})`));
    const approval = el("select", { id: `${id}-approval` });
    for (const [value, label] of [["Approve", s.approve], ["Reject", s.reject], ["NoResponse", s.noResponse]] as const) approval.append(el("option", { value }, label));
    const button = el("button", { type: "button", id: `${id}-run` }, title);
    button.addEventListener("click", () => {
      button.disabled = true;
      const status = el("p", { role: "status" }, s.running);
      history.append(status);
      void run(kind, picker.value, approval.value as ApprovalDecision["outcome"])
        .then((tree) =>
          status.replaceWith(
            el("article", { "data-flow": kind }, el("h3", {}, `${title}: ${tree.status}`), el("div", { class: "wb-run" }, treeElement(tree.nodes, true), teamsView(tree.outcome, tree.made, options.language, s))),
          ),
        )
        .catch((e: unknown) => status.replaceWith(el("p", { role: "alert" }, `${title}: ${(e as Error).message}`)))
        .finally(() => {
          button.disabled = false;
        });
    });
    return el(
      "section",
      { "aria-labelledby": `${id}-title`, class: "wb-fields" },
      el("h2", { id: `${id}-title` }, title),
      el("div", { class: "wb-field" }, el("label", { for: `${id}-record` }, s.opportunity), picker),
      ...(kind === "Dealescalation" ? [el("div", { class: "wb-field" }, el("label", { for: `${id}-approval` }, s.approval), approval)] : []),
      button,
    );
  };

  async function run(kind: FlowKind, opportunityId: string, outcome: ApprovalDecision["outcome"]) {
    const [flow, swagger] = await Promise.all([getJson<FlowFile>(`/workbench/flows/${kind}.json`), getJson<SwaggerDocument>("/workbench/connector/swagger.json"), startGraph()]);
    const response = await webApi.handle({ method: "GET", url: `/api/data/v9.2/opportunities(${opportunityId})`, headers: { Prefer: 'odata.include-annotations="*"' } });
    if (response.status !== 200) throw new Error(`reading opportunity ${opportunityId}: HTTP ${response.status}`);
    const trigger = JSON.parse(response.body) as Record<string, JsonValue>;
    const dispatcher = new RoutingDispatcher({
      [DATAVERSE_API]: new DataverseDispatcher(webApi),
      [APPROVALS_API]: new ScriptedApprovals([{ outcome, comments: outcome === "Reject" ? "Too large a discount" : "OK", responder: { displayName: "Deal desk", email: colleagues.split(";")[0] ?? "" } }]),
      [TEAMS_API]: new TeamsDispatcher({ swagger, baseUrl: `${options.origin}/graph` }),
    });
    const result = await runFlow(flow, { trigger: { body: trigger }, dispatcher, clock: new VirtualClock(new Date()), parameters, workflowName: kind });
    options.log("flow", `${kind} ${result.status}${result.error ? ` (${result.error.code})` : ""}`);
    const what = runOutcome(kind, result, ESCALATION_THRESHOLD);
    const ids = new URLSearchParams({ ...(what.teamId !== undefined && { team: what.teamId }), ...(what.chatId !== undefined && { chat: what.chatId }) });
    const made = await getJson<MadeInTeams>(`/workbench/graph/made?${ids.toString()}`);
    return { status: result.status, nodes: runTree(flow, result), outcome: what, made };
  }

  main.append(
    el("header", { class: "wb-form-header" }, el("h1", {}, s.flows), el("p", { class: "wb-entity" }, s.flowsIntro)),
    el("div", { class: "wb-form wb-flows" }, el("div", {}, form("Customeronboarding", s.runOnboarding), form("Dealescalation", s.runEscalation)), history),
  );
}
