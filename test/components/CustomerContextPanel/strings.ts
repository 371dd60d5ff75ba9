/** Reads the control's own resx files so component tests see exactly the strings users see. */
import fs from "node:fs";
import path from "node:path";
import { DOMParser } from "@xmldom/xmldom";
import type { Translate } from "../../../components/CustomerContextPanel/CustomerContextPanel/CustomerCard";

const STRINGS = path.resolve(__dirname, "../../../components/CustomerContextPanel/CustomerContextPanel/strings");

export function readResx(language: 1033 | 2052): Map<string, string> {
  const doc = new DOMParser().parseFromString(fs.readFileSync(path.join(STRINGS, `CustomerContextPanel.${language}.resx`), "utf8"), "text/xml");
  const out = new Map<string, string>();
  for (const data of Array.from(doc.getElementsByTagName("data"))) {
    out.set(data.getAttribute("name") ?? "", data.getElementsByTagName("value")[0]?.textContent ?? "");
  }
  return out;
}

/** Fails loudly on a missing key, so a test cannot pass on a key shown in place of text. */
export function translator(language: 1033 | 2052): Translate {
  const strings = readResx(language);
  return (key, ...args) => {
    const text = strings.get(key);
    if (text === undefined) throw new Error(`CustomerContextPanel.${language}.resx has no string '${key}'`);
    return args.reduce<string>((t, a, i) => t.split(`{${i}}`).join(String(a)), text);
  };
}
