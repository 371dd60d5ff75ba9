import { answerRequest, asTeamsRequest, describeMessage, HOST_RUNTIME, HOST_SDK_VERSION, type HostState, legacyContext, themeChangeEvent } from "../../../tools/workbench/teamsProtocol";

const STATE: HostState = {
  theme: "dark",
  locale: "zh-cn",
  userObjectId: "5f0e1a2b-0000-4000-8000-000000000001",
  userPrincipalName: "megan.bowen@contoso.example",
  tenantId: "72f988bf-0000-4000-8000-00000000c0de",
};

describe("asTeamsRequest", () => {
  it("takes a message with a numeric id and a string func, keeping uuid and args", () => {
    expect(asTeamsRequest({ id: 3, uuidAsString: "u-3", func: "executeDeepLink", args: ["https://teams.microsoft.com/l/chat/0/0"], timestamp: 1 })).toEqual({
      id: 3,
      uuidAsString: "u-3",
      func: "executeDeepLink",
      args: ["https://teams.microsoft.com/l/chat/0/0"],
    });
  });

  it("ignores anything else the frame posts (responses, strings, React devtools noise)", () => {
    expect(asTeamsRequest(null)).toBeUndefined();
    expect(asTeamsRequest("initialize")).toBeUndefined();
    expect(asTeamsRequest({ id: "1", func: "initialize" })).toBeUndefined();
    expect(asTeamsRequest({ id: 1, args: [true] })).toBeUndefined();
  });

  it("drops args that are not an array and a uuid that is not a string", () => {
    expect(asTeamsRequest({ id: 1, func: "getContext", args: "x", uuidAsString: 7 })).toEqual({ id: 1, func: "getContext" });
  });
});

describe("answerRequest", () => {
  it("answers initialize with the content frame, the web client, the runtime and the SDK version, echoing id and uuid", () => {
    const answer = answerRequest({ id: 0, uuidAsString: "u-0", func: "initialize", args: ["2.58.0"] }, STATE);
    expect(answer.response).toEqual({ id: 0, uuidAsString: "u-0", args: ["content", "web", JSON.stringify(HOST_RUNTIME), HOST_SDK_VERSION] });
    expect(answer.log).toEqual({ func: "initialize", detail: "app SDK 2.58.0", handled: true });
  });

  it("answers getContext with the host's theme, locale and user in the legacy context shape", () => {
    const answer = answerRequest({ id: 1, func: "getContext" }, STATE);
    expect(answer.response).toEqual({ id: 1, args: [legacyContext(STATE)] });
    expect(legacyContext(STATE)).toMatchObject({ theme: "dark", locale: "zh-cn", userPrincipalName: "megan.bowen@contoso.example", tid: STATE.tenantId, frameContext: "content", hostName: "Teams" });
    expect(answer.log.detail).toBe("theme dark, locale zh-cn");
  });

  it.each(["https://teams.microsoft.com/l/chat/0/0?users=a%40b.example", "https://teams.cloud.microsoft/l/meeting/new", "https://TEAMS.live.com/l/chat/0/0"])(
    "opens the Teams link %s and reports success",
    (url) => {
      const answer = answerRequest({ id: 5, func: "executeDeepLink", args: [url] }, STATE);
      expect(answer.response).toEqual({ id: 5, args: [true] });
      expect(answer.openedLink).toBe(url);
    },
  );

  it.each(["https://evil.example/", "http://teams.microsoft.com/l/chat/0/0", "https://teams.microsoft.com.evil.example/x", "javascript:alert(1)"])(
    "refuses %s with a message naming the link and opens nothing",
    (url) => {
      const answer = answerRequest({ id: 6, func: "executeDeepLink", args: [url] }, STATE);
      expect(answer.response).toEqual({ id: 6, args: [false, `not a Teams link: ${url}`] });
      expect(answer).not.toHaveProperty("openedLink");
      expect(answer.log.detail).toBe(`refused ${url}`);
    },
  );

  it("logs handler registrations and app-loaded notices without answering them", () => {
    const registration = answerRequest({ id: 2, func: "registerHandler", args: ["themeChange"] }, STATE);
    expect(registration).toEqual({ log: { func: "registerHandler", detail: "themeChange", handled: true } });
    const loaded = answerRequest({ id: 3, func: "appInitialization.success", args: [] }, STATE);
    expect(loaded.response).toBeUndefined();
    expect(loaded.log.handled).toBe(true);
  });

  it("answers an unsupported call with a failure naming it, so the app's promise settles, and logs it as unhandled", () => {
    const answer = answerRequest({ id: 9, func: "authentication.getAuthToken" }, STATE);
    expect(answer.response).toEqual({ id: 9, args: [false, "authentication.getAuthToken is not supported by the workbench Teams host"] });
    expect(answer.log).toEqual({ func: "authentication.getAuthToken", detail: "not supported", handled: false });
  });
});

describe("themeChangeEvent", () => {
  it("is the host-initiated themeChange message carrying the theme", () => {
    expect(themeChangeEvent("contrast")).toEqual({ func: "themeChange", args: ["contrast"] });
  });
});

describe("describeMessage", () => {
  it("names a teams-js request by its func and id", () => {
    expect(describeMessage({ id: 4, func: "initialize", args: ["2.58.0"] })).toEqual({ func: "initialize", detail: "id 4" });
  });

  it("shows anything else by its JSON, cut to 200 characters, and survives what JSON cannot write", () => {
    expect(describeMessage({ hello: "world" })).toEqual({ func: "message", detail: '{"hello":"world"}' });
    expect(describeMessage("x".repeat(300)).detail).toHaveLength(200);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(describeMessage(cyclic)).toEqual({ func: "message", detail: "[object Object]" });
    expect(describeMessage(undefined)).toEqual({ func: "message", detail: "undefined" });
  });
});
