/**
 * Environment variable definitions and their values checked against their type, as Dynamics 365 would read them: the
 * stager refuses a source that breaks a rule (file and line), the verifier reports it in a zip.
 *
 * The types are the option set `environmentvariabledefinition.type` (oracles/dataverse-entities/environmentvariabledefinition.md):
 * String, Number, Boolean (stored as `yes` or `no`, as exports write it), JSON, Data source (a connector's value: the
 * definition names the connector in `apiid` and the connection parameter in `parameterkey`) and Secret (an Azure Key
 * Vault secret reference, never a value in the solution).
 */
import type { Element } from "@xmldom/xmldom";
import { firstChild, textOf } from "./xml";

export const ENVIRONMENT_VARIABLE_TYPE_NAMES: Readonly<Record<string, string>> = {
  "100000000": "String",
  "100000001": "Number",
  "100000002": "Boolean",
  "100000003": "JSON",
  "100000004": "Data source",
  "100000005": "Secret",
};

export interface EnvironmentVariableProblem {
  message: string;
  line?: number;
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const KEY_VAULT_SECRET = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.KeyVault\/vaults\/[^/]+\/secrets\/[^/]+$/i;

/** Why a value does not fit the type, or undefined when it does. `what` says which value: "default" or "value". */
export function valueProblem(type: string, value: string, what: string): string | undefined {
  const name = ENVIRONMENT_VARIABLE_TYPE_NAMES[type];
  switch (name) {
    case "Number":
      return NUMBER.test(value.trim()) && Number.isFinite(Number(value)) ? undefined : `Number ${what} "${value}" is not a number`;
    case "Boolean":
      return value === "yes" || value === "no" ? undefined : `Boolean ${what} "${value}" must be yes or no`;
    case "JSON":
      try {
        JSON.parse(value);
        return undefined;
      } catch (error) {
        return `JSON ${what} is not JSON: ${(error as Error).message}`;
      }
    case "Data source":
      return value.trim() === "" ? `Data source ${what} is empty` : undefined;
    case "Secret":
      return KEY_VAULT_SECRET.test(value.trim())
        ? undefined
        : `Secret ${what} "${value}" is not an Azure Key Vault secret reference (/subscriptions/…/providers/Microsoft.KeyVault/vaults/…/secrets/…)`;
    default:
      return undefined;
  }
}

/** Problems of one environmentvariabledefinition.xml root: a known type, a default that fits it, what a data source needs. */
export function definitionProblems(definition: Element): EnvironmentVariableProblem[] {
  const problems: EnvironmentVariableProblem[] = [];
  const typeElement = firstChild(definition, "type");
  const type = (typeElement?.textContent ?? "").trim();
  const name = ENVIRONMENT_VARIABLE_TYPE_NAMES[type];
  if (!name) {
    problems.push({
      message: `type "${type}" is not a known environment variable type (${Object.entries(ENVIRONMENT_VARIABLE_TYPE_NAMES).map(([v, n]) => `${v} ${n}`).join(", ")})`,
      line: typeElement?.lineNumber ?? definition.lineNumber ?? undefined,
    });
    return problems;
  }
  const defaultElement = firstChild(definition, "defaultvalue");
  if (defaultElement) {
    const problem = valueProblem(type, defaultElement.textContent ?? "", "default");
    if (problem) problems.push({ message: problem, line: defaultElement.lineNumber ?? undefined });
  }
  if (name === "Data source") {
    const apiid = (textOf(definition, "apiid") ?? "").trim();
    if (!/^\/providers\/microsoft\.powerapps\/apis\/[A-Za-z0-9_-]+$/i.test(apiid)) {
      problems.push({ message: `Data source needs <apiid> naming its connector (/providers/microsoft.powerapps/apis/<connector>), not "${apiid}"`, line: definition.lineNumber ?? undefined });
    }
    if (!(textOf(definition, "parameterkey") ?? "").trim()) {
      problems.push({ message: "Data source needs <parameterkey>, the connector parameter it fills (dataset, table, …)", line: definition.lineNumber ?? undefined });
    }
  }
  return problems;
}

/** Problems of an environmentvariablevalues.json (already parsed) against its definition's type. */
export function valuesProblems(values: unknown, type: string, text: string): EnvironmentVariableProblem[] {
  const container = (values as { environmentvariablevalues?: { environmentvariablevalue?: unknown } } | undefined)?.environmentvariablevalues?.environmentvariablevalue;
  const list = Array.isArray(container) ? container : container === undefined ? [] : [container];
  const problems: EnvironmentVariableProblem[] = [];
  for (const entry of list) {
    const value = (entry as { value?: unknown } | undefined)?.value;
    if (value === undefined) continue;
    if (typeof value !== "string") {
      problems.push({ message: `value must be a string, not ${JSON.stringify(value)}`, line: lineOfKey(text, "value") });
      continue;
    }
    const problem = valueProblem(type, value, "value");
    if (problem) problems.push({ message: problem, line: lineOfKey(text, "value") });
  }
  return problems;
}

function lineOfKey(text: string, key: string): number | undefined {
  const at = text.search(new RegExp(`"${key}"\\s*:`));
  return at < 0 ? undefined : text.slice(0, at).split("\n").length;
}
