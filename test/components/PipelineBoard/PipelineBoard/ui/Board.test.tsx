/** @jest-environment jsdom */
import * as React from "react";
import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { formattedValueOf, HttpDataverseClient } from "@tcc/common";
import type { TotalsSource } from "../../../../../components/PipelineBoard/PipelineBoard/model/aggregate";
import { type BoardCard, readCard } from "../../../../../components/PipelineBoard/PipelineBoard/model/card";
import { dataverseMoveServices } from "../../../../../components/PipelineBoard/PipelineBoard/model/dataverseMoves";
import { lanesFor } from "../../../../../components/PipelineBoard/PipelineBoard/model/lanes";
import type { MovePermissions } from "../../../../../components/PipelineBoard/PipelineBoard/model/moves";
import { Board, type BoardProps } from "../../../../../components/PipelineBoard/PipelineBoard/ui/Board";
import { CARD_HEIGHT } from "../../../../../components/PipelineBoard/PipelineBoard/ui/CardView";
import { SALES_STAGES } from "../../../../../tools/dataverse/metadata";
import { createSampleData } from "../../../../../tools/dataverse/sampleData";
import { InMemoryWebApi } from "../../../../../tools/dataverse/webApiHandler";
import { registerIcons } from "@fluentui/react";
import { resxTranslate } from "../resx";
import { OPPORTUNITY_COLUMNS } from "../opportunityColumns";

// The platform registers Fluent's icon font; in tests the message bar's icons only need to exist.
registerIcons({ icons: { info: <span />, clear: <span />, errorbadge: <span />, warning: <span />, blocked2: <span />, completed: <span /> } });

const t = resxTranslate(1033);
const columns = OPPORTUNITY_COLUMNS;
const stageLanes = lanesFor(
  SALES_STAGES.map((o) => ({ value: o.value, label: o.labels[1033], ...(o.color !== undefined && { color: o.color }) })),
  t("Board_NoValue"),
);
const allowed: MovePermissions = { controlDisabled: false, allowMove: true, canWrite: true };

async function openOpportunities(api: InMemoryWebApi, count: number): Promise<BoardCard[]> {
  const client = new HttpDataverseClient({ fetch: api.fetch, baseUrl: api.baseUrl });
  const page = await client.retrieveMultiple(
    "opportunity",
    { select: ["name", "salesstage", "estimatedvalue", "estimatedvalue_base", "closeprobability", "estimatedclosedate", "versionnumber", "_ownerid_value", "_parentaccountid_value"], filter: "statecode eq 0", orderBy: ["name"], top: count },
  );
  const lookup = (column: string) => (column === "ownerid" || column === "parentaccountid" ? `_${column}_value` : column);
  return page.rows.map((row) =>
    readCard({ id: String(row.opportunityid), value: (c) => row[lookup(c)], text: (c) => formattedValueOf(row, lookup(c)) ?? "" }, columns, []),
  );
}

function setup(overrides: Partial<BoardProps> = {}, cards: BoardCard[] = []) {
  const sample = createSampleData({ opportunities: 60 });
  const api = new InMemoryWebApi({ store: sample.store });
  const client = new HttpDataverseClient({ fetch: api.fetch, baseUrl: api.baseUrl });
  const opened: string[] = [];
  const props = (extra: Partial<BoardProps> = {}): BoardProps => ({
    t,
    locale: "en-US",
    today: "2025-03-14",
    lanes: stageLanes,
    cards,
    laneKind: "choice",
    permissions: allowed,
    totals: { scope: "loaded", reason: "pending" },
    progress: { loaded: cards.length, total: cards.length, loading: false },
    services: dataverseMoveServices(client, "opportunity", "salesstage", { notOpen: (state) => `It is ${state} now.`, deleted: () => "It was deleted." }, () => Promise.resolve()),
    onOpen: (card) => opened.push(card.id),
    laneHeight: 600,
    userId: null,
    width: 1200,
    ...overrides,
    ...extra,
  });
  return { sample, api, opened, props };
}

function laneNamed(name: string): HTMLElement {
  const lane = screen.getByRole("region", { name: t("Board_Label") }).querySelector<HTMLElement>(`section[aria-label="${name}"]`);
  if (!lane) throw new Error(`no lane named ${name}`);
  return lane;
}
const cardsIn = (name: string) => within(laneNamed(name)).queryAllByRole("listitem").map((e) => e.getAttribute("data-card-id"));

async function boardWithData(overrides: Partial<BoardProps> = {}) {
  const first = setup();
  const cards = await openOpportunities(first.api, 60);
  const ctx = { ...first, cards, props: (extra: Partial<BoardProps> = {}) => first.props({ cards, progress: { loaded: cards.length, total: cards.length, loading: false }, ...overrides, ...extra }) };
  return ctx;
}

describe("Board", () => {
  it("shows lanes in the choice's order with count, sum and weighted sum, labelled as loaded-record totals", () => {
    const cards: BoardCard[] = [
      { id: "a", name: "Deal A", account: "Contoso", laneValue: 1, amount: 100, amountText: "$100.00", amountBase: 100, probability: 50, closeDate: null, closeDateText: "", owner: "Ann", details: [] },
      { id: "b", name: "Deal B", account: "", laneValue: 1, amount: 300, amountText: "$300.00", amountBase: 300, probability: 10, closeDate: "2025-03-01", closeDateText: "3/1/2025", owner: "Bo", details: [] },
    ];
    const { props } = setup({}, cards);
    render(<Board {...props({ totals: { scope: "loaded", reason: "aggregateLimit" } })} />);
    const sections = screen.getByRole("region", { name: "Pipeline board" }).querySelectorAll("section");
    // No card lacks a stage: the "(no value)" lane takes no column (issue 16 item 6).
    expect(Array.from(sections).map((s) => s.getAttribute("aria-label"))).toEqual(["Qualify", "Develop", "Propose", "Close"]);
    const develop = within(laneNamed("Develop"));
    expect(develop.getByText("2 records")).toBeInTheDocument();
    expect(develop.getByText("Total 400")).toBeInTheDocument();
    expect(develop.getByText("Weighted 80")).toBeInTheDocument();
    expect(screen.getByText(/more than 50,000 records/)).toBeInTheDocument();
    expect(screen.getByText("3/1/2025 · Overdue")).toBeInTheDocument();
  });

  it("shows whole-view totals when the aggregate answered, and says so", () => {
    const { props } = setup();
    const totals: TotalsSource = { scope: "view", totals: new Map([["2", { count: 1234, amount: 5_000_000, weighted: 3_000_000 }]]) };
    render(<Board {...props({ totals })} />);
    expect(screen.getByText("Totals for the whole view, in base currency")).toBeInTheDocument();
    expect(within(laneNamed("Propose")).getByText("Total 5,000,000")).toBeInTheDocument();
    expect(within(laneNamed("Propose")).getByText("1,234 records")).toBeInTheDocument();
  });

  it("renders only the cards in view: 20,000 cards in a lane make a few dozen list items", () => {
    const many: BoardCard[] = Array.from({ length: 20_000 }, (_, i) => ({
      id: `c${i}`, name: `Deal ${i}`, account: "", laneValue: 0, amount: 1, amountText: "$1.00", amountBase: 1, probability: 10, closeDate: null, closeDateText: "", owner: "", details: [],
    }));
    const { props } = setup({}, many);
    render(<Board {...props()} />);
    expect(within(laneNamed("Qualify")).getByText("20,000 records")).toBeInTheDocument();
    expect(screen.getAllByRole("listitem").length).toBeLessThan(20);
  });

  it("shows progress while pages load without holding back the cards already loaded", async () => {
    const ctx = await boardWithData();
    render(<Board {...ctx.props({ progress: { loaded: 1200, total: 3400, loading: true } })} />);
    expect(screen.getByText("Loaded 1,200 of 3,400")).toBeInTheDocument();
    expect(screen.getAllByRole("listitem").length).toBeGreaterThan(0);
  });

  it("opens the record on double click and on Enter, and a click only selects it", async () => {
    const ctx = await boardWithData();
    const selected: string[] = [];
    render(<Board {...ctx.props({ onSelect: (card) => selected.push(card.id) })} />);
    const card = screen.getAllByRole("listitem")[0];
    fireEvent.click(card);
    expect(ctx.opened).toEqual([]);
    fireEvent.doubleClick(card);
    fireEvent.keyDown(card, { key: "Enter" });
    expect(ctx.opened).toEqual([card.getAttribute("data-card-id"), card.getAttribute("data-card-id")]);
    expect(selected).toEqual([card.getAttribute("data-card-id")]);
  });

  it("shows the host's load error instead of lanes", async () => {
    const ctx = await boardWithData();
    render(<Board {...ctx.props({ loadError: "This view could not be loaded. The query timed out." })} />);
    // An error message bar is an alert, whose text Fluent renders a moment later for screen readers to notice.
    expect(await screen.findByText("This view could not be loaded. The query timed out.")).toBeInTheDocument();
    expect(document.querySelectorAll("section")).toHaveLength(0);
    expect(screen.queryByText("No records in this view.")).not.toBeInTheDocument();
  });

  it("collapses and expands a lane", async () => {
    const ctx = await boardWithData();
    render(<Board {...ctx.props()} />);
    const toggle = within(laneNamed("Qualify")).getAllByRole("button")[0];
    fireEvent.click(toggle);
    expect(toggle).toHaveAttribute("aria-expanded", "false");
    expect(cardsIn("Qualify")).toEqual([]);
    fireEvent.click(toggle);
    expect(cardsIn("Qualify").length).toBeGreaterThan(0);
  });
});

describe("Board card and lane polish (issue 16 item 6)", () => {
  const deal = (id: string, extra: Partial<BoardCard> = {}): BoardCard => ({
    id, name: `Deal ${id}`, account: "Contoso", laneValue: 1, amount: 100, amountText: "$100.00", amountBase: 100, probability: 50,
    closeDate: "2025-03-01", closeDateText: "3/1/2025", owner: "Ann", details: [], ...extra,
  });
  const sections = () => Array.from(screen.getByRole("region", { name: "Pipeline board" }).querySelectorAll("section")).map((s) => s.getAttribute("aria-label"));

  it("flags an open card past its close date as overdue, never a won or lost one", () => {
    const { props } = setup({}, [deal("open"), deal("won", { closed: true }), deal("today", { closeDate: "2025-03-14" })]);
    render(<Board {...props()} />);
    const label = (id: string) => document.querySelector(`[data-card-id="${id}"]`)?.getAttribute("aria-label") ?? "";
    expect(label("open")).toContain("Overdue");
    expect(label("won")).not.toContain("Overdue");
    expect(label("today")).not.toContain("Overdue");
    expect(within(document.querySelector<HTMLElement>('[data-card-id="won"]')!).queryByText(/Overdue/)).toBeNull();
  });

  it("shows lane totals with the base currency's symbol once known, in the user's pattern", () => {
    const { props } = setup({}, [deal("a", { amountBase: 1234.4 })]);
    const view = render(<Board {...props()} />);
    expect(within(laneNamed("Develop")).getByText("Total 1,234")).toBeInTheDocument();
    view.rerender(<Board {...props({ baseCurrency: { symbol: "$" } })} />);
    expect(within(laneNamed("Develop")).getByText("Total $1,234")).toBeInTheDocument();
    view.rerender(<Board {...props({ baseCurrency: { symbol: "€", pattern: 3 } })} />);
    expect(within(laneNamed("Develop")).getByText("Total 1,234 €")).toBeInTheDocument();
  });

  it("shows the (no value) lane when it has cards, when the whole view has such records, and while a card is dragged", () => {
    const { props } = setup({}, [deal("a")]);
    const view = render(<Board {...props()} />);
    expect(sections()).not.toContain("(no value)");
    view.rerender(<Board {...props({ cards: [deal("a"), deal("b", { laneValue: null })] })} />);
    expect(sections()).toContain("(no value)");
    view.rerender(<Board {...props({ totals: { scope: "view", totals: new Map([["none", { count: 3, amount: 0, weighted: 0 }]]) } })} />);
    expect(sections()).toContain("(no value)");
    view.rerender(<Board {...props()} />);
    expect(sections()).not.toContain("(no value)");
    const dataTransfer = { setData: () => undefined, getData: () => "", effectAllowed: "", dropEffect: "" };
    fireEvent.dragStart(within(laneNamed("Develop")).getByRole("listitem"), { dataTransfer });
    expect(sections()).toContain("(no value)");
    fireEvent.dragEnd(laneNamed("Develop"), { dataTransfer });
    expect(sections()).not.toContain("(no value)");
  });

  it("fits six cards in a 760 px lane and still shows name, account, amount, probability, close date, owner and rating", () => {
    const rating = { label: "Rating", text: "Warm" };
    const cards = Array.from({ length: 10 }, (_, i) => deal(String(i), { details: [rating] }));
    const { props } = setup({}, cards);
    render(<Board {...props({ laneHeight: 760 })} />);
    expect(Math.floor(760 / CARD_HEIGHT)).toBeGreaterThanOrEqual(6);
    const card = within(laneNamed("Develop")).getAllByRole("listitem")[0];
    for (const text of ["Deal 0", "Contoso", "$100.00", "3/1/2025", "Ann", "Warm"]) expect(within(card).getByText(new RegExp(text.replace(/[$.]/g, "\\$&")))).toBeInTheDocument();
    expect(within(card).getByText(t("Card_Probability", 50))).toBeInTheDocument();
    expect(within(card).getByText("Warm")).toHaveAttribute("title", "Rating");
  });
});

describe("Board moves against the in-memory Dataverse", () => {
  async function moveWithKeyboard(fault?: "conflict" | "throttle" | "serverError") {
    const ctx = await boardWithData();
    if (fault) ctx.api.faults.add({ kind: fault, table: "opportunity", operation: "update", times: 1, retryAfterSeconds: 1 });
    render(<Board {...ctx.props()} />);
    const card = within(laneNamed("Qualify")).getAllByRole("listitem")[0];
    const id = card.getAttribute("data-card-id") ?? "";
    await act(async () => {
      fireEvent.keyDown(card, { key: "ArrowRight", altKey: true });
      await Promise.resolve();
    });
    return { ...ctx, id };
  }

  it("Alt+Right moves the card at once, saves it and announces both", async () => {
    const { id, sample } = await moveWithKeyboard();
    expect(cardsIn("Develop")).toContain(id);
    await waitFor(() => expect(screen.getByRole("status")).toHaveTextContent(/saved in Develop/));
    expect(sample.store.get("opportunity", id)?.salesstage).toBe(1);
    expect(cardsIn("Develop")).toContain(id);
    expect(cardsIn("Qualify")).not.toContain(id);
  });

  it("412: nothing is overwritten and the card shows where Dataverse has it", async () => {
    const { id, sample } = await moveWithKeyboard("conflict");
    await waitFor(() => expect(screen.getByText(/changed by someone else/, { selector: "[role=status]" })).toBeInTheDocument());
    expect(sample.store.get("opportunity", id)?.salesstage).toBe(0);
    expect(cardsIn("Qualify")).toContain(id);
    expect(screen.getAllByText(/changed by someone else/).length).toBeGreaterThan(1);
  });

  it("429: retried after Retry-After and saved once", async () => {
    const { id, sample } = await moveWithKeyboard("throttle");
    await waitFor(() => expect(screen.getByRole("status")).toHaveTextContent(/saved in Develop/));
    expect(sample.store.get("opportunity", id)?.salesstage).toBe(1);
    expect(cardsIn("Develop").filter((c) => c === id)).toHaveLength(1);
  });

  it("500: the card goes back and the board says why", async () => {
    const { id, sample } = await moveWithKeyboard("serverError");
    await waitFor(() => expect(screen.getByRole("status")).toHaveTextContent(/could not be moved: Dataverse had a problem/));
    expect(sample.store.get("opportunity", id)?.salesstage).toBe(0);
    expect(cardsIn("Qualify")).toContain(id);
    expect(cardsIn("Develop")).not.toContain(id);
  });

  it("moves a card by dragging it onto another lane", async () => {
    const ctx = await boardWithData();
    render(<Board {...ctx.props()} />);
    const card = within(laneNamed("Qualify")).getAllByRole("listitem")[0];
    const id = card.getAttribute("data-card-id") ?? "";
    const data = new Map<string, string>();
    const dataTransfer = { setData: (k: string, v: string) => data.set(k, v), getData: (k: string) => data.get(k) ?? "", effectAllowed: "", dropEffect: "" };
    fireEvent.dragStart(card, { dataTransfer });
    fireEvent.dragOver(laneNamed("Propose"), { dataTransfer });
    await act(async () => {
      fireEvent.drop(laneNamed("Propose"), { dataTransfer });
      await Promise.resolve();
    });
    expect(cardsIn("Propose")).toContain(id);
    await waitFor(() => expect(ctx.sample.store.get("opportunity", id)?.salesstage).toBe(2));
  });

  it("moves a card from the Move to… menu opened with Shift+F10", async () => {
    const ctx = await boardWithData();
    render(<Board {...ctx.props()} />);
    const card = within(laneNamed("Qualify")).getAllByRole("listitem")[0];
    const id = card.getAttribute("data-card-id") ?? "";
    fireEvent.keyDown(card, { key: "F10", shiftKey: true });
    const item = await screen.findByRole("menuitemcheckbox", { name: "Close" }).catch(() => screen.findByRole("menuitem", { name: "Close" }));
    await act(async () => {
      fireEvent.click(item);
      await Promise.resolve();
    });
    expect(cardsIn("Close")).toContain(id);
    await waitFor(() => expect(ctx.sample.store.get("opportunity", id)?.salesstage).toBe(3));
  });

  it("does not move when the maker turned moving off, and says why", async () => {
    const ctx = await boardWithData({ permissions: { ...allowed, allowMove: false } });
    const writes: string[] = [];
    ctx.api.store.subscribe((c) => writes.push(c.id));
    render(<Board {...ctx.props()} />);
    expect(await screen.findByText("Moving cards is turned off for this board.")).toBeInTheDocument();
    const card = within(laneNamed("Qualify")).getAllByRole("listitem")[0];
    expect(card).toHaveAttribute("draggable", "false");
    fireEvent.keyDown(card, { key: "ArrowRight", altKey: true });
    expect(cardsIn("Qualify")).toContain(card.getAttribute("data-card-id"));
    expect(writes).toEqual([]);
  });

  it("does not write a status move that needs Dataverse's close dialog", () => {
    const statusLanes = lanesFor([{ value: 1, label: "In Progress", state: 0 }, { value: 3, label: "Won", state: 1 }], t("Board_NoValue"));
    const card: BoardCard = { id: "s", name: "Deal S", account: "", laneValue: 1, amount: 1, amountText: "$1.00", amountBase: 1, probability: 10, closeDate: null, closeDateText: "", owner: "", details: [] };
    const save = jest.fn(() => Promise.resolve());
    const { props } = setup({}, [card]);
    render(<Board {...props({ lanes: statusLanes, laneKind: "status", services: { save, reload: jest.fn(), sleep: jest.fn() } })} />);
    fireEvent.keyDown(screen.getByRole("listitem"), { key: "ArrowRight", altKey: true });
    expect(save).not.toHaveBeenCalled();
    expect(screen.getByRole("status")).toHaveTextContent("Deal S cannot be moved to In Progress.");
  });
});

describe("Board filters, sorting and layouts", () => {
  const make = (id: string, extra: Partial<BoardCard>): BoardCard => ({
    id, name: `Deal ${id}`, account: "", laneValue: 0, amount: 1, amountText: "", amountBase: 1, probability: 10, closeDate: null, closeDateText: "", owner: "", details: [], ...extra,
  });
  const cards = [
    make("a", { name: "Alpha renewal", account: "Contoso", amount: 100, ownerId: "me" }),
    make("b", { name: "Beta", account: "华信科技有限公司", amount: 900 }),
    make("c", { name: "Gamma", account: "Fabrikam", amount: 500, laneValue: 1, ownerId: "{ME}" }),
  ];
  /** Picks an option of a combo box as a user does, by the text they see. */
  const choose = (box: RegExp, option: string) => {
    const select = screen.getByRole("combobox", { name: box });
    fireEvent.change(select, { target: { value: within(select).getByRole("option", { name: option }).getAttribute("value") } });
  };
  const cardNames = (lane: string) => within(laneNamed(lane)).queryAllByRole("listitem").map((e) => e.getAttribute("aria-label")?.split(",")[0]);

  it("searches name and account and labels the totals as covering the filtered cards", () => {
    const { props } = setup({}, cards);
    render(<Board {...props({ totals: { scope: "view", totals: new Map([["0", { count: 99, amount: 1, weighted: 1 }]]) } })} />);
    fireEvent.change(screen.getByRole("searchbox"), { target: { value: "华信" } });
    expect(cardNames("Qualify")).toEqual(["Beta"]);
    expect(within(laneNamed("Qualify")).getByText("1 record")).toBeInTheDocument();
    expect(screen.getByText("Totals for the cards the filters show")).toBeInTheDocument();
    fireEvent.click(screen.getByRole("button", { name: "Clear filters" }));
    expect(within(laneNamed("Qualify")).getByText("99 records")).toBeInTheDocument();
  });

  it("shows only the user's cards and sorts by amount within lanes", () => {
    const { props } = setup({}, cards);
    render(<Board {...props({ userId: "me" })} />);
    fireEvent.click(screen.getByRole("switch", { name: "Only mine" }));
    expect(cardNames("Qualify")).toEqual(["Alpha renewal"]);
    expect(cardNames("Develop")).toEqual(["Gamma"]);
    fireEvent.click(screen.getByRole("switch", { name: "Only mine" }));
    choose(/^Sort cards by/, "Amount, highest first");
    expect(cardNames("Qualify")).toEqual(["Beta", "Alpha renewal"]);
  });

  it("keeps a pending save when a filter hides its card, and shows the card again in its new lane", async () => {
    let release: () => void = () => undefined;
    const save = jest.fn(() => new Promise<void>((resolve) => (release = resolve)));
    const { props } = setup({}, cards);
    render(<Board {...props({ services: { save, reload: () => Promise.resolve({ laneValue: 2, etag: 'W/"2"' }), sleep: () => Promise.resolve() } })} />);
    const alpha = within(laneNamed("Qualify")).getAllByRole("listitem")[0];
    fireEvent.keyDown(alpha, { key: "ArrowRight", altKey: true });
    fireEvent.keyDown(within(laneNamed("Develop")).getAllByRole("listitem")[0], { key: "ArrowRight", altKey: true });
    fireEvent.change(screen.getByRole("searchbox"), { target: { value: "Beta" } });
    expect(cardNames("Propose")).toEqual([]);
    await act(async () => {
      release();
      await Promise.resolve();
    });
    fireEvent.change(screen.getByRole("searchbox"), { target: { value: "" } });
    await waitFor(() => expect(cardNames("Propose")).toEqual(["Alpha renewal"]));
    expect(save).toHaveBeenCalledTimes(1);
  });

  it("on a view without amount, probability or close date offers no filters, sorts or lane figures for them", () => {
    const { props } = setup({}, cards);
    const { rerender } = render(<Board {...props({ measures: { amount: false, probability: false, closeDate: false } })} />);
    const figures = () => within(laneNamed("Qualify")).getByText("2 records").parentElement?.textContent;
    expect(figures()).toBe("2 records");
    expect(screen.queryByRole("spinbutton")).toBeNull();
    expect(screen.queryByRole("combobox", { name: /close date/i })).toBeNull();
    const sorts = () => within(screen.getByRole("combobox", { name: /sort/i })).getAllByRole("option").map((o) => o.textContent);
    expect(sorts()).toEqual(["View order"]);
    rerender(<Board {...props({ measures: { amount: true, probability: false, closeDate: true } })} />);
    expect(figures()).toBe("2 recordsTotal 2");
    expect(screen.getAllByRole("spinbutton")).toEqual([screen.getByRole("spinbutton", { name: "Amount from" }), screen.getByRole("spinbutton", { name: "Amount to" })]);
    expect(sorts()).toEqual(["View order", "Amount, highest first", "Close date, soonest first"]);
  });

  it("lets an amount range set before the view lost its amount column hide no card", () => {
    const { props } = setup({}, cards);
    const { rerender } = render(<Board {...props()} />);
    fireEvent.change(screen.getByRole("spinbutton", { name: "Amount from" }), { target: { value: "600" } });
    expect(cardNames("Qualify")).toEqual(["Beta"]);
    rerender(<Board {...props({ measures: { amount: false, probability: true, closeDate: true } })} />);
    expect(cardNames("Qualify")).toEqual(["Alpha renewal", "Beta"]);
  });

  it("shows one lane at a time with a lane switcher on a narrow screen", () => {
    const { props } = setup({}, cards);
    render(<Board {...props({ width: 400 })} />);
    expect(document.querySelectorAll("section")).toHaveLength(1);
    choose(/^Lane/, "Develop (1)");
    expect(cardNames("Develop")).toEqual(["Gamma"]);
    expect(document.querySelectorAll("section")).toHaveLength(1);
  });
});

describe("Board Teams actions", () => {
  it("offers share at once, then chat with the owner and the deal room once looked up, and opens the chosen link", async () => {
    const card: BoardCard = { id: "t", name: "Deal T", account: "", laneValue: 0, amount: 1, amountText: "", amountBase: 1, probability: 10, closeDate: null, closeDateText: "", owner: "Wei", ownerId: "u1", details: [] };
    const opened: string[] = [];
    let answer: (targets: { ownerEmail: string; dealRoomUrl: string; dealRoomApproval: "pending" }) => void = () => undefined;
    const { props } = setup({}, [card]);
    render(
      <Board
        {...props({
          teams: {
            targets: () => new Promise((resolve) => (answer = resolve)),
            recordUrl: () => "https://contoso.crm.dynamics.com/main.aspx?etn=opportunity&id=t",
            open: (url) => opened.push(url),
          },
        })}
      />,
    );
    fireEvent.click(screen.getByRole("button", { name: "Teams" }));
    expect(await screen.findByRole("menuitem", { name: "Share to Teams" })).toBeInTheDocument();
    expect(screen.queryByRole("menuitem", { name: "Chat with the owner" })).toBeNull();
    await act(async () => {
      answer({ ownerEmail: "wei@contoso.example", dealRoomUrl: "https://teams.microsoft.com/l/chat/19%3Aroom%40thread.v2/0", dealRoomApproval: "pending" });
      await Promise.resolve();
    });
    fireEvent.click(await screen.findByRole("menuitem", { name: "Open the deal room (approval pending)" }));
    expect(opened).toEqual(["https://teams.microsoft.com/l/chat/19%3Aroom%40thread.v2/0"]);
  });
});

describe("Board themes", () => {
  const board = () => screen.getByRole("region", { name: "Pipeline board" });
  const drawnTheme = () => board().closest("[data-teams-theme]")?.getAttribute("data-teams-theme") ?? null;

  it("draws the board and its Fluent controls in the Teams theme it is given, and in the app's theme elsewhere", () => {
    const { props } = setup();
    const { rerender } = render(<Board {...props({ theme: "dark" })} />);
    expect(drawnTheme()).toBe("dark");
    expect(board().style.getPropertyValue("--pb-card")).toBe("#292929");
    expect(board().style.getPropertyValue("--pb-danger")).toBe("#F1707B");
    rerender(<Board {...props({ theme: "contrast" })} />);
    expect(drawnTheme()).toBe("contrast");
    expect(board().style.getPropertyValue("--pb-accent")).toBe("#ffff01");
    rerender(<Board {...props()} />);
    expect(drawnTheme()).toBeNull();
    expect(board().style.getPropertyValue("--pb-card")).toBe("#ffffff");
    expect(board().style.getPropertyValue("--pb-text")).toBe("#323130");
  });
});
