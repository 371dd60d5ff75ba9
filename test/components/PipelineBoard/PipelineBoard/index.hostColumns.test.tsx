/** @jest-environment jsdom */
/**
 * The board on the columns a model-driven host loads: only the view's and those the control adds with `addColumn`.
 * Here the view's query is answered, so lanes read their cards from Dataverse and the lane query asks for the
 * base-currency amount and the row version itself; whatever the host does with added columns, totals and the ETag
 * read at load must hold.
 */
import * as React from "react";
import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { registerIcons } from "@fluentui/react";
import type { IInputs } from "../../../../components/PipelineBoard/PipelineBoard/generated/ManifestTypes";
import { PipelineBoard } from "../../../../components/PipelineBoard/PipelineBoard/index";
import { createFakeContext } from "../../../../tools/dataverse/pcfContext";
import { FakeDataSet, type FakeDataSetOptions } from "../../../../tools/dataverse/pcfDataset";
import { createSampleData } from "../../../../tools/dataverse/sampleData";
import { OPEN_OPPORTUNITIES_VIEW, withSystemViews } from "../../../../tools/workbench/page/views";
import { boardInputs, NO_TEAMS, serveSample } from "./boardInputs";
import { readResx } from "./resx";

registerIcons({ icons: { info: <span />, clear: <span />, errorbadge: <span />, warning: <span /> } });

const COLUMNS = ["name", "salesstage", "estimatedvalue", "closeprobability", "estimatedclosedate", "ownerid", "parentaccountid"];
const STAGES = ["Qualify", "Develop", "Propose", "Close"];

function mount(host: Partial<FakeDataSetOptions>) {
  const sample = createSampleData({ opportunities: 60, hostile: false });
  const api = serveSample(sample);
  const patches: { url: string; ifMatch: string | undefined }[] = [];
  // Lanes read their cards from Dataverse here (the view's query is answered); the host's first page only seeds them.
  const lanePagesRead = { count: 0 };
  const served = globalThis.fetch as unknown as typeof api.fetch;
  Object.defineProperty(globalThis, "fetch", {
    configurable: true,
    writable: true,
    value: async (url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) => {
      if (init.method === "PATCH") patches.push({ url, ifMatch: init.headers?.["If-Match"] });
      const response = await served(url, init);
      const query = decodeURIComponent(url);
      if (query.includes("fetchXml=") && !query.includes('aggregate="true"')) lanePagesRead.count++;
      return response;
    },
  });
  let rerender: () => void = () => undefined;
  const dataset = new FakeDataSet({
    store: sample.store,
    table: "opportunity",
    columns: COLUMNS,
    viewId: OPEN_OPPORTUNITIES_VIEW.id,
    viewFilter: OPEN_OPPORTUNITIES_VIEW.filter,
    onLoaded: () => rerender(),
    ...host,
  });
  const context = createFakeContext<IInputs>({ api, parameters: boardInputs(dataset), strings: Object.fromEntries(readResx(1033)) });
  // The view's saved query, for the whole-view aggregate.
  context.webAPI = withSystemViews(context.webAPI);
  const control = new PipelineBoard(NO_TEAMS);
  const view = render(<div />);
  rerender = () => view.rerender(control.updateView(context));
  control.init(context);
  act(() => rerender());
  const lanesRead = () => waitFor(() => expect(lanePagesRead.count).toBeGreaterThanOrEqual(STAGES.length));
  return { sample, dataset, patches, rerender, lanesRead };
}

const lane = (name: string) => document.querySelector<HTMLElement>(`section[aria-label="${name}"]`)!;
const shownTotal = (name: string) => Number((within(lane(name)).getByText(/^Total /).textContent ?? "").replace(/[^0-9]/g, ""));

/** Each stage's total of open opportunities in base currency, from the store, rounded as the board shows it. */
function storeTotals(sample: ReturnType<typeof createSampleData>): number[] {
  const open = [...sample.store.rows("opportunity")].filter((o) => o.statecode === 0);
  return STAGES.map((_, stage) => Math.round(open.filter((o) => o.salesstage === stage).reduce((sum, o) => sum + Number(o.estimatedvalue_base ?? 0), 0)));
}

describe.each([
  ["lists the columns it added", { listAddedColumns: true }],
  ["does not list the columns it added", { listAddedColumns: false }],
  ["throws for a column it did not load", { listAddedColumns: false, unloadedColumns: "throw" as const }],
])("PipelineBoard on a model-driven host that %s", (_name, host) => {
  afterEach(() => Reflect.deleteProperty(globalThis, "fetch"));

  it("asks for the base amount and the row version, then saves a move with the ETag it read at load", async () => {
    const { sample, patches, lanesRead } = mount(host);
    await lanesRead();
    await waitFor(() => expect(screen.getAllByRole("listitem").length).toBeGreaterThan(0));
    const card = within(lane("Qualify")).getAllByRole("listitem")[0];
    const id = card.getAttribute("data-card-id") ?? "";
    const versionAtLoad = Number(sample.store.get("opportunity", id)?.versionnumber);
    act(() => {
      card.focus();
      fireEvent.keyDown(card, { key: "ArrowRight", altKey: true });
    });
    await waitFor(() => expect(sample.store.get("opportunity", id)?.salesstage).toBe(1));
    expect(patches.map((p) => [p.url.endsWith(`opportunities(${id})`), p.ifMatch])).toEqual([[true, `W/"${versionAtLoad}"`]]);
  });

  it("keeps each lane's base-currency total equal to the store's after moving a deal in another currency", async () => {
    const { sample, lanesRead } = mount(host);
    await lanesRead();
    await waitFor(() => expect(screen.getByText("Totals for the whole view, in base currency")).toBeInTheDocument());
    const cny = sample.currencies.cny;
    const foreign = [...sample.store.rows("opportunity")].find(
      (o) => o.statecode === 0 && o.salesstage === 0 && (o.transactioncurrencyid as { id: string } | null)?.id === cny && Number(o.estimatedvalue) > 0,
    );
    if (!foreign) throw new Error("the sample has no open CNY deal in Qualify");
    const card = document.querySelector<HTMLElement>(`[data-card-id="${foreign.opportunityid as string}"]`)!;
    act(() => {
      card.focus();
      fireEvent.keyDown(card, { key: "ArrowRight", altKey: true });
    });
    await waitFor(() => expect(sample.store.get("opportunity", foreign.opportunityid as string)?.salesstage).toBe(1));
    await waitFor(() => expect(STAGES.map(shownTotal)).toEqual(storeTotals(sample)));
  });
});

describe("PipelineBoard and records that changed state elsewhere", () => {
  afterEach(() => Reflect.deleteProperty(globalThis, "fetch"));

  it("refuses to move a deal someone closed as won since the board loaded it, says why, and the card leaves the board", async () => {
    const { sample, patches, lanesRead } = mount({});
    await lanesRead();
    const card = within(lane("Qualify")).getAllByRole("listitem")[0];
    const id = card.getAttribute("data-card-id") ?? "";
    sample.store.update("opportunity", id, { statecode: 1, statuscode: 3 });
    act(() => {
      card.focus();
      fireEvent.keyDown(card, { key: "ArrowRight", altKey: true });
    });
    await waitFor(() => expect(screen.getAllByText(/could not be moved: It is Won now/).length).toBeGreaterThan(0));
    await waitFor(() => expect(document.querySelector(`[data-card-id="${id}"]`)).toBeNull());
    expect(sample.store.get("opportunity", id)?.salesstage).toBe(0);
    // One PATCH, refused by Dataverse with 412: closing the deal changed its version.
    expect(patches).toHaveLength(1);
  });
});

describe("the fake dataset's hosts", () => {
  it("offers addColumn on a model-driven host and not on a canvas host, as PCF documents", () => {
    const sample = createSampleData({ opportunities: 5, hostile: false });
    const options = { store: sample.store, table: "opportunity", columns: ["name"] };
    expect(typeof new FakeDataSet(options).addColumn).toBe("function");
    expect(new FakeDataSet({ ...options, host: "canvas" }).addColumn).toBeUndefined();
  });

  it("gives a column that was neither in the view nor added only after the next load", () => {
    jest.useFakeTimers();
    try {
      const sample = createSampleData({ opportunities: 5, hostile: false });
      const dataset = new FakeDataSet({ store: sample.store, table: "opportunity", columns: ["name"] });
      const first = dataset.records[dataset.sortedRecordIds[0]];
      expect(first.getValue("versionnumber")).toBeNull();
      dataset.addColumn?.("versionnumber");
      dataset.refresh();
      jest.runAllTimers();
      const id = dataset.sortedRecordIds[0];
      expect(dataset.records[id].getValue("versionnumber")).toBe(sample.store.get("opportunity", id)?.versionnumber);
      expect(dataset.columns.find((c) => c.name === "versionnumber")?.isHidden).toBe(true);
      expect(() => dataset.addColumn?.("nosuchcolumn")).toThrow("has no column 'nosuchcolumn'");
    } finally {
      jest.useRealTimers();
    }
  });
});
