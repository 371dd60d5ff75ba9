/**
 * @jest-environment jsdom
 * @jest-environment-options {"url": "https://contoso.crm.dynamics.com/main.aspx"}
 */
// The deal room of an open deal, through the real control over the sample data: shown under its deal while the
// approval is pending, with the approval's state in words, opened by the panel's link rule; never at the cost of the card.
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import type { NavigationCall } from "../../../tools/dataverse/pcfContext";
import type { SampleData } from "../../../tools/dataverse";
import { TEAMS_WEB_SIGNALS } from "../common/teams/signals";
import { accountWithEverything, type Language, mountedPanels, type Panel } from "./panelHarness";


const PENDING = 615300000;
const TIMED_OUT = 615300003;
const DEAL_ROOM = 615300002;

interface Setup {
  account: string;
  deal: { id: string; name: string };
  room: { id: string; url: string };
}

/**
 * The sample data's deal-room link, moved to the first open deal of the account the form shows (the list's order is
 * the close date), with the given approval state. Links to a deal carry no account: the account's own Teams Links
 * never include it.
 */
function dealRoomOn(approval: number | null, setup: Partial<Setup> = {}) {
  return (data: SampleData): string => {
    const store = data.store;
    const account = accountWithEverything(data);
    const open = [...store.rows("opportunity")]
      .filter((o) => (o.customerid as { id: string } | null)?.id === account && (o.statecode ?? 0) === 0)
      .sort((a, b) => (a.estimatedclosedate as string).localeCompare(b.estimatedclosedate as string));
    if (open.length === 0) throw new Error("The sample account has no open deal");
    const room = [...store.rows("tcc_teamslink")].find((l) => l.tcc_kind === DEAL_ROOM);
    if (room === undefined) throw new Error("The sample data has no deal room");
    const dealId = open[0].opportunityid as string;
    store.update("tcc_teamslink", room.tcc_teamslinkid as string, { tcc_opportunityid: { id: dealId, table: "opportunity" }, tcc_approvalstatus: approval });
    expect(room.tcc_accountid ?? null).toBeNull();
    Object.assign(setup, { account, deal: { id: dealId, name: open[0].name as string }, room: { id: room.tcc_teamslinkid as string, url: room.tcc_weburl as string } });
    return account;
  };
}

function openedUrls(panel: Panel): string[] {
  return panel.context.navigationCalls.filter((c): c is Extract<NavigationCall, { kind: "openUrl" }> => c.kind === "openUrl").map((c) => c.url);
}

async function dealItem(panel: Panel, setup: Partial<Setup>): Promise<HTMLElement> {
  const name = panel.data.store.get("account", panel.recordId)?.name as string;
  await screen.findByRole("heading", { name }, { timeout: 3000 });
  const opportunities = screen.getByRole("region", { name: panel.text("Section_Opportunities") });
  const item = within(opportunities).getByText(setup.deal?.name ?? "").closest("li");
  if (item === null) throw new Error("The deal is not in the list");
  return item;
}

const dealRoomRequests = (panel: Panel) => panel.requestsOf("GET").filter((r) => new URL(r.url).pathname.endsWith("/tcc_teamslinks"));

const mount = mountedPanels();

describe.each([1033, 2052] as Language[])("CustomerContextPanel deal rooms in %i", (language) => {
  it("shows a pending deal room under its deal with the approval state, and opens it through the link rule", async () => {
    const setup: Partial<Setup> = {};
    const panel = mount({ language, table: "account", pick: dealRoomOn(PENDING, setup) });
    const item = await waitFor(() => dealItem(panel, setup));
    await waitFor(() => expect(within(item).getByText(panel.text("Approval_pending"))).toBeInTheDocument());
    expect(within(item).getByText(panel.text("DealRoom_Label"))).toBeInTheDocument();
    expect(item.querySelector(`[data-deal-room="${setup.room?.id}"]`)).toHaveAttribute("data-approval", "pending");
    expect(dealRoomRequests(panel)).toHaveLength(1);
    expect(decodeURIComponent(dealRoomRequests(panel)[0].url)).toContain(`PropertyValues=[`);
    expect(decodeURIComponent(dealRoomRequests(panel)[0].url)).toContain(`'${setup.deal?.id}'`);
    fireEvent.click(within(item).getByRole("button", { name: panel.text("DealRoom_OpenFor", setup.deal?.name ?? "") }));
    expect(openedUrls(panel)).toEqual([setup.room?.url]);
    // The Teams section lists the account's own links; the deal room belongs to the deal.
    const teams = screen.getByRole("region", { name: panel.text("Section_Teams") });
    expect(within(teams).queryByText(panel.text("Approval_pending"))).toBeNull();
    expect(screen.queryByText(panel.text("DealRooms_Failed"))).toBeNull();
  });

  it("says when the approval timed out", async () => {
    const setup: Partial<Setup> = {};
    const panel = mount({ language, table: "account", pick: dealRoomOn(TIMED_OUT, setup) });
    const item = await waitFor(() => dealItem(panel, setup));
    await waitFor(() => expect(within(item).getByText(panel.text("Approval_timedOut"))).toBeInTheDocument());
  });
});

describe("CustomerContextPanel deal rooms: privileges, failures, Teams", () => {
  it("shows the text in Chinese", async () => {
    const setup: Partial<Setup> = {};
    const panel = mount({ language: 2052, table: "account", pick: dealRoomOn(PENDING, setup) });
    const item = await waitFor(() => dealItem(panel, setup));
    await waitFor(() => expect(within(item).getByText("等待审批")).toBeInTheDocument());
    expect(within(item).getByText("交易室")).toBeInTheDocument();
  });

  it("shows no deal room and no error to a user who may not read Teams Links, and does not ask for them", async () => {
    const setup: Partial<Setup> = {};
    const panel = mount({ language: 1033, table: "account", denied: [["tcc_teamslink", "read"]], pick: dealRoomOn(PENDING, setup) });
    const item = await waitFor(() => dealItem(panel, setup));
    expect(item.querySelector("[data-deal-room]")).toBeNull();
    expect(within(item).queryByText(panel.text("Approval_pending"))).toBeNull();
    expect(screen.queryByText(panel.text("DealRooms_Failed"))).toBeNull();
    expect(dealRoomRequests(panel)).toHaveLength(0);
    expect(panel.requests()).toBe(1);
    const opportunities = screen.getByRole("region", { name: panel.text("Section_Opportunities") });
    expect(opportunities).not.toHaveTextContent(panel.text("Section_Unreadable"));
  });

  it.each(["serverError", "network"] as const)("keeps the card when the deal-room query fails (%s), and says so quietly", async (kind) => {
    const setup: Partial<Setup> = {};
    const panel = mount({ language: 1033, table: "account", faults: [{ kind, table: "tcc_teamslink", operation: "retrieveMultiple" }], pick: dealRoomOn(PENDING, setup) });
    const item = await waitFor(() => dealItem(panel, setup));
    expect(await screen.findByText(panel.text("DealRooms_Failed"))).toBeInTheDocument();
    expect(item.querySelector("[data-deal-room]")).toBeNull();
    expect(screen.queryByText(new RegExp(panel.text("Panel_Retry")))).toBeNull();
    expect(screen.queryByRole("alert")).toBeNull();
    // The rest of the card is there: the account's own Teams link and its quick action.
    expect(screen.getByRole("region", { name: panel.text("Section_Teams") })).toHaveTextContent(panel.text("TeamsStatus_active"));
    expect(screen.getByRole("button", { name: panel.text("Action_openTeam") })).toBeEnabled();
  });

  it("opens the deal room through the host's navigation.openUrl inside Teams", async () => {
    const setup: Partial<Setup> = {};
    const panel = mount({ language: 1033, table: "account", pick: dealRoomOn(PENDING, setup), teams: { signals: () => TEAMS_WEB_SIGNALS } });
    const item = await waitFor(() => dealItem(panel, setup));
    await waitFor(() => expect(within(item).getByText(panel.text("Approval_pending"))).toBeInTheDocument());
    fireEvent.click(within(item).getByRole("button", { name: panel.text("DealRoom_OpenFor", setup.deal?.name ?? "") }));
    expect(openedUrls(panel)).toEqual([setup.room?.url]);
  });
});
