/** @jest-environment jsdom */
/**
 * Issue 16's yardstick: the board over 100,000 open opportunities in the in-memory Dataverse. Dataverse refuses the
 * whole view's aggregate (more than 50,000 rows), so each lane is counted on its own; every count and total equals the
 * store's, the biggest lane's last record is reached by scrolling with a bounded number of cards in memory, and search
 * finds a record no page has read.
 */
import * as React from "react";
import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { registerIcons } from "@fluentui/react";
import { laneKeyOf } from "../../../../components/PipelineBoard/PipelineBoard/model/lanes";
import { CARD_HEIGHT } from "../../../../components/PipelineBoard/PipelineBoard/ui/CardView";
import { createSampleData } from "../../../../tools/dataverse/sampleData";
import type { StoredRow } from "../../../../tools/dataverse/store";
import { lane, laneBody, mountOnOpenOpportunities } from "./modelDrivenBoard";
import { stageInViewOrder } from "./viewOrder";

registerIcons({ icons: { info: <span />, clear: <span />, errorbadge: <span />, warning: <span />, search: <span />, cancel: <span /> } });

jest.setTimeout(240_000);

const STAGES = ["Qualify", "Develop", "Propose", "Close"];
const UNIQUE_NAME = "Zephyr quantum rollout";

const sample = createSampleData({ opportunities: 100_000, allOpen: true, hostile: false });
const open = [...sample.store.rows("opportunity")].filter((r) => r.statecode === 0);
const byStage = STAGES.map((_, stage) => stageInViewOrder(open, stage));
const biggest = byStage.reduce((best, rows, stage) => (rows.length > byStage[best].length ? stage : best), 0);

describe("PipelineBoard over 100,000 open opportunities", () => {
  afterEach(() => Reflect.deleteProperty(globalThis, "fetch"));

  it("counts and totals every lane as the store does, reaches the biggest lane's last record, and finds an unread record by search", async () => {
    expect(open).toHaveLength(100_000);
    const { control } = mountOnOpenOpportunities(sample);
    const lanes = () => control.boardProps().paged?.lanes;
    await waitFor(() => expect(lanes()).toBeDefined(), { timeout: 60_000 });
    await waitFor(() => expect(STAGES.every((_, stage) => lanes()?.countOf(laneKeyOf(stage)).state === "counted")).toBe(true), { timeout: 120_000 });
    for (const [stage, rows] of byStage.entries()) {
      const count = lanes()?.countOf(laneKeyOf(stage));
      const base = rows.reduce((sum, r) => sum + Number(r.estimatedvalue_base ?? 0), 0);
      expect(count?.state === "counted" && count.totals.count).toBe(rows.length);
      expect(count?.state === "counted" && Math.round(count.totals.amount)).toBe(Math.round(base));
      expect(within(lane(STAGES[stage])).getByText(`${rows.length.toLocaleString("en-US")} records`)).toBeTruthy();
    }

    const rows = byStage[biggest];
    const body = laneBody(STAGES[biggest]);
    act(() => {
      body.scrollTop = rows.length * CARD_HEIGHT;
      fireEvent.scroll(body);
    });
    const last = rows[rows.length - 1].opportunityid as string;
    await waitFor(() => expect(body.querySelector(`[data-card-id="${last}"]`)).not.toBeNull(), { timeout: 60_000 });
    const pager = lanes()?.pagerOf(laneKeyOf(biggest));
    expect(pager?.held().length).toBeLessThanOrEqual(12 * (pager?.pageSize ?? 0));
    process.stdout.write(`100k board: biggest lane ${rows.length} records; cards held after scrolling to its end: ${pager?.held().length}\n`);

    const unread: Readonly<StoredRow> = byStage[(biggest + 1) % STAGES.length][20_000];
    sample.store.update("opportunity", unread.opportunityid as string, { name: UNIQUE_NAME });
    fireEvent.change(screen.getByRole("searchbox"), { target: { value: "zephyr QUANTUM" } });
    await waitFor(() => expect(document.querySelector(`[data-card-id="${unread.opportunityid as string}"]`)).not.toBeNull(), { timeout: 60_000 });
    await waitFor(() => expect(within(lane(STAGES[(biggest + 1) % STAGES.length])).getByText("1 record")).toBeTruthy(), { timeout: 60_000 });
  });
});
