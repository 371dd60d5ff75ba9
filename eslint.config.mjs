import eslintjs from "@eslint/js";
import microsoftPowerApps from "@microsoft/eslint-plugin-power-apps";
import pluginPromise from "eslint-plugin-promise";
import reactPlugin from "eslint-plugin-react";
import reactHooks from "eslint-plugin-react-hooks";
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
  // The Rules of Hooks and honest effect dependencies, on every component (React's own recommended set).
  { ...reactHooks.configs.flat.recommended, files: ["components/**/*.{ts,tsx}"] },
  {
    // The board keeps its latest render's values in refs written during render (the move controller's announcer, the
    // previous grouping, the cards' stable handlers), which react-hooks/refs forbids. Moving them into effects or
    // useEffectEvent is a refactor of the board's hot path, described in issue 18's closing note; until then a warning.
    files: ["components/PipelineBoard/PipelineBoard/ui/Board.tsx"],
    rules: { "react-hooks/refs": "warn" },
  },
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
