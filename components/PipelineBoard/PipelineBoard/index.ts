import * as React from "react";
import {
  type DataverseClient,
  DATAVERSE_ERROR_MESSAGE_KEYS,
  DataverseError,
  detectTeamsHost,
  entitySetsFrom,
  hostThemeProp,
  HttpDataverseClient,
  languageOf,
  PcfDataverseClient,
  type TeamsHostInfo,
} from "@tcc/common";
import { BROWSER_TEAMS, type TeamsEnvironment } from "./teamsEnvironment";
import type { IInputs, IOutputs } from "./generated/ManifestTypes";
import { type AggregateColumns, aggregateColumnsFor, buildAggregateFetchXml, checkAgainstDataset, loadViewTotals, type TotalsSource, type XmlCodec } from "./model/aggregate";
import { type BoardCard, type CardColumns, cardReaderFor, lazyCardReaderFor, type RecordAccess, todayOf } from "./model/card";
import { type BaseCurrency, localeOf } from "./model/format";
import { type Lane, type LaneOption, lanesFor } from "./model/lanes";
import { dataverseMoveServices, RecordGone } from "./model/dataverseMoves";
import { laneMetadataOf } from "./model/metadata";
import { loadTeamsTargets } from "./model/teams";
import { ProcessBoard } from "./model/processMoves";
import { type ProcessDefinition, stageLaneOf } from "./model/processStages";
import type { LaneColumnKind, MoveServices } from "./model/moves";
import { type BoardFilter, type BoardMeasures, NO_FILTER, type SortKey } from "./model/filters";
import { type Translate, translator } from "./strings";
import { webApiRecordReader } from "./model/laneQuery";
import { FIRST_PAINT_RECORDS, READ_STEP } from "./model/readingPace";
import { ServerLanes } from "./model/serverLanes";
import type { BoardProps, PagedBoardSource } from "./ui/Board";
import { BoardHost, type BoardSource } from "./ui/BoardHost";

/** Dataverse serves at most 5,000 rows a page. */
const PAGE_SIZE = 5000;
const DEFAULT_MAX_RECORDS = 5000;
const WRITE_PRIVILEGE = 3;
const BASIC_DEPTH = 0;
/** Room the progress bar, filters, totals note and lane header take above a lane's cards. */
const CHROME_HEIGHT = 220;
const DEFAULT_LANE_HEIGHT = 560;
const PENDING_TOTALS: TotalsSource = { scope: "loaded", reason: "pending" };
const NO_CARDS: BoardCard[] = [];

type DatasetRecord = ComponentFramework.PropertyHelper.DataSetApi.EntityRecord;

/** Hosts may throw for a column the view does not carry (an opportunity default on a maker's own table): no value. */
const DATASET_ACCESS: RecordAccess<DatasetRecord> = {
  value: (record, column) => {
    try {
      return record.getValue(column);
    } catch {
      return null;
    }
  },
  text: (record, column) => {
    try {
      return record.getFormattedValue(column) ?? "";
    } catch {
      return "";
    }
  },
};

const browserXml: XmlCodec = {
  parse: (text) => {
    const document = new DOMParser().parseFromString(text, "text/xml");
    const error = document.getElementsByTagName("parsererror")[0];
    if (error) throw new Error(error.textContent ?? "parser error");
    return document;
  },
  serialize: (document) => new XMLSerializer().serializeToString(document as Document),
};

/**
 * Runs `then` once the browser has painted the frame being prepared. The second animation frame is the one after that
 * frame was painted; a timer set from the first can still run before the paint is presented.
 */
function afterPaint(then: () => void): void {
  if (typeof requestAnimationFrame === "function") requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(then, 0)));
  else setTimeout(then, 0);
}

function text(input: ComponentFramework.PropertyTypes.StringProperty, fallback: string): string {
  const value = input.raw?.trim();
  return value === undefined || value === "" ? fallback : value;
}

/** Adapts the PCF context to the board: paging, columns, metadata, navigation and saving. Nothing here decides. */
export class PipelineBoard implements ComponentFramework.ReactControl<IInputs, IOutputs> {
  private context!: ComponentFramework.Context<IInputs>;
  private client!: DataverseClient;
  private lanes: LaneOption[] = [];
  private laneKind: LaneColumnKind = "choice";
  private metadataFor = "";
  private totals: TotalsSource = { scope: "loaded", reason: "pending" };
  private totalsFor = "";
  private cards: BoardCard[] = [];
  private cardsFrom: { records: unknown; count: number; columns: string } = { records: null, count: -1, columns: "" };
  /**
   * Cards read so far, by record id, with what they were read from: each page reads only its new or changed records
   * instead of every card loaded so far. A row version identifies a record's content; without one, the record object.
   */
  private cardCache = new Map<string, { source: unknown; card: BoardCard }>();
  private services!: MoveServices;
  /** The business process flow whose stages are the lanes, when the maker set one. */
  private process!: ProcessBoard;
  /** Whether the frames above the app are Teams, read once from the page; no Teams SDK is asked (docs/reference/teams-host.md). */
  private teamsHost: TeamsHostInfo = { inTeams: false, evidence: "none", theme: "default" };
  private destroyed = false;
  private addedColumns: ReadonlySet<string> = new Set();

  constructor(private readonly teamsEnvironment: TeamsEnvironment = BROWSER_TEAMS) {}
  private laneCache: { options: LaneOption[]; cards: BoardCard[]; noValue: string; lanes: Lane[] } | null = null;

  public init(context: ComponentFramework.Context<IInputs>): void {
    this.context = context;
    context.mode.trackContainerResize(true);
    this.teamsHost = detectTeamsHost(this.teamsEnvironment.signals());
    // Concurrency-checked writes go through the Web API, which names tables by set name: a maker's own table, or
    // the instance table of a maker's flow, is looked up in its metadata.
    const entitySet = entitySetsFrom((table) => this.context.utils.getEntityMetadata(table));
    const http = new HttpDataverseClient({ fetch: (input, init) => fetch(input, init), entitySet });
    this.http = http;
    this.client = new PcfDataverseClient(context.webAPI, http);
    this.process = new ProcessBoard(() => this.client, this.rerender, { entitySet, relationshipsOf: (table) => http.manyToOneRelationships(table) });
    // Table, lane column and flow are read at each call: updateView may bring different inputs.
    const goneTexts = {
      notOpen: (state: string) => this.translatorFor(this.context)("Move_Refused_NotOpen", state),
      deleted: () => this.translatorFor(this.context)("Move_Refused_Deleted"),
    };
    const movesNow = () => (this.processFlow === "" ? dataverseMoveServices(this.client, this.entity, this.columns.lane, goneTexts) : this.process.services);
    this.services = {
      save: async (id, laneValue, etag, loadedLane) => {
        try {
          await movesNow().save(id, laneValue, etag, loadedLane);
        } catch (error) {
          // The view no longer holds the record (closed or deleted elsewhere): read it again so the card leaves.
          if (error instanceof RecordGone) {
            if (this.serverLanes) this.serverLanes.reload();
            else this.context.parameters.records.refresh();
          }
          throw error;
        }
      },
      reload: (id) => movesNow().reload(id),
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    };
    const dataset = context.parameters.records;
    const present = new Set(dataset.columns.map((c) => c.name));
    const amountType = dataset.columns.find((c) => c.name === this.columns.amount)?.dataType;
    const missing = [...(amountType === "Currency" ? [`${this.columns.amount}_base`] : []), "versionnumber", "statecode"].filter((c) => !present.has(c));
    const addColumn = dataset.addColumn?.bind(dataset);
    if (addColumn) {
      // Hosts need not list added columns in `dataset.columns`; the board reads them all the same. A host that refuses
      // one (a table without a status column) leaves the card without what it gives.
      this.addedColumns = new Set(
        missing.filter((column) => {
          try {
            addColumn(column);
            return true;
          } catch {
            return false;
          }
        }),
      );
    }
    // Where lanes can read their own cards, the host's first page only seeds the first frame: loading thousands of
    // rows into the dataset would only delay it. Elsewhere the dataset is the board's only source.
    if (dataset.getViewId() === "" || this.processFlow !== "") this.prepareDataset();
  }

  private datasetPrepared = false;

  /** The dataset as the board's source: pages as big as Dataverse serves, and the columns the cards need. */
  private prepareDataset(): void {
    if (this.datasetPrepared) return;
    this.datasetPrepared = true;
    const dataset = this.context.parameters.records;
    const pageSize = Math.min(PAGE_SIZE, this.maxRecords);
    // A refresh fetches the view again; when the host already loaded it with our page size and columns, the board
    // draws what it has instead of waiting for the same rows twice.
    if (dataset.paging.pageSize !== pageSize || this.addedColumns.size > 0) {
      dataset.paging.setPageSize(pageSize);
      dataset.refresh();
    }
  }

  private get entity(): string {
    return this.context.parameters.records.getTargetEntityType();
  }

  /** The flow's unique name, or "". Hosts made before this input existed (the workbench) do not pass it. */
  private get processFlow(): string {
    const input = this.context.parameters.businessProcessFlow as ComponentFramework.PropertyTypes.StringProperty | undefined;
    return input === undefined ? "" : text(input, "");
  }

  private get maxRecords(): number {
    const raw = this.context.parameters.maxRecords.raw;
    return raw !== null && raw > 0 ? raw : DEFAULT_MAX_RECORDS;
  }

  private get columns(): CardColumns {
    const p = this.context.parameters;
    const dataset = p.records;
    // A property-set the maker bound in the designer arrives as a column whose alias is the property-set's name; it
    // wins over the text property, which stays for views that lack the column (and hosts without the picker).
    const bound = (set: string) => dataset.columns.find((c) => c.alias === set && c.name !== "")?.name;
    const amount = bound("amount") ?? text(p.amountColumn, "estimatedvalue");
    const names = new Set(dataset.columns.map((c) => c.name));
    return {
      name: dataset.columns.find((c) => c.isPrimary)?.name ?? "name",
      lane: bound("lane") ?? text(p.laneColumn, "salesstage"),
      amount,
      probability: bound("probability") ?? text(p.probabilityColumn, "closeprobability"),
      closeDate: bound("closeDate") ?? text(p.closeDateColumn, "estimatedclosedate"),
      owner: bound("owner") ?? text(p.ownerColumn, "ownerid"),
      account: ["parentaccountid", "customerid"],
      ...((names.has(`${amount}_base`) || this.addedColumns.has(`${amount}_base`)) && { amountBase: `${amount}_base` }),
      ...((names.has("versionnumber") || this.addedColumns.has("versionnumber")) && { version: "versionnumber" }),
      ...((names.has("statecode") || this.addedColumns.has("statecode")) && { state: "statecode" }),
    };
  }

  /** Changes the board should show since init; the host component redraws when it goes up (ui/BoardHost.tsx). */
  private changes = 0;
  private listeners = new Set<() => void>();
  private updateViews = 0;

  /**
   * Something the board shows changed inside the control. The board redraws from React state, whatever the host does;
   * `requestRender` stays a hint, for hosts that then call updateView with fresh inputs (model-driven apps do, stock
   * pcf-start does not).
   */
  private rerender = (): void => {
    this.changes++;
    this.listeners.forEach((listener) => listener());
    this.context.factory.requestRender();
  };

  private readonly source: BoardSource = {
    version: () => this.changes,
    subscribe: (listener) => {
      this.listeners.add(listener);
      return () => void this.listeners.delete(listener);
    },
    boardProps: () => this.boardProps(),
  };

  private baseCurrency: BaseCurrency | undefined;
  private baseCurrencyAsked = false;

  /** One request at load: the base currency's symbol, for lane totals (summed in the base currency). */
  private ensureBaseCurrency(): void {
    if (this.baseCurrencyAsked) return;
    this.baseCurrencyAsked = true;
    void this.loadBaseCurrency();
  }

  private async loadBaseCurrency(): Promise<void> {
    try {
      const page = await this.client.retrieveMultiple("transactioncurrency", { select: ["currencysymbol"], filter: "exchangerate eq 1", top: 1 });
      const symbol = page.rows[0]?.currencysymbol;
      if (typeof symbol !== "string" || symbol === "" || this.destroyed) return;
      this.baseCurrency = { symbol, pattern: this.context.userSettings.numberFormattingInfo?.currencyPositivePattern ?? 0 };
      this.rerender();
    } catch {
      // Without it (no read privilege, a host without the Web API) the totals are plain numbers, as before.
    }
  }

  /** Loads lane options once per lane column; until they arrive, lanes come from the values on the cards. */
  private ensureMetadata(lane: string): void {
    const key = `${this.entity}|${lane}`;
    if (this.metadataFor === key) return;
    this.metadataFor = key;
    void this.loadMetadata(key, lane);
  }

  private async loadMetadata(key: string, lane: string): Promise<void> {
    try {
      const read = laneMetadataOf(await this.context.utils.getEntityMetadata(this.entity, [lane]), lane);
      if (this.metadataFor !== key) return;
      this.lanes = read.options;
      this.laneKind = read.kind;
      this.metadataRead = key;
      this.rerender();
    } catch {
      // Without metadata the lanes still come from the values on the cards, in the order they are met.
      this.metadataRead = `failed:${key}`;
      this.rerender();
    }
  }

  private http!: HttpDataverseClient;
  /** Which lane metadata was read ("failed:<key>" when it could not be). */
  private metadataRead = "";
  /**
   * Where the cards come from: "server" when each lane pages its own cards from Dataverse (the view's query could be
   * read and run); "dataset" when not (a host without the Web API, like pcf-start or a canvas app, or a business
   * process flow's stages as lanes), where the board holds what the dataset loads, up to Max records; "pending" while
   * that is being found out, showing the dataset's first records.
   */
  private mode: "pending" | "server" | "dataset" = "pending";
  private serverLanes: ServerLanes | undefined;
  private serverFor = "";
  /** The dataset's records when the lanes were last read from Dataverse. */
  private recordsSeen: unknown;

  /** Tries the lanes-from-Dataverse mode once per view, lane column and set of card columns. */
  private ensureServerLanes(columns: CardColumns, onProcess: boolean): void {
    const dataset = this.context.parameters.records;
    const viewId = dataset.getViewId();
    const metadataKey = `${this.entity}|${columns.lane}`;
    const key = `${viewId}|${metadataKey}|${JSON.stringify(columns)}`;
    if (this.serverFor === key) return;
    if (onProcess || !viewId || this.metadataRead === `failed:${metadataKey}`) {
      this.serverFor = key;
      this.useDataset(true);
      return;
    }
    if (this.metadataRead !== metadataKey) return;
    this.serverFor = key;
    void this.startServerLanes(key, viewId, columns);
  }

  private async startServerLanes(key: string, viewId: string, columns: CardColumns): Promise<void> {
    const dataset = this.context.parameters.records;
    try {
      const [viewFetchXml, primaryId] = await Promise.all([this.viewFetchXml(viewId), this.primaryIdOf(this.entity)]);
      if (this.serverFor !== key || this.destroyed) return;
      const viewColumns = dataset.columns.filter((c) => !c.isHidden).sort((a, b) => a.order - b.order);
      const read = cardReaderFor(columns, viewColumns);
      const totalled = aggregateColumnsFor(columns, dataset.columns);
      const lanes = new ServerLanes(
        {
          client: this.http,
          entity: this.entity,
          viewFetchXml,
          primaryId,
          laneColumn: columns.lane,
          laneValues: [...this.lanes.map((o) => o.value), null],
          extraColumns: [columns.amountBase, columns.version, columns.state].filter((c): c is string => c !== undefined),
          ...(totalled.amount && { amount: totalled.amount }),
          ...(totalled.probability !== undefined && { probability: totalled.probability }),
          readCard: (row) => read(webApiRecordReader(row, primaryId)),
          xml: browserXml,
        },
        this.queryShape(columns, this.shape),
      );
      this.serverLanes?.close();
      this.serverLanes = lanes;
      this.mode = "server";
      lanes.seed(this.cards);
      lanes.subscribe(this.rerender);
      this.rerender();
    } catch {
      if (this.serverFor === key) this.useDataset(false);
    }
  }

  /**
   * Dataverse cannot page the lanes here: the board holds what the dataset loads, up to Max records. `duringRender`:
   * found out while drawing, where a refresh (which can make the host draw again at once) must wait.
   */
  private useDataset(duringRender: boolean): void {
    this.serverLanes?.close();
    this.serverLanes = undefined;
    if (this.mode === "dataset") return;
    this.mode = "dataset";
    const prepare = () => {
      if (this.destroyed) return;
      this.prepareDataset();
      this.rerender();
    };
    if (duringRender) setTimeout(prepare, 0);
    else prepare();
  }

  private shape: { filter: BoardFilter; sort: SortKey } | null = null;

  private queryShape(columns: CardColumns, shape: { filter: BoardFilter; sort: SortKey } | null) {
    const names = new Set(this.context.parameters.records.columns.map((c) => c.name));
    return {
      filter: shape?.filter ?? NO_FILTER,
      sort: shape?.sort ?? ("view" as const),
      today: todayOf(new Date()),
      columns: {
        name: columns.name,
        amount: columns.amount,
        probability: columns.probability,
        closeDate: columns.closeDate,
        owner: columns.owner,
        ...(names.has("parentaccountid") && { account: "parentaccountid" }),
      },
    };
  }

  private paged: { version: number; source: PagedBoardSource } | null = null;

  /** The same object while no lane changed, so the board regroups only when a page or count arrived. */
  private pagedSourceOf(lanes: ServerLanes, columns: CardColumns, t: Translate): PagedBoardSource {
    if (this.paged?.version === lanes.version && this.paged.source.lanes === lanes) return this.paged.source;
    const source: PagedBoardSource = {
      version: lanes.version,
      lanes,
      query: (filter, sort) => {
        this.shape = { filter, sort };
        lanes.setShape(this.queryShape(columns, this.shape));
      },
      want: (laneKey, start, end) => lanes.pagerOf(laneKey)?.want(start, end),
      errorOf: (laneKey) => {
        const error = lanes.pagerOf(laneKey)?.error;
        if (error === null || error === undefined) return undefined;
        return error instanceof DataverseError ? t(DATAVERSE_ERROR_MESSAGE_KEYS[error.kind]) : error instanceof Error ? error.message : t("DataverseError_Unknown");
      },
    };
    this.paged = { version: lanes.version, source };
    return source;
  }

  /** Runs the whole-view aggregate once per view, flow and set of totalled columns. */
  private ensureTotals(columns: CardColumns, process?: ProcessDefinition): void {
    const dataset = this.context.parameters.records;
    const viewId = dataset.getViewId();
    // Keyed by what is totalled, not by the inputs: the view's columns decide that too, and they change with
    // "Edit columns" or arrive after the first updateView.
    const totalled = aggregateColumnsFor(columns, dataset.columns);
    const key = `${viewId}|${process?.processId ?? ""}|${JSON.stringify(totalled)}`;
    if (this.totalsFor === key || !viewId) return;
    this.totalsFor = key;
    this.totals = PENDING_TOTALS;
    void this.loadTotals(key, viewId, totalled, process);
  }

  /** For stage lanes the aggregate joins each record's process instance and groups by its active stage. */
  private async loadTotals(key: string, viewId: string, columns: AggregateColumns, process?: ProcessDefinition): Promise<void> {
    let source: TotalsSource;
    try {
      const view = await this.viewFetchXml(viewId);
      const grouped =
        process === undefined
          ? columns
          : { ...columns, lane: { instanceTable: process.instanceTable, lookup: process.instanceLookup, recordId: await this.primaryIdOf(this.entity) } };
      const fetchXml = buildAggregateFetchXml(view, grouped, browserXml);
      source = await loadViewTotals(this.client, this.entity, fetchXml, process && ((stage) => stageLaneOf(process, stage)));
    } catch {
      // The view's query could not be read or rewritten: loaded-record totals, labelled so.
      source = { scope: "loaded", reason: "unavailable" };
    }
    if (this.totalsFor !== key) return;
    this.totals = source;
    this.rerender();
  }

  private async primaryIdOf(table: string): Promise<string> {
    const { PrimaryIdAttribute: id } = (await this.context.utils.getEntityMetadata(table)) as { PrimaryIdAttribute?: unknown };
    if (typeof id !== "string" || id === "") throw new Error(`The metadata of table '${table}' names no primary id column`);
    return id;
  }

  private async viewFetchXml(viewId: string): Promise<string> {
    for (const table of ["savedquery", "userquery"]) {
      try {
        const row = await this.client.retrieve(table, viewId, { select: ["fetchxml"] });
        if (typeof row.fetchxml === "string") return row.fetchxml;
      } catch (error) {
        if (!(error instanceof DataverseError && error.kind === "notFound")) throw error;
      }
    }
    throw new Error(`view ${viewId} is neither a system view (savedquery) nor a personal view (userquery)`);
  }

  /** Records updateView may read into cards: the first part of the page until a frame with cards is painted, then all. */
  private readLimit = FIRST_PAINT_RECORDS;
  private readMoreScheduled = false;

  private readCards(columns: CardColumns): BoardCard[] {
    const dataset = this.context.parameters.records;
    const columnKey = JSON.stringify(columns);
    const ids = dataset.sortedRecordIds;
    const viewColumns = dataset.columns.filter((c) => !c.isHidden).sort((a, b) => a.order - b.order);
    const viewKey = `${columnKey}|${viewColumns.map((c) => `${c.name}:${c.displayName}`).join(",")}`;
    const limit = Math.min(ids.length, this.maxRecords, this.readLimit);
    if (this.cardsFrom.records === dataset.records && this.cardsFrom.count === ids.length && this.cardsFrom.columns === viewKey && this.cards.length === limit) {
      return this.cards;
    }
    const previous = this.cardsFrom.columns === viewKey ? this.cardCache : new Map<string, { source: unknown; card: BoardCard }>();
    const next = new Map<string, { source: unknown; card: BoardCard }>();
    const cards: BoardCard[] = new Array<BoardCard>(limit);
    const read = lazyCardReaderFor(columns, viewColumns, DATASET_ACCESS);
    for (let i = 0; i < limit; i++) {
      const id = ids[i];
      const record = dataset.records[id];
      // A row version identifies a record's content; without one (a host that accepts the added column but gives no
      // value, as pcf-start does), the record object does.
      const source = (columns.version === undefined ? undefined : DATASET_ACCESS.value(record, columns.version)) ?? record;
      const cached = previous.get(id);
      const card = cached?.source === source ? cached.card : read(id, record);
      cards[i] = card;
      next.set(id, { source, card });
    }
    this.cards = cards;
    this.cardCache = next;
    this.cardsFrom = { records: dataset.records, count: ids.length, columns: viewKey };
    return cards;
  }

  /** The same lanes array while nothing changed, so the board does not regroup 20,000 cards on every updateView. */
  private lanesOf(cards: BoardCard[], noValue: string): Lane[] {
    const cache = this.laneCache;
    if (cache?.options === this.lanes && cache.cards === cards && cache.noValue === noValue) return cache.lanes;
    const lanes = lanesFor(this.lanes, noValue, cards);
    this.laneCache = { options: this.lanes, cards, noValue, lanes };
    return lanes;
  }

  private measuresCache: { key: string; measures: BoardMeasures } | null = null;

  /** The figures the view carries, the same object while they stay the same (the toolbar is memoised on it). */
  private measuresOf(columns: CardColumns): BoardMeasures {
    const present = new Set(this.context.parameters.records.columns.map((c) => c.name));
    const measures = { amount: present.has(columns.amount), probability: present.has(columns.probability), closeDate: present.has(columns.closeDate) };
    const key = `${measures.amount}|${measures.probability}|${measures.closeDate}`;
    if (this.measuresCache?.key !== key) this.measuresCache = { key, measures };
    return this.measuresCache.measures;
  }

  private translate: { resources: unknown; t: Translate } | null = null;

  /** The same function while the resources are: every lane and card is memoised on it, and a new one redraws them all. */
  private translatorFor(context: ComponentFramework.Context<IInputs>): Translate {
    if (this.translate?.resources !== context.resources) {
      const { resources } = context;
      this.translate = { resources, t: translator((key) => resources.getString(key), languageOf(context.userSettings.languageId)) };
    }
    return this.translate.t;
  }

  private nextPageScheduled = false;

  /** Asks for the next page once the browser has painted what is loaded: reading and drawing it never delays that frame. */
  private loadNextPageAfterPaint(): void {
    if (this.nextPageScheduled) return;
    this.nextPageScheduled = true;
    afterPaint(() => {
      this.nextPageScheduled = false;
      const dataset = this.context.parameters.records;
      if (!dataset.loading && dataset.paging.hasNextPage && dataset.sortedRecordIds.length < this.maxRecords) dataset.paging.loadNextPage();
    });
  }

  /** Once a frame with the first cards is painted, the next step of records is read, one step a frame. */
  private readMoreAfterPaint(): void {
    if (this.readMoreScheduled) return;
    this.readMoreScheduled = true;
    afterPaint(() => {
      this.readMoreScheduled = false;
      this.readLimit += READ_STEP;
      if (!this.destroyed) this.rerender();
    });
  }

  /** A host component that draws the board from `boardProps` now and after every internal change (see `rerender`). */
  public updateView(context: ComponentFramework.Context<IInputs>): React.ReactElement {
    this.context = context;
    return React.createElement(BoardHost, { source: this.source, render: ++this.updateViews });
  }

  /** The board's props from the latest context: what updateView drew before the host component (tests read them). */
  public boardProps(): BoardProps {
    const context = this.context;
    const dataset = context.parameters.records;
    const columns = this.columns;
    const t = this.translatorFor(context);
    const onProcess = this.process.configure(this.processFlow, this.entity, context.userSettings.languageId, t) && !this.process.failed;
    if (!onProcess) this.ensureMetadata(columns.lane);
    this.ensureServerLanes(columns, onProcess);
    const server = this.mode === "server" ? this.serverLanes : undefined;
    // The host loading the view again (the command bar's Refresh, a save elsewhere on the page) gives the dataset new
    // records: the lanes are read again too.
    if (server && !dataset.loading && dataset.records !== this.recordsSeen) {
      if (this.recordsSeen !== undefined) server.reload();
      this.recordsSeen = dataset.records;
    }
    if (this.mode === "dataset") {
      if (!onProcess) this.ensureTotals(columns);
      else if (this.process.definition !== null) this.ensureTotals(columns, this.process.definition);
    }
    if (this.measuresOf(columns).amount) this.ensureBaseCurrency();
    const loaded = Math.min(dataset.sortedRecordIds.length, this.maxRecords);
    const morePages = !dataset.error && dataset.paging.hasNextPage && loaded < this.maxRecords;
    if (!dataset.loading && morePages && this.mode === "dataset") this.loadNextPageAfterPaint();
    const read = server ? NO_CARDS : this.readCards(columns);
    if (read.length < loaded && this.mode === "dataset") this.readMoreAfterPaint();
    const cards = onProcess ? this.process.cardsOf(read) : read;
    const language = languageOf(context.userSettings.languageId);
    const total = dataset.paging.totalResultCount;
    const height = context.mode.allocatedHeight;
    return {
      t,
      locale: localeOf(language),
      today: todayOf(new Date()),
      lanes: onProcess ? this.process.lanes() : this.lanesOf(cards, t("Board_NoValue")),
      cards,
      ...(server && { paged: this.pagedSourceOf(server, columns, t) }),
      ...(this.mode === "dataset" && total > this.maxRecords && loaded >= this.maxRecords && { capped: { shown: this.maxRecords, total } }),
      laneKind: onProcess ? "choice" : this.laneKind,
      permissions: {
        controlDisabled: context.mode.isControlDisabled,
        allowMove: context.parameters.allowMove.raw,
        canWrite: context.utils.hasEntityPrivilege(onProcess ? this.processFlow : this.entity, WRITE_PRIVILEGE, BASIC_DEPTH),
      },
      totals: checkAgainstDataset(onProcess && this.process.definition === null ? PENDING_TOTALS : this.totals, total),
      ...(this.process.failed && { notice: `${t("Process_Unavailable", this.processFlow)} ${this.process.failureReason}` }),
      progress: server
        ? { loaded: 0, total: null, loading: false }
        : { loaded: read.length, total: total >= 0 ? Math.min(total, this.maxRecords) : null, loading: dataset.loading || this.mode === "pending" || morePages || read.length < loaded },
      services: this.services,
      ...(dataset.error && { loadError: t("Board_LoadFailed", dataset.errorMessage ?? "").trim() }),
      onOpen: (card: BoardCard) => {
        void context.navigation.openForm({ entityName: this.entity, entityId: card.id });
      },
      onSelect: this.select,
      selectedIds: this.selectedIdsOf(dataset),
      laneHeight: height > CHROME_HEIGHT * 2 ? height - CHROME_HEIGHT : DEFAULT_LANE_HEIGHT,
      userId: context.userSettings.userId || null,
      ...hostThemeProp(this.teamsHost, context.fluentDesignLanguage),
      teams: {
        targets: (card: BoardCard) => loadTeamsTargets(this.client, this.entity, card.id, card.ownerId),
        recordUrl: (card: BoardCard) =>
          `${window.location.origin}/main.aspx?etn=${encodeURIComponent(this.entity)}&id=${encodeURIComponent(card.id)}&pagetype=entityrecord`,
        // One rule for every link, Teams deep links included, in both controls: the host opens it.
        open: (url: string) => context.navigation.openUrl(url),
      },
      width: context.mode.allocatedWidth,
      measures: this.measuresOf(columns),
      ...(this.baseCurrency && { baseCurrency: this.baseCurrency }),
    };
  }

  /** The host's selection, the same array while it stays the same (lanes are memoised on it). */
  private selection: readonly string[] = [];

  private selectedIdsOf(dataset: ComponentFramework.PropertyTypes.DataSet): readonly string[] {
    // pcf-start 1.51.1's data-set answers undefined until something was selected.
    const ids: readonly string[] = dataset.getSelectedRecordIds() ?? [];
    if (ids.length !== this.selection.length || ids.some((id, i) => id !== this.selection[i])) this.selection = ids;
    return this.selection;
  }

  /** One card selected, as a click selects one row in a view: the view's command bar (Assign, Share, Delete…) acts on it. */
  private select = (card: BoardCard): void => {
    this.context.parameters.records.setSelectedRecordIds([card.id]);
    this.rerender();
  };

  public getOutputs(): IOutputs {
    return {};
  }

  public destroy(): void {
    // React unmounts the board; pending saves finish on their own and touch nothing after that.
    this.destroyed = true;
    this.serverLanes?.close();
    this.listeners.clear();
  }
}
