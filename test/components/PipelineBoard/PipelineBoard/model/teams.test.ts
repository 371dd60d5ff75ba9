import { HttpDataverseClient } from "@tcc/common";
import { loadTeamsTargets, teamsActions } from "../../../../../components/PipelineBoard/PipelineBoard/model/teams";
import { createSampleData } from "../../../../../tools/dataverse/sampleData";
import { isLookupRef } from "../../../../../tools/dataverse/store";
import { InMemoryWebApi } from "../../../../../tools/dataverse/webApiHandler";

describe("teamsActions", () => {
  it("offers chat with the owner, share and the deal room when each can be built", () => {
    const actions = teamsActions("https://contoso.crm.dynamics.com/main.aspx?etn=opportunity&id=1", "500 licences", {
      ownerEmail: "wei@contoso.example",
      dealRoomUrl: "https://teams.microsoft.com/l/chat/19%3Aroom%40thread.v2/0",
    });
    expect(actions.map((a) => a.key)).toEqual(["chat", "share", "dealRoom"]);
    expect(actions[0].url).toContain("users=wei%40contoso.example");
    expect(actions[1].url).toMatch(/^https:\/\/teams\.microsoft\.com\/share\?href=https%3A%2F%2Fcontoso/);
  });

  it("leaves out what it cannot build: no owner address, no https record URL, no deal room", () => {
    expect(teamsActions("http://localhost/record", "x", {})).toEqual([]);
    expect(teamsActions("http://localhost/record", "x", { ownerEmail: "   " })).toEqual([]);
  });

  it("says why chat is unavailable for an owner address that is not address-shaped, instead of throwing", () => {
    for (const ownerEmail of ["megan@contoso", "megan", "megan@@contoso.com", "a,b@contoso.com", "megan @contoso.com", "@contoso.com"]) {
      const actions = teamsActions("https://contoso.crm.dynamics.com/main.aspx?etn=opportunity&id=1", "x", { ownerEmail });
      expect(actions[0]).toEqual({ key: "chat", unavailable: "badOwnerAddress", detail: ownerEmail.trim() });
      expect(actions.map((a) => a.key)).toEqual(["chat", "share"]);
    }
  });

  it("offers no deal room whose stored URL is not an https Teams URL", () => {
    for (const dealRoomUrl of ["javascript:alert(1)", "https://evil.example/l/chat/1/0", "not a url"]) {
      expect(teamsActions("http://localhost/record", "x", { dealRoomUrl })).toEqual([]);
    }
  });
});

describe("loadTeamsTargets against the in-memory Dataverse", () => {
  const sample = createSampleData({ opportunities: 5 });
  const api = new InMemoryWebApi({ store: sample.store });
  const client = new HttpDataverseClient({ fetch: api.fetch, baseUrl: api.baseUrl });
  const ownerOf = (id: string) => {
    const owner = sample.store.get("opportunity", id)?.ownerid;
    return isLookupRef(owner) ? owner.id : undefined;
  };

  it("finds the owner's address and the deal room of an opportunity that has one", async () => {
    const id = sample.opportunities[0];
    const targets = await loadTeamsTargets(client, "opportunity", `{${id.toUpperCase()}}`, ownerOf(id));
    expect(targets.ownerEmail).toMatch(/@contoso\.example$/);
    expect(targets.dealRoomUrl).toBe("https://teams.microsoft.com/l/chat/19%3Ameeting_deal%40thread.v2/0");
  });

  it("says where the deal room's approval stands: none started, then pending while the deal waits for its decision", async () => {
    const id = sample.opportunities[0];
    await expect(loadTeamsTargets(client, "opportunity", id, undefined)).resolves.toMatchObject({ dealRoomApproval: "none" });
    const link = [...sample.store.rows("tcc_teamslink")].find((l) => (l.tcc_opportunityid as { id: string } | null)?.id === id);
    sample.store.update("tcc_teamslink", link?.tcc_teamslinkid as string, { tcc_approvalstatus: 615300000 });
    const targets = await loadTeamsTargets(client, "opportunity", id, undefined);
    expect(targets.dealRoomApproval).toBe("pending");
    expect(teamsActions("https://contoso.crm.dynamics.com/main.aspx", "x", targets).find((a) => a.key === "dealRoom")).toMatchObject({ approval: "pending" });
  });

  it("has no deal room for an opportunity without a Teams Link, and survives an unknown owner", async () => {
    const id = sample.opportunities[1];
    await expect(loadTeamsTargets(client, "opportunity", id, "00000000-0000-4000-8000-0000000000ff")).resolves.toEqual({});
  });
});
