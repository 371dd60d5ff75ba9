/**
 * The rows of the in-memory Dataverse and the rules the platform applies on every write: validation against the
 * metadata, system columns, row versions for optimistic concurrency, base-currency amounts, state/status consistency,
 * the activitypointer mirror, privileges, and change notifications for flow triggers.
 * Wire formats (OData, FetchXML) live elsewhere; this module speaks logical names and stored values only.
 */
import { badRequest, DataverseServiceError, ERROR_CODES, notFound } from "./errors";
import { ACTIVITY_TABLES, type ColumnMetadata, MetadataSet, OPPORTUNITY_STATE, type TableMetadata } from "./metadata";
import { SeededRandom } from "./random";

export interface LookupRef {
  readonly id: string;
  readonly table: string;
}
export type StoredValue = string | number | boolean | null | LookupRef;
export type StoredRow = Record<string, StoredValue>;

export type Privilege = "create" | "read" | "write" | "delete" | "append" | "appendTo";

/**
 * A security role's access level for a privilege, as customizations.xml names them: the caller's own rows (Basic),
 * rows owned in the caller's business unit (Local), in it and the units below it (Deep), all rows (Global).
 */
export type AccessDepth = "Basic" | "Local" | "Deep" | "Global";

export type ChangeKind = "added" | "modified" | "deleted";
export interface RowChange {
  readonly kind: ChangeKind;
  readonly table: string;
  readonly id: string;
  /** The row after the change; for a deletion, the row as it was. */
  readonly row: Readonly<StoredRow>;
  readonly changedColumns: readonly string[];
}

export interface WriteOptions {
  /** An ETag (`W/"123"`) or `*`; a mismatch fails with 412 and changes nothing. */
  readonly ifMatch?: string;
}

export interface StoreOptions {
  readonly metadata?: MetadataSet;
  /** Source of createdon/modifiedon; inject a fixed clock for reproducible data. */
  readonly clock?: () => Date;
  /** Seed for generated ids. */
  readonly seed?: number;
  /**
   * How Dataverse composes full names (a System Settings choice): "First Last" for English organisations,
   * "LastFirst" with no space for Chinese ones.
   */
  readonly fullNameFormat?: "firstLast" | "lastFirst";
}

export const isLookupRef = (v: StoredValue | undefined): v is LookupRef => typeof v === "object" && v !== null;

export const etagOf = (row: Readonly<StoredRow>): string => `W/"${JSON.stringify(row.versionnumber)}"`;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

interface ColumnLists {
  readonly template: Readonly<StoredRow>;
  readonly money: readonly ColumnMetadata[];
}

function wrongType(meta: TableMetadata, column: ColumnMetadata, value: StoredValue): DataverseServiceError {
  const shown = isLookupRef(value) ? value.id : JSON.stringify(value);
  return badRequest(`Cannot convert the literal '${shown}' to the type expected by '${column.logicalName}' of '${meta.logicalName}' (${column.type}).`);
}
const SYSTEM_COLUMNS = new Set(["createdon", "modifiedon", "versionnumber"]);
const STANDARD_PRECISION = 2;

export class DataverseStore {
  readonly metadata: MetadataSet;
  private readonly tables = new Map<string, Map<string, StoredRow>>();
  private readonly listeners = new Set<(change: RowChange) => void>();
  private readonly denied = new Set<string>();
  /** Alternate keys by table (a table's EntityKeys), enforced on create and update. */
  private readonly alternateKeys = new Map<string, { name: string; columns: readonly string[] }[]>();
  /** Per-table column lists, computed once: creating 300,000 sample rows must stay fast. */
  private readonly columnLists = new Map<string, ColumnLists>();
  private readonly clock: () => Date;
  private readonly fullNameFormat: "firstLast" | "lastFirst";
  private readonly ids: SeededRandom;
  private version = 1_000_000;
  private revisionCounter = 0;
  private ticketCounter = 1000;
  /** The user the store acts as: default owner of new rows and the subject of privilege checks. */
  callerId: string | undefined;
  /** Record-level read, opt-in per table (setReadDepth): business units by id with their parent, principals' units. */
  private readonly businessUnits = new Map<string, string | null>();
  private readonly principalUnits = new Map<string, string>();
  private readonly readDepths = new Map<string, AccessDepth>();

  constructor(options: StoreOptions = {}) {
    this.metadata = options.metadata ?? new MetadataSet();
    this.clock = options.clock ?? (() => new Date());
    this.fullNameFormat = options.fullNameFormat ?? "firstLast";
    this.ids = new SeededRandom(options.seed ?? 1);
    for (const t of this.metadata.tables()) {
      this.tables.set(t.logicalName, new Map());
      for (const key of t.alternateKeys ?? []) this.defineAlternateKey(t.logicalName, key.name, key.columns);
    }
  }

  /**
   * Changes on every write and on every change to what the caller may read (privileges, read depths, business
   * units): query results cached under one revision stay valid until it changes. The caller itself is not part of
   * it; caches key on callerId too.
   */
  get revision(): number {
    return this.revisionCounter;
  }

  newId(): string {
    return this.ids.guid();
  }

  /** A row by id, whoever the caller is: what the platform itself sees (lookups, currencies, cascades). */
  get(table: string, id: string): Readonly<StoredRow> | undefined {
    return this.rowsOf(table).get(id.toLowerCase());
  }

  /**
   * A row by id as the caller retrieves it: on a table with a read depth (setReadDepth), a row the caller cannot read
   * fails with 403 and Dataverse's missing-privilege error.
   */
  retrieveAsCaller(table: string, id: string): Readonly<StoredRow> | undefined {
    const row = this.get(table, id);
    if (row && !this.canRead(table, row)) this.denyRead(table);
    return row;
  }

  /**
   * Rows in creation order, which is the stable order queries page through. On a table with a read depth, only the
   * rows the caller can read, as RetrieveMultiple filters them.
   */
  rows(table: string): IterableIterator<Readonly<StoredRow>> {
    const all = this.rowsOf(table).values();
    if (!this.readDepths.has(table)) return all;
    return (function* (store: DataverseStore) {
      for (const row of all) if (store.canRead(table, row)) yield row;
    })(this);
  }

  /**
   * The smallest model of Dataverse's record-level read: a business unit tree, the unit of each user or team, and the
   * caller's read depth on a table. A row belongs to its owner's business unit (Dataverse keeps owningbusinessunit
   * equal to the owner's unit). Tables without a depth keep the table-level check only (setPrivilege). Not modelled:
   * sharing, access teams, hierarchy security, the caller's team memberships.
   */
  defineBusinessUnit(id: string, parentId: string | null = null): void {
    this.revisionCounter++;
    this.businessUnits.set(id.toLowerCase(), parentId?.toLowerCase() ?? null);
  }

  /** Puts a user or team (by id) in a business unit. */
  placeInBusinessUnit(principalId: string, businessUnitId: string): void {
    this.revisionCounter++;
    if (!this.businessUnits.has(businessUnitId.toLowerCase())) throw new Error(`business unit ${businessUnitId} is not defined`);
    this.principalUnits.set(principalId.toLowerCase(), businessUnitId.toLowerCase());
  }

  /** The caller's read depth on a table (the widest over its roles); undefined returns to table-level checks only. */
  setReadDepth(table: string, depth: AccessDepth | undefined): void {
    this.revisionCounter++;
    this.metadata.require(table);
    if (depth === undefined) this.readDepths.delete(table);
    else this.readDepths.set(table, depth);
  }

  /** Whether the caller reads this row: the table privilege, then the read depth against the owner's business unit. */
  canRead(table: string, row: Readonly<StoredRow>): boolean {
    if (!this.hasPrivilege(table, "read")) return false;
    const depth = this.readDepths.get(table);
    if (depth === undefined || depth === "Global") return true;
    const owner = row.ownerid;
    const caller = this.callerId?.toLowerCase();
    if (!isLookupRef(owner) || caller === undefined) return false;
    if (owner.id === caller) return true;
    if (depth === "Basic") return false;
    const callerUnit = this.principalUnits.get(caller);
    let unit = this.principalUnits.get(owner.id);
    if (callerUnit === undefined || unit === undefined) return false;
    if (depth === "Local") return unit === callerUnit;
    for (let hops = 0; unit !== undefined && unit !== null && hops <= this.businessUnits.size; hops++) {
      if (unit === callerUnit) return true;
      unit = this.businessUnits.get(unit) ?? undefined;
    }
    return false;
  }

  private denyRead(table: string): never {
    // Privilege names carry the table's schema name: prvReadAccount, prvReadtcc_teamslink.
    const schemaName = this.metadata.table(table)?.schemaName ?? `${table.charAt(0).toUpperCase()}${table.slice(1)}`;
    const name = `prvRead${schemaName}`;
    throw new DataverseServiceError(
      403,
      ERROR_CODES.privilegeDenied,
      `Principal user (Id=${this.callerId ?? "unknown"}, type=8) is missing ${name} privilege on this record (${table}).`,
    );
  }

  count(table: string): number {
    return this.rowsOf(table).size;
  }

  subscribe(listener: (change: RowChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  setPrivilege(table: string, privilege: Privilege, allowed: boolean): void {
    this.revisionCounter++;
    const key = `${table}:${privilege}`;
    if (allowed) this.denied.delete(key);
    else this.denied.add(key);
  }

  /**
   * Declares an alternate key, as a table's `<EntityKeys>` does: a create or update that gives a second row the same
   * values of all the key's columns fails with 412 and 0x80040237, as Dataverse's unique index makes it. A row with a
   * null key column is not in the index (Dataverse builds it as a filtered index), so it never collides.
   */
  defineAlternateKey(table: string, name: string, columns: readonly string[]): void {
    const meta = this.metadata.require(table);
    for (const c of columns) if (!(c in meta.columns)) throw new Error(`alternate key ${name}: '${table}' has no column '${c}'`);
    const others = (this.alternateKeys.get(table) ?? []).filter((k) => k.name !== name);
    this.alternateKeys.set(table, [...others, { name, columns: [...columns] }]);
  }

  private checkAlternateKeys(meta: TableMetadata, row: Readonly<StoredRow>): void {
    const keyOf = (v: StoredValue | undefined) => (isLookupRef(v ?? null) ? (v as LookupRef).id.toLowerCase() : typeof v === "string" ? v.toLowerCase() : JSON.stringify(v));
    const self = row[meta.primaryIdAttribute];
    for (const key of this.alternateKeys.get(meta.logicalName) ?? []) {
      if (key.columns.some((c) => row[c] === null || row[c] === undefined)) continue;
      const wanted = key.columns.map((c) => keyOf(row[c])).join("|");
      for (const other of this.rowsOf(meta.logicalName).values()) {
        if (other[meta.primaryIdAttribute] === self || key.columns.some((c) => other[c] === null || other[c] === undefined)) continue;
        if (key.columns.map((c) => keyOf(other[c])).join("|") === wanted) {
          throw new DataverseServiceError(412, ERROR_CODES.duplicateRecord, `A record with matching key values already exists. The key ${key.name} (${key.columns.join(", ")}) requires unique values.`);
        }
      }
    }
  }

  hasPrivilege(table: string, privilege: Privilege): boolean {
    return !this.denied.has(`${table}:${privilege}`);
  }

  assertPrivilege(table: string, privilege: Privilege): void {
    if (this.hasPrivilege(table, privilege)) return;
    const name = `prv${privilege.charAt(0).toUpperCase()}${privilege.slice(1)}${table.charAt(0).toUpperCase()}${table.slice(1)}`;
    throw new DataverseServiceError(
      403,
      ERROR_CODES.privilegeDenied,
      `Principal user (Id=${this.callerId ?? "unknown"}, type=8) is missing ${name} privilege on OTC for entity '${table}'.`,
    );
  }

  create(table: string, values: Readonly<StoredRow>): Readonly<StoredRow> {
    const meta = this.writableTable(table);
    this.assertPrivilege(table, "create");
    const idColumn = meta.primaryIdAttribute;
    const given = values[idColumn];
    const id = typeof given === "string" ? given.toLowerCase() : this.newId();
    if (this.rowsOf(table).has(id)) {
      throw new DataverseServiceError(412, ERROR_CODES.duplicateRecord, `A record with matching key values already exists (${table} ${id}).`);
    }
    // Cloning one template gives every row of a table the same shape, which keeps V8's property access fast.
    const row: StoredRow = { ...this.columnsOf(meta).template };
    this.assign(meta, row, values, true);
    const now = this.clock().toISOString().replace(/\.\d{3}Z$/, "Z");
    row[idColumn] = id;
    row.createdon = typeof values.createdon === "string" ? values.createdon : now;
    row.modifiedon = typeof values.modifiedon === "string" ? values.modifiedon : row.createdon;
    if ("ownerid" in meta.columns && row.ownerid === null && this.callerId) row.ownerid = { id: this.callerId, table: "systemuser" };
    this.applyRules(meta, row, Object.keys(values), null);
    row[idColumn] = id;
    this.checkAlternateKeys(meta, row);
    row.versionnumber = ++this.version;
    this.rowsOf(table).set(id, row);
    this.mirrorActivity(meta, row, false);
    this.emit({ kind: "added", table, id, row, changedColumns: Object.keys(values) });
    return row;
  }

  update(table: string, id: string, values: Readonly<StoredRow>, options: WriteOptions = {}): Readonly<StoredRow> {
    const meta = this.writableTable(table);
    const current = this.existing(meta, id);
    this.checkIfMatch(current, options.ifMatch);
    this.assertPrivilege(table, "write");
    const next: StoredRow = { ...current };
    this.assign(meta, next, values, false);
    this.applyRules(meta, next, Object.keys(values), current);
    this.checkAlternateKeys(meta, next);
    const changedColumns = Object.keys(values).filter((k) => !sameValue(current[k], next[k]));
    next.modifiedon = this.clock().toISOString().replace(/\.\d{3}Z$/, "Z");
    next.versionnumber = ++this.version;
    this.rowsOf(table).set(current[meta.primaryIdAttribute] as string, next);
    this.mirrorActivity(meta, next, false);
    this.emit({ kind: "modified", table, id: next[meta.primaryIdAttribute] as string, row: next, changedColumns });
    return next;
  }

  delete(table: string, id: string, options: WriteOptions = {}): void {
    const meta = this.writableTable(table);
    const current = this.existing(meta, id);
    this.checkIfMatch(current, options.ifMatch);
    this.assertPrivilege(table, "delete");
    const key = current[meta.primaryIdAttribute] as string;
    this.rowsOf(table).delete(key);
    this.mirrorActivity(meta, current, true);
    this.emit({ kind: "deleted", table, id: key, row: current, changedColumns: [] });
  }

  /** Someone else saved the row: a new version with no visible change, which makes every older ETag stale. */
  touch(table: string, id: string): void {
    this.revisionCounter++;
    const meta = this.metadata.require(table);
    const current = this.existing(meta, id);
    const next = { ...current, versionnumber: ++this.version, modifiedon: this.clock().toISOString().replace(/\.\d{3}Z$/, "Z") };
    this.rowsOf(table).set(current[meta.primaryIdAttribute] as string, next);
  }

  private columnsOf(meta: TableMetadata): ColumnLists {
    let lists = this.columnLists.get(meta.logicalName);
    if (!lists) {
      const all = Object.values(meta.columns);
      lists = {
        template: Object.fromEntries(all.map((c) => [c.logicalName, null])),
        money: all.filter((c) => c.type === "money" && !c.logicalName.endsWith("_base")),
      };
      this.columnLists.set(meta.logicalName, lists);
    }
    return lists;
  }

  private rowsOf(table: string): Map<string, StoredRow> {
    const rows = this.tables.get(table);
    if (!rows) throw notFound("EntityMetadata", table);
    return rows;
  }

  private writableTable(table: string): TableMetadata {
    if (table === "activitypointer") {
      throw badRequest("The 'activitypointer' table is read-only; write to task, phonecall, email or appointment instead.", ERROR_CODES.invalidArgument);
    }
    const meta = this.metadata.table(table);
    if (!meta) throw badRequest(`Resource not found for the segment '${table}'.`);
    return meta;
  }

  private existing(meta: TableMetadata, id: string): StoredRow {
    const row = this.rowsOf(meta.logicalName).get(id.toLowerCase());
    if (!row) throw notFound(meta.logicalName, id);
    return row;
  }

  private checkIfMatch(row: Readonly<StoredRow>, ifMatch: string | undefined): void {
    if (ifMatch === undefined || ifMatch === "*" || ifMatch === etagOf(row)) return;
    throw new DataverseServiceError(
      412,
      ERROR_CODES.concurrencyVersionMismatch,
      "The version of the existing record doesn't match the RowVersion property provided.",
    );
  }

  private assign(meta: TableMetadata, row: StoredRow, values: Readonly<StoredRow>, creating: boolean): void {
    for (const [name, value] of Object.entries(values)) {
      const column = meta.columns[name];
      if (!column) throw badRequest(`Invalid property '${name}' was found in entity 'Microsoft.Dynamics.CRM.${meta.logicalName}'.`);
      if (name === meta.primaryIdAttribute) {
        if (!creating && value !== row[name]) throw badRequest(`The primary key '${name}' cannot be changed.`, ERROR_CODES.invalidArgument);
        continue;
      }
      if (SYSTEM_COLUMNS.has(name)) {
        if (creating && name !== "versionnumber") continue;
        throw badRequest(`'${name}' is system-maintained and cannot be set on '${meta.logicalName}'.`, ERROR_CODES.invalidArgument);
      }
      if (column.readOnly) {
        throw badRequest(`'${name}' is computed by Dataverse and cannot be set on '${meta.logicalName}'.`, ERROR_CODES.invalidArgument);
      }
      row[name] = this.validated(meta, column, value);
    }
  }

  private validated(meta: TableMetadata, column: ColumnMetadata, value: StoredValue): StoredValue {
    if (value === null) return null;
    switch (column.type) {
      case "string":
      case "memo":
      case "uniqueidentifier": {
        if (typeof value !== "string") throw wrongType(meta, column, value);
        if (value === "") return null;
        if (column.maxLength !== undefined && value.length > column.maxLength) {
          throw badRequest(
            `A validation error occurred. The length of the '${column.logicalName}' attribute of the '${meta.logicalName}' entity exceeded the maximum allowed length of '${column.maxLength}'.`,
            ERROR_CODES.maxLengthExceeded,
          );
        }
        return column.type === "uniqueidentifier" ? value.toLowerCase() : value;
      }
      case "integer":
      case "bigint":
        if (typeof value !== "number" || !Number.isInteger(value)) throw wrongType(meta, column, value);
        return value;
      case "decimal":
      case "money":
        if (typeof value !== "number" || !Number.isFinite(value)) throw wrongType(meta, column, value);
        return value;
      case "boolean":
        if (typeof value !== "boolean") throw wrongType(meta, column, value);
        return value;
      case "datetime": {
        if (typeof value !== "string" || Number.isNaN(Date.parse(value))) throw wrongType(meta, column, value);
        return new Date(value).toISOString().replace(/\.\d{3}Z$/, "Z");
      }
      case "dateonly":
        if (typeof value !== "string" || !ISO_DATE.test(value.slice(0, 10))) throw wrongType(meta, column, value);
        return value.slice(0, 10);
      case "choice":
      case "state":
      case "status":
        if (typeof value !== "number") throw wrongType(meta, column, value);
        if (!column.options?.some((o) => o.value === value)) {
          throw badRequest(
            `A validation error occurred. The value ${value} of '${column.logicalName}' on record of type '${meta.logicalName}' is outside the valid range.`,
            ERROR_CODES.valueOutOfRange,
          );
        }
        return value;
      case "lookup": {
        if (!isLookupRef(value)) throw wrongType(meta, column, value);
        if (!column.targets?.some((t) => t.table === value.table)) {
          throw badRequest(`'${column.logicalName}' of '${meta.logicalName}' cannot refer to a '${value.table}' row.`, ERROR_CODES.invalidArgument);
        }
        if (!this.get(value.table, value.id)) throw notFound(value.table, value.id);
        return { id: value.id.toLowerCase(), table: value.table };
      }
    }
  }

  /** Platform behaviour that follows from a write: computed columns, currency and state rules. */
  private applyRules(meta: TableMetadata, row: StoredRow, written: readonly string[], before: Readonly<StoredRow> | null): void {
    if (meta.logicalName === "contact" || meta.logicalName === "systemuser") {
      const parts = this.fullNameFormat === "firstLast" ? [row.firstname, row.lastname] : [row.lastname, row.firstname];
      row.fullname = parts.filter((p) => typeof p === "string").join(this.fullNameFormat === "firstLast" ? " " : "") || null;
    }
    if (meta.logicalName === "incident" && before === null && row.ticketnumber === null) row.ticketnumber = `CAS-${++this.ticketCounter}`;
    if (meta.isActivity) row.activitytypecode = meta.logicalName;
    if ("owninguser" in meta.columns) {
      const owner = row.ownerid;
      row.owninguser = isLookupRef(owner) && owner.table === "systemuser" ? owner : null;
    }
    this.applyStateRules(meta, row, written, before);
    if (meta.logicalName === "opportunity") this.applyOpportunityClose(row, before);
    if ("activestageid" in meta.columns && "traversedpath" in meta.columns) this.applyStageStart(row, written, before);
    if (meta.columns.transactioncurrencyid?.type === "lookup") this.applyCurrency(meta, row, written, before);
  }

  private applyStateRules(meta: TableMetadata, row: StoredRow, written: readonly string[], before: Readonly<StoredRow> | null): void {
    const state = meta.columns.statecode;
    const status = meta.columns.statuscode;
    if (!state?.options || !status?.options) return;
    const stateWritten = written.includes("statecode") && row.statecode !== null;
    const statusWritten = written.includes("statuscode") && row.statuscode !== null;
    if (!stateWritten && !statusWritten) {
      if (before === null) {
        row.statecode = state.options[0].value;
        row.statuscode = state.options[0].defaultStatus ?? null;
      }
      return;
    }
    if (stateWritten && !statusWritten) {
      row.statuscode = state.options.find((o) => o.value === row.statecode)?.defaultStatus ?? null;
      return;
    }
    const reason = status.options.find((o) => o.value === row.statuscode);
    if (!stateWritten) {
      row.statecode = reason?.state ?? null;
      return;
    }
    if (reason?.state !== row.statecode) {
      throw badRequest(
        `${JSON.stringify(row.statuscode)} is not a valid status code for state code ${JSON.stringify(row.statecode)} on ${meta.logicalName}.`,
        ERROR_CODES.invalidArgument,
      );
    }
  }

  /**
   * Closing an opportunity as Dataverse's Win/Lose messages do: the close date is stamped, probability becomes
   * 100 (won) or 0 (lost) and a won deal's actual revenue defaults to its estimate. Reopening clears the close date.
   */
  private applyOpportunityClose(row: StoredRow, before: Readonly<StoredRow> | null): void {
    const wasOpen = before === null || before.statecode === OPPORTUNITY_STATE.open;
    if (row.statecode === OPPORTUNITY_STATE.open) {
      if (!wasOpen) row.actualclosedate = null;
      return;
    }
    if (!wasOpen) return;
    row.actualclosedate ??= this.clock().toISOString().slice(0, 10);
    if (row.statecode === OPPORTUNITY_STATE.won) {
      row.closeprobability = 100;
      row.actualvalue ??= row.estimatedvalue;
    } else {
      row.closeprobability = 0;
    }
  }

  /** A business process flow instance that enters a stage records when, unless the writer said so itself. */
  private applyStageStart(row: StoredRow, written: readonly string[], before: Readonly<StoredRow> | null): void {
    if (written.includes("activestagestartedon")) return;
    if (before !== null && sameValue(before.activestageid, row.activestageid)) return;
    row.activestagestartedon = this.clock().toISOString().replace(/\.\d{3}Z$/, "Z");
  }

  /**
   * Base amounts are `amount / exchange rate` of the row's currency, rounded to two places. The rate is captured
   * when the row's money or currency changes, so a later rate change does not rewrite old rows (as in Dataverse).
   */
  private applyCurrency(meta: TableMetadata, row: StoredRow, written: readonly string[], before: Readonly<StoredRow> | null): void {
    const moneyColumns = this.columnsOf(meta).money;
    const changed =
      before === null ||
      written.includes("transactioncurrencyid") ||
      moneyColumns.some((c) => !sameValue(before[c.logicalName], row[c.logicalName]));
    if (!changed) return;
    if (row.transactioncurrencyid === null) {
      const base = this.baseCurrency();
      if (base) row.transactioncurrencyid = { id: base.transactioncurrencyid as string, table: "transactioncurrency" };
    }
    const currency = isLookupRef(row.transactioncurrencyid) ? this.get("transactioncurrency", row.transactioncurrencyid.id) : undefined;
    const rate = typeof currency?.exchangerate === "number" ? currency.exchangerate : 1;
    const precision = typeof currency?.currencyprecision === "number" ? currency.currencyprecision : STANDARD_PRECISION;
    row.exchangerate = rate;
    for (const c of moneyColumns) {
      const amount = row[c.logicalName];
      row[`${c.logicalName}_base`] = typeof amount === "number" ? roundTo(amount / rate, precision) : null;
    }
  }

  /** The organisation's base currency: the one whose exchange rate is 1. */
  baseCurrency(): Readonly<StoredRow> | undefined {
    for (const c of this.rows("transactioncurrency")) if (c.exchangerate === 1) return c;
    return undefined;
  }

  private mirrorActivity(meta: TableMetadata, row: Readonly<StoredRow>, deleted: boolean): void {
    if (!(ACTIVITY_TABLES as readonly string[]).includes(meta.logicalName)) return;
    const pointers = this.rowsOf("activitypointer");
    const id = row.activityid as string;
    if (deleted) {
      pointers.delete(id);
      return;
    }
    const pointerColumns = this.metadata.require("activitypointer").columns;
    const mirrored: StoredRow = {};
    for (const name of Object.keys(pointerColumns)) mirrored[name] = row[name] ?? null;
    pointers.set(id, mirrored);
  }

  private emit(change: RowChange): void {
    this.revisionCounter++;
    for (const listener of [...this.listeners]) listener(change);
  }
}

function roundTo(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export function sameValue(a: StoredValue | undefined, b: StoredValue | undefined): boolean {
  if (isLookupRef(a) && isLookupRef(b)) return a.id === b.id && a.table === b.table;
  return (a ?? null) === (b ?? null);
}
