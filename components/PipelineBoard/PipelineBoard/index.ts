import * as React from "react";
import { IInputs, IOutputs } from "./generated/ManifestTypes";
import { Board } from "./Board";
import { groupIntoLanes } from "./lanes";

export class PipelineBoard implements ComponentFramework.ReactControl<IInputs, IOutputs> {
  public init(): void {
    // Nothing to set up before the first updateView.
  }

  public updateView(context: ComponentFramework.Context<IInputs>): React.ReactElement {
    const dataset = context.parameters.records;
    const laneColumn = context.parameters.laneColumn.raw ?? "salesstage";
    const records = dataset.sortedRecordIds.map((id) => {
      const record = dataset.records[id];
      return {
        id,
        name: record.getFormattedValue(dataset.columns.find((c) => c.isPrimary)?.name ?? "name"),
        laneLabel: record.getFormattedValue(laneColumn),
      };
    });
    return React.createElement(Board, {
      lanes: groupIntoLanes(records, context.resources.getString("Board_NoValue")),
      loading: dataset.loading,
      loadingMessage: context.resources.getString("Board_Loading"),
      emptyMessage: context.resources.getString("Board_Empty"),
    });
  }

  public getOutputs(): IOutputs {
    return {};
  }

  public destroy(): void {
    // React unmounts the board; nothing else is held.
  }
}
