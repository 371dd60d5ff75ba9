import { readFileSync } from "node:fs";
import { GENERATED_FILE, readSolutionTables, renderSolutionTables } from "../../../tools/dataverse/solutionTable";
import { MetadataSet, TEAMS_LINK_KIND, TEAMS_LINK_STATUS } from "../../../tools/dataverse/metadata";
import { DataverseStore } from "../../../tools/dataverse/store";

describe("tcc_teamslink metadata read from solution/", () => {
  it("is what the committed generated file holds (run npm run generate:metadata after changing solution/)", () => {
    expect(readFileSync(GENERATED_FILE, "utf8")).toBe(renderSolutionTables());
  });

  it("names the lookups' navigation properties as Dataverse does: the schema name for our own lookups", () => {
    const [link] = readSolutionTables().tables;
    expect(link.columns.tcc_accountid.targets).toEqual([{ table: "account", navigationProperty: "tcc_AccountId" }]);
    expect(link.columns.tcc_opportunityid.targets).toEqual([{ table: "opportunity", navigationProperty: "tcc_OpportunityId" }]);
    expect(link.columns.ownerid.targets?.map((t) => t.table)).toEqual(["systemuser", "team"]);
    expect(link).toMatchObject({ entitySetName: "tcc_teamslinks", primaryIdAttribute: "tcc_teamslinkid", primaryNameAttribute: "tcc_name" });
  });

  it("adds the collection navigation properties to account and opportunity", () => {
    const metadata = new MetadataSet();
    expect(metadata.collectionNavigation("account", "tcc_account_tcc_teamslink_accountid")?.referencingColumn).toBe("tcc_accountid");
    expect(metadata.collectionNavigation("opportunity", "tcc_opportunity_tcc_teamslink_opportunityid")?.referencingColumn).toBe("tcc_opportunityid");
  });

  it("keeps the choice constants the code uses among the solution's option values", () => {
    const link = new MetadataSet().require("tcc_teamslink");
    const values = (column: string) => link.columns[column].options?.map((o) => o.value);
    expect(values("tcc_kind")).toEqual(expect.arrayContaining(Object.values(TEAMS_LINK_KIND)));
    expect(values("tcc_status")).toEqual(expect.arrayContaining(Object.values(TEAMS_LINK_STATUS)));
  });

  it("carries the solution's alternate keys, which every in-memory store enforces", () => {
    const [link] = readSolutionTables().tables;
    expect(link.alternateKeys).toEqual([
      { name: "tcc_AccountKindKey", columns: ["tcc_accountid", "tcc_kind"] },
      { name: "tcc_OpportunityKindKey", columns: ["tcc_opportunityid", "tcc_kind"] },
    ]);
    const store = new DataverseStore();
    const account = { id: store.create("account", { name: "Contoso" }).accountid as string, table: "account" };
    store.create("tcc_teamslink", { tcc_name: "Team", tcc_kind: TEAMS_LINK_KIND.customerTeam, tcc_accountid: account });
    expect(() => store.create("tcc_teamslink", { tcc_name: "Team again", tcc_kind: TEAMS_LINK_KIND.customerTeam, tcc_accountid: account })).toThrow(/tcc_AccountKindKey/);
    expect(() => store.create("tcc_teamslink", { tcc_name: "Channel", tcc_kind: TEAMS_LINK_KIND.channel, tcc_accountid: account })).not.toThrow();
  });
});
