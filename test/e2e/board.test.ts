/** PipelineBoard's production bundle in the workbench: lanes, whole-view totals, moves that save, and rollbacks. */
import type { Locator, Page } from "playwright-core";
import { accessibilityViolations, axeViolations } from "./a11y";
import { eventually, query, ready, useSession } from "./harness";

const session = useSession();

interface Opportunity {
  opportunityid: string;
  salesstage: number;
  statecode: number;
}

async function board(faults = ""): Promise<Page> {
  const page = await session().open(`/?screen=opportunities&lang=en&size=200${faults ? `&faults=${faults}` : ""}`);
  await ready(page);
  await page.waitForSelector('section[aria-label="Qualify"] [role=listitem]');
  return page;
}

const lane = (page: Page, name: string): Locator => page.locator(`section[aria-label="${name}"]`);

async function stageOf(page: Page, id: string): Promise<number> {
  const [row] = await query<Opportunity>(page, `opportunities?$select=salesstage&$filter=opportunityid eq ${id}`);
  return row.salesstage;
}

async function firstCard(page: Page, laneName: string): Promise<{ card: Locator; id: string }> {
  const card = lane(page, laneName).locator("[role=listitem]").first();
  const id = (await card.getAttribute("data-card-id")) ?? "";
  expect(id).toMatch(/^[0-9a-f-]{36}$/);
  return { card, id };
}

describe("PipelineBoard in the workbench", () => {
  it("shows the four sales stages as lanes with totals for the whole view, counting every open opportunity", async () => {
    const page = await board();
    const lanes = await page.locator("section[aria-label]").evaluateAll((sections) => sections.map((s) => s.getAttribute("aria-label")));
    expect(lanes.slice(0, 4)).toEqual(["Qualify", "Develop", "Propose", "Close"]);
    await page.getByText("Totals for the whole view, in base currency").waitFor();
    const open = await query<Opportunity>(page, "opportunities?$select=opportunityid&$filter=statecode eq 0");
    // Lanes are virtualised: count what each lane header says it holds, not the cards in the DOM.
    const counts = await page.locator("section[aria-label]").evaluateAll((sections) => sections.map((s) => Number(/(\d[\d,]*) records?/.exec(s.textContent ?? "")?.[1]?.replace(/,/g, "") ?? 0)));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(open.length);
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
  });

  it("moves a card with the keyboard (Alt+Right) and Dataverse has the new stage", async () => {
    const page = await board();
    const { card, id } = await firstCard(page, "Qualify");
    await card.focus();
    await page.keyboard.press("Alt+ArrowRight");
    await page.waitForFunction((cardId) => document.querySelector(`section[aria-label="Develop"] [data-card-id="${cardId}"]`) !== null, id);
    await eventually(() => stageOf(page, id), 1);
    await page.getByText(/saved in Develop/).first().waitFor({ state: "attached" });
  });

  it("moves a card by dragging it with the mouse to another lane and Dataverse has the new stage", async () => {
    const page = await board();
    const { card, id } = await firstCard(page, "Develop");
    await card.dragTo(lane(page, "Propose"));
    await eventually(() => stageOf(page, id), 2);
    await page.locator(`section[aria-label="Propose"] [data-card-id="${id}"]`).waitFor();
  });

  // The board repeats each message in a visually hidden live region for screen readers; the tests read the message bar.
  it("rolls a move back with a message when someone else changed the deal (412), losing nothing", async () => {
    const page = await board("412");
    const before = await page.locator("[role=listitem][data-card-id]").count();
    const { card, id } = await firstCard(page, "Qualify");
    await card.focus();
    await page.keyboard.press("Alt+ArrowRight");
    await page.locator(".ms-MessageBar").getByText(/was changed by someone else since it was loaded, so your move was not saved/).waitFor();
    await page.locator(`section[aria-label="Qualify"] [data-card-id="${id}"]`).waitFor();
    expect(await stageOf(page, id)).toBe(0);
    expect(await page.locator("[role=listitem][data-card-id]").count()).toBe(before);
  });

  it("rolls a move back with a message when Dataverse answers 500, losing nothing", async () => {
    const page = await board("500");
    const before = await page.locator("[role=listitem][data-card-id]").count();
    const { card, id } = await firstCard(page, "Develop");
    await card.focus();
    await page.keyboard.press("Alt+ArrowLeft");
    await page.locator(".ms-MessageBar").getByText(/could not be moved: .* It is back in Develop\./).waitFor({ timeout: 30000 });
    await page.locator(`section[aria-label="Develop"] [data-card-id="${id}"]`).waitFor();
    expect(await stageOf(page, id)).toBe(1);
    expect(await page.locator("[role=listitem][data-card-id]").count()).toBe(before);
  });

  it("renders in Chinese with lanes from the metadata labels", async () => {
    const page = await session().open("/?screen=opportunities&lang=zh-CN&size=1000");
    await ready(page);
    await page.locator('section[aria-label="资格审查"] [role=listitem]').first().waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
  });
});
