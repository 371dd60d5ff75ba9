/**
 * Dataverse accepts every definition in solution/ as real exports write them: for each attribute type, form, view,
 * relationship, entity-level block, environment variable and manifest block we ship, the child element names and
 * their order equal those of the same kind of element in a real exported solution from the oracles.
 */
import fs from "node:fs";
import path from "node:path";
import { DOMParser, type Document, type Element } from "@xmldom/xmldom";

const REPO = path.resolve(__dirname, "../../..");
const SOLUTION = path.join(REPO, "solution");
const ENTITY_DIR = path.join(SOLUTION, "Entities/tcc_teamslink");
const ORACLES = path.resolve(REPO, "../shared/oracles");
/** The real exports in the oracles that carry a custom table (attributes, forms, views, relationships). */
const REAL_CUSTOMIZATIONS = [
  "xsd/samples/real/contoso-school/customizations.xml",
  "xsd/samples/real/incident-reporting/customizations.xml",
  "solution-samples/pnp-powerplatform-samples/zip-varify-bot-pac/customizations.xml",
].map((p) => path.join(ORACLES, p));

function parseFile(file: string): Document {
  const text = fs.readFileSync(file, "utf8").replace(/^\uFEFF/, "");
  return new DOMParser().parseFromString(text, "text/xml");
}
function parseRoot(file: string): Element {
  const root = parseFile(file).documentElement;
  if (!root) throw new Error(`${file}: no root element`);
  return root;
}
const elements = (e: Element): Element[] => Array.from(e.childNodes).filter((n): n is Element => n.nodeType === 1);
const shape = (e: Element): string[] => elements(e).map((c) => c.tagName);
const child = (e: Element, name: string): Element | undefined => elements(e).find((c) => c.tagName === name);
function need(e: Element, name: string): Element {
  const found = child(e, name);
  if (!found) throw new Error(`<${e.tagName}> has no <${name}>`);
  return found;
}
const textOf = (e: Element, name: string): string => child(e, name)?.textContent ?? "";
const all = (root: Element, name: string): Element[] => Array.from(root.getElementsByTagName(name));
const parentOf = (e: Element): Element | undefined => (e.parentNode?.nodeType === 1 ? (e.parentNode as Element) : undefined);
const parentName = (e: Element): string => parentOf(e)?.tagName ?? "";
const listFiles = (dir: string): string[] =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? listFiles(path.join(dir, d.name)) : [path.join(dir, d.name)]));

/** Edit distance between two name sequences, to show the nearest real shape when ours matches none. */
function distance(a: string[], b: string[]): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length];
}

/** Passes when `ours` equals one of the real shapes; otherwise fails with a diff against the nearest one. */
function expectRealShape(ours: string[], real: string[][], what: string): void {
  expect(real.length).toBeGreaterThan(0);
  const nearest = real.reduce((best, r) => (distance(ours, r) < distance(ours, best) ? r : best));
  if (distance(ours, nearest) !== 0) expect({ what, children: ours }).toEqual({ what, children: nearest });
}

/** Shapes of real elements grouped by a key (attribute Type, form type, …). */
function group(items: Element[], keyOf: (e: Element) => string): Map<string, string[][]> {
  const groups = new Map<string, string[][]>();
  for (const e of items) {
    const key = keyOf(e);
    groups.set(key, [...(groups.get(key) ?? []), shape(e)]);
  }
  return groups;
}

/** For a family of real elements: which children and which XML attributes each element name is seen with. */
function vocabulary(roots: Element[]): { children: Map<string, Set<string>>; attributes: Map<string, Set<string>> } {
  const children = new Map<string, Set<string>>();
  const attributes = new Map<string, Set<string>>();
  const add = (map: Map<string, Set<string>>, key: string, value: string) => map.set(key, (map.get(key) ?? new Set()).add(value));
  for (const root of roots)
    for (const e of [root, ...all(root, "*")]) {
      for (const c of elements(e)) add(children, e.tagName, c.tagName);
      for (const a of Array.from(e.attributes)) add(attributes, e.tagName, a.name);
    }
  return { children, attributes };
}

/** Every parent/child pair and every XML attribute in `ours` also occurs in the real family. */
function expectKnownVocabulary(ours: Element, real: ReturnType<typeof vocabulary>, file: string): void {
  const unknown: string[] = [];
  for (const e of [ours, ...all(ours, "*")]) {
    for (const c of elements(e)) if (!real.children.get(e.tagName)?.has(c.tagName)) unknown.push(`<${e.tagName}> holding <${c.tagName}>`);
    for (const a of Array.from(e.attributes)) if (!real.attributes.get(e.tagName)?.has(a.name)) unknown.push(`<${e.tagName} ${a.name}="…">`);
  }
  expect({ file, unknown }).toEqual({ file, unknown: [] });
}

const real = REAL_CUSTOMIZATIONS.map(parseRoot);
const realAll = (name: string): Element[] => real.flatMap((d) => all(d, name));

const entityXml = parseRoot(path.join(ENTITY_DIR, "Entity.xml"));
const ourAttributes = all(entityXml, "attribute").filter((a) => parentName(a) === "attributes");
const formFiles = listFiles(path.join(ENTITY_DIR, "FormXml")).sort();
const viewFiles = listFiles(path.join(ENTITY_DIR, "SavedQueries")).sort();
const customizations = parseRoot(path.join(SOLUTION, "Other/Customizations.xml"));

describe("attribute definitions", () => {
  const realAttributes = group(realAll("attribute").filter((a) => parentName(a) === "attributes"), (a) => textOf(a, "Type"));
  const rows = ourAttributes.map((a) => [a.getAttribute("PhysicalName") ?? "", textOf(a, "Type"), a] as const);

  it("covers every column the table needs", () => {
    expect(rows.map(([name]) => name.toLowerCase())).toEqual(expect.arrayContaining([
      "tcc_name", "tcc_accountid", "tcc_opportunityid", "tcc_kind", "tcc_teamid", "tcc_channelid", "tcc_chatid",
      "tcc_weburl", "tcc_status", "tcc_lasterror", "tcc_teamslinkid", "ownerid", "statecode", "statuscode", "createdby", "createdon", "modifiedby", "modifiedon",
    ]));
  });

  it.each(rows)("%s (%s) has the children, in order, of a real attribute of that type", (name, type, attribute) => {
    expectRealShape(shape(attribute), realAttributes.get(type) ?? [], `${name} (${type})`);
  });

  it("lists attributes in the order exports write them: by physical name, ignoring case", () => {
    const names = rows.map(([name]) => name.toLowerCase());
    expect(names).toEqual([...names].sort());
  });

  it.each(ourAttributes.filter((a) => child(a, "optionset")).map((a) => [a.getAttribute("PhysicalName") ?? "", a] as const))(
    "%s carries its option set, states or statuses the way real inline option sets do",
    (name, attribute) => {
      const optionset = need(attribute, "optionset");
      const setType = textOf(optionset, "OptionSetType");
      const realSets = realAll("optionset").filter((o) => parentName(o) === "attribute");
      expectRealShape(shape(optionset), group(realSets, (o) => textOf(o, "OptionSetType")).get(setType) ?? [], `${name} optionset (${setType})`);
      expectKnownVocabulary(optionset, vocabulary(realSets), name);
    });

  it("ships choice values in the publisher's option value range 61530xxxx", () => {
    const values = ourAttributes.filter((a) => textOf(a, "Type") === "picklist").flatMap((a) => all(a, "option").map((o) => o.getAttribute("value")));
    expect(values.length).toBe(11);
    for (const v of values) expect(v).toMatch(/^61530\d{4}$/);
  });
});

describe("entity-level definition", () => {
  it("<entity> has the children, in order, of a real custom table", () => {
    const realInfo = realAll("entity").filter((e) => parentName(e) === "EntityInfo" && textOf(e, "OwnershipTypeMask") === "UserOwned");
    const real = realInfo.map(shape);
    const ours = shape(all(entityXml, "entity")[0]);
    // No real export in the oracles declares alternate keys, so where <EntityKeys> sits cannot be checked against one
    // (the XSD takes <entity>'s children in any order): it is judged without it, and it must follow <attributes>.
    const keysInReal = real.some((r) => r.includes("EntityKeys"));
    const withoutKeys = keysInReal ? ours : ours.filter((n) => n !== "EntityKeys");
    if (!keysInReal && ours.includes("EntityKeys")) expect(ours[ours.indexOf("EntityKeys") - 1]).toBe("attributes");
    expectRealShape(withoutKeys, real, "tcc_teamslink <entity>");
  });

  it("Entity.xml holds what a real <Entity> holds before the parts SolutionPackager splits into their own files", () => {
    const split = new Set(["FormXml", "SavedQueries", "RibbonDiffXml"]);
    const realEntities = realAll("Entity").filter((e) => child(e, "EntityInfo")).map((e) => shape(e).filter((n) => !split.has(n)));
    expectRealShape(shape(entityXml), realEntities, "Entity.xml");
    const name = need(entityXml, "Name");
    expect(Array.from(name.attributes).map((a) => a.name)).toEqual(["LocalizedName", "OriginalName"]);
  });

  it("RibbonDiff.xml carries the same empty ribbon diff as real custom tables", () => {
    const ours = parseRoot(path.join(ENTITY_DIR, "RibbonDiff.xml"));
    const outline = (e: Element): unknown => [e.tagName, elements(e).map(outline)];
    const realRibbons = realAll("RibbonDiffXml").map((r) => JSON.stringify(outline(r)));
    expect(realRibbons).toContain(JSON.stringify(outline(ours)));
  });
});

describe("forms", () => {
  const realForms = realAll("systemform");
  const formVocabulary = vocabulary(realForms.map((f) => need(f, "form")));
  const rows = formFiles.map((file) => [path.relative(ENTITY_DIR, file), file] as const);

  it("ships a main form, and the quick view and card forms real custom tables ship", () => {
    expect(rows.map(([rel]) => rel.split(path.sep)[1]).sort()).toEqual(["card", "main", "quick"]);
  });

  it.each(rows)("%s is one <systemform> with the children, in order, of a real one of its type", (rel, file) => {
    const root = parseRoot(file);
    expect(root.tagName).toBe("forms");
    expect(shape(root)).toEqual(["systemform"]);
    const form = elements(root)[0];
    const type = rel.split(path.sep)[1];
    const realOfType = realForms.filter((f) => parentOf(f)?.getAttribute("type") === type);
    expectRealShape(shape(form), realOfType.map(shape), rel);
    expect(path.basename(file)).toBe(`${textOf(form, "formid")}.xml`);
    expectKnownVocabulary(need(form, "form"), formVocabulary, rel);
  });

  it("binds every form control to a column the table defines", () => {
    const columns = new Set(ourAttributes.map((a) => textOf(a, "LogicalName")));
    const bound = formFiles.flatMap((f) => all(parseRoot(f), "control").map((c) => c.getAttribute("datafieldname") ?? ""));
    expect(bound.filter((n) => !columns.has(n))).toEqual([]);
  });
});

describe("views", () => {
  const realViews = realAll("savedquery");
  const queryVocabulary = vocabulary(realViews.flatMap((v) => ["layoutxml", "fetchxml"].map((n) => child(v, n)).filter((e): e is Element => e !== undefined)));
  const rows = viewFiles.map((file) => [path.basename(file), file] as const);

  it.each(rows)("%s is one <savedquery> with the children, in order, of a real view", (base, file) => {
    const root = parseRoot(file);
    expect(root.tagName).toBe("savedqueries");
    expect(shape(root)).toEqual(["savedquery"]);
    const view = elements(root)[0];
    expectRealShape(shape(view), realViews.map(shape), base);
    expect(base).toBe(`${textOf(view, "savedqueryid")}.xml`);
    for (const part of ["layoutxml", "fetchxml"]) {
      const e = child(view, part);
      if (e) expectKnownVocabulary(e, queryVocabulary, `${base} ${part}`);
    }
  });

  it("ships the system views real custom tables export, with the active view as the default public view", () => {
    const views = viewFiles.map((f) => elements(parseRoot(f))[0]);
    const realTypes = new Set(realViews.map((v) => textOf(v, "querytype")));
    const ourTypes = views.map((v) => textOf(v, "querytype"));
    expect([...new Set(ourTypes)].sort()).toEqual(["0", "1", "2", "4", "64", "8192"].filter((t) => realTypes.has(t)).sort());
    const publicDefault = views.filter((v) => textOf(v, "querytype") === "0" && textOf(v, "isdefault") === "1");
    expect(publicDefault.map((v) => all(v, "LocalizedName")[0].getAttribute("description"))).toEqual(["Active Teams Links"]);
  });
});

describe("relationships", () => {
  const ours = elements(need(customizations, "EntityRelationships"));
  const realRelationships = realAll("EntityRelationship").filter((r) => textOf(r, "EntityRelationshipType") === "OneToMany");

  it.each(ours.map((r) => [r.getAttribute("Name") ?? "", r] as const))("%s has the children, in order, of a real one-to-many relationship", (name, relationship) => {
    expectRealShape(shape(relationship), realRelationships.map(shape), name);
    expectKnownVocabulary(relationship, vocabulary(realRelationships), name);
  });

  it("gives every lookup and owner column of the table exactly one relationship, and no relationship without a column", () => {
    const lookups = ourAttributes.filter((a) => ["lookup", "owner"].includes(textOf(a, "Type"))).map((a) => a.getAttribute("PhysicalName") ?? "");
    const referencing = ours.map((r) => textOf(r, "ReferencingAttributeName"));
    // Real exports carry no relationship for the delegate (on-behalf-of) columns; the platform creates those.
    expect(referencing.sort()).toEqual(lookups.filter((n) => !n.endsWith("OnBehalfBy")).sort());
  });

  it("writes relationships sorted by name, as exports do", () => {
    const names = ours.map((r) => (r.getAttribute("Name") ?? "").toLowerCase());
    expect(names).toEqual([...names].sort());
  });
});

describe("solution manifest and customizations skeleton", () => {
  const realSolutions = [
    ...REAL_CUSTOMIZATIONS.map((f) => path.join(path.dirname(f), "solution.xml")),
    path.join(ORACLES, "solution-samples/Spucelik-RedactPDF/zip-Redaction/solution.xml"),
  ].map(parseRoot);
  const ourSolution = parseRoot(path.join(SOLUTION, "Other/Solution.xml"));

  it.each(["SolutionManifest", "Publisher", "Address"])("<%s> has the children, in order, of a real export", (name) => {
    const realShapes = realSolutions.flatMap((d) => all(d, name).map(shape));
    for (const e of all(ourSolution, name)) expectRealShape(shape(e), realShapes, name);
  });

  it("keeps the top-level sections of Customizations.xml in the order of every real export", () => {
    const ourOrder = shape(customizations);
    const nbp = path.join(ORACLES, "solution-samples/KarolFilipKozlowski-Konektor-api.nbp.pl/zip-Konektorapinbppl_1_0_0_0/customizations.xml");
    const realOrders = [...real, parseRoot(nbp)].map(shape);
    for (const order of realOrders) {
      const shared = ourOrder.filter((n) => order.includes(n));
      expect(shared).toEqual(order.filter((n) => shared.includes(n)));
    }
    expect(ourOrder.every((n) => realOrders.some((o) => o.includes(n)))).toBe(true);
  });
});

describe("environment variable definitions", () => {
  const realFiles = listFiles(ORACLES).filter((f) => path.basename(f) === "environmentvariabledefinition.xml").map(parseRoot);
  const ourFiles = listFiles(path.join(SOLUTION, "environmentvariabledefinitions")).map((f) => [path.relative(SOLUTION, f), parseRoot(f)] as const);

  it.each(ourFiles)("%s uses only children real definitions have, in their order", (rel, definition) => {
    const ours = shape(definition);
    expect(realFiles.length).toBeGreaterThan(3);
    for (const realDoc of realFiles) {
      const order = shape(realDoc);
      const shared = ours.filter((n) => order.includes(n));
      expect({ rel, shared }).toEqual({ rel, shared: order.filter((n) => shared.includes(n)) });
    }
    expectKnownVocabulary(definition, vocabulary(realFiles), rel);
    expect(definition.getAttribute("schemaname")).toBe(rel.split(path.sep)[1]);
  });
});

describe("two languages", () => {
  const labelGroups = ["displaynames", "Descriptions", "labels", "LocalizedNames", "LocalizedCollectionNames", "displayname", "description"];
  const files = listFiles(SOLUTION).filter((f) => f.endsWith(".xml"));

  it.each(files.map((f) => [path.relative(SOLUTION, f), f] as const))("%s labels everything in English (1033) and Simplified Chinese (2052)", (rel, file) => {
    const root = parseRoot(file);
    const missing = labelGroups.flatMap((g) => all(root, g))
      .filter((groupElement) => elements(groupElement).some((e) => e.hasAttribute("languagecode")))
      .filter((groupElement) => elements(groupElement).map((e) => e.getAttribute("languagecode")).join(",") !== "1033,2052")
      .map((groupElement) => `<${groupElement.tagName}> under <${parentName(groupElement)}>`);
    expect({ rel, missing }).toEqual({ rel, missing: [] });
  });
});
