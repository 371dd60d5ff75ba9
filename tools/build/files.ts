import fs from "node:fs";
import path from "node:path";
import type { FileTree } from "./layout";

/** Every file below a folder as a `/`-separated relative path, sorted; nothing when the folder does not exist. */
export function listFiles(dir: string): string[] {
  const files: string[] = [];
  const walk = (current: string) => {
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) walk(full);
      else files.push(path.relative(dir, full).split(path.sep).join("/"));
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return files.sort();
}

export function readFileTree(dir: string): FileTree {
  return new Map(listFiles(dir).map((file) => [file, fs.readFileSync(path.join(dir, file))]));
}

export function writeFileTree(dir: string, tree: FileTree): void {
  for (const [file, data] of tree) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), data);
  }
}
