import { languageOf, pluralCategory, pluralKey, pluralTranslator, type TranslateFn } from "../../../components/common/src/localisation";

const strings: Record<string, string> = {
  Days_one: "{0} day old",
  Days_other: "{0} days old",
  Retry_one: "saving {1} again in {0} second",
  Retry_other: "saving {1} again in {0} seconds",
  ZhDays_other: "已创建 {0} 天",
};
const t: TranslateFn = (key, ...args) => args.reduce<string>((s, a, i) => s.split(`{${i}}`).join(String(a)), strings[key] ?? `missing ${key}`);

describe("plural forms", () => {
  it("uses English's one and other forms", () => {
    const en = pluralTranslator(t, 1033, "en-US");
    expect(en("Days", 1)).toBe("1 day old");
    expect(en("Days", 0)).toBe("0 days old");
    expect(en("Days", 2)).toBe("2 days old");
    expect(en("Days", 1.5)).toBe("1.5 days old");
    expect(en("Days", 1234)).toBe("1,234 days old");
    expect(en("Retry", 1, "Contoso deal")).toBe("saving Contoso deal again in 1 second");
    expect(en("Retry", 30, "Contoso deal")).toBe("saving Contoso deal again in 30 seconds");
  });

  it("uses Chinese's single form for every count, 1 included", () => {
    expect([0, 1, 2, 21].map((n) => pluralCategory(n, 2052))).toEqual(["other", "other", "other", "other"]);
    const zh = pluralTranslator((key, ...args) => t(key.replace(/^Days/, "ZhDays"), ...args), 2052, "zh-CN");
    expect(zh("Days", 1)).toBe("已创建 1 天");
    expect(zh("Days", 12000)).toBe("已创建 12,000 天");
  });

  it("names the key by category, falling back to other when the resources lack a category", () => {
    expect(pluralKey("Case_Age", 1, 1033)).toBe("Case_Age_one");
    expect(pluralKey("Case_Age", 7, 1033)).toBe("Case_Age_other");
    expect(pluralKey("Case_Age", 1, 2052)).toBe("Case_Age_other");
    expect(pluralKey("Case_Age", 1, 1033, () => false)).toBe("Case_Age_other");
  });

  it("maps user languages as before", () => {
    expect(languageOf(2052)).toBe(2052);
    expect(languageOf(1028)).toBe(1033);
  });
});
