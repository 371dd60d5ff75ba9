/**
 * Is the control running inside Microsoft Teams? Decided from what the page can see, with no Teams SDK, so it never
 * waits and never fails outside Teams. docs/reference/teams-host.md explains why no SDK: in every host the evidence
 * shows, a teams-js copy in the model-driven app's window cannot be shown to get an answer. The signals:
 * - a frame above ours whose origin is a Teams host (the https hosts teams-js itself accepts as a parent), read from
 *   `location.ancestorOrigins` (Chromium, every frame up to the top) or else `document.referrer` (the parent only);
 * - our conventions, not Microsoft's: the Teams desktop client's user agent (`Teams/`), whose embedded pages may have
 *   no readable parent origin, and a query hint (`inTeams=true` or `host=teams`) a tab URL can carry;
 * - the `theme` and `locale` a tab URL can pass in its query, read only inside Teams.
 */

export type TeamsTheme = "default" | "dark" | "contrast";

export interface HostSignals {
  /** `window.self !== window.top`. */
  readonly framed: boolean;
  /** `location.ancestorOrigins` where the browser has it (Chromium), nearest first. */
  readonly ancestorOrigins?: readonly string[];
  readonly referrer?: string;
  /** `location.search` of the page. */
  readonly search?: string;
  readonly userAgent?: string;
}

export interface TeamsHostInfo {
  readonly inTeams: boolean;
  /** Which signal decided, for diagnostics. */
  readonly evidence: "parentOrigin" | "userAgent" | "queryHint" | "none";
  readonly theme: TeamsTheme;
  /** BCP 47 locale Teams passed in the query (`locale=zh-cn`), if any. */
  readonly locale?: string;
}

const TEAMS_PARENT_HOSTS = [
  "teams.microsoft.com",
  "teams.live.com",
  "teams.cloud.microsoft",
  "outlook.office.com",
  "outlook.office365.com",
  "www.office.com",
  "local.teams.office.com",
  "local.teams.live.com",
];

/** Whether an origin is one Teams (or Microsoft 365 hosting Teams apps) serves its client from; https only. */
export function isTeamsOrigin(origin: string): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.protocol !== "https:") return false;
  const host = url.hostname.toLowerCase();
  return TEAMS_PARENT_HOSTS.includes(host) || host.endsWith(".cloud.microsoft");
}

export function parseTeamsTheme(value: string | null | undefined): TeamsTheme {
  const v = (value ?? "").toLowerCase();
  if (v === "dark") return "dark";
  if (v === "contrast" || v === "highcontrast") return "contrast";
  return "default";
}

export function detectTeamsHost(signals: HostSignals): TeamsHostInfo {
  const params = new URLSearchParams(signals.search ?? "");
  const theme = parseTeamsTheme(params.get("theme"));
  const localeParam = params.get("locale");
  const locale = localeParam !== null && /^[a-z]{2,3}(-[a-z0-9]{2,8})*$/i.test(localeParam) ? localeParam : undefined;
  const base = { theme, ...(locale !== undefined && { locale }) };

  const parentOrigins = [...(signals.ancestorOrigins ?? []), ...(signals.referrer ? [signals.referrer] : [])];
  if (signals.framed && parentOrigins.some(isTeamsOrigin)) return { inTeams: true, evidence: "parentOrigin", ...base };
  if (/\bTeams\/\d/.test(signals.userAgent ?? "")) return { inTeams: true, evidence: "userAgent", ...base };
  if (params.get("inTeams")?.toLowerCase() === "true" || params.get("host")?.toLowerCase() === "teams") {
    return { inTeams: true, evidence: "queryHint", ...base };
  }
  return { inTeams: false, evidence: "none", theme: "default", ...(locale !== undefined && { locale }) };
}

/** Reads the signals from a browser window; every access is guarded because cross-origin frames throw on some. */
export function hostSignalsOf(win: Window): HostSignals {
  let framed = false;
  try {
    framed = win.self !== win.top;
  } catch {
    // A cross-origin top frame throws on access in some browsers: that means we are framed.
    framed = true;
  }
  const ancestors = (win.location as Location & { ancestorOrigins?: DOMStringList }).ancestorOrigins;
  return {
    framed,
    ...(ancestors && { ancestorOrigins: Array.from({ length: ancestors.length }, (_, i) => ancestors.item(i) ?? "") }),
    referrer: win.document.referrer,
    search: win.location.search,
    userAgent: win.navigator.userAgent,
  };
}

/**
 * The app's modern theme as PCF passes it (`context.fluentDesignLanguage`). Only its lightness is read: the controls
 * draw with Fluent UI 8 themes, and a Fluent 9 token set carries no contrast flag (forced-colors covers contrast).
 */
export interface AppDesign {
  readonly isDarkTheme?: boolean;
  readonly tokenTheme?: { readonly colorNeutralBackground1?: string };
}

/** Relative luminance (WCAG) of a `#rrggbb` colour; undefined for anything else. */
function luminanceOf(colour: string | undefined): number | undefined {
  const hex = /^#([0-9a-f]{6})$/i.exec(colour?.trim() ?? "")?.[1];
  if (hex === undefined) return undefined;
  const [r, g, b] = [0, 2, 4].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function isDark(design: AppDesign): boolean | undefined {
  if (design.isDarkTheme !== undefined) return design.isDarkTheme;
  const luminance = luminanceOf(design.tokenTheme?.colorNeutralBackground1);
  return luminance === undefined ? undefined : luminance < 0.18;
}

/**
 * The theme a control draws with, as a `theme` prop to spread (absent: the app's own Fluent theme). The app's modern
 * theme comes first, because it is what the form around the control shows, in Teams or not. Without one, inside Teams
 * the `theme` parameter of the page's query is the only Teams theme a control can receive (no teams-js answers a
 * control, docs/reference/teams-host.md); it defaults to Teams' light theme. Nothing here waits for Teams.
 */
export function hostThemeProp(host: TeamsHostInfo, design: AppDesign | undefined): { theme?: TeamsTheme } {
  const dark = design === undefined ? undefined : isDark(design);
  if (dark === true) return { theme: "dark" };
  if (!host.inTeams) return {};
  return { theme: dark === false ? "default" : host.theme };
}
