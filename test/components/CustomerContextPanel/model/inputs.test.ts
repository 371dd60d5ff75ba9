import {
  effectiveLayout,
  fetchKey,
  parseColleagues,
  parseSections,
  sameFetch,
} from "../../../../components/CustomerContextPanel/CustomerContextPanel/model/inputs";

describe("parseSections", () => {
  it("keeps the card's order whatever order the maker wrote, accepting commas, semicolons and spaces", () => {
    expect(parseSections("teams; Facts ,cases")).toEqual({ sections: ["facts", "cases", "teams"], unknown: [] });
  });
  it("shows every section when the input is empty or names no section, and reports unknown words", () => {
    expect(parseSections("").sections).toHaveLength(6);
    expect(parseSections(null).sections).toHaveLength(6);
    expect(parseSections("notes, 客户").unknown).toEqual(["notes", "客户"]);
    expect(parseSections("notes").sections).toHaveLength(6);
  });
});

describe("parseColleagues", () => {
  it("splits principal names on commas, semicolons and line breaks, trims and drops duplicates", () => {
    expect(parseColleagues(" ada@contoso.com;bob@contoso.com,\nADA@contoso.com ;; ")).toEqual({ upns: ["ada@contoso.com", "bob@contoso.com"], invalid: [] });
  });
  it("reports entries that are not principal names instead of sending them to Teams", () => {
    expect(parseColleagues("ada@contoso.com, Bob Smith, <script>@x")).toEqual({ upns: ["ada@contoso.com"], invalid: ["Bob Smith", "<script>@x"] });
  });
  it("accepts nothing as no colleagues", () => {
    expect(parseColleagues(undefined)).toEqual({ upns: [], invalid: [] });
  });
});

describe("effectiveLayout", () => {
  it("uses the maker's choice on wide columns and compact at 320 px or less", () => {
    expect(effectiveLayout("full", 800)).toBe("full");
    expect(effectiveLayout("compact", 800)).toBe("compact");
    expect(effectiveLayout("full", 320)).toBe("compact");
    expect(effectiveLayout("full", -1)).toBe("full");
    expect(effectiveLayout(null, 0)).toBe("full");
  });
});

describe("fetchKey and sameFetch", () => {
  const base = { table: "account", id: "{AAAAAAAA-0000-4000-8000-000000000001}", recentActivityCount: 10, readable: ["opportunity", "incident"] as const, language: 1033, revision: 0 };

  it("treats the same record, count, privileges, language and revision as no change, in any id spelling", () => {
    const a = fetchKey({ ...base, readable: [...base.readable] });
    const b = fetchKey({ ...base, id: "aaaaaaaa-0000-4000-8000-000000000001", readable: ["incident", "opportunity"] });
    expect(sameFetch(a, b)).toBe(true);
  });

  it("sees a change of record, count, language, privileges or a refresh", () => {
    const a = fetchKey({ ...base, readable: [...base.readable] });
    for (const change of [
      { id: "aaaaaaaa-0000-4000-8000-000000000002" },
      { recentActivityCount: 11 },
      { language: 2052 },
      { readable: ["opportunity" as const] },
      { revision: 1 },
      { table: "contact" },
    ]) {
      expect(sameFetch(a, fetchKey({ ...base, readable: [...base.readable], ...change }))).toBe(false);
    }
  });

  it("has no previous fetch on the first view", () => {
    expect(sameFetch(undefined, fetchKey({ ...base, readable: [] }))).toBe(false);
  });

  it("knows no record on a new form or an unsupported table", () => {
    expect(fetchKey({ ...base, id: "", readable: [] }).id).toBeUndefined();
    expect(fetchKey({ ...base, table: "lead", readable: [] }).table).toBeUndefined();
  });
});
