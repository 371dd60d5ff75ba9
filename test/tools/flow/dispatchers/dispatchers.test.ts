import { loadConnectorSwagger, startGraphStandIn, type GraphStandIn } from "../../../../tools/connector";
import { DataverseStore } from "../../../../tools/dataverse/store";
import { InMemoryWebApi } from "../../../../tools/dataverse/webApiHandler";
import { DataverseDispatcher, RoutingDispatcher, ScriptedApprovals, TeamsDispatcher } from "../../../../tools/flow/dispatchers";
import type { ConnectorRequest } from "../../../../tools/flow/runner";
import type { JsonValue } from "../../../../tools/flow/expressions";

const request = (apiName: string, operationId: string, parameters: Record<string, JsonValue>): ConnectorRequest => ({
  actionName: "Act", actionType: "OpenApiConnection", connectionName: apiName, apiName, operationId, parameters,
});

describe("DataverseDispatcher", () => {
  const dispatcher = () => new DataverseDispatcher(new InMemoryWebApi({ store: new DataverseStore(), sleep: () => Promise.resolve() }));

  it("creates, reads, lists and updates rows with item/ parameters and lookups bound without a leading slash", async () => {
    const d = dispatcher();
    const account = await d.invoke(request("dv", "CreateRecord", { entityName: "accounts", "item/name": "Contoso" }));
    expect(account.statusCode).toBe(201);
    const id = (account.body as { accountid: string }).accountid;
    const link = await d.invoke(request("dv", "CreateRecord", { entityName: "tcc_teamslinks", "item/tcc_name": "L", "item/tcc_AccountId@odata.bind": `accounts(${id})` }));
    expect((link.body as Record<string, JsonValue>)._tcc_accountid_value).toBe(id);
    const list = await d.invoke(request("dv", "ListRecords", { entityName: "tcc_teamslinks", $filter: `_tcc_accountid_value eq ${id}`, $top: 1 }));
    expect((list.body as { value: unknown[] }).value).toHaveLength(1);
    const updated = await d.invoke(request("dv", "UpdateRecord", { entityName: "accounts", recordId: id, "item/name": "Contoso Ltd" }));
    expect((updated.body as { name: string }).name).toBe("Contoso Ltd");
  });

  it("answers Dataverse's error for a missing row and 400 for an unknown operation or parameter", async () => {
    const d = dispatcher();
    const missing = await d.invoke(request("dv", "GetItem", { entityName: "accounts", recordId: "00000000-0000-4000-8000-000000000009" }));
    expect(missing.statusCode).toBe(404);
    expect((await d.invoke(request("dv", "RunSql", {}))).statusCode).toBe(400);
    const unknown = await d.invoke(request("dv", "GetItem", { entityName: "accounts", recordId: "x", $top: 1 }));
    expect((unknown.body as { error: { message: string } }).error.message).toBe("'$top' is not a parameter of GetItem (action 'Act'); it takes entityName, recordId, $select, $expand.");
  });
});

describe("ScriptedApprovals", () => {
  it("answers waits in script order and lets an unanswered approval outlast any timeout", async () => {
    const approvals = new ScriptedApprovals([{ outcome: "Reject", comments: "no", afterMs: 5000 }]);
    const create = (title: string) => approvals.invoke(request("ap", "CreateAnApproval", { approvalType: "Basic", "ApprovalCreationInput/title": title, "ApprovalCreationInput/assignedTo": "a@x.example;b@x.example;" }));
    const first = await create("One");
    expect(approvals.created[0].assignedTo).toEqual(["a@x.example", "b@x.example"]);
    const decided = await approvals.invoke(request("ap", "WaitForAnApproval", { approvalName: (first.body as { name: string }).name }));
    expect(decided).toMatchObject({ statusCode: 200, durationMs: 5000, body: { outcome: "Reject", responses: [{ comments: "no" }] } });
    const second = await create("Two");
    const silent = await approvals.invoke(request("ap", "WaitForAnApproval", { approvalName: (second.body as { name: string }).name }));
    expect(silent.durationMs).toBeGreaterThan(30 * 24 * 3600 * 1000);
  });

  it("rejects an approval without approvers", async () => {
    const r = await new ScriptedApprovals().invoke(request("ap", "CreateAnApproval", { approvalType: "Basic", "ApprovalCreationInput/title": "T", "ApprovalCreationInput/assignedTo": ";" }));
    expect(r.statusCode).toBe(400);
  });
});

describe("TeamsDispatcher", () => {
  let standIn: GraphStandIn;
  beforeEach(async () => {
    standIn = await startGraphStandIn();
  });
  afterEach(async () => {
    await standIn.close();
  });

  it("sends the request the connector definition builds to the Graph endpoint and returns Graph's answer with canonical header names", async () => {
    const teams = new TeamsDispatcher({ swagger: loadConnectorSwagger(), baseUrl: standIn.baseUrl });
    const r = await teams.invoke(request("t", "CreateTeam", { "body/displayName": "Team A" }));
    expect(r.statusCode).toBe(202);
    expect(r.headers?.Location).toMatch(/^\/teams\('[0-9a-f-]+'\)\/operations\('[0-9a-f-]+'\)$/);
    expect(standIn.accepted[0].body).toMatchObject({ displayName: "Team A", "template@odata.bind": "https://graph.microsoft.com/v1.0/teamsTemplates('standard')" });
  });

  it("fails with 400 before sending when a parameter is not in the connector definition", async () => {
    const teams = new TeamsDispatcher({ swagger: loadConnectorSwagger(), baseUrl: standIn.baseUrl });
    const r = await teams.invoke(request("t", "CreateTeam", { "body/displayName": "A", "body/owner": "me" }));
    expect(r.statusCode).toBe(400);
    expect(standIn.accepted).toHaveLength(0);
  });

  it("answers an outage's status the given number of times, then reaches Graph again", async () => {
    const teams = new TeamsDispatcher({ swagger: loadConnectorSwagger(), baseUrl: standIn.baseUrl, outages: [{ operationIds: ["ListMyTeams"], status: 503, times: 1 }] });
    expect((await teams.invoke(request("t", "ListMyTeams", {}))).statusCode).toBe(503);
    expect((await teams.invoke(request("t", "ListMyTeams", {}))).statusCode).toBe(200);
  });
});

describe("RoutingDispatcher", () => {
  it("names the API and the action when no dispatcher serves it", async () => {
    await expect(new RoutingDispatcher({}).invoke(request("shared_teams", "PostMessage", {}))).rejects.toThrow("no dispatcher for API 'shared_teams' (action 'Act'); known: none");
  });
});
