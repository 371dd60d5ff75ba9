import { endOfLocalDay, localDay, type OffsetAt, UTC_OFFSET } from "../../../../components/CustomerContextPanel/CustomerContextPanel/model/userTime";
import { createFakeContext, zoneOffsetMinutes } from "../../../../tools/dataverse/pcfContext";
import { InMemoryWebApi } from "../../../../tools/dataverse";
import { DataverseStore } from "../../../../tools/dataverse/store";

/** What a model-driven host answers for a user whose Dynamics 365 time zone is `zone`. */
const zone = (name: string): OffsetAt => (date) => zoneOffsetMinutes(name, date);

describe("endOfLocalDay: a task due on a day is due at 23:59:59 of that day in the user's zone", () => {
  it("UTC+8 (Asia/Shanghai): 2026-03-20 ends at 2026-03-20T15:59:59Z, not the next morning", () => {
    expect(endOfLocalDay("2026-03-20", zone("Asia/Shanghai"))).toBe("2026-03-20T15:59:59Z");
    expect(endOfLocalDay("2026-03-20", () => 480)).toBe("2026-03-20T15:59:59Z");
  });

  it("UTC−8 (America/Los_Angeles in winter): 2026-01-15 ends at 2026-01-16T07:59:59Z", () => {
    expect(endOfLocalDay("2026-01-15", zone("America/Los_Angeles"))).toBe("2026-01-16T07:59:59Z");
    expect(endOfLocalDay("2026-01-15", () => -480)).toBe("2026-01-16T07:59:59Z");
  });

  it("UTC and a host without an offset: the end of the UTC day", () => {
    expect(endOfLocalDay("2026-03-20", UTC_OFFSET)).toBe("2026-03-20T23:59:59Z");
  });

  it("half-hour and quarter-hour zones", () => {
    expect(endOfLocalDay("2026-03-20", zone("Asia/Kolkata"))).toBe("2026-03-20T18:29:59Z");
    expect(endOfLocalDay("2026-03-20", zone("Asia/Kathmandu"))).toBe("2026-03-20T18:14:59Z");
  });

  it("takes the offset at the due date, not today's: daylight saving time in America/Los_Angeles and Europe/London", () => {
    // Clocks go forward on 2026-03-08 in Los Angeles: the day ends at 23:59:59 PDT (UTC−7).
    expect(endOfLocalDay("2026-03-07", zone("America/Los_Angeles"))).toBe("2026-03-08T07:59:59Z");
    expect(endOfLocalDay("2026-03-08", zone("America/Los_Angeles"))).toBe("2026-03-09T06:59:59Z");
    // ... and back on 2026-11-01: that day ends at 23:59:59 PST (UTC−8).
    expect(endOfLocalDay("2026-10-31", zone("America/Los_Angeles"))).toBe("2026-11-01T06:59:59Z");
    expect(endOfLocalDay("2026-11-01", zone("America/Los_Angeles"))).toBe("2026-11-02T07:59:59Z");
    expect(endOfLocalDay("2026-03-29", zone("Europe/London"))).toBe("2026-03-29T22:59:59Z");
  });

  it("a zone that changes its clocks at midnight (America/Santiago): the later 23:59:59 when it occurs twice", () => {
    // 2026-04-05 00:00 −03 → 2026-04-04 23:00 −04: 23:59:59 on 2026-04-04 happens at 02:59:59Z and again at 03:59:59Z.
    expect(endOfLocalDay("2026-04-04", zone("America/Santiago"))).toBe("2026-04-05T03:59:59Z");
    // 2026-09-06 00:00 −04 → 01:00 −03: the day before still ends at 23:59:59 −04.
    expect(endOfLocalDay("2026-09-05", zone("America/Santiago"))).toBe("2026-09-06T03:59:59Z");
    expect(endOfLocalDay("2026-09-06", zone("America/Santiago"))).toBe("2026-09-07T02:59:59Z");
  });

  it("every stored due date shows as the chosen day, at 23:59:59, in the user's zone", () => {
    const zones = ["Asia/Shanghai", "America/Los_Angeles", "Pacific/Kiritimati", "Pacific/Pago_Pago", "Australia/Lord_Howe", "America/Santiago", "Europe/Berlin"];
    for (const name of zones) {
      for (let d = Date.UTC(2026, 0, 1); d < Date.UTC(2027, 0, 1); d += 86_400_000) {
        const day = new Date(d).toISOString().slice(0, 10);
        const due = new Date(endOfLocalDay(day, zone(name)));
        const shown = new Intl.DateTimeFormat("sv-SE", { timeZone: name, dateStyle: "short", timeStyle: "medium" }).format(due);
        expect(`${name} ${shown}`).toBe(`${name} ${day} 23:59:59`);
      }
    }
  });

  it("refuses text that is not a day, and treats a nonsense offset as UTC", () => {
    expect(() => endOfLocalDay("2026-02-30", UTC_OFFSET)).toThrow(RangeError);
    expect(() => endOfLocalDay("20/03/2026", UTC_OFFSET)).toThrow(RangeError);
    expect(endOfLocalDay("2026-03-20", () => Number.NaN)).toBe("2026-03-20T23:59:59Z");
  });
});

describe("localDay: the user's calendar day at an instant", () => {
  it("is already tomorrow at UTC+8 and still yesterday at UTC−8", () => {
    const instant = new Date("2026-03-20T17:00:00Z");
    expect(localDay(instant, zone("Asia/Shanghai"))).toBe("2026-03-21");
    expect(localDay(instant, zone("America/Los_Angeles"))).toBe("2026-03-20");
    expect(localDay(new Date("2026-03-20T05:00:00Z"), zone("America/Los_Angeles"))).toBe("2026-03-19");
  });
});

describe("fake PCF context: getTimeZoneOffsetMinutes answers from the user's Dynamics 365 zone, as model-driven apps do", () => {
  const context = (timeZone?: string) =>
    createFakeContext({ api: new InMemoryWebApi({ store: new DataverseStore() }), parameters: {}, ...(timeZone !== undefined && { timeZone }) });

  it("minutes to add to UTC, per date (daylight saving time), whatever the machine's zone", () => {
    const shanghai = context("Asia/Shanghai");
    expect(shanghai.userSettings.getTimeZoneOffsetMinutes(new Date("2026-03-20T00:00:00Z"))).toBe(480);
    const la = context("America/Los_Angeles");
    expect(la.userSettings.getTimeZoneOffsetMinutes(new Date("2026-01-15T12:00:00Z"))).toBe(-480);
    expect(la.userSettings.getTimeZoneOffsetMinutes(new Date("2026-07-15T12:00:00Z"))).toBe(-420);
    expect(la.userSettings.getTimeZoneOffsetMinutes(new Date("2026-03-08T09:59:59Z"))).toBe(-480);
    expect(la.userSettings.getTimeZoneOffsetMinutes(new Date("2026-03-08T10:00:00Z"))).toBe(-420);
  });

  it("is UTC by default and follows a change of the user's zone", () => {
    const c = context();
    expect(c.userSettings.getTimeZoneOffsetMinutes(new Date("2026-03-20T00:00:00Z"))).toBe(0);
    expect(typeof c.userSettings.getTimeZoneOffsetMinutes()).toBe("number");
    c.userTimeZone = "Asia/Kolkata";
    expect(c.userSettings.getTimeZoneOffsetMinutes(new Date("2026-03-20T00:00:00Z"))).toBe(330);
  });
});
