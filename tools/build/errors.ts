import { ZipError } from "./zip";

/** A problem in the build's input or output, located as precisely as we can: file, then line and column. */
export class BuildError extends Error {
  constructor(
    readonly file: string,
    readonly problem: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(`${file}${line ? `:${line}${column ? `:${column}` : ""}` : ""}: ${problem}`);
    this.name = "BuildError";
  }
}

/** Line and column (1-based) of a character offset, for errors found by our own text scans. */
export function positionOf(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  return { line, column: offset - before.lastIndexOf("\n") };
}

/** A command line that cannot be run as given: a missing argument, an unknown option or kind. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/**
 * One line for any error: what went wrong and with which file. Node's file errors (ENOENT, EISDIR, …) are said in words;
 * anything unexpected gets its message, and its stack only with --debug.
 */
export function describeError(error: unknown): string {
  if (error instanceof BuildError || error instanceof UsageError || error instanceof ZipError) return error.message;
  const e = error as NodeJS.ErrnoException;
  const file = typeof e?.path === "string" ? e.path : undefined;
  const words: Record<string, string> = {
    ENOENT: "no such file or folder",
    EISDIR: "is a folder, not a file",
    ENOTDIR: "a part of the path is not a folder",
    EACCES: "permission denied",
    EPERM: "operation not permitted",
    EEXIST: "already exists",
    ENOSPC: "no space left on the device",
  };
  if (file !== undefined && typeof e.code === "string") return `${file}: ${words[e.code] ?? e.message}`;
  return error instanceof Error ? error.message.split("\n")[0] : String(error);
}


/** Errors that describeError says in full: the input's fault, not a bug, so no stack trace is offered for them. */
export function isInputError(error: unknown): boolean {
  if (error instanceof BuildError || error instanceof UsageError || error instanceof ZipError) return true;
  const e = error as NodeJS.ErrnoException | undefined;
  return typeof e?.path === "string" && typeof e.code === "string";
}
