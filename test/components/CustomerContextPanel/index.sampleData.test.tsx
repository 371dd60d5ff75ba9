/**
 * @jest-environment jsdom
 * @jest-environment-options {"url": "https://contoso.crm.dynamics.com/main.aspx"}
 */
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import type { NavigationCall } from "../../../tools/dataverse/pcfContext";
import { appDesign, TEAMS_WEB_SIGNALS } from "../common/teams/signals";
import { inDays, type Language, mountedPanels, type Panel } from "./panelHarness";


const RECORD_ORIGIN = "https://contoso.crm.dynamics.com";

function openedUrls(panel: Panel): string[] {
  return panel.context.navigationCalls.filter((c): c is Extract<NavigationCall, { kind: "openUrl" }> => c.kind === "openUrl").map((c) => c.url);
}

function row(panel: Panel, table: string, id: string) {
  const r = panel.data.store.get(table, id);
  if (!r) throw new Error(`${table} ${id} is not in the sample data`);
  return r;
}

function ownerOf(panel: Panel, table: string, id: string) {
  const owner = row(panel, table, id).ownerid as { id: string };
  return row(panel, "systemuser", owner.id);
}

async function loaded(panel: Panel, title: string) {
  return screen.findByRole("heading", { name: title }, { timeout: 3000 });
}

function click(panel: Panel, action: string) {
  fireEvent.click(screen.getByRole("button", { name: panel.text(`Action_${action}`) }));
}

const mount = mountedPanels();

describe.each([1033, 2052] as Language[])("CustomerContextPanel on an account form with sample data in %i", (language) => {
  it("renders the account's key facts, lists and Teams link from one request, and its deals' deal rooms from one more", async () => {
    const panel = mount({ language, table: "account" });
    const account = row(panel, "account", panel.recordId);
    await loaded(panel, account.name as string);
    expect(panel.requestsOf("GET").map((r) => new URL(r.url).pathname.split("/").pop()?.replace(/\(.*$/, ""))).toEqual(["accounts", "tcc_teamslinks"]);
    const facts = screen.getByRole("region", { name: panel.text("Section_Facts") });
    const label = (column: string) => {
      const text = panel.data.store.metadata.require("account").columns[column].options?.find((o) => o.value === account[column])?.labels[language];
      if (text === undefined) throw new Error(`account.${column} = ${JSON.stringify(account[column])} has no label`);
      return text;
    };
    expect(within(facts).getByText(label("industrycode"))).toBeInTheDocument();
    expect(within(facts).getByText(label("customertypecode"))).toBeInTheDocument();
    expect(within(facts).getByText(ownerOf(panel, "account", panel.recordId).fullname as string)).toBeInTheDocument();
    expect(within(facts).getByText(panel.text("TeamsStatus_active"))).toBeInTheDocument();
    const contacts = screen.getByRole("region", { name: panel.text("Section_Contacts") });
    for (const c of [...panel.data.store.rows("contact")].filter((c) => (c.parentcustomerid as { id: string } | null)?.id === panel.recordId)) {
      expect(within(contacts).getByText(c.fullname as string)).toBeInTheDocument();
    }
    panel.render();
    expect(panel.requests()).toBe(2);
  });

  it("chats with the owner, and starts a group chat with the owner and the colleagues under the customer's name", async () => {
    const panel = mount({ language, table: "account" });
    const name = row(panel, "account", panel.recordId).name as string;
    const upn = ownerOf(panel, "account", panel.recordId).domainname as string;
    await loaded(panel, name);
    click(panel, "chatOwner");
    click(panel, "groupChat");
    const [chat, group] = openedUrls(panel).map((u) => new URL(u));
    expect(chat.pathname).toBe("/l/chat/0/0");
    expect(chat.searchParams.get("users")).toBe(upn);
    expect(chat.searchParams.get("message")).toBe(panel.text("Chat_Message", name));
    expect(group.searchParams.get("users")).toBe(`${upn},pm@contoso.example`);
    expect(group.searchParams.get("topicName")).toBe(panel.text("Chat_Topic", name));
  });

  it("schedules a meeting with the owner and the account's contacts, shares the record and opens the customer's Team", async () => {
    const panel = mount({ language, table: "account" });
    const name = row(panel, "account", panel.recordId).name as string;
    await loaded(panel, name);
    click(panel, "meeting");
    click(panel, "share");
    click(panel, "openTeam");
    const [meeting, share, team] = openedUrls(panel);
    const recordUrl = `${RECORD_ORIGIN}/main.aspx?pagetype=entityrecord&etn=account&id=${panel.recordId}`;
    const meetingParams = new URL(meeting).searchParams;
    const contactEmails = [...panel.data.store.rows("contact")]
      .filter((c) => (c.parentcustomerid as { id: string } | null)?.id === panel.recordId)
      .map((c) => c.emailaddress1 as string);
    expect(contactEmails.length).toBeGreaterThan(0);
    expect(meetingParams.get("attendees")?.split(",")).toEqual(expect.arrayContaining([ownerOf(panel, "account", panel.recordId).domainname, ...contactEmails]));
    expect(meetingParams.get("subject")).toBe(panel.text("Meeting_Subject", name));
    expect(meetingParams.get("content")).toBe(recordUrl);
    expect(new URL(share).searchParams.get("href")).toBe(recordUrl);
    expect(new URL(share).searchParams.get("msgText")).toBe(panel.text("Share_Message", name));
    const link = [...panel.data.store.rows("tcc_teamslink")].find((l) => (l.tcc_accountid as { id: string } | null)?.id === panel.recordId && l.tcc_status === 615300001);
    expect(team).toBe(link?.tcc_weburl);
  });

  it("copies the record link", async () => {
    const panel = mount({ language, table: "account" });
    const writeText = jest.fn((_text: string) => Promise.resolve());
    Object.defineProperty(window.navigator, "clipboard", { configurable: true, value: { writeText } });
    await loaded(panel, row(panel, "account", panel.recordId).name as string);
    click(panel, "copyLink");
    expect(await screen.findByText(panel.text("Action_Copied"))).toBeInTheDocument();
    expect(writeText).toHaveBeenCalledWith(`${RECORD_ORIGIN}/main.aspx?pagetype=entityrecord&etn=account&id=${panel.recordId}`);
  });

  it("writes a follow-up task regarding the account to Dataverse, due at the end of the day in the user's Dynamics 365 zone, and shows it after reloading", async () => {
    const timeZone = language === 2052 ? "Asia/Shanghai" : "America/Los_Angeles";
    const panel = mount({ language, table: "account", timeZone });
    await loaded(panel, row(panel, "account", panel.recordId).name as string);
    const subject = language === 2052 ? "确认报价" : "Confirm the quote";
    click(panel, "followUp");
    const form = screen.getByRole("form", { name: panel.text("Action_followUp") });
    fireEvent.change(within(form).getByLabelText(new RegExp(panel.text("FollowUp_Subject"))), { target: { value: subject } });
    fireEvent.change(within(form).getByLabelText(panel.text("FollowUp_Due")), { target: { value: inDays(7) } });
    fireEvent.click(within(form).getByRole("button", { name: panel.text("FollowUp_Save") }));
    expect(await screen.findByText(panel.text("FollowUp_Saved"))).toBeInTheDocument();
    const task = [...panel.data.store.rows("task")].find((t) => t.subject === subject);
    expect(task).toMatchObject({ regardingobjectid: { id: panel.recordId, table: "account" }, statecode: 0 });
    const due = new Date(task?.scheduledend as string);
    expect(new Intl.DateTimeFormat("sv-SE", { timeZone, dateStyle: "short", timeStyle: "medium" }).format(due)).toBe(`${inDays(7)} 23:59:59`);
    const interactions = screen.getByRole("region", { name: panel.text("Section_Interactions") });
    await waitFor(() => expect(within(interactions).getByText(subject)).toBeInTheDocument());
    expect(panel.requestsOf("POST")).toHaveLength(1);
    // Two loads (before and after the write), each the card and its deal rooms.
    expect(panel.requestsOf("GET")).toHaveLength(4);
  });
});

describe.each([1033, 2052] as Language[])("CustomerContextPanel on a contact form with sample data in %i", (language) => {
  it("shows the contact with its account's context from two requests, and the deals' deal rooms from one more", async () => {
    const panel = mount({ language, table: "contact" });
    const contact = row(panel, "contact", panel.recordId);
    const account = row(panel, "account", (contact.parentcustomerid as { id: string }).id);
    await loaded(panel, contact.fullname as string);
    expect(panel.requests()).toBe(3);
    const facts = screen.getByRole("region", { name: panel.text("Section_Facts") });
    expect(within(facts).getByText(account.name as string)).toBeInTheDocument();
    expect(within(facts).getByText(new RegExp(contact.jobtitle as string))).toBeInTheDocument();
  });

  it("invites the contact to the meeting and files the follow-up task on the contact", async () => {
    const panel = mount({ language, table: "contact" });
    const contact = row(panel, "contact", panel.recordId);
    await loaded(panel, contact.fullname as string);
    click(panel, "meeting");
    expect(new URL(openedUrls(panel)[0]).searchParams.get("attendees")?.split(",")).toContain(contact.emailaddress1);
    click(panel, "followUp");
    const form = screen.getByRole("form", { name: panel.text("Action_followUp") });
    fireEvent.change(within(form).getByLabelText(new RegExp(panel.text("FollowUp_Subject"))), { target: { value: "Send the contract" } });
    fireEvent.click(within(form).getByRole("button", { name: panel.text("FollowUp_Save") }));
    expect(await screen.findByText(panel.text("FollowUp_Saved"))).toBeInTheDocument();
    expect([...panel.data.store.rows("task")].find((t) => t.subject === "Send the contract")?.regardingobjectid).toEqual({ id: panel.recordId, table: "contact" });
  });
});

describe("CustomerContextPanel failures and privileges with sample data", () => {
  // PCF's webAPI rejects a 500 with Dataverse's generic error code 0x80040216 and no HTTP status; the code alone
  // must be enough to tell the user it was the server.
  it.each([
    ["serverError", "DataverseError_Server"],
    ["network", "DataverseError_Network"],
  ] as const)("says what went wrong on %s and loads on retry", async (kind, messageKey) => {
    const panel = mount({ language: 1033, table: "account", faults: [{ kind, table: "account", operation: "retrieve", times: 1 }] });
    expect(await screen.findByText(panel.text("Panel_LoadFailed", panel.text(messageKey)))).toBeInTheDocument();
    fireEvent.click(screen.getByRole("button", { name: panel.text("Panel_Retry") }));
    await loaded(panel, row(panel, "account", panel.recordId).name as string);
  });

  it("waits out throttling and shows the card without an error", async () => {
    const panel = mount({ language: 1033, table: "account", faults: [{ kind: "throttle", table: "account", operation: "retrieve", times: 1, retryAfterSeconds: 1 }] });
    await loaded(panel, row(panel, "account", panel.recordId).name as string);
    // The throttled card request, its retry, and the deal rooms.
    expect(panel.requests()).toBe(3);
    expect(screen.queryByText(panel.text("Panel_Retry"))).toBeNull();
  });

  it("tells a user who may not read the account that they lack the permission, in Chinese", async () => {
    const panel = mount({ language: 2052, table: "account", denied: [["account", "read"]] });
    expect(await screen.findByText(panel.text("Panel_LoadFailed", panel.text("DataverseError_Forbidden")))).toBeInTheDocument();
  });

  it("shows the Teams section as not readable, without the Teams Link query, for a user without the Teams Collaboration role", async () => {
    const panel = mount({ language: 1033, table: "account", denied: [["tcc_teamslink", "read"]] });
    await loaded(panel, row(panel, "account", panel.recordId).name as string);
    const teams = screen.getByRole("region", { name: panel.text("Section_Teams") });
    expect(within(teams).getByText(panel.text("Section_Unreadable"))).toBeInTheDocument();
    expect(screen.getByRole("region", { name: panel.text("Section_Contacts") })).not.toHaveTextContent(panel.text("Section_Unreadable"));
    expect(decodeURIComponent(panel.requestsOf("GET")[0].url)).not.toContain("tcc_teamslink");
    expect(screen.getByRole("button", { name: panel.text("Action_openTeam") })).toBeDisabled();
  });

  it("disables the follow-up for a user who may not create tasks, saying why", async () => {
    const panel = mount({ language: 2052, table: "account", denied: [["task", "create"]] });
    await loaded(panel, row(panel, "account", panel.recordId).name as string);
    const button = screen.getByRole("button", { name: panel.text("Action_followUp") });
    expect(button).toBeDisabled();
    expect(button).toHaveAttribute("title", panel.text("Action_NoPrivilege"));
  });

  it("removes the pending task and says why when Dataverse fails the write", async () => {
    const panel = mount({ language: 1033, table: "account", faults: [{ kind: "serverError", table: "task", operation: "create" }] });
    await loaded(panel, row(panel, "account", panel.recordId).name as string);
    click(panel, "followUp");
    fireEvent.change(screen.getByLabelText(new RegExp(panel.text("FollowUp_Subject"))), { target: { value: "Never saved" } });
    fireEvent.click(screen.getByRole("button", { name: panel.text("FollowUp_Save") }));
    expect(await screen.findByText(panel.text("FollowUp_Failed", panel.text("DataverseError_Server")))).toBeInTheDocument();
    expect(screen.queryByText("Never saved")).toBeNull();
    expect([...panel.data.store.rows("task")].some((t) => t.subject === "Never saved")).toBe(false);
  });
});

describe("CustomerContextPanel inside Teams", () => {
  it("draws Teams' light theme at once from the frame ancestry, then the app's modern theme with each updateView", async () => {
    const panel = mount({ language: 1033, table: "account", teams: { signals: () => TEAMS_WEB_SIGNALS } });
    expect(panel.element.querySelector("[data-teams-theme]")).toHaveAttribute("data-teams-theme", "default");
    panel.context.fluentDesignLanguage = appDesign(true);
    panel.render();
    expect(panel.element.querySelector("[data-teams-theme]")).toHaveAttribute("data-teams-theme", "dark");
    await loaded(panel, row(panel, "account", panel.recordId).name as string);
    expect(panel.context.renderRequests).toBe(0);
  });

  it("opens a Teams deep link through the host's navigation.openUrl inside Teams", async () => {
    const panel = mount({ language: 1033, table: "account", teams: { signals: () => TEAMS_WEB_SIGNALS } });
    await loaded(panel, row(panel, "account", panel.recordId).name as string);
    click(panel, "chatOwner");
    expect(openedUrls(panel)).toEqual([expect.stringMatching(/^https:\/\/teams\.microsoft\.com\/l\/chat\/0\/0\?users=/)]);
  });

  it("in a plain browser asks for no re-render and draws no Teams theme", async () => {
    const panel = mount({ language: 1033, table: "account" });
    await loaded(panel, row(panel, "account", panel.recordId).name as string);
    expect(panel.context.renderRequests).toBe(0);
    expect(panel.element.querySelector("[data-teams-theme]")).toBeNull();
  });
});
