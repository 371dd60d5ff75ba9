import { createTheme, getTheme, type Theme } from "@fluentui/react";
import { type BoardPalette, paletteOf, paletteVariables } from "../../../../../components/PipelineBoard/PipelineBoard/ui/palette";
import { TEAMS_FLUENT_THEMES } from "../../../../../components/common/src";

/** WCAG 2.x relative luminance of a #rrggbb colour. */
function luminance(hex: string): number {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!match) throw new Error(`not a #rrggbb colour: ${hex}`);
  const [r, g, b] = match.slice(1).map((part) => {
    const c = parseInt(part, 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(foreground: string, background: string): number {
  const [light, dark] = [luminance(foreground), luminance(background)].sort((a, b) => b - a);
  return (light + 0.05) / (dark + 0.05);
}

/** Every text colour the board draws, on every background it draws it on (CardView, LaneColumn, Board). */
const TEXT_PAIRS: readonly (readonly [keyof BoardPalette, keyof BoardPalette])[] = [
  ["text", "card"],
  ["muted", "card"],
  ["accent", "card"],
  ["danger", "card"],
  ["text", "lane"],
  ["muted", "lane"],
  ["text", "surface"],
  ["muted", "surface"],
  ["fieldText", "fieldFill"],
];

/** Non-text contrast (WCAG 1.4.11): a field's border against what is around it. */
const BOUNDARY_PAIRS: readonly (readonly [keyof BoardPalette, keyof BoardPalette])[] = [["field", "surface"]];

const THEMES: readonly (readonly [string, Theme])[] = [
  ["the app's Fluent theme", getTheme()],
  ["Teams default", TEAMS_FLUENT_THEMES.default],
  ["Teams dark", TEAMS_FLUENT_THEMES.dark],
  ["Teams contrast", TEAMS_FLUENT_THEMES.contrast],
];

describe("board palette", () => {
  it.each(THEMES)("in %s every text colour meets 4.5:1 on the backgrounds it is drawn on", (_name, theme) => {
    const palette = paletteOf(theme);
    const failing = TEXT_PAIRS.map(([fg, bg]) => ({ pair: `${fg} ${palette[fg]} on ${bg} ${palette[bg]}`, ratio: contrast(palette[fg], palette[bg]) })).filter((p) => p.ratio < 4.5);
    expect(failing).toEqual([]);
  });

  it.each(THEMES)("in %s a form field's border stands out 3:1 from the board", (_name, theme) => {
    const palette = paletteOf(theme);
    const failing = BOUNDARY_PAIRS.map(([fg, bg]) => ({ pair: `${fg} ${palette[fg]} on ${bg} ${palette[bg]}`, ratio: contrast(palette[fg], palette[bg]) })).filter((p) => p.ratio < 3);
    expect(failing).toEqual([]);
  });

  it("takes its colours from the theme it is given, not from fixed values", () => {
    const theme = createTheme({ palette: { neutralLighter: "#101010" }, semanticColors: { bodyText: "#fefefe", errorText: "#ff8080", bodyBackground: "#202020" } });
    expect(paletteOf(theme)).toMatchObject({ text: "#fefefe", danger: "#ff8080", card: "#202020", surface: "#202020", lane: "#101010" });
  });

  it("hands the palette to the styles as --pb-* custom properties", () => {
    expect(paletteVariables(paletteOf(TEAMS_FLUENT_THEMES.dark))).toMatchObject({ "--pb-text": "#ffffff", "--pb-card": "#292929", "--pb-danger": "#F1707B" });
  });

  it("contrast is measured the WCAG way: the old dark Overdue pair falls short", () => {
    expect(contrast("#f1707b", "#3b3a39")).toBeCloseTo(3.97, 2);
    expect(contrast("#ffffff", "#000000")).toBeCloseTo(21, 5);
  });
});
