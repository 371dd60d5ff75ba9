import { DataverseError } from "../../../../components/common/src";
import { accountCard } from "../../../../components/CustomerContextPanel/CustomerContextPanel/model/cardModel";
import { planNote, planTask, sendWrite, withPending } from "../../../../components/CustomerContextPanel/CustomerContextPanel/model/writes";
import { ACCOUNT_ID, accountResponse } from "../fixtures";

const regarding = { table: "account" as const, id: ACCOUNT_ID };

describe("planTask", () => {
  it("writes a task regarding the record with the due date and shows it as pending", () => {
    const plan = planTask({ subject: "  发送报价 🚀 ", dueDate: "2025-03-20" }, regarding, "2025-03-14", "tmp-1");
    expect(plan).toEqual({
      ok: true,
      table: "task",
      data: { subject: "发送报价 🚀", scheduledend: "2025-03-20T17:00:00Z", "regardingobjectid_account_task@odata.bind": `/accounts(${ACCOUNT_ID})` },
      preview: { id: "tmp-1", kind: "task", typeName: "task", subject: "发送报价 🚀", open: true, pending: true, date: "2025-03-20T17:00:00Z" },
    });
  });

  it("refuses an empty subject, an impossible date and a past date, naming each field", () => {
    expect(planTask({ subject: " ", dueDate: "2025-02-30" }, regarding, "2025-03-14", "t")).toEqual({
      ok: false,
      errors: [
        { field: "subject", messageKey: "FollowUp_SubjectRequired" },
        { field: "dueDate", messageKey: "FollowUp_DueInvalid" },
      ],
    });
    expect(planTask({ subject: "x", dueDate: "2025-03-13" }, regarding, "2025-03-14", "t")).toMatchObject({ errors: [{ field: "dueDate", messageKey: "FollowUp_DuePast" }] });
    expect(planTask({ subject: "x".repeat(201), dueDate: "" }, regarding, "2025-03-14", "t")).toMatchObject({ errors: [{ field: "subject", messageKey: "FollowUp_SubjectTooLong" }] });
  });

  it("writes a task without a due date when none is given", () => {
    const plan = planTask({ subject: "Call back", dueDate: "" }, { table: "contact", id: "{CCCCCCCC-0000-4000-8000-000000000001}" }, "2025-03-14", "t");
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
  const plan = planTask({ subject: "Follow up", dueDate: "" }, regarding, "2025-03-14", "tmp-9");
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
