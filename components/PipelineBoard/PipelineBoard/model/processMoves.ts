/**
 * Business process flow stages over a Dataverse client: loading the flow's definition and its instances, and the
 * move services that write a record's instance (active stage and traversed path) with a concurrency check on the
 * instance row. What is allowed is decided in processStages.ts; this module only reads and writes.
 */
import { type DataverseClient, DataverseError, entitySetName, normaliseGuid, odataString } from "@tcc/common";
import type { MoveServices } from "./moves";
import {
  ACTIVE_INSTANCE_STATE,
  BUSINESS_PROCESS_FLOW_CATEGORY,
  instanceColumns,
  instanceFilters,
  instanceLookupColumn,
  instanceOf,
  laneValueOf,
  planStageMove,
  type ProcessDefinition,
  processDefinitionOf,
  type ProcessInstance,
  type ProcessRefusal,
  requiredColumns,
  stageById,
  stagesLeft,
} from "./processStages";

/** A move the process does not allow; `reason` is already in the user's language and is what the board shows. */
export class ProcessMoveRefused extends Error {
  readonly kind = "processRefused";

  constructor(
    readonly refusal: ProcessRefusal,
    readonly reason: string,
  ) {
    super(reason);
  }
}

/** The flow named `uniqueName` with its stages on `table`; a flow that does not exist is an error naming it. */
export async function loadProcessDefinition(
  client: Pick<DataverseClient, "retrieveMultiple">,
  uniqueName: string,
  table: string,
  language: number,
): Promise<ProcessDefinition> {
  const flows = await client.retrieveMultiple("workflow", {
    select: ["workflowid", "name", "uniquename", "category", "clientdata"],
    filter: `category eq ${BUSINESS_PROCESS_FLOW_CATEGORY} and uniquename eq ${odataString(uniqueName)}`,
    top: 1,
  });
  const flow = flows.rows[0] as (typeof flows.rows)[number] | undefined;
  if (flow === undefined) throw new Error(`businessProcessFlow: no business process flow has the unique name '${uniqueName}'`);
  // Moves PATCH the instance through the Web API, which addresses the table by its set name; fail now, not at the
  // first move, when that name is unknown.
  entitySetName(uniqueName);
  const stages = await client.retrieveMultiple("processstage", {
    select: ["processstageid", "stagename", "stagecategory", "primaryentitytypecode"],
    filter: `_processid_value eq ${normaliseGuid(String(flow.workflowid))}`,
  });
  return processDefinitionOf(flow, stages.rows, table, language);
}

/** The instances of the flow for the records `ids`, by record id, asked for in URL-sized chunks. */
export async function loadProcessInstances(
  client: Pick<DataverseClient, "retrieveMultiple" | "retrieveNextPage">,
  definition: ProcessDefinition,
  ids: readonly string[],
): Promise<Map<string, ProcessInstance>> {
  const instances = new Map<string, ProcessInstance>();
  for (const filter of instanceFilters(definition.table, ids)) {
    let page = await client.retrieveMultiple(definition.instanceTable, { select: instanceColumns(definition.table), filter });
    for (;;) {
      for (const row of page.rows) {
        const instance = instanceOf(row, definition.table);
        if (instance) instances.set(instance.recordId, instance);
      }
      if (page.nextLink === undefined) break;
      page = await client.retrieveNextPage(definition.instanceTable, page.nextLink);
    }
  }
  return instances;
}

export interface ProcessMoveOptions {
  readonly definition: ProcessDefinition;
  /** The sentence that tells the user why a move was refused. */
  readonly describe: (refusal: ProcessRefusal) => string;
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * Move services for a board whose lanes are the flow's stages: lane values are stage ordinals, and the etag a card
 * carries is its instance row's. A save reads the instance and (for a forward move) the record now, refuses when the
 * process does not allow the move, and otherwise PATCHes the instance with If-Match, so a change made meanwhile gets
 * 412 and the board shows the server's truth.
 */
export function processMoveServices(
  client: Pick<DataverseClient, "retrieve" | "retrieveMultiple" | "update">,
  options: ProcessMoveOptions,
): MoveServices {
  const { definition, describe } = options;
  const { table, instanceTable } = definition;
  const readInstance = async (recordId: string): Promise<ProcessInstance | null> => {
    const page = await client.retrieveMultiple(instanceTable, {
      select: instanceColumns(table),
      filter: `_${instanceLookupColumn(table)}_value eq ${normaliseGuid(recordId)}`,
      top: 1,
    });
    const row = page.rows[0] as (typeof page.rows)[number] | undefined;
    return row === undefined ? null : instanceOf(row, table);
  };
  const refuse = (refusal: ProcessRefusal): never => {
    throw new ProcessMoveRefused(refusal, describe(refusal));
  };
  return {
    save: async (id, laneValue, etag, loadedLane) => {
      const instance = await readInstance(id);
      const changed = instance === null ? loadedLane !== null : etag !== undefined ? instance.etag !== etag : laneValueOf(definition, instance) !== loadedLane;
      if (changed) throw new DataverseError("concurrency", `${instanceTable} of ${table} ${id} changed since the board loaded it`, 412);
      if (instance === null) return refuse({ kind: "noInstance" });
      const current = stageById(definition, instance.activeStageId);
      const columns = current === undefined || laneValue === null ? [] : requiredColumns(stagesLeft(definition, current.ordinal, laneValue));
      // The whole row, because a required step may be a lookup, which the Web API names `_<column>_value`.
      const record = columns.length > 0 && instance.state === ACTIVE_INSTANCE_STATE ? await client.retrieve(table, id) : {};
      const plan = planStageMove(definition, instance, laneValue, record);
      if (plan.kind === "refused") return refuse(plan.refusal);
      await client.update(
        instanceTable,
        instance.id,
        { "activestageid@odata.bind": `/processstages(${normaliseGuid(plan.activeStageId)})`, traversedpath: plan.traversedPath.join(",") },
        { etag: instance.etag ?? etag ?? "*" },
      );
    },
    reload: async (id) => {
      const instance = await readInstance(id);
      return { laneValue: laneValueOf(definition, instance), ...(instance?.etag !== undefined && { etag: instance.etag }) };
    },
    sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
  };
}
