import { APP_ORIGIN, insideTeamsHref, teamsUrl } from "../../../tools/workbench/origins";

describe("teamsUrl", () => {
  it("puts the workbench query on the Teams host page and frames the app at the https org origin", () => {
    const url = new URL(teamsUrl("?screen=account&theme=dark"));
    expect(`${url.origin}${url.pathname}`).toBe("https://local.teams.office.com/teams");
    expect(url.searchParams.get("screen")).toBe("account");
    expect(url.searchParams.get("theme")).toBe("dark");
    expect(url.searchParams.get("app")).toBe(APP_ORIGIN);
  });
});

describe("insideTeamsHref", () => {
  it("leads from the routed Dynamics 365 origin to the Teams client at its https origin, keeping the query", () => {
    expect(insideTeamsHref(APP_ORIGIN, "?lang=zh-CN&screen=contact")).toBe(teamsUrl("?lang=zh-CN&screen=contact"));
  });

  it("stays on the local /teams page on plain localhost, where no https origin is routed", () => {
    expect(insideTeamsHref("http://127.0.0.1:8080", "?lang=en")).toBe("/teams?lang=en");
  });
});
