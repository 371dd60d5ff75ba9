import { BUNDLE_BUDGET_BYTES, bundleBudgetProblem, judgePcfOutput } from "../../../tools/build/pcfBuild";

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

describe("pcf-scripts lints nothing that npm run lint does not", () => {
  // pcf-scripts' type-aware ESLint step repeated what `npm run lint` (run by CI) checks with the same root config, and
  // cost about a third of each control's build; pcfconfig.json's documented skipBuildLinting turns it off. The build
  // still fails on manifest, type and webpack errors, which pcf-scripts reports with "] Failed:".
  const fs = jest.requireActual<typeof import("node:fs")>("node:fs");
  const path = jest.requireActual<typeof import("node:path")>("node:path");
  const root = path.resolve(__dirname, "../../..");

  test.each(["CustomerContextPanel", "PipelineBoard"])("%s's pcfconfig.json skips build linting", (control) => {
    const config = JSON.parse(fs.readFileSync(path.join(root, "components", control, "pcfconfig.json"), "utf8")) as Record<string, unknown>;
    expect(config.skipBuildLinting).toBe(true);
  });

  test("the root ESLint config, which npm run lint uses, covers the controls with the Power Apps rules", () => {
    const config = fs.readFileSync(path.join(root, "eslint.config.mjs"), "utf8");
    expect(config).toMatch(/paCheckerHosted, files: \["components\/\*\*"\]/);
    const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { scripts: Record<string, string> };
    expect(pkg.scripts.lint).toBe("eslint .");
  });
});

describe("bundle budget", () => {
  test("a bundle at or under 100 KB passes", () => {
    expect(BUNDLE_BUDGET_BYTES).toBe(100_000);
    expect(bundleBudgetProblem("PipelineBoard/bundle.js", 100_000)).toBeUndefined();
  });
  test("a bundle over it is named with its size and the excess", () => {
    expect(bundleBudgetProblem("components/PipelineBoard/out/controls/PipelineBoard/bundle.js", 154_084)).toBe(
      "components/PipelineBoard/out/controls/PipelineBoard/bundle.js is 154.1 KB (154084 bytes), over the 100.0 KB budget by 54.1 KB",
    );
  });
});
