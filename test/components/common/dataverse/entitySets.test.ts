import { entitySetsFrom } from "../../../../components/common/src/dataverse/entitySets";

describe("entitySetsFrom", () => {
  it("names the tables Dynamics 365 ships without asking for metadata", async () => {
    const asked: string[] = [];
    const setOf = entitySetsFrom((table) => {
      asked.push(table);
      return Promise.resolve({ EntitySetName: "wrong" });
    });
    await expect(setOf("opportunity")).resolves.toBe("opportunities");
    await expect(setOf("opportunitysalesprocess")).resolves.toBe("opportunitysalesprocesses");
    expect(asked).toEqual([]);
  });

  it("asks a maker's table's metadata once and keeps its set name", async () => {
    const asked: string[] = [];
    const setOf = entitySetsFrom((table) => {
      asked.push(table);
      return Promise.resolve({ EntitySetName: "new_projectphases" });
    });
    const names = await Promise.all([setOf("new_projectphase"), setOf("new_projectphase")]);
    await setOf("new_projectphase");
    expect(names).toEqual(["new_projectphases", "new_projectphases"]);
    expect(asked).toEqual(["new_projectphase"]);
  });

  it("says which table's metadata names no set, and asks again next time", async () => {
    let answers = 0;
    const setOf = entitySetsFrom(() => Promise.resolve(++answers === 1 ? {} : { EntitySetName: "new_projects" }));
    await expect(setOf("new_project")).rejects.toThrow("The metadata of table 'new_project' names no entity set (EntitySetName)");
    await expect(setOf("new_project")).resolves.toBe("new_projects");
  });
});
