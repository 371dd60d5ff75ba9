import { fillPlaceholders, STRING_KEYS } from "../../../../components/PipelineBoard/PipelineBoard/strings";
import { halfWidthPunctuation } from "../../chinesePunctuation";
import { readResx } from "./resx";

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

  it("fills numbered placeholders and leaves missing ones visible", () => {
    expect(fillPlaceholders("Moved {0} from {1} to {2}", ["Deal", "Qualify"])).toBe("Moved Deal from Qualify to {2}");
  });
});
