/** The flows panel runs the solution's flows against the page's Dataverse and the Graph stand-in. */
import { accessibilityViolations, axeViolations } from "./a11y";
import { query, ready, useSession } from "./harness";

const session = useSession();

describe("flows panel", () => {
  it("runs customer onboarding for a won deal: the run tree shows the team created and the Teams link is in Dataverse", async () => {
    const page = await session().open("/?screen=flows&lang=en");
    await ready(page);
    const before = await query<{ tcc_teamslinkid: string }>(page, "tcc_teamslinks?$select=tcc_teamslinkid");
    await page.locator("#flow-Customeronboarding-run").click();
    const run = page.locator('article[data-flow="Customeronboarding"]');
    await run.waitFor({ timeout: 30000 });
    expect(await run.locator("h3").innerText()).toMatch(/Succeeded$/);
    expect(await run.locator('[role=tree] [data-status="Failed"]').count()).toBe(0);
    const after = await query<{ tcc_teamslinkid: string }>(page, "tcc_teamslinks?$select=tcc_teamslinkid");
    expect(after.length).toBe(before.length + 1);
    expect(await run.locator('[data-action="Create_team"]').getAttribute("data-status")).toBe("Succeeded");
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
    expect(session().errors).toEqual([]);
  });
});
