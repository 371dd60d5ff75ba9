import { pack, packParts } from "../../../tools/build/pack";
import { repositorySources, stage } from "../../../tools/build/stage";
import { unpack } from "../../../tools/build/unpack";
import { infoset, parseXml } from "../../../tools/build/xml";
import { resolveContentTypes } from "../../../tools/build/contentTypes";
import type { FileTree } from "../../../tools/build/layout";
import { createSandbox, type Sandbox } from "../../support/buildSandbox";

let sandbox: Sandbox;
let tree: FileTree;
beforeAll(() => {
  sandbox = createSandbox();
  tree = stage(repositorySources(sandbox.root)).tree;
});
afterAll(() => sandbox.remove());

const text = (data: Uint8Array | undefined) => Buffer.from(data ?? new Uint8Array()).toString("utf8");

test("the same tree packs to byte-identical zips", () => {
  expect(Buffer.from(pack(tree, { managed: true })).equals(Buffer.from(pack(tree, { managed: true })))).toBe(true);
});

test("entries follow an environment export: customizations.xml, [Content_Types].xml, solution.xml, then the components", () => {
  const paths = packParts(tree, { managed: false }).map((p) => p.path);
  expect(paths.slice(0, 3)).toEqual(["customizations.xml", "[Content_Types].xml", "solution.xml"]);
  expect(paths.some((p) => p.endsWith(".data.xml"))).toBe(false);
  expect(paths.some((p) => p.startsWith("Connectors/"))).toBe(false);
  expect(paths.filter((p) => p.startsWith("Connector/"))).toHaveLength(4);
});

test("solution.xml says Managed 0 or 1 and keeps an export's marks: no BOM, no declaration", () => {
  for (const managed of [false, true]) {
    const solution = packParts(tree, { managed }).find((p) => p.path === "solution.xml");
    expect(text(solution?.data)).toContain(`<Managed>${managed ? 1 : 0}</Managed>`);
    expect(parseXml(solution?.data ?? new Uint8Array(), "solution.xml").marks).toEqual({ bom: false, declaration: false });
  }
});

test("customizations.xml gets the split-out entity, controls and connector, with CRLF line ends", () => {
  const customizations = text(packParts(tree, { managed: false }).find((p) => p.path === "customizations.xml")?.data);
  expect(customizations).toMatch(/<Entity>\r\n\s+<Name LocalizedName="[^"]+" OriginalName="[^"]+">tcc_teamslink<\/Name>/);
  expect(customizations).toMatch(/<FormXml>\r\n\s+<forms type="/);
  expect(customizations).toContain("<Name>tcc_TeamsCrm.CustomerContextPanel</Name>");
  expect(customizations).toContain("<openapidefinition>/Connector/tcc_teams-20customer-20collaboration_openapidefinition.json</openapidefinition>");
  expect(customizations).not.toContain("xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><Name>");
});

test("every part gets application/octet-stream, with the icon's Png extension kept as written", () => {
  const parts = packParts(tree, { managed: false });
  const contentTypes = text(parts.find((p) => p.path === "[Content_Types].xml")?.data);
  expect(contentTypes.startsWith("\uFEFF<?xml")).toBe(true);
  expect(contentTypes).toContain('<Default Extension="Png" ContentType="application/octet-stream" />');
  const types = resolveContentTypes(contentTypes, parts.map((p) => p.path).filter((p) => p !== "[Content_Types].xml"));
  expect(new Set(types.values())).toEqual(new Set(["application/octet-stream"]));
});

test("unpacking the packed zip gives back the tree, part for part", () => {
  const again = unpack(pack(tree, { managed: false }));
  expect([...again.keys()].sort()).toEqual([...tree.keys()].sort());
  for (const [file, data] of tree) {
    if (file === "Other/Solution.xml") expect(text(again.get(file))).toBe(text(data));
    else if (file.endsWith(".xml")) expect(infoset(again.get(file) as Uint8Array, file)).toEqual(infoset(data, file));
    else expect(Buffer.from(again.get(file) as Uint8Array).equals(Buffer.from(data))).toBe(true);
  }
});
