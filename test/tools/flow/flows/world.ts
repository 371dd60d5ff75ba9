/** A small sales organisation for the flow end-to-end tests: users with Entra ids, currencies, an account and deals. */
import type { JsonValue } from "../../../../tools/flow/expressions";
import { createFlowEnvironment, type FlowEnvironment, type Scenario } from "../../../../tools/flow/dispatchers";
import { runFlow, VirtualClock, type ConnectorRequest, type ConnectorResponse, type FlowFile, type RunResult } from "../../../../tools/flow/runner";
import { DataverseStore } from "../../../../tools/dataverse/store";
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";

export const FLOWS_DIR = path.resolve(__dirname, "../../../../flows");
const TEAMS_LINK_XML = path.resolve(__dirname, "../../../../solution/Entities/tcc_teamslink/Entity.xml");

/** The alternate keys our solution declares on tcc_teamslink (EntityKeys in Entity.xml), as Dataverse enforces them after import. */
export function teamsLinkKeys(): { name: string; columns: string[] }[] {
  const xml = readFileSync(TEAMS_LINK_XML, "utf8");
  return [...xml.matchAll(/<EntityKey>([\s\S]*?)<\/EntityKey>/g)].map((m) => ({
    name: /<Name>([^<]+)<\/Name>/.exec(m[1])?.[1] ?? "",
    columns: [...m[1].matchAll(/<AttributeName>([^<]+)<\/AttributeName>/g)].map((a) => a[1]),
  }));
}

export function loadFlow(kind: "Customeronboarding" | "Dealescalation"): FlowFile {
  const file = readdirSync(FLOWS_DIR).find((f) => f.includes(`-${kind}-`) && f.endsWith(".json"));
  if (file === undefined) throw new Error(`no ${kind} flow in flows/`);
  return JSON.parse(readFileSync(path.join(FLOWS_DIR, file), "utf8")) as FlowFile;
}

export const IDS = {
  owner: "a0000000-0000-4000-8000-000000000001",
  manager: "a0000000-0000-4000-8000-000000000002",
  colleague: "a0000000-0000-4000-8000-000000000003",
  service: "a0000000-0000-4000-8000-000000000004",
  obrien: "a0000000-0000-4000-8000-000000000005",
  usd: "c0000000-0000-4000-8000-000000000001",
  cny: "c0000000-0000-4000-8000-000000000002",
  account: "d0000000-0000-4000-8000-000000000001",
};
export const AAD = {
  owner: "e0000000-0000-4000-8000-000000000001",
  manager: "e0000000-0000-4000-8000-000000000002",
  colleague: "e0000000-0000-4000-8000-000000000003",
  /** The service account the flows' Teams connection belongs to, as the guide recommends: no deal's owner, manager or deal-desk member. */
  service: "e0000000-0000-4000-8000-000000000004",
  /** A deal-desk colleague whose address has an apostrophe and whose name is not ASCII. */
  obrien: "e0000000-0000-4000-8000-000000000005",
};
/** A string column's value, or "" when it is not a string. */
export const text = (v: unknown): string => (typeof v === "string" ? v : "");

export const CNY_RATE = 7.1;
export const THRESHOLD = 100000;
export const PARAMETERS: Record<string, JsonValue> = {
  "Deal Escalation Threshold (tcc_EscalationThreshold)": THRESHOLD,
  "Deal Desk Colleagues (tcc_DealDeskColleagues)": "colleague@contoso.example; ",
  "Onboarding Channel Template (tcc_OnboardingChannelTemplate)": ["Sales", "Service", "Projects"],
  "Dynamics 365 URL (tcc_Dynamics365Url)": "https://contoso.crm.dynamics.com/",
};

export type Intercept = (request: ConnectorRequest) => ConnectorResponse | undefined;

export interface World extends FlowEnvironment {
  /** Creates an opportunity for the account and returns it as the Dataverse trigger delivers it. */
  deal(values: { name?: string; estimatedvalue: number; currency?: "usd" | "cny"; statecode?: number; accountName?: string; ownerId?: string }): Promise<Record<string, JsonValue>>;
  /** Runs a flow; `intercept` may answer a connector request itself (a fault) instead of the environment. */
  run(flow: FlowFile, trigger: Record<string, JsonValue>, intercept?: Intercept): Promise<RunResult>;
  links(): Record<string, JsonValue>[];
}

export async function createWorld(scenario: Scenario = {}, accountName = "Contoso Pharmaceuticals"): Promise<World> {
  const store = new DataverseStore({ clock: () => new Date("2025-03-14T09:00:00Z") });
  for (const key of teamsLinkKeys()) store.defineAlternateKey("tcc_teamslink", key.name, key.columns);
  const user = (id: string, aad: string, first: string, last: string, email: string, manager: string | null) =>
    store.create("systemuser", {
      systemuserid: id, firstname: first, lastname: last, internalemailaddress: email, domainname: email,
      azureactivedirectoryobjectid: aad, isdisabled: false, parentsystemuserid: manager === null ? null : { id: manager, table: "systemuser" },
    });
  user(IDS.manager, AAD.manager, "Alex", "Wilber", "alex@contoso.example", null);
  user(IDS.owner, AAD.owner, "Megan", "Bowen", "megan@contoso.example", IDS.manager);
  user(IDS.colleague, AAD.colleague, "Fang", "Wang", "colleague@contoso.example", IDS.manager);
  user(IDS.service, AAD.service, "Flow", "Service", "svc-flows@contoso.example", null);
  user(IDS.obrien, AAD.obrien, "Seán", "O'Brien", "o'brien@contoso.example", IDS.manager);
  store.callerId = IDS.owner;
  store.create("transactioncurrency", { transactioncurrencyid: IDS.usd, currencyname: "US Dollar", isocurrencycode: "USD", currencysymbol: "$", currencyprecision: 2, exchangerate: 1 });
  store.create("transactioncurrency", { transactioncurrencyid: IDS.cny, currencyname: "Chinese Yuan", isocurrencycode: "CNY", currencysymbol: "¥", currencyprecision: 2, exchangerate: CNY_RATE });
  store.create("account", { accountid: IDS.account, name: accountName, ownerid: { id: IDS.owner, table: "systemuser" } });
  // The flows' Teams connection belongs to a service account that takes part in no deal, so Graph's rules about the
  // caller (a member of every chat it creates, of every team it reads) apply in every run; a scenario may sign in as someone else.
  const env = await createFlowEnvironment({ ...scenario, graph: { signedInUser: AAD.service, ...scenario.graph } }, store);
  const clock = new VirtualClock(scenario.clock ?? "2025-03-14T09:00:00Z");
  const parameters = { ...PARAMETERS, ...(scenario.parameters ?? {}) };
  return {
    ...env,
    async deal(values) {
      const row = await env.createRow("opportunities", {
        name: values.name ?? "Contoso expansion",
        estimatedvalue: values.estimatedvalue,
        "transactioncurrencyid@odata.bind": `/transactioncurrencies(${values.currency === "cny" ? IDS.cny : IDS.usd})`,
        "parentaccountid@odata.bind": `/accounts(${IDS.account})`,
        "customerid_account@odata.bind": `/accounts(${IDS.account})`,
        "ownerid@odata.bind": `/systemusers(${values.ownerId ?? IDS.owner})`,
      });
      const id = text(row.opportunityid);
      if (values.statecode !== undefined) store.update("opportunity", id, { statecode: values.statecode, statuscode: values.statecode === 1 ? 3 : 1 });
      const response = await env.webApi.handle({ method: "GET", url: `/api/data/v9.2/opportunities(${id})`, headers: { Prefer: 'odata.include-annotations="*"' } });
      return JSON.parse(response.body) as Record<string, JsonValue>;
    },
    run: (flow, trigger, intercept) => runFlow(flow, {
      trigger: { body: trigger }, clock, parameters,
      dispatcher: intercept === undefined ? env.dispatcher : { invoke: async (request) => intercept(request) ?? env.dispatcher.invoke(request) },
    }),
    links: () => [...store.rows("tcc_teamslink")].map((r) => ({ ...r }) as Record<string, JsonValue>),
  };
}
