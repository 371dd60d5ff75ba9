import { WdlRuntimeError } from "./errors";

/** The parts of a .NET CultureInfo that date and number formatting read. */
export interface Culture {
  name: string;
  months: string[];
  monthsAbbr: string[];
  days: string[];
  daysAbbr: string[];
  am: string;
  pm: string;
  shortDate: string;
  longDate: string;
  shortTime: string;
  longTime: string;
  monthDay: string;
  yearMonth: string;
  dateSeparator: string;
  timeSeparator: string;
  decimal: string;
  group: string;
  /** Currency pattern with `n` for the number, and the negative one. */
  currency: string;
  currencyNegative: string;
}

const EN_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const EN_DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const abbr3 = (xs: string[]): string[] => xs.map((x) => x.slice(0, 3));
const CN_NUMERALS = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"];

const enUS: Culture = {
  name: "en-US",
  months: EN_MONTHS,
  monthsAbbr: abbr3(EN_MONTHS),
  days: EN_DAYS,
  daysAbbr: abbr3(EN_DAYS),
  am: "AM",
  pm: "PM",
  shortDate: "M/d/yyyy",
  longDate: "dddd, MMMM d, yyyy",
  shortTime: "h:mm tt",
  longTime: "h:mm:ss tt",
  monthDay: "MMMM d",
  yearMonth: "MMMM yyyy",
  dateSeparator: "/",
  timeSeparator: ":",
  decimal: ".",
  group: ",",
  currency: "$n",
  currencyNegative: "-$n",
};

const CULTURES: Culture[] = [
  enUS,
  {
    ...enUS,
    name: "",
    shortDate: "MM/dd/yyyy",
    longDate: "dddd, dd MMMM yyyy",
    shortTime: "HH:mm",
    longTime: "HH:mm:ss",
    monthDay: "MMMM dd",
    yearMonth: "yyyy MMMM",
    currency: "¤n",
    currencyNegative: "-¤n",
  },
  {
    ...enUS,
    name: "en-GB",
    am: "am",
    pm: "pm",
    shortDate: "dd/MM/yyyy",
    longDate: "dd MMMM yyyy",
    shortTime: "HH:mm",
    longTime: "HH:mm:ss",
    monthDay: "d MMMM",
    currency: "£n",
    currencyNegative: "-£n",
  },
  {
    name: "zh-CN",
    months: CN_NUMERALS.map((n) => `${n}月`),
    monthsAbbr: CN_NUMERALS.map((_, i) => `${i + 1}月`),
    days: ["星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"],
    daysAbbr: ["周日", "周一", "周二", "周三", "周四", "周五", "周六"],
    am: "上午",
    pm: "下午",
    shortDate: "yyyy/M/d",
    longDate: "yyyy'年'M'月'd'日'",
    shortTime: "H:mm",
    longTime: "H:mm:ss",
    monthDay: "M'月'd'日'",
    yearMonth: "yyyy'年'M'月'",
    dateSeparator: "/",
    timeSeparator: ":",
    decimal: ".",
    group: ",",
    currency: "¥n",
    currencyNegative: "¥-n",
  },
  {
    ...enUS,
    name: "is-IS",
    months: ["janúar", "febrúar", "mars", "apríl", "maí", "júní", "júlí", "ágúst", "september", "október", "nóvember", "desember"],
    monthsAbbr: ["jan.", "feb.", "mar.", "apr.", "maí", "jún.", "júl.", "ágú.", "sep.", "okt.", "nóv.", "des."],
    days: ["sunnudagur", "mánudagur", "þriðjudagur", "miðvikudagur", "fimmtudagur", "föstudagur", "laugardagur"],
    daysAbbr: ["sun.", "mán.", "þri.", "mið.", "fim.", "fös.", "lau."],
    am: "f.h.",
    pm: "e.h.",
    shortDate: "d.M.yyyy",
    longDate: "dddd, d. MMMM yyyy",
    shortTime: "HH:mm",
    longTime: "HH:mm:ss",
    monthDay: "d. MMMM",
    yearMonth: "MMMM yyyy",
    dateSeparator: ".",
    decimal: ",",
    group: ".",
    currency: "n kr",
    currencyNegative: "-n kr",
  },
];

const byName = new Map(CULTURES.map((c) => [c.name.toLowerCase(), c]));

/** Cultures by .NET name, case-insensitive; the default (no locale given) is en-US as in Logic Apps. */
export function culture(name: string | null | undefined): Culture {
  if (name === null || name === undefined) return enUS;
  const c = byName.get(name.toLowerCase());
  if (c === undefined) {
    const known = CULTURES.map((x) => (x.name === "" ? "'' (invariant)" : x.name)).join(", ");
    throw new WdlRuntimeError(`the locale '${name}' is not supported (supported: ${known})`);
  }
  return c;
}
