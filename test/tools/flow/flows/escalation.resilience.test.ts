/** Deal escalation under races, lost answers, failed writes and hostile input: one chat per deal, and a trace of every failure. */
import { createWorld, loadFlow, text, type World } from "./world";
import type { FlowFile } from "../../../../tools/flow/runner";

const flow = loadFlow("Dealescalation");
const ACTIVE = 615300001;
const FAILED = 615300003;

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const chats = (w: World) => w.standIn.accepted.filter((r) => r.route === "POST /chats");
const cards = (w: World) =>
  w.standIn.accepted
    .filter((r) => r.route === "POST /chats/{chat-id}/messages" && (r.body as { attachments?: unknown[] }).attachments !== undefined)
    .map((r) => JSON.parse((r.body as { attachments: { content: string }[] }).attachments[0].content) as { body: { text?: string; facts?: { value: string }[] }[] });
/** The same flow without the trigger's concurrency control: the alternate key alone must keep runs apart. */
function unqueued(): FlowFile {
  const copy = structuredClone(flow);
  delete copy.properties.definition.triggers.When_an_open_opportunity_changes.runtimeConfiguration;
  return copy;
}

describe("deal escalation: one chat per deal under races and retries", () => {
  it("limits the trigger to one run at a time", () => {
    expect(flow.properties.definition.triggers.When_an_open_opportunity_changes.runtimeConfiguration?.concurrency?.runs).toBe(1);
  });

  it("gives one chat for two runs started together for the same deal, queued by the trigger", async () => {
    world = await createWorld({ approvals: [{ outcome: "Approve" }, { outcome: "Approve" }] });
    const row = await world.deal({ estimatedvalue: 150000 });
    const runs = await Promise.all([world.run(flow, row), world.run(flow, row)]);
    expect(runs.map((r) => r.status)).toEqual(["Succeeded", "Succeeded"]);
    expect(chats(world)).toHaveLength(1);
    expect(world.links()).toHaveLength(1);
    expect(world.approvals.created).toHaveLength(1);
  });

  it("gives one chat for two runs started together without the queue: the key refuses the second claim and that run calls no Graph", async () => {
    world = await createWorld({ approvals: [{ outcome: "Approve" }, { outcome: "Approve" }] });
    const row = await world.deal({ estimatedvalue: 150000 });
    const free = unqueued();
    const runs = await Promise.all([world.run(free, row), world.run(free, row)]);
    expect(runs.map((r) => r.status)).toEqual(["Succeeded", "Succeeded"]);
    expect(chats(world)).toHaveLength(1);
    expect(world.links()).toHaveLength(1);
    const loser = runs.find((r) => r.actions.some((a) => a.name === "Claim_deal_room" && a.status === "Failed"));
    expect(loser?.actions.find((a) => a.name === "Claim_deal_room")?.error?.message).toMatch(/matching key values/);
    expect(loser?.actions.some((a) => a.name === "Create_deal_room")).toBe(false);
  });

  it("gives one chat when Graph's answer to the create is lost after the chat was made: no automatic retry, the link says so", async () => {
    world = await createWorld({ approvals: [{ outcome: "Approve" }] });
    world.standIn.loseReplies(1, /\/chats$/, "POST");
    const run = await world.run(flow, await world.deal({ estimatedvalue: 150000 }));
    expect(run.status).toBe("Failed");
    expect(chats(world)).toHaveLength(1);
    const [link] = world.links();
    expect(link.tcc_status).toBe(FAILED);
    expect(link.tcc_lasterror).toBe("Create_deal_room failed (Http504).");
    expect(link.tcc_lasterrordetail).toMatch(/^Create_deal_room failed \(Http504\): /);
    expect(run.error?.message).toMatch(/^Create_deal_room failed/);
  });

  it("restarts a run that failed after the chat existed without a new chat, and finishes the room", async () => {
    world = await createWorld({ approvals: [{ outcome: "Approve" }] });
    const row = await world.deal({ estimatedvalue: 150000 });
    world.standIn.throttle(5, 1, /\/messages$/);
    const first = await world.run(flow, row);
    expect(first.status).toBe("Failed");
    const [failed] = world.links();
    expect(failed.tcc_status).toBe(FAILED);
    expect(failed.tcc_lasterror).toMatch(/^Post_deal_card failed \(Http429\)/);
    const chatId = text(failed.tcc_chatid);
    expect(world.standIn.chat(chatId)).toBeDefined();
    const again = await world.run(flow, row);
    expect(again.status).toBe("Succeeded");
    expect(chats(world)).toHaveLength(1);
    expect(world.links()).toHaveLength(1);
    expect(world.links()[0]).toMatchObject({ tcc_status: ACTIVE, tcc_chatid: chatId, tcc_lasterror: null, tcc_lasterrordetail: null });
  });

  it("records the chat and the failure when writing the chat to the link fails, and the next run completes without a second chat", async () => {
    world = await createWorld({ approvals: [{ outcome: "Approve" }] });
    const row = await world.deal({ estimatedvalue: 150000 });
    const first = await world.run(flow, row, (req) =>
      req.actionName === "Record_chat_on_link" ? { statusCode: 503, body: { error: { code: "0x80072321", message: "Dataverse is unavailable." } } } : undefined);
    expect(first.status).toBe("Failed");
    const [link] = world.links();
    expect(link.tcc_status).toBe(FAILED);
    expect(link.tcc_lasterror).toBe("Record_chat_on_link failed (Http503).");
    expect(link.tcc_lasterrordetail).toBe("Record_chat_on_link failed (Http503): Dataverse is unavailable.");
    expect(world.standIn.chat(text(link.tcc_chatid))).toBeDefined();
    const again = await world.run(flow, row);
    expect(again.status).toBe("Succeeded");
    expect(chats(world)).toHaveLength(1);
    expect(world.links()[0].tcc_status).toBe(ACTIVE);
  });

  it("names Dataverse's message when the link cannot even be marked failed", async () => {
    world = await createWorld({ approvals: [{ outcome: "Approve" }] });
    const row = await world.deal({ estimatedvalue: 150000 });
    const down = { statusCode: 503, body: { error: { code: "0x80072321", message: "Dataverse is unavailable." } } };
    const run = await world.run(flow, row, (req) => (req.actionName === "Record_chat_on_link" || req.actionName === "Mark_deal_room_failed" ? down : undefined));
    expect(run.status).toBe("Failed");
    expect(run.error?.message).toBe("Record_chat_on_link failed (Http503): Dataverse is unavailable. | and recording the failure failed: Mark_deal_room_failed (Http503): Dataverse is unavailable.");
    expect(chats(world)).toHaveLength(1);
  });

  it("says which setting is missing and creates nothing when the Dynamics 365 URL is empty", async () => {
    world = await createWorld({ parameters: { "Dynamics 365 URL (tcc_Dynamics365Url)": " " } });
    const run = await world.run(flow, await world.deal({ estimatedvalue: 150000 }));
    expect(run.status).toBe("Failed");
    expect(run.error?.code).toBe("MissingSetting");
    expect(run.error?.message).toContain("Dynamics 365 URL (tcc_Dynamics365Url)");
    expect(world.links()).toHaveLength(0);
    expect(world.standIn.accepted).toHaveLength(0);
  });

  it("writes an apostrophe in a deal-desk address as an OData literal (doubled quote), and Graph makes the deal room with that member", async () => {
    world = await createWorld({ approvals: [{ outcome: "Approve" }], parameters: { "Deal Desk Colleagues (tcc_DealDeskColleagues)": "o'brien@contoso.example" } });
    const run = await world.run(flow, await world.deal({ name: "Café, \"Ünïcode\" & co's deal", estimatedvalue: 150000 }));
    const create = run.actions.find((a) => a.name === "Create_deal_room");
    const members = ((create?.inputs as { parameters: { "body/members": { "user@odata.bind": string }[] } }).parameters["body/members"]).map((m) => m["user@odata.bind"]);
    expect(members).toContain("https://graph.microsoft.com/v1.0/users('o''brien@contoso.example')");
    expect(run.status).toBe("Succeeded");
    expect(chats(world)).toHaveLength(1);
    expect(world.links()[0].tcc_chatid).toEqual(expect.any(String));
  });
});

describe("deal escalation: names reach the card and the approval as literal text", () => {
  /** What a CommonMark renderer shows for backslash-escaped text: every escaped punctuation character as itself. */
  const shown = (markdown: string) => markdown.replace(/\\([!-/:-@[-`{-~])/g, "$1");
  /** No unescaped Markdown syntax is left: every markup character is preceded by a backslash. */
  const inert = (markdown: string) => !/(^|[^\\])(\\\\)*[`*_[\]()#+\-.!<>|~{}]/.test(markdown.replace(/\\\\/g, ""));
  const hostile = [
    "[Click](https://x) **now**",
    "_emphasis_ and *more* and ~~strike~~ and `code`",
    "<b>bold</b> <script>alert(1)</script> &amp;",
    "# Heading\n- list item\n1. numbered > quote | pipe",
    "深圳 [交易]（第二期）** 重要 **",
    `${"[x](y) ".repeat(40)}end`,
  ];
  it.each(hostile)("keeps %j literal in the card's TextBlock and the approval's details", async (name) => {
    world = await createWorld({ approvals: [{ outcome: "Approve" }] });
    const run = await world.run(flow, await world.deal({ name, estimatedvalue: 150000 }));
    expect(run.status).toBe("Succeeded");
    const text = cards(world)[0].body[1].text ?? "";
    expect(inert(text)).toBe(true);
    expect(shown(text)).toBe(name);
    const details = world.approvals.created[0].details ?? "";
    expect(details.startsWith("Deal: ")).toBe(true);
    const escapedName = details.slice("Deal: ".length, details.indexOf(". Value in base currency"));
    expect(inert(escapedName)).toBe(true);
    expect(shown(escapedName)).toBe(name);
  });
});
