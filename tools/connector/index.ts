/** The connector toolkit's public surface, used by the flow runner, the build and tests. */
export { buildRequest, sendRequest, unflattenParameters, isWholeExpression, RequestBuildError, type BuiltRequest, type BuildOptions, type SentResponse } from "./requestBuilder";
export { startGraphStandIn, DEFAULT_USERS, WEBSITE_APP_ID, MESSAGE_LIMIT_BYTES, type GraphStandIn, type StandInOptions, type StandInUser, type AcceptedRequest, type TeamState, type ChatState } from "./graphStandIn";
export { lintConnector, lintConnectorFiles, readConnectorFolder, validateAgainstSchemas, loadSchemas, RULES, SCHEMA_RELAXATIONS, type LintProblem, type ConnectorFiles } from "./lint";
export { listOperations, findOperation, operationParameters, operationScopes, type SwaggerDocument } from "./swagger";

import { readFileSync } from "node:fs";
import * as path from "node:path";
import type { SwaggerDocument } from "./swagger";

/** Reads the connector's own swagger from connector/ in this repository. */
export function loadConnectorSwagger(connectorDir = path.resolve(__dirname, "../../connector")): SwaggerDocument {
  return JSON.parse(readFileSync(path.join(connectorDir, "apiDefinition.swagger.json"), "utf8")) as SwaggerDocument;
}
