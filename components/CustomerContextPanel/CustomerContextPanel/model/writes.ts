/**
 * The panel's own writes: a follow-up task and a note regarding the record. Validation is pure; the write is shown
 * at once as a pending interaction and removed again if Dataverse refuses it, with a message saying why.
 */
import { bindTo, DATAVERSE_ERROR_MESSAGE_KEYS, type DataverseClient, type DataverseError, toDataverseError } from "../../../common/src";
import type { CardModel, Interaction } from "./cardModel";
import type { CardTable } from "./query";
import { endOfLocalDay, type OffsetAt } from "./userTime";

/**
 * task.subject's MaxLength in Dataverse. Dataverse counts UTF-16 code units (an emoji outside the BMP is 2), so the
 * check does too; a longer subject is refused with the limit, never cut.
 */
export const TASK_SUBJECT_MAX = 200;
export const NOTE_TEXT_MAX = 100_000;

export interface FieldError {
  readonly field: "subject" | "dueDate" | "text";
  readonly messageKey: string;
  /** Values for the message's `{0}`, `{1}`…: the limit and the length, for a text that is too long. */
  readonly args?: readonly number[];
}

export interface FollowUpTaskInput {
  readonly subject: string;
  /** `YYYY-MM-DD` or empty: a day in the user's time zone; the task is due at its end (see userTime.ts). */
  readonly dueDate: string;
}

export interface Regarding {
  readonly table: CardTable;
  readonly id: string;
}

export type WritePlan =
  | { readonly ok: true; readonly table: "task" | "annotation"; readonly data: Readonly<Record<string, unknown>>; readonly preview: Interaction }
  | { readonly ok: false; readonly errors: readonly FieldError[] };

function isDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(value);
}

/**
 * `today` is the user's day (`localDay`), `offsetAt` the user's time-zone offset (`userSettings.getTimeZoneOffsetMinutes`):
 * the task is due at the end of the chosen day where the user is, not in UTC or the browser's zone.
 */
export function planTask(input: FollowUpTaskInput, regarding: Regarding, today: string, tempId: string, offsetAt: OffsetAt): WritePlan {
  const subject = input.subject.trim();
  const errors: FieldError[] = [];
  if (subject === "") errors.push({ field: "subject", messageKey: "FollowUp_SubjectRequired" });
  else if (subject.length > TASK_SUBJECT_MAX) errors.push({ field: "subject", messageKey: "FollowUp_SubjectTooLong", args: [TASK_SUBJECT_MAX, subject.length] });
  const due = input.dueDate.trim();
  if (due !== "" && !isDate(due)) errors.push({ field: "dueDate", messageKey: "FollowUp_DueInvalid" });
  else if (due !== "" && due < today) errors.push({ field: "dueDate", messageKey: "FollowUp_DuePast" });
  if (errors.length > 0) return { ok: false, errors };
  const scheduledend = due === "" ? undefined : endOfLocalDay(due, offsetAt);
  return {
    ok: true,
    table: "task",
    data: {
      subject,
      ...(scheduledend !== undefined && { scheduledend }),
      [`regardingobjectid_${regarding.table}_task@odata.bind`]: bindTo(regarding.table, regarding.id),
    },
    preview: { id: tempId, kind: "task", typeName: "task", subject, open: true, pending: true, ...(scheduledend !== undefined && { date: scheduledend }) },
  };
}

export function planNote(text: string, title: string, regarding: Regarding, now: string, tempId: string): WritePlan {
  const body = text.trim();
  if (body === "") return { ok: false, errors: [{ field: "text", messageKey: "Note_TextRequired" }] };
  if (body.length > NOTE_TEXT_MAX) return { ok: false, errors: [{ field: "text", messageKey: "Note_TextTooLong" }] };
  return {
    ok: true,
    table: "annotation",
    data: { subject: title.trim(), notetext: body, [`objectid_${regarding.table}@odata.bind`]: bindTo(regarding.table, regarding.id) },
    preview: { id: tempId, kind: "other", typeName: "annotation", subject: title.trim() || body.slice(0, 80), date: now, open: false, pending: true },
  };
}

/** The card as the user should see it while writes are in flight: pending items first, as they are the newest. */
export function withPending(card: CardModel, pending: readonly Interaction[]): CardModel {
  if (pending.length === 0) return card;
  const ids = new Set(pending.map((p) => p.id));
  return { ...card, interactions: [...pending, ...card.interactions.filter((i) => !ids.has(i.id))] };
}

export type WriteOutcome = { readonly ok: true; readonly id: string } | { readonly ok: false; readonly error: DataverseError; readonly messageKey: string };

/** Sends one planned write; never throws, so the caller always learns whether to keep or roll back the preview. */
export async function sendWrite(client: Pick<DataverseClient, "create">, plan: Extract<WritePlan, { ok: true }>): Promise<WriteOutcome> {
  try {
    return { ok: true, id: await client.create(plan.table, plan.data) };
  } catch (e) {
    const error = toDataverseError(e);
    return { ok: false, error, messageKey: DATAVERSE_ERROR_MESSAGE_KEYS[error.kind] };
  }
}
