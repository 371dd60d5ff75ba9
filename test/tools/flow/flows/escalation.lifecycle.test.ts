/**
 * Deal room lifecycle (issue 15 item 2): the link is Active as soon as the chat exists, the approval's state lives in
 * tcc_approvalstatus, and a rejected or timed-out approval starts again in the same chat on the next qualifying change.
 */
import { createWorld, loadFlow, text, type World } from "./world";
import type { JsonValue } from "../../../../tools/flow/expressions";
import type { ConnectorRequest } from "../../../../tools/flow/runner";

const flow = loadFlow("Dealescalation");
const PROVISIONING = 615300000;
const ACTIVE = 615300001;
const FAILED = 615300003;
const APPROVAL = { pending: 615300000, approved: 615300001, rejected: 615300002, timedOut: 615300003 } as const;
const DEAL_ROOM_KIND = 615300002;

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const chats = (w: World) => w.standIn.accepted.filter((r) => r.route === "POST /chats");
const posts = (w: World) =>
  w.standIn.accepted
    .filter((r) => r.route === "POST /chats/{chat-id}/messages")
    .map((r) => ({ chat: decodeURIComponent(r.path), ...(r.body as { body: { content: string }; attachments?: unknown[] }) }));
const notes = (w: World) => [...w.store.rows("annotation")];
const only = (w: World) => {
  const links = w.links();
  expect(links).toHaveLength(1);
  return links[0];
};
/** The link as it stands when the flow starts to wait for the approver, and when it creates the chat. */
function watch(w: World) {
  const seen: { waiting: Record<string, JsonValue>[]; creatingChat: Record<string, JsonValue>[] } = { waiting: [], creatingChat: [] };
  const intercept = (request: ConnectorRequest) => {
    if (request.operationId === "WaitForAnApproval") seen.waiting.push(only(w));
    if (request.operationId === "CreateGroupChat") seen.creatingChat.push(only(w));
    return undefined;
  };
  return { seen, intercept };
}
/** The board's deal-room query (components/PipelineBoard/PipelineBoard/model/teams.ts) with the approval state, through the Web API. */
async function boardQuery(w: World, opportunityId: string) {
  const filter = `_tcc_opportunityid_value eq ${opportunityId} and tcc_status eq ${ACTIVE} and statecode eq 0`;
  const response = await w.webApi.handle({
    method: "GET",
    url: `/api/data/v9.2/tcc_teamslinks?$select=tcc_weburl,tcc_chatid,tcc_kind,tcc_approvalstatus&$filter=${encodeURIComponent(filter)}&$top=10`,
    headers: { Prefer: 'odata.include-annotations="OData.Community.Display.V1.FormattedValue"' },
  });
  expect(response.status).toBe(200);
  return (JSON.parse(response.body) as { value: Record<string, JsonValue>[] }).value;
}
/** A qualifying change the user makes in Dynamics 365: the deal's estimated revenue, as the trigger delivers it. */
async function changeValue(w: World, opportunityId: string, estimatedvalue: number) {
  const patch = await w.webApi.handle({ method: "PATCH", url: `/api/data/v9.2/opportunities(${opportunityId})`, headers: { "Content-Type": "application/json" }, body: JSON.stringify({ estimatedvalue }) });
  expect(patch.status).toBe(204);
  const response = await w.webApi.handle({ method: "GET", url: `/api/data/v9.2/opportunities(${opportunityId})`, headers: { Prefer: 'odata.include-annotations="*"' } });
  return JSON.parse(response.body) as Record<string, JsonValue>;
}

describe("deal room lifecycle: Active while the approval waits, the approval's state in its own column", () => {
  it("is Provisioning until the chat exists, then Active with approval Pending for the whole wait, and the board's query finds it", async () => {
    world = await createWorld({ approvals: [{ outcome: "Approve", afterMs: 3 * 24 * 3600 * 1000 }] });
    const row = await world.deal({ estimatedvalue: 150000 });
    const w = world;
    const seen: Record<string, JsonValue>[][] = [];
    const { seen: states, intercept } = watch(w);
    const run = await w.run(flow, row, (request) => {
      intercept(request);
      if (request.operationId === "WaitForAnApproval") void boardQuery(w, text(row.opportunityid)).then((rows) => seen.push(rows));
      return undefined;
    });
    expect(run.status).toBe("Succeeded");
    expect(states.creatingChat).toHaveLength(1);
    expect(states.creatingChat[0]).toMatchObject({ tcc_kind: DEAL_ROOM_KIND, tcc_status: PROVISIONING, tcc_chatid: null });
    expect(states.creatingChat[0].tcc_approvalstatus ?? null).toBeNull();
    expect(states.waiting).toHaveLength(1);
    expect(states.waiting[0]).toMatchObject({ tcc_status: ACTIVE, tcc_approvalstatus: APPROVAL.pending });
    expect(text(states.waiting[0].tcc_chatid)).not.toBe("");
    expect(seen).toEqual([[expect.objectContaining({
      tcc_chatid: states.waiting[0].tcc_chatid,
      tcc_approvalstatus: APPROVAL.pending,
      "tcc_approvalstatus@OData.Community.Display.V1.FormattedValue": "Pending",
    })]]);
  });

  it.each([
    ["Approve", APPROVAL.approved, "Deal escalation: Approved"],
    ["Reject", APPROVAL.rejected, "Deal escalation: Rejected"],
  ] as const)("records %s as its approval state, keeps the link Active and writes the decision note as before", async (outcome, state, subject) => {
    world = await createWorld({ approvals: [{ outcome, comments: "Noted" }] });
    const run = await world.run(flow, await world.deal({ estimatedvalue: 150000 }));
    expect(run.status).toBe("Succeeded");
    expect(only(world)).toMatchObject({ tcc_status: ACTIVE, tcc_approvalstatus: state, tcc_lasterror: null });
    expect(notes(world).map((n) => n.subject)).toEqual([subject]);
  });

  it("records Timed out when nobody answers in seven days, writes no note, and says in both languages how to start it again", async () => {
    world = await createWorld({ approvals: [{ outcome: "NoResponse" }] });
    const run = await world.run(flow, await world.deal({ estimatedvalue: 150000 }));
    expect(run.status).toBe("Succeeded");
    expect(only(world)).toMatchObject({ tcc_status: ACTIVE, tcc_approvalstatus: APPROVAL.timedOut });
    expect(notes(world)).toHaveLength(0);
    const expired = posts(world)[1].body.content;
    expect(expired).toContain("To start it again: ask the approver, then change this deal&#39;s <b>Est. Revenue</b> or <b>Currency</b> in Dynamics 365");
    expect(expired).toContain("The next such change starts a new approval in this chat; no new chat is created.");
    expect(expired).toContain("重新发起的方法：联系审批人，然后在 Dynamics 365 中修改此商机的<b>预计收入</b>或<b>货币</b>");
    expect(expired).toContain("下一次这样的修改会在此群聊中发起新的审批，不会新建群聊。");
  });

  it("tells the chat after a rejection how to ask again, and after an approval says nothing of it", async () => {
    world = await createWorld({ approvals: [{ outcome: "Reject" }] });
    await world.run(flow, await world.deal({ estimatedvalue: 150000 }));
    const rejected = posts(world)[1].body.content;
    expect(rejected).toContain("<p>To ask again: change this deal&#39;s <b>Est. Revenue</b> or <b>Currency</b> in Dynamics 365");
    expect(rejected).toContain("<p>如需重新申请：在 Dynamics 365 中修改此商机的<b>预计收入</b>或<b>货币</b>");
    await world.close();
    world = await createWorld({ approvals: [{ outcome: "Approve" }] });
    await world.run(flow, await world.deal({ estimatedvalue: 150000 }));
    const approved = posts(world)[1].body.content;
    expect(approved).not.toContain("To ask again");
    expect(approved).not.toContain("如需重新申请");
  });
});

describe("deal room lifecycle: starting a rejected or timed-out approval again", () => {
  it("starts a new approval in the same chat after a timeout, on the next change of the deal's value: one chat, Pending during the wait, then Approved", async () => {
    world = await createWorld({ approvals: [{ outcome: "NoResponse" }, { outcome: "Approve", comments: "Now yes" }] });
    const row = await world.deal({ estimatedvalue: 150000 });
    const id = text(row.opportunityid);
    expect((await world.run(flow, row)).status).toBe("Succeeded");
    const chatId = text(only(world).tcc_chatid);
    expect(only(world).tcc_approvalstatus).toBe(APPROVAL.timedOut);

    const { seen, intercept } = watch(world);
    const again = await world.run(flow, await changeValue(world, id, 160000), intercept);
    expect(again.status).toBe("Succeeded");
    expect(chats(world)).toHaveLength(1);
    expect(again.actions.some((a) => a.name === "Create_deal_room")).toBe(false);
    expect(seen.creatingChat).toHaveLength(0);
    expect(seen.waiting).toEqual([expect.objectContaining({ tcc_status: ACTIVE, tcc_approvalstatus: APPROVAL.pending, tcc_chatid: chatId })]);
    expect(world.approvals.created).toHaveLength(2);
    expect(only(world)).toMatchObject({ tcc_status: ACTIVE, tcc_approvalstatus: APPROVAL.approved, tcc_chatid: chatId });
    // card, expiry; card, decision: all four in the one chat
    expect(posts(world).map((p) => p.chat)).toEqual(Array(4).fill(`/v1.0/chats/${chatId}/messages`));
    expect(posts(world)[3].body.content).toContain("<b>Approved</b>");
    expect(notes(world).map((n) => n.subject)).toEqual(["Deal escalation: Approved"]);
  });

  it("starts a new approval in the same chat after a rejection, and a second timeout can be restarted too", async () => {
    world = await createWorld({ approvals: [{ outcome: "Reject" }, { outcome: "NoResponse" }, { outcome: "Approve" }] });
    const row = await world.deal({ estimatedvalue: 150000 });
    const id = text(row.opportunityid);
    await world.run(flow, row);
    expect(only(world).tcc_approvalstatus).toBe(APPROVAL.rejected);
    await world.run(flow, await changeValue(world, id, 140000));
    expect(only(world).tcc_approvalstatus).toBe(APPROVAL.timedOut);
    const last = await world.run(flow, await changeValue(world, id, 145000));
    expect(last.status).toBe("Succeeded");
    expect(only(world)).toMatchObject({ tcc_status: ACTIVE, tcc_approvalstatus: APPROVAL.approved });
    expect(world.approvals.created).toHaveLength(3);
    expect(chats(world)).toHaveLength(1);
  });

  it("starts nothing for an approved deal room, nor for a deal that fell below the threshold after a timeout", async () => {
    world = await createWorld({ approvals: [{ outcome: "NoResponse" }, { outcome: "Approve" }] });
    const row = await world.deal({ estimatedvalue: 150000 });
    const id = text(row.opportunityid);
    await world.run(flow, row);
    const writes = world.standIn.accepted.length;
    expect((await world.run(flow, await changeValue(world, id, 90000))).status).toBe("Succeeded");
    expect(world.standIn.accepted).toHaveLength(writes);
    expect(world.approvals.created).toHaveLength(1);
    expect(only(world).tcc_approvalstatus).toBe(APPROVAL.timedOut);

    await world.run(flow, await changeValue(world, id, 150000));
    expect(only(world).tcc_approvalstatus).toBe(APPROVAL.approved);
    const settled = world.standIn.accepted.length;
    expect((await world.run(flow, await changeValue(world, id, 170000))).status).toBe("Succeeded");
    expect(world.standIn.accepted).toHaveLength(settled);
    expect(world.approvals.created).toHaveLength(2);
  });

  it("marks the link Failed, keeps the chat and the last approval state, when recording Pending fails; the next change repairs it in the same chat", async () => {
    world = await createWorld({ approvals: [{ outcome: "NoResponse" }, { outcome: "Approve" }, { outcome: "Approve" }] });
    const row = await world.deal({ estimatedvalue: 150000 });
    const id = text(row.opportunityid);
    await world.run(flow, row);
    const chatId = text(only(world).tcc_chatid);
    const down = { statusCode: 503, body: { error: { code: "0x80072321", message: "Dataverse is unavailable." } } };
    const failed = await world.run(flow, await changeValue(world, id, 160000), (r) => (r.actionName === "Record_approval_pending" ? down : undefined));
    expect(failed.status).toBe("Failed");
    expect(only(world)).toMatchObject({ tcc_status: FAILED, tcc_chatid: chatId, tcc_approvalstatus: APPROVAL.timedOut, tcc_lasterror: "Record_approval_pending failed (Http503)." });
    const repaired = await world.run(flow, await changeValue(world, id, 165000));
    expect(repaired.status).toBe("Succeeded");
    expect(only(world)).toMatchObject({ tcc_status: ACTIVE, tcc_chatid: chatId, tcc_approvalstatus: APPROVAL.approved, tcc_lasterror: null });
    expect(chats(world)).toHaveLength(1);
  });
});
