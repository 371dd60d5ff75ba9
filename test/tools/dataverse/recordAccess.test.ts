/**
 * Record-level read in the in-memory Dataverse (issue 15 item 4): a Teams Link is owned by its deal's owner, and the
 * Teams Collaboration User role reads links at the depth the person's sales role reads deals (Business Unit as
 * shipped), so a person who cannot read a deal cannot read its Teams Link, through the store or the Web API.
 */
import { ROLE_POLICY } from "../../../tools/build/roles";
import { TEAMS_LINK_KIND } from "../../../tools/dataverse/metadata";
import type { DataverseStore } from "../../../tools/dataverse/store";
import { emptyDataverse, errorOf, get, rowsOf } from "./helpers";

type Depth = "Basic" | "Local" | "Deep" | "Global";
/** The depth at which the shipped Teams Collaboration User role reads Teams Links. */
const SHIPPED_LINK_DEPTH = ROLE_POLICY["Teams Collaboration User"].privileges.prvReadtcc_teamslink.level;

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
  const actAs = (caller: string, depth: Depth, linkDepth: Depth = depth) => {
    store.callerId = caller;
    store.setReadDepth("opportunity", depth);
    store.setReadDepth("tcc_teamslink", linkDepth);
  };
  return { store, api, admin, reader, manager, westSeller, westDeal, eastDeal, actAs };
}

const linkIds = (store: DataverseStore) => [...store.rows("tcc_teamslink")].map((r) => r.tcc_teamslinkid);

describe("record-level read (business units and depths)", () => {
  it("a person who cannot read a deal cannot read its Teams Link: not in queries, 403 on retrieve", async () => {
    const w = world();
    w.actAs(w.reader, "Local");
    expect(() => w.store.retrieveAsCaller("opportunity", w.westDeal.opportunityid)).toThrow(/missing prvReadOpportunity privilege/);
    expect(() => w.store.retrieveAsCaller("tcc_teamslink", w.westDeal.link)).toThrow(/missing prvReadtcc_teamslink privilege/);
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
    expect(w.store.retrieveAsCaller("opportunity", w.eastDeal.opportunityid)).toBeDefined();
    expect(w.store.retrieveAsCaller("tcc_teamslink", w.eastDeal.link)?.tcc_name).toBe("Deal room");
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

  const readable = (w: ReturnType<typeof world>, d: { opportunityid: string; link: string }) => ({
    deal: [...w.store.rows("opportunity")].some((o) => o.opportunityid === d.opportunityid),
    link: [...w.store.rows("tcc_teamslink")].some((l) => l.tcc_teamslinkid === d.link),
  });

  it("with the shipped role, a link is readable exactly when its deal is for a sales role that reads deals at the same depth", () => {
    const w = world();
    for (const caller of [w.reader, w.manager, w.westSeller, w.admin]) {
      w.actAs(caller, SHIPPED_LINK_DEPTH, SHIPPED_LINK_DEPTH);
      for (const d of [w.westDeal, w.eastDeal]) {
        const seen = readable(w, d);
        expect({ caller, deal: d.opportunityid, link: seen.link }).toEqual({ caller, deal: d.opportunityid, link: seen.deal });
      }
    }
  });

  it("a sales role that reads deals deeper than the shipped link depth reads deals whose links stay hidden until the admin matches the depths, as the guide says", () => {
    const w = world();
    w.actAs(w.manager, "Deep", SHIPPED_LINK_DEPTH);
    expect(readable(w, w.westDeal)).toEqual({ deal: true, link: false });
    w.actAs(w.manager, "Deep", "Deep");
    expect(readable(w, w.westDeal)).toEqual({ deal: true, link: true });
  });

  it("reads rows the caller cannot read where the platform itself does (a lookup to a row outside the caller's depth still saves)", () => {
    const w = world();
    w.actAs(w.reader, "Local");
    expect(w.store.get("opportunity", w.westDeal.opportunityid)).toBeDefined();
    expect(() => w.store.create("task", { subject: "Call", regardingobjectid: { id: w.westDeal.opportunityid, table: "opportunity" } })).not.toThrow();
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
