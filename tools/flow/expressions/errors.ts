/** Every failure of the engine says which expression, at which column (1-based), and why. */
export class WdlError extends Error {
  constructor(
    readonly expression: string,
    readonly column: number,
    readonly reason: string,
  ) {
    super(`Expression '${expression}' at column ${column}: ${reason}`);
    this.name = "WdlError";
  }
}

/**
 * Raised by function implementations and evaluation contexts, which know why but not where;
 * the evaluator adds the expression and the column of the call.
 */
export class WdlRuntimeError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = "WdlRuntimeError";
  }
}
