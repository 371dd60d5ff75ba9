/**
 * Icons the controls use that Fluent's MDL2 icon font does not have.
 *
 * Model-driven apps register Fluent's icon font for code components themselves ("Inside model-driven apps, they're
 * already initialized": Microsoft's tutorial "Create a model-driven app field component"; see
 * docs/reference/fluent-icons.md), so the controls do not call initializeIcons. That font (the set
 * `initializeIcons` registers in Fluent 8.121.1) has no `TaskAdd`, so the Follow-up task action's icon is registered
 * here as an inline SVG. Every name is registered only if nobody registered it before: Fluent warns when an icon is
 * registered twice, and the host's own registration wins.
 */
import { GlobalSettings, registerIcons } from "@fluentui/react";
import * as React from "react";

/** 16×16 line drawing in the MDL2 style: a task box with a tick and a plus at its lower right. */
const TASK_ADD_PATH =
  "M2 2h9v5h-1V3H3v9h4v1H2z" + // the task's box
  "M4.15 7.35l.7-.7L6 7.79l2.65-2.64.7.7L6 9.21z" + // the tick
  "M11.5 9h1v2.5H15v1h-2.5V15h-1v-2.5H9v-1h2.5z"; // the plus

/** The icons this file can add, by Fluent icon name. */
export const CONTROL_ICON_NAMES = ["TaskAdd"] as const;

function svg(path: string): React.ReactElement {
  return React.createElement(
    "svg",
    { viewBox: "0 0 16 16", width: "1em", height: "1em", fill: "currentColor", "aria-hidden": "true", focusable: "false", style: { verticalAlign: "-0.125em" } },
    React.createElement("path", { d: path, fillRule: "evenodd" }),
  );
}

/**
 * Registers the icons of CONTROL_ICON_NAMES that are not registered yet, in the page's Fluent (the platform
 * library at run time). Call it once, before the first render (a control's `init`); later calls do nothing.
 */
export function registerControlIcons(): void {
  // Fluent keeps its icon registry in the page's global settings under "icons", keyed by lower-case name. It is read
  // there because getIcon warns "was used but not registered" for every name it lacks.
  const registry = GlobalSettings.getValue<Record<string, unknown>>("icons", {});
  const missing = CONTROL_ICON_NAMES.filter((name) => registry[name.toLowerCase()] === undefined);
  if (missing.length === 0) return;
  const icons: Record<string, React.ReactElement> = {};
  if (missing.includes("TaskAdd")) icons.TaskAdd = svg(TASK_ADD_PATH);
  registerIcons({ icons });
}
