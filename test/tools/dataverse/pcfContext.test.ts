import { createFakeContext, stringProperty } from "../../../tools/dataverse/pcfContext";
import { FakeDataSet } from "../../../tools/dataverse/pcfDataset";
import { readControlStrings } from "../../../tools/dataverse/node/resx";
import { createSampleData } from "../../../tools/dataverse/sampleData";
import { InMemoryWebApi } from "../../../tools/dataverse/webApiHandler";

function setup(language: 1033 | 2052 = 1033) {
  const data = createSampleData({ seed: 11, opportunities: 60, language });
  const api = new InMemoryWebApi({ store: data.store, sleep: () => Promise.resolve() });
  return { data, api };
}

describe("fake PCF context", () => {
  it("reads a control's real resx strings in the user's language", () => {
    const { api } = setup();
    const context = createFakeContext({ api, parameters: {}, language: 2052, strings: readControlStrings("PipelineBoard", 2052) });
    expect(context.resources.getString("PipelineBoard_Name")).toMatch(/[\u4e00-\u9fff]/);
  });

  it("throws for a resource key the control does not define", () => {
    const { api } = setup();
    const context = createFakeContext({ api, parameters: {}, strings: {} });
    expect(() => context.resources.getString("Nope")).toThrow("Nope");
  });

  it("reports the user's language and id", () => {
    const { api, data } = setup();
    const context = createFakeContext({ api, parameters: { title: stringProperty("x") }, language: 2052 });
    expect(context.userSettings.languageId).toBe(2052);
    expect(context.userSettings.userId.toLowerCase()).toBe(`{${data.store.callerId ?? ""}}`);
  });

  it("writes through webAPI into the same store the dataset reads", async () => {
    const { api, data } = setup();
    const context = createFakeContext({ api, parameters: {} });
    const created = await context.webAPI.createRecord("account", { name: "Through PCF" });
    expect(data.store.get("account", created.id)?.name).toBe("Through PCF");
  });

  it("answers hasEntityPrivilege from the store's privileges", () => {
    const { api, data } = setup();
    data.store.setPrivilege("opportunity", "write", false);
    const context = createFakeContext({ api, parameters: {} });
    expect(context.utils.hasEntityPrivilege("opportunity", 3, 3)).toBe(false);
    expect(context.utils.hasEntityPrivilege("opportunity", 2, 3)).toBe(true);
  });

  it("returns choice metadata with labels in the user's language and colours", async () => {
    const { api } = setup();
    const context = createFakeContext({ api, parameters: {}, language: 2052 });
    const metadata = await context.utils.getEntityMetadata("opportunity", ["salesstage"]);
    const attribute = (metadata.Attributes as { get(name: string): { attributeDescriptor: { OptionSet: { Label: string; Color: string }[] } } }).get("salesstage");
    expect(attribute.attributeDescriptor.OptionSet[0]).toEqual(expect.objectContaining({ Label: "资格审查", Color: "#8764b8" }));
  });

  it("formats currency in the user's locale", () => {
    const { api } = setup();
    expect(createFakeContext({ api, parameters: {} }).formatting.formatCurrency(1234.5)).toBe("$1,234.50");
  });

  it("records navigation for assertions", () => {
    const { api } = setup();
    const context = createFakeContext({ api, parameters: {} });
    context.navigation.openUrl("https://teams.microsoft.com/l/chat/0/0");
    expect(context.navigationCalls).toEqual([{ kind: "openUrl", url: "https://teams.microsoft.com/l/chat/0/0" }]);
  });
});

describe("fake PCF dataset", () => {
  const make = (options: Partial<ConstructorParameters<typeof FakeDataSet>[0]> = {}) => {
    const { data } = setup();
    const dataset = new FakeDataSet({ store: data.store, table: "opportunity", columns: ["name", "salesstage", "estimatedvalue", "customerid"], pageSize: 10, ...options });
    return { data, dataset };
  };

  it("loads the first page and knows there are more", () => {
    const { dataset } = make();
    expect(dataset.sortedRecordIds).toHaveLength(10);
    expect(dataset.paging.totalResultCount).toBe(62);
    expect(dataset.paging.hasNextPage).toBe(true);
  });

  const nextMacrotask = () => new Promise((resolve) => setTimeout(resolve, 0));

  it("appends the next page by default and replaces it when asked for the new page only", async () => {
    const { dataset } = make();
    dataset.paging.loadNextPage();
    await nextMacrotask();
    expect(dataset.sortedRecordIds).toHaveLength(20);
    dataset.paging.loadNextPage(true);
    await nextMacrotask();
    expect([dataset.sortedRecordIds.length, dataset.paging.firstPageNumber]).toEqual([10, 3]);
  });

  it("delivers a page on a later macrotask, loading meanwhile, and tells the host once it arrives", async () => {
    let loads = 0;
    const { dataset } = make({ onLoaded: () => loads++ });
    const before = loads;
    dataset.paging.loadNextPage();
    await Promise.resolve();
    expect([dataset.loading, dataset.sortedRecordIds.length, loads - before]).toEqual([true, 10, 0]);
    await nextMacrotask();
    expect([dataset.loading, dataset.sortedRecordIds.length, loads - before]).toEqual([false, 20, 1]);
  });

  it("keeps a record whose row did not change across loads and replaces the record of a changed row", async () => {
    const { data, dataset } = make();
    const [kept, changed] = dataset.sortedRecordIds;
    const keptRecord = dataset.records[kept];
    const changedRecord = dataset.records[changed];
    data.store.update("opportunity", changed, { name: "Renamed" });
    dataset.paging.loadNextPage();
    await nextMacrotask();
    expect(dataset.records[kept]).toBe(keptRecord);
    expect(dataset.records[changed]).not.toBe(changedRecord);
    expect(dataset.records[changed].getFormattedValue("name")).toBe("Renamed");
  });

  it("sorts by a column on refresh", async () => {
    const { dataset } = make();
    dataset.sorting.push({ name: "estimatedvalue", sortDirection: 1 });
    dataset.refresh();
    await nextMacrotask();
    const values = dataset.sortedRecordIds.map((id) => dataset.records[id].getValue("estimatedvalue") as number);
    expect(values).toEqual([...values].sort((a, b) => b - a));
  });

  it("filters with a PCF filter expression", async () => {
    const { dataset } = make();
    dataset.filtering.setFilter({ filterOperator: 0, conditions: [{ attributeName: "salesstage", conditionOperator: 0, value: "2" }] });
    dataset.refresh();
    await nextMacrotask();
    expect(dataset.sortedRecordIds.every((id) => dataset.records[id].getValue("salesstage") === 2)).toBe(true);
  });

  it("shows a write made elsewhere after refresh", async () => {
    const { data, dataset } = make();
    const id = dataset.sortedRecordIds[0];
    data.store.update("opportunity", id, { name: "Renamed" });
    dataset.refresh();
    expect(dataset.loading).toBe(true);
    await nextMacrotask();
    expect(dataset.records[id].getFormattedValue("name")).toBe("Renamed");
  });

  it("gives lookups as entity references and choices with their labels", () => {
    const { dataset } = make();
    const record = dataset.records[dataset.sortedRecordIds[0]];
    expect(record.getValue("customerid")).toEqual(expect.objectContaining({ etn: "account" }));
    expect(["Qualify", "Develop", "Propose", "Close"]).toContain(record.getFormattedValue("salesstage"));
  });

  it("describes its columns with PCF data types", () => {
    const { dataset } = make();
    expect(dataset.columns.map((c) => c.dataType)).toEqual(["SingleLine.Text", "OptionSet", "Currency", "Lookup.Simple"]);
  });

  it("fails loads as a model-driven host reports it, and loads again once told to", async () => {
    const { dataset } = make({ loadError: "Sql timeout" });
    expect({ error: dataset.error, message: dataset.errorMessage, ids: dataset.sortedRecordIds, total: dataset.paging.totalResultCount }).toEqual({
      error: true, message: "Sql timeout", ids: [], total: -1,
    });
    expect(dataset.paging.hasNextPage).toBe(false);
    dataset.failLoads(null);
    dataset.refresh();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect({ error: dataset.error, message: dataset.errorMessage, ids: dataset.sortedRecordIds.length }).toEqual({ error: false, message: "", ids: 10 });
  });

  it("hands a bound property-set's column with the property-set's name as alias, loaded even when the view lacks it", () => {
    const { dataset } = make({ propertySets: { lane: "salesstage", closeDate: "estimatedclosedate" } });
    expect(dataset.columns.map((c) => [c.name, c.alias])).toEqual([
      ["name", "name"], ["salesstage", "lane"], ["estimatedvalue", "estimatedvalue"], ["customerid", "customerid"], ["estimatedclosedate", "closeDate"],
    ]);
    const record = dataset.records[dataset.sortedRecordIds[0]];
    expect(record.getValue("estimatedclosedate")).not.toBeNull();
  });
});
