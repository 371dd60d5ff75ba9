/**
 * The flows page's Teams view: what a run made, drawn as Teams shows it, from the Graph stand-in's state
 * (/workbench/graph/made): the customer team with its channels, the General channel's tabs and messages, and the
 * deal-room chat with its members and messages, the deal card rendered by Microsoft's Adaptive Cards renderer. A run
 * that made nothing says why. Message HTML is rebuilt from an allow-list (text stays text), and the cards' markdown
 * is Teams' subset with backslash escapes, so CRM text that the flow escaped is shown literally and never as a link.
 */
import * as AdaptiveCards from "adaptivecards";
import { cardMarkdown } from "../cardMarkdown";
import type { MadeChat, MadeInTeams, MadeMessage, MadeTeam } from "../graphState";
import type { NothingReason, RunOutcome } from "../runOutcome";
import type { Language } from "../settings";
import { el } from "./dom";
import type { ChromeStrings } from "./strings";

AdaptiveCards.AdaptiveCard.onProcessMarkdown = (text, result) => {
  result.outputHtml = cardMarkdown(text);
  result.didProcess = true;
};

/** Teams' light theme, roughly: Segoe UI, its type ramp and its accent. */
const HOST_CONFIG = new AdaptiveCards.HostConfig({
  fontFamily: '"Segoe UI", system-ui, sans-serif',
  supportsInteractivity: true,
  containerStyles: { default: { backgroundColor: "#FFFFFF", foregroundColors: { default: { default: "#242424", subtle: "#616161" }, accent: { default: "#5B5FC7", subtle: "#444791" } } } },
  actions: { actionsOrientation: "horizontal", buttonSpacing: 8, maxActions: 6, showCard: { actionMode: "inline" } },
});

function renderCard(json: string): HTMLElement {
  const card = new AdaptiveCards.AdaptiveCard();
  card.hostConfig = HOST_CONFIG;
  card.onExecuteAction = () => undefined;
  try {
    card.parse(JSON.parse(json) as object);
  } catch (e) {
    return el("p", { role: "alert" }, `card: ${(e as Error).message}`);
  }
  const rendered = card.render();
  return el("div", { class: "wb-card", "data-card": "adaptive" }, ...(rendered ? [rendered] : []));
}

/** A Graph message body (html) rebuilt from an allow-list: text nodes stay text, https links stay links. */
function messageBody(message: MadeMessage): HTMLElement {
  const out = el("div", { class: "wb-message-body" });
  if (message.contentType !== "html") {
    out.append(message.content);
    return out;
  }
  const parsed = new DOMParser().parseFromString(`<body>${message.content}</body>`, "text/html").body;
  const ALLOWED = new Set(["P", "B", "STRONG", "I", "EM", "U", "BR", "UL", "OL", "LI", "SPAN", "DIV", "A"]);
  const copy = (from: Node, to: HTMLElement) => {
    for (const child of from.childNodes) {
      if (child.nodeType === Node.TEXT_NODE) to.append(child.textContent ?? "");
      if (!(child instanceof Element)) continue;
      if (child.tagName === "ATTACHMENT") {
        const attachment = message.attachments.find((a) => a.id === child.getAttribute("id"));
        if (attachment?.contentType === "application/vnd.microsoft.card.adaptive") to.append(renderCard(attachment.content));
        continue;
      }
      if (!ALLOWED.has(child.tagName)) {
        copy(child, to);
        continue;
      }
      const href = child.getAttribute("href") ?? "";
      const element = el(child.tagName.toLowerCase() as "span", child.tagName === "A" && href.startsWith("https://") ? { href, target: "_blank", rel: "noopener noreferrer" } : {});
      copy(child, element);
      to.append(element);
    }
  };
  copy(parsed, out);
  return out;
}

function messageList(messages: readonly MadeMessage[], language: Language, s: ChromeStrings): HTMLElement {
  const list = el("ol", { class: "wb-messages", "aria-label": s.teamsMessages });
  for (const m of messages) {
    const when = new Date(m.createdDateTime).toLocaleString(language === 2052 ? "zh-CN" : "en-US", { dateStyle: "medium", timeStyle: "short" });
    list.append(el("li", { class: "wb-message" }, el("div", { class: "wb-message-meta" }, `${s.teamsFlowBot} · ${when}`), messageBody(m)));
  }
  if (messages.length === 0) list.append(el("li", {}, s.teamsNoMessages));
  return list;
}

function memberList(label: string, members: MadeTeam["members"], s: ChromeStrings): HTMLElement {
  return el(
    "section",
    { class: "wb-members", "aria-label": label },
    el("h5", {}, `${label} (${members.length})`),
    el("ul", {}, ...members.map((m) => el("li", {}, m.displayName, ...(m.roles.includes("owner") ? [el("small", {}, ` · ${s.teamsOwner}`)] : [])))),
  );
}

function teamView(team: MadeTeam, language: Language, s: ChromeStrings): HTMLElement {
  const general = team.channels.find((c) => c.general) ?? team.channels[0];
  return el(
    "section",
    { class: "wb-teams-team", "data-made": "team", "aria-label": `${s.teamsTeam}: ${team.displayName}` },
    el("h4", {}, el("span", { class: "wb-teams-avatar", "aria-hidden": "true" }, team.displayName.slice(0, 1)), team.displayName),
    ...(team.description ? [el("p", { class: "wb-teams-sub" }, team.description)] : []),
    el(
      "div",
      { class: "wb-teams-columns" },
      el(
        "nav",
        { "aria-label": s.teamsChannels },
        el("h5", {}, s.teamsChannels),
        el("ul", { "data-made": "channels" }, ...team.channels.map((c) => el("li", { ...(c === general && { "aria-current": "true" }) }, c.general ? s.teamsGeneral : c.displayName))),
        memberList(s.teamsMembers, team.members, s),
      ),
      el(
        "div",
        { class: "wb-teams-channel" },
        // Each channel that has tabs or posts, General first, as its tab strip and its posts.
        ...team.channels
          .filter((c) => c === general || c.tabs.length > 0 || c.messages.length > 0)
          .map((c) =>
            el(
              "section",
              { "aria-label": c.general ? s.teamsGeneral : c.displayName, "data-channel": c.general ? "General" : c.displayName },
              el("h5", {}, c.general ? s.teamsGeneral : c.displayName),
              el(
                "div",
                { class: "wb-teams-tabs", role: "list", "aria-label": s.teamsTabs, "data-made": "tabs" },
                el("span", { role: "listitem", class: "wb-tab wb-tab-current" }, s.teamsPosts),
                ...c.tabs.map((t) => el("span", { role: "listitem", class: "wb-tab", title: t.webUrl, "data-tab": "pinned" }, t.displayName)),
              ),
              messageList(c.messages, language, s),
            ),
          ),
      ),
    ),
  );
}

function chatView(chat: MadeChat, language: Language, s: ChromeStrings): HTMLElement {
  return el(
    "section",
    { class: "wb-teams-chat", "data-made": "chat", "aria-label": `${s.teamsChat}: ${chat.topic ?? ""}` },
    el("h4", {}, el("span", { class: "wb-teams-avatar", "aria-hidden": "true" }, "#"), chat.topic ?? s.teamsChat),
    el("div", { class: "wb-teams-columns" }, memberList(s.teamsMembers, chat.members, s), messageList(chat.messages, language, s)),
  );
}

export function reasonText(reason: NothingReason, language: Language, s: ChromeStrings): string {
  const number = (n: number) => n.toLocaleString(language === 2052 ? "zh-CN" : "en-US");
  switch (reason.code) {
    case "belowThreshold":
      return s.whyBelowThreshold.replace("{value}", number(reason.value)).replace("{threshold}", number(reason.threshold));
    case "notOpen":
      return s.whyNotOpen;
    case "dealRoomExists":
      return s.whyDealRoomExists;
    case "dealRoomOpening":
      return s.whyDealRoomOpening;
    case "teamExists":
      return s.whyTeamExists;
    case "teamProvisioning":
      return s.whyTeamProvisioning;
    case "stopped":
      return s.whyStopped.replace("{action}", reason.action).replace("{message}", reason.message);
  }
}

/** The Teams view of one run: what it made (or found), and why it made nothing when it did not. */
export function teamsView(outcome: RunOutcome, made: MadeInTeams, language: Language, s: ChromeStrings): HTMLElement {
  const view = el("section", { class: "wb-teams-view", "aria-label": s.teamsView }, el("h4", { class: "wb-teams-title" }, s.teamsView));
  if (outcome.reason !== undefined) view.append(el("p", { class: "wb-why", "data-why": outcome.reason.code }, reasonText(outcome.reason, language, s)));
  else if (!outcome.created && (made.team !== undefined || made.chat !== undefined)) view.append(el("p", { class: "wb-why" }, s.whyReused));
  if (made.team !== undefined) view.append(teamView(made.team, language, s));
  if (made.chat !== undefined) view.append(chatView(made.chat, language, s));
  if (made.team === undefined && made.chat === undefined && (outcome.teamId !== undefined || outcome.chatId !== undefined)) view.append(el("p", {}, s.teamsNotInStandIn));
  if (made.team === undefined && made.chat === undefined && outcome.reason === undefined && outcome.teamId === undefined && outcome.chatId === undefined) view.append(el("p", {}, s.teamsNothing));
  return view;
}

export const TEAMS_VIEW_STYLE = `
.wb-form.wb-flows { grid-template-columns: minmax(220px, 300px) minmax(0, 1fr); }
.wb-run { display: grid; grid-template-columns: minmax(200px, 0.7fr) minmax(380px, 1.5fr); gap: 12px; align-items: start; }
.wb-teams-view { background: #f5f5f5; border: 1px solid #e0e0e0; border-radius: 4px; padding: 8px; font-family: "Segoe UI", system-ui, sans-serif; color: #242424; }
.wb-teams-title { margin: 0 0 6px; font-size: 13px; color: #424242; }
.wb-why { background: #fff8e1; border-left: 3px solid #8a6d00; padding: 6px 8px; margin: 0 0 8px; }
.wb-teams-team, .wb-teams-chat { background: #fff; border-radius: 4px; padding: 8px; margin-bottom: 8px; }
.wb-teams-team h4, .wb-teams-chat h4 { display: flex; gap: 8px; align-items: center; margin: 0 0 6px; font-size: 15px; }
.wb-teams-avatar { display: inline-grid; place-items: center; width: 28px; height: 28px; border-radius: 4px; background: #5b5fc7; color: #fff; font-size: 14px; }
.wb-teams-sub { margin: 0 0 6px; color: #616161; font-size: 12px; }
.wb-teams-columns { display: grid; grid-template-columns: 110px minmax(0, 1fr); gap: 8px; }
.wb-teams-columns h5 { margin: 4px 0; font-size: 12px; color: #424242; }
.wb-teams-columns ul { list-style: none; margin: 0; padding: 0; font-size: 13px; }
.wb-teams-columns nav li { padding: 3px 6px; border-radius: 4px; }
.wb-teams-columns nav li[aria-current] { background: #ebebeb; font-weight: 600; }
.wb-teams-tabs { display: flex; gap: 12px; border-bottom: 1px solid #e0e0e0; margin-bottom: 6px; font-size: 13px; }
.wb-tab { padding: 4px 0; }
.wb-tab-current { border-bottom: 2px solid #5b5fc7; font-weight: 600; }
.wb-messages { list-style: none; margin: 0; padding: 0; }
.wb-message { background: #fafafa; border: 1px solid #ebebeb; border-radius: 4px; padding: 6px 8px; margin-bottom: 6px; font-size: 13px; }
.wb-message-meta { color: #616161; font-size: 12px; margin-bottom: 4px; }
.wb-message-body p { margin: 0 0 4px; }
.wb-card { max-width: 420px; border: 1px solid #e0e0e0; border-radius: 4px; overflow: hidden; }
.wb-card .ac-pushButton { font: inherit; padding: 4px 12px; border: 1px solid #d1d1d1; border-radius: 4px; background: #fff; color: #242424; }
`;
