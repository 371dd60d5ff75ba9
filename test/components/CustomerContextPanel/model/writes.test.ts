import { DataverseError } from "../../../../components/common/src";
import { accountCard } from "../../../../components/CustomerContextPanel/CustomerContextPanel/model/cardModel";
import { planNote, planTask, sendWrite, withPending } from "../../../../components/CustomerContextPanel/CustomerContextPanel/model/writes";
import { UTC_OFFSET } from "../../../../components/CustomerContextPanel/CustomerContextPanel/model/userTime";
import { zoneOffsetMinutes } from "../../../../tools/dataverse/pcfContext";
import { ACCOUNT_ID, accountResponse } from "../fixtures";

const regarding = { table: "account" as const, id: ACCOUNT_ID };
const SHANGHAI = (date: Date) => zoneOffsetMinutes("Asia/Shanghai", date);
const LOS_ANGELES = (date: Date) => zoneOffsetMinutes("America/Los_Angeles", date);

describe("planTask", () => {
  it("writes a task regarding the record, due at the end of the chosen day in the user's zone (UTC+8), and shows it as pending", () => {
    // 17:00Z, what the panel wrote before, is 01:00 the next day at UTC+8: the task was due a day late.
    const plan = planTask({ subject: "  发送报价 🚀 ", dueDate: "2025-03-20" }, regarding, "2025-03-14", "tmp-1", SHANGHAI);
    expect(plan).toEqual({
      ok: true,
      table: "task",
      data: { subject: "发送报价 🚀", scheduledend: "2025-03-20T15:59:59Z", "regardingobjectid_account_task@odata.bind": `/accounts(${ACCOUNT_ID})` },
      preview: { id: "tmp-1", kind: "task", typeName: "task", subject: "发送报价 🚀", open: true, pending: true, date: "2025-03-20T15:59:59Z" },
    });
  });

  it("a task due 2026-03-20 is due at the end of that day at UTC+8 and at UTC−8, and across a DST change", () => {
    const due = (offsetAt: typeof SHANGHAI, day: string) => {
      const plan = planTask({ subject: "x", dueDate: day }, regarding, "2026-01-01", "t", offsetAt);
      return plan.ok ? plan.data.scheduledend : plan.errors;
    };
    expect(due(SHANGHAI, "2026-03-20")).toBe("2026-03-20T15:59:59Z");
    expect(due(LOS_ANGELES, "2026-03-20")).toBe("2026-03-21T06:59:59Z");
    expect(due(LOS_ANGELES, "2026-02-20")).toBe("2026-02-21T07:59:59Z");
    expect(due(LOS_ANGELES, "2026-03-08")).toBe("2026-03-09T06:59:59Z");
    expect(due(UTC_OFFSET, "2026-03-20")).toBe("2026-03-20T23:59:59Z");
  });

  it("refuses an empty subject, an impossible date and a past date, naming each field", () => {
    expect(planTask({ subject: " ", dueDate: "2025-02-30" }, regarding, "2025-03-14", "t", UTC_OFFSET)).toEqual({
      ok: false,
      errors: [
        { field: "subject", messageKey: "FollowUp_SubjectRequired" },
        { field: "dueDate", messageKey: "FollowUp_DueInvalid" },
      ],
    });
    expect(planTask({ subject: "x", dueDate: "2025-03-13" }, regarding, "2025-03-14", "t", UTC_OFFSET)).toMatchObject({ errors: [{ field: "dueDate", messageKey: "FollowUp_DuePast" }] });
    expect(planTask({ subject: "x".repeat(201), dueDate: "" }, regarding, "2025-03-14", "t", UTC_OFFSET)).toMatchObject({ errors: [{ field: "subject", messageKey: "FollowUp_SubjectTooLong" }] });
  });

  it("refuses a subject over task.subject's 200 UTF-16 units with the limit and the length, never cutting it", () => {
    const at = (subject: string) => planTask({ subject, dueDate: "" }, regarding, "2025-03-14", "t", UTC_OFFSET);
    expect(at("x".repeat(200))).toMatchObject({ ok: true, data: { subject: "x".repeat(200) } });
    expect(at("x".repeat(250))).toEqual({ ok: false, errors: [{ field: "subject", messageKey: "FollowUp_SubjectTooLong", args: [200, 250] }] });
    // Dataverse counts an emoji outside the BMP as two characters: 101 rockets are 202.
    expect(at("🚀".repeat(100))).toMatchObject({ ok: true });
    expect(at("🚀".repeat(101))).toMatchObject({ ok: false, errors: [{ args: [200, 202] }] });
    // Surrounding spaces are trimmed before counting, as before the write.
    expect(at(`  ${"x".repeat(200)}  `)).toMatchObject({ ok: true });
  });

  it("writes a task without a due date when none is given", () => {
    const plan = planTask({ subject: "Call back", dueDate: "" }, { table: "contact", id: "{CCCCCCCC-0000-4000-8000-000000000001}" }, "2025-03-14", "t", UTC_OFFSET);
    expect(plan.ok && plan.data).toEqual({ subject: "Call back", "regardingobjectid_contact_task@odata.bind": "/contacts(cccccccc-0000-4000-8000-000000000001)" });
  });
});

describe("planNote", () => {
  it("writes a note on the record and keeps hostile text as text", () => {
    const plan = planNote(`<b>价格</b> & "quotes"`, "纪要", regarding, "2025-03-14T09:00:00Z", "tmp-2");
    expect(plan.ok && plan.data).toEqual({ subject: "纪要", notetext: `<b>价格</b> & "quotes"`, "objectid_account@odata.bind": `/accounts(${ACCOUNT_ID})` });
  });
  it("refuses an empty note", () => {
    expect(planNote("  ", "", regarding, "", "t")).toEqual({ ok: false, errors: [{ field: "text", messageKey: "Note_TextRequired" }] });
  });
});

describe("withPending and sendWrite", () => {
  const card = accountCard(accountResponse(), { recentActivityCount: 10, today: "2025-03-14", now: 0 });
  const plan = planTask({ subject: "Follow up", dueDate: "" }, regarding, "2025-03-14", "tmp-9", UTC_OFFSET);
  if (!plan.ok) throw new Error("plan should be valid");

  it("shows pending writes first and removes them when the list no longer has them", () => {
    const shown = withPending(card, [plan.preview]);
    expect(shown.interactions[0]).toMatchObject({ id: "tmp-9", pending: true });
    expect(withPending(card, []).interactions).toBe(card.interactions);
  });

  it("returns the new id when Dataverse accepts the write", async () => {
    const create = jest.fn().mockResolvedValue("new-id");
    await expect(sendWrite({ create }, plan)).resolves.toEqual({ ok: true, id: "new-id" });
    expect(create).toHaveBeenCalledWith("task", plan.data);
  });

  it("returns the error and the message to show when Dataverse refuses, without throwing", async () => {
    const create = jest.fn().mockRejectedValue(new DataverseError("forbidden", "no privilege", 403));
    await expect(sendWrite({ create }, plan)).resolves.toMatchObject({ ok: false, messageKey: "DataverseError_Forbidden", error: { kind: "forbidden" } });
    const network = jest.fn().mockRejectedValue(new TypeError("Failed to fetch"));
    await expect(sendWrite({ create: network }, plan)).resolves.toMatchObject({ ok: false, messageKey: "DataverseError_Network" });
  });
});
