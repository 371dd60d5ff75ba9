/**
 * PipelineBoard's lanes reading their own cards in the workbench's model-driven app, in Chromium: at 20,000
 * opportunities a lane scrolls to its last record with a DOM that does not grow, and search reaches a record no page
 * has read.
 */
import type { Page } from "playwright-core";
import { query, ready, useSession } from "./harness";

const session = useSession();

interface Opportunity {
  opportunityid: string;
  name: string;
}

async function board(): Promise<Page> {
  const page = await session().open("/?screen=opportunities&lang=en&size=20000");
  await ready(page);
  await page.waitForSelector('section[aria-label="Develop"] [role=listitem][data-card-id]', { timeout: 30000 });
  await page.waitForFunction(() => !document.body.textContent?.includes("Counting…"), undefined, { timeout: 30000 });
  return page;
}

/** The open deals of a stage in the view's order (close date, then id), last first. */
function lastOfStage(page: Page, stage: number, skip = 0): Promise<Opportunity[]> {
  return query<Opportunity>(
    page,
    `opportunities?$select=opportunityid,name&$filter=statecode eq 0 and salesstage eq ${stage}&$orderby=estimatedclosedate desc,opportunityid desc&$top=${skip + 1}`,
  );
}

describe("PipelineBoard lanes at 20,000 opportunities", () => {
  it("scrolls a lane to its last record, reading only the pages on screen", async () => {
    const page = await board();
    const [last] = await lastOfStage(page, 1);
    const nodesBefore = await page.locator("[role=region] *").count();
    await page.locator('section[aria-label="Develop"] [role=list]').evaluate((list) => {
      list.scrollTop = list.scrollHeight;
    });
    await page.locator(`section[aria-label="Develop"] [data-card-id="${last.opportunityid}"]`).waitFor({ timeout: 30000 });
    const nodesAfter = await page.locator("[role=region] *").count();
    expect(nodesAfter).toBeLessThan(nodesBefore * 1.25);
  });

  it("finds by search a deal no page has read and shows the lane's count of matches", async () => {
    const page = await board();
    const deep = (await lastOfStage(page, 2, 2000))[2000];
    expect(await page.locator(`[data-card-id="${deep.opportunityid}"]`).count()).toBe(0);
    await page.getByRole("searchbox").fill(deep.name);
    await page.locator(`section[aria-label="Propose"] [data-card-id="${deep.opportunityid}"]`).waitFor({ timeout: 30000 });
    await page.getByText("Totals for every record in the view that matches the filters, in base currency").waitFor();
    const matching = await query<Opportunity>(page, `opportunities?$select=opportunityid&$filter=statecode eq 0 and salesstage eq 2 and contains(name,'${deep.name.replace(/'/g, "''")}')`);
    const count = matching.length;
    await page.locator('section[aria-label="Propose"]').getByText(count === 1 ? "1 record" : `${count.toLocaleString("en-US")} records`, { exact: true }).waitFor();
  });
});
