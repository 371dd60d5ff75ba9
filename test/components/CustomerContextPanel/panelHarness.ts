/**
 * The real control class over the embedded Dataverse's sample data and the shared fake PCF context, mounted in jsdom:
 * what a model-driven form does with the control, minus the browser.
 */
import * as ReactDOM from "react-dom";
import { act } from "@testing-library/react";
import { CustomerContextPanel } from "../../../components/CustomerContextPanel/CustomerContextPanel";
import type { IInputs } from "../../../components/CustomerContextPanel/CustomerContextPanel/generated/ManifestTypes";
import type { TeamsEnvironment } from "../../../components/CustomerContextPanel/CustomerContextPanel/teamsEnvironment";
import {
  createFakeContext,
  createSampleData,
  enumProperty,
  type FakeContext,
  type FaultRule,
  InMemoryWebApi,
  type Privilege,
  type SampleData,
  stringProperty,
  wholeNumberProperty,
} from "../../../tools/dataverse";
import { readControlStrings } from "../../../tools/dataverse/node/resx";
import { BROWSER_SIGNALS } from "../common/teams/signals";

export type Language = 1033 | 2052;

export interface PanelOptions {
  readonly language: Language;
  readonly table: "account" | "contact";
  /** Which record of the sample data the form shows; the first that fits by default. */
  readonly pick?: (data: SampleData) => string;
  readonly denied?: readonly (readonly [string, Privilege])[];
  readonly faults?: readonly FaultRule[];
  readonly teams?: TeamsEnvironment;
  readonly disabled?: boolean;
  readonly colleagues?: string;
  /** The user's Dynamics 365 time zone (IANA name); UTC by default. */
  readonly timeZone?: string;
}

const DAY_MS = 86_400_000;
/** Sample data dated today, so "today" in the card (the real clock) and in the data agree. */
export const TODAY = new Date().toISOString().slice(0, 10);
export const inDays = (days: number) => new Date(Date.parse(`${TODAY}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

const browserTeams: TeamsEnvironment = { signals: () => BROWSER_SIGNALS };

/** An account with an active Teams link that the current user does not own, so every quick action is offered. */
export function accountWithEverything(data: SampleData): string {
  const store = data.store;
  const linked = new Set([...store.rows("tcc_teamslink")].filter((l) => l.tcc_status === 615300001 && l.tcc_weburl !== null).map((l) => (l.tcc_accountid as { id: string } | null)?.id));
  const id = data.accounts.find((a) => linked.has(a) && (store.get("account", a)?.ownerid as { id: string }).id !== store.callerId);
  if (id === undefined) throw new Error("Sample data has no linked account owned by someone else");
  return id;
}

export function mountPanel(options: PanelOptions) {
  const data = createSampleData({ language: options.language, opportunities: 200, today: TODAY });
  for (const [table, privilege] of options.denied ?? []) data.store.setPrivilege(table, privilege, false);
  const api = new InMemoryWebApi({ store: data.store, sleep: () => Promise.resolve() });
  for (const rule of options.faults ?? []) api.faults.add(rule);
  const handle = jest.spyOn(api, "handle");
  const strings = readControlStrings("CustomerContextPanel", options.language);
  const recordId = options.pick?.(data) ?? (options.table === "account" ? accountWithEverything(data) : data.contacts[0]);
  const context: FakeContext<IInputs> = createFakeContext<IInputs>({
    api,
    language: options.language,
    strings,
    parameters: {
      boundField: stringProperty("name"),
      recentActivityCount: wholeNumberProperty(10),
      sections: stringProperty(null),
      colleagues: stringProperty(options.colleagues ?? "pm@contoso.example"),
      layout: enumProperty<"full" | "compact">("full"),
    },
    mode: { isControlDisabled: options.disabled ?? false, allocatedWidth: 600 },
    ...(options.timeZone !== undefined && { timeZone: options.timeZone }),
  });
  // Model-driven forms tell every control which record they show; the published typings leave it out.
  Object.assign(context.mode, { contextInfo: { entityId: recordId, entityTypeName: options.table } });
  const control = new CustomerContextPanel(options.teams ?? browserTeams);
  const element = document.createElement("div");
  document.body.appendChild(element);
  control.init(context);
  const render = () =>
    act(() => {
      ReactDOM.render(control.updateView(context), element);
    });
  render();
  const text = (key: string, ...args: (string | number)[]) => args.reduce<string>((t, a, i) => t.split(`{${i}}`).join(String(a)), strings[key]);
  return {
    data,
    api,
    context,
    control,
    element,
    recordId,
    strings,
    text,
    render,
    requests: () => handle.mock.calls.length,
    requestsOf: (method: string) => handle.mock.calls.filter(([r]) => r.method === method).map(([r]) => r),
    unmount: () => {
      ReactDOM.unmountComponentAtNode(element);
      control.destroy();
      element.remove();
    },
  };
}

export type Panel = ReturnType<typeof mountPanel>;

/** A `mount` for a test file: each test's panel is unmounted after it. Call at the file's top level. */
export function mountedPanels(): (options: PanelOptions) => Panel {
  let mounted: Panel | undefined;
  afterEach(() => {
    mounted?.unmount();
    mounted = undefined;
  });
  return (options) => {
    mounted = mountPanel(options);
    return mounted;
  };
}
