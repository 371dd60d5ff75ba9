/**
 * The simulated Teams client, the top window at the Teams web origin: it frames the model-driven app's main.aspx as
 * a tab, as docs/reference/teams-host.md (1.2) describes, and logs every message the tab posts to it, so a test can
 * prove the controls post none. In a Dynamics 365 tab it answers the @microsoft/teams-js host protocol the way Teams
 * answers an app that initialises (theme changes go only to a tab that registered for them); in a Website tab
 * (`&tab=website`) it answers nothing, as Teams does there. The tab URL carries no theme or locale: none is documented
 * for the Dynamics 365 app.
 */
import { APP_PATH } from "../origins";
import { parseSettings, toSearch } from "../settings";
import { answerRequest, asTeamsRequest, describeMessage, type HostState, type HostTheme, themeChangeEvent } from "../teamsProtocol";
import { el } from "./dom";

const THEMES: readonly HostTheme[] = ["default", "dark", "contrast"];
const CHROME: Record<HostTheme, { background: string; text: string; rail: string }> = {
  default: { background: "#f5f5f5", text: "#242424", rail: "#ebebeb" },
  dark: { background: "#1f1f1f", text: "#ffffff", rail: "#141414" },
  contrast: { background: "#000000", text: "#ffffff", rail: "#000000" },
};

const query = new URLSearchParams(window.location.search);
const settings = parseSettings(window.location.search);
const website = query.get("tab") === "website";
const initialTheme = THEMES.find((t) => t === query.get("theme")) ?? "default";
let state: HostState = {
  theme: initialTheme,
  locale: settings.language === 2052 ? "zh-cn" : "en-us",
  userObjectId: "5f0e1a2b-0000-4000-8000-000000000001",
  userPrincipalName: "megan.bowen@contoso.example",
  tenantId: "72f988bf-0000-4000-8000-00000000c0de",
};
const zh = settings.language === 2052;
document.documentElement.lang = zh ? "zh-CN" : "en";

/**
 * Where the app is served: the workbench itself, or (`?app=https://…`) an https origin in front of it, as Teams
 * frames an organisation's Dynamics 365 URL; browsers block a public https page from framing a loopback address.
 */
const appParam = query.get("app");
const appOrigin = appParam !== null && /^https:\/\/[a-z0-9.-]+(:\d+)?$/i.test(appParam) ? appParam : (document.body.dataset.appOrigin ?? window.location.origin);
const frame = el("iframe", { src: `${appOrigin}${APP_PATH}${toSearch(settings)}`, title: zh ? "Dynamics 365 应用" : "Dynamics 365 app", id: "app-frame" });
const log = el("ol", { id: "teams-protocol-log" });
const logLine = (func: string, detail: string, handled = true) =>
  log.append(el("li", { "data-func": func, "data-handled": String(handled) }, el("strong", {}, func), ` ${detail}`));
/** Whether the tab registered for theme changes; Teams sends them to no one else. */
let themeListener: { readonly origin: string } | undefined;

window.addEventListener("message", (event: MessageEvent<unknown>) => {
  if (event.source === window) return;
  const request = asTeamsRequest(event.data);
  // Only the tab's own window speaks to Teams; anything else posted here is logged, never answered.
  if (request === undefined || event.source !== frame.contentWindow || website) {
    const message = describeMessage(event.data);
    logLine(message.func, `${event.origin}: ${message.detail}`, false);
    return;
  }
  const answer = answerRequest(request, state);
  logLine(answer.log.func, answer.log.detail, answer.log.handled);
  if (request.func === "registerHandler" && request.args?.[0] === "themeChange") themeListener = { origin: event.origin };
  if (answer.openedLink !== undefined) opened.append(el("li", {}, el("a", { href: answer.openedLink, target: "_blank", rel: "noopener" }, answer.openedLink)));
  if (answer.response !== undefined) frame.contentWindow?.postMessage(answer.response, event.origin);
});

const opened = el("ul", { id: "teams-opened-links" });
const themeSelect = el("select", { id: "teams-theme" });
for (const theme of THEMES) themeSelect.append(el("option", { value: theme, ...(theme === state.theme && { selected: "" }) }, theme));

function applyChrome(): void {
  const c = CHROME[state.theme];
  document.body.style.background = c.background;
  document.body.style.color = c.text;
  rail.style.background = c.rail;
  document.body.dataset.theme = state.theme;
}

themeSelect.addEventListener("change", () => {
  const theme = THEMES.find((t) => t === themeSelect.value) ?? "default";
  state = { ...state, theme };
  applyChrome();
  if (themeListener === undefined) return;
  logLine("themeChange", `host → app: ${theme}`);
  frame.contentWindow?.postMessage(themeChangeEvent(theme), themeListener.origin);
});

const rail = el("nav", { "aria-label": zh ? "Teams 应用栏" : "Teams app bar", class: "t-rail" }, el("ul", {}, el("li", {}, zh ? "活动" : "Activity"), el("li", {}, zh ? "聊天" : "Chat"), el("li", {}, zh ? "团队" : "Teams"), el("li", { "aria-current": "page" }, "Dynamics 365")));
document.head.append(
  el(
    "style",
    {},
    `body { margin: 0; font-family: "Segoe UI", system-ui, sans-serif; }
.t-grid { display: grid; grid-template-columns: 72px minmax(0, 1fr) 300px; height: 100vh; }
.t-rail ul { list-style: none; padding: 8px 4px; margin: 0; font-size: 11px; display: flex; flex-direction: column; gap: 12px; }
.t-main { display: flex; flex-direction: column; min-width: 0; }
.t-main header { display: flex; gap: 12px; align-items: center; padding: 6px 12px; }
.t-main h1 { font-size: 16px; margin: 0; flex: 1; }
iframe { flex: 1; border: 0; width: 100%; background: #fff; }
.t-side { overflow: auto; padding: 8px; font-size: 12px; border-left: 1px solid #8886; word-break: break-all; }
.t-side h2 { font-size: 13px; }
a { color: inherit; }`,
  ),
);
const title = website ? (zh ? "网站选项卡：Dynamics 365" : "Website tab: Dynamics 365") : zh ? "Dynamics 365（Teams 中）" : "Dynamics 365 in Teams";
const main = el(
  "main",
  { class: "t-main" },
  el(
    "header",
    {},
    el("h1", {}, title),
    el("label", { for: "teams-theme" }, zh ? "Teams 主题" : "Teams theme"),
    themeSelect,
    el("a", { href: `${appOrigin}${APP_PATH}${toSearch(settings)}`, target: "_top", id: "teams-leave" }, zh ? "在 Teams 之外打开" : "Open outside Teams"),
  ),
  frame,
);
const side = el(
  "aside",
  { class: "t-side", "aria-label": zh ? "发给 Teams 的消息" : "Messages to Teams" },
  el("h2", {}, zh ? "发给 Teams 的消息" : "Messages to Teams"),
  el("div", { role: "log" }, log),
  el("h2", {}, zh ? "在 Teams 中打开的链接" : "Links opened in Teams"),
  opened,
);
document.getElementById("teams")?.replaceWith(el("div", { class: "t-grid" }, rail, main, side));
applyChrome();
