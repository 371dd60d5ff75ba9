/**
 * Days in the user's time zone: the one the user chose in Dynamics 365 (Personal Options → Time Zone), which the PCF
 * host hands over as `context.userSettings.getTimeZoneOffsetMinutes(date)`, not the browser's. The offset is the number
 * of minutes to ADD to UTC to get the user's local time at that instant (UTC+8 → 480, UTC−8 → −480; the opposite sign
 * of JavaScript's `Date.prototype.getTimezoneOffset`), and it depends on the date, so daylight saving time is right
 * when the date is passed.
 *
 * Convention for a due date: a task due on a day is due at the last second of that day in the user's time zone,
 * 23:59:59 local, written as a UTC instant without milliseconds (`2026-03-20` at UTC+8 → `2026-03-20T15:59:59Z`). The
 * task then shows as due on the chosen day in every Dynamics 365 view (its `scheduledend` is User Local), and is not
 * overdue until that day is over for the user.
 */

/** The user's offset from UTC in minutes at an instant, as `userSettings.getTimeZoneOffsetMinutes` answers it. */
export type OffsetAt = (instant: Date) => number;

/** The browser-independent default: UTC, for hosts that give no offset. */
export const UTC_OFFSET: OffsetAt = () => 0;

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

function parseDay(day: string): readonly [number, number, number] {
  const m = DAY.exec(day);
  if (!m) throw new RangeError(`Not a YYYY-MM-DD day: '${day}'`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const check = new Date(Date.UTC(y, mo - 1, d));
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) throw new RangeError(`No such day: '${day}'`);
  return [y, mo, d];
}

function offsetMs(offsetAt: OffsetAt, instant: number): number {
  const minutes = offsetAt(new Date(instant));
  // A host that answers nonsense must not move the due date by a random amount: treat it as UTC.
  return Number.isFinite(minutes) && Math.abs(minutes) <= 18 * 60 ? Math.round(minutes) * MINUTE_MS : 0;
}

/**
 * The UTC instant at which the local wall-clock time `wall` (milliseconds of a UTC-normalised local date-time) occurs
 * in the user's zone. Real offsets lie within UTC−12 … UTC+14, so the instant lies within 14 hours before to 12 hours
 * after `wall`; the offsets in force at the two ends of that window and in its middle are the only candidates. When a
 * wall time occurs twice (the hour repeated as clocks go back) the later instant is taken; when it does not occur at all
 * (clocks jump over it) the earlier candidate, which is still before the wall time, is taken.
 */
function instantOfWallTime(wall: number, offsetAt: OffsetAt): number {
  const offsets = new Set([offsetMs(offsetAt, wall - 14 * HOUR_MS), offsetMs(offsetAt, wall), offsetMs(offsetAt, wall + 12 * HOUR_MS)]);
  const candidates = [...offsets].map((o) => wall - o);
  const consistent = candidates.filter((t) => wall - offsetMs(offsetAt, t) === t);
  return consistent.length > 0 ? Math.max(...consistent) : Math.min(...candidates);
}

function isoSeconds(instant: number): string {
  return new Date(instant).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** The last second (23:59:59 local) of `day` (`YYYY-MM-DD`) in the user's time zone, as a UTC ISO instant. */
export function endOfLocalDay(day: string, offsetAt: OffsetAt): string {
  const [y, m, d] = parseDay(day);
  return isoSeconds(instantOfWallTime(Date.UTC(y, m - 1, d, 23, 59, 59), offsetAt));
}

/** The user's calendar day (`YYYY-MM-DD`) at an instant. */
export function localDay(instant: Date, offsetAt: OffsetAt): string {
  return new Date(instant.getTime() + offsetMs(offsetAt, instant.getTime())).toISOString().slice(0, 10);
}
