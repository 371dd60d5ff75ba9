import * as fs from "fs";
import * as path from "path";
import { parseTemplate, templateStrings, type JsonValue } from "../../../tools/flow/expressions";

const dir = path.resolve(__dirname, "../../../../shared/oracles/flows");
const files = fs.readdirSync(dir).filter((f) => f.endsWith(".json"));

describe("expressions in real exported flows", () => {
  it("finds the three exported flows", () => {
    expect(files).toHaveLength(3);
  });

  describe.each(files)("%s", (file) => {
    const flow = JSON.parse(fs.readFileSync(path.join(dir, file), "utf8")) as JsonValue;
    const strings = templateStrings(flow);

    it("has expressions to parse", () => {
      expect(strings.filter((s) => s.startsWith("@") || s.includes("@{")).length).toBeGreaterThan(5);
    });

    it.each(strings.map((s) => [s.length > 80 ? `${s.slice(0, 80)}…` : s, s]))("parses %s", (_, s) => {
      expect(() => parseTemplate(s)).not.toThrow();
    });
  });
});
