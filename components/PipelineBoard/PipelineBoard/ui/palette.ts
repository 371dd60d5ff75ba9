/**
 * Board colours per Teams theme, handed to the styles as CSS custom properties so one set of styles serves the
 * light app, Teams dark and Teams high contrast. Windows high contrast (forced colours) overrides all of them with
 * system colours in the styles themselves.
 */
import type { TeamsTheme } from "@tcc/common";

export interface BoardPalette {
  readonly surface: string;
  readonly lane: string;
  readonly card: string;
  readonly text: string;
  readonly muted: string;
  readonly border: string;
  readonly accent: string;
  readonly danger: string;
}

const PALETTES: Readonly<Record<TeamsTheme, BoardPalette>> = {
  default: { surface: "transparent", lane: "#f3f2f1", card: "#ffffff", text: "#323130", muted: "#605e5c", border: "#e1dfdd", accent: "#0078d4", danger: "#a4262c" },
  dark: { surface: "#1f1f1f", lane: "#292929", card: "#3b3a39", text: "#ffffff", muted: "#c8c6c4", border: "#484644", accent: "#4f9fe0", danger: "#f1707b" },
  contrast: { surface: "#000000", lane: "#000000", card: "#000000", text: "#ffffff", muted: "#ffffff", border: "#ffffff", accent: "#ffff00", danger: "#ffff00" },
};

export function paletteOf(theme: TeamsTheme): BoardPalette {
  return PALETTES[theme];
}

/** The palette as the `--pb-*` custom properties the board's styles read. */
export function paletteVariables(palette: BoardPalette): Readonly<Record<string, string>> {
  return Object.fromEntries(Object.entries(palette).map(([name, value]) => [`--pb-${name}`, value]));
}
