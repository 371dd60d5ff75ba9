/**
 * The Dataverse connector's row operations for the flow runner (List rows, Get a row by ID, Add a new row,
 * Update a row, Delete a row) and its trigger "When a row is added, modified or deleted", over the same in-memory
 * Dataverse the controls use, so a row a flow writes is the row a control reads. Actions go through the Web API
 * handler, so injected faults reach flows too.
 */
import { compileCondition } from "./query";
import { parseFilter } from "./odata/filter";
import { type JsonObject, toWire } from "./odata/wire";
import type { ChangeKind, RowChange } from "./store";
import type { InMemoryWebApi, WebApiResponse } from "./webApiHandler";

export class ConnectorActionError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`Dataverse connector action failed with HTTP ${status}: ${body}`);
  }
}

export interface ListRowsInput {
  /** Entity set name, as the connector's `entityName` parameter holds it. */
  readonly entityName: string;
  readonly $select?: string;
  readonly $filter?: string;
  readonly $orderby?: string;
  readonly $expand?: string;
  readonly $top?: number;
  readonly fetchXml?: string;
  readonly $skiptoken?: string;
}

/** The connector trigger's "Change type" values. */
export const TRIGGER_MESSAGES: Readonly<Record<number, readonly ChangeKind[]>> = {
  1: ["added"],
  2: ["deleted"],
  3: ["modified"],
  4: ["added", "modified"],
  5: ["added", "deleted"],
  6: ["modified", "deleted"],
  7: ["added", "modified", "deleted"],
};

export interface RowTriggerSubscription {
  /** Logical name of the table. */
  readonly entityName: string;
  readonly message: number;
  /** "Select columns": fire on modification only when one of these changed. */
  readonly filteringAttributes?: readonly string[];
  /** "Filter rows": an OData filter the row must match after the change. */
  readonly filterExpression?: string;
}

export interface RowTriggerEvent {
  readonly kind: ChangeKind;
  readonly table: string;
  /** The trigger's body: the row in Web API shape with formatted values, plus `SdkMessage`. */
  readonly body: JsonObject;
}

const SDK_MESSAGES: Readonly<Record<ChangeKind, string>> = { added: "Create", modified: "Update", deleted: "Delete" };

export class DataverseConnector {
  constructor(private readonly api: InMemoryWebApi) {}

  async listRows(input: ListRowsInput): Promise<JsonObject> {
    const query = [
      ["$select", input.$select],
      ["$filter", input.$filter],
      ["$orderby", input.$orderby],
      ["$expand", input.$expand],
      ["$top", input.$top === undefined ? undefined : String(input.$top)],
      ["fetchXml", input.fetchXml],
      ["$skiptoken", input.$skiptoken],
    ]
      .filter((pair): pair is [string, string] => pair[1] !== undefined && pair[1] !== "")
      .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
      .join("&");
    return this.call("GET", `${input.entityName}${query ? `?${query}` : ""}`);
  }

  getRow(input: { entityName: string; recordId: string; $select?: string; $expand?: string }): Promise<JsonObject> {
    const query = [input.$select && `$select=${encodeURIComponent(input.$select)}`, input.$expand && `$expand=${encodeURIComponent(input.$expand)}`]
      .filter((p): p is string => typeof p === "string" && p !== "")
      .join("&");
    return this.call("GET", `${input.entityName}(${input.recordId})${query ? `?${query}` : ""}`);
  }

  addRow(input: { entityName: string; item: Readonly<Record<string, unknown>> }): Promise<JsonObject> {
    return this.call("POST", input.entityName, input.item);
  }

  /** The connector's "Update a row" is an upsert: a missing row is created with the given id. */
  updateRow(input: { entityName: string; recordId: string; item: Readonly<Record<string, unknown>> }): Promise<JsonObject> {
    return this.call("PATCH", `${input.entityName}(${input.recordId})`, input.item);
  }

  async deleteRow(input: { entityName: string; recordId: string }): Promise<void> {
    await this.call("DELETE", `${input.entityName}(${input.recordId})`);
  }

  /** Delivers matching changes synchronously, in commit order; returns the unsubscribe function. */
  onRowChange(subscription: RowTriggerSubscription, handler: (event: RowTriggerEvent) => void): () => void {
    const kinds = TRIGGER_MESSAGES[subscription.message];
    if (!kinds) throw new Error(`Trigger message ${subscription.message} is not one of 1-7 (added, deleted, modified and their combinations)`);
    const store = this.api.store;
    const meta = store.metadata.require(subscription.entityName);
    const filter = subscription.filterExpression ? compileCondition(meta, parseFilter(subscription.filterExpression)) : undefined;
    return store.subscribe((change: RowChange) => {
      if (change.table !== subscription.entityName || !kinds.includes(change.kind)) return;
      const watched = subscription.filteringAttributes;
      if (change.kind === "modified" && watched?.length && !change.changedColumns.some((c) => watched.includes(c))) return;
      if (filter && !filter(change.row)) return;
      const row = toWire({ store, language: this.api.language, annotations: { formattedValues: true, lookupNames: true } }, meta, change.row);
      handler({ kind: change.kind, table: change.table, body: { ...row, SdkMessage: SDK_MESSAGES[change.kind] } });
    });
  }

  private async call(method: string, path: string, item?: Readonly<Record<string, unknown>>): Promise<JsonObject> {
    const response: WebApiResponse = await this.api.handle({
      method,
      url: `${this.api.baseUrl}${path}`,
      headers: { Prefer: 'odata.include-annotations="*",return=representation' },
      ...(item !== undefined && { body: JSON.stringify(item) }),
    });
    if (response.status >= 400) throw new ConnectorActionError(response.status, response.body);
    return response.body === "" ? {} : (JSON.parse(response.body) as JsonObject);
  }
}
