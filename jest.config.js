/** Two suites: `unit` runs on any clone; `conformance` reads the third-party oracles in ../shared/oracles. */
const transform = { "^.+\\.tsx?$": ["ts-jest", { tsconfig: "tsconfig.json", isolatedModules: true, diagnostics: false }] };
const moduleNameMapper = { "^@tcc/common$": "<rootDir>/components/common/src/index.ts" };
module.exports = {
  projects: [
    {
      displayName: "unit",
      testEnvironment: "node",
      transform,
      moduleNameMapper,
      testMatch: ["<rootDir>/test/**/*.test.ts?(x)"],
      testPathIgnorePatterns: ["/node_modules/", "/test/conformance/", "/test/e2e/"],
      setupFilesAfterEnv: ["@testing-library/jest-dom", "<rootDir>/test/setup/fluentIcons.ts"],
    },
    {
      displayName: "conformance",
      testEnvironment: "node",
      transform,
      moduleNameMapper,
      testMatch: ["<rootDir>/test/conformance/**/*.test.ts?(x)"],
    },
  ],
};
