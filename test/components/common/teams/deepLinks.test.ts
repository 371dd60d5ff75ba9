import {
  channelLink,
  chatLink,
  checkStoredTeamsUrl,
  clipText,
  existingChatLink,
  isTeamsDeepLink,
  isTeamsUserId,
  meetingLink,
  safeTeamsUrl,
  shareLink,
  TeamsLinkError,
} from "../../../../components/common/src/teams";

function params(url: string): URLSearchParams {
  return new URL(url).searchParams;
}

describe("chatLink", () => {
  it("opens a one-to-one chat with the message and no topic, since Teams has no topic for one-to-one chats", () => {
    const url = chatLink({ users: ["ada@contoso.com"], topic: "Contoso", message: "Hi" });
    expect(url).toBe("https://teams.microsoft.com/l/chat/0/0?users=ada%40contoso.com&message=Hi");
  });

  it("opens a group chat with every user comma-separated and the topic", () => {
    const url = chatLink({ users: ["ada@contoso.com", "bob@contoso.com"], topic: "Deal: Contoso" });
    expect(url.startsWith("https://teams.microsoft.com/l/chat/0/0?users=ada%40contoso.com,bob%40contoso.com&")).toBe(true);
    expect(params(url).get("topicName")).toBe("Deal: Contoso");
  });

  it("carries Chinese text, emoji and URL syntax in the topic and message as data", () => {
    const topic = "上海华信科技有限公司 🚀 & ?x=1#frag 100%";
    const message = `<script>alert("x")</script> 'quoted' + plus`;
    const url = chatLink({ users: ["a@x.cn", "b@x.cn"], topic, message });
    expect(params(url).get("topicName")).toBe(topic);
    expect(params(url).get("message")).toBe(message);
    expect(url).not.toMatch(/[<>"'() #]/);
    expect(url.split("?")[1].split("&")).toHaveLength(3);
  });

  it("removes duplicate users case-insensitively and keeps the first spelling", () => {
    const url = chatLink({ users: ["Ada@Contoso.com", "ada@contoso.com", "bob@contoso.com"] });
    expect(params(url).get("users")).toBe("Ada@Contoso.com,bob@contoso.com");
  });

  it("refuses a user that would inject another parameter or user, naming the field", () => {
    expect(() => chatLink({ users: ["ada@contoso.com&message=pwned"] })).not.toThrow();
    expect(params(chatLink({ users: ["ada@contoso.com&message=pwned"] })).get("message")).toBeNull();
    expect(() => chatLink({ users: ["ada@contoso.com,eve@evil.com"] })).toThrow(TeamsLinkError);
    expect(() => chatLink({ users: ["not a user"] })).toThrow(/users: 'not a user'/);
  });

  it("refuses a chat with nobody in it", () => {
    expect(() => chatLink({ users: [] })).toThrow(/at least one/);
  });

  it("shortens a very long topic without splitting an emoji", () => {
    const url = chatLink({ users: ["a@x.com", "b@x.com"], topic: "🚀".repeat(300) });
    const topic = params(url).get("topicName") ?? "";
    expect(Array.from(topic)).toHaveLength(250);
    expect(topic.endsWith("🚀…")).toBe(true);
  });

  it("cuts a long topic between grapheme clusters: a ZWJ emoji, a flag or a character with combining marks stays whole", () => {
    const coder = "👩🏽‍💻"; // woman, skin tone, zero-width joiner, laptop: 7 UTF-16 units, 4 code points, 1 character
    const flag = "🇨🇳"; // two regional indicators
    const marked = "漢\u0301\u0323"; // a CJK character with two combining marks
    for (const unit of [coder, flag, marked]) {
      for (const prefix of ["", "a", "ab", "abc"]) {
        const topic = params(chatLink({ users: ["a@x.com", "b@x.com"], topic: prefix + unit.repeat(300) })).get("topicName") ?? "";
        const body = topic.slice(prefix.length, -1);
        expect(topic.endsWith("…")).toBe(true);
        // Only whole units before the ellipsis: nothing of a cut cluster is left behind.
        expect(body.split(unit).join("")).toBe("");
        expect(body.length / unit.length).toBe(249 - prefix.length);
      }
    }
  });

  it("clips on grapheme boundaries and leaves short text alone", () => {
    expect(clipText("👩🏽‍💻👩🏽‍💻👩🏽‍💻", 2)).toBe("👩🏽‍💻…");
    expect(clipText("🇨🇳🇨🇳", 2)).toBe("🇨🇳🇨🇳");
    expect(clipText("é".normalize("NFD").repeat(5), 3)).toBe(`${"é".normalize("NFD").repeat(2)}…`);
  });
});

describe("meetingLink", () => {
  it("schedules a meeting with attendees, subject, times in UTC and agenda", () => {
    const url = meetingLink({
      attendees: ["ada@contoso.com", "李伟@contoso.cn"],
      subject: "季度回顾：华信",
      content: "Agenda & goals",
      start: new Date("2025-03-14T09:00:00Z"),
      end: new Date("2025-03-14T09:30:00Z"),
    });
    expect(url.startsWith("https://teams.microsoft.com/l/meeting/new?")).toBe(true);
    const p = params(url);
    expect(p.get("attendees")).toBe("ada@contoso.com,李伟@contoso.cn");
    expect(p.get("subject")).toBe("季度回顾：华信");
    expect(p.get("content")).toBe("Agenda & goals");
    expect(p.get("startTime")).toBe("2025-03-14T09:00:00.000Z");
    expect(p.get("endTime")).toBe("2025-03-14T09:30:00.000Z");
  });

  it("leaves out parameters that have no value", () => {
    expect(meetingLink({ attendees: [], subject: "Review" })).toBe("https://teams.microsoft.com/l/meeting/new?subject=Review");
  });

  it("refuses a meeting that ends before it starts", () => {
    expect(() => meetingLink({ attendees: [], start: new Date("2025-01-02"), end: new Date("2025-01-01") })).toThrow(/endTime/);
  });
});

describe("shareLink", () => {
  it("shares the record URL, encoded whole, with the message and a preview", () => {
    const record = "https://contoso.crm.dynamics.com/main.aspx?etn=account&id=1234&pagetype=entityrecord";
    const url = shareLink({ href: record, message: "看看这个客户 👀" });
    expect(url.startsWith("https://teams.microsoft.com/share?href=https%3A%2F%2Fcontoso.crm.dynamics.com")).toBe(true);
    expect(params(url).get("href")).toBe(record);
    expect(params(url).get("msgText")).toBe("看看这个客户 👀");
    expect(params(url).get("preview")).toBe("true");
  });

  it("refuses to share a non-https address such as javascript:", () => {
    expect(() => shareLink({ href: "javascript:alert(1)" })).toThrow(/href: 'javascript:alert\(1\)' is not an https URL/);
    expect(() => shareLink({ href: "/relative" })).toThrow(/not an absolute URL/);
  });
});

describe("links to an existing team, channel or chat", () => {
  it("builds a channel link from Graph ids with the id and name encoded as path segments", () => {
    const url = channelLink({ channelId: "19:abc@thread.tacv2", channelName: "销售 / Sales", teamId: "00000000-0000-4000-8000-000000000001" });
    expect(url).toBe(
      "https://teams.microsoft.com/l/channel/19%3Aabc%40thread.tacv2/%E9%94%80%E5%94%AE%20%2F%20Sales?groupId=00000000-0000-4000-8000-000000000001",
    );
  });

  it("builds a link to an existing chat", () => {
    expect(existingChatLink("19:meeting_deal@thread.v2", "tenant-1")).toBe(
      "https://teams.microsoft.com/l/chat/19%3Ameeting_deal%40thread.v2/0?tenantId=tenant-1",
    );
  });

  it("accepts a stored web URL only when it is https on a Teams host", () => {
    expect(safeTeamsUrl("https://teams.microsoft.com/l/team/19%3Ateam1%40thread.tacv2/conversations")).toBe(
      "https://teams.microsoft.com/l/team/19%3Ateam1%40thread.tacv2/conversations",
    );
    expect(safeTeamsUrl("javascript:alert(1)")).toBeUndefined();
    expect(safeTeamsUrl("http://teams.microsoft.com/l/team/x")).toBeUndefined();
    expect(safeTeamsUrl("https://teams.microsoft.com.evil.example/l/team/x")).toBeUndefined();
    expect(safeTeamsUrl("https://evil.example/?https://teams.microsoft.com")).toBeUndefined();
    expect(safeTeamsUrl("")).toBeUndefined();
    expect(safeTeamsUrl(null)).toBeUndefined();
  });

  it("accepts the documented deep-link forms on teams.microsoft.com and teams.cloud.microsoft", () => {
    const forms = [
      "https://teams.microsoft.com/l/team/19%3Ateam1%40thread.tacv2/conversations?groupId=00000000-0000-4000-8000-000000000001&tenantId=t",
      "https://teams.microsoft.com/l/channel/19%3Aabc%40thread.tacv2/General?groupId=g&tenantId=t",
      "https://teams.microsoft.com/l/chat/19:c6d70e392a384916c3262b15406d763e@thread.v2/conversations",
      "https://teams.microsoft.com/l/chat/0/0?users=a@x.com",
      "https://teams.microsoft.com/l/message/19:abc@thread.tacv2/1648741500652?tenantId=t&groupId=g",
      "https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0?context=%7b%7d",
      "https://teams.microsoft.com/l/meeting/new?subject=x",
      "https://teams.cloud.microsoft/l/team/19%3AK5%40thread.tacv2/conversations?groupId=g&tenantId=t",
      "HTTPS://TEAMS.MICROSOFT.COM/l/channel/19%3Aabc%40thread.tacv2/General",
    ];
    for (const url of forms) expect({ url, ok: checkStoredTeamsUrl(url).ok }).toEqual({ url, ok: true });
    expect(checkStoredTeamsUrl(forms[0])).toEqual({ ok: true, url: forms[0], form: "team" });
  });

  it("refuses every other stored URL with the reason", () => {
    const refused: [string, string][] = [
      ["not a url", "notUrl"],
      ["/l/team/x", "notUrl"],
      ["javascript:alert(1)//https://teams.microsoft.com/l/team/x", "notHttps"],
      ["http://teams.microsoft.com/l/team/x", "notHttps"],
      ["https://evil.example/l/team/x", "notTeamsHost"],
      ["https://teams.microsoft.com.evil.example/l/team/x", "notTeamsHost"],
      ["https://teams.microsoft.com@evil.example/l/team/x", "notTeamsHost"],
      ["https://user:pw@teams.microsoft.com/l/team/x", "notTeamsHost"],
      ["https://teams.microsoft.com:8443/l/team/x", "notTeamsHost"],
      ["https://teams.live.com/l/invite/x", "notTeamsHost"],
      ["https://teams.microsoft.com/", "notDeepLink"],
      ["https://teams.microsoft.com/_#/conversations/General?threadId=19:abc", "notDeepLink"],
      ["https://teams.microsoft.com/l/", "notDeepLink"],
      ["https://teams.microsoft.com/l/team/", "notDeepLink"],
      ["https://teams.microsoft.com/l/app/some-app-id", "notDeepLink"],
      ["https://teams.microsoft.com/share?href=https://evil.example", "notDeepLink"],
      ["https://teams.microsoft.com/dl/launcher/launcher.html?url=/l/team/x", "notDeepLink"],
      ["https://teams.microsoft.com/x/../l/team/x", "ok"],
    ];
    for (const [url, problem] of refused) {
      const checked = checkStoredTeamsUrl(url);
      expect({ url, problem: checked.ok ? "ok" : checked.problem }).toEqual({ url, problem });
    }
    expect(safeTeamsUrl("https://teams.microsoft.com/_#/conversations/General")).toBeUndefined();
  });
});

describe("user ids and deep-link recognition", () => {
  it("accepts principal names and object ids, and nothing that could split a list", () => {
    expect(isTeamsUserId("ada@contoso.onmicrosoft.com")).toBe(true);
    expect(isTeamsUserId("3f2504e0-4f89-41d3-9a0c-0305e82c3301")).toBe(true);
    expect(isTeamsUserId("ada@contoso")).toBe(false);
    expect(isTeamsUserId("a b@contoso.com")).toBe(false);
    expect(isTeamsUserId("a;b@contoso.com")).toBe(false);
  });

  it("tells Teams deep links from other Teams pages and other sites", () => {
    expect(isTeamsDeepLink(chatLink({ users: ["a@x.com"] }))).toBe(true);
    expect(isTeamsDeepLink(shareLink({ href: "https://x.example/" }))).toBe(false);
    expect(isTeamsDeepLink("https://example.com/l/chat/0/0")).toBe(false);
    expect(isTeamsDeepLink("not a url")).toBe(false);
  });
});
