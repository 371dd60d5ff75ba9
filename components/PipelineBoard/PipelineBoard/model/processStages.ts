/**
 * Lanes from the stages of a business process flow, and the rules for moving a record's process between them.
 *
 * Where Dataverse keeps each fact:
 * - The flow is a `workflow` row with category 4 whose `uniquename` is the logical name of the table Dataverse made for
 *   the flow's instances (`opportunitysalesprocess` for the Opportunity Sales Process).
 * - Its stages are `processstage` rows (`_processid_value` = the workflow's id) with `stagename` (in the user's
 *   language, as Dataverse returns it), `stagecategory` and `primaryentitytypecode`.
 * - Stage ORDER and REQUIRED STEPS come from `workflow.clientdata`, the JSON the process designer saves for the whole
 *   flow: WorkflowStep → EntityStep (one per table the flow visits) → StageStep (`stageId`, `nextStageId`,
 *   `stageCategory`, `stepLabels`) → StepStep (`isProcessRequired`, `stepLabels`) → ControlStep (`dataFieldName`,
 *   `controlDisplayName`). It is read rather than each `processstage.clientdata` because only the definition holds every
 *   stage in one document in the designer's order; `processstage` rows come back in no defined order.
 * - Each record's progress is a row of the flow's own table: a lookup to the record (`opportunityid` on the flows
 *   Dynamics 365 ships, `bpf_<table>id` on flows made later; read from the table's metadata, never guessed),
 *   `_activestageid_value`, `traversedpath` (the stage ids walked so far, comma-separated) and `statecode` (0 active;
 *   1 finished or aborted).
 *
 * Branching flows: lanes are every stage of the board's table in the order the definition lists them, all branches
 * included. Branch conditions are NOT evaluated, so the board can offer a stage the record's branch does not reach;
 * Dataverse refuses such a save ("not in the process active path") and the board shows that failure.
 */
import { type BoardCard, cardWith } from "./card";
import { normaliseId } from "./filters";
import { type Lane, NO_VALUE_LANE_KEY } from "./lanes";
import type { LaneOption } from "./lanes";
import type { Translate } from "../strings";

/** `workflow.category` of a business process flow. */
export const BUSINESS_PROCESS_FLOW_CATEGORY = 4;
/** `statecode` of an instance whose process still runs; 1 is finished or aborted. */
export const ACTIVE_INSTANCE_STATE = 0;

export interface RequiredStep {
  /** Logical name of the record's column the step fills. */
  readonly column: string;
  /** The step's label in the user's language, as the process bar shows it. */
  readonly label: string;
}

export interface ProcessStage {
  readonly id: string;
  /** Position among the board table's stages in process order; the lane value. */
  readonly ordinal: number;
  readonly name: string;
  readonly category: number | null;
  readonly requiredSteps: readonly RequiredStep[];
}

export interface ProcessDefinition {
  readonly processId: string;
  /** The flow's display name. */
  readonly name: string;
  /** The flow's unique name: the logical name of its instance table. */
  readonly instanceTable: string;
  /** The table whose records the board shows. */
  readonly table: string;
  /** The stages on the board's table, in process order. */
  readonly stages: readonly ProcessStage[];
  /** The instance table's lookup column to the record. */
  readonly instanceLookup: string;
}

export interface ProcessInstance {
  readonly id: string;
  readonly recordId: string;
  readonly activeStageId: string | null;
  readonly traversedPath: readonly string[];
  readonly state: number;
  readonly etag?: string;
}

type Json = Readonly<Record<string, unknown>>;

function objectOf(value: unknown): Json | null {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Json) : null;
}

function stringOf(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}

function numberOf(value: unknown): number | null {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) return Number(value);
  return null;
}

function idOf(value: unknown): string | null {
  const text = stringOf(value);
  return text === null ? null : normaliseId(text);
}

/** The designer's nested steps: every step object keeps its children in `steps.list`. */
function childrenOf(step: Json): Json[] {
  const list = objectOf(step.steps)?.list;
  return Array.isArray(list) ? list.map(objectOf).filter((s): s is Json => s !== null) : [];
}

function classOf(step: Json): string {
  const name = stringOf(step.__class) ?? "";
  return name.split(":")[0];
}

/** A step's label in `language`, else its first label. */
function labelOf(step: Json, language: number): string | null {
  const list = objectOf(step.stepLabels)?.list;
  if (!Array.isArray(list)) return null;
  const labels = list.map(objectOf).filter((l): l is Json => l !== null);
  const inLanguage = labels.find((l) => numberOf(l.languageCode) === language);
  return stringOf((inLanguage ?? labels[0])?.description);
}

interface DesignedStage {
  readonly id: string;
  readonly table: string | null;
  readonly label: string | null;
  readonly category: number | null;
  readonly requiredSteps: RequiredStep[];
}

function requiredStepsOf(stage: Json, language: number): RequiredStep[] {
  const steps: RequiredStep[] = [];
  const visit = (step: Json) => {
    if (classOf(step) === "StepStep" && step.isProcessRequired === true) {
      const control = childrenOf(step).find((c) => classOf(c) === "ControlStep");
      const column = stringOf(control?.dataFieldName);
      if (column !== null) steps.push({ column, label: labelOf(step, language) ?? stringOf(control?.controlDisplayName) ?? column });
      return;
    }
    childrenOf(step).forEach(visit);
  };
  childrenOf(stage).forEach(visit);
  return steps;
}

/** Every StageStep of the definition in document order, with the table of the EntityStep it sits in. */
function designedStages(clientdata: Json, language: number): DesignedStage[] {
  const stages: DesignedStage[] = [];
  const visit = (step: Json, table: string | null) => {
    const kind = classOf(step);
    if (kind === "StageStep") {
      const id = idOf(step.stageId);
      if (id !== null) {
        stages.push({ id, table, label: labelOf(step, language) ?? stringOf(step.description), category: numberOf(step.stageCategory), requiredSteps: requiredStepsOf(step, language) });
      }
      return;
    }
    const nextTable = kind === "EntityStep" ? (stringOf(step.description) ?? table) : table;
    for (const child of childrenOf(step)) visit(child, nextTable);
  };
  visit(clientdata, stringOf(clientdata.primaryEntityName));
  return stages;
}

export class ProcessDefinitionError extends Error {}

/**
 * The flow's stages on `table` in process order, from the `workflow` row (with `clientdata`) and its `processstage`
 * rows. Throws, naming the flow and the field, when the definition cannot be read: without it the required steps
 * are unknown, and a board that skipped them would let users past steps Dataverse's own process bar enforces.
 */
export function processDefinitionOf(workflow: Json, stageRows: readonly Json[], table: string, language: number, instanceLookup: string): ProcessDefinition {
  const uniqueName = stringOf(workflow.uniquename) ?? "";
  const where = `workflow '${uniqueName}' (${String(workflow.workflowid)})`;
  const processId = idOf(workflow.workflowid);
  if (processId === null) throw new ProcessDefinitionError(`${where}: workflowid is missing`);
  if (numberOf(workflow.category) !== BUSINESS_PROCESS_FLOW_CATEGORY) {
    throw new ProcessDefinitionError(`${where}: category is ${String(workflow.category)}, not ${BUSINESS_PROCESS_FLOW_CATEGORY} (business process flow)`);
  }
  const text = stringOf(workflow.clientdata);
  if (text === null) throw new ProcessDefinitionError(`${where}: clientdata is empty, so the stage order and required steps are unknown`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ProcessDefinitionError(`${where}: clientdata is not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const root = objectOf(parsed);
  if (root === null) throw new ProcessDefinitionError(`${where}: clientdata is not a JSON object`);
  const rows = new Map<string, Json>();
  for (const row of stageRows) {
    const id = idOf(row.processstageid);
    if (id !== null) rows.set(id, row);
  }
  const designed = designedStages(root, language);
  if (designed.length === 0) throw new ProcessDefinitionError(`${where}: clientdata has no stages (no StageStep with a stageId)`);
  const stages: ProcessStage[] = [];
  for (const stage of designed) {
    const row = rows.get(stage.id);
    const stageTable = stringOf(row?.primaryentitytypecode) ?? stage.table;
    if (stageTable !== table) continue;
    stages.push({
      id: stage.id,
      ordinal: stages.length,
      name: stringOf(row?.stagename) ?? stage.label ?? stage.id,
      category: numberOf(row?.stagecategory) ?? stage.category,
      requiredSteps: stage.requiredSteps,
    });
  }
  if (stages.length === 0) throw new ProcessDefinitionError(`${where}: none of its stages is on table '${table}'`);
  return { processId, name: stringOf(workflow.name) ?? uniqueName, instanceTable: uniqueName, table, stages, instanceLookup };
}

/**
 * The instance table's lookup to the board's table, from the instance table's many-to-one relationships. Dataverse
 * names it `opportunityid` on the Opportunity Sales Process, `leadid` and `opportunityid` on Lead To Opportunity,
 * `incidentid` on Phone To Case, and `bpf_<table>id` on flows made in an environment; when a table is visited twice
 * the flow's own `bpf_` lookup is the one that names the record the process runs on.
 */
export function instanceLookupOf(relationships: readonly { referencingAttribute: string; referencedEntity: string }[], instanceTable: string, table: string): string {
  const candidates = relationships.filter((r) => r.referencedEntity === table).map((r) => r.referencingAttribute);
  const chosen = candidates.length === 1 ? candidates[0] : (candidates.find((c) => c === `bpf_${table}id`) ?? candidates.find((c) => c === `${table}id`));
  if (chosen === undefined) {
    throw new ProcessDefinitionError(
      candidates.length === 0
        ? `process table '${instanceTable}' has no lookup to '${table}'`
        : `process table '${instanceTable}' has several lookups to '${table}' (${candidates.join(", ")}) and none is bpf_${table}id or ${table}id`,
    );
  }
  return chosen;
}

export function instanceColumns(definition: Pick<ProcessDefinition, "instanceLookup">): string[] {
  return ["businessprocessflowinstanceid", `_${definition.instanceLookup}_value`, "_activestageid_value", "traversedpath", "statecode"];
}

export function parseTraversedPath(text: unknown): string[] {
  if (typeof text !== "string") return [];
  return text
    .split(",")
    .map((id) => idOf(id.trim()))
    .filter((id): id is string => id !== null);
}

/** An instance row as the Web API returns it, or null when it lacks the record or its own id. */
export function instanceOf(row: Json, definition: Pick<ProcessDefinition, "instanceLookup">): ProcessInstance | null {
  const id = idOf(row.businessprocessflowinstanceid);
  const recordId = idOf(row[`_${definition.instanceLookup}_value`]);
  if (id === null || recordId === null) return null;
  const etag = stringOf(row["@odata.etag"]);
  return {
    id,
    recordId,
    activeStageId: idOf(row._activestageid_value),
    traversedPath: parseTraversedPath(row.traversedpath),
    state: numberOf(row.statecode) ?? ACTIVE_INSTANCE_STATE,
    ...(etag !== null && { etag }),
  };
}

export function stageById(definition: ProcessDefinition, id: string | null): ProcessStage | undefined {
  return id === null ? undefined : definition.stages.find((s) => s.id === id);
}

/** The lane of a whole-view aggregate group of records by their instance's active stage; null for no stage. */
export function stageLaneOf(definition: ProcessDefinition, activeStageId: unknown): number | null {
  return stageById(definition, idOf(activeStageId))?.ordinal ?? null;
}

/** The lane an instance puts its record in: its active stage's ordinal; null (the "no process" lane) without one. */
export function laneValueOf(definition: ProcessDefinition, instance: ProcessInstance | null | undefined): number | null {
  return stageById(definition, instance?.activeStageId ?? null)?.ordinal ?? null;
}

export function stageLaneOptions(definition: ProcessDefinition): LaneOption[] {
  return definition.stages.map((s) => ({ value: s.ordinal, label: s.name }));
}

/**
 * The stages as lanes, then the lane for records without an instance of the flow. That lane is marked `unknown` so it
 * is never a move target: a card cannot leave the process from the board, and `noProcessLabel` tells the user why
 * its cards are there.
 */
export function processLanes(definition: ProcessDefinition, noProcessLabel: string): Lane[] {
  return [
    ...definition.stages.map((s) => ({ key: String(s.ordinal), value: s.ordinal, label: s.name, unknown: false })),
    { key: NO_VALUE_LANE_KEY, value: null, label: noProcessLabel, unknown: true },
  ];
}

/**
 * Cards placed by their process instance instead of the lane column: the active stage's ordinal as lane value and
 * the instance's etag, because a move writes the instance row and its concurrency check is on that row.
 */
export function cardsOnStages(
  cards: readonly BoardCard[],
  definition: ProcessDefinition,
  instances: ReadonlyMap<string, ProcessInstance>,
  placedBefore: PlacedCards = new WeakMap(),
): BoardCard[] {
  return cards.map((card) => {
    const instance = instances.get(card.id.toLowerCase());
    const before = placedBefore.get(card);
    if (before !== undefined && before.instance === instance && before.definition === definition) return before.placed;
    // The lane column's text and the record's etag belong to the choice-column board; neither applies here.
    const placed = cardWith(card, { laneValue: laneValueOf(definition, instance), laneText: undefined, etag: instance?.etag });
    placedBefore.set(card, { instance, definition, placed });
    return placed;
  });
}

/**
 * Cards already placed, by the card read from the dataset: placing again after another page of cards or instances
 * only copies the cards that changed, and unchanged cards keep their objects (so React skips them).
 */
export type PlacedCards = WeakMap<BoardCard, { readonly instance: ProcessInstance | undefined; readonly definition: ProcessDefinition; readonly placed: BoardCard }>;

/**
 * `$filter`s that ask for the instances of `ids`, each short enough that the request URL stays well under the 32 KB
 * Dataverse accepts for a GET (and under what proxies in between accept).
 */
export function instanceFilters(definition: Pick<ProcessDefinition, "instanceLookup">, ids: readonly string[], maxFilterLength = 6000): string[] {
  const head = `Microsoft.Dynamics.CRM.In(PropertyName='${definition.instanceLookup}',PropertyValues=[`;
  const filters: string[] = [];
  let values: string[] = [];
  let length = head.length + 2;
  for (const id of ids) {
    const value = `'${id.toLowerCase()}'`;
    if (values.length > 0 && length + value.length + 1 > maxFilterLength) {
      filters.push(`${head}${values.join(",")}])`);
      values = [];
      length = head.length + 2;
    }
    values.push(value);
    length += value.length + 1;
  }
  if (values.length > 0) filters.push(`${head}${values.join(",")}])`);
  return filters;
}

/** The stages a move from `from` to `to` leaves behind: every stage from `from` up to `to` on a forward move, none backward. */
export function stagesLeft(definition: ProcessDefinition, from: number, to: number): ProcessStage[] {
  return to > from ? definition.stages.slice(from, to) : [];
}

/** The columns whose values decide a move: the required steps of the stages it leaves. */
export function requiredColumns(stages: readonly ProcessStage[]): string[] {
  return [...new Set(stages.flatMap((s) => s.requiredSteps.map((step) => step.column)))];
}

/** Whether a record row (Web API shape) has a value in `column`; a lookup's value is under `_<column>_value`. */
export function hasValue(record: Json, column: string): boolean {
  const value = column in record ? record[column] : record[`_${column}_value`];
  return value !== null && value !== undefined && value !== "";
}

/**
 * The traversed path after a move. Backward: trimmed to end at the target stage. Forward: the path up to the stage
 * left, then every stage passed on the way, in process order. A path that does not contain the stage it should
 * (edited elsewhere) is rebuilt from the process order.
 */
export function traversedPathAfter(definition: ProcessDefinition, path: readonly string[], from: ProcessStage, to: ProcessStage): string[] {
  const prefix = (stage: ProcessStage) => definition.stages.slice(0, stage.ordinal + 1).map((s) => s.id);
  if (to.ordinal <= from.ordinal) {
    const at = path.lastIndexOf(to.id);
    return at >= 0 ? path.slice(0, at + 1) : prefix(to);
  }
  const at = path.lastIndexOf(from.id);
  const base = at >= 0 ? path.slice(0, at + 1) : prefix(from);
  return [...base, ...definition.stages.slice(from.ordinal + 1, to.ordinal + 1).map((s) => s.id)];
}

export interface MissingSteps {
  readonly stage: string;
  /** Labels of the required steps that are empty. */
  readonly steps: readonly string[];
}

export type ProcessRefusal =
  | { readonly kind: "noInstance" }
  | { readonly kind: "finished" }
  | { readonly kind: "notAStage" }
  | { readonly kind: "missingSteps"; readonly missing: readonly MissingSteps[] };

export type ProcessMovePlan =
  | { readonly kind: "move"; readonly activeStageId: string; readonly traversedPath: readonly string[] }
  | { readonly kind: "refused"; readonly refusal: ProcessRefusal };

/**
 * Whether the record's process may go to the stage with ordinal `to`, judged on the instance and the record as they
 * are now: a finished or aborted process does not move; forward moves (skipping stages too) need every required step
 * of every stage left to have a value; backward moves are always allowed.
 */
export function planStageMove(definition: ProcessDefinition, instance: ProcessInstance | null, to: number | null, record: Json): ProcessMovePlan {
  const refused = (refusal: ProcessRefusal): ProcessMovePlan => ({ kind: "refused", refusal });
  if (instance === null) return refused({ kind: "noInstance" });
  if (instance.state !== ACTIVE_INSTANCE_STATE) return refused({ kind: "finished" });
  const target = to === null ? undefined : definition.stages[to];
  const current = stageById(definition, instance.activeStageId);
  if (target === undefined || current === undefined) return refused({ kind: "notAStage" });
  const missing: MissingSteps[] = [];
  for (const stage of stagesLeft(definition, current.ordinal, target.ordinal)) {
    const empty = stage.requiredSteps.filter((step) => !hasValue(record, step.column)).map((step) => step.label);
    if (empty.length > 0) missing.push({ stage: stage.name, steps: empty });
  }
  if (missing.length > 0) return refused({ kind: "missingSteps", missing });
  return { kind: "move", activeStageId: target.id, traversedPath: traversedPathAfter(definition, instance.traversedPath, current, target) };
}

/** How refusals are worded: the board's resource strings and the user's locale. */
export interface ProcessTexts {
  noInstance(processName: string): string;
  finished(processName: string): string;
  notAStage(): string;
  missingSteps(list: string): string;
  stageSteps(stage: string, steps: string): string;
  joinStages(first: string, second: string): string;
  joinSteps(first: string, second: string): string;
}

export function processTexts(t: Translate): ProcessTexts {
  return {
    noInstance: (processName) => t("Process_Refused_NoInstance", processName),
    finished: (processName) => t("Process_Refused_Finished", processName),
    notAStage: () => t("Process_Refused_NotAStage"),
    missingSteps: (list) => t("Process_Refused_MissingSteps", list),
    stageSteps: (stage, steps) => t("Process_StageSteps", stage, steps),
    joinStages: (first, second) => t("Process_StageJoin", first, second),
    joinSteps: (first, second) => t("Process_StepJoin", first, second),
  };
}

/** One sentence saying why the move was refused, naming the stages and their empty required steps. */
export function processRefusalText(texts: ProcessTexts, processName: string, refusal: ProcessRefusal): string {
  switch (refusal.kind) {
    case "noInstance":
      return texts.noInstance(processName);
    case "finished":
      return texts.finished(processName);
    case "notAStage":
      return texts.notAStage();
    case "missingSteps":
      return texts.missingSteps(refusal.missing.map((m) => texts.stageSteps(m.stage, m.steps.reduce((a, b) => texts.joinSteps(a, b)))).reduce((a, b) => texts.joinStages(a, b)));
  }
}
