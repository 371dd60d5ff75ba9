import { halfWidthPunctuation } from "../chinesePunctuation";
import { readResx } from "./strings";
import { DATAVERSE_ERROR_MESSAGE_KEYS } from "../../../components/common/src";

describe("CustomerContextPanel resx", () => {
  const en = readResx(1033);
  const zh = readResx(2052);

  it("has the same keys in English and Simplified Chinese, none empty", () => {
    expect([...zh.keys()].sort()).toEqual([...en.keys()].sort());
    for (const [key, value] of [...en, ...zh]) expect({ key, empty: value.trim() === "" }).toEqual({ key, empty: false });
  });

  it("has a message for every Dataverse error kind", () => {
    for (const key of Object.values(DATAVERSE_ERROR_MESSAGE_KEYS)) expect(en.has(key) && zh.has(key)).toBe(true);
  });

  it("writes Chinese punctuation full-width", () => {
    expect(halfWidthPunctuation(zh)).toEqual([]);
  });

  it("keeps the same placeholders in both languages", () => {
    const placeholders = (s: string) => (s.match(/\{\d\}/g) ?? []).sort().join();
    for (const [key, value] of en) expect({ key, p: placeholders(zh.get(key) ?? "") }).toEqual({ key, p: placeholders(value) });
  });
});
