import { fillPlaceholders, PLURAL_KEYS, STRING_KEYS } from "../../../../components/PipelineBoard/PipelineBoard/strings";
import { halfWidthPunctuation } from "../../chinesePunctuation";
import { readResx, resxTranslate } from "./resx";

const placeholders = (text: string): string[] => [...new Set(text.match(/\{\d+\}/g) ?? [])].sort();

describe("PipelineBoard strings", () => {
  const en = readResx(1033);
  const zh = readResx(2052);

  it("defines the same keys in English and Simplified Chinese", () => {
    expect([...zh.keys()].sort()).toEqual([...en.keys()].sort());
  });

  it.each(STRING_KEYS)("defines %s in both languages with the same placeholders", (key) => {
    const english = en.get(key);
    const chinese = zh.get(key);
    expect(english).toBeTruthy();
    expect(chinese).toBeTruthy();
    expect(placeholders(chinese ?? "")).toEqual(placeholders(english ?? ""));
  });

  it("writes Chinese punctuation full-width", () => {
    expect(halfWidthPunctuation(zh)).toEqual([]);
    expect(halfWidthPunctuation(new Map([["Sample", "视图记录过多,无法汇总。"]]))).toEqual(["Sample: 视图记录过多,无法汇总。"]);
  });

  it.each(PLURAL_KEYS)("defines %s_one and %s_other in both languages, the count as {0}", (key) => {
    for (const strings of [en, zh]) {
      expect(strings.get(`${key}_one`)).toContain("{0}");
      expect(strings.get(`${key}_other`)).toContain("{0}");
    }
  });

  it("picks plural forms with Intl.PluralRules and formats the count for the language", () => {
    const english = resxTranslate(1033);
    const chinese = resxTranslate(2052);
    expect(english("Lane_Count", 1)).toBe("1 record");
    expect(english("Lane_Count", 0)).toBe("0 records");
    expect(english("Lane_Count", 20000)).toBe("20,000 records");
    expect(chinese("Lane_Count", 1)).toBe("1 条记录");
    expect(chinese("Lane_Count", 20000)).toBe("20,000 条记录");
    expect(english("Move_Announce_Retrying", 1, "Deal A")).toBe("Dataverse is busy; saving Deal A again in 1 second.");
    expect(chinese("Move_Announce_Retrying", 3, "交易 A")).toBe("Dataverse 繁忙；将在 3 秒后重新保存交易 A。");
  });

  it("fills numbered placeholders and leaves missing ones visible", () => {
    expect(fillPlaceholders("Moved {0} from {1} to {2}", ["Deal", "Qualify"])).toBe("Moved Deal from Qualify to {2}");
  });
});
