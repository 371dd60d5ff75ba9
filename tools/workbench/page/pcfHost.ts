/**
 * Hosts a virtual (React) PCF control the way the model-driven runtime does: init once, updateView whenever the
 * control asks to render or its data changes, the returned element rendered with the platform's ReactDOM.
 */
import type { FakeContext } from "../../dataverse/pcfContext";
import { reactDom, registeredControl } from "./platform";

export interface HostedControl {
  rerender(): void;
  destroy(): void;
}

/** Form-hosted controls also see which record the form shows (`context.mode.contextInfo`). */
export interface FormRecord {
  readonly entityTypeName: string;
  readonly entityId: string;
}

export function hostControl<TInputs>(name: string, container: HTMLElement, context: FakeContext<TInputs>, record?: FormRecord): HostedControl {
  const dom = reactDom();
  const control = new (registeredControl(name))();
  if (record !== undefined) Object.assign(context.mode, { contextInfo: { entityTypeName: record.entityTypeName, entityId: record.entityId } });
  let scheduled = false;
  let alive = true;
  const render = () => {
    scheduled = false;
    if (alive) dom.render(control.updateView(context), container);
  };
  const schedule = () => {
    if (scheduled || !alive) return;
    scheduled = true;
    queueMicrotask(render);
  };
  context.factory.requestRender = schedule;
  control.init(context, () => undefined, {}, container as HTMLDivElement);
  render();
  return {
    rerender: schedule,
    destroy: () => {
      alive = false;
      control.destroy();
      dom.unmountComponentAtNode(container);
    },
  };
}
