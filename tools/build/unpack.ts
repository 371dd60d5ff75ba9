/**
 * Unpacks a solution zip into the SolutionPackager source tree that `pack` reads: the reverse of pack.ts, for teams
 * that export from an environment and commit the result.
 */
import type { Document, Element } from "@xmldom/xmldom";
import { BuildError } from "./errors";
import {
  CONNECTOR_SOURCE_FOLDER,
  CONNECTOR_ZIP_FOLDER,
  CUSTOMIZATIONS_SOURCE,
  entityName,
  OPEN_CLOSE_SECTIONS,
  SOLUTION_SOURCE,
  withManaged,
  type FileTree,
} from "./layout";
import { childElements, decodeUtf8, parseXml, serializeXml, textOf, XSI_NAMESPACE } from "./xml";
import { readZip, unsafeEntryName, type ZipPart } from "./zip";
import { checkTreePaths } from "./files";

const encoder = new TextEncoder();
const SPLIT_FILE_MARKS = { bom: true, declaration: true };

/** A split-out element as SolutionPackager writes it: its own file, declaring the xsi namespace it may use. */
function splitFile(element: Element): Uint8Array {
  element.setAttribute("xmlns:xsi", XSI_NAMESPACE);
  return encoder.encode(serializeXml(element, { marks: SPLIT_FILE_MARKS }));
}

function wrap(document: Document, name: string, children: Element[], attributes: Record<string, string> = {}): Element {
  const wrapper = document.createElement(name);
  for (const [key, value] of Object.entries(attributes)) wrapper.setAttribute(key, value);
  for (const child of children) wrapper.appendChild(child);
  return wrapper;
}

function section(root: Element, name: string): Element | undefined {
  return childElements(root).find((e) => e.nodeName === name);
}

function safeSegment(name: string, file: string, what: string): string {
  if (!name || /[/\\]|^\.\.?$/.test(name)) throw new BuildError(file, `${what} "${name}" cannot name a folder`);
  return name;
}

function splitEntity(document: Document, entity: Element, tree: FileTree): void {
  const folder = `Entities/${safeSegment(entityName(entity), "customizations.xml", "entity name")}/`;
  for (const child of childElements(entity)) {
    if (child.nodeName === "FormXml") {
      for (const forms of childElements(child)) {
        const type = safeSegment(forms.getAttribute("type") ?? "", "customizations.xml", "form type");
        for (const form of childElements(forms)) {
          const id = safeSegment((textOf(form, "formid") ?? "").trim().toLowerCase(), "customizations.xml", "form id");
          tree.set(`${folder}FormXml/${type}/${id}.xml`, splitFile(wrap(document, "forms", [form])));
        }
      }
      entity.removeChild(child);
    } else if (child.nodeName === "SavedQueries") {
      for (const queries of childElements(child)) {
        for (const query of childElements(queries)) {
          const id = safeSegment((textOf(query, "savedqueryid") ?? "").trim().toLowerCase(), "customizations.xml", "saved query id");
          tree.set(`${folder}SavedQueries/${id}.xml`, splitFile(wrap(document, "savedqueries", [query])));
        }
      }
      entity.removeChild(child);
    } else if (child.nodeName === "RibbonDiffXml") {
      entity.removeChild(child);
      tree.set(`${folder}RibbonDiff.xml`, splitFile(child));
    }
  }
  tree.set(`${folder}Entity.xml`, splitFile(entity));
}

function splitCustomizations(data: Uint8Array, tree: FileTree): string {
  const { document, root, marks } = parseXml(data, "customizations.xml");

  const entities = section(root, "Entities");
  for (const entity of entities ? childElements(entities) : []) {
    entities?.removeChild(entity);
    splitEntity(document, entity, tree);
  }

  const workflows = section(root, "Workflows");
  const workflowItems = workflows ? childElements(workflows) : [];
  // Classic workflows without a definition file name have no place in the tree layout; they stay inline.
  if (workflows && workflowItems.every((w) => !!textOf(w, "JsonFileName")?.trim() || !!textOf(w, "XamlFileName")?.trim())) {
    for (const workflow of workflowItems) {
      const definition = (textOf(workflow, "JsonFileName") ?? textOf(workflow, "XamlFileName") ?? "").trim().replace(/^\//, "");
      const unsafe = unsafeEntryName(definition);
      if (unsafe) throw new BuildError("customizations.xml", `workflow file name "${definition}" ${unsafe}`, workflow.lineNumber ?? undefined);
      workflows.removeChild(workflow);
      tree.set(`${definition}.data.xml`, splitFile(workflow));
    }
  }

  const controls = section(root, "CustomControls");
  for (const control of controls ? childElements(controls) : []) {
    const name = safeSegment((textOf(control, "Name") ?? "").trim(), "customizations.xml", "custom control name");
    controls?.removeChild(control);
    tree.set(`Controls/${name}/ControlManifest.xml.data.xml`, splitFile(control));
  }

  const connectors = section(root, "Connectors");
  for (const connector of connectors ? childElements(connectors) : []) {
    const name = safeSegment((textOf(connector, "name") ?? "").trim(), "customizations.xml", "connector name");
    connectors?.removeChild(connector);
    tree.set(`${CONNECTOR_SOURCE_FOLDER}${name}.xml`, splitFile(connector));
  }

  // The sections emptied above would otherwise keep the indentation that surrounded their children.
  for (const emptied of [entities, workflows, controls, connectors]) {
    if (emptied && childElements(emptied).length === 0) while (emptied.firstChild) emptied.removeChild(emptied.firstChild);
  }
  return serializeXml(root, {
    marks,
    openCloseWhenEmpty: (element, depth) => !marks.declaration && depth === 1 && OPEN_CLOSE_SECTIONS.has(element.nodeName),
  });
}

export function unpackParts(parts: ZipPart[]): FileTree {
  const tree: FileTree = new Map();
  const byPath = new Map(parts.map((p) => [p.path, p.data]));
  const solution = byPath.get("solution.xml");
  const customizations = byPath.get("customizations.xml");
  if (!solution) throw new BuildError("solution.xml", "missing from the zip: this is not a solution zip");
  if (!customizations) throw new BuildError("customizations.xml", "missing from the zip: this is not a solution zip");
  tree.set(SOLUTION_SOURCE, encoder.encode(withManaged(decodeUtf8(solution), 2, "solution.xml")));
  tree.set(CUSTOMIZATIONS_SOURCE, encoder.encode(splitCustomizations(customizations, tree)));
  for (const { path, data } of parts) {
    if (path === "solution.xml" || path === "customizations.xml" || path === "[Content_Types].xml") continue;
    const target = path.startsWith(CONNECTOR_ZIP_FOLDER) ? CONNECTOR_SOURCE_FOLDER + path.slice(CONNECTOR_ZIP_FOLDER.length) : path;
    if (tree.has(target)) throw new BuildError(path, `collides with ${target} in the unpacked tree`);
    tree.set(target, data);
  }
  checkTreePaths(tree);
  return tree;
}

/**
 * The zip's SolutionPackager tree. Throws before returning anything when the zip is unsafe (see readZip) or when a
 * path the tree would have is: callers write nothing of a zip that throws.
 */
export function unpack(zip: Uint8Array): FileTree {
  return unpackParts(readZip(zip));
}
