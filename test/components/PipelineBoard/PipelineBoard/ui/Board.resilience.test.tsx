/** @jest-environment jsdom */
/** One bad record never blanks the board: malformed owner addresses, cards that fail to draw, lanes that fail. */
import * as React from "react";
import { act, fireEvent, render, screen, within } from "@testing-library/react";
import { registerIcons } from "@fluentui/react";
import type { BoardCard } from "../../../../../components/PipelineBoard/PipelineBoard/model/card";
import { lanesFor } from "../../../../../components/PipelineBoard/PipelineBoard/model/lanes";
import type { MoveServices } from "../../../../../components/PipelineBoard/PipelineBoard/model/moves";
import { Board, type BoardProps } from "../../../../../components/PipelineBoard/PipelineBoard/ui/Board";
import { SALES_STAGES } from "../../../../../tools/dataverse/metadata";
import { resxTranslate } from "../resx";

registerIcons({ icons: { info: <span />, clear: <span />, errorbadge: <span />, warning: <span />, blocked2: <span />, completed: <span /> } });

const t = resxTranslate(1033);
const lanes = lanesFor(SALES_STAGES.map((o) => ({ value: o.value, label: o.labels[1033] })), t("Board_NoValue"));
const services: MoveServices = { save: () => Promise.resolve(), reload: () => Promise.reject(new Error("not used")), sleep: () => Promise.resolve() };

function card(i: number, extra: Partial<BoardCard> = {}): BoardCard {
  return {
    id: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
    name: `Deal ${i}`,
    account: `Account ${i}`,
    laneValue: SALES_STAGES[i % SALES_STAGES.length].value,
    amount: 1000 * i,
    amountText: `$${1000 * i}.00`,
    amountBase: 1000 * i,
    probability: 50,
    closeDate: "2025-04-01",
    closeDateText: "4/1/2025",
    owner: i === 0 ? "Megan" : `Owner ${i}`,
    ownerId: `u${i}`,
    details: [],
    ...extra,
  };
}

function props(cards: BoardCard[], extra: Partial<BoardProps> = {}): BoardProps {
  return {
    t,
    locale: "en-US",
    today: "2025-03-14",
    lanes,
    cards,
    laneKind: "choice",
    permissions: { controlDisabled: false, allowMove: true, canWrite: true },
    totals: { scope: "loaded", reason: "pending" },
    progress: { loaded: cards.length, total: cards.length, loading: false },
    services,
    onOpen: () => undefined,
    laneHeight: 4000,
    userId: null,
    width: 1600,
    ...extra,
  };
}

const shownCardIds = () => Array.from(document.querySelectorAll("[data-card-id],[data-record-id]")).map((e) => e.getAttribute("data-card-id") ?? e.getAttribute("data-record-id"));

describe("Board with an owner whose e-mail is not address-shaped", () => {
  it("keeps every card and says in the Teams menu why chat is unavailable (megan@contoso)", async () => {
    const cards = Array.from({ length: 25 }, (_, i) => card(i));
    const opened: string[] = [];
    render(
      <Board
        {...props(cards, {
          teams: {
            targets: (c) => Promise.resolve(c.ownerId === "u0" ? { ownerEmail: "megan@contoso" } : { ownerEmail: `owner${c.ownerId ?? ""}@contoso.example` }),
            recordUrl: (c) => `https://contoso.crm.dynamics.com/main.aspx?etn=opportunity&id=${c.id}`,
            open: (url) => opened.push(url),
          },
        })}
      />,
    );
    expect(shownCardIds()).toHaveLength(25);
    const megan = document.querySelector<HTMLElement>(`[data-card-id="${cards[0].id}"]`);
    if (!megan) throw new Error("Megan's card is not on the board");
    await act(async () => {
      fireEvent.click(within(megan).getByRole("button", { name: "Teams" }));
      await Promise.resolve();
    });
    const reason = "Chat with the owner is unavailable: the owner's e-mail address “megan@contoso” is not a complete address.";
    const item = await screen.findByRole("menuitem", { name: reason });
    expect(item).toHaveAttribute("aria-disabled", "true");
    fireEvent.click(item);
    expect(opened).toEqual([]);
    // The rest of the menu still works, and so does the board.
    fireEvent.click(screen.getByRole("menuitem", { name: "Share to Teams" }));
    expect(opened).toHaveLength(1);
    expect(shownCardIds()).toHaveLength(25);
    expect(document.querySelectorAll("[data-error-boundary]")).toHaveLength(0);
    expect(screen.getByRole("region", { name: "Pipeline board" })).toBeInTheDocument();
  });
});

describe("Board error boundaries", () => {
  let consoleError: jest.SpyInstance;
  // React reports each caught render error on the console; these tests cause them on purpose.
  beforeEach(() => (consoleError = jest.spyOn(console, "error").mockImplementation(() => undefined)));
  afterEach(() => consoleError.mockRestore());

  it("a card that cannot be drawn leaves a small notice in its place and every other card keeps working", () => {
    // A host that hands over an object where text belongs: React throws "Objects are not valid as a React child".
    const bad = card(3, { name: { text: "not text" } as unknown as string });
    const cards = [card(1), card(2), bad, card(4), card(5)];
    const opened: string[] = [];
    render(<Board {...props(cards, { onOpen: (c) => opened.push(c.id) })} />);
    const notice = document.querySelector(`[data-error-boundary="card"][data-record-id="${bad.id}"]`);
    expect(notice).toHaveTextContent("This deal could not be shown.");
    expect(shownCardIds().sort()).toEqual(cards.map((c) => c.id).sort());
    fireEvent.doubleClick(screen.getByText("Deal 4"));
    expect(opened).toEqual([cards[3].id]);
    expect(screen.getByText("Deal 5")).toBeInTheDocument();
  });

  it("draws the card again when its record changes", () => {
    const bad = card(3, { name: { text: "not text" } as unknown as string });
    const { rerender } = render(<Board {...props([card(1), bad])} />);
    expect(screen.getByText("This deal could not be shown.")).toBeInTheDocument();
    rerender(<Board {...props([card(1), card(3)])} />);
    expect(screen.queryByText("This deal could not be shown.")).toBeNull();
    expect(screen.getByText("Deal 3")).toBeInTheDocument();
  });

  it("a lane that cannot be drawn leaves a notice under its name; the other lanes keep their cards", () => {
    const broken = { ...lanes[1], label: { bad: true } as unknown as string };
    const cards = Array.from({ length: 12 }, (_, i) => card(i));
    render(<Board {...props(cards, { lanes: [lanes[0], broken, ...lanes.slice(2)] })} />);
    const notices = document.querySelectorAll('[data-error-boundary="lane"]');
    expect(notices).toHaveLength(1);
    expect(notices[0]).toHaveTextContent("This lane could not be shown.");
    const inOtherLanes = cards.filter((c) => c.laneValue !== broken.value);
    for (const c of inOtherLanes) expect(document.querySelector(`[data-card-id="${c.id}"]`)).not.toBeNull();
  });

  it("says it in Chinese too", () => {
    const zh = resxTranslate(2052);
    render(<Board {...props([card(1, { name: { x: 1 } as unknown as string })], { t: zh })} />);
    expect(screen.getByText("无法显示此商机。")).toBeInTheDocument();
  });
});
