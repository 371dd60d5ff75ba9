import { bodyOf, emptyDataverse, rowsOf } from "../helpers";
import type { InMemoryWebApi } from "../../../../tools/dataverse/webApiHandler";

const get = (api: InMemoryWebApi, path: string) => api.handle({ method: "GET", url: `/api/data/v9.2/${path}` });

describe("in-memory Web API: metadata as Dataverse serves it", () => {
  it("answers EntityDefinitions by logical name with only the selected properties", async () => {
    const { api } = emptyDataverse();
    const response = await get(api, "EntityDefinitions(LogicalName='opportunity')?$select=LogicalName,EntitySetName,PrimaryIdAttribute,PrimaryNameAttribute");
    expect(response.status).toBe(200);
    const { MetadataId, ...rest } = bodyOf(response);
    expect(typeof MetadataId).toBe("string");
    expect(rest).toEqual({
      "@odata.context": "https://contoso.crm.dynamics.com/api/data/v9.2/$metadata#EntityDefinitions/$entity",
      LogicalName: "opportunity",
      EntitySetName: "opportunities",
      PrimaryIdAttribute: "opportunityid",
      PrimaryNameAttribute: "name",
    });
  });

  it("expands the attributes with their types, and labels them in the user's language", async () => {
    const { api } = emptyDataverse();
    api.language = 2052;
    const body = bodyOf(await get(api, "EntityDefinitions(LogicalName='opportunity')?$select=LogicalName&$expand=Attributes($select=LogicalName,AttributeType,DisplayName)"));
    const attributes = body.Attributes as { LogicalName: string; AttributeType: string; DisplayName: { UserLocalizedLabel: { Label: string } } }[];
    const byName = new Map(attributes.map((a) => [a.LogicalName, a]));
    expect(byName.get("customerid")?.AttributeType).toBe("Customer");
    expect(byName.get("ownerid")?.AttributeType).toBe("Owner");
    expect(byName.get("estimatedclosedate")?.AttributeType).toBe("DateTime");
    expect(byName.get("salesstage")?.DisplayName.UserLocalizedLabel.Label).toBe("销售阶段");
  });

  it("lists a process table's lookups with the navigation property names @odata.bind uses", async () => {
    const { api } = emptyDataverse();
    const rows = rowsOf(await get(api, "EntityDefinitions(LogicalName='opportunitysalesprocess')/ManyToOneRelationships?$select=ReferencingAttribute,ReferencedEntity,ReferencingEntityNavigationPropertyName"));
    expect(rows.map(({ MetadataId: _id, ...r }) => r)).toContainEqual({ ReferencingAttribute: "opportunityid", ReferencedEntity: "opportunity", ReferencingEntityNavigationPropertyName: "opportunityid" });
    const links = rowsOf(await get(api, "EntityDefinitions(LogicalName='tcc_teamslink')/ManyToOneRelationships?$filter=ReferencedEntity eq 'account'"));
    expect(links.map((r) => [r.SchemaName, r.ReferencingEntityNavigationPropertyName, r.ReferencedEntityNavigationPropertyName])).toEqual([
      ["tcc_account_tcc_teamslink_accountid", "tcc_AccountId", "tcc_account_tcc_teamslink_accountid"],
    ]);
  });

  it("casts the attributes to a derived type and expands its option set", async () => {
    const { api } = emptyDataverse();
    const rows = rowsOf(await get(api, "EntityDefinitions(LogicalName='opportunity')/Attributes/Microsoft.Dynamics.CRM.PicklistAttributeMetadata?$select=LogicalName&$expand=OptionSet"));
    const stage = rows.find((r) => r.LogicalName === "salesstage") as { OptionSet: { Options: { Value: number; Label: { UserLocalizedLabel: { Label: string } } }[] } } | undefined;
    expect(stage?.OptionSet.Options.map((o) => [o.Value, o.Label.UserLocalizedLabel.Label])).toEqual([[0, "Qualify"], [1, "Develop"], [2, "Propose"], [3, "Close"]]);
    expect(rows.every((r) => r["@odata.type"] === "#Microsoft.Dynamics.CRM.PicklistAttributeMetadata")).toBe(true);
    const status = bodyOf(await get(api, "EntityDefinitions(LogicalName='opportunity')/Attributes(LogicalName='statuscode')/Microsoft.Dynamics.CRM.StatusAttributeMetadata?$select=LogicalName&$expand=OptionSet"));
    expect((status.OptionSet as { Options: { Value: number; State: number }[] }).Options.find((o) => o.Value === 3)?.State).toBe(1);
  });

  it("fails as Dataverse does for an unknown table, attribute or property", async () => {
    const { api } = emptyDataverse();
    const table = await get(api, "EntityDefinitions(LogicalName='new_nosuch')");
    expect([table.status, (bodyOf(table).error as { message: string }).message]).toEqual([404, "Could not find an entity with name new_nosuch and id 00000000-0000-0000-0000-000000000000."]);
    expect((await get(api, "EntityDefinitions(LogicalName='account')/Attributes(LogicalName='new_nosuch')")).status).toBe(404);
    const property = await get(api, "EntityDefinitions(LogicalName='account')?$select=LogicalName,EntitySet");
    expect([property.status, (bodyOf(property).error as { message: string }).message]).toEqual([400, "Could not find a property named 'EntitySet' on type 'Microsoft.Dynamics.CRM.EntityMetadata'."]);
  });

  it("refuses a lookup bound by its lower-case logical name, as Dataverse matches navigation properties by case", async () => {
    const { api, store } = emptyDataverse();
    const account = store.create("account", { name: "Contoso" }).accountid as string;
    const post = (body: object) => api.handle({ method: "POST", url: "/api/data/v9.2/tcc_teamslinks", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    const wrong = await post({ tcc_name: "Team", tcc_kind: 615300000, "tcc_accountid@odata.bind": `/accounts(${account})` });
    expect([wrong.status, (bodyOf(wrong).error as { message: string }).message]).toEqual([
      400,
      "An undeclared property 'tcc_accountid' which only has property annotations in the payload but no property value was found in the payload. In OData, only declared navigation properties and declared named streams can be represented as properties without values.",
    ]);
    expect((await post({ tcc_name: "Team", tcc_kind: 615300000, "tcc_AccountId@odata.bind": `/accounts(${account})` })).status).toBe(204);
  });
});
