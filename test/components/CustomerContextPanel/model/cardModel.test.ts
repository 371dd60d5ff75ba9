import {
  accountCard,
  contactCard,
  parentAccountId,
  teamsLinkStatus,
  unreadableSections,
  withDealRooms,
  withoutDealRooms,
} from "../../../../components/CustomerContextPanel/CustomerContextPanel/model/cardModel";
import { ACCOUNT_ID, accountResponse, CONTACT_ID, contactResponse } from "../fixtures";

const options = { recentActivityCount: 10, today: "2025-03-14", now: Date.parse("2025-03-14T09:00:00Z") };

describe("accountCard", () => {
  const card = accountCard(accountResponse(), options);

  it("takes key facts from Dataverse's formatted values, in the user's language and the record's currency", () => {
    expect(card.account).toEqual({
      id: ACCOUNT_ID,
      name: "上海华信科技有限公司",
      industry: "软件",
      size: "大型",
      employees: 1200,
      revenueText: "¥5,000,000.00",
      owner: "王伟",
      primaryContact: "李娜",
      relationshipType: "客户",
      phone: "+86 21 5555 0101",
    });
  });

  it("knows the owner's principal name for Teams links", () => {
    expect(card.owner).toEqual({ id: "eeeeeeee-0000-4000-8000-000000000001", name: "王伟", upn: "wang.wei@contoso.cn" });
  });

  it("lists interactions newest first with type, direction and open state; undated last", () => {
    expect(card.interactions.map((i) => i.id)).toEqual(["act-2", "act-1", "act-3", "act-4"]);
    expect(card.interactions[0]).toMatchObject({ kind: "phonecall", direction: "outgoing", open: true, date: "2025-03-12T10:00:00Z" });
    expect(card.interactions[1]).toMatchObject({ kind: "email", direction: "incoming", open: false, typeName: "电子邮件", owner: "王伟" });
    expect(card.interactions[2]).toMatchObject({ kind: "other", typeName: "Site visit" });
  });

  it("shows no more interactions than the maker asked for", () => {
    expect(accountCard(accountResponse(), { ...options, recentActivityCount: 2 }).interactions.map((i) => i.id)).toEqual(["act-2", "act-1"]);
  });

  it("marks open opportunities whose close date has passed as overdue, keeping the value in the record currency", () => {
    expect(card.opportunities).toEqual([
      { id: "opp-1", name: "软件许可（120）", value: 120000, valueText: "$120,000.00", stage: "建议", probability: 60, closeDate: "2025-03-01", overdue: true },
      { id: "opp-2", name: "云迁移", value: 80000, valueText: "¥80,000.00", stage: "开发", probability: 30, closeDate: "2025-04-30", overdue: false },
    ]);
  });

  it("gives active cases their priority, status and age in days", () => {
    expect(card.cases).toEqual([
      { id: "case-1", title: "无法登录", number: "CAS-01001", priority: "高", priorityCode: 1, status: "进行中", createdOn: "2025-03-04T09:00:00Z", ageDays: 10 },
    ]);
  });

  it("lists contacts with the mobile phone when there is no business phone", () => {
    expect(card.contacts[1]).toEqual({ id: "cccccccc-0000-4000-8000-000000000002", name: "张敏", phone: "+86 139 0000 0000" });
  });

  it("links active Teams rows to a safe Teams URL, rebuilding a hostile stored URL from the ids", () => {
    expect(card.teamsLinks).toEqual([
      { id: "link-1", name: "客户团队", kind: "team", status: "active", url: "https://teams.microsoft.com/l/team/19%3Ateam1%40thread.tacv2/conversations" },
      { id: "link-2", name: "Sales", kind: "channel", status: "active", url: "https://teams.microsoft.com/l/channel/19%3Aabc%40thread.tacv2/Sales?groupId=00000000-0000-4000-8000-000000000001" },
      { id: "link-3", name: "Pending", kind: "team", status: "provisioning" },
    ]);
    expect(teamsLinkStatus(card.teamsLinks)).toBe("active");
  });

  it("survives an account with no values and no related rows", () => {
    const empty = accountCard({ accountid: ACCOUNT_ID, name: null }, options);
    expect(empty.account).toEqual({ id: ACCOUNT_ID });
    expect(empty.owner).toEqual({});
    expect([empty.interactions, empty.opportunities, empty.cases, empty.contacts, empty.teamsLinks]).toEqual([[], [], [], [], []]);
    expect(teamsLinkStatus(empty.teamsLinks)).toBe("none");
  });

  it("keeps hostile text as data, unchanged", () => {
    const script = `<script>alert("xss")</script> Evil Corp`;
    expect(accountCard(accountResponse({ name: script }), options).account?.name).toBe(script);
  });
});

describe("Teams links with a stored URL", () => {
  const build = (links: Record<string, unknown>[]) =>
    accountCard(accountResponse({ tcc_account_tcc_teamslink_accountid: links }), { recentActivityCount: 10, today: "2025-03-14", now: Date.parse("2025-03-14T09:00:00Z") }).teamsLinks;

  it("keeps a documented deep link, builds one from ids when the stored one is refused, and otherwise gives the reason", () => {
    expect(
      build([
        { tcc_teamslinkid: "a", tcc_kind: 615300000, tcc_status: 615300001, tcc_weburl: "https://teams.cloud.microsoft/l/team/19%3Aa%40thread.tacv2/conversations" },
        { tcc_teamslinkid: "b", tcc_kind: 615300000, tcc_status: 615300001, tcc_weburl: "https://teams.microsoft.com/_#/teams/General" },
        { tcc_teamslinkid: "c", tcc_kind: 615300002, tcc_status: 615300001, tcc_weburl: "https://evil.example/l/chat/x", tcc_chatid: "19:chat@thread.v2" },
        { tcc_teamslinkid: "d", tcc_kind: 615300002, tcc_status: 615300001, tcc_weburl: "data:text/html,hi" },
        { tcc_teamslinkid: "e", tcc_kind: 615300000, tcc_status: 615300002, tcc_weburl: "javascript:alert(1)" },
      ]).map((l) => [l.id, l.url, l.problem]),
    ).toEqual([
      ["a", "https://teams.cloud.microsoft/l/team/19%3Aa%40thread.tacv2/conversations", undefined],
      ["b", undefined, "notDeepLink"],
      ["c", "https://teams.microsoft.com/l/chat/19%3Achat%40thread.v2/0", undefined],
      ["d", undefined, "notHttps"],
      // An archived link is not opened at all, whatever it stores.
      ["e", undefined, undefined],
    ]);
  });
});

describe("contactCard", () => {
  it("reads the parent account only when the contact's company is an account", () => {
    expect(parentAccountId(contactResponse())).toBe(ACCOUNT_ID);
    expect(parentAccountId(contactResponse({ "_parentcustomerid_value@Microsoft.Dynamics.CRM.lookuplogicalname": "contact" }))).toBeUndefined();
    expect(parentAccountId(contactResponse({ _parentcustomerid_value: null }))).toBeUndefined();
  });

  it("merges the contact's own activities and deals with its account's, once each, newest first", () => {
    const card = contactCard(contactResponse(), accountResponse(), options);
    expect(card.table).toBe("contact");
    expect(card.contact).toMatchObject({ id: CONTACT_ID, name: "李娜", accountId: ACCOUNT_ID });
    expect(card.account?.name).toBe("上海华信科技有限公司");
    expect(card.interactions.map((i) => i.id)).toEqual(["act-9", "act-2", "act-1", "act-3", "act-4"]);
    expect(card.opportunities.map((o) => o.id)).toEqual(["opp-9", "opp-1", "opp-2"]);
    expect(card.teamsLinks).toHaveLength(3);
    expect(card.owner).toMatchObject({ name: "Ada Lovelace", upn: "ada@contoso.com" });
  });

  it("shows a contact without an account with its own context only", () => {
    const card = contactCard(contactResponse({ _parentcustomerid_value: null }), undefined, options);
    expect(card.account).toBeUndefined();
    expect(card.contacts).toEqual([]);
    expect(card.interactions.map((i) => i.id)).toEqual(["act-9", "act-1"]);
  });
});

describe("unreadableSections", () => {
  it("names the sections whose table the user may not read", () => {
    expect(unreadableSections((t) => t !== "incident" && t !== "tcc_teamslink")).toEqual(["cases", "teams"]);
  });
});

describe("withDealRooms", () => {
  const DEAL = "0a000000-0000-4000-8000-000000000001";
  const base = accountCard(accountResponse({ opportunity_customer_accounts: [{ opportunityid: DEAL, name: "Licences" }, { opportunityid: "0a000000-0000-4000-8000-000000000002", name: "Other" }] }), options);
  const room = (overrides: Record<string, unknown>) => ({
    tcc_teamslinkid: "d0000000-0000-4000-8000-000000000001",
    tcc_name: "Deal room",
    tcc_kind: 615300002,
    tcc_status: 615300001,
    tcc_chatid: "19:deal@thread.v2",
    _tcc_opportunityid_value: DEAL.toUpperCase(),
    ...overrides,
  });

  it.each([
    [615300000, "pending"],
    [615300001, "approved"],
    [615300002, "rejected"],
    [615300003, "timedOut"],
    [null, "none"],
    [615300099, "unknown"],
  ])("reads approval status %p as %s", (value, state) => {
    const card = withDealRooms(base, [room({ tcc_approvalstatus: value })]);
    expect(card.opportunities[0].dealRoom?.approval).toBe(state);
    expect(card.opportunities[1].dealRoom).toBeUndefined();
  });

  it("opens the chat by its id, a safe stored Teams link as stored, and refuses any other stored address", () => {
    expect(withDealRooms(base, [room({ tcc_approvalstatus: 615300000 })]).opportunities[0].dealRoom?.url).toBe("https://teams.microsoft.com/l/chat/19%3Adeal%40thread.v2/0");
    const stored = "https://teams.microsoft.com/l/chat/19%3Astored%40thread.v2/0";
    expect(withDealRooms(base, [room({ tcc_weburl: stored })]).opportunities[0].dealRoom?.url).toBe(stored);
    const hostile = withDealRooms(base, [room({ tcc_weburl: "javascript:alert(1)", tcc_chatid: null })]).opportunities[0].dealRoom;
    expect(hostile?.url).toBeUndefined();
    expect(hostile?.problem).toBeDefined();
  });

  it("ignores rows that are no active deal-room chat, or point at no shown deal", () => {
    const card = withDealRooms(base, [
      room({ tcc_status: 615300000 }),
      room({ tcc_kind: 615300000 }),
      room({ _tcc_opportunityid_value: "0a000000-0000-4000-8000-000000000099" }),
      room({ _tcc_opportunityid_value: null }),
    ]);
    expect(card.opportunities.map((o) => o.dealRoom)).toEqual([undefined, undefined]);
  });

  it("marks a card whose deal rooms could not be read, keeping everything else", () => {
    const failed = withoutDealRooms(base);
    expect(failed).toEqual({ ...base, dealRoomsFailed: true });
  });
});
