/** @jest-environment jsdom */
/**
 * Issue 17 item 7, the panel's part: what the user sees and what is sent for stored Teams URLs that are no deep links,
 * reloads, saved tasks whose reload is stale or fails, over-long subjects, leaving while saving, long words and plurals.
 */
import * as React from "react";
import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { DataverseError, type DataverseRow } from "../../../components/common/src";
import { CardContainer, type CardContainerProps } from "../../../components/CustomerContextPanel/CustomerContextPanel/CardContainer";
import { ACCOUNT_ID, accountResponse } from "./fixtures";
import { translator } from "./strings";
import { cardProps, fakeClient } from "./cardHarness";

function props(overrides: Partial<CardContainerProps> = {}): CardContainerProps {
  return cardProps({ id: ACCOUNT_ID, colleagues: "pm@contoso.cn", allocatedWidth: 456, ...overrides });
}

const ACTIONS = ["Chat with owner", "Group chat", "Teams meeting", "Share to Teams", "Open customer team", "Copy link", "Follow-up task"];

function deferred<T>() {
  const settle: { resolve?: (value: T) => void } = {};
  const promise = new Promise<T>((resolve) => {
    settle.resolve = resolve;
  });
  return { promise, resolve: (value: T) => settle.resolve?.(value) };
}

async function openFollowUp(subject: string) {
  fireEvent.click(await screen.findByRole("button", { name: "Follow-up task" }));
  const form = screen.getByRole("form", { name: "Follow-up task" });
  fireEvent.change(within(form).getByLabelText(/Subject/), { target: { value: subject } });
  return form;
}

describe("stored Teams URLs", () => {
  const links = [
    { tcc_teamslinkid: "ok", tcc_name: "Customer team", tcc_kind: 615300000, tcc_status: 615300001, tcc_weburl: "https://teams.microsoft.com/l/team/19%3Aok%40thread.tacv2/conversations?groupId=g" },
    { tcc_teamslinkid: "page", tcc_name: "Web page", tcc_kind: 615300000, tcc_status: 615300001, tcc_weburl: "https://teams.microsoft.com/_#/teams/General" },
    { tcc_teamslinkid: "script", tcc_name: "Script", tcc_kind: 615300000, tcc_status: 615300001, tcc_weburl: "javascript:alert(1)" },
    { tcc_teamslinkid: "evil", tcc_name: "Look-alike", tcc_kind: 615300000, tcc_status: 615300001, tcc_weburl: "https://teams.microsoft.com.evil.example/l/team/x" },
  ];

  it("opens only the deep link and names the reason for each other row", async () => {
    const { client } = fakeClient(() => Promise.resolve(accountResponse({ tcc_account_tcc_teamslink_accountid: links })));
    const open = jest.fn<void, [string]>();
    render(<CardContainer {...props({ client, open })} />);
    const teams = await screen.findByRole("region", { name: "Teams" });
    const row = (name: string) => within(teams).getByText(name).closest("li") as HTMLElement;
    expect(within(row("Web page")).getByText("Not opened: the stored address is not a Teams link to a team, channel, chat, message or meeting.")).toBeInTheDocument();
    expect(within(row("Script")).getByText("Not opened: the stored address is not https.")).toBeInTheDocument();
    expect(within(row("Look-alike")).getByText("Not opened: the stored address is not on teams.microsoft.com or teams.cloud.microsoft.")).toBeInTheDocument();
    for (const name of ["Web page", "Script", "Look-alike"]) expect(within(row(name)).queryByRole("button", { name: "Open in Teams" })).toBeNull();
    fireEvent.click(within(row("Customer team")).getByRole("button", { name: "Open in Teams" }));
    expect(open).toHaveBeenCalledTimes(1);
    expect(open.mock.calls[0][0]).toBe(links[0].tcc_weburl);
  });

  it("offers no 'open customer team' when the only stored URL is refused, and says so in Chinese", async () => {
    const { client } = fakeClient(() => Promise.resolve(accountResponse({ tcc_account_tcc_teamslink_accountid: [links[1]] })));
    render(<CardContainer {...props({ client, t: translator(2052), language: 2052, locale: "zh-CN" })} />);
    expect(await screen.findByText("无法打开：保存的地址不是指向团队、频道、聊天、消息或会议的 Teams 链接。")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "打开客户团队" })).toBeDisabled();
  });
});

describe("quick actions while the record loads", () => {
  it("say the record is loading during a reload, never 'Save the record first.'", async () => {
    let answer = deferred<DataverseRow>();
    const { client, retrieve } = fakeClient(() => answer.promise);
    render(<CardContainer {...props({ client })} />);
    act(() => answer.resolve(accountResponse()));
    expect(await screen.findByRole("button", { name: "Chat with owner" })).toBeEnabled();
    answer = deferred<DataverseRow>();
    fireEvent.click(screen.getByRole("button", { name: "Refresh" }));
    await waitFor(() => expect(retrieve).toHaveBeenCalledTimes(2));
    for (const name of ACTIONS) {
      const button = screen.getByRole("button", { name });
      expect({ name, disabled: (button as HTMLButtonElement).disabled || button.getAttribute("aria-disabled") === "true", title: button.getAttribute("title") }).toEqual({
        name,
        disabled: true,
        title: "Loading the record…",
      });
    }
    expect(screen.queryByTitle("Save the record first.")).toBeNull();
    await act(async () => {
      answer.resolve(accountResponse());
      await answer.promise;
    });
    expect(screen.getByRole("button", { name: "Chat with owner" })).toBeEnabled();
  });
});

describe("a saved follow-up task", () => {
  it("stays shown when the reload after it answers from before the write, until a load includes it", async () => {
    let withTask = false;
    const task = { activityid: "NEW-TASK-ID", activitytypecode: "task", subject: "Send the contract", createdon: "2025-03-14T09:00:00Z", statecode: 0 };
    const { client, create, retrieve } = fakeClient(() =>
      Promise.resolve(withTask ? accountResponse({ Account_ActivityPointers: [task, ...(accountResponse().Account_ActivityPointers as DataverseRow[])] }) : accountResponse()),
    );
    render(<CardContainer {...props({ client })} />);
    const form = await openFollowUp("Send the contract");
    fireEvent.click(within(form).getByRole("button", { name: "Create task" }));
    expect(await screen.findByText("Follow-up task created.")).toBeInTheDocument();
    await waitFor(() => expect(retrieve).toHaveBeenCalledTimes(2));
    expect(create).toHaveBeenCalledTimes(1);
    // The stale reload did not have it; it is still on the card, as saved (not pending).
    const interactions = screen.getByRole("region", { name: "Recent interactions" });
    await waitFor(() => expect(within(interactions).getByText("Send the contract").closest("li")).not.toHaveAttribute("data-pending"));
    withTask = true;
    fireEvent.click(screen.getByRole("button", { name: "Refresh" }));
    await waitFor(() => expect(retrieve).toHaveBeenCalledTimes(3));
    await waitFor(() => expect(within(interactions).getAllByText("Send the contract")).toHaveLength(1));
  });

  it("stays shown, with the form's confirmation, when the reload after it fails", async () => {
    let fail = false;
    const { client, retrieve } = fakeClient(() => (fail ? Promise.reject(new DataverseError("server", "boom", 500)) : Promise.resolve(accountResponse())));
    render(<CardContainer {...props({ client })} />);
    const form = await openFollowUp("Call back on Monday");
    fail = true;
    fireEvent.click(within(form).getByRole("button", { name: "Create task" }));
    await waitFor(() => expect(retrieve).toHaveBeenCalledTimes(2));
    expect(await screen.findByText(/The overview could not be refreshed, so it may be out of date/)).toBeInTheDocument();
    expect(screen.getByText("Follow-up task created.")).toBeInTheDocument();
    expect(within(screen.getByRole("region", { name: "Recent interactions" })).getByText("Call back on Monday")).toBeInTheDocument();
    expect(screen.queryByText(/could not be loaded/)).toBeNull();
    fail = false;
    fireEvent.click(screen.getByRole("button", { name: "Try again" }));
    await waitFor(() => expect(screen.queryByText(/could not be refreshed/)).toBeNull());
  });
});

describe("the follow-up subject's limit", () => {
  it("refuses a subject over 200 characters with the limit, keeps every character typed and sends nothing", async () => {
    const { client, create } = fakeClient();
    render(<CardContainer {...props({ client })} />);
    const subject = "x".repeat(201);
    const form = await openFollowUp(subject);
    expect(within(form).getByLabelText<HTMLInputElement>(/Subject/).value).toBe(subject);
    fireEvent.click(within(form).getByRole("button", { name: "Create task" }));
    expect(await within(form).findByText("The subject can have at most 200 characters; it has 201. Shorten it; nothing was cut.")).toBeInTheDocument();
    expect(create).not.toHaveBeenCalled();
  });

  it("counts as Dataverse does (UTF-16 units): 100 rockets fit, 101 do not; in Chinese too", async () => {
    const { client, create } = fakeClient();
    render(<CardContainer {...props({ client, t: translator(2052), language: 2052, locale: "zh-CN" })} />);
    fireEvent.click(await screen.findByRole("button", { name: "跟进任务" }));
    const form = screen.getByRole("form", { name: "跟进任务" });
    fireEvent.change(within(form).getByLabelText(/主题/), { target: { value: "🚀".repeat(101) } });
    fireEvent.click(within(form).getByRole("button", { name: "创建任务" }));
    expect(await within(form).findByText("主题最多 200 个字符，当前为 202 个。请缩短主题；内容未被截断。")).toBeInTheDocument();
    expect(create).not.toHaveBeenCalled();
    fireEvent.change(within(form).getByLabelText(/主题/), { target: { value: "🚀".repeat(100) } });
    fireEvent.click(within(form).getByRole("button", { name: "创建任务" }));
    await waitFor(() => expect(create).toHaveBeenCalledTimes(1));
    expect(create.mock.calls[0][1].subject).toBe("🚀".repeat(100));
  });
});

describe("leaving the page", () => {
  const leave = () => {
    const event = new Event("beforeunload", { cancelable: true });
    window.dispatchEvent(event);
    return event.defaultPrevented;
  };

  it("asks before leaving while a task is being saved, and not before or after", async () => {
    const { client, create } = fakeClient();
    const saved = deferred<string>();
    create.mockImplementationOnce(() => saved.promise);
    render(<CardContainer {...props({ client })} />);
    const form = await openFollowUp("Renewal call");
    expect(leave()).toBe(false);
    fireEvent.click(within(form).getByRole("button", { name: "Create task" }));
    await waitFor(() => expect(create).toHaveBeenCalledTimes(1));
    expect(leave()).toBe(true);
    await act(async () => {
      saved.resolve("task-1");
      await saved.promise;
    });
    expect(await screen.findByText("Follow-up task created.")).toBeInTheDocument();
    expect(leave()).toBe(false);
  });
});

describe("long unbroken text", () => {
  it("wraps anywhere in the card, so a 4,000-character word cannot widen the panel", async () => {
    const word = "W".repeat(4000);
    const { client } = fakeClient(() =>
      Promise.resolve(
        accountResponse({
          name: word,
          opportunity_customer_accounts: [{ opportunityid: "opp-long", name: word, estimatedclosedate: "2025-04-30" }],
          contact_customer_accounts: [{ contactid: "c-long", fullname: word, jobtitle: word, emailaddress1: `${word}@x.example` }],
        }),
      ),
    );
    render(<CardContainer {...props({ client })} />);
    const heading = await screen.findByRole("heading", { name: word });
    const card = heading.closest<HTMLElement>('[aria-label="Customer overview"]');
    if (card === null) throw new Error("the card has no labelled root");
    expect(card.style.overflowWrap).toBe("anywhere");
    expect(card.style.wordBreak).toBe("break-word");
    expect(parseFloat(card.style.minWidth)).toBe(0);
    // Every place the word is shown is inside the card, so it inherits the rule.
    for (const element of screen.getAllByText(word)) expect(card.contains(element)).toBe(true);
  });
});

describe("plural forms", () => {
  it("says '1 day old' and '2 days old' in English and '已创建 1 天' in Chinese", async () => {
    const cases = [
      { incidentid: "c1", title: "One", ticketnumber: "CAS-1", createdon: "2025-03-13T09:00:00Z" },
      { incidentid: "c2", title: "Two", ticketnumber: "CAS-2", createdon: "2025-03-12T09:00:00Z" },
    ];
    const { client } = fakeClient(() => Promise.resolve(accountResponse({ incident_customer_accounts: cases })));
    const { unmount } = render(<CardContainer {...props({ client })} />);
    expect(await screen.findByText("1 day old")).toBeInTheDocument();
    expect(screen.getByText("2 days old")).toBeInTheDocument();
    unmount();
    render(<CardContainer {...props({ client, t: translator(2052), language: 2052, locale: "zh-CN" })} />);
    expect(await screen.findByText("已创建 1 天")).toBeInTheDocument();
    expect(screen.getByText("已创建 2 天")).toBeInTheDocument();
  });
});
