/** @jest-environment jsdom */
import * as ReactDOM from "react-dom";
import { act, fireEvent, screen } from "@testing-library/react";
import { CustomerContextPanel } from "../../../components/CustomerContextPanel/CustomerContextPanel";
import type { IInputs } from "../../../components/CustomerContextPanel/CustomerContextPanel/generated/ManifestTypes";
import { ACCOUNT_ID, accountResponse } from "./fixtures";
import { readResx } from "./strings";

function context(overrides: { denied?: string[]; disabled?: boolean } = {}) {
  const strings = readResx(2052);
  const retrieveRecord = jest.fn((_table: string, _id: string, _options?: string) => Promise.resolve(accountResponse()));
  const openUrl = jest.fn((_url: string) => undefined);
  const hasEntityPrivilege = jest.fn((table: string) => !(overrides.denied ?? []).includes(table));
  const ctx = {
    parameters: {
      boundField: { raw: "上海华信科技有限公司" },
      recentActivityCount: { raw: 5 },
      sections: { raw: "facts,cases,teams" },
      colleagues: { raw: "pm@contoso.cn" },
      layout: { raw: "full" },
    },
    mode: { contextInfo: { entityId: ACCOUNT_ID, entityTypeName: "account" }, allocatedWidth: 500, isControlDisabled: overrides.disabled ?? false, trackContainerResize: jest.fn() },
    userSettings: { languageId: 2052, userId: "{FFFFFFFF-0000-4000-8000-000000000009}", getTimeZoneOffsetMinutes: () => 480 },
    utils: { hasEntityPrivilege },
    resources: { getString: (key: string) => strings.get(key) ?? key },
    navigation: { openUrl },
    webAPI: { retrieveRecord, retrieveMultipleRecords: jest.fn(), createRecord: jest.fn(), updateRecord: jest.fn(), deleteRecord: jest.fn() },
  } as unknown as ComponentFramework.Context<IInputs>;
  return { ctx, retrieveRecord, openUrl, hasEntityPrivilege };
}

describe("CustomerContextPanel control", () => {
  let host: HTMLDivElement;
  beforeEach(() => {
    host = document.createElement("div");
    document.body.appendChild(host);
  });
  afterEach(() => {
    ReactDOM.unmountComponentAtNode(host);
    host.remove();
  });

  it("reads the form's record, the user's language and privileges, renders, and opens links through PCF", async () => {
    const { ctx, retrieveRecord, openUrl } = context({ denied: ["incident"] });
    const control = new CustomerContextPanel();
    control.init(ctx);
    act(() => {
      ReactDOM.render(control.updateView(ctx), host);
    });
    expect(await screen.findByText("关键信息")).toBeInTheDocument();
    expect(retrieveRecord).toHaveBeenCalledTimes(1);
    const [table, id, options] = retrieveRecord.mock.calls[0];
    expect([table, id]).toEqual(["account", ACCOUNT_ID]);
    expect(decodeURIComponent(options ?? "")).toContain("$top=5");
    expect(decodeURIComponent(options ?? "")).not.toContain("incident_customer_accounts");
    expect(screen.getByText("您没有查看此内容的权限。")).toBeInTheDocument();

    fireEvent.click(screen.getByRole("button", { name: "群组聊天" }));
    expect(openUrl).toHaveBeenCalledTimes(1);
    expect(new URL(openUrl.mock.calls[0][0]).searchParams.get("users")).toBe("wang.wei@contoso.cn,pm@contoso.cn");

    act(() => {
      ReactDOM.render(control.updateView(ctx), host);
    });
    expect(retrieveRecord).toHaveBeenCalledTimes(1);
    expect(control.getOutputs()).toEqual({});
    control.destroy();
  });

  it("disables the follow-up on a read-only form", async () => {
    const { ctx } = context({ disabled: true });
    const control = new CustomerContextPanel();
    control.init(ctx);
    act(() => {
      ReactDOM.render(control.updateView(ctx), host);
    });
    expect(await screen.findByRole("button", { name: "跟进任务" })).toBeDisabled();
  });
});
