/**
 * A PCF dataset over the in-memory Dataverse, as a view-bound dataset control sees it in a model-driven app: columns
 * from metadata, records with raw and formatted values in the user's language, paging (append or exact page),
 * sorting, filtering and `refresh` that re-reads the store, so a write made through `webAPI` shows up as it does in
 * the app.
 *
 * A record carries only the columns the host loaded: the view's, and those the control added with `addColumn`
 * (available in model-driven apps only; they arrive with the next load). Reading any other column gives null. What a
 * real host does there is not documented: the board is also tested against a host that throws instead
 * (`unloadedColumns: "throw"`). Whether added columns are listed in `columns` is not documented either: by default
 * the fake lists them, hidden, and `listAddedColumns: false` makes a host that does not.
 *
 * Property-sets: a maker binds each `property-set` of the control's data-set to a column in the designer, and the host
 * hands the control that column with `alias` set to the property-set's name (`propertySets`). A bound column the view
 * also shows is one column with the property-set's alias; one it does not show is loaded and listed all the same.
 * Unbound property-sets have no column.
 *
 * Load failures: `failLoads(message)` makes every later load fail as model-driven apps report it, `error` true and
 * `errorMessage` the server's message, with no records and an unknown total; `failLoads(null)` lets loads succeed
 * again (the next refresh brings the records back).
 */
import { formattedValue } from "./format";
import type { ColumnMetadata, LanguageId, TableMetadata } from "./metadata";
import { type Condition, type OrderBy, runQuery } from "./query";
import { type DataverseStore, isLookupRef, type StoredRow, type StoredValue } from "./store";

type DataSet = ComponentFramework.PropertyTypes.DataSet;
type EntityRecord = ComponentFramework.PropertyHelper.DataSetApi.EntityRecord;
type FilterExpression = ComponentFramework.PropertyHelper.DataSetApi.FilterExpression;
type ConditionExpression = ComponentFramework.PropertyHelper.DataSetApi.ConditionExpression;
type SortStatus = ComponentFramework.PropertyHelper.DataSetApi.SortStatus;
type LinkEntity = ComponentFramework.PropertyHelper.DataSetApi.LinkEntityExposedExpression;

export interface FakeDataSetOptions {
  readonly store: DataverseStore;
  readonly table: string;
  readonly columns: readonly string[];
  readonly language?: LanguageId;
  readonly pageSize?: number;
  readonly sorting?: readonly SortStatus[];
  /** The view's own filter, always applied under any filter the control sets. */
  readonly viewFilter?: Condition;
  readonly viewId?: string;
  readonly title?: string;
  /**
   * Called after every load, as the host calls `updateView` when a dataset changes. A page asked for through
   * `paging` arrives on a later macrotask, as PCF's does after its network round trip.
   */
  readonly onLoaded?: () => void;
  /** Called when the control asks to open a record. */
  readonly onOpen?: (reference: ComponentFramework.EntityReference) => void;
  /** The host: model-driven apps offer `addColumn`, canvas apps do not. */
  readonly host?: "model-driven" | "canvas";
  /** What reading a column the host did not load gives: null by default, or an error. */
  readonly unloadedColumns?: "null" | "throw";
  /** Whether columns added with `addColumn` appear in `columns` once loaded (hidden). */
  readonly listAddedColumns?: boolean;
  /** The property-sets a maker bound, by property-set name: `{ lane: "salesstage" }`. */
  readonly propertySets?: Readonly<Record<string, string>>;
  /** The first load already fails with this message (see `failLoads`). */
  readonly loadError?: string;
}

const PCF_DATA_TYPES: Readonly<Record<string, string>> = {
  string: "SingleLine.Text",
  memo: "Multiple",
  uniqueidentifier: "SingleLine.Text",
  integer: "Whole.None",
  bigint: "Whole.None",
  decimal: "Decimal",
  money: "Currency",
  datetime: "DateAndTime.DateAndTime",
  dateonly: "DateAndTime.DateOnly",
  boolean: "TwoOptions",
  choice: "OptionSet",
  state: "OptionSet",
  status: "OptionSet",
  lookup: "Lookup.Simple",
};

/** PCF condition operator codes (the Dataverse ConditionOperator enum) that the fake understands. */
function toCondition(c: ConditionExpression): Condition {
  const value = Array.isArray(c.value) ? c.value : [c.value];
  const column = c.attributeName;
  const compare = (op: "eq" | "ne" | "gt" | "ge" | "lt" | "le", v: string | null = value[0] ?? null): Condition => ({ kind: "compare", column, op, value: v });
  switch (c.conditionOperator) {
    case 0:
    case 25:
      return compare("eq");
    case 1:
      return compare("ne");
    case 2:
      return compare("gt");
    case 3:
      return compare("lt");
    case 4:
    case 27:
      return compare("ge");
    case 5:
    case 26:
      return compare("le");
    case 6:
      return { kind: "like", column, pattern: value[0] ?? "" };
    case 8:
      return { kind: "in", column, values: value };
    case 12:
      return compare("eq", null);
    default:
      throw new Error(`FakeDataSet: condition operator ${c.conditionOperator} on '${column}' is not supported by the in-memory Dataverse`);
  }
}

function toFilter(f: FilterExpression): Condition {
  const items = [...f.conditions.map(toCondition), ...(f.filters ?? []).map(toFilter)];
  return { kind: f.filterOperator === 1 ? "or" : "and", items };
}

export class FakeDataSet implements DataSet {
  columns: ComponentFramework.PropertyHelper.DataSetApi.Column[];
  error = false;
  errorMessage = "";
  loading = false;
  records: Record<string, EntityRecord> = {};
  sortedRecordIds: string[] = [];
  sorting: SortStatus[];
  readonly filtering: ComponentFramework.PropertyHelper.DataSetApi.Filtering;
  readonly linking: ComponentFramework.PropertyHelper.DataSetApi.Linking;
  /** Set when the control calls `refresh`, `loadNextPage` and the like, for tests to assert on. */
  loadCount = 0;

  private readonly meta: TableMetadata;
  private readonly language: LanguageId;
  private pageSize: number;
  private firstPage = 1;
  private lastPage = 1;
  private total = 0;
  private filter: FilterExpression | undefined;
  private selected: string[] = [];
  private readonly links: LinkEntity[] = [];
  private pendingPage: ReturnType<typeof setTimeout> | undefined;
  /** One record per stored row version: rows the store has not replaced keep their record across loads. */
  private recordOf = new WeakMap<Readonly<StoredRow>, EntityRecord>();
  /** Columns the control asked for, and those the last load brought (view columns and added ones). */
  private readonly requested: string[] = [];
  private failure: string | null;
  private loadedColumns: ReadonlySet<string>;
  /** `addColumn`, as model-driven apps offer it; undefined on a canvas host, as PCF's typings allow. */
  readonly addColumn?: (name: string, entityAlias?: string) => void;

  constructor(private readonly options: FakeDataSetOptions) {
    this.meta = options.store.metadata.require(options.table);
    this.language = options.language ?? 1033;
    this.pageSize = options.pageSize ?? 25;
    this.sorting = [...(options.sorting ?? [])];
    const bound = Object.entries(options.propertySets ?? {});
    const aliasOf = new Map(bound.map(([set, column]) => [column, set]));
    const viewColumns = options.columns.map((name, order) => ({ ...this.describe(name, order), ...(aliasOf.has(name) && { alias: aliasOf.get(name)! }) }));
    const setColumns = bound
      .filter(([, column]) => !options.columns.includes(column))
      .map(([set, column], i) => ({ ...this.describe(column, options.columns.length + i), alias: set }));
    this.columns = [...viewColumns, ...setColumns];
    this.failure = options.loadError ?? null;
    this.filtering = {
      getFilter: () => this.filter ?? { conditions: [], filterOperator: 0 },
      setFilter: (expression: FilterExpression) => {
        this.filter = expression;
      },
      clearFilter: () => {
        this.filter = undefined;
      },
    };
    this.loadedColumns = new Set([...options.columns, ...setColumns.map((c) => c.name)]);
    if ((options.host ?? "model-driven") === "model-driven") {
      this.addColumn = (name: string) => {
        this.column(name);
        if (!this.requested.includes(name) && !options.columns.includes(name)) this.requested.push(name);
      };
    }
    this.linking = {
      getLinkedEntities: () => [...this.links],
      addLinkedEntity: (expression: LinkEntity) => {
        this.links.push(expression);
      },
    };
    this.load(1, 1);
  }

  /** A fresh snapshot on every read, so the numbers always describe the pages loaded now. */
  get paging(): ComponentFramework.PropertyHelper.DataSetApi.Paging {
    return {
      totalResultCount: this.total,
      firstPageNumber: this.firstPage,
      lastPageNumber: this.lastPage,
      pageSize: this.pageSize,
      hasNextPage: this.lastPage * this.pageSize < this.total,
      hasPreviousPage: this.firstPage > 1,
      loadNextPage: (loadOnlyNewPage?: boolean) => this.loadLater(loadOnlyNewPage ? this.lastPage + 1 : this.firstPage, this.lastPage + 1),
      loadPreviousPage: (loadOnlyNewPage?: boolean) => {
        const previous = Math.max(1, this.firstPage - 1);
        this.loadLater(previous, loadOnlyNewPage ? previous : this.lastPage);
      },
      loadExactPage: (pageNumber: number) => this.loadLater(pageNumber, pageNumber),
      reset: () => this.loadLater(1, 1),
      setPageSize: (size: number) => {
        this.pageSize = size;
      },
    };
  }

  /** As in PCF, the refreshed data comes in a later updateView cycle, not during the call. */
  refresh(): void {
    this.loadLater(this.firstPage, this.lastPage);
  }

  getTargetEntityType(): string {
    return this.meta.logicalName;
  }

  getTitle(): string {
    return this.options.title ?? this.meta.displayCollectionName[this.language];
  }

  getViewId(): string {
    return this.options.viewId ?? "00000000-0000-0000-00aa-000010001002";
  }

  getSelectedRecordIds(): string[] {
    return [...this.selected];
  }

  setSelectedRecordIds(ids: string[]): void {
    this.selected = [...ids];
  }

  clearSelectedRecordIds(): void {
    this.selected = [];
  }

  /** Later loads fail with `message` (`error`, `errorMessage`), or succeed again with null. Takes effect on the next load. */
  failLoads(message: string | null): void {
    this.failure = message;
  }

  openDatasetItem(entityReference: ComponentFramework.EntityReference): void {
    this.options.onOpen?.(entityReference);
  }

  private describe(name: string, order: number): ComponentFramework.PropertyHelper.DataSetApi.Column {
    const column = this.column(name);
    return {
      name,
      displayName: column.displayName[this.language],
      dataType: PCF_DATA_TYPES[column.type],
      alias: name,
      order,
      visualSizeFactor: 100,
      isPrimary: name === this.meta.primaryNameAttribute,
    };
  }

  private column(name: string): ColumnMetadata {
    const column = this.meta.columns[name];
    if (!column) throw new Error(`FakeDataSet: table '${this.meta.logicalName}' has no column '${name}'`);
    return column;
  }

  /** `loading` until the page arrives; a newer request replaces one still waiting, as the latest request wins in PCF. */
  private loadLater(firstPage: number, lastPage: number): void {
    if (this.pendingPage !== undefined) clearTimeout(this.pendingPage);
    this.loading = true;
    this.pendingPage = setTimeout(() => {
      this.pendingPage = undefined;
      this.load(firstPage, lastPage);
    }, 0);
  }

  private load(firstPage: number, lastPage: number): void {
    if (this.pendingPage !== undefined) {
      clearTimeout(this.pendingPage);
      this.pendingPage = undefined;
    }
    this.loading = false;
    if (this.failure !== null) {
      this.error = true;
      this.errorMessage = this.failure;
      this.records = {};
      this.sortedRecordIds = [];
      this.total = -1;
      this.firstPage = 1;
      this.lastPage = 1;
      this.loadCount++;
      this.options.onLoaded?.();
      return;
    }
    this.error = false;
    this.errorMessage = "";
    const added = this.requested.filter((name) => !this.loadedColumns.has(name));
    if (added.length > 0) {
      this.loadedColumns = new Set([...this.loadedColumns, ...added]);
      // Records made before carried fewer columns.
      this.recordOf = new WeakMap();
      if (this.options.listAddedColumns ?? true) {
        const order = this.columns.length;
        this.columns = [...this.columns, ...added.map((name, i) => ({ ...this.describe(name, order + i), isHidden: true }))];
      }
    }
    const filters = [this.options.viewFilter, this.filter && toFilter(this.filter)].filter((f): f is Condition => f !== undefined);
    const orderBy: OrderBy[] = this.sorting
      .filter((s) => s.sortDirection !== -1)
      .map((s) => ({ column: s.name, descending: s.sortDirection === 1 }));
    const rows = runQuery(this.meta, this.options.store.rows(this.meta.logicalName), filters.length > 0 ? { kind: "and", items: filters } : undefined, orderBy);
    this.total = rows.length;
    this.firstPage = firstPage;
    this.lastPage = lastPage;
    const page = rows.slice((firstPage - 1) * this.pageSize, lastPage * this.pageSize);
    this.records = {};
    this.sortedRecordIds = page.map((row) => {
      const id = row[this.meta.primaryIdAttribute] as string;
      let record = this.recordOf.get(row);
      if (record === undefined) {
        record = this.record(row);
        this.recordOf.set(row, record);
      }
      this.records[id] = record;
      return id;
    });
    this.loadCount++;
    this.options.onLoaded?.();
  }

  private record(row: Readonly<StoredRow>): EntityRecord {
    const { store } = this.options;
    const id = row[this.meta.primaryIdAttribute] as string;
    const name = row[this.meta.primaryNameAttribute];
    const reference: ComponentFramework.EntityReference = { id: { guid: id }, etn: this.meta.logicalName, name: typeof name === "string" ? name : "" };
    const nameOf = (table: string, refId: string) => {
      const target = store.get(table, refId)?.[store.metadata.require(table).primaryNameAttribute];
      return typeof target === "string" ? target : null;
    };
    const currencyRef = row.transactioncurrencyid;
    const currency = isLookupRef(currencyRef) ? store.get("transactioncurrency", currencyRef.id) : undefined;
    const format = (columnName: string): string => {
      const column = this.column(columnName);
      const value = row[columnName];
      if (typeof value === "string" && (column.type === "string" || column.type === "memo" || column.type === "uniqueidentifier")) return value;
      return (
        formattedValue(column, value, {
          language: this.language,
          nameOf,
          ...(currency && { currency: { symbol: currency.currencysymbol as string, precision: Number(currency.currencyprecision) } }),
        }) ?? ""
      );
    };
    const loaded = this.loadedColumns;
    const unloaded = (columnName: string) => {
      this.column(columnName);
      if (this.options.unloadedColumns === "throw") throw new Error(`FakeDataSet: column '${columnName}' was not loaded (not in the view, not added with addColumn)`);
      return EMPTY;
    };
    const value = (columnName: string) => (loaded.has(columnName) ? rawValue(this.column(columnName), row[columnName], nameOf) : unloaded(columnName));
    // The platform receives values and formatted values with the page (the Web API's annotations) and only looks them
    // up afterwards; reading the view's columns as the page arrives keeps that cost where the platform pays it.
    const formatted = new Map(this.columns.map((c) => [c.name, format(c.name)]));
    const values = new Map(this.columns.map((c) => [c.name, value(c.name)]));
    return {
      getRecordId: () => id,
      getNamedReference: () => reference,
      getFormattedValue: (columnName: string) => formatted.get(columnName) ?? (loaded.has(columnName) ? format(columnName) : (unloaded(columnName), "")),
      getValue: (columnName: string) => (values.has(columnName) ? values.get(columnName)! : value(columnName)),
    };
  }
}

type RawValue = ReturnType<EntityRecord["getValue"]>;

/** PCF returns null for empty cells although its typings leave null out of getValue's return type. */
const EMPTY = null as unknown as RawValue;

function rawValue(column: ColumnMetadata, value: StoredValue | undefined, nameOf: (table: string, id: string) => string | null): RawValue {
  if (value === null || value === undefined) return EMPTY;
  if (isLookupRef(value)) return { id: { guid: value.id }, etn: value.table, name: nameOf(value.table, value.id) ?? "" };
  if ((column.type === "datetime" || column.type === "dateonly") && typeof value === "string") {
    return new Date(value.length === 10 ? `${value}T00:00:00Z` : value);
  }
  return value;
}
