/**
 * Which Chromium the browser suite drives, and the one-line answer when it is missing: CHROMIUM_PATH if set (any
 * Chromium build), else Debian's /usr/bin/chromium.
 */
import { accessSync, constants } from "node:fs";
import { CHROMIUM } from "../../tools/workbench/browser";

export const INSTALL_COMMAND = "apt-get install -y chromium";

export function chromiumPath(): string {
  const configured = process.env.CHROMIUM_PATH;
  return configured !== undefined && configured !== "" ? configured : CHROMIUM;
}

/** Undefined when Chromium is there and executable, else what to do about it. */
export function missingChromium(executable = chromiumPath()): string | undefined {
  try {
    accessSync(executable, constants.X_OK);
    return undefined;
  } catch {
    return `The browser suite needs Chromium, and there is none at ${executable}. Install it with \`${INSTALL_COMMAND}\` (as root, after apt-get update), or point CHROMIUM_PATH at a Chromium.`;
  }
}
