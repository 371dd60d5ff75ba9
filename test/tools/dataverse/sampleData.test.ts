import { createSampleData, DEFAULT_TODAY, HOSTILE_TEXT } from "../../../tools/dataverse/sampleData";
import type { DataverseStore } from "../../../tools/dataverse/store";
import { InMemoryWebApi } from "../../../tools/dataverse/webApiHandler";

/** Seed 42's first account and opportunity, as generated before the relationship type existed. */
const FIRST_ACCOUNT_NAME = "Wingtip Partners (Dublin)";
const FIRST_OPPORTUNITY_NAME = "374 training package";

const snapshot = (store: DataverseStore) => JSON.stringify(store.metadata.tables().map((t) => [...store.rows(t.logicalName)]));
const opportunities = (store: DataverseStore) => [...store.rows("opportunity")];

describe("sample data", () => {
  it("is identical for the same seed and size", () => {
    expect(snapshot(createSampleData({ seed: 9, opportunities: 300 }).store)).toBe(snapshot(createSampleData({ seed: 9, opportunities: 300 }).store));
  });

  it("differs for a different seed", () => {
    expect(snapshot(createSampleData({ seed: 9, opportunities: 50 }).store)).not.toBe(snapshot(createSampleData({ seed: 10, opportunities: 50 }).store));
  });

  it("makes the requested number of opportunities plus the hostile ones", () => {
    const data = createSampleData({ opportunities: 500 });
    expect(data.opportunities).toHaveLength(500);
    expect(data.store.count("opportunity")).toBe(500 + 2);
  });

  it("covers every sales stage, every state and two currencies", () => {
    const rows = opportunities(createSampleData({ opportunities: 400 }).store);
    expect(new Set(rows.map((r) => r.salesstage))).toEqual(new Set([0, 1, 2, 3, null]));
    expect(new Set(rows.map((r) => r.statecode))).toEqual(new Set([0, 1, 2]));
    expect(new Set(rows.map((r) => r.exchangerate))).toEqual(new Set([1, 7.1]));
  });

  it("makes every opportunity open with allOpen, in every sales stage", () => {
    const rows = opportunities(createSampleData({ opportunities: 400, allOpen: true }).store);
    expect(rows).toHaveLength(402);
    expect(new Set(rows.map((r) => r.statecode))).toEqual(new Set([0]));
    expect(new Set(rows.map((r) => r.salesstage))).toEqual(new Set([0, 1, 2, 3, null]));
  });

  it("has open opportunities past their close date", () => {
    const overdue = opportunities(createSampleData({ opportunities: 200 }).store).filter(
      (r) => r.statecode === 0 && typeof r.estimatedclosedate === "string" && r.estimatedclosedate < DEFAULT_TODAY,
    );
    expect(overdue.length).toBeGreaterThan(0);
  });

  it("gives every user but the top one a manager", () => {
    const users = [...createSampleData({ opportunities: 100 }).store.rows("systemuser")];
    expect(users.filter((u) => u.parentsystemuserid === null)).toHaveLength(1);
  });

  it("creates every activity type, cases and Teams links of each kind", () => {
    const { store } = createSampleData({ opportunities: 100 });
    for (const table of ["task", "phonecall", "email", "appointment", "incident", "annotation"]) expect(store.count(table)).toBeGreaterThan(0);
    expect(new Set([...store.rows("tcc_teamslink")].map((r) => r.tcc_kind))).toEqual(new Set([615300000, 615300001, 615300002]));
  });

  it("writes Chinese names and Chinese full-name order for language 2052", () => {
    const { store } = createSampleData({ opportunities: 20, language: 2052 });
    const [contact] = [...store.rows("contact")];
    const [account] = [...store.rows("account")];
    expect(contact.fullname).toBe(`${contact.lastname as string}${contact.firstname as string}`);
    expect(account.name as string).toMatch(/[\u4e00-\u9fff]/);
  });

  it("includes hostile rows that survive a round trip through the Web API unchanged", async () => {
    const data = createSampleData({ opportunities: 10 });
    const api = new InMemoryWebApi({ store: data.store });
    const response = await api.handle({ method: "GET", url: `/api/data/v9.2/accounts(${data.hostile.scriptAccount})?$select=name` });
    expect((JSON.parse(response.body) as { name: string }).name).toBe(HOSTILE_TEXT.script);
    expect(data.store.get("annotation", data.hostile.longNote)?.notetext).toHaveLength(4000);
    expect(data.store.get("account", data.hostile.emptyAccount)?.name).toBeNull();
  });

  it("gives generated accounts a relationship type, mostly customers and prospects", () => {
    const data = createSampleData({ opportunities: 200, hostile: false });
    const types = [...data.store.rows("account")].map((r) => r.customertypecode);
    expect(types.every((t) => typeof t === "number")).toBe(true);
    expect(types.filter((t) => t === 3 || t === 8).length).toBeGreaterThan(types.length / 3);
    expect(new Set(types).size).toBeGreaterThan(3);
  });

  it("generates the same names for the same seed", () => {
    const { store } = createSampleData({ seed: 42, opportunities: 50 });
    const [firstAccount] = [...store.rows("account")];
    const [firstOpportunity] = [...store.rows("opportunity")];
    expect(firstAccount.name).toBe(FIRST_ACCOUNT_NAME);
    expect(firstOpportunity.name).toBe(FIRST_OPPORTUNITY_NAME);
  });

  it("leaves hostile rows out when asked", () => {
    expect(createSampleData({ opportunities: 10, hostile: false }).hostile).toEqual({});
  });
});
