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

  it("shows the customer team it made in Teams form: channels, the pinned tab and the welcome message", async () => {
    const page = await session().open("/?screen=flows&lang=en");
    await ready(page);
    await page.locator("#flow-Customeronboarding-record").selectOption({ index: 1 });
    await page.locator("#flow-Customeronboarding-run").click();
    const team = page.locator('article[data-flow="Customeronboarding"] [data-made="team"]');
    await team.waitFor({ timeout: 30000 });
    const channels = await team.locator('[data-made="channels"] li').allInnerTexts();
    expect(channels).toEqual(expect.arrayContaining(["General", "Sales", "Service", "Projects"]));
    expect(await team.locator('[data-tab="pinned"]').count()).toBeGreaterThan(0);
    expect(await team.locator(".wb-message").count()).toBeGreaterThan(0);
    expect(session().errors).toEqual([]);
  });

  it.each([
    ["en", "Deal escalation · 商机升级", "Open in Dynamics 365"],
    ["zh-CN", "Deal escalation · 商机升级", "在 Dynamics 365 中打开"],
  ])("in %s, shows the deal room with its members and the deal card drawn by the Adaptive Cards renderer, with the deal's name", async (language, heading, action) => {
    const page = await session().open(`/?screen=flows&lang=${language}`);
    await ready(page);
    const picker = page.locator("#flow-Dealescalation-record");
    const label = await picker.locator("option").first().innerText();
    const dealName = label.replace(/ \([\d.]*\)$/, "");
    await page.locator("#flow-Dealescalation-run").click();
    const chat = page.locator('article[data-flow="Dealescalation"] [data-made="chat"]');
    await page.locator('article[data-flow="Dealescalation"]').waitFor({ timeout: 30000 });
    if ((await chat.count()) === 0) throw new Error(`no deal room: ${await page.locator('article[data-flow="Dealescalation"]').innerText()}`);
    expect(await chat.locator(".wb-members li").count()).toBeGreaterThan(1);
    const card = chat.locator('[data-card="adaptive"] .ac-adaptiveCard');
    await card.waitFor();
    const text = await card.innerText();
    expect(text).toContain(heading);
    expect(text).toContain(dealName);
    expect(text).toContain(action);
    // CRM text is escaped by the flow and drawn literally: no link but the card's own action, no backslashes shown.
    expect(await card.locator("a").count()).toBe(0);
    expect(text).not.toContain("\\");
    expect(await chat.locator(".wb-message").count()).toBeGreaterThan(1);
    expect(await axeViolations(page)).toEqual([]);
    expect(session().errors).toEqual([]);
  });

  it("a deal below the escalation threshold: the run does nothing and says why, in both languages", async () => {
    for (const [language, why] of [["en", /below the escalation threshold of 100,000/], ["zh-CN", /低于升级阈值 100,000/]] as const) {
      const page = await session().open(`/?screen=flows&lang=${language}`);
      await ready(page);
      const picker = page.locator("#flow-Dealescalation-record");
      const values = await picker.locator("option").evaluateAll((options) => options.map((o) => ({ value: (o as HTMLOptionElement).value, text: o.textContent ?? "" })));
      const small = values.find((o) => Number(/\(([\d.]+)\)$/.exec(o.text)?.[1] ?? "0") < 100000);
      if (small === undefined) throw new Error("the escalation picker offers no deal below the threshold");
      await picker.selectOption(small.value);
      await page.locator("#flow-Dealescalation-run").click();
      const run = page.locator('article[data-flow="Dealescalation"]');
      await run.waitFor({ timeout: 30000 });
      expect(await run.locator("h3").innerText()).toMatch(/Succeeded$/);
      const reason = run.locator('[data-why="belowThreshold"]');
      expect(await reason.innerText()).toMatch(why);
      expect(await run.locator('[data-made="chat"]').count()).toBe(0);
    }
    expect(session().errors).toEqual([]);
  });
});
