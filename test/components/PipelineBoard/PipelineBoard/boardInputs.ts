/** What the control tests hand the real PipelineBoard class: its inputs as a maker leaves them, and no Teams. */
import type { IInputs } from "../../../../components/PipelineBoard/PipelineBoard/generated/ManifestTypes";
import type { TeamsEnvironment } from "../../../../components/PipelineBoard/PipelineBoard/teamsEnvironment";
import { stringProperty, twoOptionsProperty, wholeNumberProperty } from "../../../../tools/dataverse/pcfContext";
import { BROWSER_SIGNALS } from "../../common/teams/inMemoryTeamsHost";

export const NO_TEAMS: TeamsEnvironment = { signals: () => BROWSER_SIGNALS, loadSdk: () => Promise.reject(new Error("a plain browser page must not load the Teams SDK")) };

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
