import { AAD, createWorld, IDS, loadFlow, text, type World } from "./world";
import type { FlowFile } from "../../../../tools/flow/runner";

const flow = loadFlow("Customeronboarding");
const FAILED = 615300003;
const ACTIVE = 615300001;

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const posts = (w: World, route: string) => w.standIn.accepted.filter((r) => r.route === route);
const graphWrites = (w: World) => w.standIn.accepted.filter((r) => r.method !== "GET").length;

describe("customer onboarding flow", () => {
  it("creates the customer's team with the template channels and members, pins the account and records the link as active", async () => {
    world = await createWorld();
    const run = await world.run(flow, await world.deal({ estimatedvalue: 50000, statecode: 1 }));
    expect(run.status).toBe("Succeeded");

    const [create] = posts(world, "POST /teams");
    const body = create.body as { displayName: string; channels: { displayName: string }[]; members: { roles: string[]; "user@odata.bind": string }[] };
    expect(body.displayName).toBe("Contoso Pharmaceuticals");
    expect(body.channels.map((c) => c.displayName)).toEqual(["Sales", "Service", "Projects"]);
    expect(body.members).toContainEqual({ "@odata.type": "#microsoft.graph.aadUserConversationMember", roles: ["owner"], "user@odata.bind": `https://graph.microsoft.com/v1.0/users('${AAD.owner}')` });

    const [link] = world.links();
    expect(link.tcc_status).toBe(ACTIVE);
    expect(link.tcc_kind).toBe(615300000);
    const team = world.standIn.team(text(link.tcc_teamid));
    expect(team?.provisioned).toBe(true);
    expect(link.tcc_weburl).toBe(team?.webUrl);
    const sales = [...(team?.channels.values() ?? [])].find((c) => c.displayName === "Sales");
    expect(link.tcc_channelid).toBe(sales?.id);
    expect(sales?.tabs[0].configuration).toEqual({
      contentUrl: `https://contoso.crm.dynamics.com/main.aspx?pagetype=entityrecord&etn=account&id=${IDS.account}`,
      websiteUrl: `https://contoso.crm.dynamics.com/main.aspx?pagetype=entityrecord&etn=account&id=${IDS.account}`,
    });
    expect(posts(world, "POST /teams/{team-id}/channels/{channel-id}/messages")).toHaveLength(1);
  });

  it("posts the welcome message to the team's primary channel, as Graph documents finding General, with a service-account connection", async () => {
    world = await createWorld();
    expect(world.standIn.signedInUserId).toBe(AAD.service);
    const run = await world.run(flow, await world.deal({ estimatedvalue: 50000, statecode: 1 }));
    expect(run.status).toBe("Succeeded");
    const team = world.standIn.team(text(world.links()[0].tcc_teamid));
    expect(posts(world, "GET /teams/{team-id}/primaryChannel")).toHaveLength(1);
    const [welcome] = posts(world, "POST /teams/{team-id}/channels/{channel-id}/messages");
    expect(decodeURIComponent(welcome.path.split("/")[5])).toBe(team?.primaryChannelId);
    expect(team?.channels.get(team.primaryChannelId)?.displayName).toBe("General");
    expect(team?.channels.get(team.primaryChannelId)?.messages.size).toBe(1);
  });

  it("is refused by Graph when it takes the team's internalId for the General channel's id, as it did", async () => {
    const old = JSON.parse(JSON.stringify(flow).split("outputs('Get_General_channel')?['body/id']").join("outputs('Get_team')?['body/internalId']")) as typeof flow;
    world = await createWorld();
    const run = await world.run(old, await world.deal({ estimatedvalue: 50000, statecode: 1 }));
    expect(run.status).toBe("Failed");
    const welcome = run.actions.find((a) => a.name === "Post_welcome");
    expect(welcome?.error?.code).toBe("Http404");
    expect(welcome?.error?.message).toMatch(/^Channel 19:.* was not found in team/);
  });

  it("writes @odata.type on the team members itself, and fails at Graph when the members an expression produces lack it", async () => {
    expect(JSON.stringify(flow.properties.definition)).toContain('"@@odata.type":"#microsoft.graph.aadUserConversationMember"');
    const stripped = JSON.parse(JSON.stringify(flow).split('"@@odata.type":"#microsoft.graph.aadUserConversationMember",').join("")) as typeof flow;
    world = await createWorld();
    const run = await world.run(stripped, await world.deal({ estimatedvalue: 50000, statecode: 1 }));
    expect(run.status).toBe("Failed");
    const create = run.actions.find((a) => a.name === "Create_team");
    expect(create?.error?.code).toBe("Http400");
    expect(create?.error?.message).toMatch(/team\.members\[0\]: the required property '@odata\.type'/);
    expect(posts(world, "POST /teams")).toHaveLength(0);
  });

  it("creates nothing when the customer already has a team: a re-run makes no Graph write", async () => {
    world = await createWorld();
    const won = await world.deal({ estimatedvalue: 50000, statecode: 1 });
    expect((await world.run(flow, won)).status).toBe("Succeeded");
    const writes = graphWrites(world);
    const again = await world.run(flow, won);
    expect(again.status).toBe("Succeeded");
    expect(graphWrites(world)).toBe(writes);
    expect(world.links()).toHaveLength(1);
    expect(again.actions.find((a) => a.name === "Create_team")).toBeUndefined();
  });

  it("does not retry the team's creation by itself; a create that Graph refused with 429 is made by the next won deal's run", async () => {
    world = await createWorld();
    world.standIn.throttle(1, 7, /^\/v1\.0\/teams$/);
    const first = await world.run(flow, await world.deal({ estimatedvalue: 50000, statecode: 1 }));
    expect(first.status).toBe("Failed");
    expect(first.actions.find((a) => a.name === "Create_team")?.retryHistory ?? []).toHaveLength(0);
    expect(world.links()[0]).toMatchObject({ tcc_status: FAILED, tcc_teamid: null });
    expect(world.links()[0].tcc_lasterror).toBe("Create_team failed (Http429).");
    expect(text(world.links()[0].tcc_lasterrordetail)).toMatch(/^Create_team failed \(Http429\): /);
    expect(text(world.links()[0].tcc_lasterrordetail)).not.toContain("may exist");
    const again = await world.run(flow, await world.deal({ name: "Second deal", estimatedvalue: 1000, statecode: 1 }));
    expect(again.status).toBe("Succeeded");
    expect(posts(world, "POST /teams")).toHaveLength(1);
    expect(world.links()).toHaveLength(1);
    expect(world.links()[0].tcc_status).toBe(ACTIVE);
  });

  it("marks the link failed with Graph's message when the create answers 500, says the team may exist, and the next run creates nothing until someone decides", async () => {
    world = await createWorld({ graph: { outages: [{ operationIds: ["CreateTeam"], status: 500, times: 1 }] } });
    const won = await world.deal({ estimatedvalue: 50000, statecode: 1 });
    const run = await world.run(flow, won);
    expect(run.status).toBe("Failed");
    expect(run.error?.code).toBe("OnboardingFailed");
    expect(run.actions.find((a) => a.name === "Create_team")?.retryHistory ?? []).toHaveLength(0);
    const [link] = world.links();
    expect(link.tcc_status).toBe(FAILED);
    expect(text(link.tcc_lasterror)).toMatch(/^Create_team failed \(Http500\): Graph may have done the work, so the team may exist/);
    expect(text(link.tcc_lasterror)).not.toContain("Graph answered");
    expect(text(link.tcc_lasterrordetail)).toMatch(/^Create_team failed \(Http500\): Graph answered 500 to CreateTeam Graph may have done the work, so the team may exist/);
    const again = await world.run(flow, won);
    expect(again.status).toBe("Failed");
    expect(again.error?.code).toBe("TeamMayExist");
    expect(again.error?.message).toContain("Team ID");
    expect(again.actions.some((a) => a.name === "Create_team")).toBe(false);
    // The admin found no team in Teams and cleared Last error: the next run creates it.
    await world.webApi.handle({ method: "PATCH", url: `/api/data/v9.2/tcc_teamslinks(${text(link.tcc_teamslinkid)})`, headers: { "Content-Type": "application/json" }, body: JSON.stringify({ tcc_lasterror: null }) });
    expect((await world.run(flow, won)).status).toBe("Succeeded");
    expect(world.links()).toHaveLength(1);
    expect(world.links()[0].tcc_status).toBe(ACTIVE);
    expect(posts(world, "POST /teams")).toHaveLength(1);
  });

  it("keeps the id of a team that was created before a later step failed, and Last error names that step and Graph's message", async () => {
    world = await createWorld({ graph: { outages: [{ operationIds: ["AddWebsiteTab"], status: 503 }] } });
    const run = await world.run(flow, await world.deal({ estimatedvalue: 50000, statecode: 1 }));
    expect(run.status).toBe("Failed");
    const [link] = world.links();
    expect(link.tcc_status).toBe(FAILED);
    expect(world.standIn.team(text(link.tcc_teamid))).toBeDefined();
    expect(link.tcc_lasterror).toBe("Pin_account_tab failed (Http503).");
    expect(link.tcc_lasterrordetail).toBe("Pin_account_tab failed (Http503): Graph answered 503 to AddWebsiteTab");
    expect(run.error?.message).toBe(link.tcc_lasterrordetail);
  });

  it("names the innermost failing action inside the provisioning wait", async () => {
    world = await createWorld({ graph: { outages: [{ operationIds: ["GetTeamOperation"], status: 500 }] } });
    const run = await world.run(flow, await world.deal({ estimatedvalue: 50000, statecode: 1 }));
    expect(run.status).toBe("Failed");
    const [link] = world.links();
    expect(link.tcc_lasterror).toBe("Get_provisioning_status failed (Http500).");
    expect(link.tcc_lasterrordetail).toBe("Get_provisioning_status failed (Http500): Graph answered 500 to GetTeamOperation");
    expect(text(link.tcc_teamid)).not.toBe("");
  });

  it("creates the customer-team link owned by the account's owner, for the account only (issue 15 item 4)", async () => {
    world = await createWorld();
    world.store.update("account", IDS.account, { ownerid: { id: IDS.colleague, table: "systemuser" } });
    const run = await world.run(flow, await world.deal({ estimatedvalue: 50000, statecode: 1 }));
    expect(run.status).toBe("Succeeded");
    const [link] = world.links();
    expect(link.ownerid).toEqual({ id: IDS.colleague, table: "systemuser" });
    expect(link.tcc_accountid).toEqual({ id: IDS.account, table: "account" });
    expect(link.tcc_opportunityid).toBeNull();
  });

  it("sends hostile account names to Graph escaped in the HTML welcome post and unchanged as the team's plain-text name", async () => {
    const hostile = `<script>alert("x")</script> O'Neil & Co 华信科技 🚀`;
    world = await createWorld({}, hostile);
    const run = await world.run(flow, await world.deal({ estimatedvalue: 50000, statecode: 1 }));
    expect(run.status).toBe("Succeeded");
    expect((posts(world, "POST /teams")[0].body as { displayName: string }).displayName).toBe(hostile);
    const content = (posts(world, "POST /teams/{team-id}/channels/{channel-id}/messages")[0].body as { body: { content: string } }).body.content;
    expect(content).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; O&#39;Neil &amp; Co 华信科技 🚀");
    expect(content).not.toContain("<script>");
    expect(content).toContain("欢迎加入");
  });
});

/** The same flow without the trigger's concurrency control: the account+kind key alone must keep runs apart. */
function unqueued(): FlowFile {
  const copy = structuredClone(flow);
  delete copy.properties.definition.triggers.When_an_opportunity_is_won.runtimeConfiguration;
  return copy;
}
const teamsCreated = (w: World) => posts(w, "POST /teams").length;
const down = { statusCode: 503, body: { error: { code: "0x80072321", message: "Dataverse is unavailable." } } };

describe("customer onboarding: one team per customer under races, lost answers and failed writes", () => {
  it("limits the trigger to one run at a time", () => {
    expect(flow.properties.definition.triggers.When_an_opportunity_is_won.runtimeConfiguration?.concurrency?.runs).toBe(1);
  });

  it("gives one team for two deals of one account won at once, queued by the trigger", async () => {
    world = await createWorld();
    const [a, b] = [await world.deal({ name: "First", estimatedvalue: 50000, statecode: 1 }), await world.deal({ name: "Second", estimatedvalue: 70000, statecode: 1 })];
    const runs = await Promise.all([world.run(flow, a), world.run(flow, b)]);
    expect(runs.map((r) => r.status)).toEqual(["Succeeded", "Succeeded"]);
    expect(teamsCreated(world)).toBe(1);
    expect(world.links()).toHaveLength(1);
    expect(world.links()[0].tcc_status).toBe(ACTIVE);
  });

  it("gives one team for two deals won at once without the queue: the key refuses the second claim and that run calls no Graph", async () => {
    world = await createWorld();
    const [a, b] = [await world.deal({ name: "First", estimatedvalue: 50000, statecode: 1 }), await world.deal({ name: "Second", estimatedvalue: 70000, statecode: 1 })];
    const free = unqueued();
    const runs = await Promise.all([world.run(free, a), world.run(free, b)]);
    expect(runs.map((r) => r.status)).toEqual(["Succeeded", "Succeeded"]);
    expect(teamsCreated(world)).toBe(1);
    expect(world.links()).toHaveLength(1);
    const loser = runs.find((r) => r.actions.some((x) => x.name === "Claim_customer_team" && x.status === "Failed"));
    expect(loser?.actions.find((x) => x.name === "Claim_customer_team")?.error?.message).toMatch(/matching key values/);
    expect(loser?.actions.some((x) => x.name === "Create_team" || x.name === "Get_team")).toBe(false);
  });

  it("gives one team when Graph's answer to the create is lost after the team was made: no retry, the link says the team may exist, and the next run does not create another", async () => {
    world = await createWorld();
    world.standIn.loseReplies(1, /\/teams$/, "POST");
    const won = await world.deal({ estimatedvalue: 50000, statecode: 1 });
    const run = await world.run(flow, won);
    expect(run.status).toBe("Failed");
    expect(teamsCreated(world)).toBe(1);
    const [link] = world.links();
    expect(link.tcc_status).toBe(FAILED);
    expect(text(link.tcc_lasterror)).toMatch(/^Create_team failed \(Http504\): .*the team may exist/);
    expect(run.error?.message).toMatch(/^Create_team failed \(Http504\)/);
    const again = await world.run(flow, await world.deal({ name: "Another", estimatedvalue: 1000, statecode: 1 }));
    expect(again.status).toBe("Failed");
    expect(again.error?.code).toBe("TeamMayExist");
    expect(teamsCreated(world)).toBe(1);
    expect(world.links()).toHaveLength(1);
  });

  it("finishes a run that failed after the team existed without a second team: tab, welcome and an active link", async () => {
    world = await createWorld({ graph: { outages: [{ operationIds: ["AddWebsiteTab"], status: 503, times: 5 }] } });
    const won = await world.deal({ estimatedvalue: 50000, statecode: 1 });
    expect((await world.run(flow, won)).status).toBe("Failed");
    const [failed] = world.links();
    expect(failed.tcc_status).toBe(FAILED);
    const teamId = text(failed.tcc_teamid);
    expect(world.standIn.team(teamId)?.provisioned).toBe(true);
    const again = await world.run(flow, won);
    expect(again.status).toBe("Succeeded");
    expect(again.actions.some((a) => a.name === "Create_team")).toBe(false);
    expect(teamsCreated(world)).toBe(1);
    expect(world.links()).toHaveLength(1);
    expect(world.links()[0]).toMatchObject({ tcc_status: ACTIVE, tcc_teamid: teamId, tcc_lasterror: null, tcc_lasterrordetail: null, tcc_weburl: world.standIn.team(teamId)?.webUrl });
    const sales = [...(world.standIn.team(teamId)?.channels.values() ?? [])].find((c) => c.displayName === "Sales");
    expect(sales?.tabs).toHaveLength(1);
    expect(posts(world, "POST /teams/{team-id}/channels/{channel-id}/messages")).toHaveLength(1);
  });

  it("records the team and the failure when writing the team id to the link fails, and the next run completes without a second team", async () => {
    world = await createWorld();
    const won = await world.deal({ estimatedvalue: 50000, statecode: 1 });
    const first = await world.run(flow, won, (req) => (req.actionName === "Record_team_id" ? down : undefined));
    expect(first.status).toBe("Failed");
    const [link] = world.links();
    expect(link.tcc_status).toBe(FAILED);
    expect(link.tcc_lasterror).toBe("Record_team_id failed (Http503).");
    expect(link.tcc_lasterrordetail).toBe("Record_team_id failed (Http503): Dataverse is unavailable.");
    expect(world.standIn.team(text(link.tcc_teamid))).toBeDefined();
    expect(posts(world, "POST /teams/{team-id}/channels/{channel-id}/tabs")).toHaveLength(0);
    const again = await world.run(flow, won);
    expect(again.status).toBe("Succeeded");
    expect(teamsCreated(world)).toBe(1);
    expect(world.links()).toHaveLength(1);
    expect(world.links()[0]).toMatchObject({ tcc_status: ACTIVE, tcc_teamid: link.tcc_teamid });
  });

  it("names Dataverse's message for both writes when the link cannot even be marked failed", async () => {
    world = await createWorld();
    const run = await world.run(flow, await world.deal({ estimatedvalue: 50000, statecode: 1 }), (req) =>
      req.actionName === "Record_team_id" || req.actionName === "Mark_link_failed" ? down : undefined);
    expect(run.status).toBe("Failed");
    const teamId = (posts(world, "GET /teams/{team-id}/operations/{operation-id}")[0].path.split("/")[3]);
    expect(run.error?.message).toBe(`Record_team_id failed (Http503): Dataverse is unavailable. | and recording the failure failed: Mark_link_failed (Http503): Dataverse is unavailable. | the team ${decodeURIComponent(teamId)} exists: enter this id in Team ID on the customer's Teams Link and mark it Failed`);
    expect(world.standIn.team(decodeURIComponent(teamId))).toBeDefined();
    expect(teamsCreated(world)).toBe(1);
  });

  it("says which setting is missing and creates nothing when the Dynamics 365 URL is empty", async () => {
    world = await createWorld({ parameters: { "Dynamics 365 URL (tcc_Dynamics365Url)": "" } });
    const run = await world.run(flow, await world.deal({ estimatedvalue: 50000, statecode: 1 }));
    expect(run.status).toBe("Failed");
    expect(run.error?.code).toBe("MissingSetting");
    expect(run.error?.message).toContain("Dynamics 365 URL (tcc_Dynamics365Url)");
    expect(world.links()).toHaveLength(0);
    expect(world.standIn.accepted).toHaveLength(0);
  });

  it.each([`Café "Ünïcode", O'Brien & Co`, `L'Oréal, S.A. ("Paris")`, "深圳华信科技有限公司，'总部'"])("onboards an account named %j: the claim, the team and the welcome take the name as it is", async (name) => {
    world = await createWorld({}, name);
    const run = await world.run(flow, await world.deal({ estimatedvalue: 50000, statecode: 1 }));
    expect(run.status).toBe("Succeeded");
    expect(world.links()[0]).toMatchObject({ tcc_name: name, tcc_status: ACTIVE });
    expect((posts(world, "POST /teams")[0].body as { displayName: string; description: string }).displayName).toBe(name);
    expect((posts(world, "POST /teams")[0].body as { description: string }).description).toContain(name);
  });
});
