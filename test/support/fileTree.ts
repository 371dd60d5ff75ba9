import fs from "node:fs";
import path from "node:path";

/** Every file under a folder, keyed by `/`-separated path relative to it, sorted. */
export function readTree(folder: string): Map<string, Uint8Array> {
  const tree = new Map<string, Uint8Array>();
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else tree.set(path.relative(folder, full).split(path.sep).join("/"), fs.readFileSync(full));
    }
  };
  walk(folder);
  return new Map([...tree].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
