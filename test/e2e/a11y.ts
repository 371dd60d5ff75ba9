/**
 * A small accessibility check run inside the page (no axe-core in the project): every visible interactive element
 * has an accessible name, images have alt text, ids are unique, and the page has a main landmark with all
 * visible content inside landmarks. Returns one line per violation.
 */
import type { Frame, Page } from "playwright-core";

export async function accessibilityViolations(target: Page | Frame, scope = "body"): Promise<string[]> {
  return target.evaluate((selector) => {
    const root = document.querySelector(selector);
    if (!root) return [`no element matches ${selector}`];
    const problems: string[] = [];
    const visible = (e: Element) => {
      const box = (e as HTMLElement).getBoundingClientRect();
      const style = getComputedStyle(e);
      return box.width > 0 && box.height > 0 && style.visibility !== "hidden" && style.display !== "none";
    };
    const describe = (e: Element) => `<${e.tagName.toLowerCase()}${e.id ? ` id="${e.id}"` : ""}${e.getAttribute("class") ? ` class="${(e.getAttribute("class") ?? "").slice(0, 40)}"` : ""}> "${(e.textContent ?? "").trim().slice(0, 40)}"`;
    const textOf = (ids: string) => ids.split(/\s+/).map((id) => document.getElementById(id)?.textContent ?? "").join(" ").trim();
    const nameOf = (e: Element): string => {
      const labelledBy = e.getAttribute("aria-labelledby");
      if (labelledBy) return textOf(labelledBy);
      const label = e.getAttribute("aria-label");
      if (label?.trim()) return label.trim();
      if (e instanceof HTMLInputElement || e instanceof HTMLSelectElement || e instanceof HTMLTextAreaElement) {
        const labels = Array.from(e.labels ?? []).map((l) => l.textContent ?? "").join(" ").trim();
        if (labels) return labels;
        if (e instanceof HTMLInputElement && (e.type === "button" || e.type === "submit") && e.value) return e.value;
        return (e.getAttribute("title") ?? e.getAttribute("placeholder") ?? "").trim();
      }
      const text = (e.textContent ?? "").trim();
      if (text) return text;
      const img = e.querySelector("img[alt]");
      if (img?.getAttribute("alt")?.trim()) return img.getAttribute("alt") ?? "";
      return (e.getAttribute("title") ?? "").trim();
    };
    const interactive = root.querySelectorAll(
      'a[href], button, input:not([type=hidden]), select, textarea, [role=button], [role=link], [role=checkbox], [role=switch], [role=tab], [role=menuitem], [role=option], [role=treeitem], [role=combobox], [tabindex]:not([tabindex="-1"])',
    );
    for (const e of Array.from(interactive)) {
      if (!visible(e) || e.closest("[aria-hidden=true]")) continue;
      if (!nameOf(e)) problems.push(`interactive element without an accessible name: ${describe(e)}`);
    }
    for (const img of Array.from(root.querySelectorAll("img"))) {
      if (!img.hasAttribute("alt") && img.getAttribute("role") !== "presentation") problems.push(`image without alt: ${describe(img)}`);
    }
    const seen = new Map<string, number>();
    for (const e of Array.from(document.querySelectorAll("[id]"))) seen.set(e.id, (seen.get(e.id) ?? 0) + 1);
    for (const [id, count] of seen) if (count > 1 && id !== "") problems.push(`id "${id}" is used ${count} times`);
    if (document.querySelectorAll("main, [role=main]").length !== 1) problems.push("the page needs exactly one main landmark");
    const landmarks = "main, nav, aside, header, footer, [role=main], [role=navigation], [role=complementary], [role=banner], [role=contentinfo], [role=region], section[aria-label], section[aria-labelledby], form[aria-label]";
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (!parent || !(node.textContent ?? "").trim() || !visible(parent) || parent.closest("script, style")) continue;
      if (!parent.closest(landmarks)) problems.push(`text outside any landmark: ${describe(parent)}`);
    }
    return problems;
  }, scope);
}
