import { DataverseStore } from "../../../tools/dataverse/store";
import { ALL_ANNOTATIONS, bodyOf, emptyDataverse, get } from "./helpers";

describe("owninguser", () => {
  it("follows ownerid when a user owns the row, through create and reassignment", () => {
    const { store, userId } = emptyDataverse();
    const other = store.create("systemuser", { firstname: "Grace", lastname: "Hopper" }).systemuserid as string;
    const account = store.create("account", { name: "Contoso" });
    expect(account.owninguser).toEqual({ id: userId, table: "systemuser" });
    const reassigned = store.update("account", account.accountid as string, { ownerid: { id: other, table: "systemuser" } });
    expect(reassigned.owninguser).toEqual({ id: other, table: "systemuser" });
  });

  it("is empty when a team owns the row", () => {
    const { store } = emptyDataverse();
    const team = store.create("team", { name: "Sales" }).teamid as string;
    const account = store.create("account", { name: "Contoso", ownerid: { id: team, table: "team" } });
    expect(account.owninguser).toBeNull();
  });

  it("cannot be written by a client", () => {
    const { store, userId } = emptyDataverse();
    expect(() => store.create("account", { name: "Contoso", owninguser: { id: userId, table: "systemuser" } })).toThrow(/'owninguser' is computed by Dataverse/);
  });

  it("is mirrored onto activitypointer with the rest of the activity", () => {
    const { store, userId } = emptyDataverse();
    const task = store.create("task", { subject: "Call back" });
    expect(store.get("activitypointer", task.activityid as string)?.owninguser).toEqual({ id: userId, table: "systemuser" });
  });

  it("is not a column of organisation-owned tables", () => {
    expect(new DataverseStore().metadata.require("transactioncurrency").columns.owninguser).toBeUndefined();
  });

  it("is read as _owninguser_value and expanded to the user's columns in the same request", async () => {
    const { store, api, userId } = emptyDataverse();
    store.update("systemuser", userId, { domainname: "ada@contoso.example" });
    const id = store.create("account", { name: "Contoso" }).accountid as string;
    const response = await get(api, `accounts(${id})?$select=_owninguser_value&$expand=owninguser($select=fullname,domainname)`, ALL_ANNOTATIONS);
    const body = bodyOf(response);
    expect(response.status).toBe(200);
    expect(body._owninguser_value).toBe(userId);
    expect(body["_owninguser_value@OData.Community.Display.V1.FormattedValue"]).toBe("Ada Lovelace");
    expect(body.owninguser).toMatchObject({ fullname: "Ada Lovelace", domainname: "ada@contoso.example" });
  });
});

describe("account relationship type", () => {
  it("labels customertypecode in English and Simplified Chinese", async () => {
    const { store, api } = emptyDataverse();
    const id = store.create("account", { name: "Contoso", customertypecode: 8 }).accountid as string;
    const english = bodyOf(await get(api, `accounts(${id})?$select=customertypecode`, ALL_ANNOTATIONS));
    expect(english["customertypecode@OData.Community.Display.V1.FormattedValue"]).toBe("Prospect");
    api.language = 2052;
    const chinese = bodyOf(await get(api, `accounts(${id})?$select=customertypecode`, ALL_ANNOTATIONS));
    expect(chinese["customertypecode@OData.Community.Display.V1.FormattedValue"]).toBe("潜在客户");
  });

  it("refuses a value outside the twelve standard types", () => {
    const { store } = emptyDataverse();
    expect(() => store.create("account", { name: "Contoso", customertypecode: 13 })).toThrow(/outside the valid range/);
  });
});
