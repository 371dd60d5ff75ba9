/** @jest-environment jsdom */
/**
 * The board in its host, through the real control class: a view that fails to load, the dataset selection the view's
 * command bar acts on, opening a record, and the card's own menu.
 */
import * as React from "react";
import { act, fireEvent, render, screen, within } from "@testing-library/react";
import { registerIcons } from "@fluentui/react";
import type { IInputs } from "../../../../components/PipelineBoard/PipelineBoard/generated/ManifestTypes";
import { PipelineBoard } from "../../../../components/PipelineBoard/PipelineBoard/index";
import { createFakeContext, type FakeContext, stringProperty } from "../../../../tools/dataverse/pcfContext";
import { FakeDataSet, type FakeDataSetOptions } from "../../../../tools/dataverse/pcfDataset";
import { createSampleData } from "../../../../tools/dataverse/sampleData";
import { boardInputs, NO_TEAMS, serveSample } from "./boardInputs";
import { readResx } from "./resx";

registerIcons({ icons: { info: <span />, clear: <span />, errorbadge: <span />, warning: <span />, checkmark: <span /> } });

const COLUMNS = ["name", "salesstage", "estimatedvalue", "closeprobability", "estimatedclosedate", "ownerid", "parentaccountid"];

function mount(language: 1033 | 2052 = 1033, options: Partial<FakeDataSetOptions> = {}, inputs: Partial<IInputs> = {}) {
  const sample = createSampleData({ opportunities: 40, language });
  const api = serveSample(sample);
  const control = new PipelineBoard(NO_TEAMS);
  let rerender: () => void = () => undefined;
  const dataset = new FakeDataSet({
    store: sample.store,
    table: "opportunity",
    columns: COLUMNS,
    language,
    viewFilter: { kind: "compare", column: "statecode", op: "eq", value: 0 },
    onLoaded: () => rerender(),
    ...options,
  });
  const parameters = { ...boardInputs(dataset), ...inputs };
  const context: FakeContext<IInputs> = createFakeContext<IInputs>({ api, parameters, language, strings: Object.fromEntries(readResx(language)) });
  const view = render(<div />);
  rerender = () => view.rerender(control.updateView(context));
  // The host calls updateView again when the control asks for it.
  context.factory.requestRender = () => rerender();
  control.init(context);
  act(() => rerender());
  return { sample, context, control, dataset, rerender: () => act(() => rerender()) };
}

/** A few turns of the event loop: the board first finds out that it cannot read its lanes from Dataverse here. */
async function settle() {
  for (let turn = 0; turn < 10; turn++) {
    await act(async () => {
      await new Promise((resolve) => setTimeout(resolve, 0));
    });
  }
}

afterEach(() => {
  Reflect.deleteProperty(globalThis, "fetch");
});

describe("PipelineBoard: a view that fails to load", () => {
  it("shows the host's error instead of empty lanes, and the cards once a refresh succeeds", async () => {
    const { dataset, rerender } = mount(1033, { loadError: "Sql error: the query timed out." });
    await settle();
    expect(dataset.error).toBe(true);
    const alert = screen.getByRole("region", { name: "Pipeline board" });
    expect(within(alert).getByText("This view could not be loaded. Sql error: the query timed out.")).toBeInTheDocument();
    expect(document.querySelectorAll("section")).toHaveLength(0);
    expect(screen.queryByText("No records in this view.")).not.toBeInTheDocument();
    dataset.failLoads(null);
    dataset.refresh();
    await settle();
    rerender();
    expect(dataset.error).toBe(false);
    expect(screen.queryByText(/This view could not be loaded/)).not.toBeInTheDocument();
    expect(screen.getAllByRole("listitem").length).toBeGreaterThan(0);
  });

  it("says so in Chinese, with a generic sentence when the host gives no message", async () => {
    mount(2052, { loadError: "" });
    await settle();
    expect(screen.getByText("无法加载此视图。")).toBeInTheDocument();
  });

  it("turns a view that loaded into an error when a later load fails, and asks for no more pages", async () => {
    const { dataset } = mount();
    await settle();
    expect(screen.getAllByRole("listitem").length).toBeGreaterThan(0);
    dataset.failLoads("Network error");
    const loads = dataset.loadCount;
    dataset.refresh();
    await settle();
    await settle();
    expect(screen.getByText("This view could not be loaded. Network error")).toBeInTheDocument();
    expect(screen.queryAllByRole("listitem")).toHaveLength(0);
    expect(dataset.loadCount).toBe(loads + 1);
  });
});

describe("PipelineBoard: selection for the view's command bar", () => {
  const cardIds = () => screen.getAllByRole("listitem").map((c) => c.getAttribute("data-card-id") ?? "");
  const selectedCards = () => Array.from(document.querySelectorAll("[data-selected=true]")).map((c) => c.getAttribute("data-card-id"));

  it("a click selects the card in the dataset, marks it, and opens nothing", async () => {
    const { dataset, context } = mount();
    await settle();
    const [first, second] = screen.getAllByRole("listitem");
    fireEvent.click(first);
    expect(dataset.getSelectedRecordIds()).toEqual([first.getAttribute("data-card-id")]);
    expect(selectedCards()).toEqual([first.getAttribute("data-card-id")]);
    expect(first).toHaveAttribute("aria-current", "true");
    fireEvent.click(second);
    expect(dataset.getSelectedRecordIds()).toEqual([second.getAttribute("data-card-id")]);
    expect(selectedCards()).toEqual([second.getAttribute("data-card-id")]);
    expect(context.navigationCalls.filter((c) => c.kind === "openForm")).toEqual([]);
  });

  it("Space selects the focused card", async () => {
    const { dataset } = mount();
    await settle();
    const card = screen.getAllByRole("listitem")[2];
    fireEvent.keyDown(card, { key: " " });
    expect(dataset.getSelectedRecordIds()).toEqual([card.getAttribute("data-card-id")]);
  });

  it("a tap selects the card and does not lift it for a move", async () => {
    const { dataset, sample } = mount();
    await settle();
    const card = screen.getAllByRole("listitem")[1];
    const id = card.getAttribute("data-card-id") ?? "";
    const stage = sample.store.get("opportunity", id)?.salesstage;
    fireEvent.pointerDown(card, { pointerType: "touch", clientX: 10, clientY: 10 });
    fireEvent.pointerUp(window, { pointerType: "touch", clientX: 10, clientY: 10 });
    // Browsers follow a tap with a click.
    fireEvent.click(card);
    expect(dataset.getSelectedRecordIds()).toEqual([id]);
    await settle();
    expect(sample.store.get("opportunity", id)?.salesstage).toBe(stage);
  });

  it("shows a selection the host made, and none once the host clears it", async () => {
    const { dataset, rerender } = mount();
    await settle();
    const id = cardIds()[3];
    dataset.setSelectedRecordIds([id]);
    rerender();
    expect(selectedCards()).toEqual([id]);
    dataset.clearSelectedRecordIds();
    rerender();
    expect(selectedCards()).toEqual([]);
  });
});

describe("PipelineBoard: opening a record and the card's own menu", () => {
  it("opens the record's form with navigation.openForm on double click and on Enter", async () => {
    const { context } = mount();
    await settle();
    const card = screen.getAllByRole("listitem")[0];
    const id = card.getAttribute("data-card-id");
    fireEvent.doubleClick(card);
    fireEvent.keyDown(card, { key: "Enter" });
    const opened = context.navigationCalls.filter((c) => c.kind === "openForm");
    expect(opened).toEqual([
      { kind: "openForm", options: { entityName: "opportunity", entityId: id } },
      { kind: "openForm", options: { entityName: "opportunity", entityId: id } },
    ]);
  });

  it("a right-click selects the card and opens the board's Move to… menu instead of the browser's", async () => {
    const { dataset, sample } = mount();
    await settle();
    const qualify = document.querySelector<HTMLElement>('section[aria-label="Qualify"]');
    if (!qualify) throw new Error("no Qualify lane");
    const card = within(qualify).getAllByRole("listitem")[0];
    const id = card.getAttribute("data-card-id") ?? "";
    const event = new MouseEvent("contextmenu", { bubbles: true, cancelable: true });
    act(() => {
      card.dispatchEvent(event);
    });
    expect(event.defaultPrevented).toBe(true);
    expect(dataset.getSelectedRecordIds()).toEqual([id]);
    const menu = await screen.findByRole("menu", { name: "Move to…" });
    await act(async () => {
      fireEvent.click(within(menu).getByRole("menuitemcheckbox", { name: "Develop" }));
      await Promise.resolve();
    });
    await act(async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
    });
    expect(sample.store.get("opportunity", id)?.salesstage).toBe(1);
  });

  it("Shift+F10 selects the card and opens the same menu", async () => {
    const { dataset } = mount();
    await settle();
    const card = screen.getAllByRole("listitem")[0];
    fireEvent.keyDown(card, { key: "F10", shiftKey: true });
    expect(dataset.getSelectedRecordIds()).toEqual([card.getAttribute("data-card-id")]);
    expect(await screen.findByRole("menu", { name: "Move to…" })).toBeInTheDocument();
  });
});

describe("PipelineBoard: leaving the page while a move is being saved", () => {
  const leave = () => {
    const event = new Event("beforeunload", { cancelable: true });
    window.dispatchEvent(event);
    return event.defaultPrevented;
  };

  it("asks the browser to warn while the save is in flight, and not before or after", async () => {
    const { sample } = mount();
    await settle();
    const served = globalThis.fetch;
    let release: () => void = () => undefined;
    // The update waits until the test lets it through.
    Object.defineProperty(globalThis, "fetch", {
      value: (input: RequestInfo | URL, init?: RequestInit) => new Promise<Response>((resolve, reject) => {
        release = () => void served(input, init).then(resolve, reject);
      }),
      configurable: true,
      writable: true,
    });
    expect(leave()).toBe(false);
    const qualify = document.querySelector<HTMLElement>('section[aria-label="Qualify"]');
    if (!qualify) throw new Error("no Qualify lane");
    const card = within(qualify).getAllByRole("listitem")[0];
    const id = card.getAttribute("data-card-id") ?? "";
    await act(async () => {
      fireEvent.keyDown(card, { key: "ArrowRight", altKey: true });
      await Promise.resolve();
    });
    expect(leave()).toBe(true);
    await act(async () => {
      release();
      await new Promise((resolve) => setTimeout(resolve, 20));
    });
    expect(sample.store.get("opportunity", id)?.salesstage).toBe(1);
    expect(leave()).toBe(false);
  });
});

describe("PipelineBoard: columns picked with property-sets", () => {
  const laneLabels = () => Array.from(document.querySelectorAll("section")).map((s) => s.getAttribute("aria-label"));

  it("uses the text properties' defaults when no property-set is bound", async () => {
    mount();
    await settle();
    expect(laneLabels()).toEqual(["Qualify", "Develop", "Propose", "Close", "(no value)"]);
  });

  it("takes the lane column from the bound property-set, which wins over the text property", async () => {
    const { dataset } = mount(1033, { columns: [...COLUMNS, "opportunityratingcode"], propertySets: { lane: "opportunityratingcode" } }, { laneColumn: stringProperty("salesstage") });
    await settle();
    expect(dataset.columns.find((c) => c.alias === "lane")?.name).toBe("opportunityratingcode");
    expect(laneLabels()).toEqual(["Hot", "Warm", "Cold", "(no value)"]);
  });

  it("loads a bound column the view does not show, and moves cards by it", async () => {
    const { dataset, sample } = mount(1033, { propertySets: { lane: "opportunityratingcode" } });
    await settle();
    expect(dataset.columns.find((c) => c.alias === "lane")?.name).toBe("opportunityratingcode");
    expect(laneLabels()).toEqual(["Hot", "Warm", "Cold", "(no value)"]);
    const hot = document.querySelector<HTMLElement>('section[aria-label="Hot"]');
    if (!hot) throw new Error("no Hot lane");
    const card = within(hot).getAllByRole("listitem")[0];
    const id = card.getAttribute("data-card-id") ?? "";
    await act(async () => {
      fireEvent.keyDown(card, { key: "ArrowRight", altKey: true });
      await new Promise((resolve) => setTimeout(resolve, 20));
    });
    expect(sample.store.get("opportunity", id)?.opportunityratingcode).toBe(2);
  });

  it("totals the bound amount column instead of the default", async () => {
    const { dataset } = mount(1033, { propertySets: { amount: "estimatedvalue" }, columns: COLUMNS.filter((c) => c !== "estimatedvalue") });
    await settle();
    expect(dataset.columns.filter((c) => c.name === "estimatedvalue").map((c) => c.alias)).toEqual(["amount"]);
    expect(screen.getAllByText(/^Total /).length).toBeGreaterThan(0);
  });
});
