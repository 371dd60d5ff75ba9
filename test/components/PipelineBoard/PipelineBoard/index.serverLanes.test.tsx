/** @jest-environment jsdom */
/**
 * The board in a model-driven app, where it can read the view's query: every lane pages its own cards from
 * Dataverse, counts come from aggregates, scrolling reaches any record, and search asks Dataverse, so it finds records
 * no page has read. The dataset's first page only seeds the first frame.
 */
import * as React from "react";
import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { registerIcons } from "@fluentui/react";
import { CARD_HEIGHT } from "../../../../components/PipelineBoard/PipelineBoard/ui/CardView";
import { createSampleData } from "../../../../tools/dataverse/sampleData";
import { lane, laneBody, mountOnOpenOpportunities } from "./modelDrivenBoard";
import { stageInViewOrder, textOf } from "./viewOrder";

registerIcons({ icons: { info: <span />, clear: <span />, errorbadge: <span />, warning: <span />, search: <span />, cancel: <span /> } });

const STAGES = ["Qualify", "Develop", "Propose", "Close"];

function mount(opportunities: number) {
  const sample = createSampleData({ opportunities, hostile: false });
  const requests: string[] = [];
  return { sample, requests, ...mountOnOpenOpportunities(sample, (url) => requests.push(url)) };
}

describe("PipelineBoard reading its lanes from Dataverse", () => {
  afterEach(() => Reflect.deleteProperty(globalThis, "fetch"));

  it("shows each lane's whole-view count from the aggregate, never a partial count", async () => {
    const { sample } = mount(2000);
    await waitFor(() => expect(within(lane("Qualify")).queryByText("Counting…")).toBeNull());
    for (const [stage, name] of STAGES.entries()) {
      const expected = stageInViewOrder(sample, stage).length;
      expect(within(lane(name)).getByText(`${expected.toLocaleString("en-US")} records`)).toBeTruthy();
    }
  });

  it("reads the first cards of every lane in the view's order and the last record of a lane when it is scrolled to the end", async () => {
    const { sample, control } = mount(2000);
    const expected = stageInViewOrder(sample, 0);
    await waitFor(() => expect(within(laneBody("Qualify")).getAllByRole("listitem")[0].getAttribute("data-card-id")).toBe(expected[0].opportunityid));
    await waitFor(() => expect(within(lane("Qualify")).queryByText("Counting…")).toBeNull());
    const body = laneBody("Qualify");
    act(() => {
      body.scrollTop = expected.length * CARD_HEIGHT;
      fireEvent.scroll(body);
    });
    const last = expected[expected.length - 1].opportunityid as string;
    await waitFor(() => expect(body.querySelector(`[data-card-id="${last}"]`)).not.toBeNull());
    const pager = control.boardProps().paged?.lanes.pagerOf("0");
    expect(pager?.held().length).toBeLessThanOrEqual(12 * (pager?.pageSize ?? 0));
  });

  it("finds with search a record no page has read, asking Dataverse, and counts what matches", async () => {
    const { sample, requests } = mount(2000);
    const expected = stageInViewOrder(sample, 1);
    const hidden = expected[expected.length - 1];
    await waitFor(() => expect(within(lane("Develop")).queryByText("Counting…")).toBeNull());
    expect(laneBody("Develop").querySelector(`[data-card-id="${hidden.opportunityid as string}"]`)).toBeNull();
    const name = textOf(hidden.name);
    const matching = expected.filter((r) => textOf(r.name).toLowerCase().includes(name.toLowerCase()));
    fireEvent.change(screen.getByRole("searchbox"), { target: { value: name } });
    await waitFor(() => expect(laneBody("Develop").querySelector(`[data-card-id="${hidden.opportunityid as string}"]`)).not.toBeNull());
    await waitFor(() => expect(within(lane("Develop")).getByText(new RegExp(`^${matching.length} records?$`))).toBeTruthy());
    expect(requests.some((url) => url.includes('operator="like"'))).toBe(true);
    expect(screen.getByText("Totals for every record in the view that matches the filters, in base currency")).toBeTruthy();
  });

  it("moves a card read from its lane: Dataverse has the new stage, the card heads its new lane and both counts shift", async () => {
    const { sample } = mount(600);
    await waitFor(() => expect(within(lane("Develop")).queryByText("Counting…")).toBeNull());
    const [qualify, develop] = [stageInViewOrder(sample, 0).length, stageInViewOrder(sample, 1).length];
    const card = within(laneBody("Qualify")).getAllByRole("listitem")[0];
    const id = card.getAttribute("data-card-id") ?? "";
    await act(async () => {
      fireEvent.keyDown(card, { key: "ArrowRight", altKey: true });
      await Promise.resolve();
    });
    await waitFor(() => expect(sample.store.get("opportunity", id)?.salesstage).toBe(1));
    await waitFor(() => expect(screen.getByRole("status")).toHaveTextContent("saved in Develop"));
    expect(within(laneBody("Develop")).getAllByRole("listitem")[0].getAttribute("data-card-id")).toBe(id);
    expect(laneBody("Qualify").querySelector(`[data-card-id="${id}"]`)).toBeNull();
    expect(within(lane("Qualify")).getByText(`${qualify - 1} records`)).toBeTruthy();
    expect(within(lane("Develop")).getByText(`${develop + 1} records`)).toBeTruthy();
  });

  it("takes the keyboard to a lane's last record with End, reading it first when no page holds it", async () => {
    const { sample } = mount(2000);
    const expected = stageInViewOrder(sample, 0);
    await waitFor(() => expect(within(lane("Qualify")).queryByText("Counting…")).toBeNull());
    const first = await waitFor(() => within(laneBody("Qualify")).getAllByRole("listitem")[0]);
    act(() => {
      first.focus();
      fireEvent.keyDown(first, { key: "End" });
    });
    const last = expected[expected.length - 1].opportunityid as string;
    await waitFor(() => expect(document.activeElement?.getAttribute("data-card-id")).toBe(last));
  });

  it("reads its lanes again when the host loads the view again (Refresh), showing what changed elsewhere", async () => {
    const { sample, dataset } = mount(600);
    await waitFor(() => expect(within(lane("Qualify")).queryByText("Counting…")).toBeNull());
    const [qualify, develop] = [stageInViewOrder(sample, 0), stageInViewOrder(sample, 1)];
    sample.store.update("opportunity", qualify[0].opportunityid as string, { salesstage: 1 });
    act(() => dataset.refresh());
    await waitFor(() => expect(within(lane("Develop")).getByText(`${develop.length + 1} records`)).toBeTruthy());
    expect(within(lane("Qualify")).getByText(`${qualify.length - 1} records`)).toBeTruthy();
  });
});

