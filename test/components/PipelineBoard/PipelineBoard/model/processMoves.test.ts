import { entitySetsFrom, HttpDataverseClient } from "@tcc/common";
import { loadProcessDefinition, loadProcessInstances, PROCESS_LOAD_TIMEOUT_MS, ProcessBoard, processMoveServices, ProcessMoveRefused } from "../../../../../components/PipelineBoard/PipelineBoard/model/processMoves";
import { MoveController } from "../../../../../components/PipelineBoard/PipelineBoard/model/moves";
import { moveEventText } from "../../../../../components/PipelineBoard/PipelineBoard/model/keyboard";
import { processRefusalText, processTexts } from "../../../../../components/PipelineBoard/PipelineBoard/model/processStages";
import { OPPORTUNITY_SALES_PROCESS, processClientData, type SampleProcess } from "../../../../../tools/dataverse/businessProcessFlows";
import { MetadataSet, TABLES, WORKFLOW_CATEGORY_BUSINESS_PROCESS_FLOW } from "../../../../../tools/dataverse/metadata";
import type { BoardCard } from "../../../../../components/PipelineBoard/PipelineBoard/model/card";
import { createSampleData } from "../../../../../tools/dataverse/sampleData";
import { DataverseStore, type StoredRow } from "../../../../../tools/dataverse/store";
import { InMemoryWebApi } from "../../../../../tools/dataverse/webApiHandler";
import { resxTranslate } from "../resx";

const [QUALIFY, DEVELOP, PROPOSE] = OPPORTUNITY_SALES_PROCESS.stages.map((s) => s.id);
const relationshipsOf = (client: HttpDataverseClient) => (table: string) => client.manyToOneRelationships(table);
const t = resxTranslate(1033);

async function setup() {
  const sample = createSampleData({ opportunities: 60 });
  const api = new InMemoryWebApi({ store: sample.store, sleep: () => Promise.resolve() });
  const requests: string[] = [];
  const client = new HttpDataverseClient({
    fetch: (url, init) => {
      requests.push(`${init.method} ${decodeURIComponent(url)}${init.headers["If-Match"] === undefined ? "" : ` If-Match: ${init.headers["If-Match"]}`}`);
      return api.fetch(url, init);
    },
    baseUrl: api.baseUrl,
  });
  const definition = await loadProcessDefinition(client, relationshipsOf(client), "opportunitysalesprocess", "opportunity", 1033);
  const services = processMoveServices(client, {
    definition,
    describe: (refusal) => processRefusalText(processTexts(t), definition.name, refusal),
    sleep: () => Promise.resolve(),
  });
  const instances = () => [...sample.store.rows("opportunitysalesprocess")];
  const instanceOfRecord = (id: string) => instances().find((i) => (i.opportunityid as { id: string }).id === id);
  const stageOf = (id: string) => (instanceOfRecord(id)?.activestageid as { id: string } | undefined)?.id;
  const etagOf = (id: string) => `W/"${Number(instanceOfRecord(id)?.versionnumber)}"`;
  /** An open opportunity in Qualify, with the given values on its process steps. */
  const inQualify = (values: StoredRow) => {
    const instance = instances().find((i) => i.statecode === 0 && (i.activestageid as { id: string }).id === QUALIFY);
    if (!instance) throw new Error("the sample has no open instance in Qualify");
    const id = (instance.opportunityid as { id: string }).id;
    sample.store.update("opportunity", id, values);
    return id;
  };
  return { sample, client, definition, services, requests, stageOf, etagOf, instanceOfRecord, inQualify };
}

const FILLED = { purchasetimeframe: 1, customerneed: "Faster quotes", estimatedvalue: 5000 };

describe("loading a business process flow", () => {
  it("loads the stages in process order and every loaded record's instance", async () => {
    const { client, definition, sample } = await setup();
    expect(definition.stages.map((s) => s.name)).toEqual(["Qualify", "Develop", "Propose", "Close"]);
    const instances = await loadProcessInstances(client, definition, sample.opportunities);
    expect(instances.size).toBe(sample.store.count("opportunitysalesprocess"));
  });

  it("names the flow when no business process flow has that unique name", async () => {
    const { client } = await setup();
    await expect(loadProcessDefinition(client, relationshipsOf(client), "leadtoopportunitysalesprocess", "opportunity", 1033)).rejects.toThrow(
      "businessProcessFlow: no business process flow has the unique name 'leadtoopportunitysalesprocess'",
    );
  });
});

describe("processMoveServices", () => {
  it("writes the active stage and the traversed path with If-Match on the instance, and reads back the new stage", async () => {
    const { services, requests, stageOf, etagOf, instanceOfRecord, inQualify } = await setup();
    const id = inQualify(FILLED);
    const loaded = etagOf(id);
    await services.save(id, 2, loaded, 0);
    expect(stageOf(id)).toBe(PROPOSE);
    expect(instanceOfRecord(id)?.traversedpath).toBe([QUALIFY, DEVELOP, PROPOSE].join(","));
    const instanceId = instanceOfRecord(id)?.businessprocessflowinstanceid as string;
    expect(requests.filter((r) => r.startsWith("PATCH"))).toEqual([`PATCH https://contoso.crm.dynamics.com/api/data/v9.2/opportunitysalesprocesses(${instanceId}) If-Match: ${loaded}`]);
    await expect(services.reload(id)).resolves.toEqual({ laneValue: 2, etag: etagOf(id) });
  });

  it("moves on a maker's own flow, whose process table's set name comes from its metadata", async () => {
    const ownFlow: SampleProcess = {
      workflowId: "7d1c9a52-3f0e-4c55-9e0a-52a1d6b0c001",
      uniqueName: "new_fastsale",
      table: "opportunity",
      name: { 1033: "Fast Sale", 2052: "快速销售" },
      stages: [
        { id: "7d1c9a52-3f0e-4c55-9e0a-52a1d6b0c011", category: 0, name: { 1033: "Call", 2052: "致电" }, steps: [] },
        { id: "7d1c9a52-3f0e-4c55-9e0a-52a1d6b0c012", category: 3, name: { 1033: "Sign", 2052: "签约" }, steps: [] },
      ],
    };
    const shipped = TABLES.find((table) => table.logicalName === "opportunitysalesprocess");
    if (shipped === undefined) throw new Error("the in-memory metadata has no opportunitysalesprocess");
    // A flow made in an environment: its table's lookup to the record is bpf_<table>id and its name bpf_name.
    const { opportunityid: _lookup, name: _name, ...columns } = shipped.columns;
    const fastSale = {
      ...shipped,
      logicalName: "new_fastsale",
      entitySetName: "new_fastsales",
      primaryNameAttribute: "bpf_name",
      columns: {
        ...columns,
        bpf_name: { ..._name, logicalName: "bpf_name" },
        bpf_opportunityid: { ..._lookup, logicalName: "bpf_opportunityid", targets: [{ table: "opportunity", navigationProperty: "bpf_opportunityid" }] },
      },
    };
    const store = new DataverseStore({ metadata: new MetadataSet([...TABLES, fastSale]) });
    const workflow = { id: ownFlow.workflowId, table: "workflow" };
    store.create("workflow", {
      workflowid: ownFlow.workflowId,
      name: "Fast Sale",
      uniquename: ownFlow.uniqueName,
      category: WORKFLOW_CATEGORY_BUSINESS_PROCESS_FLOW,
      primaryentity: "opportunity",
      clientdata: processClientData(ownFlow),
      statecode: 1,
      statuscode: 2,
    });
    ownFlow.stages.forEach((stage) =>
      store.create("processstage", { processstageid: stage.id, stagename: stage.name[1033], stagecategory: stage.category, primaryentitytypecode: "opportunity", processid: workflow }),
    );
    const opportunity = store.create("opportunity", { name: "Intranet" }).opportunityid as string;
    const [call, sign] = ownFlow.stages.map((stage) => stage.id);
    store.create("new_fastsale", { bpf_opportunityid: { id: opportunity, table: "opportunity" }, processid: workflow, activestageid: { id: call, table: "processstage" }, traversedpath: call });
    const api = new InMemoryWebApi({ store, sleep: () => Promise.resolve() });
    const patches: string[] = [];
    const client = new HttpDataverseClient({
      fetch: (url, init) => {
        if (init.method === "PATCH") patches.push(decodeURIComponent(url));
        return api.fetch(url, init);
      },
      baseUrl: api.baseUrl,
      entitySet: entitySetsFrom((table) => Promise.resolve({ EntitySetName: store.metadata.require(table).entitySetName })),
    });
    const definition = await loadProcessDefinition(client, relationshipsOf(client), "new_fastsale", "opportunity", 1033);
    const services = processMoveServices(client, { definition, describe: () => "refused", sleep: () => Promise.resolve() });
    const loaded = await services.reload(opportunity);
    await services.save(opportunity, 1, loaded.etag, 0);
    const instance = [...store.rows("new_fastsale")][0];
    expect(instance.activestageid).toEqual({ id: sign, table: "processstage" });
    expect(instance.traversedpath).toBe(`${call},${sign}`);
    expect(patches).toEqual([`https://contoso.crm.dynamics.com/api/data/v9.2/new_fastsales(${instance.businessprocessflowinstanceid as string})`]);
  });

  it("refuses a forward move with empty required steps, says which, and writes nothing", async () => {
    const { services, stageOf, etagOf, inQualify, requests } = await setup();
    const id = inQualify({ ...FILLED, purchasetimeframe: null, customerneed: null });
    const refusal = services.save(id, 2, etagOf(id), 0);
    await expect(refusal).rejects.toBeInstanceOf(ProcessMoveRefused);
    await expect(refusal).rejects.toMatchObject({
      kind: "processRefused",
      reason: "Fill in the required steps first: Purchase Timeframe in Qualify; Customer Need in Develop.",
    });
    expect(stageOf(id)).toBe(QUALIFY);
    expect(requests.some((r) => r.startsWith("PATCH"))).toBe(false);
  });

  it("moves backward without reading the record's steps", async () => {
    const { services, stageOf, etagOf, instanceOfRecord, requests, sample } = await setup();
    const row = [...sample.store.rows("opportunitysalesprocess")].find((i) => i.statecode === 0 && (i.activestageid as { id: string }).id === PROPOSE);
    if (!row) throw new Error("the sample has no open instance in Propose");
    const id = (row.opportunityid as { id: string }).id;
    await services.save(id, 0, etagOf(id), 2);
    expect(stageOf(id)).toBe(QUALIFY);
    expect(instanceOfRecord(id)?.traversedpath).toBe(QUALIFY);
    expect(requests.some((r) => r.includes("opportunities("))).toBe(false);
  });

  it("refuses when the instance changed since the board loaded it (412), and leaves it as the other user saved it", async () => {
    const { services, stageOf, etagOf, inQualify, sample, instanceOfRecord } = await setup();
    const id = inQualify(FILLED);
    const loaded = etagOf(id);
    sample.store.touch("opportunitysalesprocess", instanceOfRecord(id)?.businessprocessflowinstanceid as string);
    await expect(services.save(id, 1, loaded, 0)).rejects.toMatchObject({ kind: "concurrency", status: 412 });
    expect(stageOf(id)).toBe(QUALIFY);
  });

  it("refuses to move a finished process and a record that never started one", async () => {
    const { services, sample, etagOf } = await setup();
    const finished = [...sample.store.rows("opportunitysalesprocess")].find((i) => i.statecode === 1);
    if (!finished) throw new Error("the sample has no finished instance");
    const finishedId = (finished.opportunityid as { id: string }).id;
    await expect(services.save(finishedId, 0, etagOf(finishedId), 3)).rejects.toMatchObject({
      reason: "Its business process flow Opportunity Sales Process is finished or aborted, so its stage cannot change.",
    });
    const started = new Set([...sample.store.rows("opportunitysalesprocess")].map((i) => (i.opportunityid as { id: string }).id));
    const without = sample.opportunities.find((id) => !started.has(id));
    if (!without) throw new Error("every sample opportunity has an instance");
    await expect(services.save(without, 1, undefined, null)).rejects.toMatchObject({
      reason: "This record has not started the business process flow Opportunity Sales Process; open the record to start it.",
    });
  });

  it("drives the board's move controller: a refused move goes back and the message names the missing steps", async () => {
    const { services, etagOf, inQualify } = await setup();
    const id = inQualify({ ...FILLED, customerneed: null });
    const events: string[] = [];
    const controller = new MoveController(services, (event) => events.push(moveEventText(t, event, "Deal", (v) => (v === null ? "" : ["Qualify", "Develop", "Propose", "Close"][v]))));
    const outcome = await controller.move({ id, laneValue: 0, etag: etagOf(id) }, 2);
    expect(outcome).toMatchObject({ type: "failed", laneValue: 0, errorKind: "processRefused" });
    expect(controller.laneOf({ id, laneValue: 0 })).toBe(0);
    expect(events[events.length - 1]).toBe("Deal could not be moved: Fill in the required steps first: Customer Need in Develop. It is back in Qualify.");
  });
});

describe("ProcessBoard", () => {
  const cardsFor = (ids: readonly string[]): BoardCard[] =>
    ids.map((id) => ({ id, name: id, account: "", laneValue: 0, amount: 1, amountBase: 1, amountText: "1", probability: 10, closeDate: null, closeDateText: "", owner: "", details: [] }));

  async function board() {
    const { sample, client, requests } = await setup();
    let changes = 0;
    const process = new ProcessBoard(() => client, () => changes++, { sleep: () => Promise.resolve(), relationshipsOf: relationshipsOf(client) });
    const settle = async (count: number) => {
      for (let i = 0; i < 50 && changes < count; i++) await new Promise((resolve) => setTimeout(resolve, 0));
    };
    return { sample, process, requests, settle, changes: () => changes };
  }

  it("shows a loading lane until the flow is loaded, then its stages and the lane for records without it", async () => {
    const { process, settle } = await board();
    expect(process.configure("opportunitysalesprocess", "opportunity", 1033, t)).toBe(true);
    expect(process.lanes().map((l) => l.label)).toEqual(["Loading…"]);
    await settle(1);
    expect(process.lanes().map((l) => l.label)).toEqual(["Qualify", "Develop", "Propose", "Close", "(not in Opportunity Sales Process)"]);
    expect(process.configure("", "opportunity", 1033, t)).toBe(false);
  });

  it("gives up on a flow that does not answer within the time limit, so the board can fall back to its lane column", async () => {
    jest.useFakeTimers();
    try {
      let changes = 0;
      const silent = { retrieve: () => new Promise<never>(() => undefined), retrieveMultiple: () => new Promise<never>(() => undefined), retrieveNextPage: () => new Promise<never>(() => undefined), update: () => new Promise<never>(() => undefined) };
      const process = new ProcessBoard(() => silent, () => changes++, { relationshipsOf: () => new Promise<never>(() => undefined) });
      process.configure("opportunitysalesprocess", "opportunity", 1033, t);
      await jest.advanceTimersByTimeAsync(PROCESS_LOAD_TIMEOUT_MS - 1);
      expect([process.failed, changes]).toEqual([false, 0]);
      await jest.advanceTimersByTimeAsync(1);
      expect([process.failed, changes]).toEqual([true, 1]);
    } finally {
      jest.useRealTimers();
    }
  });

  it("gives up on a flow whose table's Web API name cannot be learned when it loads, not at its first move", async () => {
    const { client } = await setup();
    let changes = 0;
    const asked: string[] = [];
    const process = new ProcessBoard(() => client, () => changes++, {
      relationshipsOf: relationshipsOf(client),
      entitySet: (table) => {
        asked.push(table);
        return Promise.reject(new Error(`The metadata of table '${table}' names no entity set (EntitySetName)`));
      },
    });
    process.configure("opportunitysalesprocess", "opportunity", 1033, t);
    for (let i = 0; i < 50 && changes === 0; i++) await new Promise((resolve) => setTimeout(resolve, 0));
    expect([process.failed, asked]).toEqual([true, ["opportunitysalesprocess"]]);
  });

  it("keeps each card off the board until its instance query answers, and asks for each record once", async () => {
    const { sample, process, requests, settle } = await board();
    process.configure("opportunitysalesprocess", "opportunity", 1033, t);
    await settle(1);
    const cards = cardsFor(sample.opportunities.slice(0, 30));
    requests.length = 0;
    expect(process.cardsOf(cards)).toEqual([]);
    await settle(2);
    const placed = process.cardsOf(cards);
    expect(placed).toHaveLength(30);
    expect(process.cardsOf(cards)).toBe(placed);
    const instanceRequests = requests.filter((r) => r.includes("opportunitysalesprocesses")).length;
    process.cardsOf(cardsFor(sample.opportunities.slice(0, 30)));
    expect(requests.filter((r) => r.includes("opportunitysalesprocesses")).length).toBe(instanceRequests);
  });

  it("does not repeat an instance query Dataverse refused, and says why so the board can fall back to its lane column", async () => {
    const { sample, client } = await setup();
    let instanceQueries = 0;
    const refusing = {
      retrieve: client.retrieve.bind(client),
      retrieveNextPage: client.retrieveNextPage.bind(client),
      update: client.update.bind(client),
      retrieveMultiple: (table: string, options?: Parameters<HttpDataverseClient["retrieveMultiple"]>[1]) => {
        if (table !== "opportunitysalesprocess") return client.retrieveMultiple(table, options);
        instanceQueries++;
        return Promise.reject(new Error("Could not find a property named 'bpf_opportunityid' on type 'Microsoft.Dynamics.CRM.opportunitysalesprocess'."));
      },
    };
    let changes = 0;
    const process = new ProcessBoard(() => refusing, () => changes++, { relationshipsOf: relationshipsOf(client) });
    process.configure("opportunitysalesprocess", "opportunity", 1033, t);
    for (let i = 0; i < 50 && changes < 1; i++) await new Promise((resolve) => setTimeout(resolve, 0));
    process.cardsOf(cardsFor(sample.opportunities.slice(0, 10)));
    for (let i = 0; i < 50 && changes < 2; i++) await new Promise((resolve) => setTimeout(resolve, 0));
    expect([process.failed, process.failureReason]).toEqual([true, "Could not find a property named 'bpf_opportunityid' on type 'Microsoft.Dynamics.CRM.opportunitysalesprocess'."]);
    process.cardsOf(cardsFor(sample.opportunities.slice(0, 20)));
    process.cardsOf(cardsFor(sample.opportunities.slice(0, 30)));
    expect(instanceQueries).toBe(1);
  });

  it("finds the instance table's lookup to the record in its metadata, and fails the load when it has none", async () => {
    const { client } = await setup();
    const definition = await loadProcessDefinition(client, relationshipsOf(client), "opportunitysalesprocess", "opportunity", 1033);
    expect(definition.instanceLookup).toBe("opportunityid");
    await expect(loadProcessDefinition(client, () => Promise.resolve([{ referencingAttribute: "processid", referencedEntity: "workflow", navigationProperty: "processid" }]), "opportunitysalesprocess", "opportunity", 1033)).rejects.toThrow(
      "process table 'opportunitysalesprocess' has no lookup to 'opportunity'",
    );
  });

  it("asks for the instances of 5,000 cards in a few dozen requests, each URL under 8,000 characters", async () => {
    const { client, definition } = await setup();
    const ids = Array.from({ length: 5000 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`);
    const urls: string[] = [];
    await loadProcessInstances(
      {
        retrieveMultiple: (table, options) => {
          urls.push(`${table}?$filter=${encodeURIComponent(options?.filter ?? "")}`);
          return client.retrieveMultiple(table, options);
        },
        retrieveNextPage: (table, link) => client.retrieveNextPage(table, link),
      },
      definition,
      ids,
    );
    expect(urls.length).toBeLessThan(50);
    for (const url of urls) expect(url.length).toBeLessThan(8000);
  });
});
