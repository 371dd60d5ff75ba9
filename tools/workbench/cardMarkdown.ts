/** The markdown of Adaptive Cards as Teams draws it, for the workbench's card renderer (page/teamsView.ts). */

const HTML_ESCAPES: Readonly<Record<string, string>> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);

/**
 * Teams' card markdown, the subset Adaptive Cards documents (bold, italic, links, lists) with CommonMark's backslash
 * escapes: an escaped character is taken out before any syntax is matched, so it can never start a link or emphasis.
 * Only https links become anchors.
 */
export function cardMarkdown(text: string): string {
  const literals: string[] = [];
  const held = text.replace(/\\([!-/:-@[-`{-~])/g, (_, c: string) => `\uE000${literals.push(c) - 1}\uE001`);
  let html = escapeHtml(held);
  html = html.replace(/\[([^\]]+)\]\((https:\/\/[^)\s]+)\)/g, (_, label: string, href: string) => `<a href="${href}" target="_blank" rel="noopener noreferrer">${label}</a>`);
  html = html.replace(/\*\*([^*]+)\*\*/g, "<strong>$1</strong>").replace(/(^|[^\w])_([^_]+)_(?=[^\w]|$)/g, "$1<em>$2</em>");
  return html.replace(/\uE000(\d+)\uE001/g, (_, i: string) => escapeHtml(literals[Number(i)] ?? ""));
}

