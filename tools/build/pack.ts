/**
 * Packs a SolutionPackager source tree into the parts of a solution zip, the way Dynamics 365 writes an export:
 * split sections merged back into customizations.xml, connector files moved to `Connector/`, `[Content_Types].xml`
 * written for the parts present. A pure function of the tree: the same tree gives the same bytes.
 */
import type { Document, Element } from "@xmldom/xmldom";
import { buildContentTypes, type ZipStyle } from "./contentTypes";
import { BuildError } from "./errors";
import {
  compareBy,
  CONNECTOR_SOURCE_FOLDER,
  CONNECTOR_ZIP_FOLDER,
  CUSTOMIZATIONS_SOURCE,
  entityName,
  OPEN_CLOSE_SECTIONS,
  requireSection,
  SOLUTION_SOURCE,
  sqlGuidKey,
  withManaged,
  type FileTree,
} from "./layout";
import { childElements, decodeUtf8, parseXml, serializeXml, textOf } from "./xml";
import { writeZip, type ZipPart } from "./zip";

export interface PackOptions {
  managed: boolean;
}

const encoder = new TextEncoder();

function required(tree: FileTree, path: string): Uint8Array {
  const data = tree.get(path);
  if (!data) throw new BuildError(path, "missing: every solution source tree needs this file");
  return data;
}

/** Parses a split-out file and returns its root, ready to move into customizations.xml without its own xmlns:xsi. */
function importRoot(document: Document, tree: FileTree, path: string, expected: string): Element {
  const { root } = parseXml(required(tree, path), path);
  if (root.nodeName !== expected) throw new BuildError(path, `root element is <${root.nodeName}>, expected <${expected}>`, root.lineNumber);
  const imported = document.importNode(root, true);
  imported.removeAttribute("xmlns:xsi");
  return imported;
}

function filesUnder(tree: FileTree, test: RegExp): string[] {
  return [...tree.keys()].filter((p) => test.test(p)).sort();
}

function buildEntity(document: Document, tree: FileTree, folder: string): Element {
  const entity = importRoot(document, tree, `${folder}Entity.xml`, "Entity");
  const additions: Element[] = [];

  const forms: { type: string; id: string; form: Element }[] = [];
  for (const path of filesUnder(tree, new RegExp(`^${escapeRegExp(folder)}FormXml/[^/]+/[^/]+\\.xml$`))) {
    const type = path.slice(folder.length + "FormXml/".length).split("/")[0];
    const wrapper = importRoot(document, tree, path, "forms");
    for (const form of childElements(wrapper)) forms.push({ type, id: (textOf(form, "formid") ?? "").toLowerCase(), form });
  }
  if (forms.length > 0) {
    const formXml = document.createElement("FormXml");
    const groups = new Map<string, typeof forms>();
    for (const item of [...forms].sort(compareBy((f) => f.id))) {
      const group = groups.get(item.type) ?? [];
      group.push(item);
      groups.set(item.type, group);
    }
    for (const [type, group] of groups) {
      const wrapper = document.createElement("forms");
      wrapper.setAttribute("type", type);
      for (const { form } of group) wrapper.appendChild(form);
      formXml.appendChild(wrapper);
    }
    additions.push(formXml);
  }

  const queries: Element[] = [];
  for (const path of filesUnder(tree, new RegExp(`^${escapeRegExp(folder)}SavedQueries/[^/]+\\.xml$`))) {
    queries.push(...childElements(importRoot(document, tree, path, "savedqueries")));
  }
  if (queries.length > 0) {
    const savedQueries = document.createElement("SavedQueries");
    const wrapper = document.createElement("savedqueries");
    for (const query of queries.sort(compareBy((q) => (textOf(q, "savedqueryid") ?? "").toLowerCase()))) wrapper.appendChild(query);
    savedQueries.appendChild(wrapper);
    additions.push(savedQueries);
  }

  if (tree.has(`${folder}RibbonDiff.xml`)) additions.push(importRoot(document, tree, `${folder}RibbonDiff.xml`, "RibbonDiffXml"));

  const head = childElements(entity).filter((e) => ["Name", "ObjectTypeCode", "EntityInfo"].includes(e.nodeName));
  const anchor = head.length > 0 ? head[head.length - 1].nextSibling : entity.firstChild;
  for (const addition of additions) entity.insertBefore(addition, anchor);
  return entity;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function mergeCustomizations(tree: FileTree): { xml: string; style: ZipStyle } {
  const file = CUSTOMIZATIONS_SOURCE;
  const { document, root, marks } = parseXml(required(tree, file), file);
  const append = (section: string, items: Element[], neededBy: string) => {
    if (items.length === 0) return;
    const target = requireSection(root, section, file, neededBy);
    for (const item of items) target.appendChild(item);
  };

  const entityFolders = [...new Set(filesUnder(tree, /^Entities\/[^/]+\//).map((p) => p.split("/").slice(0, 2).join("/") + "/"))];
  const entities = entityFolders.map((folder) => buildEntity(document, tree, folder));
  append("Entities", entities.sort(compareBy((e) => entityName(e).toLowerCase())), "Entities/*/Entity.xml");

  const workflows = filesUnder(tree, /^Workflows\/[^/]+\.data\.xml$/).map((p) => importRoot(document, tree, p, "Workflow"));
  append("Workflows", workflows.sort(compareBy((w) => sqlGuidKey(w.getAttribute("WorkflowId") ?? ""))), "Workflows/*.data.xml");

  const controls = filesUnder(tree, /^Controls\/[^/]+\/ControlManifest\.xml\.data\.xml$/).map((p) => importRoot(document, tree, p, "CustomControl"));
  append("CustomControls", controls.sort(compareBy((c) => textOf(c, "Name") ?? "")), "Controls/*/ControlManifest.xml.data.xml");

  const connectors = filesUnder(tree, /^Connectors\/[^/]+\.xml$/).map((p) => importRoot(document, tree, p, "Connector"));
  append("Connectors", connectors.sort(compareBy((c) => textOf(c, "name") ?? "")), "Connectors/*.xml");

  const style: ZipStyle = marks.declaration ? "solutionpackager" : "export";
  const xml = serializeXml(root, {
    marks,
    openCloseWhenEmpty: (element, depth) => style === "export" && depth === 1 && OPEN_CLOSE_SECTIONS.has(element.nodeName),
  });
  return { xml, style };
}

/** Whether a source path becomes a zip part of its own (split-out XML is merged, not copied). */
function zipPathOf(path: string): string | undefined {
  if (path === SOLUTION_SOURCE || path === CUSTOMIZATIONS_SOURCE) return undefined;
  if (path.startsWith("Other/")) {
    throw new BuildError(path, "not supported in the source tree: keep entity relationships inline in Other/Customizations.xml");
  }
  if (path.startsWith("Entities/")) return undefined;
  if (/^(Workflows|Controls)\/.*\.data\.xml$/.test(path)) return undefined;
  if (path.startsWith(CONNECTOR_SOURCE_FOLDER)) {
    return /^Connectors\/[^/]+\.xml$/.test(path) ? undefined : CONNECTOR_ZIP_FOLDER + path.slice(CONNECTOR_SOURCE_FOLDER.length);
  }
  return path;
}

export function packParts(tree: FileTree, options: PackOptions): ZipPart[] {
  const solution = withManaged(decodeUtf8(required(tree, SOLUTION_SOURCE)), options.managed ? 1 : 0, SOLUTION_SOURCE);
  const { xml: customizations, style } = mergeCustomizations(tree);
  const components: ZipPart[] = [];
  for (const path of [...tree.keys()].sort()) {
    const zipPath = zipPathOf(path);
    if (zipPath !== undefined) components.push({ path: zipPath, data: tree.get(path) as Uint8Array });
  }
  const head: ZipPart[] = [
    { path: "customizations.xml", data: encoder.encode(customizations) },
    { path: "solution.xml", data: encoder.encode(solution) },
  ];
  const contentTypes = (parts: ZipPart[]): ZipPart => ({
    path: "[Content_Types].xml",
    data: encoder.encode(buildContentTypes(parts.map((p) => p.path), style)),
  });
  // An export puts [Content_Types].xml second; SolutionPackager puts it last.
  if (style === "export") {
    const parts = [...head, ...components];
    return [head[0], contentTypes(parts), ...parts.slice(1)];
  }
  const parts = [...head, ...components];
  return [...parts, contentTypes(parts)];
}

export function pack(tree: FileTree, options: PackOptions): Uint8Array {
  return writeZip(packParts(tree, options));
}
