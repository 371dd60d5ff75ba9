import { detectTeamsHost, hostSignalsOf, hostThemeProp, isTeamsOrigin, parseTeamsTheme } from "../../../../components/common/src/teams";

const browserUa = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36";
const teamsDesktopUa = `${browserUa} Teams/1.7.00.13456 Electron/19.1.8`;

describe("detectTeamsHost", () => {
  it("says a top-level page in a browser is not in Teams", () => {
    expect(detectTeamsHost({ framed: false, referrer: "", search: "", userAgent: browserUa })).toEqual({
      inTeams: false,
      evidence: "none",
      theme: "default",
    });
  });

  it("recognises a frame whose parent is the Teams web client", () => {
    const info = detectTeamsHost({ framed: true, ancestorOrigins: ["https://teams.microsoft.com"], userAgent: browserUa });
    expect(info).toMatchObject({ inTeams: true, evidence: "parentOrigin" });
  });

  it("recognises the new Teams hosts under cloud.microsoft and falls back to the referrer", () => {
    expect(detectTeamsHost({ framed: true, referrer: "https://teams.cloud.microsoft/v2/" }).inTeams).toBe(true);
  });

  it("does not trust a frame parent that only looks like Teams", () => {
    for (const origin of ["http://teams.microsoft.com", "https://teams.microsoft.com.evil.example", "https://evilteams.microsoft.co"]) {
      expect(detectTeamsHost({ framed: true, ancestorOrigins: [origin] }).inTeams).toBe(false);
    }
  });

  it("ignores a Teams referrer when the page is not framed (a link followed from Teams)", () => {
    expect(detectTeamsHost({ framed: false, referrer: "https://teams.microsoft.com/" }).inTeams).toBe(false);
  });

  it("recognises the Teams desktop client by its user agent", () => {
    expect(detectTeamsHost({ framed: true, userAgent: teamsDesktopUa })).toMatchObject({ inTeams: true, evidence: "userAgent" });
  });

  it("honours a query hint and reads the theme and locale Teams passes in the query", () => {
    expect(detectTeamsHost({ framed: true, search: "?inTeams=true&theme=dark&locale=zh-cn" })).toEqual({
      inTeams: true,
      evidence: "queryHint",
      theme: "dark",
      locale: "zh-cn",
    });
  });

  it("drops a locale that is not a language tag", () => {
    expect(detectTeamsHost({ framed: false, search: "?locale=%3Cscript%3E" }).locale).toBeUndefined();
  });
});

describe("parseTeamsTheme and isTeamsOrigin", () => {
  it("maps Teams' theme names and defaults anything unknown", () => {
    expect(parseTeamsTheme("dark")).toBe("dark");
    expect(parseTeamsTheme("contrast")).toBe("contrast");
    expect(parseTeamsTheme("HighContrast")).toBe("contrast");
    expect(parseTeamsTheme("purple")).toBe("default");
    expect(parseTeamsTheme(undefined)).toBe("default");
  });

  it("rejects strings that are not origins", () => {
    expect(isTeamsOrigin("teams.microsoft.com")).toBe(false);
    expect(isTeamsOrigin("https://local.teams.office.com:8080")).toBe(true);
  });
});

describe("hostSignalsOf", () => {
  it("reads a window without throwing and reports it as not framed at the top", () => {
    const top = {} as Window;
    const win = {
      self: top,
      top,
      location: { search: "?theme=dark" },
      document: { referrer: "" },
      navigator: { userAgent: browserUa },
    } as unknown as Window;
    expect(hostSignalsOf(win)).toEqual({ framed: false, referrer: "", search: "?theme=dark", userAgent: browserUa });
  });

  it("treats a top frame that throws on access as a parent frame", () => {
    const win = {
      get top(): Window {
        throw new Error("cross-origin");
      },
      location: { search: "" },
      document: { referrer: "https://teams.microsoft.com/" },
      navigator: { userAgent: browserUa },
    } as unknown as Window;
    expect(detectTeamsHost(hostSignalsOf(win)).inTeams).toBe(true);
  });
});

describe("hostThemeProp", () => {
  const inTeams = detectTeamsHost({ framed: true, ancestorOrigins: ["https://teams.microsoft.com"] });
  const teamsDarkQuery = detectTeamsHost({ framed: true, ancestorOrigins: ["https://teams.microsoft.com"], search: "?theme=dark" });
  const browser = detectTeamsHost({ framed: false, search: "?theme=dark" });

  it("follows the app's modern theme first, in Teams or not", () => {
    expect(hostThemeProp(inTeams, { isDarkTheme: true })).toEqual({ theme: "dark" });
    expect(hostThemeProp(teamsDarkQuery, { isDarkTheme: false })).toEqual({ theme: "default" });
    expect(hostThemeProp(browser, { isDarkTheme: true })).toEqual({ theme: "dark" });
  });

  it("leaves a light app outside Teams in its own Fluent theme, whatever the query says", () => {
    expect(hostThemeProp(browser, { isDarkTheme: false })).toEqual({});
    expect(hostThemeProp(browser, undefined)).toEqual({});
  });

  it("without an app theme, takes inside Teams the theme the tab URL passed, else Teams' light theme", () => {
    expect(hostThemeProp(teamsDarkQuery, undefined)).toEqual({ theme: "dark" });
    expect(hostThemeProp(inTeams, undefined)).toEqual({ theme: "default" });
  });

  it("reads lightness from the token set when the app does not say isDarkTheme", () => {
    expect(hostThemeProp(browser, { tokenTheme: { colorNeutralBackground1: "#292929" } })).toEqual({ theme: "dark" });
    expect(hostThemeProp(inTeams, { tokenTheme: { colorNeutralBackground1: "#ffffff" } })).toEqual({ theme: "default" });
    expect(hostThemeProp(teamsDarkQuery, { tokenTheme: { colorNeutralBackground1: "not a colour" } })).toEqual({ theme: "dark" });
  });
});
