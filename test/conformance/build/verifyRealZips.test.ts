/**
 * `npm run verify` on solutions other people exported: every real solution zip in the oracles (read at test time, never
 * copied into the project) is zipped as the oracle README says and verified without our policy, with Microsoft's XSD.
 * None is rejected. The oracle copies leave out code and binary parts (bundle.js, icons, .msapp) and some flows, and the
 * XSD sample folders hold no [Content_Types].xml: a problem about a part the oracle folder does not hold is the copy's
 * gap, not the zip's, and is the only kind allowed here; the test proves each such part really is absent from the copy.
 */
import fs from "node:fs";
import path from "node:path";
import { readFileTree } from "../../../tools/build/files";
import { verifyZip } from "../../../tools/build/verify";
import { ORACLES, sampleZipFolders, zipFolder } from "../../support/oracleZips";

const SCHEMAS = path.join(ORACLES, "xsd");

/** The part a problem says is missing, when it says so. */
function missingPart(message: string): string | undefined {
  if (message === "[Content_Types].xml is missing") return "[Content_Types].xml";
  return /^names (.+), which is not in the zip$/.exec(message)?.[1];
}

const folders = sampleZipFolders();
const complete = folders.filter((f) => fs.existsSync(path.join(f, "customizations.xml")) && fs.existsSync(path.join(f, "solution.xml")));
const partial = folders.filter((f) => !complete.includes(f));

test("the oracles hold real solution zips to verify", () => {
  expect(complete.length).toBeGreaterThanOrEqual(13);
});

test.each(partial.map((f) => [path.relative(ORACLES, f)]))("%s holds only some parts of its zip (no customizations.xml or solution.xml), so it cannot be verified as a zip", (name) => {
  const tree = readFileTree(path.join(ORACLES, name));
  expect(tree.has("customizations.xml") && tree.has("solution.xml")).toBe(false);
});

describe.each(complete.map((f) => [path.relative(ORACLES, f), f]))("%s", (_name, folder) => {
  test("is not rejected by npm run verify (no policy, with the XSD)", async () => {
    const tree = readFileTree(folder);
    const result = await verifyZip(zipFolder(tree), `${path.basename(folder)}.zip`, { schemaDir: SCHEMAS, policy: false });
    expect(result.schema).toBe("validated");
    expect(result.checks).toBeGreaterThan(10);
    const rejected = result.problems.filter((p) => {
      const part = missingPart(p.message);
      return part === undefined || tree.has(part) || fs.existsSync(path.join(folder, part));
    });
    expect(rejected).toEqual([]);
  });

  test("fails our policy, which is for our solution only", async () => {
    const result = await verifyZip(zipFolder(readFileTree(folder)), `${path.basename(folder)}.zip`, { policy: true });
    expect(result.problems.map((p) => p.message)).toContainEqual(expect.stringMatching(/our publisher's prefix is tcc|role "Teams Collaboration User" is missing/) as unknown);
  });
});
