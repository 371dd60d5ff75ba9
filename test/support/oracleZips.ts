/** The real solution zips in the oracles, as folders the oracle README describes, and how to zip one back. */
import fs from "node:fs";
import path from "node:path";
import type { FileTree } from "../../tools/build/layout";
import { writeZip } from "../../tools/build/zip";

export const ORACLES = path.resolve(__dirname, "../../../shared/oracles");

/** Every `zip-*` folder of the solution samples and every real XSD sample holding a customizations.xml, sorted. */
export function sampleZipFolders(): string[] {
  const folders: string[] = [];
  const samples = path.join(ORACLES, "solution-samples");
  for (const owner of fs.readdirSync(samples)) {
    const ownerDir = path.join(samples, owner);
    if (!fs.statSync(ownerDir).isDirectory()) continue;
    for (const name of fs.readdirSync(ownerDir)) if (name.startsWith("zip-")) folders.push(path.join(ownerDir, name));
  }
  const real = path.join(ORACLES, "xsd/samples/real");
  for (const name of fs.readdirSync(real)) if (fs.existsSync(path.join(real, name, "customizations.xml"))) folders.push(path.join(real, name));
  return folders.sort();
}

/** As the oracle README says: deflate, no directory entries, customizations.xml first. */
export function zipFolder(tree: FileTree): Uint8Array {
  const paths = [...tree.keys()].sort((a, b) => (a === "customizations.xml" ? -1 : b === "customizations.xml" ? 1 : a < b ? -1 : 1));
  return writeZip(paths.map((p) => ({ path: p, data: tree.get(p) as Uint8Array })));
}
