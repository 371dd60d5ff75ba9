/** Reads the control's real resx files, so tests show the strings users see (and fail on a missing one). */
import * as fs from "fs";
import * as path from "path";
import { DOMParser } from "@xmldom/xmldom";
import { translator, type Translate } from "../../../../components/PipelineBoard/PipelineBoard/strings";

const STRINGS_DIR = path.resolve(__dirname, "../../../../components/PipelineBoard/PipelineBoard/strings");

export function readResx(language: 1033 | 2052): Map<string, string> {
  const text = fs.readFileSync(path.join(STRINGS_DIR, `PipelineBoard.${language}.resx`), "utf8");
  const document = new DOMParser().parseFromString(text, "text/xml");
  const result = new Map<string, string>();
  for (const data of Array.from(document.getElementsByTagName("data"))) {
    const name = data.getAttribute("name");
    const value = data.getElementsByTagName("value")[0]?.textContent;
    if (name !== null && value !== undefined && value !== null) result.set(name, value);
  }
  return result;
}

export function resxTranslate(language: 1033 | 2052 = 1033): Translate {
  const strings = readResx(language);
  return translator((key) => {
    const value = strings.get(key);
    if (value === undefined) throw new Error(`PipelineBoard.${language}.resx has no string "${key}"`);
    return value;
  }, language);
}
