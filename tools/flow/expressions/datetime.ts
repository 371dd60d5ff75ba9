import { culture, type Culture } from "./culture";
import { WdlRuntimeError } from "./errors";

/**
 * A .NET DateTime: the wall-clock time as milliseconds since 1970 read as if UTC, the 100 ns ticks below
 * the millisecond, and the kind. Inputs with an offset are converted to UTC, as Logic Apps does; inputs
 * without one stay "unspecified" and format without a zone designator.
 */
export interface Timestamp {
  ms: number;
  subTicks: number;
  kind: "utc" | "unspecified";
}

const MS_PER_DAY = 86_400_000;
/** Ticks between 0001-01-01 and 1970-01-01. */
const EPOCH_TICKS = 621_355_968_000_000_000n;
const MIN_MS = new Date(0).setUTCFullYear(1, 0, 1);
const MAX_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

function pad(n: number, width: number): string {
  return String(Math.abs(n)).padStart(width, "0");
}

function checkRange(ms: number): number {
  if (!Number.isFinite(ms) || ms < MIN_MS || ms > MAX_MS) {
    throw new WdlRuntimeError("the resulting date is outside the range 0001-01-01 to 9999-12-31");
  }
  return ms;
}

function utcFromParts(y: number, mo: number, d: number, h: number, mi: number, s: number, msPart: number): number {
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  date.setUTCHours(h, mi, s, msPart);
  const ok = date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d && h < 24 && mi < 60 && s < 60;
  return ok ? date.getTime() : Number.NaN;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
const US = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?(?:\s*(AM|PM))?)?\s*(Z)?$/i;

/** Parses the timestamp forms .NET accepts in the invariant culture: ISO 8601 and MM/dd/yyyy [HH:mm:ss]. */
export function parseTimestamp(text: string): Timestamp {
  const t = text.trim();
  let y: number, mo: number, d: number, h: number, mi: number, s: number, frac: string;
  let zone: string | undefined;
  const iso = ISO.exec(t);
  const us = iso === null ? US.exec(t) : null;
  if (iso !== null) {
    [y, mo, d, h, mi, s] = [iso[1], iso[2], iso[3], iso[4], iso[5], iso[6]].map((x) => Number(x ?? 0));
    frac = iso[7] ?? "";
    zone = iso[8];
  } else if (us !== null) {
    [mo, d, y, h, mi, s] = [us[1], us[2], us[3], us[4], us[5], us[6]].map((x) => Number(x ?? 0));
    frac = us[7] ?? "";
    const ampm = us[8]?.toUpperCase();
    if (ampm !== undefined) {
      if (h < 1 || h > 12) throw new WdlRuntimeError(`'${text}' is not a valid timestamp: hour ${h} with ${ampm}`);
      h = (h % 12) + (ampm === "PM" ? 12 : 0);
    }
    zone = us[9];
  } else {
    throw new WdlRuntimeError(`'${text}' is not a valid timestamp (expected ISO 8601 such as 2018-03-15T13:00:00Z, or MM/dd/yyyy HH:mm:ss)`);
  }
  const fracTicks = Number(frac.padEnd(7, "0"));
  let ms = utcFromParts(y, mo, d, h, mi, s, Math.floor(fracTicks / 10_000));
  if (Number.isNaN(ms)) throw new WdlRuntimeError(`'${text}' is not a valid timestamp: a date or time field is out of range`);
  if (zone === undefined) return { ms, subTicks: fracTicks % 10_000, kind: "unspecified" };
  if (zone.toUpperCase() !== "Z") {
    const sign = zone.startsWith("-") ? -1 : 1;
    const digits = zone.slice(1).replace(":", "");
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  return { ms: checkRange(ms), subTicks: fracTicks % 10_000, kind: "utc" };
}

export function fromDate(date: Date): Timestamp {
  return { ms: date.getTime(), subTicks: 0, kind: "utc" };
}

export function withMs(t: Timestamp, ms: number): Timestamp {
  return { ...t, ms: checkRange(ms) };
}

export function ticksOf(t: Timestamp): bigint {
  return BigInt(t.ms) * 10_000n + BigInt(t.subTicks) + EPOCH_TICKS;
}

export type TimeUnit = "Second" | "Minute" | "Hour" | "Day" | "Week" | "Month" | "Year";
const UNITS: TimeUnit[] = ["Second", "Minute", "Hour", "Day", "Week", "Month", "Year"];

export function timeUnit(text: string): TimeUnit {
  const u = UNITS.find((x) => x.toLowerCase() === text.toLowerCase());
  if (u === undefined) throw new WdlRuntimeError(`'${text}' is not a time unit (expected one of ${UNITS.join(", ")})`);
  return u;
}

/** Adds an interval as .NET's DateTime.Add* does (months clamp the day to the month's length). */
export function addInterval(t: Timestamp, amount: number, unit: TimeUnit): Timestamp {
  const fixed: Partial<Record<TimeUnit, number>> = { Second: 1000, Minute: 60_000, Hour: 3_600_000, Day: MS_PER_DAY, Week: 7 * MS_PER_DAY };
  const step = fixed[unit];
  if (step !== undefined) return withMs(t, t.ms + Math.round(amount * step));
  if (!Number.isInteger(amount)) throw new WdlRuntimeError(`a number of ${unit.toLowerCase()}s must be an integer, not ${amount}`);
  const d = new Date(t.ms);
  const months = unit === "Month" ? amount : amount * 12;
  const total = d.getUTCFullYear() * 12 + d.getUTCMonth() + months;
  const y = Math.floor(total / 12);
  const m = total - y * 12;
  const lastDay = new Date(Date.UTC(2000, m + 1, 0)).getUTCDate();
  const leapFix = m === 1 && ((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0) ? 29 : lastDay;
  const day = Math.min(d.getUTCDate(), m === 1 ? leapFix : lastDay);
  const out = new Date(t.ms);
  out.setUTCFullYear(y, m, day);
  return withMs(t, out.getTime());
}

function fields(t: Timestamp) {
  const d = new Date(t.ms);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    fraction: d.getUTCMilliseconds() * 10_000 + t.subTicks,
    weekday: d.getUTCDay(),
  };
}

export function dayOfWeek(t: Timestamp): number {
  return new Date(t.ms).getUTCDay();
}

export function dayOfMonth(t: Timestamp): number {
  return new Date(t.ms).getUTCDate();
}

export function dayOfYear(t: Timestamp): number {
  const d = new Date(t.ms);
  return Math.floor((t.ms - Date.UTC(d.getUTCFullYear(), 0, 1)) / MS_PER_DAY) + 1;
}

export function startOf(t: Timestamp, unit: "Hour" | "Day" | "Month"): Timestamp {
  const d = new Date(t.ms);
  const y = d.getUTCFullYear();
  const mo = d.getUTCMonth();
  const ms =
    unit === "Hour"
      ? Math.floor(t.ms / 3_600_000) * 3_600_000
      : unit === "Day"
        ? Math.floor(t.ms / MS_PER_DAY) * MS_PER_DAY
        : utcFromParts(y, mo + 1, 1, 0, 0, 0, 0);
  return { ms, subTicks: 0, kind: t.kind };
}

const STANDARD_FORMATS = "dDfFgGmMoOrRstTuUyY";

function standardPattern(spec: string, c: Culture): string {
  switch (spec) {
    case "d":
      return c.shortDate;
    case "D":
      return c.longDate;
    case "f":
      return `${c.longDate} ${c.shortTime}`;
    case "F":
    case "U":
      return `${c.longDate} ${c.longTime}`;
    case "g":
      return `${c.shortDate} ${c.shortTime}`;
    case "G":
      return `${c.shortDate} ${c.longTime}`;
    case "m":
    case "M":
      return c.monthDay;
    case "o":
    case "O":
      return "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffffK";
    case "r":
    case "R":
      return "ddd, dd MMM yyyy HH':'mm':'ss 'GMT'";
    case "s":
      return "yyyy'-'MM'-'dd'T'HH':'mm':'ss";
    case "t":
      return c.shortTime;
    case "T":
      return c.longTime;
    case "u":
      return "yyyy'-'MM'-'dd HH':'mm':'ss'Z'";
    default:
      return c.yearMonth;
  }
}

/** Formats with a .NET standard (one letter) or custom date and time format string. */
export function formatTimestamp(t: Timestamp, format: string | null | undefined, locale?: string | null): string {
  const fmt = format === null || format === undefined || format === "" ? "o" : format;
  let c = culture(locale);
  if (fmt.length === 1) {
    if (!STANDARD_FORMATS.includes(fmt)) throw new WdlRuntimeError(`'${fmt}' is not a standard date and time format`);
    if ("oOrRsu".includes(fmt)) c = culture("");
    return formatCustom(t, standardPattern(fmt, c), c);
  }
  return formatCustom(t, fmt, c);
}

function runLength(fmt: string, i: number): number {
  let n = 1;
  while (fmt[i + n] === fmt[i]) n++;
  return n;
}

function formatCustom(t: Timestamp, fmt: string, c: Culture): string {
  const f = fields(t);
  let out = "";
  let i = 0;
  while (i < fmt.length) {
    const ch = fmt[i];
    if (ch === "'" || ch === '"') {
      const end = fmt.indexOf(ch, i + 1);
      if (end < 0) throw new WdlRuntimeError(`the format '${fmt}' has an unterminated quoted text`);
      out += fmt.slice(i + 1, end);
      i = end + 1;
      continue;
    }
    if (ch === "\\") {
      out += fmt[i + 1] ?? "";
      i += 2;
      continue;
    }
    if (ch === "%") {
      i++;
      continue;
    }
    const n = runLength(fmt, i);
    i += n;
    switch (ch) {
      case "y":
        out += n === 1 ? String(f.year % 100) : n === 2 ? pad(f.year % 100, 2) : pad(f.year, n);
        break;
      case "M":
        out += n === 1 ? String(f.month) : n === 2 ? pad(f.month, 2) : n === 3 ? c.monthsAbbr[f.month - 1] : c.months[f.month - 1];
        break;
      case "d":
        out += n === 1 ? String(f.day) : n === 2 ? pad(f.day, 2) : n === 3 ? c.daysAbbr[f.weekday] : c.days[f.weekday];
        break;
      case "H":
        out += n === 1 ? String(f.hour) : pad(f.hour, 2);
        break;
      case "h": {
        const h12 = f.hour % 12 === 0 ? 12 : f.hour % 12;
        out += n === 1 ? String(h12) : pad(h12, 2);
        break;
      }
      case "m":
        out += n === 1 ? String(f.minute) : pad(f.minute, 2);
        break;
      case "s":
        out += n === 1 ? String(f.second) : pad(f.second, 2);
        break;
      case "f":
      case "F": {
        if (n > 7) throw new WdlRuntimeError(`the format '${fmt}' has more than 7 fraction digits`);
        let digits = pad(f.fraction, 7).slice(0, n);
        if (ch === "F") digits = digits.replace(/0+$/, "");
        if (ch === "F" && digits === "" && out.endsWith(".")) out = out.slice(0, -1);
        out += digits;
        break;
      }
      case "t":
        out += n === 1 ? (f.hour < 12 ? c.am : c.pm).slice(0, 1) : f.hour < 12 ? c.am : c.pm;
        break;
      case "K":
        out += t.kind === "utc" ? "Z" : "";
        break;
      case "z":
        out += n === 1 ? "+0" : n === 2 ? "+00" : "+00:00";
        break;
      case "g":
        out += "A.D.";
        break;
      case ":":
        out += c.timeSeparator.repeat(n);
        break;
      case "/":
        out += c.dateSeparator.repeat(n);
        break;
      default:
        out += ch.repeat(n);
    }
  }
  return out;
}

/** Parses with an explicit .NET custom format (parseDateTime with a format). */
export function parseWithFormat(text: string, fmt: string, locale?: string | null): Timestamp {
  const c = culture(locale);
  const pattern = fmt.length === 1 ? standardPattern(fmt, fmt === "o" || fmt === "s" || fmt === "u" ? culture("") : c) : fmt;
  const groups: string[] = [];
  let re = "";
  let i = 0;
  const alt = (xs: string[]): string => `(${xs.map((x) => x.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|")})`;
  while (i < pattern.length) {
    const ch = pattern[i];
    if (ch === "'" || ch === '"') {
      const end = pattern.indexOf(ch, i + 1);
      re += pattern.slice(i + 1, end < 0 ? pattern.length : end).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      i = end < 0 ? pattern.length : end + 1;
      continue;
    }
    const n = runLength(pattern, i);
    i += n;
    const key = ch + (n > 2 && (ch === "M" || ch === "d") ? String(Math.min(n, 4)) : "");
    if ("yMdHhmsfFt".includes(ch)) {
      groups.push(key === "y" || ch === "y" ? "y" : key.startsWith("f") || key.startsWith("F") ? "f" : key);
      if (key === "M3") re += alt(c.monthsAbbr);
      else if (key === "M4") re += alt(c.months);
      else if (key === "d3") re += alt(c.daysAbbr);
      else if (key === "d4") re += alt(c.days);
      else if (ch === "t") re += alt([c.am, c.pm]);
      else if (ch === "f" || ch === "F") re += `(\\d{1,${n}})`;
      else if (ch === "y") re += n <= 2 ? "(\\d{1,2})" : `(\\d{${Math.min(n, 4)},5})`;
      else re += n === 1 ? "(\\d{1,2})" : "(\\d{2})";
    } else if (ch === "K" || ch === "z") {
      groups.push("zone");
      re += "(Z|[+-]\\d{1,2}(?::?\\d{2})?)?";
    } else if (ch === ":") {
      re += c.timeSeparator.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    } else if (ch === "/") {
      re += c.dateSeparator.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    } else {
      re += ch.repeat(n).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    }
  }
  const m = new RegExp(`^${re}$`, "i").exec(text.trim());
  if (m === null) throw new WdlRuntimeError(`'${text}' does not match the date format '${fmt}'`);
  let y = 1, mo = 1, d = 1, h = 0, mi = 0, s = 0, frac = 0, pm: boolean | undefined;
  let zone: string | undefined;
  groups.forEach((g, k) => {
    const v = m[k + 1];
    if (v === undefined) return;
    if (g === "y") y = v.length <= 2 ? 2000 + Number(v) : Number(v);
    else if (g === "M" || g === "MM") mo = Number(v);
    else if (g === "M3") mo = c.monthsAbbr.findIndex((x) => x.toLowerCase() === v.toLowerCase()) + 1;
    else if (g === "M4") mo = c.months.findIndex((x) => x.toLowerCase() === v.toLowerCase()) + 1;
    else if (g === "d" || g === "dd") d = Number(v);
    else if (g === "H" || g === "HH" || g === "h" || g === "hh") h = Number(v);
    else if (g === "m" || g === "mm") mi = Number(v);
    else if (g === "s" || g === "ss") s = Number(v);
    else if (g === "f") frac = Number(v.padEnd(7, "0"));
    else if (g === "t" || g === "tt") pm = v.toLowerCase() === c.pm.toLowerCase();
    else if (g === "zone") zone = v;
  });
  if (pm !== undefined) h = (h % 12) + (pm ? 12 : 0);
  const iso = `${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)}T${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}.${pad(frac, 7)}${zone ?? ""}`;
  return parseTimestamp(iso);
}

/** A .NET TimeSpan in ticks, formatted "c" as [-][d.]hh:mm:ss[.fffffff]. */
export function formatTimeSpanConstant(ticks: bigint): string {
  const neg = ticks < 0n;
  let t = neg ? -ticks : ticks;
  const frac = Number(t % 10_000_000n);
  t /= 10_000_000n;
  const s = Number(t % 60n);
  t /= 60n;
  const m = Number(t % 60n);
  t /= 60n;
  const h = Number(t % 24n);
  const d = t / 24n;
  return `${neg ? "-" : ""}${d > 0n ? `${d}.` : ""}${pad(h, 2)}:${pad(m, 2)}:${pad(s, 2)}${frac > 0 ? `.${pad(frac, 7)}` : ""}`;
}

const TIMESPAN = /^\s*(-)?(?:(\d+)\.)?(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d{1,7}))?)?\s*$/;

export function parseTimeSpan(text: string): bigint {
  const m = TIMESPAN.exec(text);
  if (m === null) {
    if (/^\s*-?\d+\s*$/.test(text)) return BigInt(text.trim()) * 864_000_000_000n;
    throw new WdlRuntimeError(`'${text}' is not a valid time span (expected [-][d.]hh:mm[:ss[.fffffff]])`);
  }
  const [days, h, mi, s] = [m[2], m[3], m[4], m[5]].map((x) => BigInt(x ?? "0"));
  if (h > 23n || mi > 59n || s > 59n) throw new WdlRuntimeError(`'${text}' is not a valid time span: a field is out of range`);
  const frac = BigInt((m[6] ?? "").padEnd(7, "0"));
  const total = (((days * 24n + h) * 60n + mi) * 60n + s) * 10_000_000n + frac;
  return m[1] === "-" ? -total : total;
}

/** Formats a TimeSpan with .NET's "c", "g", "G" or a custom format (d, h, m, s, f, F and literals). */
export function formatTimeSpan(ticks: bigint, fmt: string, locale?: string | null): string {
  const c = culture(locale);
  if (fmt === "c" || fmt === "t" || fmt === "T") return formatTimeSpanConstant(ticks);
  const neg = ticks < 0n;
  const abs = neg ? -ticks : ticks;
  const frac = Number(abs % 10_000_000n);
  const totalSeconds = abs / 10_000_000n;
  const s = Number(totalSeconds % 60n);
  const m = Number((totalSeconds / 60n) % 60n);
  const h = Number((totalSeconds / 3600n) % 24n);
  const d = Number(totalSeconds / 86400n);
  const sign = neg ? "-" : "";
  if (fmt === "g") {
    const f = frac > 0 ? `${c.decimal}${pad(frac, 7).replace(/0+$/, "")}` : "";
    return `${sign}${d > 0 ? `${d}:` : ""}${h}:${pad(m, 2)}:${pad(s, 2)}${f}`;
  }
  if (fmt === "G") return `${sign}${d}:${pad(h, 2)}:${pad(m, 2)}:${pad(s, 2)}${c.decimal}${pad(frac, 7)}`;
  let out = "";
  let i = 0;
  while (i < fmt.length) {
    const ch = fmt[i];
    if (ch === "'" || ch === '"') {
      const end = fmt.indexOf(ch, i + 1);
      if (end < 0) throw new WdlRuntimeError(`the time span format '${fmt}' has an unterminated quoted text`);
      out += fmt.slice(i + 1, end);
      i = end + 1;
      continue;
    }
    if (ch === "\\") {
      out += fmt[i + 1] ?? "";
      i += 2;
      continue;
    }
    const n = runLength(fmt, i);
    i += n;
    if (ch === "d") out += pad(d, n);
    else if (ch === "h") out += pad(h, n);
    else if (ch === "m") out += pad(m, n);
    else if (ch === "s") out += pad(s, n);
    else if (ch === "f") out += pad(frac, 7).slice(0, n);
    else if (ch === "F") out += pad(frac, 7).slice(0, n).replace(/0+$/, "");
    else if (ch === "%") continue;
    else throw new WdlRuntimeError(`the time span format '${fmt}' has '${ch}', which must be quoted or escaped to be literal`);
  }
  return out;
}
