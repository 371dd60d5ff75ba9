/**
 * `[Content_Types].xml`, the Open Packaging part that gives each zip entry a content type.
 * Two producers write solution zips and both import: an environment export types everything
 * `application/octet-stream`, with an Override only for parts without an extension; SolutionPackager types `.xml` as
 * `text/xml` and adds an octet-stream Override for every `.xml` part below the root.
 */
import { childElements, parseXml } from "./xml";

export type ZipStyle = "export" | "solutionpackager";

const OCTET = "application/octet-stream";
const NAMESPACE = "http://schemas.openxmlformats.org/package/2006/content-types";

function extensionOf(path: string): string | undefined {
  const name = path.slice(path.lastIndexOf("/") + 1);
  const dot = name.lastIndexOf(".");
  return dot > 0 ? name.slice(dot + 1) : undefined;
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/"/g, "&quot;");
}

/** Builds the part for the given entry paths (in zip order); extensions keep the case of their first use (`Png`). */
export function buildContentTypes(paths: string[], style: ZipStyle): string {
  const defaults = new Map<string, string>();
  const overrides: string[] = [];
  for (const path of paths) {
    const extension = extensionOf(path);
    if (extension === undefined) {
      overrides.push(`/${path}`);
      continue;
    }
    const key = extension.toLowerCase();
    if (!defaults.has(key)) defaults.set(key, extension);
    if (style === "solutionpackager" && key === "xml" && path.includes("/")) overrides.push(`/${path}`);
  }
  let xml = `\uFEFF<?xml version="1.0" encoding="utf-8"?><Types xmlns="${NAMESPACE}">`;
  for (const [key, extension] of defaults) {
    const type = style === "solutionpackager" && key === "xml" ? "text/xml" : OCTET;
    xml += `<Default Extension="${escapeAttribute(extension)}" ContentType="${type}" />`;
  }
  for (const part of overrides) xml += `<Override PartName="${escapeAttribute(part)}" ContentType="${OCTET}" />`;
  return `${xml}</Types>`;
}

/** The content type each path gets under a `[Content_Types].xml`, by the packaging rules (Override, then Default). */
export function resolveContentTypes(contentTypesXml: string | Uint8Array, paths: string[], file = "[Content_Types].xml"): Map<string, string | undefined> {
  const { root } = parseXml(contentTypesXml, file);
  const defaults = new Map<string, string>();
  const overrides = new Map<string, string>();
  for (const element of childElements(root)) {
    if (element.localName === "Default") defaults.set((element.getAttribute("Extension") ?? "").toLowerCase(), element.getAttribute("ContentType") ?? "");
    if (element.localName === "Override") overrides.set((element.getAttribute("PartName") ?? "").toLowerCase(), element.getAttribute("ContentType") ?? "");
  }
  const result = new Map<string, string | undefined>();
  for (const path of paths) {
    const extension = extensionOf(path)?.toLowerCase();
    result.set(path, overrides.get(`/${path}`.toLowerCase()) ?? (extension === undefined ? undefined : defaults.get(extension)));
  }
  return result;
}
