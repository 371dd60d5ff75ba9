import { AAD, createWorld, IDS, loadFlow, text, type World } from "./world";
import type { Scenario } from "../../../../tools/flow/dispatchers";

const flow = loadFlow("Dealescalation");
const ACTIVE = 615300001;
const FAILED = 615300003;

let world: World;
afterEach(async () => {
  await world.close();
});

const requests = (w: World, route: string) => w.standIn.accepted.filter((r) => r.route === route);
const chatPosts = (w: World) => requests(w, "POST /chats/{chat-id}/messages").map((r) => r.body as { body: { content: string }; attachments?: { content: string }[] });
const notes = (w: World) => [...w.store.rows("annotation")];

async function escalate(scenario: Scenario, deal: Parameters<World["deal"]>[0]) {
  world = await createWorld(scenario);
  const row = await world.deal(deal);
  return { row, run: await world.run(flow, row) };
}

describe("deal escalation flow", () => {
  it("opens a deal room with owner, manager and deal desk, posts the card, and writes an approval back as a note and a chat post", async () => {
    const { row, run } = await escalate({ approvals: [{ outcome: "Approve", comments: "Go ahead" }] }, { name: "Contoso expansion", estimatedvalue: 150000 });
    expect(run.status).toBe("Succeeded");

    const [create] = requests(world, "POST /chats");
    const members = (create.body as { members: { "user@odata.bind": string }[] }).members.map((m) => m["user@odata.bind"]);
    expect(members).toEqual([
      `https://graph.microsoft.com/v1.0/users('${AAD.owner}')`,
      `https://graph.microsoft.com/v1.0/users('${AAD.manager}')`,
      `https://graph.microsoft.com/v1.0/users('${AAD.service}')`,
      "https://graph.microsoft.com/v1.0/users('colleague@contoso.example')",
    ]);
    expect((create.body as { topic: string }).topic).toBe("Deal room: Contoso expansion");

    const [cardPost, outcome] = chatPosts(world);
    const card = JSON.parse(cardPost.attachments?.[0].content ?? "") as { body: { text?: string }[]; actions: { url: string }[] };
    expect(card.body[1].text).toBe("Contoso expansion");
    expect(card.actions[0].url).toBe(`https://contoso.crm.dynamics.com/main.aspx?pagetype=entityrecord&etn=opportunity&id=${text(row.opportunityid)}`);

    expect(world.approvals.created).toHaveLength(1);
    expect(world.approvals.created[0].assignedTo).toEqual(["alex@contoso.example"]);
    const [note] = notes(world);
    expect(note.subject).toBe("Deal escalation: Approved");
    expect(note.notetext).toContain("Comments: Go ahead");
    expect(note.objectid).toEqual({ id: row.opportunityid, table: "opportunity" });
    expect(outcome.body.content).toContain("<b>Approved</b>");
    expect(outcome.body.content).toContain("已批准");

    const [link] = world.links();
    expect(link).toMatchObject({ tcc_kind: 615300002, tcc_status: ACTIVE });
    expect(world.standIn.chat(text(link.tcc_chatid))).toBeDefined();
  });

  it("creates the deal room with a service-account connection: the connection's own user joins as an owner, by the id Graph gives for it", async () => {
    const { run } = await escalate({ approvals: [{ outcome: "Approve" }] }, { estimatedvalue: 150000 });
    expect(world.standIn.signedInUserId).toBe(AAD.service);
    expect(run.status).toBe("Succeeded");
    expect(requests(world, "GET /me")).toHaveLength(1);
    const members = (requests(world, "POST /chats")[0].body as { members: { roles: string[]; "user@odata.bind": string }[] }).members;
    expect(members).toContainEqual({ "@odata.type": "#microsoft.graph.aadUserConversationMember", roles: ["owner"], "user@odata.bind": `https://graph.microsoft.com/v1.0/users('${AAD.service}')` });
    const chat = world.standIn.chat(text(world.links()[0].tcc_chatid));
    expect(chat?.members.get(AAD.service)).toEqual(["owner"]);
    expect([...(chat?.members.keys() ?? [])].sort()).toEqual([AAD.owner, AAD.manager, AAD.colleague, AAD.service].sort());
  });

  it("is refused by Graph with the old members (owner, manager and deal desk without the connection's user)", async () => {
    const old = structuredClone(flow);
    const room = (old.properties.definition.actions.Is_a_large_open_deal.actions?.Deal_room_is_ours.actions?.Open_deal_room.actions ?? {}) as Record<string, { inputs?: unknown }>;
    room.Core_members.inputs = (room.Core_members.inputs as unknown[]).slice(0, 2);
    const { run } = await escalate({ approvals: [{ outcome: "Approve" }] }, { estimatedvalue: 150000 });
    expect(run.status).toBe("Succeeded");
    const again = await world.deal({ name: "Second deal", estimatedvalue: 150000 });
    const refused = await world.run(old, again);
    expect(refused.status).toBe("Failed");
    const create = refused.actions.find((a) => a.name === "Create_deal_room");
    expect(create?.error).toEqual({ code: "Http400", message: "The signed-in user must be one of the chat members" });
    expect(world.links().find((l) => (l.tcc_opportunityid as { id?: string } | null)?.id === again.opportunityid)?.tcc_status).toBe(FAILED);
  });

  it("lists a connection user who is also on the deal desk once, by id", async () => {
    const { run } = await escalate({ approvals: [{ outcome: "Approve" }], graph: { signedInUser: AAD.colleague } }, { estimatedvalue: 150000 });
    expect(run.status).toBe("Succeeded");
    const members = (requests(world, "POST /chats")[0].body as { members: { "user@odata.bind": string }[] }).members.map((m) => m["user@odata.bind"]);
    expect(members).toEqual([AAD.owner, AAD.manager, AAD.colleague].map((id) => `https://graph.microsoft.com/v1.0/users('${id}')`));
  });

  it("lists a connection user who owns the deal once", async () => {
    const { run } = await escalate({ approvals: [{ outcome: "Approve" }], graph: { signedInUser: AAD.owner } }, { estimatedvalue: 150000 });
    expect(run.status).toBe("Succeeded");
    const members = (requests(world, "POST /chats")[0].body as { members: { "user@odata.bind": string }[] }).members.map((m) => m["user@odata.bind"]);
    expect(members).toEqual([
      `https://graph.microsoft.com/v1.0/users('${AAD.owner}')`,
      `https://graph.microsoft.com/v1.0/users('${AAD.manager}')`,
      "https://graph.microsoft.com/v1.0/users('colleague@contoso.example')",
    ]);
  });

  it("writes @odata.type on every chat member and contentType on the card attachment itself", async () => {
    const { run } = await escalate({ approvals: [{ outcome: "Approve" }] }, { estimatedvalue: 150000 });
    expect(run.status).toBe("Succeeded");
    const members = (requests(world, "POST /chats")[0].body as { members: Record<string, unknown>[] }).members;
    for (const m of members) expect(m["@odata.type"]).toBe("#microsoft.graph.aadUserConversationMember");
    expect(chatPosts(world)[0].attachments?.map((a) => (a as { contentType?: string }).contentType)).toEqual(["application/vnd.microsoft.card.adaptive"]);
    // Written in the definition, not left to the request builder: the members come from one expression, which gets no internal values.
    const actions = JSON.stringify(flow.properties.definition);
    expect(actions.match(/"@@odata\.type":"#microsoft\.graph\.aadUserConversationMember"/g)).toHaveLength(4);
    expect(actions).toContain('"contentType":"application/vnd.microsoft.card.adaptive"');
  });

  it("fails at Graph, not in the connector, when the members an expression produces lack @odata.type", async () => {
    const stripped = JSON.parse(JSON.stringify(flow).split('"@@odata.type":"#microsoft.graph.aadUserConversationMember",').join("")) as typeof flow;
    world = await createWorld({ approvals: [{ outcome: "Approve" }] });
    const run = await world.run(stripped, await world.deal({ estimatedvalue: 150000 }));
    expect(run.status).toBe("Failed");
    const create = run.actions.find((a) => a.name === "Create_deal_room");
    expect(create?.error?.code).toBe("Http400");
    expect(create?.error?.message).toMatch(/required property '@odata\.type'/);
    expect(world.teams.sent.filter((r) => r.operationId === "CreateGroupChat")).toHaveLength(1);
    expect(requests(world, "POST /chats")).toHaveLength(0);
  });

  it("writes a rejection and its comments to the opportunity and the chat", async () => {
    const { run } = await escalate({ approvals: [{ outcome: "Reject", comments: "Margin too thin" }] }, { estimatedvalue: 200000 });
    expect(run.status).toBe("Succeeded");
    expect(notes(world)[0].subject).toBe("Deal escalation: Rejected");
    const outcome = chatPosts(world)[1].body.content;
    expect(outcome).toContain("<b>Rejected</b>");
    expect(outcome).toContain("Margin too thin");
  });

  it("reports an approval that times out after seven days in the chat, writes no decision, and still records the room", async () => {
    const { run } = await escalate({ approvals: [{ outcome: "NoResponse" }] }, { estimatedvalue: 150000 });
    expect(run.status).toBe("Succeeded");
    expect(run.actions.find((a) => a.name === "Wait_for_approval")?.status).toBe("TimedOut");
    expect(new Date(run.endTime).getTime() - new Date(run.startTime).getTime()).toBe(7 * 24 * 3600 * 1000);
    expect(notes(world)).toHaveLength(0);
    const posts = chatPosts(world);
    expect(posts).toHaveLength(2);
    expect(posts[1].body.content).toContain("no answer within 7 days");
    expect(world.links()[0].tcc_status).toBe(ACTIVE);
  });

  it("does nothing for a deal just below the threshold and escalates one exactly at it", async () => {
    const below = await escalate({}, { estimatedvalue: 99999.99 });
    expect(below.run.status).toBe("Succeeded");
    expect(world.standIn.accepted).toHaveLength(0);
    expect(world.links()).toHaveLength(0);
    const at = await world.deal({ estimatedvalue: 100000 });
    world.approvals.created.length = 0;
    expect((await world.run(flow, at)).status).toBe("Succeeded");
    expect(requests(world, "POST /chats")).toHaveLength(1);
  });

  it("compares the value in base currency: 710,000 CNY reaches a 100,000 USD threshold and 700,000 CNY does not", async () => {
    const small = await escalate({ approvals: [{ outcome: "Approve" }] }, { estimatedvalue: 700000, currency: "cny" });
    expect(small.row.estimatedvalue_base).toBeLessThan(100000);
    expect(requests(world, "POST /chats")).toHaveLength(0);
    const large = await world.deal({ estimatedvalue: 710000, currency: "cny" });
    expect(large.estimatedvalue_base).toBe(100000);
    expect((await world.run(flow, large)).status).toBe("Succeeded");
    expect(requests(world, "POST /chats")).toHaveLength(1);
    const card = JSON.parse(chatPosts(world)[0].attachments?.[0].content ?? "") as { body: { facts?: { value: string }[] }[] };
    expect(card.body[2].facts?.[0].value).toBe("100,000.00");
  });

  it("changes nothing when re-run for a deal that already has a deal room", async () => {
    const { row } = await escalate({ approvals: [{ outcome: "Approve" }, { outcome: "Approve" }] }, { estimatedvalue: 150000 });
    const writes = world.standIn.accepted.length;
    const again = await world.run(flow, row);
    expect(again.status).toBe("Succeeded");
    expect(world.standIn.accepted).toHaveLength(writes);
    expect(world.approvals.created).toHaveLength(1);
    expect(notes(world)).toHaveLength(1);
    expect(world.links()).toHaveLength(1);
  });

  it("retries a chat post that Graph throttles with 429, then continues", async () => {
    world = await createWorld({ approvals: [{ outcome: "Approve" }] });
    world.standIn.throttle(1, 3, /\/messages$/);
    const run = await world.run(flow, await world.deal({ estimatedvalue: 150000 }));
    expect(run.status).toBe("Succeeded");
    expect(run.actions.find((a) => a.name === "Post_deal_card")?.retryHistory?.map((r) => r.statusCode)).toEqual([429]);
    expect(chatPosts(world)).toHaveLength(2);
  });

  it("marks the deal-room link failed with Graph's error when chat creation keeps failing with 500", async () => {
    const { run } = await escalate({ graph: { outages: [{ operationIds: ["CreateGroupChat"], status: 500 }] } }, { estimatedvalue: 150000 });
    expect(run.status).toBe("Failed");
    const [link] = world.links();
    expect(link.tcc_status).toBe(FAILED);
    expect(link.tcc_lasterror).toBe("Create_deal_room failed (Http500).");
    expect(link.tcc_lasterrordetail).toBe("Create_deal_room failed (Http500): Graph answered 500 to CreateGroupChat");
    expect(world.approvals.created).toHaveLength(0);
  });

  it("escapes hostile deal names and approver comments in HTML posts and Markdown-escapes them in the card", async () => {
    const name = `<img src=x onerror=alert(1)> "Deal" & 交易 🚀`;
    const { run } = await escalate({ approvals: [{ outcome: "Approve", comments: "<b>yes</b> & 好的 👍" }] }, { name, estimatedvalue: 150000 });
    expect(run.status).toBe("Succeeded");
    const [cardPost, outcome] = chatPosts(world);
    const card = JSON.parse(cardPost.attachments?.[0].content ?? "") as { body: { text?: string }[] };
    // Markdown-escaped for the TextBlock (Adaptive Cards render no HTML; the escape keeps the text literal)
    expect(card.body[1].text).toBe(String.raw`\<img src=x onerror=alert\(1\)\> "Deal" & 交易 🚀`);
    expect(outcome.body.content).toContain("&lt;b&gt;yes&lt;/b&gt; &amp; 好的 👍");
    expect(outcome.body.content).not.toContain("<b>yes</b>");
    expect((requests(world, "POST /chats")[0].body as { topic: string }).topic).toBe(`Deal room: ${name}`);
  });

  it("ignores a won deal however large, since only open deals escalate", async () => {
    const { run } = await escalate({}, { estimatedvalue: 900000, statecode: 1 });
    expect(run.status).toBe("Succeeded");
    expect(world.standIn.accepted).toHaveLength(0);
  });

  it("creates the deal room's link owned by the deal's owner and named without the deal's details (issue 15 item 4)", async () => {
    world = await createWorld({ approvals: [{ outcome: "Approve" }] });
    const row = await world.deal({ name: "Secret merger with Fabrikam", estimatedvalue: 150000, ownerId: IDS.obrien });
    const run = await world.run(flow, row);
    expect(run.status).toBe("Succeeded");
    const [link] = world.links();
    expect(link.ownerid).toEqual({ id: IDS.obrien, table: "systemuser" });
    expect(link.tcc_name).toBe("Deal room");
    expect(JSON.stringify(link)).not.toContain("Secret merger");
    expect(link.tcc_opportunityid).toEqual({ id: row.opportunityid, table: "opportunity" });
  });
});
