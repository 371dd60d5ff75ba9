/**
 * Everything a flow run talks to, wired together: the in-memory Dataverse (optionally seeded with sample data),
 * the scripted Approvals service, and our Teams connector sending real HTTP to a loopback Graph stand-in whose
 * users are the Dataverse users (matched by their Microsoft Entra object id).
 */
import { DEFAULT_USERS, loadConnectorSwagger, startGraphStandIn, type GraphStandIn, type StandInUser } from "../../connector";
import { createSampleData, type SampleDataOptions } from "../../dataverse/sampleData";
import { DataverseStore } from "../../dataverse/store";
import { InMemoryWebApi } from "../../dataverse/webApiHandler";
import type { JsonValue } from "../expressions";
import { APPROVALS_API, ScriptedApprovals, type ApprovalDecision } from "./approvals";
import { DATAVERSE_API, DataverseDispatcher } from "./dataverse";
import { RoutingDispatcher } from "./routing";
import { TEAMS_API, TeamsDispatcher, type TeamsOutage } from "./teams";

/** What a scenario file (`npm run flow -- run … --scenario file.json`) may set; every part is optional. */
export interface Scenario {
  /** Values for environment-variable parameters, by parameter name. */
  parameters?: Record<string, JsonValue>;
  /** Start of the run's virtual clock (ISO 8601). */
  clock?: string;
  dataverse?: {
    /** Seed the store with the sample organisation (false: start empty). */
    sampleData?: boolean | SampleDataOptions;
    /** Rows to create through the Web API before the run, in order, in wire format (lookups as nav@odata.bind). */
    rows?: { entitySet: string; row: Record<string, JsonValue> }[];
  };
  approvals?: ApprovalDecision[];
  graph?: {
    throttle?: { count: number; retryAfterSeconds: number; path?: string }[];
    outages?: TeamsOutage[];
    asyncPolls?: number;
    /** The Microsoft Entra object id of the account the flows' Teams connection signs in as. */
    signedInUser?: string;
  };
}

export interface FlowEnvironment {
  store: DataverseStore;
  webApi: InMemoryWebApi;
  standIn: GraphStandIn;
  approvals: ScriptedApprovals;
  teams: TeamsDispatcher;
  dispatcher: RoutingDispatcher;
  /** Creates a row through the Web API (as a user or another flow would) and returns it in wire format. */
  createRow(entitySet: string, row: Record<string, JsonValue>): Promise<Record<string, JsonValue>>;
  close(): Promise<void>;
}

function usersOf(store: DataverseStore): StandInUser[] {
  const users: StandInUser[] = [...DEFAULT_USERS];
  for (const u of store.rows("systemuser")) {
    if (typeof u.azureactivedirectoryobjectid !== "string") continue;
    const mail = typeof u.internalemailaddress === "string" ? u.internalemailaddress : `${u.azureactivedirectoryobjectid}@contoso.example`;
    users.push({ id: u.azureactivedirectoryobjectid, displayName: typeof u.fullname === "string" ? u.fullname : mail, mail, userPrincipalName: typeof u.domainname === "string" && u.domainname !== "" ? u.domainname : mail });
  }
  return users;
}

export async function createFlowEnvironment(scenario: Scenario = {}, store?: DataverseStore): Promise<FlowEnvironment> {
  const seeded = scenario.dataverse?.sampleData;
  const theStore = store ?? (seeded ? createSampleData(seeded === true ? {} : seeded).store : new DataverseStore());
  const webApi = new InMemoryWebApi({ store: theStore, sleep: () => Promise.resolve() });
  const createRow = async (entitySet: string, row: Record<string, JsonValue>) => {
    const response = await webApi.handle({
      method: "POST", url: `/api/data/v9.2/${entitySet}`,
      headers: { "Content-Type": "application/json", Prefer: "return=representation" }, body: JSON.stringify(row),
    });
    if (response.status >= 300) throw new Error(`creating a row in ${entitySet} failed with ${response.status}: ${response.body}`);
    return JSON.parse(response.body) as Record<string, JsonValue>;
  };
  for (const r of scenario.dataverse?.rows ?? []) await createRow(r.entitySet, r.row);
  const standIn = await startGraphStandIn({ users: usersOf(theStore), asyncPolls: scenario.graph?.asyncPolls ?? 1, signedInUserId: scenario.graph?.signedInUser });
  for (const t of scenario.graph?.throttle ?? []) standIn.throttle(t.count, t.retryAfterSeconds, t.path === undefined ? undefined : new RegExp(t.path));
  const approvals = new ScriptedApprovals(scenario.approvals ?? []);
  const teams = new TeamsDispatcher({ swagger: loadConnectorSwagger(), baseUrl: standIn.baseUrl, outages: scenario.graph?.outages });
  const dispatcher = new RoutingDispatcher({ [DATAVERSE_API]: new DataverseDispatcher(webApi), [APPROVALS_API]: approvals, [TEAMS_API]: teams });
  return { store: theStore, webApi, standIn, approvals, teams, dispatcher, createRow, close: () => standIn.close() };
}
