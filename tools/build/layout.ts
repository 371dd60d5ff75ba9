/**
 * The two forms of a solution and how their files correspond: the SolutionPackager source tree (Other/Solution.xml,
 * Other/Customizations.xml with some sections split into files) and the zip Dynamics 365 exports and imports.
 */
import type { Element } from "@xmldom/xmldom";
import { BuildError } from "./errors";
import { childElements, textOf } from "./xml";

/** Files by path relative to the tree or zip root, `/`-separated. */
export type FileTree = Map<string, Uint8Array>;

export const SOLUTION_SOURCE = "Other/Solution.xml";
export const CUSTOMIZATIONS_SOURCE = "Other/Customizations.xml";

/** Sections of customizations.xml that an environment export writes as `<x></x>` when empty; the rest are `<x />`. */
export const OPEN_CLOSE_SECTIONS = new Set(["Entities", "Roles", "Workflows", "FieldSecurityProfiles"]);

/** In the source tree connector files sit in `Connectors/`; in the zip in `Connector/`, as the XML paths say. */
export const CONNECTOR_SOURCE_FOLDER = "Connectors/";
export const CONNECTOR_ZIP_FOLDER = "Connector/";

const MANAGED = /<Managed>\s*(\d+)\s*<\/Managed>/;

/** Sets `<Managed>` in solution XML text, leaving every other byte as it was. */
export function withManaged(solutionXml: string, value: 0 | 1 | 2, file: string): string {
  if (!MANAGED.test(solutionXml)) throw new BuildError(file, "no <Managed> element in the SolutionManifest");
  return solutionXml.replace(MANAGED, `<Managed>${value}</Managed>`);
}

export function managedValue(solutionXml: string): number | undefined {
  const match = MANAGED.exec(solutionXml);
  return match ? Number(match[1]) : undefined;
}

/**
 * Dataverse lists workflows in the order SQL Server sorts uniqueidentifiers: by the last group first, then the
 * fourth, third, second and first. Sorting the same way reproduces the order of real exports.
 */
export function sqlGuidKey(guid: string): string {
  const parts = guid.replace(/[{}]/g, "").toLowerCase().split("-");
  return parts.length === 5 ? [parts[4], parts[3], parts[2], parts[1], parts[0]].join("") : guid.toLowerCase();
}

export function compareBy<T>(key: (item: T) => string): (a: T, b: T) => number {
  return (a, b) => {
    const ka = key(a);
    const kb = key(b);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  };
}

export function requireSection(root: Element, name: string, file: string, neededBy: string): Element {
  const section = childElements(root).find((e) => e.nodeName === name);
  if (!section) throw new BuildError(file, `no <${name}> section to receive ${neededBy}`);
  return section;
}

export function entityName(entity: Element): string {
  return (textOf(entity, "Name") ?? "").trim();
}
