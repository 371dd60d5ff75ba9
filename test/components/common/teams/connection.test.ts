import { connectTeams, openLink, type TeamsTheme } from "../../../../components/common/src/teams";
import { BROWSER_SIGNALS, InMemoryTeamsHost, TEAMS_WEB_SIGNALS } from "./inMemoryTeamsHost";

/** A timer that never fires by itself, so a test decides when the handshake times out. */
function manualTimer() {
  const pending = new Map<number, () => void>();
  let next = 0;
  return {
    setTimer: (callback: () => void) => {
      pending.set(++next, callback);
      return next;
    },
    clearTimer: (handle: unknown) => {
      pending.delete(handle as number);
    },
    fireAll: () => {
      for (const [id, callback] of [...pending]) {
        pending.delete(id);
        callback();
      }
    },
    get pending() {
      return pending.size;
    },
  };
}

describe("connectTeams", () => {
  it("never loads the SDK or starts a timer in a plain browser", async () => {
    const host = new InMemoryTeamsHost();
    const timer = manualTimer();
    const connection = await connectTeams({ signals: BROWSER_SIGNALS, loadSdk: host.loadSdk, ...timer });
    expect(host.loads).toBe(0);
    expect(timer.pending).toBe(0);
    expect(connection).toMatchObject({ sdkReady: false, host: { inTeams: false, theme: "default" } });
    expect(await connection.openLink("https://teams.microsoft.com/l/chat/0/0?users=a@b.c")).toBe(false);
  });

  it("takes theme and locale from the Teams context once the handshake answers", async () => {
    const host = new InMemoryTeamsHost({ context: { theme: "dark", locale: "zh-cn" } });
    const timer = manualTimer();
    const connection = await connectTeams({ signals: TEAMS_WEB_SIGNALS, loadSdk: host.loadSdk, ...timer });
    expect(host.initializeCalls).toBe(1);
    expect(connection.host).toEqual({ inTeams: true, evidence: "sdk", theme: "dark", locale: "zh-cn" });
    expect(connection.sdkReady).toBe(true);
    expect(timer.pending).toBe(0);
  });

  it("reads Teams' high contrast theme and treats themes it does not know as default", async () => {
    const contrast = await connectTeams({ signals: TEAMS_WEB_SIGNALS, loadSdk: new InMemoryTeamsHost({ context: { theme: "contrast" } }).loadSdk });
    expect(contrast.host.theme).toBe("contrast");
    const glass = await connectTeams({ signals: TEAMS_WEB_SIGNALS, loadSdk: new InMemoryTeamsHost({ context: { theme: "glass" } }).loadSdk });
    expect(glass.host.theme).toBe("default");
  });

  it("ignores a locale that is not a language tag and keeps the one from the page query", async () => {
    const host = new InMemoryTeamsHost({ context: { theme: "default", locale: "<script>" } });
    const connection = await connectTeams({ signals: { ...TEAMS_WEB_SIGNALS, search: "?locale=en-gb" }, loadSdk: host.loadSdk });
    expect(connection.host.locale).toBe("en-gb");
  });

  it("gives up on a silent Teams frame after the timeout and carries on without the SDK", async () => {
    const host = new InMemoryTeamsHost({ handshake: "silent" });
    const timer = manualTimer();
    const connecting = connectTeams({ signals: TEAMS_WEB_SIGNALS, loadSdk: host.loadSdk, timeoutMs: 1500, ...timer });
    await Promise.resolve();
    expect(timer.pending).toBe(1);
    timer.fireAll();
    const connection = await connecting;
    expect(connection).toMatchObject({ sdkReady: false, host: { inTeams: true, evidence: "parentOrigin" } });
    expect(await connection.openLink("https://teams.microsoft.com/l/chat/0/0?users=a@b.c")).toBe(false);
  });

  it("carries on without the SDK when the handshake is refused", async () => {
    const connection = await connectTeams({ signals: TEAMS_WEB_SIGNALS, loadSdk: new InMemoryTeamsHost({ handshake: "refuse" }).loadSdk });
    expect(connection.sdkReady).toBe(false);
  });

  it("follows theme changes from Teams until the last listener unsubscribes, then leaves no handler on the SDK", async () => {
    const host = new InMemoryTeamsHost({ context: { theme: "default" } });
    const connection = await connectTeams({ signals: TEAMS_WEB_SIGNALS, loadSdk: host.loadSdk });
    const seen: TeamsTheme[] = [];
    const stop = connection.onThemeChange((theme) => seen.push(theme));
    host.changeTheme("dark");
    expect(connection.host.theme).toBe("dark");
    stop();
    host.changeTheme("contrast");
    expect(seen).toEqual(["dark"]);
    expect(connection.host.theme).toBe("dark");
    connection.onThemeChange((theme) => seen.push(theme));
    host.changeTheme("contrast");
    expect([seen, connection.host.theme]).toEqual([["dark", "contrast"], "contrast"]);
  });

  it("opens links through Teams and reports a link Teams refuses", async () => {
    const opening = new InMemoryTeamsHost();
    const connection = await connectTeams({ signals: TEAMS_WEB_SIGNALS, loadSdk: opening.loadSdk });
    expect(await connection.openLink("https://teams.microsoft.com/l/meeting/new?subject=x")).toBe(true);
    expect(opening.openedLinks).toEqual(["https://teams.microsoft.com/l/meeting/new?subject=x"]);
    const refusing = await connectTeams({ signals: TEAMS_WEB_SIGNALS, loadSdk: new InMemoryTeamsHost({ opensLinks: false }).loadSdk });
    expect(await refusing.openLink("https://teams.microsoft.com/l/meeting/new?subject=x")).toBe(false);
  });
});

describe("openLink: the one link rule of both controls", () => {
  const inTeams = { inTeams: true, evidence: "sdk", theme: "default" } as const;
  const chat = "https://teams.microsoft.com/l/chat/0/0?users=a%40contoso.com";
  const record = "https://contoso.crm.dynamics.com/main.aspx?etn=opportunity&id=1&pagetype=entityrecord";

  it("sends a Teams deep link through the Teams client when the SDK answered", async () => {
    const client = jest.fn(() => Promise.resolve(true));
    const openUrl = jest.fn();
    await openLink({ host: inTeams, sdkReady: true, openLink: client }, chat, openUrl);
    expect(client).toHaveBeenCalledWith(chat);
    expect(openUrl).not.toHaveBeenCalled();
  });

  it("opens anything else, a refused link, or any link without the SDK, through the platform", async () => {
    const openUrl = jest.fn();
    await openLink({ host: inTeams, sdkReady: true, openLink: () => Promise.resolve(true) }, record, openUrl);
    await openLink({ host: inTeams, sdkReady: true, openLink: () => Promise.resolve(false) }, chat, openUrl);
    await openLink({ host: inTeams, sdkReady: false, openLink: () => Promise.resolve(true) }, chat, openUrl);
    await openLink({ host: { inTeams: false, evidence: "none", theme: "default" }, sdkReady: true, openLink: () => Promise.resolve(true) }, chat, openUrl);
    expect(openUrl.mock.calls).toEqual([[record], [chat], [chat], [chat]]);
  });
});
