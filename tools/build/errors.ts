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
