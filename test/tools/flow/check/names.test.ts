/**
 * flow check refuses the Dataverse names and Graph bodies the contract lacks: small crafted flows with one wrong name
 * each, checked as text; the messages name the file, the action and the wrong name, with "did you mean" for case.
 */
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { checkFlowFile, checkFlowText, defaultCheckOptions, type FlowProblem } from "../../../../tools/flow/check";

const ROOT = path.resolve(__dirname, "../../../..");
const FLOWS = path.join(ROOT, "flows");
const options = defaultCheckOptions(ROOT);
const shipped = readdirSync(FLOWS).filter((f) => f.endsWith(".json"));
const escalation = JSON.parse(readFileSync(path.join(FLOWS, shipped.find((f) => f.includes("-Dealescalation-")) ?? ""), "utf8")) as {
  properties: { connectionReferences: Record<string, { api: { name: string } }>; definition: { parameters: unknown } };
};
const DATAVERSE = "shared_commondataserviceforapps";
const TEAMS = Object.keys(escalation.properties.connectionReferences).find((k) => k.startsWith("shared_tcc-")) ?? "";

type Json = Record<string, unknown>;
const host = (connectionName: string, operationId: string) => ({ connectionName, operationId, apiId: `/providers/Microsoft.PowerApps/apis/${connectionName}` });
const dataverse = (operationId: string, parameters: Json, runAfter: Json = {}): Json => ({
  type: "OpenApiConnection",
  inputs: { host: host(DATAVERSE, operationId), parameters, authentication: "@parameters('$authentication')" },
  runAfter,
});
const teams = (operationId: string, parameters: Json, runAfter: Json = {}): Json => ({
  type: "OpenApiConnection",
  inputs: { host: host(TEAMS, operationId), parameters, authentication: "@parameters('$authentication')" },
  runAfter,
});
const TRIGGER_PARAMETERS = {
  "subscriptionRequest/message": 3,
  "subscriptionRequest/entityname": "opportunity",
  "subscriptionRequest/scope": 4,
  "subscriptionRequest/filteringattributes": "statecode",
  "subscriptionRequest/filterexpression": "statecode eq 1",
  "subscriptionRequest/runas": 1,
};

/** A flow with the shipped flows' connection references and parameters, one trigger and the given actions. */
function crafted(actions: Record<string, Json>, trigger: Json = TRIGGER_PARAMETERS): string {
  return JSON.stringify(
    {
      properties: {
        connectionReferences: escalation.properties.connectionReferences,
        definition: {
          $schema: "https://schema.management.azure.com/providers/Microsoft.Logic/schemas/2016-06-01/workflowdefinition.json#",
          contentVersion: "1.0.0.0",
          parameters: escalation.properties.definition.parameters,
          triggers: {
            When_a_deal_changes: {
              type: "OpenApiConnectionWebhook",
              inputs: { host: host(DATAVERSE, "SubscribeWebhookTrigger"), parameters: trigger, authentication: "@parameters('$authentication')" },
            },
          },
          actions,
        },
      },
      schemaVersion: "1.0.0.0",
    },
    null,
    2,
  );
}

const check = (actions: Record<string, Json>, trigger?: Json): FlowProblem[] => checkFlowText(crafted(actions, trigger), "flows/Crafted.json", options);
const messages = (actions: Record<string, Json>, trigger?: Json): string[] => check(actions, trigger).map((p) => p.message);

describe("flow check: the shipped flows", () => {
  it.each(shipped)("%s passes every name and Graph body check", (file) => {
    expect(checkFlowFile(path.join(FLOWS, file), options)).toEqual([]);
  });

  it.each(shipped)("%s fails when its Teams Link binds use the logical names, naming the file, the action and the navigation property", (file) => {
    const text = readFileSync(path.join(FLOWS, file), "utf8");
    const wrong = text.replace(/"item\/tcc_AccountId@odata\.bind"/g, '"item/tcc_accountid@odata.bind"').replace(/"item\/tcc_OpportunityId@odata\.bind"/g, '"item/tcc_opportunityid@odata.bind"');
    expect(wrong).not.toBe(text);
    const problems = checkFlowText(wrong, `flows/${file}`, options);
    expect(problems.length).toBeGreaterThan(0);
    for (const p of problems) {
      expect(p.file).toBe(`flows/${file}`);
      expect(p.message).toMatch(/^action '\w+': item\/tcc_(account|opportunity)id@odata\.bind: 'tcc_(account|opportunity)id' is not a navigation property of tcc_teamslink; did you mean 'tcc_(AccountId|OpportunityId)'\?/);
    }
  });

  it("the escalation flow fails when a member its deal-room chat is built from lacks @odata.type", () => {
    const file = shipped.find((f) => f.includes("-Dealescalation-")) ?? "";
    const text = readFileSync(path.join(FLOWS, file), "utf8");
    const at = text.indexOf('"Deal_desk_members": {');
    const cut = text.indexOf('"@@odata.type": "#microsoft.graph.aadUserConversationMember",', at);
    const wrong = text.slice(0, cut) + text.slice(cut + '"@@odata.type": "#microsoft.graph.aadUserConversationMember",'.length);
    expect(checkFlowText(wrong, file, options).map((p) => p.message)).toEqual([
      "action 'Create_deal_room': CreateGroupChat body/members[] (built by action 'Deal_desk_members'): lacks '@odata.type' (\"#microsoft.graph.aadUserConversationMember\"), which the schema requires; nothing fills defaults inside array items, so each item must carry it",
    ]);
  });

  it("a crafted flow with only right names passes", () => {
    expect(messages({
      Get_deal: dataverse("GetItem", { entityName: "opportunities", recordId: "@triggerOutputs()?['body/opportunityid']", $select: "name,_parentaccountid_value", $expand: "parentaccountid($select=name,accountnumber)" }),
    })).toEqual([]);
  });
});

describe("flow check: Dataverse names", () => {
  it("rejects item/tcc_accountid@odata.bind, naming the file, the action, the wrong name and tcc_AccountId", () => {
    const actions = {
      Record_link: dataverse("CreateRecord", { entityName: "tcc_teamslinks", "item/tcc_name": "x", "item/tcc_accountid@odata.bind": "accounts(@{triggerOutputs()?['body/_parentaccountid_value']})" }),
    };
    const problems = check(actions);
    expect(problems).toHaveLength(1);
    expect(problems[0].file).toBe("flows/Crafted.json");
    expect(problems[0].message).toBe(
      "action 'Record_link': item/tcc_accountid@odata.bind: 'tcc_accountid' is not a navigation property of tcc_teamslink; did you mean 'tcc_AccountId'? Dataverse matches @odata.bind names case-sensitively",
    );
    // The line of the wrong parameter, not only of the action.
    expect(problems[0].line).toBe(crafted(actions).split("\n").findIndex((l) => l.includes('"item/tcc_accountid@odata.bind"')) + 1);
  });

  it("accepts the navigation property in schema-name casing, and checks the bound record's set against its target", () => {
    expect(messages({ Record_link: dataverse("CreateRecord", { entityName: "tcc_teamslinks", "item/tcc_AccountId@odata.bind": "accounts(@{triggerOutputs()?['body/_parentaccountid_value']})" }) })).toEqual([]);
    expect(messages({ Record_link: dataverse("CreateRecord", { entityName: "tcc_teamslinks", "item/tcc_AccountId@odata.bind": "/opportunities(@{triggerOutputs()?['body/opportunityid']})" }) })).toEqual([
      "action 'Record_link': item/tcc_AccountId@odata.bind: 'tcc_AccountId' leads to account, not to opportunity ('opportunities')",
    ]);
    expect(messages({ Record_link: dataverse("CreateRecord", { entityName: "tcc_teamslinks", "item/tcc_AccountId@odata.bind": "Accounts(@{triggerOutputs()?['body/opportunityid']})" }) })).toEqual([
      "action 'Record_link': item/tcc_AccountId@odata.bind: the bound record's entity set 'Accounts' is not a table in the Dataverse metadata; did you mean 'accounts'?",
    ]);
  });

  it("names the navigation properties of a multi-table lookup bound by its column name", () => {
    expect(messages({ Note: dataverse("CreateRecord", { entityName: "annotations", "item/subject": "x", "item/objectid@odata.bind": "opportunities(1)" }) })).toEqual([
      "action 'Note': item/objectid@odata.bind: 'objectid' is not a navigation property of annotation; 'objectid' is a lookup column, bound through 'objectid_account' or 'objectid_contact' or 'objectid_opportunity' or 'objectid_incident'",
    ]);
  });

  it("rejects columns a row body cannot carry: unknown, a lookup set by value, a read-only column", () => {
    expect(messages({
      Update_link: dataverse("UpdateRecord", {
        entityName: "tcc_teamslinks", recordId: "1", "item/tcc_Status": 1, "item/tcc_accountid": "1", "item/_tcc_accountid_value": "1", "item/createdon": "2020-01-01", "item/tcc_chatid": "@{variables('x')}",
      }),
    })).toEqual([
      "action 'Update_link': item/tcc_Status: 'tcc_Status' is not a column of tcc_teamslink; did you mean 'tcc_status'?",
      "action 'Update_link': item/tcc_accountid: 'tcc_accountid' is a lookup column of tcc_teamslink; set it with 'tcc_AccountId@odata.bind'",
      "action 'Update_link': item/_tcc_accountid_value: '_tcc_accountid_value' is not a column of tcc_teamslink; set a lookup with '<navigation property>@odata.bind' ('tcc_AccountId@odata.bind')",
      "action 'Update_link': item/createdon: 'createdon' is a read-only column of tcc_teamslink; Dataverse does not let a client write it",
    ]);
  });

  it("rejects a literal choice value the column does not have", () => {
    expect(messages({ Update_link: dataverse("UpdateRecord", { entityName: "tcc_teamslinks", recordId: "1", "item/tcc_status": 615300001, "item/tcc_kind": 3 }) })).toEqual([
      "action 'Update_link': item/tcc_kind: 3 is not an option of tcc_teamslink.tcc_kind (615300000 Customer team, 615300001 Channel, 615300002 Deal-room chat)",
    ]);
  });

  it("rejects an unknown table set name, suggesting the set name for a logical name and for a case-only difference", () => {
    expect(messages({
      A: dataverse("ListRecords", { entityName: "widgets" }),
      B: dataverse("ListRecords", { entityName: "tcc_teamslink" }),
      C: dataverse("GetItem", { entityName: "Accounts", recordId: "1", $select: "nmae" }),
    })).toEqual([
      "action 'A': entityName 'widgets' is not the entity set name of any table in the Dataverse metadata",
      "action 'B': entityName 'tcc_teamslink' is not the entity set name of any table in the Dataverse metadata; that is the logical name of tcc_teamslink, whose entity set name is 'tcc_teamslinks'",
      "action 'C': entityName 'Accounts' is not the entity set name of any table in the Dataverse metadata; did you mean 'accounts'?",
    ]);
  });

  it("rejects an unknown column in $select, with did-you-mean for case and the _<column>_value form for lookups", () => {
    expect(messages({
      Get_account: dataverse("GetItem", { entityName: "accounts", recordId: "1", $select: "accountid, Name,nmae,parentaccountid,_name_value,primarycontactid_x,@{variables('extra')}" }),
    })).toEqual([
      "action 'Get_account': $select: 'Name' is not a column of account; did you mean 'name'?",
      "action 'Get_account': $select: 'nmae' is not a column of account",
      "action 'Get_account': $select: 'parentaccountid' is a lookup column of account; a query reads it as '_parentaccountid_value'",
      "action 'Get_account': $select: 'name' is not a lookup column of account; read it as 'name'",
      "action 'Get_account': $select: 'primarycontactid_x' is not a column of account",
    ]);
  });

  it("refuses a literal $filter whose string has no closing quote, as Dataverse does", () => {
    expect(messages({ List_deals: dataverse("ListRecords", { entityName: "opportunities", $filter: "name eq 'Contoso" }) })).toEqual([
      "action 'List_deals': $filter: a string literal has no closing quote (name eq 'Contoso)",
    ]);
  });

  it("finds the names in a literal $filter: before operators, in contains(), in PropertyName of Microsoft.Dynamics.CRM functions, through navigations and lambdas", () => {
    const filter = [
      "_parentaccountid_value eq @{triggerOutputs()?['body/accountid']}",
      "and (statecode eq 0 or StateCode ne 1)",
      "and contains(nme,'O''Brien (x eq y)')",
      "and Microsoft.Dynamics.CRM.In(PropertyName='ownerid',PropertyValues=['@{join(variables('ids'), ''',''')}'])",
      "and Microsoft.Dynamics.CRM.In(PropertyName='owner',PropertyValues=['1'])",
      "and parentaccountid/name eq 'x' and parentaccountid/nam ne null and parentacount/name eq 'y'",
      "and Opportunity_Annotation/any(n: n/subject eq 'x' and n/subjet ne null)",
      "and opportunity_annotation/any(o: o/subject eq 'x')",
      "and estimatedclosedate ge 2024-01-01 and opportunityid ne 0a1b2c3d-0000-0000-0000-000000000000 and parentaccountid eq null",
    ].join(" ");
    expect(messages({ List_deals: dataverse("ListRecords", { entityName: "opportunities", $filter: filter }) })).toEqual([
      "action 'List_deals': $filter: 'StateCode' is not a column of opportunity; did you mean 'statecode'?",
      "action 'List_deals': $filter: 'nme' is not a column of opportunity",
      "action 'List_deals': $filter: PropertyName 'owner' of In() is not a column of opportunity",
      "action 'List_deals': $filter: 'nam' is not a column of account",
      "action 'List_deals': $filter: 'parentacount' in 'parentacount/name' is not a single-valued navigation property of opportunity",
      "action 'List_deals': $filter: 'subjet' is not a column of annotation",
      "action 'List_deals': $filter: 'opportunity_annotation' is not a collection-valued navigation property of opportunity; did you mean 'Opportunity_Annotation'?",
      "action 'List_deals': $filter: 'parentaccountid' is a lookup column of opportunity; a query reads it as '_parentaccountid_value'",
    ]);
  });

  it("skips a $filter or $select that is one whole expression", () => {
    expect(messages({ List: dataverse("ListRecords", { entityName: "opportunities", $filter: "@variables('filter')", $select: "@variables('columns')" }) })).toEqual([]);
  });

  it("checks $orderby and $expand, with the nested options against the navigation's table", () => {
    expect(messages({
      List_deals: dataverse("ListRecords", {
        entityName: "opportunities",
        $orderby: "estimatedvalue desc, Name asc, parentaccountid/name",
        $expand: "parentaccountid($select=name,acountnumber;$filter=Statecode eq 0),Opportunity_Annotation($select=notetext;$orderby=createdon desc),parentAccountId,transactioncurrency",
      }),
    })).toEqual([
      "action 'List_deals': $orderby: 'Name' is not a column of opportunity; did you mean 'name'?",
      "action 'List_deals': $expand: parentaccountid($select): 'acountnumber' is not a column of account",
      "action 'List_deals': $expand: parentaccountid($filter): 'Statecode' is not a column of account; did you mean 'statecode'?",
      "action 'List_deals': $expand: 'parentAccountId' is not a navigation property of opportunity; did you mean 'parentaccountid'?",
      "action 'List_deals': $expand: 'transactioncurrency' is not a navigation property of opportunity",
    ]);
  });

  it("checks the trigger's table, filtering attributes and filter expression", () => {
    expect(messages({}, { ...TRIGGER_PARAMETERS, "subscriptionRequest/filteringattributes": "estimatedvalue,EstimatedValue,_transactioncurrencyid_value,budget", "subscriptionRequest/filterexpression": "statecode eq 0 and _parentaccountid_value ne null and stage eq 1" })).toEqual([
      "trigger 'When_a_deal_changes': subscriptionRequest/filteringattributes: 'EstimatedValue' is not a column of opportunity; did you mean 'estimatedvalue'?",
      "trigger 'When_a_deal_changes': subscriptionRequest/filteringattributes: '_transactioncurrencyid_value' is not a column of opportunity; filtering attributes are logical names: did you mean 'transactioncurrencyid'?",
      "trigger 'When_a_deal_changes': subscriptionRequest/filteringattributes: 'budget' is not a column of opportunity",
      "trigger 'When_a_deal_changes': subscriptionRequest/filterexpression: 'stage' is not a column of opportunity",
    ]);
    expect(messages({}, { ...TRIGGER_PARAMETERS, "subscriptionRequest/entityname": "opportunities" })).toEqual([
      "trigger 'When_a_deal_changes': subscriptionRequest/entityname: 'opportunities' is not the logical name of any table in the Dataverse metadata; the trigger takes a logical name: did you mean 'opportunity'?",
    ]);
    expect(messages({}, { ...TRIGGER_PARAMETERS, "subscriptionRequest/entityname": "Opportunity" })).toEqual([
      "trigger 'When_a_deal_changes': subscriptionRequest/entityname: 'Opportunity' is not the logical name of any table in the Dataverse metadata; did you mean 'opportunity'?",
    ]);
  });
});

describe("flow check: Graph bodies for our connector", () => {
  const member = (extra: Json = {}) => ({ "@@odata.type": "#microsoft.graph.aadUserConversationMember", roles: ["owner"], "user@odata.bind": "https://graph.microsoft.com/v1.0/users('a')", ...extra });

  it("accepts members that carry @odata.type (written @@odata.type, as exports escape a leading @)", () => {
    expect(messages({ Create_chat: teams("CreateGroupChat", { "body/topic": "Deal", "body/members": [member(), member()] }) })).toEqual([]);
  });

  it("rejects a literal member without the @odata.type the schema requires", () => {
    const bare: Json = member();
    delete bare["@@odata.type"];
    expect(messages({ Create_chat: teams("CreateGroupChat", { "body/topic": "Deal", "body/members": [member(), bare] }) })).toEqual([
      "action 'Create_chat': CreateGroupChat body/members[1]: lacks '@odata.type' (\"#microsoft.graph.aadUserConversationMember\"), which the schema requires; nothing fills defaults inside array items, so each item must carry it",
    ]);
  });

  it("follows an array expression to the Select and Compose actions that build its items", () => {
    const problems = messages({
      Colleagues: { type: "Compose", inputs: ["a", "b"], runAfter: {} },
      Colleague_members: { type: "Select", inputs: { from: "@outputs('Colleagues')", select: { roles: [], "user@odata.bind": "https://graph.microsoft.com/v1.0/users('@{item()}')" } }, runAfter: { Colleagues: ["Succeeded"] } },
      Core_members: { type: "Compose", inputs: [member({ "@@odata.type": "#microsoft.graph.conversationMember" }), member({ Roles: [] })], runAfter: { Colleague_members: ["Succeeded"] } },
      Create_chat: teams("CreateGroupChat", { "body/topic": "Deal", "body/members": "@union(outputs('Core_members'), body('Colleague_members'))" }, { Core_members: ["Succeeded"] }),
    });
    expect(problems).toEqual([
      "action 'Create_chat': CreateGroupChat body/members[0]/@odata.type (built by action 'Core_members'): is \"#microsoft.graph.conversationMember\", but the schema fixes it to \"#microsoft.graph.aadUserConversationMember\"",
      "action 'Create_chat': CreateGroupChat body/members[1] (built by action 'Core_members'): 'Roles' is not a property of the schema; did you mean 'roles'? (it has @odata.type, roles, user@odata.bind)",
      "action 'Create_chat': CreateGroupChat body/members[] (built by action 'Colleague_members'): lacks '@odata.type' (\"#microsoft.graph.aadUserConversationMember\"), which the schema requires; nothing fills defaults inside array items, so each item must carry it",
    ]);
  });

  it("rejects a card attachment without its contentType, and an enum value the schema does not have", () => {
    expect(messages({
      Post_card: teams("PostChatMessage", { chatId: "1", "body/body/contentType": "markdown", "body/body/content": "<attachment id=\"c\"></attachment>", "body/attachments": [{ id: "c", content: "{}" }] }),
    })).toEqual([
      "action 'Post_card': PostChatMessage body/body/contentType: is \"markdown\", which is not one of \"html\", \"text\"",
      "action 'Post_card': PostChatMessage body/attachments[0]: lacks 'contentType' (\"application/vnd.microsoft.card.adaptive\"), which the schema requires; nothing fills defaults inside array items, so each item must carry it",
    ]);
  });

  it("rejects a missing required property the runtime does not fill, and not one it fills from a default", () => {
    // CreateGroupChat's chatType is internal with a default: given property by property, the runtime sends it.
    expect(messages({ Create_chat: teams("CreateGroupChat", { "body/topic": "Deal" }) })).toEqual([
      "action 'Create_chat': CreateGroupChat body: lacks 'members', which the schema requires",
    ]);
  });

  it("suggests the property for a flattened body key that differs only in case", () => {
    expect(messages({ Create_chat: teams("CreateGroupChat", { "body/Topic": "Deal", "body/members": [member()] }) })).toEqual([
      "action 'Create_chat': 'body/Topic' is not in the CreateGroupChat body (no property 'Topic'; did you mean 'topic'?)",
    ]);
  });
});
