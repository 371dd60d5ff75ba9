import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { checkFlowFile, checkFlowText, defaultCheckOptions } from "../../../../tools/flow/check";

const ROOT = path.resolve(__dirname, "../../../..");
const FLOWS = path.join(ROOT, "flows");
const options = defaultCheckOptions(ROOT);
const escalationFile = readdirSync(FLOWS).find((f) => f.includes("-Dealescalation-") && f.endsWith(".json")) ?? "";
const source = readFileSync(path.join(FLOWS, escalationFile), "utf8");

type Json = Record<string, unknown>;
/** The escalation flow with one change applied, checked as text. */
function checkChanged(change: (flow: Json & { properties: Json & { definition: Json & { actions: Record<string, Json> } } }) => void) {
  const flow = JSON.parse(source) as Parameters<typeof change>[0];
  change(flow);
  return checkFlowText(JSON.stringify(flow, null, 2), "flow.json", options);
}
const room = (flow: { properties: { definition: { actions: Record<string, Json> } } }) =>
  ((((flow.properties.definition.actions.Is_a_large_open_deal.actions as Record<string, Json>).Deal_room_is_ours.actions as Record<string, Json>).Open_deal_room.actions) as Record<string, Json & { inputs: unknown; runAfter?: Json }>);

const createDealRoom = (flow: Parameters<typeof room>[0]) =>
  (((room(flow).Chat_needed.actions as Record<string, Json>).Create_chat.actions as Record<string, Json>).Create_deal_room as Json & { inputs: unknown });

describe("checkFlowFile", () => {
  it.each(readdirSync(FLOWS).filter((f) => f.endsWith(".json")))("finds no problem in the shipped flow %s", (file) => {
    expect(checkFlowFile(path.join(FLOWS, file), options)).toEqual([]);
  });

  it("reports a file that is not JSON with the line of the error", () => {
    const problems = checkFlowText('{\n  "properties": {\n    oops\n}', "bad.json", options);
    expect(problems).toHaveLength(1);
    expect(problems[0].message).toMatch(/^not valid JSON/);
    expect(problems[0].line).toBe(3);
  });

  it("reports a file without the exported-flow shape", () => {
    expect(checkFlowText('{"definition": {}}', "f.json", options)[0].message).toMatch(/not an exported flow/);
  });

  it("reports an unknown action type with the action's name and line", () => {
    const problems = checkChanged((f) => {
      room(f).Deal_value.type = "Http";
    });
    expect(problems).toHaveLength(1);
    expect(problems[0].message).toMatch(/^action 'Deal_value' has type "Http", which is not a known action type/);
    expect(problems[0].line).toBeGreaterThan(1);
  });

  it("reports a runAfter that names an action outside the same scope", () => {
    const problems = checkChanged((f) => {
      room(f).Deal_value.runAfter = { Get_deal: ["Succeeded"] };
    });
    expect(problems.map((p) => p.message)).toEqual(["action 'Deal_value' runs after 'Get_deal', which is not an action in the same scope"]);
  });

  it("reports a runAfter status that does not exist", () => {
    const problems = checkChanged((f) => {
      room(f).Deal_value.runAfter = { Deal_record_url: ["Done"] };
    });
    expect(problems[0].message).toMatch(/runAfter 'Deal_record_url' needs a non-empty list of Succeeded, Failed, Skipped, TimedOut/);
  });

  it("reports a runAfter cycle with its path", () => {
    const problems = checkChanged((f) => {
      room(f).Get_owner.runAfter = { Post_deal_card: ["Succeeded"] };
    });
    expect(problems.map((p) => p.message)).toContainEqual(expect.stringMatching(/^runAfter cycle: .*Get_owner -> .*Post_deal_card.* -> Get_owner$/));
  });

  it("reports an expression that does not parse, naming the action and the column", () => {
    const problems = checkChanged((f) => {
      room(f).Deal_value.inputs = "@formatNumber(1, 'N2'";
    });
    expect(problems[0].message).toMatch(/^action 'Deal_value': Expression '@formatNumber\(1, 'N2'' at column \d+: /);
  });

  it("reports an unknown function and a wrong argument count", () => {
    const unknown = checkChanged((f) => {
      room(f).Deal_value.inputs = "@htmlEncode('x')";
    });
    expect(unknown[0].message).toMatch(/'htmlEncode'/);
    const arity = checkChanged((f) => {
      room(f).Deal_value.inputs = "@createArray()";
    });
    expect(arity[0].message).toMatch(/the function 'createArray' takes at least 1 argument/);
  });

  it("reports a function in the designer's condition form that does not exist", () => {
    const problems = checkChanged((f) => {
      f.properties.definition.actions.Is_a_large_open_deal.expression = { and: [{ atLeast: ["@1", 2] }] };
    });
    expect(problems[0].message).toBe("action 'Is_a_large_open_deal': the condition uses 'atLeast', which is not a known function");
  });

  it("reports references to actions and parameters the flow does not have", () => {
    const problems = checkChanged((f) => {
      room(f).Deal_value.inputs = "@concat(outputs('Get_dael'), parameters('Threshold'))";
    });
    expect(problems.map((p) => p.message)).toEqual([
      "action 'Deal_value': outputs('Get_dael') names an action the flow does not have (in @concat(outputs('Get_dael'), parameters('Threshold')))",
      "action 'Deal_value': parameters('Threshold') names a parameter definition.parameters does not declare (in @concat(outputs('Get_dael'), parameters('Threshold')))",
    ]);
  });

  it("reports a connection the flow's connection references do not define", () => {
    const problems = checkChanged((f) => {
      ((room(f).Post_deal_card.inputs as Json).host as Json).connectionName = "shared_teams";
    });
    expect(problems[0].message).toBe('action \'Post_deal_card\' uses connection "shared_teams", which properties.connectionReferences does not define');
  });

  it("reports our connector under an api name the packer would not give it", () => {
    const problems = checkChanged((f) => {
      const refs = f.properties.connectionReferences as Record<string, { api: { name: string } }>;
      refs["shared_tcc-5fteams-20customer-20collaboration-5f72dfd415918a4991af"].api.name = "shared_tcc-5fteams-5f0000";
    });
    expect(problems.map((p) => p.message)).toContainEqual(expect.stringMatching(/has api.name 'shared_tcc-5fteams-5f0000'; the connector in connector\/ is 'shared_tcc-5fteams-20customer-20collaboration-5f72dfd415918a4991af'/));
  });

  it("reports an operation our connector does not define and a parameter it does not take", () => {
    const op = checkChanged((f) => {
      ((createDealRoom(f).inputs as Json).host as Json).operationId = "CreateChat";
    });
    expect(op[0].message).toBe("action 'Create_deal_room' calls CreateChat, which the connector's apiDefinition.swagger.json does not define");
    const param = checkChanged((f) => {
      ((createDealRoom(f).inputs as Json).parameters as Json)["body/subject"] = "x";
    });
    expect(param[0].message).toBe("action 'Create_deal_room': 'body/subject' is not in the CreateGroupChat body (no property 'subject')");
  });

  it("reports a Dataverse or Approvals operation the flows cannot use", () => {
    const problems = checkChanged((f) => {
      ((room(f).Start_approval.inputs as Json).host as Json).operationId = "CreateApproval";
    });
    expect(problems[0].message).toMatch(/^action 'Start_approval' calls CreateApproval, which is not an operation of shared_approvals/);
  });

  it("reports an environment variable parameter that solution/ does not define", () => {
    const problems = checkChanged((f) => {
      const parameters = f.properties.definition.parameters as Record<string, { metadata: { schemaName: string } }>;
      parameters["Deal Escalation Threshold (tcc_EscalationThreshold)"].metadata.schemaName = "tcc_Threshold";
    });
    expect(problems.map((p) => p.message)).toEqual([
      "parameter 'Deal Escalation Threshold (tcc_EscalationThreshold)' reads environment variable tcc_Threshold, which solution/environmentvariabledefinitions/ does not define",
      "parameter 'Deal Escalation Threshold (tcc_EscalationThreshold)' should be named '<Display name> (tcc_Threshold)', as exports name environment variable parameters",
    ]);
  });

  it("reports duplicate action names across scopes", () => {
    const problems = checkChanged((f) => {
      room(f).Get_deal = { type: "Compose", inputs: "x" };
    });
    expect(problems[0].message).toBe("the name 'Get_deal' is used by 2 actions; action names are unique in a flow");
  });
});
