/**
 * A custom connector in a solution can take settings from the solution's environment variables: a value written
 * `@environmentVariables("<schema name>")` in the connector's connection parameters (Microsoft: "Use environment
 * variables in solution custom connectors", learn.microsoft.com/connectors/custom-connectors/environment-variables;
 * supported for host, base URL, client id, client secret, login URL and refresh URL). The platform resolves it when the
 * connector is saved (created, updated, imported), so an upgrade brings the environment's own client id instead of the
 * one in the zip.
 *
 * The packer writes the references into `<connector>_connectionparameters.json` (the JSON the `<connectionparameters>`
 * element of customizations.xml names); the `<Connector>` element itself carries nothing about them. The verifier checks
 * that each reference names a variable the solution defines, and that a client secret comes from a Secret (Azure Key
 * Vault) variable, never from one whose value would travel in the solution as text.
 */
import { ENVIRONMENT_VARIABLE_TYPE_NAMES } from "./environmentVariables";
import { isObject } from "./json";

const REFERENCE = /^\s*@environmentVariables\(\s*"([^"]+)"\s*\)\s*$/;

/** The text a connector field holds to read environment variable `schemaName`. */
export function environmentVariableReference(schemaName: string): string {
  return `@environmentVariables("${schemaName}")`;
}

export interface EnvironmentVariableUse {
  /** Where in the connection parameters, e.g. `token.oAuthSettings.clientId`. */
  path: string;
  schemaName: string;
}

/** Every `@environmentVariables("…")` value in a connector's connection parameters. */
export function environmentVariableUses(value: unknown, path = ""): EnvironmentVariableUse[] {
  if (typeof value === "string") {
    const match = REFERENCE.exec(value);
    return match ? [{ path, schemaName: match[1] }] : [];
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => environmentVariableUses(v, `${path}[${i}]`));
  if (isObject(value)) return Object.entries(value).flatMap(([k, v]) => environmentVariableUses(v, path ? `${path}.${k}` : k));
  return [];
}

/** Which OAuth settings the packer points at environment variables, and the variable type each must have. */
export interface OAuthVariables {
  /** Schema name of a String variable holding the app registration's client id. */
  clientId?: string;
  /** Schema name of a Secret variable (an Azure Key Vault reference) holding the client secret. */
  clientSecret?: string;
}

export const OAUTH_VARIABLE_TYPES: Readonly<Record<keyof OAuthVariables, string>> = { clientId: "100000000", clientSecret: "100000005" };

/**
 * The connection parameters with every `oauthSetting` parameter's clientId/clientSecret replaced by references to the
 * named variables. `types` maps each variable the solution defines to its type; a missing or mistyped variable is a
 * problem (returned, nothing changed) rather than a reference the platform could not resolve.
 */
export function withOAuthVariables(
  connectionParameters: unknown,
  variables: OAuthVariables,
  types: ReadonlyMap<string, string>,
): { parameters: unknown; problems: string[]; oauthParameters: string[] } {
  const problems: string[] = [];
  for (const [setting, schemaName] of Object.entries(variables) as [keyof OAuthVariables, string | undefined][]) {
    if (!schemaName) continue;
    const type = types.get(schemaName);
    const expected = OAUTH_VARIABLE_TYPES[setting];
    if (type === undefined) problems.push(`${setting} should come from environment variable ${schemaName}, which the solution does not define (environmentvariabledefinitions/${schemaName}/)`);
    else if (type !== expected) {
      problems.push(`${setting} comes from environment variable ${schemaName}, whose type is ${ENVIRONMENT_VARIABLE_TYPE_NAMES[type] ?? type}; it must be ${ENVIRONMENT_VARIABLE_TYPE_NAMES[expected]}`);
    }
  }
  const oauthParameters: string[] = [];
  if (problems.length > 0 || !isObject(connectionParameters)) return { parameters: connectionParameters, problems, oauthParameters };
  const parameters: Record<string, unknown> = {};
  for (const [name, parameter] of Object.entries(connectionParameters)) {
    if (!isObject(parameter) || parameter.type !== "oauthSetting" || !isObject(parameter.oAuthSettings)) {
      parameters[name] = parameter;
      continue;
    }
    oauthParameters.push(name);
    const settings: Record<string, unknown> = {};
    const put = () => {
      if (variables.clientId) settings.clientId = environmentVariableReference(variables.clientId);
      if (variables.clientSecret) settings.clientSecret = environmentVariableReference(variables.clientSecret);
    };
    let placed = false;
    for (const [key, value] of Object.entries(parameter.oAuthSettings)) {
      if (key === "clientId" || key === "clientSecret") {
        if (!placed) put();
        placed = true;
        if ((key === "clientId" && !variables.clientId) || (key === "clientSecret" && !variables.clientSecret)) settings[key] = value;
        continue;
      }
      settings[key] = value;
    }
    if (!placed) put();
    parameters[name] = { ...parameter, oAuthSettings: settings };
  }
  return { parameters, problems, oauthParameters };
}
