/** What the control tests hand the real PipelineBoard class: the sample data, its inputs as a maker leaves them, no Teams. */
import type { IInputs } from "../../../../components/PipelineBoard/PipelineBoard/generated/ManifestTypes";
import type { TeamsEnvironment } from "../../../../components/PipelineBoard/PipelineBoard/teamsEnvironment";
import { stringProperty, twoOptionsProperty, wholeNumberProperty } from "../../../../tools/dataverse/pcfContext";
import { FakeDataSet } from "../../../../tools/dataverse/pcfDataset";
import type { SampleData } from "../../../../tools/dataverse/sampleData";
import { InMemoryWebApi } from "../../../../tools/dataverse/webApiHandler";
import { BROWSER_SIGNALS } from "../../common/teams/signals";

export const NO_TEAMS: TeamsEnvironment = { signals: () => BROWSER_SIGNALS };

/** Every column input empty (so the opportunity defaults apply), moving allowed, and the given maximum and flow. */
export function boardInputs(records: IInputs["records"], { maxRecords = null, businessProcessFlow = null }: { maxRecords?: number | null; businessProcessFlow?: string | null } = {}): IInputs {
  return {
    records,
    laneColumn: stringProperty(null),
    amountColumn: stringProperty(null),
    probabilityColumn: stringProperty(null),
    closeDateColumn: stringProperty(null),
    ownerColumn: stringProperty(null),
    maxRecords: wholeNumberProperty(maxRecords),
    businessProcessFlow: stringProperty(businessProcessFlow),
    allowMove: twoOptionsProperty(true),
  };
}

/**
 * The in-memory Dataverse over the sample, also answering `fetch` on the app's origin, where concurrency-checked
 * updates go. Tests delete `globalThis.fetch` afterwards.
 */
export function serveSample(sample: SampleData): InMemoryWebApi {
  const api = new InMemoryWebApi({ store: sample.store });
  Object.defineProperty(globalThis, "fetch", { value: api.fetch, configurable: true, writable: true });
  return api;
}

/** The sample's open opportunities as the dataset of a view, telling `onLoaded` when a page arrives. */
export function openOpportunities(sample: SampleData, columns: readonly string[], onLoaded: () => void, language?: 1033 | 2052): FakeDataSet {
  return new FakeDataSet({
    store: sample.store,
    table: "opportunity",
    columns: [...columns],
    ...(language !== undefined && { language }),
    viewFilter: { kind: "compare", column: "statecode", op: "eq", value: 0 },
    onLoaded,
  });
}
