import { accountCard } from "../../../../components/CustomerContextPanel/CustomerContextPanel/model/cardModel";
import { type ActionContext, quickActions, recordUrl } from "../../../../components/CustomerContextPanel/CustomerContextPanel/model/actions";
import { ACCOUNT_ID, accountResponse, OWNER_ID } from "../fixtures";

const card = accountCard(accountResponse(), { recentActivityCount: 10, today: "2025-03-14", now: 0 });
const url = recordUrl("https://contoso.crm5.dynamics.com/", "account", `{${ACCOUNT_ID.toUpperCase()}}`);
const base: ActionContext = {
  card,
  currentUserId: "ffffffff-0000-4000-8000-000000000009",
  colleagues: ["pm@contoso.cn", "legal@contoso.cn"],
  recordUrl: url,
  texts: { topic: "商机讨论：上海华信科技有限公司", message: "关于 上海华信科技有限公司", meetingSubject: "会议：上海华信", shareMessage: "客户记录" },
  formDisabled: false,
  canCreateTask: true,
};
const byId = (ctx: ActionContext) => Object.fromEntries(quickActions(ctx).map((a) => [a.id, a]));

describe("quickActions", () => {
  it("builds the record URL of the model-driven app", () => {
    expect(url).toBe(`https://contoso.crm5.dynamics.com/main.aspx?pagetype=entityrecord&etn=account&id=${ACCOUNT_ID}`);
  });

  it("chats with the owner one-to-one and with owner plus colleagues under the customer topic", () => {
    const a = byId(base);
    expect(new URL(a.chatOwner.url ?? "").searchParams.get("users")).toBe("wang.wei@contoso.cn");
    const group = new URL(a.groupChat.url ?? "").searchParams;
    expect(group.get("users")).toBe("wang.wei@contoso.cn,pm@contoso.cn,legal@contoso.cn");
    expect(group.get("topicName")).toBe("商机讨论：上海华信科技有限公司");
  });

  it("invites the owner and the customer's contacts to the meeting, with the record link as agenda", () => {
    const meeting = new URL(byId(base).meeting.url ?? "").searchParams;
    expect(meeting.get("attendees")).toBe("wang.wei@contoso.cn,li.na@customer.example");
    expect(meeting.get("subject")).toBe("会议：上海华信");
    expect(meeting.get("content")).toBe(url);
  });

  it("shares and copies the record URL and opens the customer's Team, not a chat row", () => {
    const a = byId(base);
    expect(new URL(a.share.url ?? "").searchParams.get("href")).toBe(url);
    expect(a.copyLink.url).toBe(url);
    expect(a.openTeam.url).toBe("https://teams.microsoft.com/l/team/19%3Ateam1%40thread.tacv2/conversations");
    expect(a.followUp.unavailable).toBeUndefined();
  });

  it("offers no chat with oneself when the user owns the record, and keeps the colleagues' group chat", () => {
    const a = byId({ ...base, currentUserId: `{${OWNER_ID.toUpperCase()}}` });
    expect(a.chatOwner.unavailable).toBe("Action_YouOwn");
    expect(new URL(a.groupChat.url ?? "").searchParams.get("users")).toBe("pm@contoso.cn,legal@contoso.cn");
  });

  it("explains why owner chat and group chat are unavailable when nobody can be addressed", () => {
    const noOwner = { ...card, owner: { name: "Sales team" } };
    const a = byId({ ...base, card: noOwner, colleagues: [] });
    expect(a.chatOwner.unavailable).toBe("Action_NoOwnerUpn");
    expect(a.groupChat.unavailable).toBe("Action_NoParticipants");
  });

  it("treats an owner name that is not a principal name as unknown instead of failing the card", () => {
    const a = byId({ ...base, card: { ...card, owner: { id: "x", name: "Ada", upn: "CONTOSO\\ada" } } });
    expect(a.chatOwner.unavailable).toBe("Action_NoOwnerUpn");
    expect(new URL(a.groupChat.url ?? "").searchParams.get("users")).toBe("pm@contoso.cn,legal@contoso.cn");
  });

  it("skips contact emails that are not addresses instead of failing the meeting link", () => {
    const hostile = { ...card, contacts: [{ id: "x", email: "a,b@evil.com" }, { id: "y", email: "<script>@x.com" }] };
    expect(new URL(byId({ ...base, card: hostile }).meeting.url ?? "").searchParams.get("attendees")).toBe("wang.wei@contoso.cn");
  });

  it("has no Team to open when no active Teams link has a URL", () => {
    expect(byId({ ...base, card: { ...card, teamsLinks: card.teamsLinks.filter((l) => l.status !== "active") } }).openTeam.unavailable).toBe("Action_NoTeamsLink");
  });

  it("disables the follow-up on a read-only form or without the create privilege", () => {
    expect(byId({ ...base, formDisabled: true }).followUp.unavailable).toBe("Action_ReadOnly");
    expect(byId({ ...base, canCreateTask: false }).followUp.unavailable).toBe("Action_NoPrivilege");
  });

  it("offers no share for a record URL that is not https, instead of failing the card", () => {
    const local = byId({ ...base, recordUrl: recordUrl("http://localhost:8181", "account", ACCOUNT_ID) });
    expect(local.share.unavailable).toBe("Action_NotShareable");
    expect(local.copyLink.url).toBe(`http://localhost:8181/main.aspx?pagetype=entityrecord&etn=account&id=${ACCOUNT_ID}`);
  });

  it("asks to save first on a new record", () => {
    expect(quickActions({ ...base, card: undefined, recordUrl: undefined }).every((a) => a.unavailable === "Action_SaveFirst")).toBe(true);
  });
});

describe("quickActions while the record loads", () => {
  it("are all unavailable as loading, even with a card from before the reload", () => {
    const card = accountCard(accountResponse(), { recentActivityCount: 10, today: "2025-03-14", now: Date.parse("2025-03-14T09:00:00Z") });
    const ctx: ActionContext = {
      card,
      loading: true,
      currentUserId: "ffffffff-0000-4000-8000-000000000009",
      colleagues: [],
      recordUrl: "https://contoso.crm.dynamics.com/main.aspx?pagetype=entityrecord&etn=account&id=x",
      texts: { topic: "t", message: "m", meetingSubject: "s", shareMessage: "x" },
      formDisabled: false,
      canCreateTask: true,
    };
    expect(quickActions(ctx).map((a) => [a.id, a.unavailable, a.url])).toEqual(
      ["chatOwner", "groupChat", "meeting", "share", "openTeam", "copyLink", "followUp"].map((id) => [id, "Action_Loading", undefined]),
    );
    expect(quickActions({ ...ctx, loading: false }).find((a) => a.id === "chatOwner")?.url).toMatch(/^https:\/\/teams\.microsoft\.com\/l\/chat\//);
  });
});

describe("quickActions with values that cannot become links", () => {
  it("disables the one action and says why, never throws", () => {
    const colleagues = ["megan@contoso", "a,b@contoso.cn"];
    const a = byId({ ...base, colleagues, recordUrl: "https://[not a host/main.aspx" });
    expect(a.groupChat).toEqual({ id: "groupChat", unavailable: "Action_BadLink" });
    expect(a.share).toEqual({ id: "share", unavailable: "Action_NotShareable" });
    expect(a.chatOwner.url).toBeDefined();
  });

  it("leaves out contact addresses that are not address-shaped from the meeting", () => {
    const odd = { ...card, contacts: card.contacts.map((c) => ({ ...c, email: "megan@contoso" })) };
    const meeting = byId({ ...base, card: odd }).meeting;
    expect(new URL(meeting.url ?? "").searchParams.get("attendees")).toBe("wang.wei@contoso.cn");
  });
});
