/** Workflow Definition Language expressions: parse, check and evaluate `@...` and `@{...}` strings. */
export type { Node, Template } from "./ast";
export { FUNCTIONS, lookupFunction, type FunctionGroup, type FunctionSpec } from "./catalogue";
export { createContext, type ContextData, type EvaluationContext } from "./context";
export { WdlError, WdlRuntimeError } from "./errors";
export { callFunction, compileTemplate, evaluate, evaluateDeep, evaluateTemplate, templateStrings } from "./evaluator";
export { parseExpression, parseTemplate, type ParseOptions } from "./parser";
export { ianaZone } from "./timezones";
export { stringify, toJson, typeName, valuesEqual, type JsonValue, type Value } from "./values";
