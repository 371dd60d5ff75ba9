import { BuildError, positionOf } from "./errors";
import { decodeUtf8 } from "./xml";

/** Parses JSON (a leading BOM allowed, as exports sometimes write one) and reports malformed input by line. */
export function parseJson(source: string | Uint8Array, file: string): unknown {
  const text = (typeof source === "string" ? source : decodeUtf8(source)).replace(/^\uFEFF/, "");
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = /position (\d+)/.exec(message);
    const where = position ? positionOf(text, Number(position[1])) : undefined;
    throw new BuildError(file, `malformed JSON: ${message.replace(/ in JSON at position \d+.*$/, "")}`, where?.line, where?.column);
  }
}

/** Line of the first occurrence of a snippet in a source text, so problems found after parsing can still be located. */
export function lineOf(text: string, snippet: string): number | undefined {
  const offset = text.indexOf(snippet);
  return offset < 0 ? undefined : positionOf(text, offset).line;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
