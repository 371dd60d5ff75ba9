/**
 * PipelineBoard's production bundle in the workbench with `lanes=stages`: lanes are the Opportunity Sales Process's
 * stages, a move writes the process instance, and a required step left empty refuses a forward move.
 */
import type { Locator, Page } from "playwright-core";
import { OPPORTUNITY_SALES_PROCESS } from "../../tools/dataverse/businessProcessFlows";
import { accessibilityViolations, axeViolations } from "./a11y";
import { eventually, query, ready, useSession } from "./harness";

const session = useSession();

const [QUALIFY, DEVELOP] = OPPORTUNITY_SALES_PROCESS.stages.map((s) => s.id);

interface Instance {
  "@odata.etag": string;
  _activestageid_value: string;
  traversedpath: string;
}

interface Opportunity {
  name: string;
  _parentaccountid_value: string | null;
}

async function board(lang: "en" | "zh-CN", firstLane: string): Promise<Page> {
  const page = await session().open(`/?screen=opportunities&lang=${lang}&size=200&lanes=stages`);
  await ready(page);
  await lane(page, firstLane).locator("[role=listitem]").first().waitFor();
  return page;
}

const lane = (page: Page, name: string): Locator => page.locator(`#pipeline-board section[aria-label="${name}"]`);

const laneNames = (page: Page): Promise<(string | null)[]> =>
  page.locator("#pipeline-board section[aria-label]").evaluateAll((sections) => sections.map((s) => s.getAttribute("aria-label")));

async function instancesOf(page: Page, opportunityId: string): Promise<Instance[]> {
  return query<Instance>(page, `opportunitysalesprocesses?$select=_activestageid_value,traversedpath&$filter=_opportunityid_value eq ${opportunityId}`);
}

async function stageAndPath(page: Page, opportunityId: string): Promise<{ stage: string; path: string }> {
  const [instance] = await instancesOf(page, opportunityId);
  return { stage: instance._activestageid_value, path: instance.traversedpath };
}

async function firstCard(page: Page, laneName: string): Promise<{ card: Locator; id: string }> {
  const card = lane(page, laneName).locator("[role=listitem]").first();
  const id = (await card.getAttribute("data-card-id")) ?? "";
  expect(id).toMatch(/^[0-9a-f-]{36}$/);
  return { card, id };
}

/** Writes an opportunity through the page's own Web API, as a form saving it would. */
async function patchOpportunity(page: Page, id: string, body: Record<string, unknown>): Promise<void> {
  await page.evaluate(
    async ({ url, json }) => {
      const response = await fetch(url, { method: "PATCH", headers: { "Content-Type": "application/json", "If-Match": "*" }, body: json });
      if (!response.ok) throw new Error(`${url}: HTTP ${response.status} ${await response.text()}`);
    },
    { url: `/api/data/v9.2/opportunities(${id})`, json: JSON.stringify(body) },
  );
}

/**
 * Sets the Qualify stage's required steps: the account (kept when there is one) and the purchase timeframe, so that
 * the purchase timeframe alone decides whether the move out of Qualify is allowed.
 */
async function setQualifySteps(page: Page, id: string, purchasetimeframe: number | null): Promise<string> {
  const [opportunity] = await query<Opportunity>(page, `opportunities?$select=name,_parentaccountid_value&$filter=opportunityid eq ${id}`);
  const [account] = opportunity._parentaccountid_value === null ? await query<{ accountid: string }>(page, "accounts?$select=accountid&$top=1") : [];
  await patchOpportunity(page, id, { purchasetimeframe, ...(account !== undefined && { "parentaccountid@odata.bind": `/accounts(${account.accountid})` }) });
  return opportunity.name;
}

describe("PipelineBoard on the Opportunity Sales Process in the workbench (lanes=stages)", () => {
  it("shows the process stages as lanes and the opportunities without the process in a last lane", async () => {
    const page = await board("en", "Qualify");
    expect(await laneNames(page)).toEqual(["Qualify", "Develop", "Propose", "Close", "(not in Opportunity Sales Process)"]);
    const { id: inDevelop } = await firstCard(page, "Develop");
    expect((await stageAndPath(page, inDevelop)).stage).toBe(DEVELOP);
    const { id: withoutProcess } = await firstCard(page, "(not in Opportunity Sales Process)");
    expect(await instancesOf(page, withoutProcess)).toEqual([]);
    expect(await page.locator("#wb-lanes").inputValue()).toBe("stages");
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
  });

  it("switches the default board to stage lanes from the Board lanes switch, keeping the other settings in the link", async () => {
    const page = await session().open("/?screen=opportunities&lang=en&size=200");
    await ready(page);
    await lane(page, "Qualify").locator("[role=listitem]").first().waitFor();
    await Promise.all([page.waitForURL(/[?&]lanes=stages(&|$)/), page.locator("#wb-lanes").selectOption("stages")]);
    await ready(page);
    await lane(page, "(not in Opportunity Sales Process)").locator("[role=listitem]").first().waitFor();
    expect(new URL(page.url()).search).toBe("?lang=en&size=200&screen=opportunities&lanes=stages");
  });

  it("shows the stage lanes in Chinese with the stage names Dataverse gives in Chinese", async () => {
    const page = await board("zh-CN", "资格审查");
    expect(await laneNames(page)).toEqual(["资格审查", "开发", "建议", "成交", "（未进入商机销售流程）"]);
    expect(await page.locator('label[for="wb-lanes"]').textContent()).toBe("看板泳道");
  });

  it("moves a card whose required steps are filled with the keyboard (Alt+Right): the instance gets the next stage and the longer traversed path", async () => {
    const page = await board("en", "Qualify");
    const { card, id } = await firstCard(page, "Qualify");
    expect(await stageAndPath(page, id)).toEqual({ stage: QUALIFY, path: QUALIFY });
    await setQualifySteps(page, id, 1);
    await card.focus();
    await page.keyboard.press("Alt+ArrowRight");
    await lane(page, "Develop").locator(`[data-card-id="${id}"]`).waitFor();
    await eventually(() => stageAndPath(page, id), { stage: DEVELOP, path: `${QUALIFY},${DEVELOP}` });
  });

  it("refuses a forward move while a required step is empty, names the step, and writes nothing", async () => {
    const page = await board("en", "Qualify");
    const { card, id } = await firstCard(page, "Qualify");
    const name = await setQualifySteps(page, id, null);
    const [before] = await instancesOf(page, id);
    await card.focus();
    await page.keyboard.press("Alt+ArrowRight");
    await page
      .locator(".ms-MessageBar")
      .getByText(`${name} could not be moved: Fill in the required steps first: Purchase Timeframe in Qualify. It is back in Qualify.`)
      .waitFor();
    await lane(page, "Qualify").locator(`[data-card-id="${id}"]`).waitFor();
    expect(await instancesOf(page, id)).toEqual([before]);
  });
});
