/**
 * Board colours taken from the Fluent theme the board is drawn in (Teams' default, dark or contrast theme inside
 * Teams, the app's theme elsewhere), handed to the styles as CSS custom properties so the board's own spans and the
 * Fluent controls around them share one palette. Every text colour is one the theme pairs with its body background,
 * so the pairs keep the theme's contrast. Windows high contrast (forced colours) overrides all of them with system
 * colours in the styles themselves.
 */
import { getTheme, type IRawStyle, type Theme } from "@fluentui/react";

export interface BoardPalette {
  readonly surface: string;
  readonly lane: string;
  readonly card: string;
  readonly text: string;
  readonly muted: string;
  readonly border: string;
  readonly accent: string;
  readonly danger: string;
  /** Form fields: their border (3:1 against the surface, as WCAG asks of a control's boundary), fill and text. */
  readonly field: string;
  readonly fieldFill: string;
  readonly fieldText: string;
}

export function paletteOf(theme: Theme): BoardPalette {
  const { semanticColors: s, palette: p } = theme;
  return {
    surface: s.bodyBackground,
    lane: p.neutralLighter,
    card: s.bodyBackground,
    text: s.bodyText,
    muted: s.bodySubtext,
    border: s.bodyDivider,
    accent: s.link,
    danger: s.errorText,
    field: s.inputBorder,
    fieldFill: s.inputBackground,
    fieldText: s.inputText,
  };
}

/** The palette as the `--pb-*` custom properties the board's styles read. */
export function paletteVariables(palette: BoardPalette): Readonly<Record<string, string>> {
  return Object.fromEntries(Object.entries(palette).map(([name, value]) => [`--pb-${name}`, value]));
}

/**
 * Fluent's type ramp without its font family: the board's own text is in its host's font, inherited from the page
 * (the form's in Dynamics 365, Teams' inside Teams, with the Chinese fonts a zh-CN host puts in its stack). Fluent's
 * family lists a web font that a machine without Segoe UI downloads before text in it can be laid out; only the
 * Fluent menus and message bars, drawn on demand, still use it. Native fields and buttons do not inherit a font
 * unless told to, hence `inherit` spelled out.
 */
const typeRamp = (font: IRawStyle) => ({ fontSize: font.fontSize, fontWeight: font.fontWeight, fontFamily: "inherit" });
const { fonts } = getTheme();
export const boardText = { small: typeRamp(fonts.small), medium: typeRamp(fonts.medium) };
