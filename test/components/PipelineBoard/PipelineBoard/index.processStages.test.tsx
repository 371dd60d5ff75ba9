/** @jest-environment jsdom */
import * as React from "react";
import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { registerIcons } from "@fluentui/react";
import type { IInputs } from "../../../../components/PipelineBoard/PipelineBoard/generated/ManifestTypes";
import { PipelineBoard } from "../../../../components/PipelineBoard/PipelineBoard/index";
import { OPPORTUNITY_SALES_PROCESS } from "../../../../tools/dataverse/businessProcessFlows";
import { createFakeContext } from "../../../../tools/dataverse/pcfContext";
import { FakeDataSet } from "../../../../tools/dataverse/pcfDataset";
import { OPEN_OPPORTUNITIES_VIEW, withSystemViews } from "../../../../tools/workbench/page/views";
import { createSampleData } from "../../../../tools/dataverse/sampleData";
import type { RowChange } from "../../../../tools/dataverse/store";
import { boardInputs, NO_TEAMS, openOpportunities, serveSample } from "./boardInputs";
import { readResx } from "./resx";

registerIcons({ icons: { info: <span />, clear: <span />, errorbadge: <span />, warning: <span /> } });

const COLUMNS = ["name", "salesstage", "estimatedvalue", "closeprobability", "estimatedclosedate", "ownerid", "parentaccountid"];
const [QUALIFY, DEVELOP, PROPOSE] = OPPORTUNITY_SALES_PROCESS.stages.map((s) => s.id);

function mount(language: 1033 | 2052 = 1033, businessProcessFlow: string | null = "opportunitysalesprocess", { maxRecords = 5000, onView = false } = {}) {
  const sample = createSampleData({ opportunities: 40, language });
  const api = serveSample(sample);
  const control = new PipelineBoard(NO_TEAMS);
  let rerender: () => void = () => undefined;
  // On the app's Open Opportunities system view, whose FetchXML the board reads to total the whole view.
  const dataset = onView
    ? new FakeDataSet({ store: sample.store, table: "opportunity", columns: COLUMNS, language, viewId: OPEN_OPPORTUNITIES_VIEW.id, viewFilter: OPEN_OPPORTUNITIES_VIEW.filter, onLoaded: () => rerender() })
    : openOpportunities(sample, COLUMNS, () => rerender(), language);
  const parameters = boardInputs(dataset, { maxRecords, businessProcessFlow });
  const context = createFakeContext<IInputs>({ api, parameters, language, strings: Object.fromEntries(readResx(language)) });
  context.webAPI = withSystemViews(context.webAPI);
  // As the PCF host does: a render the control requests happens soon after, not inside the request.
  const requestRender = context.factory.requestRender.bind(context.factory);
  context.factory.requestRender = () => {
    requestRender();
    setTimeout(() => act(() => rerender()), 0);
  };
  const view = render(<div />);
  rerender = () => view.rerender(control.updateView(context));
  control.init(context);
  act(() => rerender());
  const writes: RowChange[] = [];
  sample.store.subscribe((change) => {
    if (change.table === "opportunitysalesprocess") writes.push(change);
  });
  return { sample, writes };
}

const laneNames = () => Array.from(document.querySelectorAll("section")).map((s) => s.getAttribute("aria-label"));
const lane = (name: string) => {
  const section = document.querySelector<HTMLElement>(`section[aria-label="${name}"]`);
  if (!section) throw new Error(`no lane ${name}`);
  return section;
};
const cardIds = (name: string) => within(lane(name)).queryAllByRole("listitem").map((c) => c.getAttribute("data-card-id") ?? "");

function instanceOf(sample: ReturnType<typeof createSampleData>, opportunityId: string) {
  const row = [...sample.store.rows("opportunitysalesprocess")].find((i) => (i.opportunityid as { id: string }).id === opportunityId);
  if (!row) throw new Error(`opportunity ${opportunityId} has no process instance`);
  return row;
}

async function moveRight(id: string) {
  const card = document.querySelector<HTMLElement>(`[data-card-id="${id}"]`);
  if (!card) throw new Error(`card ${id} is not on the board`);
  await act(async () => {
    fireEvent.keyDown(card, { key: "ArrowRight", altKey: true });
    await Promise.resolve();
  });
}

describe("PipelineBoard on a business process flow", () => {
  afterEach(() => {
    Reflect.deleteProperty(globalThis, "fetch");
  });

  it("shows the flow's stages as lanes, in Chinese, and records without the process in a last lane", async () => {
    const { sample } = mount(2052);
    await waitFor(() => expect(laneNames()).toEqual(["资格审查", "开发", "建议", "成交", "（未进入商机销售流程）"]));
    await waitFor(() => expect(cardIds("资格审查").length).toBeGreaterThan(0));
    expect(cardIds("开发").length).toBeGreaterThan(0);
    expect(cardIds("（未进入商机销售流程）").length).toBeGreaterThan(0);
    for (const id of cardIds("开发")) expect((instanceOf(sample, id).activestageid as { id: string }).id).toBe(DEVELOP);
    const started = new Set([...sample.store.rows("opportunitysalesprocess")].map((i) => (i.opportunityid as { id: string }).id));
    for (const id of cardIds("（未进入商机销售流程）")) expect(started.has(id)).toBe(false);
  });

  it("totals the whole view by stage, not only the loaded records: each record counted in its instance's active stage", async () => {
    const { sample } = mount(1033, "opportunitysalesprocess", { maxRecords: 10, onView: true });
    await waitFor(() => expect(screen.getByText("Totals for the whole view, in base currency")).toBeInTheDocument());
    const open = [...sample.store.rows("opportunity")].filter((o) => o.statecode === 0).map((o) => o.opportunityid as string);
    const stageOf = new Map([...sample.store.rows("opportunitysalesprocess")].map((i) => [(i.opportunityid as { id: string }).id, (i.activestageid as { id: string }).id]));
    const expected = [...OPPORTUNITY_SALES_PROCESS.stages.map((stage) => open.filter((id) => stageOf.get(id) === stage.id).length), open.filter((id) => !stageOf.has(id)).length];
    const counts = laneNames().map((name) => Number((within(lane(name ?? "")).getByText(/^\d+ records?$/).textContent ?? "").split(" ")[0]));
    expect(open.length).toBeGreaterThan(10);
    expect(counts).toEqual(expected);
  });

  it("moves a card forward with the keyboard: the instance gets the next stage and the longer traversed path", async () => {
    const { sample, writes } = mount();
    await waitFor(() => expect(cardIds("Qualify").length).toBeGreaterThan(0));
    const id = cardIds("Qualify")[0];
    sample.store.update("opportunity", id, { purchasetimeframe: 1 });
    await moveRight(id);
    await waitFor(() => expect((instanceOf(sample, id).activestageid as { id: string }).id).toBe(DEVELOP));
    expect(instanceOf(sample, id).traversedpath).toBe(`${QUALIFY},${DEVELOP}`);
    expect(writes).toHaveLength(1);
    await waitFor(() => expect(cardIds("Develop")).toContain(id));
  });

  it("refuses a forward move while a required step is empty, names it, and writes nothing", async () => {
    const { sample, writes } = mount();
    await waitFor(() => expect(cardIds("Qualify").length).toBeGreaterThan(0));
    const id = cardIds("Qualify")[0];
    sample.store.update("opportunity", id, { purchasetimeframe: null });
    await moveRight(id);
    const name = sample.store.get("opportunity", id)?.name as string;
    // Shown in the message bar and announced to screen readers (two renders: wait for both).
    const refused = `${name} could not be moved: Fill in the required steps first: Purchase Timeframe in Qualify. It is back in Qualify.`;
    await waitFor(() => expect(screen.getAllByText(refused)).toHaveLength(2));
    expect(writes).toEqual([]);
    expect((instanceOf(sample, id).activestageid as { id: string }).id).toBe(QUALIFY);
    expect(cardIds("Qualify")).toContain(id);
  });

  it("shows the server's stage when the process changed since the board loaded it (412)", async () => {
    const { sample, writes } = mount();
    await waitFor(() => expect(cardIds("Qualify").length).toBeGreaterThan(0));
    const id = cardIds("Qualify")[0];
    sample.store.update("opportunity", id, { purchasetimeframe: 1 });
    const instance = instanceOf(sample, id);
    sample.store.update("opportunitysalesprocess", instance.businessprocessflowinstanceid as string, {
      activestageid: { id: PROPOSE, table: "processstage" },
      traversedpath: `${QUALIFY},${DEVELOP},${PROPOSE}`,
    });
    writes.length = 0;
    await moveRight(id);
    const name = sample.store.get("opportunity", id)?.name as string;
    const conflict = `${name} was changed by someone else since it was loaded, so your move was not saved. It now shows the saved stage: Propose.`;
    await waitFor(() => expect(screen.getAllByText(conflict)).toHaveLength(2));
    expect(writes).toEqual([]);
    await waitFor(() => expect(cardIds("Propose")).toContain(id));
  });

  it("moves a card back from the Move to… menu, which offers only stages, and trims the traversed path", async () => {
    const { sample } = mount();
    await waitFor(() => expect(cardIds("Develop").length).toBeGreaterThan(0));
    const id = cardIds("Develop")[0];
    sample.store.update("opportunity", id, { customerneed: null });
    const card = document.querySelector<HTMLElement>(`[data-card-id="${id}"]`);
    if (!card) throw new Error(`card ${id} is not on the board`);
    fireEvent.keyDown(card, { key: "F10", shiftKey: true });
    const items = await screen.findAllByRole("menuitemcheckbox");
    expect(items.map((item) => item.textContent)).toEqual(["Qualify", "Develop", "Propose", "Close"]);
    await act(async () => {
      fireEvent.click(screen.getByRole("menuitemcheckbox", { name: "Qualify" }));
      await Promise.resolve();
    });
    await waitFor(() => expect((instanceOf(sample, id).activestageid as { id: string }).id).toBe(QUALIFY));
    expect(instanceOf(sample, id).traversedpath).toBe(QUALIFY);
  });

  it("keeps the choice-column lanes when no flow is set", async () => {
    mount(1033, null);
    await waitFor(() => expect(laneNames()).toEqual(["Qualify", "Develop", "Propose", "Close", "(no value)"]));
  });

  it("says so when the flow does not exist and keeps the lane column, cards and all", async () => {
    mount(1033, "nosuchprocess");
    await waitFor(() => expect(laneNames()).toEqual(["Qualify", "Develop", "Propose", "Close", "(no value)"]));
    expect(
      screen.getByText(
        "Business process flow nosuchprocess could not be loaded, so the lanes show the lane column instead. businessProcessFlow: no business process flow has the unique name 'nosuchprocess'",
      ),
    ).toBeInTheDocument();
    await waitFor(() => expect(cardIds("Qualify").length).toBeGreaterThan(0));
  });
});
