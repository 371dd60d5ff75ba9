/**
 * Unpack then pack gives back what Dynamics 365 wrote, for every real solution zip in the oracles: each part equal as
 * an XML infoset or a JSON value, with the same encoding marks, and no part invented or dropped.
 */
import fs from "node:fs";
import path from "node:path";
import { resolveContentTypes } from "../../../tools/build/contentTypes";
import { managedValue, type FileTree } from "../../../tools/build/layout";
import { pack } from "../../../tools/build/pack";
import { unpack } from "../../../tools/build/unpack";
import { decodeUtf8, infoset, parseXml } from "../../../tools/build/xml";
import { readZip } from "../../../tools/build/zip";
import { readFileTree as readTree } from "../../../tools/build/files";
import { ORACLES, sampleZipFolders, zipFolder } from "../../support/oracleZips";

function expectSamePart(file: string, original: Uint8Array, packed: Uint8Array): void {
  if (/\.xml$/i.test(file)) {
    expect(parseXml(packed, file).marks).toEqual(parseXml(original, file).marks);
    expect(infoset(packed, file)).toEqual(infoset(original, file));
  } else if (/\.json$/i.test(file)) {
    expect(JSON.parse(decodeUtf8(packed).replace(/^\uFEFF/, ""))).toEqual(JSON.parse(decodeUtf8(original).replace(/^\uFEFF/, "")));
  } else {
    expect(Buffer.from(packed).equals(Buffer.from(original))).toBe(true);
  }
}

const folders = sampleZipFolders();
const complete = folders.filter((f) => fs.existsSync(path.join(f, "customizations.xml")) && fs.existsSync(path.join(f, "solution.xml")));

test("the oracles hold real solution zips to round-trip", () => {
  expect(complete.length).toBeGreaterThanOrEqual(12);
});

describe.each(complete.map((f) => [path.relative(ORACLES, f), f]))("%s", (_name, folder) => {
  const original = readTree(folder);
  const solution = decodeUtf8(original.get("solution.xml")!);
  const repacked = new Map(readZip(pack(unpack(zipFolder(original)), { managed: managedValue(solution) === 1 })).map((p) => [p.path, p.data]));

  test("unpack then pack keeps every part and adds none", () => {
    const expected = [...original.keys(), "[Content_Types].xml"];
    expect([...repacked.keys()].sort()).toEqual([...new Set(expected)].sort());
  });

  test("every part is equal as an XML infoset or JSON value, with its encoding marks", () => {
    for (const [file, data] of original) {
      if (file === "[Content_Types].xml") continue;
      expectSamePart(file, data, repacked.get(file)!);
    }
  });

  test("[Content_Types].xml gives every part the content type the original gives it", () => {
    const contentTypes = original.get("[Content_Types].xml");
    if (!contentTypes) return;
    const paths = [...repacked.keys()].filter((p) => p !== "[Content_Types].xml");
    expect(resolveContentTypes(repacked.get("[Content_Types].xml")!, paths)).toEqual(resolveContentTypes(contentTypes, paths));
  });
});

test("an unpacked SolutionPackager tree packs and unpacks back to the same tree", () => {
  const folder = path.join(ORACLES, "xsd/samples/real/business-approval-kit-unpacked");
  const tree: FileTree = new Map([
    ["Other/Solution.xml", fs.readFileSync(path.join(folder, "Solution.xml"))],
    ["Other/Customizations.xml", fs.readFileSync(path.join(folder, "Customizations.xml"))],
  ]);
  const again = unpack(pack(tree, { managed: false }));
  expect([...again.keys()].sort()).toEqual([...tree.keys()].sort());
  for (const [file, data] of tree) expectSamePart(file, data, again.get(file) as Uint8Array);
});
