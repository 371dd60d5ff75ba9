/**
 * The workbench app page: a model-driven-looking shell around the two production control bundles, hosted over the
 * in-memory Dataverse built here from the sample data. The controls' own Web API calls (`fetch` to
 * `/api/data/v9.2/`) are answered by the same in-memory Dataverse, so PCF `webAPI`, concurrency-checked writes and
 * the flows all see one set of rows.
 */
import { FaultPlan } from "../../dataverse/faults";
import { createFakeContext, enumProperty, type FakeContext, type NavigationCall, stringProperty, twoOptionsProperty, wholeNumberProperty } from "../../dataverse/pcfContext";
import { FakeDataSet } from "../../dataverse/pcfDataset";
import { createSampleData } from "../../dataverse/sampleData";
import type { StoredRow } from "../../dataverse/store";
import { InMemoryWebApi } from "../../dataverse/webApiHandler";
import { insideTeamsHref } from "../origins";
import { type AppTheme, FAULT_SWITCHES, type FaultSwitch, faultRules, parseSettings, SIZES, STAGE_LANES_FLOW, toSearch, type WorkbenchSettings } from "../settings";
import { el } from "./dom";
import { renderFlowsPanel } from "./flowsPanel";
import { TEAMS_VIEW_STYLE } from "./teamsView";
import { APP_THEME_STYLE, appDesign } from "./appTheme";
import { hostControl, type HostedControl } from "./pcfHost";
import { chromeStrings } from "./strings";
import { OPEN_OPPORTUNITIES_VIEW, systemViewResponse, withSystemViews } from "./views";

const settings = parseSettings(window.location.search);
const s = chromeStrings(settings.language);
document.documentElement.lang = settings.language === 2052 ? "zh-CN" : "en";
document.title = `${s.app} — ${s.workbench}`;

const sample = createSampleData({ language: settings.language, opportunities: settings.size });
const store = sample.store;
const faults = new FaultPlan();
let activeFaults: readonly FaultSwitch[] = settings.faults;
for (const rule of faultRules(activeFaults, settings.roundTripMs)) faults.add(rule);
const api = new InMemoryWebApi({ store, faults, language: settings.language, baseUrl: `${window.location.origin}/api/data/v9.2/` });

const originalFetch = window.fetch.bind(window);
window.fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
  const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url, window.location.href);
  if (url.origin !== window.location.origin || !/^\/api\/data\/v9\.\d+\//.test(url.pathname)) return originalFetch(input, init);
  const headers: Record<string, string> = {};
  new Headers(init?.headers).forEach((value, name) => {
    headers[name] = value;
  });
  const method = (init?.method ?? "GET").toUpperCase();
  const answer = systemViewResponse(method, url) ?? (await api.handle({ method, url: url.href, headers, ...(typeof init?.body === "string" && { body: init.body }) }));
  return new Response(answer.status === 204 || answer.status === 304 ? null : answer.body, { status: answer.status, headers: answer.headers });
};

const text = (row: Readonly<StoredRow> | undefined, column: string): string => {
  const value = row?.[column];
  return typeof value === "string" || typeof value === "number" ? String(value) : "";
};
const nameOf = (table: string, id: string | undefined): string => {
  if (id === undefined) return "";
  const row = store.get(table, id);
  return text(row, store.metadata.require(table).primaryNameAttribute);
};
const refId = (row: Readonly<StoredRow> | undefined, column: string): string | undefined => {
  const value = row?.[column];
  return typeof value === "object" && value !== null && "id" in value ? value.id : undefined;
};

async function controlStrings(control: string): Promise<Record<string, string>> {
  const response = await originalFetch(`/workbench/strings/${control}/${settings.language}.json`);
  if (!response.ok) throw new Error(`strings for ${control} in ${settings.language}: HTTP ${response.status}`);
  return (await response.json()) as Record<string, string>;
}

const log = el("ol", { class: "wb-log-list" });
function logLine(kind: string, detail: string): void {
  log.prepend(el("li", { "data-kind": kind }, el("strong", {}, `${kind}: `), detail));
}
function watchNavigation(context: FakeContext<unknown>): void {
  const seen = context.navigationCalls;
  const push = seen.push.bind(seen);
  seen.push = (...calls: NavigationCall[]) => {
    for (const call of calls) {
      if (call.kind === "openUrl") logLine("openUrl", call.url);
      else if (call.kind === "openForm") logLine("openForm", `${call.options.entityName} ${call.options.entityId ?? ""}`);
      else if (call.kind === "openWebResource") logLine("openWebResource", call.name);
      else logLine(call.kind, "text" in call ? call.text : call.message);
    }
    return push(...calls);
  };
}

function navigate(next: Partial<WorkbenchSettings>): void {
  // Another screen starts on its first record; the same screen keeps the record it shows.
  const keepRecord = next.screen === undefined || next.screen === settings.screen || next.record !== undefined;
  const merged: WorkbenchSettings = { ...settings, ...next, faults: activeFaults, appTheme, ...(!keepRecord && { record: undefined }) };
  window.location.search = toSearch(merged);
}

/** The controls' contexts, which the app-theme switch updates as a model-driven app hands its modern theme to each. */
const contexts: FakeContext<unknown>[] = [];
let appTheme: AppTheme = settings.appTheme;

function themed<T extends FakeContext<unknown>>(context: T): T {
  context.fluentDesignLanguage = appDesign(appTheme);
  contexts.push(context);
  return context;
}

function setAppTheme(next: AppTheme): void {
  appTheme = next;
  document.body.dataset.appTheme = next;
  for (const context of contexts) context.fluentDesignLanguage = appDesign(next);
  hosted?.rerender();
  window.history.replaceState(null, "", toSearch({ ...settings, faults: activeFaults, appTheme: next }));
}

function setFaults(next: readonly FaultSwitch[]): void {
  activeFaults = next;
  faults.clear();
  for (const rule of faultRules(next, settings.roundTripMs)) faults.add(rule);
  window.history.replaceState(null, "", toSearch({ ...settings, faults: next, appTheme }));
}

function select(label: string, id: string, options: readonly (readonly [string, string])[], value: string, onChange: (value: string) => void): HTMLElement {
  const control = el("select", { id });
  for (const [v, t] of options) control.append(el("option", { value: v, ...(v === value && { selected: "" }) }, t));
  control.addEventListener("change", () => onChange(control.value));
  return el("div", { class: "wb-field" }, el("label", { for: id }, label), control);
}

function switches(): HTMLElement {
  const faultBoxes = el("fieldset", {}, el("legend", {}, s.faults));
  const labels: Record<FaultSwitch, string> = { latency: s.latency, "429": s.throttle, "412": s.conflict, "500": s.serverError, offline: s.offline };
  for (const fault of FAULT_SWITCHES) {
    const box = el("input", { type: "checkbox", id: `fault-${fault}`, "data-fault": fault, ...(activeFaults.includes(fault) && { checked: "" }) });
    box.addEventListener("change", () => setFaults(box.checked ? [...activeFaults, fault] : activeFaults.filter((f) => f !== fault)));
    faultBoxes.append(el("div", { class: "wb-check" }, box, el("label", { for: `fault-${fault}` }, labels[fault])));
  }
  const framed = window.self !== window.top;
  const search = () => toSearch({ ...settings, faults: activeFaults, appTheme });
  const teamsLinks = framed
    ? [el("a", { href: `${window.location.pathname}${search()}`, target: "_top" }, s.outsideTeams)]
    : [
        el("a", { href: insideTeamsHref(window.location.origin, search()), id: "open-in-teams" }, s.insideTeams),
        el("a", { href: insideTeamsHref(window.location.origin, search(), "website"), id: "open-in-website-tab" }, s.insideTeamsWebsite),
      ];
  return el(
    "aside",
    { class: "wb-switches", "aria-label": s.workbench },
    el("h2", {}, s.workbench),
    select(s.language, "wb-language", [["1033", "English"], ["2052", "简体中文"]], String(settings.language), (v) => navigate({ language: v === "2052" ? 2052 : 1033 })),
    select(s.size, "wb-size", SIZES.map((n) => [String(n), n.toLocaleString(settings.language === 2052 ? "zh-CN" : "en-US")] as const), String(settings.size), (v) => navigate({ size: Number(v) })),
    select(s.lanes, "wb-lanes", [["choice", s.lanesChoice], ["stages", s.lanesStages]], settings.lanes, (v) => navigate({ lanes: v === "stages" ? "stages" : "choice" })),
    select(s.appTheme, "wb-app-theme", [["light", s.appThemeLight], ["dark", s.appThemeDark]], appTheme, (v) => setAppTheme(v === "dark" ? "dark" : "light")),
    faultBoxes,
    ...teamsLinks.map((link) => el("p", {}, link)),
    el("section", { "aria-label": s.hostLog, class: "wb-log" }, el("h2", {}, s.hostLog), el("div", { role: "log" }, log)),
  );
}

function field(label: string, value: string, id: string): HTMLElement {
  return el("div", { class: "wb-field" }, el("label", { for: id }, label), el("input", { id, value, readonly: "" }));
}

let hosted: HostedControl | undefined;

async function showForm(main: HTMLElement, table: "account" | "contact"): Promise<void> {
  const rows = [...store.rows(table)].slice(0, 25);
  const row = (settings.record !== undefined ? store.get(table, settings.record) : undefined) ?? rows[0];
  const id = text(row, table === "account" ? "accountid" : "contactid");
  const title = table === "account" ? text(row, "name") : text(row, "fullname");
  const picker = select(
    s.record,
    "wb-record",
    rows.map((r) => [text(r, table === "account" ? "accountid" : "contactid"), text(r, table === "account" ? "name" : "fullname") || "—"] as const),
    id,
    (v) => navigate({ record: v }),
  );
  const fields =
    table === "account"
      ? [field(s.name, title, "f-name"), field(s.accountNumber, text(row, "accountnumber"), "f-number"), field(s.city, text(row, "address1_city"), "f-city"), field(s.owner, nameOf("systemuser", refId(row, "ownerid")), "f-owner")]
      : [field(s.name, title, "f-name"), field(s.jobTitle, text(row, "jobtitle"), "f-title"), field(s.email, text(row, "emailaddress1"), "f-email"), field(s.phone, text(row, "telephone1"), "f-phone"), field(s.company, nameOf("account", refId(row, "parentcustomerid")), "f-company")];
  const container = el("div", { class: "wb-control", id: "customer-context-panel" });
  main.append(
    el("header", { class: "wb-form-header" }, el("p", { class: "wb-entity" }, table === "account" ? s.accountForm : s.contactForm), el("h1", {}, title || "—"), picker),
    el("div", { class: "wb-form" }, el("section", { "aria-label": s.summary, class: "wb-fields" }, ...fields), el("section", { "aria-label": s.customerContext, class: "wb-panel" }, container)),
  );
  const context = themed(createFakeContext({
    api,
    language: settings.language,
    userId: store.callerId,
    userName: nameOf("systemuser", store.callerId),
    strings: await controlStrings("CustomerContextPanel"),
    mode: { allocatedWidth: 480, allocatedHeight: 900, label: s.customerContext },
    parameters: {
      boundField: stringProperty(title),
      recentActivityCount: wholeNumberProperty(10),
      sections: stringProperty("facts,interactions,opportunities,cases,contacts,teams"),
      colleagues: stringProperty(null),
      layout: enumProperty<"full" | "compact">("full"),
    },
  }));
  watchNavigation(context);
  hosted = hostControl("TeamsCrm.CustomerContextPanel", container, context, { entityTypeName: table, entityId: id });
}

async function showBoard(main: HTMLElement): Promise<void> {
  const container = el("div", { class: "wb-control wb-board", id: "pipeline-board" });
  main.append(el("header", { class: "wb-form-header" }, el("h1", {}, s.openOpportunities)), container);
  let rerender = () => undefined as void;
  const dataset = new FakeDataSet({
    store,
    table: "opportunity",
    columns: OPEN_OPPORTUNITIES_VIEW.columns,
    // The columns a maker picks for the board's property-sets in the designer (ControlManifest.Input.xml).
    propertySets: { lane: "salesstage", amount: "estimatedvalue", probability: "closeprobability", closeDate: "estimatedclosedate", owner: "ownerid" },
    language: settings.language,
    viewId: OPEN_OPPORTUNITIES_VIEW.id,
    title: s.openOpportunities,
    viewFilter: OPEN_OPPORTUNITIES_VIEW.filter,
    pageSize: 5000,
    onLoaded: () => rerender(),
    onOpen: (reference) => logLine("openForm", `${reference.etn ?? "opportunity"} ${reference.id.guid}`),
  });
  const context = themed(createFakeContext({
    api,
    language: settings.language,
    userId: store.callerId,
    userName: nameOf("systemuser", store.callerId),
    strings: await controlStrings("PipelineBoard"),
    mode: { allocatedWidth: Math.max(320, container.clientWidth), allocatedHeight: 760, label: s.openOpportunities },
    parameters: {
      records: dataset,
      laneColumn: stringProperty(null),
      amountColumn: stringProperty(null),
      probabilityColumn: stringProperty(null),
      closeDateColumn: stringProperty(null),
      ownerColumn: stringProperty(null),
      maxRecords: wholeNumberProperty(20000),
      businessProcessFlow: stringProperty(settings.lanes === "stages" ? STAGE_LANES_FLOW : null),
      allowMove: twoOptionsProperty(true),
    },
  }));
  context.webAPI = withSystemViews(context.webAPI);
  watchNavigation(context);
  // tools/bench/pipelineBoardBrowser.ts times the first painted board from here, when the loaded dataset is handed over.
  performance.mark("workbench:board-data");
  const control = hostControl("TeamsCrm.PipelineBoard", container, context);
  rerender = () => control.rerender();
  hosted = control;
}

function shell(): HTMLElement {
  const link = (screen: WorkbenchSettings["screen"], label: string) =>
    el("li", {}, el("a", { href: toSearch({ ...settings, screen, faults: activeFaults }).replace(/&record=[^&]*/, ""), ...(settings.screen === screen && { "aria-current": "page" }) }, label));
  const main = el("main", { id: "wb-main" });
  const root = el(
    "div",
    { class: "wb-app" },
    el("header", { class: "wb-top" }, el("span", { class: "wb-brand" }, `Dynamics 365 | ${s.app}`)),
    el(
      "div",
      { class: "wb-body" },
      el("nav", { "aria-label": s.nav }, el("ul", {}, link("account", s.accounts), link("contact", s.contacts), link("opportunities", s.opportunities), link("flows", s.flows))),
      main,
      switches(),
    ),
  );
  return root;
}

const STYLE = `
* { box-sizing: border-box; }
body { margin: 0; font-family: "Segoe UI", system-ui, sans-serif; background: #f3f2f1; color: #201f1e; }
.wb-top { background: #002050; color: #fff; padding: 8px 16px; font-weight: 600; }
.wb-body { display: grid; grid-template-columns: 180px minmax(0, 1fr) 260px; min-height: calc(100vh - 36px); }
nav { background: #fff; border-right: 1px solid #edebe9; padding: 8px; }
nav ul { list-style: none; margin: 0; padding: 0; }
nav a { display: block; padding: 6px 8px; color: #201f1e; text-decoration: none; border-radius: 2px; }
nav a[aria-current="page"] { background: #edebe9; font-weight: 600; }
main { padding: 12px 16px; min-width: 0; }
.wb-form-header { background: #fff; padding: 8px 12px; margin-bottom: 8px; display: flex; gap: 16px; align-items: end; flex-wrap: wrap; }
.wb-form-header h1 { font-size: 20px; margin: 0; flex: 1; }
.wb-entity { margin: 0; color: #605e5c; font-size: 12px; width: 100%; }
.wb-form { display: grid; grid-template-columns: minmax(200px, 1fr) minmax(320px, 480px); gap: 8px; }
.wb-fields, .wb-panel, .wb-board { background: #fff; padding: 12px; }
.wb-field { display: flex; flex-direction: column; margin-bottom: 8px; font-size: 12px; }
.wb-field input, .wb-field select { font: inherit; padding: 4px; border: 1px solid #8a8886; background: #fff; }
.wb-switches { background: #fff; border-left: 1px solid #edebe9; padding: 8px 12px; font-size: 13px; }
.wb-switches h2 { font-size: 14px; }
.wb-check { display: flex; gap: 6px; align-items: center; }
.wb-log ol { padding-left: 16px; max-height: 320px; overflow: auto; word-break: break-all; font-size: 12px; }
.wb-flows ul[role="tree"], .wb-flows ul[role="group"] { list-style: none; padding-left: 16px; }
.wb-status { display: inline-block; min-width: 72px; font-weight: 600; }
.wb-status-Succeeded { color: #107c10; } .wb-status-Failed, .wb-status-TimedOut { color: #a4262c; } .wb-status-Skipped { color: #605e5c; }
@media (max-width: 900px) { .wb-body { grid-template-columns: 1fr; } .wb-form { grid-template-columns: 1fr; } }
`;

async function start(): Promise<void> {
  document.head.append(el("style", {}, STYLE + TEAMS_VIEW_STYLE + APP_THEME_STYLE));
  document.body.dataset.appTheme = appTheme;
  const mount = document.getElementById("workbench");
  if (!mount) throw new Error("app page: no #workbench element");
  const root = shell();
  mount.replaceWith(root);
  const main = root.querySelector("main");
  if (!main) throw new Error("app page: shell has no <main>");
  if (settings.screen === "account" || settings.screen === "contact") await showForm(main, settings.screen);
  else if (settings.screen === "opportunities") await showBoard(main);
  else renderFlowsPanel(main, { store, language: settings.language, strings: s, origin: window.location.origin, log: logLine });
  document.body.setAttribute("data-workbench-ready", "true");
}

window.addEventListener("pagehide", () => hosted?.destroy());
start().catch((e: unknown) => {
  document.body.append(el("pre", { role: "alert" }, `workbench: ${(e as Error).stack ?? String(e)}`));
  throw e;
});
