/**
 * The model-driven app's modern theme as PCF hands it to a control (`context.fluentDesignLanguage`), light or dark.
 * A real app passes Fluent 9's whole token set and brand ramp; the workbench passes the tokens a form's surface is
 * drawn with, at Fluent 9's web light and web dark values, which is all our controls read (their lightness).
 */
import type { AppTheme } from "../settings";

const TOKENS: Record<AppTheme, Record<string, string>> = {
  light: { colorNeutralBackground1: "#ffffff", colorNeutralForeground1: "#242424", colorBrandBackground: "#0f6cbd" },
  dark: { colorNeutralBackground1: "#292929", colorNeutralForeground1: "#ffffff", colorBrandBackground: "#115ea3" },
};

export function appDesign(theme: AppTheme): ComponentFramework.FluentDesignState {
  return { isDarkTheme: theme === "dark", tokenTheme: TOKENS[theme] } as unknown as ComponentFramework.FluentDesignState;
}

/** The app page's own surface in that theme, so the switch shows on the form around the controls too. */
export const APP_THEME_STYLE = `
body[data-app-theme="dark"], body[data-app-theme="dark"] nav, body[data-app-theme="dark"] .wb-switches,
body[data-app-theme="dark"] .wb-form-header, body[data-app-theme="dark"] .wb-fields, body[data-app-theme="dark"] .wb-panel,
body[data-app-theme="dark"] .wb-board { background: #1f1f1f; color: #ffffff; }
body[data-app-theme="dark"] nav a, body[data-app-theme="dark"] .wb-entity { color: #ffffff; }
body[data-app-theme="dark"] .wb-switches a { color: #9cc3ff; }
body[data-app-theme="dark"] nav a[aria-current="page"] { background: #3d3d3d; }
body[data-app-theme="dark"] .wb-field input, body[data-app-theme="dark"] .wb-field select { background: #292929; color: #ffffff; }
`;
