/**
 * Business process flow stages over a Dataverse client: loading the flow's definition and its instances, and the
 * move services that write a record's instance (active stage and traversed path) with a concurrency check on the
 * instance row. What is allowed is decided in processStages.ts; this module only reads and writes.
 */
import { type DataverseClient, DataverseError, type ManyToOneRelationship, normaliseGuid, odataString } from "@tcc/common";
import type { BoardCard } from "./card";
import { type Lane, NO_VALUE_LANE_KEY } from "./lanes";
import type { MoveServices } from "./moves";
import type { Translate } from "../strings";
import {
  ACTIVE_INSTANCE_STATE,
  BUSINESS_PROCESS_FLOW_CATEGORY,
  cardsOnStages,
  instanceColumns,
  instanceFilters,
  instanceLookupOf,
  instanceOf,
  laneValueOf,
  planStageMove,
  type ProcessDefinition,
  processDefinitionOf,
  type PlacedCards,
  type ProcessInstance,
  processLanes,
  type ProcessRefusal,
  processRefusalText,
  processTexts,
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

/** A table's lookups, from its metadata (`HttpDataverseClient.manyToOneRelationships`). */
export type RelationshipsOf = (table: string) => Promise<readonly ManyToOneRelationship[]>;

/**
 * The flow named `uniqueName` with its stages on `table` and its instance table's lookup to `table`; a flow that does
 * not exist, or whose table has no such lookup, is an error naming it.
 */
export async function loadProcessDefinition(
  client: Pick<DataverseClient, "retrieveMultiple">,
  relationshipsOf: RelationshipsOf,
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
  const stages = await client.retrieveMultiple("processstage", {
    select: ["processstageid", "stagename", "stagecategory", "primaryentitytypecode"],
    filter: `_processid_value eq ${normaliseGuid(String(flow.workflowid))}`,
  });
  const instanceLookup = instanceLookupOf(await relationshipsOf(uniqueName), uniqueName, table);
  return processDefinitionOf(flow, stages.rows, table, language, instanceLookup);
}

/** The instances of the flow for the records `ids`, by record id, asked for in URL-sized chunks. */
export async function loadProcessInstances(
  client: Pick<DataverseClient, "retrieveMultiple" | "retrieveNextPage">,
  definition: ProcessDefinition,
  ids: readonly string[],
): Promise<Map<string, ProcessInstance>> {
  const instances = new Map<string, ProcessInstance>();
  const load = async (filter: string) => {
    let page = await client.retrieveMultiple(definition.instanceTable, { select: instanceColumns(definition), filter });
    for (;;) {
      for (const row of page.rows) {
        const instance = instanceOf(row, definition);
        if (instance) instances.set(instance.recordId, instance);
      }
      if (page.nextLink === undefined) break;
      page = await client.retrieveNextPage(definition.instanceTable, page.nextLink);
    }
  };
  const filters = instanceFilters(definition, ids);
  // A few requests at a time: 5,000 cards take about 40 of them, and one after the other would take seconds.
  for (let i = 0; i < filters.length; i += PARALLEL_REQUESTS) await Promise.all(filters.slice(i, i + PARALLEL_REQUESTS).map(load));
  return instances;
}

const PARALLEL_REQUESTS = 4;

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
      select: instanceColumns(definition),
      filter: `_${definition.instanceLookup}_value eq ${normaliseGuid(recordId)}`,
      top: 1,
    });
    const row = page.rows[0] as (typeof page.rows)[number] | undefined;
    return row === undefined ? null : instanceOf(row, definition);
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

type ProcessState =
  | { readonly kind: "loading" }
  | { readonly kind: "failed"; readonly reason: string }
  | { readonly kind: "ready"; readonly definition: ProcessDefinition; readonly services: MoveServices };

/**
 * What the control holds for a board on a business process flow: the flow (loaded once per flow, table and language),
 * the instances of the cards seen so far (asked for once per record, page by page), the lanes and the placed cards
 * (the same arrays while nothing changed), and the move services. The control only forwards to it.
 */
/** Longer than any Dataverse answer a user would wait for; until then cards wait off the board. */
export const PROCESS_LOAD_TIMEOUT_MS = 10_000;

function withinTime<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class ProcessBoard {
  private key = "";
  private uniqueName = "";
  private state: ProcessState = { kind: "loading" };
  private texts: { t: Translate } | null = null;
  private readonly instances = new Map<string, ProcessInstance>();
  private readonly requested = new Set<string>();
  /** Records whose instance query has answered (with or without an instance). */
  private readonly answered = new Set<string>();
  private instancesVersion = 0;
  private lanesCache: { state: ProcessState; label: string; lanes: Lane[] } | null = null;
  private cardsCache: { state: ProcessState; cards: readonly BoardCard[]; version: number; placed: BoardCard[] } | null = null;
  private readonly placedCards: PlacedCards = new WeakMap();

  constructor(
    private readonly client: () => Pick<DataverseClient, "retrieve" | "retrieveMultiple" | "retrieveNextPage" | "update">,
    private readonly onChange: () => void,
    private readonly options: {
      /** The instance table's lookups, from its metadata; the flow's lookup to the board's table is found there. */
      readonly relationshipsOf: RelationshipsOf;
      readonly sleep?: (ms: number) => Promise<void>;
      /** The Web API name of the flow's table, asked when the flow loads: a table moves cannot write fails the load. */
      readonly entitySet?: (table: string) => Promise<string>;
    },
  ) {}

  /** Starts loading the flow when it, the table or the language changed; false when no flow is set. */
  configure(uniqueName: string, table: string, language: number, t: Translate): boolean {
    this.texts = { t };
    if (uniqueName === "") return false;
    const key = `${uniqueName}|${table}|${language}`;
    if (key !== this.key) {
      this.key = key;
      this.uniqueName = uniqueName;
      this.state = { kind: "loading" };
      this.instances.clear();
      this.requested.clear();
      this.answered.clear();
      void this.load(key, uniqueName, table, language);
    }
    return true;
  }

  /** The flow once loaded. */
  get definition(): ProcessDefinition | null {
    return this.state.kind === "ready" ? this.state.definition : null;
  }

  /** True once the flow or its instances could not be loaded, or did not answer in time: the board then keeps its lane column. */
  get failed(): boolean {
    return this.state.kind === "failed";
  }

  /** Why the flow could not be used, as Dataverse or the definition said it; "" while it can. */
  get failureReason(): string {
    return this.state.kind === "failed" ? this.state.reason : "";
  }

  private async load(key: string, uniqueName: string, table: string, language: number): Promise<void> {
    let state: ProcessState;
    try {
      const definition = await withinTime(
        (async () => {
          const loaded = await loadProcessDefinition(this.client(), this.options.relationshipsOf, uniqueName, table, language);
          await this.options.entitySet?.(loaded.instanceTable);
          return loaded;
        })(),
        PROCESS_LOAD_TIMEOUT_MS,
        `businessProcessFlow: '${uniqueName}' did not load within ${PROCESS_LOAD_TIMEOUT_MS / 1000} s`,
      );
      const services = processMoveServices(this.client(), {
        definition,
        describe: (refusal) => processRefusalText(processTexts(this.translate), definition.name, refusal),
        ...(this.options.sleep && { sleep: this.options.sleep }),
      });
      state = { kind: "ready", definition, services };
    } catch (error) {
      // The board says the flow could not be loaded, and why, and keeps the lane column.
      state = { kind: "failed", reason: reasonOf(error) };
    }
    if (this.key !== key) return;
    this.state = state;
    this.onChange();
  }

  private readonly translate: Translate = (key, ...args) => (this.texts ? this.texts.t(key, ...args) : key);

  lanes(): Lane[] {
    const state = this.state;
    const t = this.translate;
    const label =
      state.kind === "ready" ? t("Process_NoProcessLane", state.definition.name) : state.kind === "failed" ? t("Process_Unavailable", this.uniqueName) : t("Board_Loading");
    if (this.lanesCache?.state === state && this.lanesCache.label === label) return this.lanesCache.lanes;
    const lanes = state.kind === "ready" ? processLanes(state.definition, label) : [{ key: NO_VALUE_LANE_KEY, value: null, label, unknown: true }];
    this.lanesCache = { state, label, lanes };
    return lanes;
  }

  /**
   * The cards placed on the stages, and asks for the instances of cards not seen before. A card waits off the board
   * until its instance query answers: shown earlier, it would sit in the lane for records without the process and
   * then jump.
   */
  cardsOf(cards: readonly BoardCard[]): BoardCard[] {
    const state = this.state;
    if (state.kind === "ready") this.requestInstances(state.definition, cards);
    const cache = this.cardsCache;
    if (cache?.state === state && cache.cards === cards && cache.version === this.instancesVersion) return cache.placed;
    const placed =
      state.kind === "ready"
        ? cardsOnStages(
            cards.filter((card) => this.answered.has(card.id.toLowerCase())),
            state.definition,
            this.instances,
            this.placedCards,
          )
        : [];
    this.cardsCache = { state, cards, version: this.instancesVersion, placed };
    return placed;
  }

  private requestInstances(definition: ProcessDefinition, cards: readonly BoardCard[]): void {
    const ids: string[] = [];
    for (const card of cards) {
      const id = card.id.toLowerCase();
      if (this.requested.has(id)) continue;
      this.requested.add(id);
      ids.push(id);
    }
    if (ids.length > 0) void this.loadInstances(this.key, definition, ids);
  }

  private async loadInstances(key: string, definition: ProcessDefinition, ids: readonly string[]): Promise<void> {
    let found: Map<string, ProcessInstance>;
    try {
      found = await loadProcessInstances(this.client(), definition, ids);
    } catch (error) {
      // Not asked again with every update: a query Dataverse refused would fail the same way each time. The board
      // falls back to its lane column and says why; reloading the view tries the flow again.
      if (this.key !== key) return;
      this.state = { kind: "failed", reason: reasonOf(error) };
      this.onChange();
      return;
    }
    if (this.key !== key) return;
    for (const [id, instance] of found) this.instances.set(id, instance);
    for (const id of ids) this.answered.add(id);
    this.instancesVersion++;
    this.onChange();
  }

  /** Move services for the flow; until it is loaded, a move is refused as one to a lane that is no stage. */
  get services(): MoveServices {
    return {
      save: (id, laneValue, etag, loadedLane) => {
        const state = this.state;
        if (state.kind === "ready") return state.services.save(id, laneValue, etag, loadedLane);
        return Promise.reject(new ProcessMoveRefused({ kind: "notAStage" }, this.translate("Process_Refused_NotAStage")));
      },
      reload: (id) => {
        const state = this.state;
        return state.kind === "ready" ? state.services.reload(id) : Promise.resolve({ laneValue: null });
      },
      sleep: this.options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    };
  }
}
