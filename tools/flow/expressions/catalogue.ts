/**
 * The functions of the Workflow Definition Language with their argument counts. Names and arities follow
 * the Logic Apps designer's catalogue (the conformance suite compares the two); `extension` records where
 * the runtime is documented to accept more than the designer's signature, and why.
 */
export type FunctionGroup =
  | "string"
  | "collection"
  | "logical"
  | "conversion"
  | "math"
  | "dateTime"
  | "reference"
  | "workflow"
  | "uriParsing"
  | "manipulation";

export interface FunctionSpec {
  name: string;
  group: FunctionGroup;
  minArgs: number;
  maxArgs: number;
  extension?: string;
}

const VARIADIC = Number.POSITIVE_INFINITY;

function fns(group: FunctionGroup, rows: [string, number, number, string?][]): FunctionSpec[] {
  return rows.map(([name, minArgs, maxArgs, extension]) =>
    extension === undefined ? { name, group, minArgs, maxArgs } : { name, group, minArgs, maxArgs, extension },
  );
}

export const FUNCTIONS: readonly FunctionSpec[] = [
  ...fns("string", [
    ["concat", 1, VARIADIC],
    ["substring", 2, 3],
    ["slice", 2, 3],
    ["replace", 3, 3],
    ["guid", 0, 1],
    ["toLower", 1, 1],
    ["toUpper", 1, 1],
    ["indexOf", 2, 2],
    ["nthIndexOf", 3, 3],
    ["lastIndexOf", 2, 2],
    ["startsWith", 2, 2],
    ["endsWith", 2, 2],
    ["split", 2, 2],
    ["trim", 1, 1],
    ["formatNumber", 2, 3],
    ["trimByteOrderMark", 1, 1],
    ["encodeXmlValue", 1, 1],
    ["decodeXmlValue", 1, 1],
    ["encodeXmlName", 1, 1],
    ["decodeXmlName", 1, 1],
  ]),
  ...fns("collection", [
    ["contains", 2, 2],
    ["length", 1, 1],
    ["sort", 1, 2],
    ["reverse", 1, 1],
    ["empty", 1, 1],
    ["intersection", 2, VARIADIC],
    ["union", 2, VARIADIC],
    ["first", 1, 1],
    ["last", 1, 1],
    ["take", 2, 2],
    ["skip", 2, 2],
    ["join", 2, 2],
    ["chunk", 2, 2],
  ]),
  ...fns("logical", [
    ["if", 3, 3],
    ["equals", 2, 2],
    ["and", 2, 2],
    ["or", 2, 2],
    ["not", 1, 1],
    ["less", 2, 2],
    ["lessOrEquals", 2, 2],
    ["greater", 2, 2],
    ["greaterOrEquals", 2, 2],
    ["isInt", 1, 1],
    ["isFloat", 1, 2],
  ]),
  ...fns("conversion", [
    ["json", 1, 1],
    ["xml", 1, 1],
    ["int", 1, 1],
    ["string", 1, 1],
    ["float", 1, 1],
    ["bool", 1, 1],
    ["base64", 1, 1],
    ["base64ToBinary", 1, 1],
    ["base64ToString", 1, 1],
    ["binary", 1, 1],
    ["dataUriToBinary", 1, 1],
    ["dataUriToString", 1, 1],
    ["dataUri", 1, 1],
    ["decodeBase64", 1, 1],
    ["utf8Length", 1, 1],
    ["utf16Length", 1, 1],
    ["encodeUriComponent", 1, 1],
    ["decodeUriComponent", 1, 1],
    ["decodeDataUri", 1, 1],
    ["uriComponent", 1, 1],
    ["uriComponentToBinary", 1, 1],
    ["uriComponentToString", 1, 1],
    ["array", 1, 1],
    ["createArray", 1, VARIADIC],
    ["triggerFormDataValue", 1, 1],
    ["triggerFormDataMultiValues", 1, 1],
    ["triggerMultipartBody", 1, 1],
    ["formDataValue", 2, 2],
    ["formDataMultiValues", 2, 2],
    ["multipartBody", 2, 2],
    ["decimal", 1, 1],
  ]),
  ...fns("math", [
    ["min", 1, VARIADIC],
    ["max", 1, VARIADIC],
    ["rand", 2, 2],
    ["add", 2, 2],
    ["sub", 2, 2],
    ["mul", 2, 2],
    ["div", 2, 2],
    ["mod", 2, 2],
    ["range", 2, 2],
  ]),
  ...fns("dateTime", [
    ["utcNow", 0, 1, "the functions reference documents utcNow('D'): an optional format string"],
    ["getFutureTime", 2, 3],
    ["getPastTime", 2, 3],
    ["addToTime", 3, 4],
    ["subtractFromTime", 3, 4],
    ["addSeconds", 2, 3],
    ["addMinutes", 2, 3],
    ["addHours", 2, 3],
    ["addDays", 2, 3],
    ["dateDifference", 2, 2],
    ["convertTimeZone", 3, 4],
    ["convertToUtc", 2, 3],
    ["convertFromUtc", 2, 3],
    ["formatDateTime", 1, 3],
    ["parseDateTime", 1, 3],
    ["startOfHour", 1, 2],
    ["startOfDay", 1, 2],
    ["startOfMonth", 1, 2],
    ["dayOfWeek", 1, 1],
    ["dayOfMonth", 1, 1],
    ["dayOfYear", 1, 1],
    ["ticks", 1, 1],
    ["formatTimeSpan", 2, 3],
  ]),
  ...fns("reference", [
    ["parameters", 1, 1],
    ["result", 0, 1],
    ["actions", 1, 1],
    ["outputs", 1, 1],
    ["body", 1, 1],
    ["triggerOutputs", 0, 0],
    ["triggerBody", 0, 0],
    ["trigger", 0, 0],
    ["item", 0, 0],
    ["items", 1, 1],
    ["iterationIndexes", 1, 1],
    ["variables", 1, 1],
  ]),
  ...fns("workflow", [
    ["listCallbackUrl", 0, 0],
    ["workflow", 0, 0],
  ]),
  ...fns("uriParsing", [
    ["uriHost", 1, 1],
    ["uriPath", 1, 1],
    ["uriPathAndQuery", 1, 1],
    ["uriPort", 1, 1],
    ["uriScheme", 1, 1],
    ["uriQuery", 1, 1],
  ]),
  ...fns("manipulation", [
    ["coalesce", 1, VARIADIC],
    ["addProperty", 3, 3],
    ["setProperty", 3, 3],
    ["removeProperty", 2, 2],
    ["xpath", 2, 2],
    ["mergeObjects", 2, 2],
  ]),
];

const byLowerName = new Map(FUNCTIONS.map((f) => [f.name.toLowerCase(), f]));

/** Function names are case-insensitive at run time (exported flows contain `base64tostring`). */
export function lookupFunction(name: string): FunctionSpec | undefined {
  return byLowerName.get(name.toLowerCase());
}

export function describeArity(spec: FunctionSpec): string {
  if (spec.maxArgs === VARIADIC) return `at least ${spec.minArgs}`;
  if (spec.minArgs === spec.maxArgs) return `exactly ${spec.minArgs}`;
  return `between ${spec.minArgs} and ${spec.maxArgs}`;
}
