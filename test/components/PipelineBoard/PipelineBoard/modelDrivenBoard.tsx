/**
 * The real PipelineBoard on the workbench's Open Opportunities view in a model-driven host: the view's saved query is
 * answered, so lanes read their own cards from the in-memory Dataverse. `onRequest` sees every Web API URL, decoded.
 */
import * as React from "react";
import { act, render, within } from "@testing-library/react";
import type { IInputs } from "../../../../components/PipelineBoard/PipelineBoard/generated/ManifestTypes";
import { PipelineBoard } from "../../../../components/PipelineBoard/PipelineBoard/index";
import { createFakeContext } from "../../../../tools/dataverse/pcfContext";
import { FakeDataSet } from "../../../../tools/dataverse/pcfDataset";
import type { SampleData } from "../../../../tools/dataverse/sampleData";
import { OPEN_OPPORTUNITIES_VIEW, withSystemViews } from "../../../../tools/workbench/page/views";
import { boardInputs, NO_TEAMS, serveSample } from "./boardInputs";
import { readResx } from "./resx";

export function mountOnOpenOpportunities(sample: SampleData, onRequest: (url: string) => void = () => undefined): { control: PipelineBoard; dataset: FakeDataSet } {
  const api = serveSample(sample);
  const served = globalThis.fetch as unknown as typeof api.fetch;
  Object.defineProperty(globalThis, "fetch", {
    configurable: true,
    writable: true,
    value: (url: string, init: Parameters<typeof api.fetch>[1]) => {
      onRequest(decodeURIComponent(url));
      return served(url, init);
    },
  });
  let rerender: () => void = () => undefined;
  const dataset = new FakeDataSet({
    store: sample.store,
    table: "opportunity",
    columns: [...OPEN_OPPORTUNITIES_VIEW.columns],
    viewId: OPEN_OPPORTUNITIES_VIEW.id,
    viewFilter: OPEN_OPPORTUNITIES_VIEW.filter,
    onLoaded: () => rerender(),
  });
  const context = createFakeContext<IInputs>({ api, parameters: boardInputs(dataset), strings: Object.fromEntries(readResx(1033)), mode: { allocatedHeight: 900, allocatedWidth: 1400 } });
  context.webAPI = withSystemViews(context.webAPI);
  const control = new PipelineBoard(NO_TEAMS);
  const view = render(<div />);
  rerender = () => view.rerender(control.updateView(context));
  context.factory.requestRender = () => act(() => rerender());
  control.init(context);
  act(() => rerender());
  return { control, dataset };
}

export const lane = (name: string) => document.querySelector<HTMLElement>(`section[aria-label="${name}"]`)!;
export const laneBody = (name: string) => within(lane(name)).getByRole("list");
