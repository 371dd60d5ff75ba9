import { culture, type Culture } from "./culture";
import { WdlRuntimeError } from "./errors";

function group(intDigits: string, sep: string): string {
  return intDigits.replace(/\B(?=(\d{3})+(?!\d))/g, sep);
}

/** Rounds half away from zero, as .NET number formatting does. */
function fixed(abs: number, decimals: number): string {
  const shifted = Number(`${abs}e${decimals}`);
  const rounded = Math.round(shifted + Number.EPSILON * shifted);
  const s = Number(`${rounded}e-${decimals}`).toFixed(decimals);
  return s;
}

function localize(digits: string, c: Culture, grouping: boolean): string {
  const [i, f] = digits.split(".");
  const int = grouping ? group(i, c.group) : i;
  return f === undefined ? int : `${int}${c.decimal}${f}`;
}

function standard(n: number, letter: string, precisionText: string, c: Culture): string {
  const precision = precisionText === "" ? undefined : Number(precisionText);
  const abs = Math.abs(n);
  const neg = n < 0;
  const sign = neg ? "-" : "";
  switch (letter.toUpperCase()) {
    case "C": {
      const body = localize(fixed(abs, precision ?? 2), c, true);
      return (neg ? c.currencyNegative : c.currency).replace("n", body);
    }
    case "D":
      if (!Number.isInteger(n)) throw new WdlRuntimeError(`the format 'D' needs an integer, not ${n}`);
      return sign + String(abs).padStart(precision ?? 0, "0");
    case "E": {
      const [m, e] = abs.toExponential(precision ?? 6).split("e");
      const exp = Number(e);
      const mant = localize(m, c, false);
      return `${sign}${mant}${letter === "e" ? "e" : "E"}${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(3, "0")}`;
    }
    case "F":
      return sign + localize(fixed(abs, precision ?? 2), c, false);
    case "N":
      return sign + localize(fixed(abs, precision ?? 2), c, true);
    case "P":
      return `${sign}${localize(fixed(abs * 100, precision ?? 2), c, true)}%`;
    case "G":
    case "R":
      return sign + localize(String(abs), c, false);
    case "X": {
      if (!Number.isInteger(n)) throw new WdlRuntimeError(`the format 'X' needs an integer, not ${n}`);
      const hex = (n < 0 ? BigInt.asUintN(64, BigInt(n)) : BigInt(n)).toString(16).padStart(precision ?? 0, "0");
      return letter === "x" ? hex : hex.toUpperCase();
    }
    default:
      throw new WdlRuntimeError(`'${letter}${precisionText}' is not a standard numeric format`);
  }
}

function splitSections(fmt: string): string[] {
  const sections: string[] = [];
  let cur = "";
  for (let i = 0; i < fmt.length; i++) {
    const ch = fmt[i];
    if (ch === "\\") {
      cur += ch + (fmt[i + 1] ?? "");
      i++;
    } else if (ch === "'" || ch === '"') {
      const end = fmt.indexOf(ch, i + 1);
      const stop = end < 0 ? fmt.length - 1 : end;
      cur += fmt.slice(i, stop + 1);
      i = stop;
    } else if (ch === ";") {
      sections.push(cur);
      cur = "";
    } else {
      cur += ch;
    }
  }
  sections.push(cur);
  return sections;
}

/** .NET custom numeric format: 0 and # placeholders, '.', ',' (grouping and scaling), '%', literals. */
function custom(n: number, fmt: string, c: Culture): string {
  const sections = splitSections(fmt);
  let section = sections[0];
  let abs = n;
  if (n < 0 && sections.length > 1 && sections[1] !== "") {
    section = sections[1];
    abs = -n;
  } else if (n === 0 && sections.length > 2 && sections[2] !== "") {
    section = sections[2];
  }
  let prefix = "";
  let suffix = "";
  let intZeros = 0;
  let fracZeros = 0;
  let fracMax = 0;
  let grouping = false;
  let percent = false;
  let inFraction = false;
  let seenPlaceholder = false;
  let pendingCommas = 0;
  let scale = 0;
  const literal = (s: string) => {
    if (seenPlaceholder) suffix += s;
    else prefix += s;
  };
  for (let i = 0; i < section.length; i++) {
    const ch = section[i];
    if (ch === "0" || ch === "#") {
      if (seenPlaceholder && suffix !== "") throw new WdlRuntimeError(`the numeric format '${fmt}' has text between digit placeholders`);
      if (pendingCommas > 0 && !inFraction) grouping = true;
      pendingCommas = 0;
      seenPlaceholder = true;
      if (inFraction) {
        fracMax++;
        if (ch === "0") fracZeros = fracMax;
      } else if (ch === "0" || intZeros > 0) {
        intZeros += ch === "0" ? 1 : 0;
      }
    } else if (ch === "." && !inFraction) {
      scale += pendingCommas;
      pendingCommas = 0;
      inFraction = true;
      seenPlaceholder = true;
    } else if (ch === "," && !inFraction && seenPlaceholder) {
      pendingCommas++;
    } else if (ch === "%") {
      percent = true;
      literal("%");
    } else if (ch === "\\") {
      literal(section[i + 1] ?? "");
      i++;
    } else if (ch === "'" || ch === '"') {
      const end = section.indexOf(ch, i + 1);
      literal(section.slice(i + 1, end < 0 ? section.length : end));
      i = end < 0 ? section.length : end;
    } else {
      literal(ch);
    }
  }
  scale += inFraction ? 0 : pendingCommas;
  let value = Math.abs(abs) / 1000 ** scale;
  if (percent) value *= 100;
  const [intPart, fracPart = ""] = fixed(value, fracMax).split(".");
  const trimmedFrac = fracPart.replace(/0+$/, "").padEnd(fracZeros, "0");
  let int = intPart === "0" && intZeros === 0 ? "" : intPart.padStart(intZeros, "0");
  if (grouping) int = group(int, c.group);
  const digits = trimmedFrac === "" ? int : `${int}${c.decimal}${trimmedFrac}`;
  const sign = abs < 0 && Number(digits.replace(/[^0-9]/g, "")) !== 0 ? "-" : "";
  return `${sign}${prefix}${digits === "" ? "0".repeat(Math.min(intZeros, 1)) : digits}${suffix}`;
}

/** formatNumber(): .NET standard ("C2", "N0", ...) and custom ("0,0.00", "#.#%") numeric formats. */
export function formatNumber(n: number, format: string, locale?: string | null): string {
  const c = culture(locale);
  const m = /^([A-Za-z])(\d{0,2})$/.exec(format);
  if (m !== null) return standard(n, m[1], m[2], c);
  return custom(n, format, c);
}
