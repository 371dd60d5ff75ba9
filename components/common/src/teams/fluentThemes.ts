/**
 * Fluent UI themes matching the three Teams themes, so the card looks like part of Teams in each of them. Colours are
 * Teams' own brand and neutral ramps; the contrast theme uses Teams' high-contrast pairs (white on black, yellow for
 * what can be clicked, cyan for selection) so every interactive element keeps a 7:1 contrast.
 */
import { createTheme, type Theme } from "@fluentui/react";
import type { TeamsTheme } from "./host";

const defaultTheme = createTheme({
  palette: {
    themePrimary: "#5b5fc7",
    themeLighterAlt: "#f7f7fd",
    themeLighter: "#e8ebfa",
    themeLight: "#dce0fa",
    themeTertiary: "#aab1fa",
    themeSecondary: "#7579eb",
    themeDarkAlt: "#4f52b2",
    themeDark: "#444791",
    themeDarker: "#33344a",
    neutralLighterAlt: "#fafafa",
    neutralLighter: "#f5f5f5",
    neutralLight: "#ebebeb",
    neutralQuaternaryAlt: "#e0e0e0",
    neutralQuaternary: "#d1d1d1",
    neutralTertiaryAlt: "#c7c7c7",
    neutralTertiary: "#a19f9d",
    neutralSecondary: "#616161",
    neutralPrimaryAlt: "#424242",
    neutralPrimary: "#242424",
    neutralDark: "#201f1e",
    black: "#000000",
    white: "#ffffff",
  },
});

const darkTheme = createTheme({
  isInverted: true,
  palette: {
    themePrimary: "#7f85f5",
    themeLighterAlt: "#050509",
    themeLighter: "#141527",
    themeLight: "#262849",
    themeTertiary: "#4c5093",
    themeSecondary: "#7075d7",
    themeDarkAlt: "#8c91f6",
    themeDark: "#9da2f7",
    themeDarker: "#b6baf9",
    neutralLighterAlt: "#2e2e2e",
    neutralLighter: "#333333",
    neutralLight: "#3d3d3d",
    neutralQuaternaryAlt: "#474747",
    neutralQuaternary: "#4d4d4d",
    neutralTertiaryAlt: "#6b6b6b",
    neutralTertiary: "#c8c8c8",
    neutralSecondary: "#d0d0d0",
    neutralPrimaryAlt: "#dadada",
    neutralPrimary: "#ffffff",
    neutralDark: "#f4f4f4",
    black: "#f8f8f8",
    white: "#292929",
  },
});

const contrastTheme = createTheme({
  isInverted: true,
  palette: {
    themePrimary: "#ffff01",
    themeLighterAlt: "#ffff01",
    themeLighter: "#ffff01",
    themeLight: "#ffff01",
    themeTertiary: "#ffff01",
    themeSecondary: "#ffff01",
    themeDarkAlt: "#1aebff",
    themeDark: "#1aebff",
    themeDarker: "#1aebff",
    neutralLighterAlt: "#000000",
    neutralLighter: "#000000",
    neutralLight: "#1aebff",
    neutralQuaternaryAlt: "#ffffff",
    neutralQuaternary: "#ffffff",
    neutralTertiaryAlt: "#ffffff",
    neutralTertiary: "#ffffff",
    neutralSecondary: "#ffffff",
    neutralPrimaryAlt: "#ffffff",
    neutralPrimary: "#ffffff",
    neutralDark: "#ffffff",
    black: "#ffffff",
    white: "#000000",
  },
  semanticColors: {
    bodyBackground: "#000000",
    bodyText: "#ffffff",
    link: "#ffff01",
    linkHovered: "#1aebff",
    buttonText: "#ffff01",
    buttonTextHovered: "#1aebff",
    disabledText: "#3ff23f",
    disabledBodyText: "#3ff23f",
    errorText: "#ffff01",
  },
});

export const TEAMS_FLUENT_THEMES: Readonly<Record<TeamsTheme, Theme>> = { default: defaultTheme, dark: darkTheme, contrast: contrastTheme };
