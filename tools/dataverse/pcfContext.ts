/**
 * The fake PCF context every control test uses, built on the in-memory Dataverse: typed against
 * @types/powerapps-component-framework, with `webAPI` going through the Web API wire format, `utils` answering from
 * the same metadata and privileges the store enforces, locale-aware `formatting`, and `resources` from the control's
 * strings (read them from its resx with node/resx.ts). Navigation and dialogs are recorded for assertions.
 */
import { formatDate, formatMoney, formatNumber, LOCALES } from "./format";
import type { LanguageId } from "./metadata";
import { FakePcfWebApi } from "./pcfWebApi";
import type { Privilege } from "./store";
import type { InMemoryWebApi } from "./webApiHandler";

export type NavigationCall =
  | { readonly kind: "openForm"; readonly options: ComponentFramework.NavigationApi.EntityFormOptions }
  | { readonly kind: "openUrl"; readonly url: string }
  | { readonly kind: "openAlertDialog"; readonly text: string }
  | { readonly kind: "openConfirmDialog"; readonly text: string }
  | { readonly kind: "openErrorDialog"; readonly message: string }
  | { readonly kind: "openWebResource"; readonly name: string };

export interface FakeContextOptions<TInputs> {
  readonly api: InMemoryWebApi;
  readonly parameters: TInputs;
  readonly language?: LanguageId;
  readonly userId?: string;
  readonly userName?: string;
  /** Resource strings of the control in `language`; a missing key throws so tests catch untranslated text. */
  readonly strings?: Readonly<Record<string, string>>;
  readonly mode?: Partial<Pick<ComponentFramework.Mode, "allocatedWidth" | "allocatedHeight" | "isControlDisabled" | "isVisible" | "label">>;
  /** What the user answers in confirm dialogs. */
  readonly confirm?: boolean;
  readonly client?: "Web" | "Outlook" | "Mobile";
  /**
   * The user's time zone in Dynamics 365 (Personal Options → Time Zone, `usersettings.timezonecode`), as an IANA name;
   * `userSettings.getTimeZoneOffsetMinutes` answers from it, never from the machine's zone. UTC by default.
   */
  readonly timeZone?: string;
  /**
   * What the host does when the control calls `context.factory.requestRender()`. A model-driven app calls `updateView`
   * again soon after (pass a function that does); stock pcf-start 1.51.1 does nothing (its `scheduleRender` is empty),
   * which is what the fake does when this is left out. `renderRequests` counts the calls either way.
   */
  readonly onRenderRequest?: () => void;
}

export interface FakeContext<TInputs> extends ComponentFramework.Context<TInputs> {
  readonly navigationCalls: NavigationCall[];
  readonly controlState: ComponentFramework.Dictionary;
  renderRequests: number;
  /** The user's Dynamics 365 time zone (IANA name); tests may change it, as a user changing Personal Options would. */
  userTimeZone: string;
}

const PRIVILEGE_TYPES: Readonly<Record<number, Privilege>> = { 1: "create", 2: "read", 3: "write", 4: "delete", 7: "append", 8: "appendTo" };

const ATTRIBUTE_TYPES: Readonly<Record<string, string>> = {
  string: "String", memo: "Memo", uniqueidentifier: "Uniqueidentifier", integer: "Integer", bigint: "BigInt", decimal: "Decimal",
  money: "Money", datetime: "DateTime", dateonly: "DateTime", boolean: "Boolean", choice: "Picklist", state: "State", status: "Status", lookup: "Lookup",
};

export function stringProperty(raw: string | null): ComponentFramework.PropertyTypes.StringProperty {
  return { raw, formatted: raw ?? "", error: false, errorMessage: "", type: "SingleLine.Text" };
}

export function wholeNumberProperty(raw: number | null): ComponentFramework.PropertyTypes.WholeNumberProperty {
  return { raw, formatted: raw === null ? "" : String(raw), error: false, errorMessage: "", type: "Whole.None" };
}

export function twoOptionsProperty(raw: boolean): ComponentFramework.PropertyTypes.TwoOptionsProperty {
  return { raw, formatted: raw ? "Yes" : "No", error: false, errorMessage: "", type: "TwoOptions" };
}

export function enumProperty<T>(raw: T): ComponentFramework.PropertyTypes.EnumProperty<T> {
  return { raw, type: "Enum" };
}

function dateFormattingInfo(language: LanguageId): ComponentFramework.UserSettingApi.DateFormattingInfo {
  const months = Array.from({ length: 12 }, (_, m) => new Intl.DateTimeFormat(LOCALES[language], { month: "long", timeZone: "UTC" }).format(Date.UTC(2025, m, 1)));
  const shortMonths = Array.from({ length: 12 }, (_, m) => new Intl.DateTimeFormat(LOCALES[language], { month: "short", timeZone: "UTC" }).format(Date.UTC(2025, m, 1)));
  const days = Array.from({ length: 7 }, (_, d) => new Intl.DateTimeFormat(LOCALES[language], { weekday: "long", timeZone: "UTC" }).format(Date.UTC(2025, 0, 5 + d)));
  const shortDays = Array.from({ length: 7 }, (_, d) => new Intl.DateTimeFormat(LOCALES[language], { weekday: "short", timeZone: "UTC" }).format(Date.UTC(2025, 0, 5 + d)));
  const zh = language === 2052;
  return {
    amDesignator: zh ? "上午" : "AM",
    pmDesignator: zh ? "下午" : "PM",
    abbreviatedDayNames: shortDays,
    abbreviatedMonthGenitiveNames: [...shortMonths, ""],
    abbreviatedMonthNames: [...shortMonths, ""],
    calendarWeekRule: 0,
    calendar: { minSupportedDateTime: new Date(Date.UTC(1753, 0, 1)), maxSupportedDateTime: new Date(Date.UTC(9999, 11, 31)), algorithmType: 1, calendarType: 1, twoDigitYearMax: 2049 },
    dateSeparator: "/",
    dayNames: days,
    firstDayOfWeek: zh ? 1 : 0,
    fullDateTimePattern: zh ? "yyyy'年'M'月'd'日' H:mm:ss" : "dddd, MMMM d, yyyy h:mm:ss tt",
    longDatePattern: zh ? "yyyy'年'M'月'd'日'" : "dddd, MMMM d, yyyy",
    longTimePattern: zh ? "H:mm:ss" : "h:mm:ss tt",
    monthDayPattern: zh ? "M'月'd'日'" : "MMMM d",
    monthGenitiveNames: [...months, ""],
    monthNames: [...months, ""],
    shortDatePattern: zh ? "yyyy/M/d" : "M/d/yyyy",
    shortTimePattern: zh ? "H:mm" : "h:mm tt",
    shortestDayNames: shortDays.map((d) => d.slice(0, 2)),
    sortableDateTimePattern: "yyyy'-'MM'-'dd'T'HH':'mm':'ss",
    timeSeparator: ":",
    universalSortableDateTimePattern: "yyyy'-'MM'-'dd HH':'mm':'ss'Z'",
    yearMonthPattern: zh ? "yyyy'年'M'月'" : "MMMM yyyy",
  };
}

function numberFormattingInfo(language: LanguageId): ComponentFramework.UserSettingApi.NumberFormattingInfo {
  return {
    currencyDecimalDigits: 2, currencyDecimalSeparator: ".", currencyGroupSeparator: ",", currencyGroupSizes: [3],
    currencyNegativePattern: language === 2052 ? 2 : 0, currencyPositivePattern: 0, currencySymbol: language === 2052 ? "¥" : "$",
    nanSymbol: "NaN", nativeDigits: ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"], negativeInfinitySymbol: "-Infinity",
    negativeSign: "-", numberDecimalDigits: 2, numberDecimalSeparator: ".", numberGroupSeparator: ",", numberGroupSizes: [3],
    numberNegativePattern: 1, perMilleSymbol: "‰", percentDecimalDigits: 2, percentDecimalSeparator: ".", percentGroupSeparator: ",",
    percentGroupSizes: [3], percentNegativePattern: 1, percentPositivePattern: 1, percentSymbol: "%", positiveInfinitySymbol: "Infinity",
    positiveSign: "+",
  };
}

/**
 * Minutes to add to UTC to get the wall-clock time in `timeZone` at `date` (Asia/Shanghai → 480, America/Los_Angeles →
 * −480 in winter and −420 in summer): the sign and the per-date answer of model-driven apps'
 * `userSettings.getTimeZoneOffsetMinutes(date)`, the opposite sign of `Date.prototype.getTimezoneOffset`.
 */
export function zoneOffsetMinutes(timeZone: string, date: Date): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit",
  }).formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(part("year"), part("month") - 1, part("day"), part("hour"), part("minute"), part("second"));
  return Math.round((wall - Math.floor(date.getTime() / 1000) * 1000) / 60_000);
}

export function createFakeContext<TInputs>(options: FakeContextOptions<TInputs>): FakeContext<TInputs> {
  const { api } = options;
  const store = api.store;
  const language = options.language ?? 1033;
  api.language = language;
  const userId = options.userId ?? store.callerId ?? "00000000-0000-4000-8000-00000000cafe";
  const navigationCalls: NavigationCall[] = [];
  const controlState: ComponentFramework.Dictionary = {};
  const unavailable = (what: string) => () => Promise.reject(new Error(`${what} is not available in the fake PCF context`));
  const symbol = language === 2052 ? "¥" : "$";

  const context: FakeContext<TInputs> = {
    parameters: options.parameters,
    updatedProperties: [],
    events: {},
    navigationCalls,
    controlState,
    renderRequests: 0,
    userTimeZone: options.timeZone ?? "UTC",
    webAPI: new FakePcfWebApi(api),
    client: {
      disableScroll: false,
      getFormFactor: () => (options.client === "Mobile" ? 3 : 1),
      getClient: () => options.client ?? "Web",
      isOffline: () => false,
      isNetworkAvailable: () => true,
    },
    device: {
      captureAudio: unavailable("device.captureAudio"),
      captureImage: unavailable("device.captureImage"),
      captureVideo: unavailable("device.captureVideo"),
      getBarcodeValue: unavailable("device.getBarcodeValue"),
      getCurrentPosition: unavailable("device.getCurrentPosition"),
      pickFile: unavailable("device.pickFile"),
    },
    factory: {
      getPopupService: () => {
        let popupsId = "";
        return {
          createPopup: () => undefined, openPopup: () => undefined, closePopup: () => undefined,
          updatePopup: () => undefined, deletePopup: () => undefined,
          setPopupsId: (id: string) => { popupsId = id; },
          getPopupsId: () => popupsId,
        };
      },
      requestRender: () => {
        context.renderRequests++;
        options.onRenderRequest?.();
      },
    },
    formatting: {
      formatCurrency: (value, precision = 2, currencySymbol = symbol) => formatMoney(value, language, currencySymbol, precision),
      formatDecimal: (value, precision = 2) => formatNumber(value, language, precision),
      formatDateAsFilterStringInUTC: (value, includeTime = false) => (includeTime ? value.toISOString().replace(/\.\d{3}Z$/, "Z") : value.toISOString().slice(0, 10)),
      formatDateLong: (value) => new Intl.DateTimeFormat(LOCALES[language], { dateStyle: "full", timeZone: "UTC" }).format(value),
      formatDateLongAbbreviated: (value) => new Intl.DateTimeFormat(LOCALES[language], { dateStyle: "medium", timeZone: "UTC" }).format(value),
      formatDateShort: (value, includeTime = false) => formatDate(value.toISOString(), language, includeTime),
      formatDateYearMonth: (value) => new Intl.DateTimeFormat(LOCALES[language], { year: "numeric", month: "long", timeZone: "UTC" }).format(value),
      formatInteger: (value) => formatNumber(value, language, 0),
      formatLanguage: (value) => (value === 2052 ? "中文(简体)" : value === 1033 ? "English" : String(value)),
      formatTime: (value) => new Intl.DateTimeFormat(LOCALES[language], { timeStyle: "short", timeZone: "UTC" }).format(value),
      getWeekOfYear: (value) => {
        const start = Date.UTC(value.getUTCFullYear(), 0, 1);
        return Math.floor((value.getTime() - start) / (7 * 86_400_000)) + 1;
      },
    },
    mode: {
      allocatedWidth: options.mode?.allocatedWidth ?? 1024,
      allocatedHeight: options.mode?.allocatedHeight ?? 768,
      isControlDisabled: options.mode?.isControlDisabled ?? false,
      isVisible: options.mode?.isVisible ?? true,
      label: options.mode?.label ?? "",
      setControlState: (state) => {
        Object.assign(controlState, state);
        return true;
      },
      setFullScreen: () => undefined,
      trackContainerResize: () => undefined,
    },
    navigation: {
      openAlertDialog: (strings) => {
        navigationCalls.push({ kind: "openAlertDialog", text: strings.text });
        return Promise.resolve();
      },
      openConfirmDialog: (strings) => {
        navigationCalls.push({ kind: "openConfirmDialog", text: strings.text });
        return Promise.resolve({ confirmed: options.confirm ?? true });
      },
      openErrorDialog: (errorOptions) => {
        navigationCalls.push({ kind: "openErrorDialog", message: errorOptions.message ?? "" });
        return Promise.resolve();
      },
      openFile: () => Promise.resolve(),
      openForm: (formOptions) => {
        navigationCalls.push({ kind: "openForm", options: formOptions });
        return Promise.resolve({ savedEntityReference: [] });
      },
      openUrl: (url) => {
        navigationCalls.push({ kind: "openUrl", url });
      },
      openWebResource: (name) => {
        navigationCalls.push({ kind: "openWebResource", name });
      },
    },
    resources: {
      getResource: (_id, _success, failure) => failure(),
      getString: (id) => {
        const text = options.strings?.[id];
        if (text === undefined) throw new Error(`Resource string '${id}' is missing for language ${language}`);
        return text;
      },
    },
    userSettings: {
      dateFormattingInfo: dateFormattingInfo(language),
      numberFormattingInfo: numberFormattingInfo(language),
      isRTL: false,
      languageId: language,
      securityRoles: [],
      userId: `{${userId.toUpperCase()}}`,
      userName: options.userName ?? "Test User",
      // Model-driven apps answer for the given date in the user's Dynamics 365 zone (now when no date is given).
      getTimeZoneOffsetMinutes: (date?: Date) => zoneOffsetMinutes(context.userTimeZone, date ?? new Date()),
    },
    utils: {
      getEntityMetadata: (entityName, attributes) => Promise.resolve(entityMetadata(api, entityName, attributes, language)),
      hasEntityPrivilege: (entityTypeName, privilegeType) => {
        const privilege = PRIVILEGE_TYPES[privilegeType];
        return privilege === undefined ? false : store.hasPrivilege(entityTypeName, privilege);
      },
      lookupObjects: () => Promise.resolve([]),
    },
    copilot: {
      executeEvent: unavailable("copilot.executeEvent"),
      executePrompt: unavailable("copilot.executePrompt"),
    },
  };
  return context;
}

/** The shape model-driven apps return from `utils.getEntityMetadata`, for the attributes asked for. */
function entityMetadata(api: InMemoryWebApi, entityName: string, attributes: string[] | undefined, language: LanguageId): ComponentFramework.PropertyHelper.EntityMetadata {
  const table = api.store.metadata.require(entityName);
  const names = attributes ?? [];
  const described = names.map((name) => {
    const column = table.columns[name];
    if (!column) throw new Error(`getEntityMetadata: '${entityName}' has no attribute '${name}'`);
    const descriptor = {
      LogicalName: column.logicalName,
      DisplayName: column.displayName[language],
      AttributeType: ATTRIBUTE_TYPES[column.type],
      ...(column.maxLength !== undefined && { MaxLength: column.maxLength }),
      ...(column.targets && { Targets: column.targets.map((t) => t.table) }),
      ...(column.options && {
        OptionSet: column.options.map((o) => ({ Value: o.value, Label: o.labels[language], Color: o.color ?? "", ...(o.state !== undefined && { State: o.state }) })),
      }),
    };
    return { ...descriptor, attributeDescriptor: descriptor };
  });
  const byName = new Map(described.map((d) => [d.LogicalName, d]));
  return {
    LogicalName: table.logicalName,
    EntitySetName: table.entitySetName,
    PrimaryIdAttribute: table.primaryIdAttribute,
    PrimaryNameAttribute: table.primaryNameAttribute,
    DisplayName: table.displayName[language],
    DisplayCollectionName: table.displayCollectionName[language],
    IsActivity: table.isActivity,
    Attributes: {
      get: (name: string) => byName.get(name),
      getAll: () => described,
      getByIndex: (index: number) => described[index],
      getByFilter: (predicate: (attribute: (typeof described)[number]) => boolean) => described.filter(predicate),
    },
  };
}
