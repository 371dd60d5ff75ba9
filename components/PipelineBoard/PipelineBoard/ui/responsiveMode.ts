/**
 * Fluent's Dropdown, left to itself, reads `document.documentElement.clientWidth` when it mounts: with thousands of
 * cards just inserted that forces a layout of the whole board (40-50 ms) before the first frame. The board measures
 * the window once with a ResizeObserver, whose callback runs after the browser's own layout, and hands the mode in.
 */
import * as React from "react";
import { getInitialResponsiveMode, ResponsiveMode } from "@fluentui/react";

/** Upper widths of Fluent's small … xxLarge modes, in pixels; anything wider is xxxLarge. */
const MODE_LIMITS: readonly [number, ResponsiveMode][] = [
  [479, ResponsiveMode.small],
  [639, ResponsiveMode.medium],
  [1023, ResponsiveMode.large],
  [1365, ResponsiveMode.xLarge],
  [1919, ResponsiveMode.xxLarge],
];

export function responsiveModeOf(width: number): ResponsiveMode {
  for (const [limit, mode] of MODE_LIMITS) if (width <= limit) return mode;
  return ResponsiveMode.xxxLarge;
}

/** The window's responsive mode, without reading layout during render. */
export function useWindowResponsiveMode(): ResponsiveMode {
  const [mode, setMode] = React.useState(getInitialResponsiveMode);
  React.useEffect(() => {
    if (typeof ResizeObserver === "undefined") return undefined;
    const observer = new ResizeObserver((entries) => {
      const width = entries[entries.length - 1]?.contentRect.width;
      if (width !== undefined) setMode(responsiveModeOf(width));
    });
    observer.observe(document.documentElement);
    return () => observer.disconnect();
  }, []);
  return mode;
}
