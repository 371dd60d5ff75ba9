import * as React from "react";
import { IInputs, IOutputs } from "./generated/ManifestTypes";
import { CustomerCard } from "./CustomerCard";

export class CustomerContextPanel implements ComponentFramework.ReactControl<IInputs, IOutputs> {
  public init(): void {
    // Nothing to set up before the first updateView.
  }

  public updateView(context: ComponentFramework.Context<IInputs>): React.ReactElement {
    return React.createElement(CustomerCard, {
      title: context.resources.getString("Panel_Title"),
      recordName: context.parameters.boundField.raw,
      emptyMessage: context.resources.getString("Panel_NoRecord"),
    });
  }

  public getOutputs(): IOutputs {
    return {};
  }

  public destroy(): void {
    // React unmounts the card; nothing else is held.
  }
}
