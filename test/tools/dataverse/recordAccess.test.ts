/**
 * Record-level read in the in-memory Dataverse (issue 15 item 4): a Teams Link is owned by its deal's owner, and the
 * Teams Collaboration User role reads links at the depth the person's sales role reads deals (Business Unit as
 * shipped), so a person who cannot read a deal cannot read its Teams Link, through the store or the Web API.
 */
import { TEAMS_LINK_KIND } from "../../../tools/dataverse/metadata";
import type { DataverseStore } from "../../../tools/dataverse/store";
import { emptyDataverse, errorOf, get, rowsOf } from "./helpers";

function world() {
  const { store, api, userId: admin } = emptyDataverse();
  store.defineBusinessUnit("b0000000-0000-4000-8000-000000000001");
  store.defineBusinessUnit("b0000000-0000-4000-8000-000000000002", "b0000000-0000-4000-8000-000000000001");
  store.defineBusinessUnit("b0000000-0000-4000-8000-000000000003", "b0000000-0000-4000-8000-000000000001");
  const [root, east, west] = ["b0000000-0000-4000-8000-000000000001", "b0000000-0000-4000-8000-000000000002", "b0000000-0000-4000-8000-000000000003"];
  const user = (first: string, unit: string) => {
    const id = store.create("systemuser", { firstname: first, lastname: "Test" }).systemuserid as string;
    store.placeInBusinessUnit(id, unit);
    return id;
  };
  const reader = user("Erin", east);
  const eastColleague = user("Carol", east);
  const westSeller = user("Wes", west);
  const manager = user("Rita", root);
  // The flow creates the deal room owned by the deal's owner (as the automation user, before any depth applies).
  const deal = (owner: string, name: string) => {
    const opportunityid = store.create("opportunity", { name, ownerid: { id: owner, table: "systemuser" } }).opportunityid as string;
    const link = store.create("tcc_teamslink", {
      tcc_name: "Deal room",
      tcc_kind: TEAMS_LINK_KIND.dealRoomChat,
      tcc_opportunityid: { id: opportunityid, table: "opportunity" },
      ownerid: { id: owner, table: "systemuser" },
    }).tcc_teamslinkid as string;
    return { opportunityid, link };
  };
  const westDeal = deal(westSeller, "West merger");
  const eastDeal = deal(eastColleague, "East renewal");
  const actAs = (caller: string, depth: "Basic" | "Local" | "Deep" | "Global") => {
    store.callerId = caller;
    store.setReadDepth("opportunity", depth);
    store.setReadDepth("tcc_teamslink", depth);
  };
  return { store, api, admin, reader, manager, westSeller, westDeal, eastDeal, actAs };
}

const linkIds = (store: DataverseStore) => [...store.rows("tcc_teamslink")].map((r) => r.tcc_teamslinkid);

describe("record-level read (business units and depths)", () => {
  it("a person who cannot read a deal cannot read its Teams Link: not in queries, 403 on retrieve", async () => {
    const w = world();
    w.actAs(w.reader, "Local");
    expect(() => w.store.get("opportunity", w.westDeal.opportunityid)).toThrow(/missing prvReadOpportunity privilege/);
    expect(() => w.store.get("tcc_teamslink", w.westDeal.link)).toThrow(/missing prvReadTcc_teamslink privilege/);
    expect(linkIds(w.store)).toEqual([w.eastDeal.link]);

    const listed = await get(w.api, `tcc_teamslinks?$filter=_tcc_opportunityid_value eq ${w.westDeal.opportunityid}`);
    expect(listed.status).toBe(200);
    expect(rowsOf(listed)).toEqual([]);
    const all = rowsOf(await get(w.api, "tcc_teamslinks?$select=tcc_teamslinkid,tcc_name"));
    expect(all.map((r) => r.tcc_teamslinkid)).toEqual([w.eastDeal.link]);
    const retrieved = await get(w.api, `tcc_teamslinks(${w.westDeal.link})`);
    expect(retrieved.status).toBe(403);
    expect(errorOf(retrieved).code).toBe("0x80040220");
  });

  it("and a person who can read the deal reads its link: same business unit, owner, parent unit at Deep, everyone at Global", async () => {
    const w = world();
    w.actAs(w.reader, "Local");
    expect(w.store.get("opportunity", w.eastDeal.opportunityid)).toBeDefined();
    expect(w.store.get("tcc_teamslink", w.eastDeal.link)?.tcc_name).toBe("Deal room");
    expect((await get(w.api, `tcc_teamslinks(${w.eastDeal.link})`)).status).toBe(200);

    w.actAs(w.westSeller, "Basic");
    expect(linkIds(w.store)).toEqual([w.westDeal.link]);

    w.actAs(w.manager, "Local");
    expect(linkIds(w.store)).toEqual([]);
    w.actAs(w.manager, "Deep");
    expect(linkIds(w.store).sort()).toEqual([w.westDeal.link, w.eastDeal.link].sort());

    w.actAs(w.reader, "Global");
    expect(linkIds(w.store)).toHaveLength(2);
  });

  it("for each depth, a link is readable exactly when its deal is (owner = the deal's owner)", () => {
    const w = world();
    for (const caller of [w.reader, w.manager, w.westSeller, w.admin]) {
      for (const depth of ["Basic", "Local", "Deep", "Global"] as const) {
        w.actAs(caller, depth);
        for (const d of [w.westDeal, w.eastDeal]) {
          const deal = [...w.store.rows("opportunity")].some((o) => o.opportunityid === d.opportunityid);
          const readable = [...w.store.rows("tcc_teamslink")].some((l) => l.tcc_teamslinkid === d.link);
          expect({ caller, depth, deal: d.opportunityid, readable }).toEqual({ caller, depth, deal: d.opportunityid, readable: deal });
        }
      }
    }
  });

  it("changes nothing for a table without a read depth: table-level privileges only", () => {
    const w = world();
    w.store.callerId = w.reader;
    expect(linkIds(w.store)).toHaveLength(2);
    w.store.setPrivilege("tcc_teamslink", "read", false);
    w.store.setReadDepth("tcc_teamslink", "Global");
    expect(linkIds(w.store)).toHaveLength(0);
  });
});
