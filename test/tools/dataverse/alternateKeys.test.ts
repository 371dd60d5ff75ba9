/** The store's alternate keys: a duplicate key fails as Dataverse's unique index makes it fail; rows with a null key column never collide. */
import { DataverseServiceError } from "../../../tools/dataverse/errors";
import { DataverseStore } from "../../../tools/dataverse/store";

const ACCOUNT = "d0000000-0000-4000-8000-000000000001";
const OTHER = "d0000000-0000-4000-8000-000000000002";
const TEAM = 615300000;
const DEAL_ROOM = 615300002;

function store(): DataverseStore {
  const s = new DataverseStore({ clock: () => new Date("2025-03-14T09:00:00Z") });
  s.create("account", { accountid: ACCOUNT, name: "Contoso" });
  s.create("account", { accountid: OTHER, name: "Fabrikam" });
  s.defineAlternateKey("tcc_teamslink", "tcc_AccountKindKey", ["tcc_accountid", "tcc_kind"]);
  s.defineAlternateKey("tcc_teamslink", "tcc_OpportunityKindKey", ["tcc_opportunityid", "tcc_kind"]);
  return s;
}
const account = (id: string) => ({ id, table: "account" });

describe("alternate keys in the in-memory Dataverse", () => {
  it("refuses a second row with the same key values with 412 and 0x80040237, and keeps the first", () => {
    const s = store();
    s.create("tcc_teamslink", { tcc_name: "Team", tcc_kind: TEAM, tcc_accountid: account(ACCOUNT) });
    let error: unknown;
    try {
      s.create("tcc_teamslink", { tcc_name: "Team again", tcc_kind: TEAM, tcc_accountid: { id: ACCOUNT.toUpperCase(), table: "account" } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DataverseServiceError);
    expect(error).toMatchObject({ status: 412, code: "0x80040237" });
    expect((error as Error).message).toContain("tcc_AccountKindKey");
    expect(s.count("tcc_teamslink")).toBe(1);
  });

  it("allows the same kind for another account, another kind for the same account, and any number of rows with a null key column", () => {
    const s = store();
    s.create("tcc_teamslink", { tcc_name: "a", tcc_kind: TEAM, tcc_accountid: account(ACCOUNT) });
    s.create("tcc_teamslink", { tcc_name: "b", tcc_kind: TEAM, tcc_accountid: account(OTHER) });
    s.create("tcc_teamslink", { tcc_name: "c", tcc_kind: DEAL_ROOM, tcc_accountid: account(ACCOUNT) });
    s.create("tcc_teamslink", { tcc_name: "d", tcc_kind: DEAL_ROOM });
    s.create("tcc_teamslink", { tcc_name: "e", tcc_kind: DEAL_ROOM });
    expect(s.count("tcc_teamslink")).toBe(5);
  });

  it("refuses an update that makes a row collide, and lets a row update itself", () => {
    const s = store();
    const first = s.create("tcc_teamslink", { tcc_name: "a", tcc_kind: TEAM, tcc_accountid: account(ACCOUNT) });
    const second = s.create("tcc_teamslink", { tcc_name: "b", tcc_kind: TEAM, tcc_accountid: account(OTHER) });
    expect(() => s.update("tcc_teamslink", second.tcc_teamslinkid as string, { tcc_accountid: account(ACCOUNT) })).toThrow(/matching key values/);
    expect(s.update("tcc_teamslink", first.tcc_teamslinkid as string, { tcc_name: "renamed" }).tcc_name).toBe("renamed");
  });

  it("refuses a key over a column the table does not have", () => {
    expect(() => store().defineAlternateKey("tcc_teamslink", "bad", ["tcc_nothing"])).toThrow(/no column 'tcc_nothing'/);
  });
});
