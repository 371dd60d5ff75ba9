import fs from "node:fs";
import path from "node:path";
import { BuildError } from "./errors";
import type { FileTree } from "./layout";
import { unsafeEntryName } from "./zip";

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

/** A file the user named, or a BuildError that says in words why it cannot be read (missing, a folder, no permission). */
export function readInputFile(file: string): Buffer {
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  if (stat === undefined) throw new BuildError(file, "no such file");
  if (stat.isDirectory()) throw new BuildError(file, "is a folder, not a file");
  try {
    return fs.readFileSync(file);
  } catch (error) {
    throw new BuildError(file, `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

export function readFileTree(dir: string): FileTree {
  if (!fs.existsSync(dir)) throw new BuildError(dir, "no such folder");
  if (!fs.statSync(dir).isDirectory()) throw new BuildError(dir, "is not a folder");
  return new Map(listFiles(dir).map((file) => [file, fs.readFileSync(path.join(dir, file))]));
}

/**
 * Throws a BuildError naming the first path of the tree that cannot be written safely below a folder: a `..` segment,
 * an absolute path, a drive letter, a backslash, or two paths that are the same file on Windows or macOS (names that
 * differ only in case) or a file where another path needs a folder.
 */
export function checkTreePaths(tree: FileTree): void {
  const files = new Map<string, string>();
  const folders = new Map<string, string>();
  for (const file of tree.keys()) {
    const unsafe = file.includes("\\") ? "has a backslash in its path" : unsafeEntryName(file);
    if (unsafe || file.endsWith("/")) throw new BuildError(file, `cannot be written: it ${unsafe ?? "names a folder"}`);
    const key = file.normalize("NFC").toLowerCase();
    const other = files.get(key) ?? folders.get(key);
    if (other !== undefined) throw new BuildError(file, `cannot be written: it collides with ${other} (names differ only in case)`);
    const segments = key.split("/");
    for (let i = 1; i < segments.length; i++) {
      const parent = segments.slice(0, i).join("/");
      const clash = files.get(parent);
      if (clash !== undefined) throw new BuildError(file, `cannot be written: ${clash} is a file, not a folder`);
      if (!folders.has(parent)) folders.set(parent, file);
    }
    files.set(key, file);
  }
}

/**
 * Writes a tree below a folder. Every path is checked before anything is written; a folder that does not exist yet is
 * written under a temporary name beside it and renamed when complete, so a failure leaves nothing behind. Into a
 * folder that exists, no file is written through a symbolic link.
 */
export function writeFileTree(dir: string, tree: FileTree): void {
  checkTreePaths(tree);
  const target = path.resolve(dir);
  if (fs.existsSync(target)) {
    if (!fs.statSync(target).isDirectory()) throw new BuildError(dir, "is not a folder");
    for (const file of tree.keys()) {
      const segments = file.split("/");
      for (let i = 1; i <= segments.length; i++) {
        const full = path.join(target, ...segments.slice(0, i));
        const stat = fs.lstatSync(full, { throwIfNoEntry: false });
        if (stat === undefined) break;
        if (stat.isSymbolicLink()) throw new BuildError(path.join(dir, ...segments.slice(0, i)), "is a symbolic link; nothing is written through it");
        if (i < segments.length && !stat.isDirectory()) throw new BuildError(path.join(dir, ...segments.slice(0, i)), "is a file where a folder is needed");
        if (i === segments.length && stat.isDirectory()) throw new BuildError(path.join(dir, file), "is a folder where a file is needed");
      }
    }
    writeInto(target, tree);
    return;
  }
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const temporary = `${target}.partial-${process.pid}`;
  fs.rmSync(temporary, { recursive: true, force: true });
  try {
    writeInto(temporary, tree);
    fs.renameSync(temporary, target);
  } finally {
    fs.rmSync(temporary, { recursive: true, force: true });
  }
}

function writeInto(root: string, tree: FileTree): void {
  fs.mkdirSync(root, { recursive: true });
  for (const [file, data] of tree) {
    const full = path.join(root, ...file.split("/"));
    // checkTreePaths has refused every path that could leave the folder; this keeps that true whatever changes there.
    if (path.relative(root, full).startsWith("..") || path.isAbsolute(path.relative(root, full))) throw new BuildError(file, "would be written outside the folder");
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, data);
  }
}
