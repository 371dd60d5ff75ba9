/** @jest-environment jsdom */
/** One bad record never blanks the panel: a list item or a section that cannot be drawn leaves a notice, the rest stays. */
import * as React from "react";
import { fireEvent, render, screen, within } from "@testing-library/react";
import { CustomerCard, type CustomerCardProps } from "../../../components/CustomerContextPanel/CustomerContextPanel/CustomerCard";
import { accountCard, type CardModel } from "../../../components/CustomerContextPanel/CustomerContextPanel/model/cardModel";
import { ACCOUNT_ID, accountResponse } from "./fixtures";
import { translator } from "./strings";

const card = accountCard(accountResponse(), { recentActivityCount: 10, today: "2025-03-14", now: 0 });

function props(model: CardModel, language: 1033 | 2052 = 1033): CustomerCardProps {
  return {
    state: { status: "ready", card: model },
    sections: ["facts", "interactions", "opportunities", "cases", "contacts", "teams"],
    layout: "full",
    actions: [{ id: "copyLink", url: `https://contoso.crm.dynamics.com/main.aspx?id=${ACCOUNT_ID}` }],
    t: translator(language),
    locale: language === 2052 ? "zh-CN" : "en-US",
    onRetry: () => undefined,
    onRefresh: () => undefined,
    onOpen: () => undefined,
    onCopy: () => Promise.resolve(true),
    onCreateTask: () => Promise.resolve({ ok: true }),
  };
}

const notText = { html: "<b>x</b>" } as unknown as string;

describe("CustomerCard error boundaries", () => {
  let consoleError: jest.SpyInstance;
  beforeEach(() => (consoleError = jest.spyOn(console, "error").mockImplementation(() => undefined)));
  afterEach(() => consoleError.mockRestore());

  it("an interaction that cannot be drawn becomes a one-line notice; the other interactions and sections stay", () => {
    expect(card.interactions.length).toBeGreaterThan(1);
    const bad = { ...card, interactions: card.interactions.map((i, n) => (n === 0 ? { ...i, subject: notText } : i)) };
    render(<CustomerCard {...props(bad)} />);
    const interactions = screen.getByRole("region", { name: "Recent interactions" });
    expect(within(interactions).getByText("This item could not be shown.")).toBeInTheDocument();
    expect(within(interactions).getAllByRole("listitem")).toHaveLength(card.interactions.length);
    for (const i of card.interactions.slice(1)) expect(within(interactions).getByText(i.subject ?? "")).toBeInTheDocument();
    expect(screen.getByRole("heading", { name: card.account?.name })).toBeInTheDocument();
    fireEvent.click(screen.getByRole("button", { name: "Copy link" }));
  });

  it("a section that cannot be drawn says so under its heading; the others and the actions stay", () => {
    const bad = { ...card, account: card.account && { ...card.account, industry: notText } };
    render(<CustomerCard {...props(bad)} />);
    const facts = screen.getByRole("region", { name: "Key facts" });
    expect(within(facts).getByText("This section could not be shown.")).toBeInTheDocument();
    expect(document.querySelectorAll("[data-error-boundary]")).toHaveLength(1);
    expect(screen.getByRole("button", { name: "Copy link" })).toBeEnabled();
    expect(within(screen.getByRole("region", { name: "Recent interactions" })).getAllByRole("listitem")).toHaveLength(card.interactions.length);
  });

  it("says it in Chinese", () => {
    const bad = { ...card, account: card.account && { ...card.account, industry: notText } };
    render(<CustomerCard {...props(bad, 2052)} />);
    expect(screen.getByText("无法显示此部分。")).toBeInTheDocument();
  });
});
