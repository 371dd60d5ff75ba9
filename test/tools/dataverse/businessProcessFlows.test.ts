import { OPPORTUNITY_SALES_PROCESS, processClientData } from "../../../tools/dataverse/businessProcessFlows";
import { createSampleData } from "../../../tools/dataverse/sampleData";
import { InMemoryWebApi } from "../../../tools/dataverse/webApiHandler";
import { bodyOf, get, rowsOf, send } from "./helpers";

const [QUALIFY, DEVELOP, PROPOSE] = OPPORTUNITY_SALES_PROCESS.stages;

function sample(language: 1033 | 2052 = 1033) {
  const data = createSampleData({ opportunities: 60, language });
  return { data, api: new InMemoryWebApi({ store: data.store, sleep: () => Promise.resolve() }) };
}

describe("business process flows in the in-memory Dataverse", () => {
  it("keeps the Opportunity Sales Process as an activated business process flow named by its instance table", async () => {
    const { api } = sample();
    const rows = rowsOf(await get(api, "workflows?$select=name,uniquename,category,primaryentity,statecode&$filter=category eq 4"));
    expect(rows).toEqual([
      expect.objectContaining({ name: "Opportunity Sales Process", uniquename: "opportunitysalesprocess", category: 4, primaryentity: "opportunity", statecode: 1 }),
    ]);
  });

  it("finds the stages by process with their real stage categories, named in the sample's language", async () => {
    const { api } = sample(2052);
    const path = `processstages?$select=stagename,stagecategory,primaryentitytypecode&$filter=_processid_value eq ${OPPORTUNITY_SALES_PROCESS.workflowId}&$orderby=stagecategory`;
    const rows = rowsOf(await get(api, path));
    expect(rows.map((r) => [r.stagename, r.stagecategory, r.primaryentitytypecode])).toEqual([
      ["资格审查", 0, "opportunity"],
      ["开发", 1, "opportunity"],
      ["建议", 2, "opportunity"],
      ["成交", 3, "opportunity"],
    ]);
  });

  it("gives most opportunities an instance, leaves some without one, and finishes the won ones", () => {
    const { data } = sample();
    const instances = [...data.store.rows("opportunitysalesprocess")];
    const byOpportunity = new Map(instances.map((i) => [(i.opportunityid as { id: string }).id, i]));
    const without = data.opportunities.filter((id) => !byOpportunity.has(id));
    expect(instances.length).toBeGreaterThan(data.opportunities.length * 0.7);
    expect(without.length).toBeGreaterThan(0);
    for (const [opportunityId, instance] of byOpportunity) {
      const opportunity = data.store.get("opportunity", opportunityId);
      if (opportunity?.statecode === 1) expect([instance.statecode, instance.statuscode]).toEqual([1, 2]);
      if (opportunity?.statecode === 0) expect(instance.statecode).toBe(0);
      const path = (instance.traversedpath as string).split(",");
      expect(path[path.length - 1]).toBe((instance.activestageid as { id: string }).id);
    }
  });

  it("filters instances by their opportunity and returns the lookups as _value columns", async () => {
    const { data, api } = sample();
    const instance = [...data.store.rows("opportunitysalesprocess")][0];
    const opportunityId = (instance.opportunityid as { id: string }).id;
    const rows = rowsOf(
      await get(api, `opportunitysalesprocesses?$select=traversedpath,_activestageid_value&$filter=Microsoft.Dynamics.CRM.In(PropertyName='opportunityid',PropertyValues=['${opportunityId}'])`),
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]._activestageid_value).toBe((instance.activestageid as { id: string }).id);
  });

  it("moves an instance's stage with activestageid@odata.bind, stamps when the stage started, and refuses a stale etag", async () => {
    const { data, api } = sample();
    const instance = [...data.store.rows("opportunitysalesprocess")].find((i) => i.statecode === 0 && (i.activestageid as { id: string }).id === QUALIFY.id);
    if (!instance) throw new Error("the sample has no open instance in Qualify");
    const id = instance.businessprocessflowinstanceid as string;
    const etag = String(bodyOf(await get(api, `opportunitysalesprocesses(${id})?$select=traversedpath`))["@odata.etag"]);
    const moved = await send(api, "PATCH", `opportunitysalesprocesses(${id})`, { "activestageid@odata.bind": `/processstages(${PROPOSE.id})`, traversedpath: [QUALIFY.id, DEVELOP.id, PROPOSE.id].join(",") }, { "If-Match": etag });
    expect(moved.status).toBe(204);
    const row = data.store.get("opportunitysalesprocess", id);
    expect((row?.activestageid as { id: string }).id).toBe(PROPOSE.id);
    expect(row?.activestagestartedon).toBe("2025-03-14T09:00:00Z");
    const stale = await send(api, "PATCH", `opportunitysalesprocesses(${id})`, { "activestageid@odata.bind": `/processstages(${QUALIFY.id})`, traversedpath: QUALIFY.id }, { "If-Match": etag });
    expect(stale.status).toBe(412);
    expect((data.store.get("opportunitysalesprocess", id)?.activestageid as { id: string }).id).toBe(PROPOSE.id);
  });

  it("writes the designer's clientdata with every stage in order, its next stage and which steps are required", () => {
    const clientdata = JSON.parse(processClientData(OPPORTUNITY_SALES_PROCESS)) as { steps: { list: { steps: { list: { stageId: string; nextStageId: string | null; steps: { list: { isProcessRequired: boolean }[] } }[] } }[] } };
    const stages = clientdata.steps.list.map((entity) => entity.steps.list[0]);
    expect(stages.map((s) => s.stageId)).toEqual(OPPORTUNITY_SALES_PROCESS.stages.map((s) => s.id));
    expect(stages.map((s) => s.nextStageId)).toEqual([DEVELOP.id, PROPOSE.id, OPPORTUNITY_SALES_PROCESS.stages[3].id, null]);
    expect(stages[0].steps.list.map((s) => s.isProcessRequired)).toEqual([true, false, true]);
  });
});
