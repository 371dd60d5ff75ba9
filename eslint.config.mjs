import eslintjs from "@eslint/js";
import microsoftPowerApps from "@microsoft/eslint-plugin-power-apps";
import pluginPromise from "eslint-plugin-promise";
import reactPlugin from "eslint-plugin-react";
import globals from "globals";
import typescriptEslint from "typescript-eslint";

/** One config for the whole repository; pcf-scripts also finds it when it lints each control during the build. */
export default [
  {
    ignores: ["**/generated", "**/out/**", "dist/**", "node_modules/**", ".tmp/**", "**/*.js", "**/*.mjs", "**/*.cjs"],
  },
  eslintjs.configs.recommended,
  ...typescriptEslint.configs.recommendedTypeChecked,
  ...typescriptEslint.configs.stylisticTypeChecked,
  pluginPromise.configs["flat/recommended"],
  // The Power Apps checker's rules are about code that runs inside Dynamics 365: the controls, not our Node tools.
  { ...microsoftPowerApps.configs.paCheckerHosted, files: ["components/**"] },
  reactPlugin.configs.flat.recommended,
  {
    plugins: { "@microsoft/power-apps": microsoftPowerApps },
    languageOptions: {
      globals: { ...globals.browser, ComponentFramework: true },
      parserOptions: { ecmaVersion: 2020, sourceType: "module", projectService: true },
    },
    settings: { react: { version: "16.14" } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
    },
  },
  {
    files: ["tools/**", "test/**"],
    languageOptions: { globals: { ...globals.node, ...globals.jest } },
  },
];
