import { ConnectorActionError, DataverseConnector, type RowTriggerEvent } from "../../../tools/dataverse/connector";
import { emptyDataverse } from "./helpers";

function setup() {
  const dataverse = emptyDataverse();
  return { ...dataverse, connector: new DataverseConnector(dataverse.api) };
}

describe("Dataverse connector operations", () => {
  it("adds a row and returns it with its id", async () => {
    const { store, connector } = setup();
    const row = await connector.addRow({ entityName: "accounts", item: { name: "Contoso" } });
    expect(store.get("account", row.accountid as string)?.name).toBe("Contoso");
  });

  it("lists rows with a filter and select", async () => {
    const { connector } = setup();
    await connector.addRow({ entityName: "accounts", item: { name: "A" } });
    await connector.addRow({ entityName: "accounts", item: { name: "B" } });
    const result = await connector.listRows({ entityName: "accounts", $select: "name", $filter: "name eq 'B'" });
    expect((result.value as { name: string }[]).map((r) => r.name)).toEqual(["B"]);
  });

  it("gets a row by id and updates it", async () => {
    const { connector } = setup();
    const { accountid } = await connector.addRow({ entityName: "accounts", item: { name: "A" } });
    await connector.updateRow({ entityName: "accounts", recordId: accountid as string, item: { name: "B" } });
    expect((await connector.getRow({ entityName: "accounts", recordId: accountid as string, $select: "name" })).name).toBe("B");
  });

  it("fails an action with the Web API status and error body", async () => {
    const { connector } = setup();
    const error = await connector.getRow({ entityName: "accounts", recordId: "00000000-0000-4000-8000-000000000009" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectorActionError);
    expect((error as ConnectorActionError).status).toBe(404);
  });

  it("triggers on an added row with SdkMessage Create", async () => {
    const { connector } = setup();
    const events: RowTriggerEvent[] = [];
    connector.onRowChange({ entityName: "account", message: 1 }, (e) => events.push(e));
    await connector.addRow({ entityName: "accounts", item: { name: "New" } });
    expect(events.map((e) => [e.body.SdkMessage, e.body.name])).toEqual([["Create", "New"]]);
  });

  it("triggers on modification only when a selected column changed", () => {
    const { store, connector } = setup();
    const id = store.create("opportunity", { name: "Deal" }).opportunityid as string;
    const events: RowTriggerEvent[] = [];
    connector.onRowChange({ entityName: "opportunity", message: 3, filteringAttributes: ["statecode"] }, (e) => events.push(e));
    store.update("opportunity", id, { name: "Renamed" });
    store.update("opportunity", id, { statecode: 1 });
    expect(events.map((e) => e.body["statecode@OData.Community.Display.V1.FormattedValue"])).toEqual(["Won"]);
  });

  it("triggers only for rows matching the filter expression", () => {
    const { store, connector } = setup();
    const events: RowTriggerEvent[] = [];
    connector.onRowChange({ entityName: "opportunity", message: 4, filterExpression: "estimatedvalue gt 1000" }, (e) => events.push(e));
    store.create("opportunity", { name: "Small", estimatedvalue: 10 });
    store.create("opportunity", { name: "Large", estimatedvalue: 5000 });
    expect(events.map((e) => e.body.name)).toEqual(["Large"]);
  });

  it("stops triggering after unsubscribe", () => {
    const { store, connector } = setup();
    const events: RowTriggerEvent[] = [];
    const unsubscribe = connector.onRowChange({ entityName: "account", message: 7 }, (e) => events.push(e));
    unsubscribe();
    store.create("account", { name: "Quiet" });
    expect(events).toEqual([]);
  });
});
