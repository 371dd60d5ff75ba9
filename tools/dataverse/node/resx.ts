/**
 * Reads a control's real resource strings (components/<Control>/<Control>/strings/<Control>.<lcid>.resx) for the fake
 * PCF context. Node-only because it reads files; the workbench bundles the resx instead.
 */
import { DOMParser } from "@xmldom/xmldom";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import type { LanguageId } from "../metadata";

const REPO_ROOT = path.resolve(__dirname, "../../..");

export function parseResx(xml: string, source: string): Record<string, string> {
  const doc = new DOMParser({ onError: (level, message) => { if (level !== "warning") throw new Error(`${source}: ${message}`); } }).parseFromString(xml, "text/xml");
  const strings: Record<string, string> = {};
  for (const data of Array.from(doc.getElementsByTagName("data"))) {
    const name = data.getAttribute("name");
    const value = data.getElementsByTagName("value")[0];
    if (!name || !value) throw new Error(`${source}: <data> without a name or <value>`);
    strings[name] = value.textContent ?? "";
  }
  return strings;
}

export function readControlStrings(control: string, language: LanguageId, root: string = REPO_ROOT): Record<string, string> {
  const file = path.join(root, "components", control, control, "strings", `${control}.${language}.resx`);
  return parseResx(readFileSync(file, "utf8"), file);
}
