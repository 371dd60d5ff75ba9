import type { BoardCard } from "../../../../../components/PipelineBoard/PipelineBoard/model/card";
import { NO_VALUE_LANE_KEY } from "../../../../../components/PipelineBoard/PipelineBoard/model/lanes";
import {
  cardsOnStages,
  instanceFilters,
  instanceLookupOf,
  instanceOf,
  type PlacedCards,
  planStageMove,
  type ProcessDefinition,
  processDefinitionOf,
  ProcessDefinitionError,
  type ProcessInstance,
  processLanes,
  processRefusalText,
  processTexts,
  traversedPathAfter,
} from "../../../../../components/PipelineBoard/PipelineBoard/model/processStages";
import { OPPORTUNITY_SALES_PROCESS, processClientData } from "../../../../../tools/dataverse/businessProcessFlows";
import { resxTranslate } from "../resx";

const [QUALIFY, DEVELOP, PROPOSE, CLOSE] = OPPORTUNITY_SALES_PROCESS.stages.map((s) => s.id);

const workflowRow = (clientdata: string | null = processClientData(OPPORTUNITY_SALES_PROCESS)) => ({
  workflowid: OPPORTUNITY_SALES_PROCESS.workflowId,
  name: "Opportunity Sales Process",
  uniquename: "opportunitysalesprocess",
  category: 4,
  clientdata,
});

/** processstage rows in no particular order, as Dataverse returns them. */
const stageRows = (language: 1033 | 2052 = 1033) =>
  [...OPPORTUNITY_SALES_PROCESS.stages].reverse().map((s) => ({ processstageid: s.id, stagename: s.name[language], stagecategory: s.category, primaryentitytypecode: "opportunity" }));

const OPPORTUNITY_LOOKUP = { instanceLookup: "opportunityid" };
const definition = (language: 1033 | 2052 = 1033): ProcessDefinition => processDefinitionOf(workflowRow(), stageRows(language), "opportunity", language, "opportunityid");

const instance = (activeStageId: string, path: string[], state = 0): ProcessInstance => ({ id: "i1", recordId: "r1", activeStageId, traversedPath: path, state, etag: 'W/"7"' });

const FILLED = { _parentaccountid_value: "a1", purchasetimeframe: 1, customerneed: "Faster quotes", estimatedvalue: 1000, finaldecisiondate: "2025-06-30" };

describe("processDefinitionOf", () => {
  it("orders stages as the process definition does, with Dataverse's stage names and categories", () => {
    const stages = definition(2052).stages;
    expect(stages.map((s) => [s.ordinal, s.name, s.category])).toEqual([
      [0, "资格审查", 0],
      [1, "开发", 1],
      [2, "建议", 2],
      [3, "成交", 3],
    ]);
  });

  it("reads the required steps of each stage with their labels in the user's language", () => {
    expect(definition(2052).stages[0].requiredSteps).toEqual([
      { column: "parentaccountid", label: "客户" },
      { column: "purchasetimeframe", label: "购买时间范围" },
    ]);
    expect(definition(1033).stages[1].requiredSteps).toEqual([{ column: "customerneed", label: "Customer Need" }]);
  });

  it("falls back to the designer's label when Dataverse returned no processstage row for a stage", () => {
    const withoutClose = stageRows(1033).filter((r) => r.processstageid !== CLOSE);
    expect(processDefinitionOf(workflowRow(), withoutClose, "opportunity", 2052, "opportunityid").stages.map((s) => s.name)).toEqual(["Qualify", "Develop", "Propose", "成交"]);
  });

  it("keeps only the stages on the board's table, in order, for a flow that spans tables", () => {
    const rows = stageRows().map((r) => (r.processstageid === QUALIFY ? { ...r, primaryentitytypecode: "lead" } : r));
    expect(processDefinitionOf(workflowRow(), rows, "opportunity", 1033, "opportunityid").stages.map((s) => [s.ordinal, s.name])).toEqual([
      [0, "Develop"],
      [1, "Propose"],
      [2, "Close"],
    ]);
  });

  it("takes every stage of a branching flow in the order the definition lists them", () => {
    const stage = (id: string, name: string) => ({ __class: "StageStep:#x", stageId: id, description: name, steps: { list: [] } });
    const clientdata = JSON.stringify({
      __class: "WorkflowStep:#x",
      primaryEntityName: "opportunity",
      steps: {
        list: [
          { __class: "EntityStep:#x", description: "opportunity", steps: { list: [stage(QUALIFY, "Qualify")] } },
          {
            __class: "ConditionStep:#x",
            steps: {
              list: [
                { __class: "EntityStep:#x", description: "opportunity", steps: { list: [stage(DEVELOP, "Large deal review")] } },
                { __class: "EntityStep:#x", description: "opportunity", steps: { list: [stage(PROPOSE, "Quick quote")] } },
              ],
            },
          },
        ],
      },
    });
    expect(processDefinitionOf(workflowRow(clientdata), [], "opportunity", 1033, "opportunityid").stages.map((s) => s.name)).toEqual(["Qualify", "Large deal review", "Quick quote"]);
  });

  it("says which flow and which field is wrong when the definition cannot be read", () => {
    expect(() => processDefinitionOf(workflowRow(null), stageRows(), "opportunity", 1033, "opportunityid")).toThrow(
      new ProcessDefinitionError(`workflow 'opportunitysalesprocess' (${OPPORTUNITY_SALES_PROCESS.workflowId}): clientdata is empty, so the stage order and required steps are unknown`),
    );
    expect(() => processDefinitionOf(workflowRow("{not json"), stageRows(), "opportunity", 1033, "opportunityid")).toThrow(/clientdata is not JSON/);
    expect(() => processDefinitionOf({ ...workflowRow(), category: 0 }, stageRows(), "opportunity", 1033, "opportunityid")).toThrow(/category is 0, not 4/);
    expect(() => processDefinitionOf(workflowRow(), stageRows(), "account", 1033, "opportunityid")).toThrow(/none of its stages is on table 'account'/);
  });
});

describe("lanes and cards", () => {
  it("makes a lane per stage and a last lane for records without the process that no card can be moved to", () => {
    const lanes = processLanes(definition(), "(not in Opportunity Sales Process)");
    expect(lanes.map((l) => [l.key, l.value, l.label, l.unknown])).toEqual([
      ["0", 0, "Qualify", false],
      ["1", 1, "Develop", false],
      ["2", 2, "Propose", false],
      ["3", 3, "Close", false],
      [NO_VALUE_LANE_KEY, null, "(not in Opportunity Sales Process)", true],
    ]);
  });

  it("places each card at its instance's active stage with the instance's etag, and cards without one in no lane", () => {
    const card = (id: string): BoardCard => ({ id, name: id, account: "", laneValue: 3, laneText: "Close", amount: 1, amountBase: 1, amountText: "1", probability: 50, closeDate: null, closeDateText: "", owner: "", details: [], etag: 'W/"1"' });
    const instances = new Map([["a", { ...instance(PROPOSE, [QUALIFY, DEVELOP, PROPOSE]), recordId: "a" }]]);
    const [withProcess, without] = cardsOnStages([card("A"), card("b")], definition(), instances);
    expect([withProcess.laneValue, withProcess.etag, withProcess.laneText]).toEqual([2, 'W/"7"', undefined]);
    expect([without.laneValue, without.etag]).toEqual([null, undefined]);
  });

  it("keeps the placed card object for a card whose instance did not change, and places it anew when it did", () => {
    const card: BoardCard = { id: "a", name: "A", account: "", laneValue: 0, amount: 1, amountBase: 1, amountText: "1", probability: 50, closeDate: null, closeDateText: "", owner: "", details: [] };
    const placedBefore: PlacedCards = new WeakMap();
    const d = definition();
    const first = new Map([["a", { ...instance(QUALIFY, [QUALIFY]), recordId: "a" }]]);
    const [placed] = cardsOnStages([card], d, first, placedBefore);
    expect(cardsOnStages([card], d, first, placedBefore)[0]).toBe(placed);
    const moved = new Map([["a", { ...instance(DEVELOP, [QUALIFY, DEVELOP]), recordId: "a" }]]);
    expect(cardsOnStages([card], d, moved, placedBefore)[0].laneValue).toBe(1);
  });

  it("reads an instance row from the Web API, with the traversed path split into stage ids", () => {
    const row = {
      businessprocessflowinstanceid: "I1",
      _opportunityid_value: "R1",
      _activestageid_value: DEVELOP,
      traversedpath: `${QUALIFY},${DEVELOP}`,
      statecode: 0,
      "@odata.etag": 'W/"9"',
    };
    expect(instanceOf(row, OPPORTUNITY_LOOKUP)).toEqual({ id: "i1", recordId: "r1", activeStageId: DEVELOP, traversedPath: [QUALIFY, DEVELOP], state: 0, etag: 'W/"9"' });
    expect(instanceOf({ ...row, _opportunityid_value: null }, OPPORTUNITY_LOOKUP)).toBeNull();
  });

  it("asks for instances in filters that each stay under the length limit and together cover every record", () => {
    const ids = Array.from({ length: 500 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`);
    const filters = instanceFilters(OPPORTUNITY_LOOKUP, ids, 2000);
    expect(filters.length).toBeGreaterThan(1);
    for (const filter of filters) {
      expect(filter.length).toBeLessThanOrEqual(2000);
      expect(filter.startsWith("Microsoft.Dynamics.CRM.In(PropertyName='opportunityid',PropertyValues=[")).toBe(true);
    }
    expect(filters.flatMap((f) => f.match(/'[0-9a-f-]{36}'/g) ?? [])).toHaveLength(500);
  });
});

describe("traversed path", () => {
  it("appends every stage passed on a forward move, including skipped ones", () => {
    const d = definition();
    expect(traversedPathAfter(d, [QUALIFY], d.stages[0], d.stages[2])).toEqual([QUALIFY, DEVELOP, PROPOSE]);
  });

  it("trims the path back to the target stage on a backward move", () => {
    const d = definition();
    expect(traversedPathAfter(d, [QUALIFY, DEVELOP, PROPOSE], d.stages[2], d.stages[0])).toEqual([QUALIFY]);
  });

  it("keeps stages walked on other tables before the board's stages", () => {
    const d = definition();
    const leadStage = "11111111-1111-4111-8111-111111111111";
    expect(traversedPathAfter(d, [leadStage, QUALIFY], d.stages[0], d.stages[1])).toEqual([leadStage, QUALIFY, DEVELOP]);
  });

  it("rebuilds the path from the process order when it lacks the stage it should contain", () => {
    const d = definition();
    expect(traversedPathAfter(d, [], d.stages[1], d.stages[3])).toEqual([QUALIFY, DEVELOP, PROPOSE, CLOSE]);
    expect(traversedPathAfter(d, [], d.stages[3], d.stages[1])).toEqual([QUALIFY, DEVELOP]);
  });
});

describe("planStageMove", () => {
  it("moves forward, skipping stages, when every required step of the stages left has a value", () => {
    expect(planStageMove(definition(), instance(QUALIFY, [QUALIFY]), 2, FILLED)).toEqual({ kind: "move", activeStageId: PROPOSE, traversedPath: [QUALIFY, DEVELOP, PROPOSE] });
  });

  it("refuses a forward move and names each stage's empty required steps, lookups included", () => {
    const record = { ...FILLED, _parentaccountid_value: null, purchasetimeframe: null, customerneed: "" };
    expect(planStageMove(definition(), instance(QUALIFY, [QUALIFY]), 2, record)).toEqual({
      kind: "refused",
      refusal: {
        kind: "missingSteps",
        missing: [
          { stage: "Qualify", steps: ["Account", "Purchase Timeframe"] },
          { stage: "Develop", steps: ["Customer Need"] },
        ],
      },
    });
  });

  it("does not ask for the target stage's own required steps", () => {
    expect(planStageMove(definition(), instance(QUALIFY, [QUALIFY]), 1, { ...FILLED, customerneed: null }).kind).toBe("move");
  });

  it("moves backward whatever is filled in, trimming the path", () => {
    expect(planStageMove(definition(), instance(PROPOSE, [QUALIFY, DEVELOP, PROPOSE]), 0, {})).toEqual({ kind: "move", activeStageId: QUALIFY, traversedPath: [QUALIFY] });
  });

  it("refuses to move a finished or aborted process, a record without one, and a target that is no stage", () => {
    expect(planStageMove(definition(), instance(CLOSE, [QUALIFY, DEVELOP, PROPOSE, CLOSE], 1), 0, FILLED)).toEqual({ kind: "refused", refusal: { kind: "finished" } });
    expect(planStageMove(definition(), null, 0, FILLED)).toEqual({ kind: "refused", refusal: { kind: "noInstance" } });
    expect(planStageMove(definition(), instance(QUALIFY, [QUALIFY]), null, FILLED)).toEqual({ kind: "refused", refusal: { kind: "notAStage" } });
    expect(planStageMove(definition(), instance(QUALIFY, [QUALIFY]), 9, FILLED)).toEqual({ kind: "refused", refusal: { kind: "notAStage" } });
  });
});

describe("processRefusalText", () => {
  const missing = { kind: "missingSteps", missing: [{ stage: "Qualify", steps: ["Account", "Purchase Timeframe"] }, { stage: "Develop", steps: ["Customer Need"] }] } as const;

  it("names the empty steps by stage in English", () => {
    expect(processRefusalText(processTexts(resxTranslate(1033)), "Opportunity Sales Process", missing)).toBe(
      "Fill in the required steps first: Account, Purchase Timeframe in Qualify; Customer Need in Develop.",
    );
  });

  it("names the empty steps by stage in Simplified Chinese", () => {
    const zh = { kind: "missingSteps", missing: [{ stage: "资格审查", steps: ["客户", "购买时间范围"] }] } as const;
    expect(processRefusalText(processTexts(resxTranslate(2052)), "商机销售流程", zh)).toBe("请先填写必填步骤：“资格审查”阶段的客户、购买时间范围。");
  });

  it("says a finished process cannot change stage, naming the flow", () => {
    expect(processRefusalText(processTexts(resxTranslate(1033)), "Opportunity Sales Process", { kind: "finished" })).toBe(
      "Its business process flow Opportunity Sales Process is finished or aborted, so its stage cannot change.",
    );
  });
});

describe("instanceLookupOf", () => {
  const rel = (referencingAttribute: string, referencedEntity: string) => ({ referencingAttribute, referencedEntity });
  const common = [rel("processid", "workflow"), rel("activestageid", "processstage"), rel("createdby", "systemuser")];

  it("takes the flows Dynamics 365 ships by their own lookup names, which carry no bpf_ prefix", () => {
    expect(instanceLookupOf([...common, rel("opportunityid", "opportunity")], "opportunitysalesprocess", "opportunity")).toBe("opportunityid");
    expect(instanceLookupOf([...common, rel("incidentid", "incident")], "phonetocaseprocess", "incident")).toBe("incidentid");
    const leadToOpportunity = [...common, rel("leadid", "lead"), rel("opportunityid", "opportunity")];
    expect(instanceLookupOf(leadToOpportunity, "leadtoopportunitysalesprocess", "lead")).toBe("leadid");
    expect(instanceLookupOf(leadToOpportunity, "leadtoopportunitysalesprocess", "opportunity")).toBe("opportunityid");
  });

  it("takes a maker's flow by its bpf_<table>id lookup, also when the table has another lookup to the same table", () => {
    expect(instanceLookupOf([...common, rel("bpf_new_projectid", "new_project")], "new_projectflow", "new_project")).toBe("bpf_new_projectid");
    expect(instanceLookupOf([...common, rel("new_parentprojectid", "new_project"), rel("bpf_new_projectid", "new_project")], "new_projectflow", "new_project")).toBe("bpf_new_projectid");
  });

  it("names the table when no lookup, or no single lookup, points at the board's table", () => {
    expect(() => instanceLookupOf(common, "new_projectflow", "new_project")).toThrow("process table 'new_projectflow' has no lookup to 'new_project'");
    expect(() => instanceLookupOf([rel("new_aid", "new_project"), rel("new_bid", "new_project")], "new_projectflow", "new_project")).toThrow(/several lookups to 'new_project' \(new_aid, new_bid\)/);
  });
});
