/** The pcf-start benchmark's do-nothing dataset control: one div saying how many records the data-set holds. */
import * as React from "react";

/** Written out rather than imported from generated/ManifestTypes, which only a build writes, so the repository typecheck does not need a build first. */
interface Inputs {
  records: ComponentFramework.PropertyTypes.DataSet;
}

export class NoopDataset implements ComponentFramework.ReactControl<Inputs, Record<string, never>> {
  init(): void {
    // Nothing to set up: the floor is the harness handing over the data and drawing what updateView returns.
  }

  updateView(context: ComponentFramework.Context<Inputs>): React.ReactElement {
    return React.createElement("div", { "data-bench": "noop" }, `${context.parameters.records.sortedRecordIds.length} records`);
  }

  getOutputs(): Record<string, never> {
    return {};
  }

  destroy(): void {
    // Holds nothing to release.
  }
}
