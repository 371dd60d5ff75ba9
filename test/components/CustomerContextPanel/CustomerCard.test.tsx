/** @jest-environment jsdom */
import * as React from "react";
import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { DataverseError } from "../../../components/common/src";
import { CardContainer } from "../../../components/CustomerContextPanel/CustomerContextPanel/CardContainer";
import { ACCOUNT_ID, accountResponse } from "./fixtures";
import { translator } from "./strings";
import { cardProps, fakeClient } from "./cardHarness";

describe("CustomerCard", () => {
  it("shows a loading state, then the customer from one request", async () => {
    const { client, retrieve } = fakeClient();
    render(<CardContainer {...cardProps({ client })} />);
    expect(screen.getByText("Loading customer overview…")).toBeInTheDocument();
    expect(await screen.findByRole("heading", { name: "上海华信科技有限公司" })).toBeInTheDocument();
    expect(retrieve).toHaveBeenCalledTimes(1);
    expect(retrieve.mock.calls[0].slice(0, 2)).toEqual(["account", ACCOUNT_ID]);
    expect(screen.getByText("Overdue")).toBeInTheDocument();
    expect(screen.getByText("$120,000.00")).toBeInTheDocument();
    expect(screen.getByText(/10 days old/)).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "li.na@customer.example, email 李娜" })).toHaveAttribute("href", "mailto:li.na@customer.example");
    expect(screen.getByRole("link", { name: "+86 21 5555 0102, call 李娜" })).toHaveAttribute("href", "tel:+862155550102");
  });

  it("sends no new request when updateView changes nothing the card shows, and one on refresh", async () => {
    const { client, retrieve } = fakeClient();
    const p = cardProps({ client });
    const { rerender } = render(<CardContainer {...p} />);
    await screen.findByRole("heading", { name: "上海华信科技有限公司" });
    rerender(<CardContainer {...p} layout="compact" colleagues="someone@contoso.cn" allocatedWidth={300} />);
    rerender(<CardContainer {...p} id={ACCOUNT_ID} />);
    expect(retrieve).toHaveBeenCalledTimes(1);
    fireEvent.click(screen.getByRole("button", { name: "Refresh" }));
    await waitFor(() => expect(retrieve).toHaveBeenCalledTimes(2));
  });

  it("renders in Simplified Chinese with every label from the 2052 resx", async () => {
    render(<CardContainer {...cardProps({ t: translator(2052), language: 2052, locale: "zh-CN" })} />);
    expect(await screen.findByText("关键信息")).toBeInTheDocument();
    expect(screen.getByText("已逾期")).toBeInTheDocument();
    expect(screen.getByText(/已创建 10 天/)).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "与负责人聊天" })).toBeEnabled();
  });

  it("shows hostile text as text, never as markup", async () => {
    const script = `<img src=x onerror="window.__pwned=1"><script>alert(1)</script>`;
    const { client } = fakeClient(() => Promise.resolve(accountResponse({ name: script })));
    const { container } = render(<CardContainer {...cardProps({ client })} />);
    expect(await screen.findByRole("heading", { name: script })).toBeInTheDocument();
    expect(container.querySelector("img, script")).toBeNull();
  });

  it("opens a group chat with owner and valid colleagues, topic naming the customer", async () => {
    const open = jest.fn((_url: string) => undefined);
    render(<CardContainer {...cardProps({ open })} />);
    fireEvent.click(await screen.findByRole("button", { name: "Group chat" }));
    const params = new URL(open.mock.calls[0][0]).searchParams;
    expect(params.get("users")).toBe("wang.wei@contoso.cn,pm@contoso.cn");
    expect(params.get("topicName")).toBe("Deal discussion: 上海华信科技有限公司");
  });

  it("hands a Teams meeting deep link to the host to open", async () => {
    const open = jest.fn((_url: string) => undefined);
    render(<CardContainer {...cardProps({ open })} />);
    fireEvent.click(await screen.findByRole("button", { name: "Teams meeting" }));
    expect(open.mock.calls[0][0]).toMatch(/^https:\/\/teams\.microsoft\.com\/l\/meeting\/new\?/);
  });

  it("copies the record link and says so", async () => {
    const copy = jest.fn(() => Promise.resolve(true));
    render(<CardContainer {...cardProps({ copy })} />);
    fireEvent.click(await screen.findByRole("button", { name: "Copy link" }));
    expect(await screen.findByText("Link copied.")).toBeInTheDocument();
    expect(copy).toHaveBeenCalledWith(`https://contoso.crm.dynamics.com/main.aspx?pagetype=entityrecord&etn=account&id=${ACCOUNT_ID}`);
  });

  it("creates a follow-up task regarding the account, due at the end of the day in the user's zone, shows it pending, then reloads the card", async () => {
    const { client, create, retrieve } = fakeClient();
    let finish: (id: string) => void = () => undefined;
    create.mockImplementationOnce(() => new Promise<string>((resolve) => (finish = resolve)));
    // A user at UTC+8 whose browser says otherwise: the Dynamics 365 setting decides.
    render(<CardContainer {...cardProps({ client, timeZoneOffsetMinutes: () => 480 })} />);
    fireEvent.click(await screen.findByRole("button", { name: "Follow-up task" }));
    const form = screen.getByRole("form", { name: "Follow-up task" });
    fireEvent.change(within(form).getByLabelText(/Subject/), { target: { value: "发送报价" } });
    fireEvent.change(within(form).getByLabelText("Due date"), { target: { value: "2025-03-20" } });
    fireEvent.click(within(form).getByRole("button", { name: "Create task" }));
    expect(await screen.findByText(/Saving…/)).toBeInTheDocument();
    expect(create).toHaveBeenCalledWith("task", {
      subject: "发送报价",
      scheduledend: "2025-03-20T15:59:59Z",
      "regardingobjectid_account_task@odata.bind": `/accounts(${ACCOUNT_ID})`,
    });
    await act(() => {
      finish("new-task-id");
      return Promise.resolve();
    });
    expect(await screen.findByText("Follow-up task created.")).toBeInTheDocument();
    await waitFor(() => expect(retrieve).toHaveBeenCalledTimes(2));
  });

  it("removes the pending task and says why when Dataverse refuses it", async () => {
    const { client, create } = fakeClient();
    create.mockRejectedValueOnce(new DataverseError("forbidden", "denied", 403));
    render(<CardContainer {...cardProps({ client })} />);
    fireEvent.click(await screen.findByRole("button", { name: "Follow-up task" }));
    const form = screen.getByRole("form", { name: "Follow-up task" });
    fireEvent.change(within(form).getByLabelText(/Subject/), { target: { value: "Call back" } });
    fireEvent.click(within(form).getByRole("button", { name: "Create task" }));
    expect(await screen.findByText("The task was not saved: You don't have permission for this.")).toBeInTheDocument();
    expect(screen.queryByText(/Saving…/)).toBeNull();
  });

  it("takes today from the user's zone: at 01:00 on the 15th at UTC+8 (17:00Z on the 14th), the 14th is in the past", async () => {
    const { client, create } = fakeClient();
    render(<CardContainer {...cardProps({ client, clock: () => new Date("2025-03-14T17:00:00Z"), timeZoneOffsetMinutes: () => 480 })} />);
    fireEvent.click(await screen.findByRole("button", { name: "Follow-up task" }));
    const form = screen.getByRole("form", { name: "Follow-up task" });
    fireEvent.change(within(form).getByLabelText(/Subject/), { target: { value: "Call back" } });
    fireEvent.change(within(form).getByLabelText("Due date"), { target: { value: "2025-03-14" } });
    fireEvent.click(within(form).getByRole("button", { name: "Create task" }));
    expect(await screen.findByText("The due date is in the past.")).toBeInTheDocument();
    expect(create).not.toHaveBeenCalled();
  });

  it("keeps the form open with a field message for an empty subject, sending nothing", async () => {
    const { client, create } = fakeClient();
    render(<CardContainer {...cardProps({ client })} />);
    fireEvent.click(await screen.findByRole("button", { name: "Follow-up task" }));
    fireEvent.click(screen.getByRole("button", { name: "Create task" }));
    expect(await screen.findByText("Enter a subject.")).toBeInTheDocument();
    expect(create).not.toHaveBeenCalled();
  });

  it("disables the follow-up on a read-only form and explains why", async () => {
    render(<CardContainer {...cardProps({ formDisabled: true })} />);
    const button = await screen.findByRole("button", { name: "Follow-up task" });
    expect(button).toBeDisabled();
    expect(button).toHaveAttribute("title", "The form is read-only.");
  });

  it("shows an error with retry when the request fails, and loads on retry", async () => {
    let fail = true;
    const { client, retrieve } = fakeClient(() => (fail ? Promise.reject(new DataverseError("network", "offline")) : Promise.resolve(accountResponse())));
    render(<CardContainer {...cardProps({ client })} />);
    expect(await screen.findByText(/No connection to Dynamics 365/)).toBeInTheDocument();
    fail = false;
    fireEvent.click(screen.getByRole("button", { name: "Try again" }));
    expect(await screen.findByRole("heading", { name: "上海华信科技有限公司" })).toBeInTheDocument();
    expect(retrieve).toHaveBeenCalledTimes(2);
  });

  it("says a section is not readable while the others render", async () => {
    render(<CardContainer {...cardProps({ readable: ["activitypointer", "opportunity", "contact", "tcc_teamslink", "systemuser"] })} />);
    const cases = await screen.findByRole("region", { name: "Active cases" });
    expect(within(cases).getByText("You don't have permission to see this.")).toBeInTheDocument();
    expect(screen.getByText("Overdue")).toBeInTheDocument();
  });

  it("asks to save a new record first and sends no request", () => {
    const { client, retrieve } = fakeClient();
    render(<CardContainer {...cardProps({ client, id: undefined })} />);
    expect(screen.getByText("Save the record to see its customer overview.")).toBeInTheDocument();
    expect(retrieve).not.toHaveBeenCalled();
  });

  it("shows only the sections the maker chose, in the card's order", async () => {
    render(<CardContainer {...cardProps({ sections: "teams,facts" })} />);
    await screen.findByRole("heading", { name: "上海华信科技有限公司" });
    expect(screen.getAllByRole("region").map((r) => r.getAttribute("aria-label"))).toEqual(["Key facts", "Teams"]);
  });
});
