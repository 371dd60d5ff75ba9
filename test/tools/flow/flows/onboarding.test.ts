import { AAD, createWorld, IDS, loadFlow, text, type World } from "./world";

const flow = loadFlow("Customeronboarding");
const FAILED = 615300003;
const ACTIVE = 615300001;

let world: World;
afterEach(async () => {
  await world.close();
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

  it("retries team creation after Graph throttles it with 429 and Retry-After, then succeeds", async () => {
    world = await createWorld();
    world.standIn.throttle(1, 7, /^\/v1\.0\/teams$/);
    const run = await world.run(flow, await world.deal({ estimatedvalue: 50000, statecode: 1 }));
    expect(run.status).toBe("Succeeded");
    const create = run.actions.find((a) => a.name === "Create_team");
    expect(create?.retryHistory?.map((r) => r.statusCode)).toEqual([429]);
    expect(new Date(create?.endTime ?? 0).getTime() - new Date(create?.startTime ?? 0).getTime()).toBe(7000);
    expect(posts(world, "POST /teams")).toHaveLength(1);
  });

  it("marks the link failed with the error when Graph keeps answering 500, after the retry policy gives up", async () => {
    world = await createWorld({ graph: { outages: [{ operationIds: ["CreateTeam"], status: 500 }] } });
    const run = await world.run(flow, await world.deal({ estimatedvalue: 50000, statecode: 1 }));
    expect(run.status).toBe("Failed");
    expect(run.error?.code).toBe("OnboardingFailed");
    expect(run.actions.find((a) => a.name === "Create_team")?.retryHistory).toHaveLength(4);
    const [link] = world.links();
    expect(link.tcc_status).toBe(FAILED);
    expect(link.tcc_lasterror).toBe("Create_team failed (Http500): Graph answered 500 to CreateTeam");
    expect(posts(world, "POST /teams")).toHaveLength(0);
  });

  it("keeps the id of a team that was created before a later step failed, so the failed link explains what exists", async () => {
    world = await createWorld({ graph: { outages: [{ operationIds: ["AddWebsiteTab"], status: 503 }] } });
    const run = await world.run(flow, await world.deal({ estimatedvalue: 50000, statecode: 1 }));
    expect(run.status).toBe("Failed");
    const [link] = world.links();
    expect(link.tcc_status).toBe(FAILED);
    expect(world.standIn.team(text(link.tcc_teamid))).toBeDefined();
    expect(text(link.tcc_lasterror)).toMatch(/^Team_is_provisioned failed/);
  });

  // Issue 15 item 1, not done yet for onboarding: the flow does not reuse a Failed link, and the account+kind key now
  // refuses the second link it creates, so the re-run fails without creating a second team (safe, but no repair).
  it("does not create a second link or team on a re-run after a failure: the account+kind key refuses the new link (repair still to do)", async () => {
    world = await createWorld({ graph: { outages: [{ operationIds: ["CreateTeam"], status: 500, times: 5 }] } });
    const won = await world.deal({ estimatedvalue: 50000, statecode: 1 });
    expect((await world.run(flow, won)).status).toBe("Failed");
    const again = await world.run(flow, won);
    expect(again.status).toBe("Failed");
    expect(again.actions.find((a) => a.name === "Record_provisioning_link")?.error?.message).toMatch(/matching key values/);
    expect(world.links().map((l) => l.tcc_status)).toEqual([FAILED]);
    expect(posts(world, "POST /teams")).toHaveLength(0);
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
