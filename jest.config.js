/**
 * Four suites: `unit` runs on any clone; `conformance` reads the third-party oracles in ../shared/oracles; `e2e` drives the
 * workbench in Chromium; `live` (npm run test:live) checks the Dataverse Web API contract over HTTP, against the in-memory
 * Dataverse or, with TCC_DATAVERSE_URL and credentials, a real environment.
 */
const transform = { "^.+\\.tsx?$": ["ts-jest", { tsconfig: "tsconfig.json", diagnostics: false }] };
const moduleNameMapper = { "^@tcc/common$": "<rootDir>/components/common/src/index.ts" };
module.exports = {
  projects: [
    {
      displayName: "unit",
      testEnvironment: "node",
      transform,
      moduleNameMapper,
      testMatch: ["<rootDir>/test/**/*.test.ts?(x)"],
      testPathIgnorePatterns: ["/node_modules/", "/test/conformance/", "/test/e2e/", "/test/live/"],
      setupFilesAfterEnv: ["@testing-library/jest-dom", "<rootDir>/test/setup/fluentIcons.ts"],
    },
    {
      displayName: "conformance",
      testEnvironment: "node",
      transform,
      moduleNameMapper,
      testMatch: ["<rootDir>/test/conformance/**/*.test.ts?(x)"],
    },
    {
      displayName: "e2e",
      testEnvironment: "node",
      transform,
      moduleNameMapper,
      testMatch: ["<rootDir>/test/e2e/**/*.test.ts"],
      // Stops the suite at once, with the install command, when Chromium is missing.
      globalSetup: "<rootDir>/test/e2e/globalSetup.ts",
    },
    {
      displayName: "live",
      testEnvironment: "node",
      transform,
      moduleNameMapper,
      testMatch: ["<rootDir>/test/live/**/*.test.ts"],
    },
  ],
};
