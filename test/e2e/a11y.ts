/**
 * Accessibility checks run inside the page: axe-core (axeViolations, at the end) and our own small checks, kept for
 * what axe reports at lower impact or has no rule for: every visible interactive element has an accessible name,
 * images have alt text, ids are unique, and the page has a main landmark with all visible content inside landmarks.
 * Each returns one line per violation.
 */
import { readFileSync } from "node:fs";
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

/**
 * WCAG 2.1 contrast (1.4.3 for text, 1.4.11 for icon glyphs) of every visible text node inside the elements `scope`
 * selects: the text's colour, faded by the opacity of its ancestors, against the background its ancestors paint
 * (translucent layers composited, the canvas white). Text needs 4.5:1, large text (24px, or 18.66px bold) and icon glyphs 3:1; disabled
 * controls are exempt as WCAG allows. Backgrounds drawn by images or by elements that are not ancestors (overlays)
 * cannot be read this way: text over a background image is reported as unmeasured rather than passed.
 * Returns one line per distinct failing combination of element, colours and ratio.
 */
export async function contrastViolations(target: Page | Frame, scope = "body"): Promise<string[]> {
  return target.evaluate((selector) => {
    const roots = Array.from(document.querySelectorAll(selector));
    if (roots.length === 0) return [`no element matches ${selector}`];
    type Rgba = [number, number, number, number];
    const parse = (colour: string): Rgba | undefined => {
      const m = /^rgba?\(([^)]+)\)$/.exec(colour.trim());
      if (!m) return undefined;
      const parts = m[1].split(/[\s,/]+/).filter((p) => p !== "").map((p) => (p.endsWith("%") ? Number(p.slice(0, -1)) / 100 : Number(p)));
      return [parts[0], parts[1], parts[2], parts[3] ?? 1];
    };
    const over = (top: Rgba, bottom: Rgba): Rgba => {
      const a = top[3];
      return [top[0] * a + bottom[0] * (1 - a), top[1] * a + bottom[1] * (1 - a), top[2] * a + bottom[2] * (1 - a), 1];
    };
    const backgroundOf = (e: Element): Rgba | "image" => {
      const layers: Rgba[] = [];
      for (let n: Element | null = e; n; n = n.parentElement) {
        const style = getComputedStyle(n);
        if (style.backgroundImage !== "none" && style.backgroundImage !== "") return "image";
        const c = parse(style.backgroundColor);
        if (c && c[3] > 0) {
          layers.push(c);
          if (c[3] >= 1) break;
        }
      }
      return layers.reverse().reduce<Rgba>((below, layer) => over(layer, below), [255, 255, 255, 1]);
    };
    const opacityOf = (e: Element): number => {
      let opacity = 1;
      for (let n: Element | null = e; n; n = n.parentElement) opacity *= Number(getComputedStyle(n).opacity);
      return opacity;
    };
    const channel = (c: number) => {
      const s = c / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    };
    const luminance = (c: Rgba) => 0.2126 * channel(c[0]) + 0.7152 * channel(c[1]) + 0.0722 * channel(c[2]);
    const ratio = (a: Rgba, b: Rgba) => {
      const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
      return (hi + 0.05) / (lo + 0.05);
    };
    const hex = (c: Rgba) => `#${c.slice(0, 3).map((v) => Math.round(v).toString(16).padStart(2, "0")).join("")}`;
    const problems = new Set<string>();
    const textNodes = roots.flatMap((root) => {
      const nodes: Node[] = [];
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) nodes.push(node);
      return nodes;
    });
    for (const node of textNodes) {
      const parent = node.parentElement;
      if (!parent || !(node.textContent ?? "").trim() || parent.closest("script, style, [hidden]")) continue;
      const box = parent.getBoundingClientRect();
      const style = getComputedStyle(parent);
      // Screen-reader-only text (1px boxes, clipped) is not seen, so it has no contrast to keep.
      if (box.width <= 1 || box.height <= 1 || style.visibility === "hidden" || style.display === "none" || style.clip === "rect(0px, 0px, 0px, 0px)") continue;
      if (parent.closest(":disabled, [aria-disabled=true]")) continue;
      const where = `<${parent.tagName.toLowerCase()}${parent.id ? ` id="${parent.id}"` : ""}> "${(node.textContent ?? "").trim().slice(0, 30)}"`;
      const background = backgroundOf(parent);
      if (background === "image") {
        problems.add(`text over a background image, contrast not measurable: ${where}`);
        continue;
      }
      const colour = parse(style.color);
      if (!colour) continue;
      const shown = over([colour[0], colour[1], colour[2], colour[3] * opacityOf(parent)], background);
      const size = parseFloat(style.fontSize);
      const icon = parent.hasAttribute("data-icon-name");
      const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
      const needed = icon || large ? 3 : 4.5;
      const r = ratio(shown, background);
      if (r < needed) problems.add(`contrast ${r.toFixed(2)}:1 below ${needed}:1 for ${hex(shown)} on ${hex(background)} (${size}px): ${where}`);
    }
    return [...problems];
  }, scope);
}

/** axe-core's browser build, read once and injected into each page or frame that is checked. */
let axeSource: string | undefined;

/**
 * axe-core (the engine behind Accessibility Insights and most accessibility reviews) run in the page or frame, one
 * line per serious or critical violation and element: rule, impact, what it asks, the element's selector and the
 * rule's help page. Frames are checked on their own (pass the Frame), so the run stays in this document. Our own
 * checks above stay for what axe has no rule for (live-region announcements, text outside landmarks at any impact).
 */
export async function axeViolations(target: Page | Frame, scope = "body"): Promise<string[]> {
  axeSource ??= readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
  const loaded = await target.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe !== "undefined");
  if (!loaded) await target.evaluate(axeSource);
  return target.evaluate(async (selector) => {
    interface AxeNode { target: unknown[]; failureSummary?: string }
    interface AxeResult { id: string; impact?: string | null; help: string; helpUrl: string; nodes: (AxeNode & { impact?: string | null })[] }
    const axe = (window as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: AxeResult[] }> } }).axe;
    const context = document.querySelector(selector);
    if (!context) return [`no element matches ${selector}`];
    const { violations } = await axe.run(context, { iframes: false, resultTypes: ["violations"] });
    const lines: string[] = [];
    for (const violation of violations) {
      for (const node of violation.nodes) {
        const impact = node.impact ?? violation.impact ?? "";
        if (impact !== "serious" && impact !== "critical") continue;
        lines.push(`${violation.id} (${impact}): ${violation.help} at ${JSON.stringify(node.target)}, see ${violation.helpUrl}`);
      }
    }
    return lines;
  }, scope);
}
