import { attribute, type CpuProfile, median, table } from "../../../tools/bench/support/browser";

describe("browser benchmark support", () => {
  it("median takes the middle value of an odd count and the mean of the two middle values of an even count, whatever the order", () => {
    expect(median([9, 1, 5])).toBe(5);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it("median of no values is an error rather than NaN in a printed table", () => {
    expect(() => median([])).toThrow("median of no values");
  });

  it("table right-aligns every column to its widest cell under a separator line", () => {
    expect(table(["rows", "ms"], [["1,000", "25.4"], ["20,000", "3.0"]])).toBe(
      ["|   rows |   ms |", "|--------|------|", "|  1,000 | 25.4 |", "| 20,000 |  3.0 |"].join("\n"),
    );
  });

  it("attribute gives each sample the time until the next sample, to its own function and script", () => {
    const frame = (functionName: string, url: string) => ({ functionName, url, lineNumber: 0, columnNumber: 0 });
    const profile: CpuProfile = {
      nodes: [
        { id: 1, callFrame: frame("(root)", "") },
        { id: 2, callFrame: frame("readCards", "http://localhost/bundle.js") },
        { id: 3, callFrame: frame("", "http://localhost/react-dom.js") },
      ],
      samples: [2, 2, 3, 2],
      timeDeltas: [0, 1000, 3000, 500],
    };
    const byScript = (url: string) => (url.endsWith("bundle.js") ? "board" : url === "" ? "(native)" : "react-dom");
    const result = attribute(profile, (f) => byScript(f.url));
    // Samples 0 and 1 last 1,000 and 3,000 µs (both readCards), sample 2 lasts 500 µs, the last has no successor.
    expect(result.total).toBe(4500);
    expect(result.scripts).toEqual([
      ["board", 4000],
      ["react-dom", 500],
    ]);
    expect(result.functions[0]).toEqual(["readCards [board:1:1]", 4000]);
    expect(result.functions[1]).toEqual(["(anonymous) [react-dom:1:1]", 500]);
  });
});
