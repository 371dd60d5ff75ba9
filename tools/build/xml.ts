/**
 * XML as Dataverse writes it. Parsing is strict (a warning from the parser is an error, reported with file and line),
 * serialisation follows an environment export: two-space indent, CRLF, `<x />` for empty elements, and the encoding
 * marks (BOM, XML declaration) of the file we started from, so a part keeps the marks it had.
 */
import { DOMParser, type Document, type Element, type Node } from "@xmldom/xmldom";
import { BuildError } from "./errors";

const ELEMENT = 1;
const TEXT = 3;
const CDATA = 4;
const PROCESSING_INSTRUCTION = 7;
const COMMENT = 8;

export const XSI_NAMESPACE = "http://www.w3.org/2001/XMLSchema-instance";
const BOM = "\uFEFF";

export interface XmlMarks {
  bom: boolean;
  declaration: boolean;
}

export interface ParsedXml {
  document: Document;
  root: Element;
  marks: XmlMarks;
}

export function decodeUtf8(bytes: Uint8Array): string {
  return new TextDecoder("utf-8", { fatal: false, ignoreBOM: true }).decode(bytes);
}

export function parseXml(source: string | Uint8Array, file: string): ParsedXml {
  const text = typeof source === "string" ? source : decodeUtf8(source);
  const bom = text.startsWith(BOM);
  const body = bom ? text.slice(1) : text;
  const fail = (message: string, locator?: { lineNumber?: number; columnNumber?: number }): never => {
    // xmldom reports 0 when it has no position.
    const known = (n: number | undefined) => (n !== undefined && n > 0 ? n : undefined);
    throw new BuildError(file, `malformed XML: ${message}`, known(locator?.lineNumber), known(locator?.columnNumber));
  };
  // xmldom replaces an error thrown from its handler with its own, position-less one; keep the first report instead.
  let first: { message: string; locator?: { lineNumber?: number; columnNumber?: number } } | undefined;
  const parser = new DOMParser({
    onError: (_level, message, context?: { locator?: { lineNumber?: number; columnNumber?: number } }) => {
      first ??= { message, locator: context?.locator ? { ...context.locator } : undefined };
      throw new Error(message);
    },
  });
  let document: Document | undefined;
  try {
    document = parser.parseFromString(body, "text/xml");
  } catch (error) {
    return fail(first?.message ?? (error instanceof Error ? error.message : String(error)), first?.locator);
  }
  if (first) return fail(first.message, first.locator);
  const root = document.documentElement;
  if (!root) return fail("no root element");
  return { document, root, marks: { bom, declaration: /^\s*<\?xml\s/.test(body) } };
}

export function childElements(parent: Node): Element[] {
  const result: Element[] = [];
  for (let node = parent.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === ELEMENT) result.push(node as Element);
  }
  return result;
}

export function firstChild(parent: Node, name: string): Element | undefined {
  return childElements(parent).find((e) => e.nodeName === name);
}

export function textOf(parent: Node, name: string): string | undefined {
  const element = firstChild(parent, name);
  return element ? (element.textContent ?? "") : undefined;
}

function escapeText(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\r/g, "&#xD;");
}

function escapeAttribute(value: string): string {
  return value
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/\r/g, "&#xD;")
    .replace(/\n/g, "&#xA;")
    .replace(/\t/g, "&#x9;");
}

function isBlank(node: Node): boolean {
  return node.nodeType === TEXT && !/\S/.test(node.nodeValue ?? "");
}

export interface SerializeOptions {
  marks: XmlMarks;
  /** Element names written `<x></x>` rather than `<x />` when empty, as exports do for some sections. */
  openCloseWhenEmpty?: (element: Element, depth: number) => boolean;
}

const NEWLINE = "\r\n";

function serializeElement(element: Element, depth: number, options: SerializeOptions, out: string[]): void {
  const indent = "  ".repeat(depth);
  let start = `<${element.nodeName}`;
  for (let i = 0; i < element.attributes.length; i++) {
    const attribute = element.attributes.item(i);
    if (attribute) start += ` ${attribute.name}="${escapeAttribute(attribute.value)}"`;
  }
  const children: Node[] = [];
  for (let node = element.firstChild; node; node = node.nextSibling) children.push(node);
  const meaningful = children.filter((n) => !isBlank(n));
  if (meaningful.length === 0) {
    const text = children.map((n) => n.nodeValue ?? "").join("");
    const openClose = text.length > 0 || element.getAttributeNS(XSI_NAMESPACE, "nil") === "true" || options.openCloseWhenEmpty?.(element, depth);
    out.push(openClose ? `${indent}${start}>${escapeText(text)}</${element.nodeName}>` : `${indent}${start} />`);
    return;
  }
  const mixed = meaningful.some((n) => n.nodeType === TEXT || n.nodeType === CDATA);
  if (mixed) {
    out.push(`${indent}${start}>${children.map(inline).join("")}</${element.nodeName}>`);
    return;
  }
  out.push(`${indent}${start}>`);
  for (const child of meaningful) {
    if (child.nodeType === ELEMENT) serializeElement(child as Element, depth + 1, options, out);
    else out.push(`${"  ".repeat(depth + 1)}${inline(child)}`);
  }
  out.push(`${indent}</${element.nodeName}>`);
}

/** Mixed content is written exactly as it came, since its whitespace is data. */
function inline(node: Node): string {
  switch (node.nodeType) {
    case TEXT:
      return escapeText(node.nodeValue ?? "");
    case CDATA:
      return `<![CDATA[${node.nodeValue ?? ""}]]>`;
    case COMMENT:
      return `<!--${node.nodeValue ?? ""}-->`;
    case PROCESSING_INSTRUCTION:
      return `<?${node.nodeName} ${node.nodeValue ?? ""}?>`;
    case ELEMENT: {
      const element = node as Element;
      let s = `<${element.nodeName}`;
      for (let i = 0; i < element.attributes.length; i++) {
        const attribute = element.attributes.item(i);
        if (attribute) s += ` ${attribute.name}="${escapeAttribute(attribute.value)}"`;
      }
      const inner: string[] = [];
      for (let child = element.firstChild; child; child = child.nextSibling) inner.push(inline(child));
      return inner.length === 0 ? `${s} />` : `${s}>${inner.join("")}</${element.nodeName}>`;
    }
    default:
      return "";
  }
}

export function serializeXml(root: Element, options: SerializeOptions): string {
  const out: string[] = [];
  if (options.marks.declaration) out.push('<?xml version="1.0" encoding="utf-8"?>');
  serializeElement(root, 0, options, out);
  return (options.marks.bom ? BOM : "") + out.join(NEWLINE);
}

/**
 * The XML information set of a document as a comparable value: element names and namespaces, attributes as a set,
 * children in order, text with line endings normalised; whitespace-only text between elements is not information.
 */
export function infoset(source: string | Uint8Array, file: string): unknown {
  const { root } = parseXml(source, file);
  const walk = (node: Node): unknown => {
    if (node.nodeType === ELEMENT) {
      const element = node as Element;
      const attributes: Record<string, string> = {};
      for (let i = 0; i < element.attributes.length; i++) {
        const attribute = element.attributes.item(i);
        if (attribute) attributes[`{${attribute.namespaceURI ?? ""}}${attribute.localName ?? attribute.name}`] = attribute.value;
      }
      const sortedAttributes = Object.fromEntries(Object.entries(attributes).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
      const children: unknown[] = [];
      for (let child = element.firstChild; child; child = child.nextSibling) {
        if (isBlank(child) && element.childNodes.length > 1) continue;
        const value = walk(child);
        if (value !== undefined) children.push(value);
      }
      return { name: `{${element.namespaceURI ?? ""}}${element.localName ?? element.nodeName}`, attributes: sortedAttributes, children };
    }
    if (node.nodeType === TEXT || node.nodeType === CDATA) return { text: (node.nodeValue ?? "").replace(/\r\n?/g, "\n") };
    if (node.nodeType === COMMENT) return { comment: node.nodeValue ?? "" };
    return undefined;
  };
  return walk(root);
}
