import {
  type BoardCard,
  calendarDateOf,
  isOverdue,
  lazyCardReaderFor,
  readCard,
  type RecordReader,
  todayOf,
} from "../../../../../components/PipelineBoard/PipelineBoard/model/card";
import { OPPORTUNITY_COLUMNS } from "../opportunityColumns";

const columns = OPPORTUNITY_COLUMNS;

function reader(values: Record<string, unknown>, texts: Record<string, string> = {}): RecordReader {
  return { id: "opp-1", value: (c) => values[c], text: (c) => texts[c] ?? "" };
}

const viewColumns = [
  { name: "name", displayName: "Topic" },
  { name: "estimatedvalue", displayName: "Est. Revenue" },
  { name: "opportunityratingcode", displayName: "Rating" },
  { name: "description", displayName: "Description" },
];

describe("readCard", () => {
  const card = readCard(
    reader(
      {
        name: "500 licences",
        salesstage: 2,
        estimatedvalue: 71000,
        estimatedvalue_base: 10000,
        closeprobability: 60,
        estimatedclosedate: new Date(2025, 2, 14),
        versionnumber: 812,
        customerid: { id: "c", name: "Wrong source", etn: "account" },
        ownerid: { id: { guid: "{5E2C-77}" }, name: "Wei Chen", etn: "systemuser" },
      },
      { salesstage: "Propose", estimatedvalue: "¥71,000.00", parentaccountid: "华信科技有限公司", ownerid: "Wei Chen", estimatedclosedate: "3/14/2025", opportunityratingcode: "Hot" },
    ),
    columns,
    viewColumns,
  );

  it("shows the amount as Dataverse formats it in the record's currency and keeps the base amount for totals", () => {
    expect(card).toMatchObject({ amount: 71000, amountText: "¥71,000.00", amountBase: 10000 });
  });

  it("reads name, account (first source with a value), owner, lane and probability", () => {
    expect(card).toMatchObject({ name: "500 licences", account: "华信科技有限公司", owner: "Wei Chen", laneValue: 2, laneText: "Propose", probability: 60 });
  });

  it("keeps the close date as a calendar date in local time and its display text", () => {
    expect(card).toMatchObject({ closeDate: "2025-03-14", closeDateText: "3/14/2025" });
  });

  it("keeps the owner's id for the mine-only filter", () => {
    expect(card.ownerId).toBe("{5E2C-77}");
  });

  it("makes the etag Dataverse gives that row version", () => {
    expect(card.etag).toBe('W/"812"');
  });

  it("lists the view's other columns that have a value, in view order, labelled with their display names", () => {
    expect(card.details).toEqual([{ label: "Rating", text: "Hot" }]);
  });

  it("falls back to the lookup's name and clamps a probability outside 0–100", () => {
    const other = readCard(reader({ customerid: { id: "c", name: "Contoso", etn: "account" }, closeprobability: 140, salesstage: "1" }), columns, []);
    expect(other).toMatchObject({ account: "Contoso", probability: 100, laneValue: 1, amount: null, closeDate: null });
    expect(other.etag).toBeUndefined();
  });
});

describe("dates", () => {
  it("reads date-only strings and rejects invalid dates", () => {
    expect(calendarDateOf("2025-12-01T00:00:00Z")).toBe("2025-12-01");
    expect(calendarDateOf(new Date(Number.NaN))).toBeNull();
    expect(calendarDateOf(42)).toBeNull();
  });

  it("marks a card overdue only after its close date", () => {
    const today = todayOf(new Date(2025, 2, 14, 23, 59));
    expect(today).toBe("2025-03-14");
    expect(isOverdue({ closeDate: "2025-03-13" }, today)).toBe(true);
    expect(isOverdue({ closeDate: "2025-03-14" }, today)).toBe(false);
    expect(isOverdue({ closeDate: null }, today)).toBe(false);
  });
});

describe("readCard with hostile or careless hosts", () => {
  it("reads a value that is no number (NaN, Infinity, '1e400', text, a self-referencing option) as no value", () => {
    const loop: { value?: unknown } = {};
    loop.value = loop;
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, "1e400", "12abc", "", "   ", loop, { value: { value: 3 } }, [], true, Symbol("x")]) {
      const c = readCard(reader({ estimatedvalue: bad, estimatedvalue_base: bad, closeprobability: bad, salesstage: bad, versionnumber: bad }), columns, []);
      expect(c).toMatchObject({ amount: null, amountBase: null, probability: null, laneValue: null });
      expect(c.etag).toBeUndefined();
    }
  });

  it("shows only strings as text, whatever the host's text() or value() return", () => {
    const host: RecordReader = {
      id: "opp-2",
      value: (c) => (c === "name" ? { name: { nested: true } } : c === "ownerid" ? { id: 42 } : undefined),
      text: (c) => (c === "name" ? ({ html: "<b>x</b>" } as unknown as string) : c === "salesstage" ? (7 as unknown as string) : ""),
    };
    const c = readCard(host, columns, viewColumns);
    expect(c).toMatchObject({ name: "", laneText: undefined, owner: "", ownerId: undefined, details: [] });
  });

  it("reads a column whose read throws as no value instead of failing the board", () => {
    const host: RecordReader = {
      id: "opp-3",
      value: (c) => {
        if (c === "estimatedvalue") throw new Error("column not in view");
        return c === "name" ? "Still here" : undefined;
      },
      text: (c) => {
        if (c === "ownerid") throw new Error("no formatted value");
        return "";
      },
    };
    expect(readCard(host, columns, viewColumns)).toMatchObject({ id: "opp-3", name: "Still here", amount: null, owner: "" });
  });

  it("rejects close dates that do not exist", () => {
    expect(calendarDateOf("2025-02-30")).toBeNull();
    expect(calendarDateOf("2025-13-01")).toBeNull();
    expect(calendarDateOf("2024-02-29")).toBe("2024-02-29");
  });
});

describe("closed records are never overdue (issue 16 item 6)", () => {
  const withState = { ...columns, state: "statecode" };
  const past = { estimatedclosedate: "2025-01-10" };
  it.each([
    [0, false],
    [1, true],
    [2, true],
  ])("statecode %i reads as closed %s, and only an open card past its date is overdue", (statecode, closed) => {
    const card = readCard(reader({ ...past, statecode }), withState, []);
    expect(card.closed).toBe(closed);
    expect(isOverdue(card, "2025-03-14")).toBe(!closed);
  });

  it("without the status column a card counts as open, and the status is not shown as a detail", () => {
    expect(readCard(reader(past), columns, []).closed).toBe(false);
    expect(readCard(reader({ ...past, statecode: 1 }, { statecode: "Won" }), withState, [{ name: "statecode", displayName: "Status" }]).details).toEqual([]);
  });
});

describe("lazy cards (the dataset mode's reader)", () => {
  const withState = { ...columns, state: "statecode" };
  const values: Record<string, unknown> = {
    name: "500 licences",
    salesstage: 2,
    estimatedvalue: 71000,
    estimatedvalue_base: 10000,
    closeprobability: 160,
    estimatedclosedate: "2025-03-14",
    versionnumber: 812,
    statecode: 1,
    ownerid: { id: { guid: "{5E2C-77}" }, name: "Wei Chen" },
  };
  const texts: Record<string, string> = { salesstage: "Propose", estimatedvalue: "¥71,000.00", parentaccountid: "华信科技有限公司", ownerid: "Wei Chen", opportunityratingcode: "Hot" };

  it("give every field the eager reader gives for the same record", () => {
    const lazy = lazyCardReaderFor(withState, viewColumns, { value: (_r: null, c) => values[c], text: (_r: null, c) => texts[c] ?? "" })("opp-1", null);
    const eager = readCard(reader(values, texts), withState, viewColumns);
    for (const key of Object.keys(eager) as (keyof BoardCard)[]) expect([key, lazy[key]]).toEqual([key, eager[key]]);
  });

  it("read the figures at once and the texts only when first shown, once", () => {
    const textReads: string[] = [];
    const card = lazyCardReaderFor(withState, viewColumns, {
      value: (_r: null, c) => values[c],
      text: (_r: null, c) => {
        textReads.push(c);
        return texts[c] ?? "";
      },
    })("opp-1", null);
    expect([card.laneValue, card.amountBase, card.probability, card.closed]).toEqual([2, 10000, 100, true]);
    expect(textReads).toEqual([]);
    expect(card.account).toBe("华信科技有限公司");
    const afterFirst = textReads.length;
    expect(card.owner).toBe("Wei Chen");
    expect(card.name).toBe("500 licences");
    expect(textReads).toHaveLength(afterFirst);
  });
});
