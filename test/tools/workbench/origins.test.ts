import { APP_ORIGIN, insideTeamsHref, TEAMS_ORIGIN, teamsUrl } from "../../../tools/workbench/origins";

describe("teamsUrl", () => {
  it("puts the workbench query on the Teams client page at the Teams web origin and frames the app at the https org origin", () => {
    const url = new URL(teamsUrl("?screen=account&theme=dark"));
    expect(`${url.origin}${url.pathname}`).toBe("https://teams.microsoft.com/teams");
    expect(url.origin).toBe(TEAMS_ORIGIN);
    expect(url.searchParams.get("screen")).toBe("account");
    expect(url.searchParams.get("theme")).toBe("dark");
    expect(url.searchParams.get("app")).toBe(APP_ORIGIN);
    expect(url.searchParams.get("tab")).toBeNull();
  });

  it("asks for a Website tab when told to", () => {
    expect(new URL(teamsUrl("?screen=account", "website")).searchParams.get("tab")).toBe("website");
  });
});

describe("insideTeamsHref", () => {
  it("leads from the routed Dynamics 365 origin to the Teams client at its https origin, keeping the query and the tab kind", () => {
    expect(insideTeamsHref(APP_ORIGIN, "?lang=zh-CN&screen=contact")).toBe(teamsUrl("?lang=zh-CN&screen=contact"));
    expect(insideTeamsHref(APP_ORIGIN, "?lang=en", "website")).toBe(teamsUrl("?lang=en", "website"));
  });

  it("stays on the local /teams page on plain localhost, where no https origin is routed", () => {
    expect(insideTeamsHref("http://127.0.0.1:8080", "?lang=en")).toBe("/teams?lang=en");
    expect(insideTeamsHref("http://127.0.0.1:8080", "?lang=en", "website")).toBe("/teams?lang=en&tab=website");
  });
});
