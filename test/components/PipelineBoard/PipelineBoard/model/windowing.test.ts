import { scrollToShow, visibleRange } from "../../../../../components/PipelineBoard/PipelineBoard/model/windowing";
import { localeOf, totalFormatter } from "../../../../../components/PipelineBoard/PipelineBoard/model/format";

describe("visibleRange", () => {
  it("renders the cards in view, and a few either side once scrolled", () => {
    expect(visibleRange(0, 400, 100, 20_000, 2)).toEqual({ start: 0, end: 4 });
    expect(visibleRange(0, 450, 100, 20_000, 2)).toEqual({ start: 0, end: 5 });
    expect(visibleRange(1_000_000, 400, 100, 20_000, 2)).toEqual({ start: 9998, end: 10006 });
    expect(visibleRange(1_000_050, 400, 100, 20_000, 2)).toEqual({ start: 9998, end: 10007 });
  });

  it("renders the same number of cards for 200 and 20,000", () => {
    const small = visibleRange(500, 600, 120, 200);
    const large = visibleRange(500, 600, 120, 20_000);
    expect(large.end - large.start).toBe(small.end - small.start);
  });

  it("stays inside the list when scrolled past its end or when empty", () => {
    expect(visibleRange(99_999, 400, 100, 5, 1)).toEqual({ start: 3, end: 5 });
    expect(visibleRange(0, 400, 100, 0)).toEqual({ start: 0, end: 0 });
  });
});

describe("scrollToShow", () => {
  it("scrolls the least needed to show an item", () => {
    expect(scrollToShow(10, 0, 300, 100)).toBe(800);
    expect(scrollToShow(1, 500, 300, 100)).toBe(100);
    expect(scrollToShow(6, 500, 300, 100)).toBe(500);
  });
});

describe("totals formatting", () => {
  it("formats totals in the user's locale, in whole units", () => {
    expect(totalFormatter(localeOf(1033))(1234567.8)).toBe("1,234,568");
    expect(localeOf(2052)).toBe("zh-CN");
  });
});
