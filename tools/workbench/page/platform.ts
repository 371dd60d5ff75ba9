/** What the app page's HTML puts on `window` before the workbench runs: platform libraries and the control registry. */

export interface ReactControlInstance {
  init(context: unknown, notifyOutputChanged: () => void, state: Record<string, unknown>, container?: HTMLDivElement): void;
  updateView(context: unknown): unknown;
  getOutputs?(): unknown;
  destroy(): void;
}

export type ReactControlConstructor = new () => ReactControlInstance;

interface PlatformWindow {
  ComponentFramework?: { controls: Record<string, ReactControlConstructor | undefined> };
  ReactDOM?: { render(element: unknown, container: Element): void; unmountComponentAtNode(container: Element): boolean };
  Reactv16?: unknown;
  FluentUIReactv81211?: unknown;
}

function platformWindow(): PlatformWindow {
  return window as unknown as PlatformWindow;
}

export function registeredControl(name: string): ReactControlConstructor {
  const ctor = platformWindow().ComponentFramework?.controls[name];
  if (ctor === undefined) throw new Error(`control ${name} did not register: /controls/<name>/bundle.js failed to load or has no registerControl call`);
  return ctor;
}

export function reactDom(): NonNullable<PlatformWindow["ReactDOM"]> {
  const w = platformWindow();
  if (w.ReactDOM === undefined || w.Reactv16 === undefined) throw new Error("platform library React 16.14 (/platform/react.js, /platform/react-dom.js) did not load");
  if (w.FluentUIReactv81211 === undefined) throw new Error("platform library Fluent 8.121.1 (/platform/fluent.js) did not load");
  return w.ReactDOM;
}
