import { judgePcfOutput } from "../../../tools/build/pcfBuild";

const succeeded = "[10:19:36 AM] [rebuild] Initializing...\n[10:19:47 AM] [rebuild] Succeeded\n";

test("a pcf-scripts run that ends Succeeded with exit code 0 is a success", () => {
  expect(judgePcfOutput(0, succeeded)).toBe(true);
});

test("a pcf-scripts run that prints Failed is a failure although it exits 0", () => {
  expect(judgePcfOutput(0, "[pcf-1065] [Error] ESLint validation error\n[10:19:40 AM] [rebuild] Failed:\n")).toBe(false);
});

test("a pcf-scripts run that never says Succeeded is a failure", () => {
  expect(judgePcfOutput(0, "[10:19:36 AM] [rebuild] Initializing...\n")).toBe(false);
});

test("a pcf-scripts run with a non-zero exit code is a failure whatever it prints", () => {
  expect(judgePcfOutput(1, succeeded)).toBe(false);
});
