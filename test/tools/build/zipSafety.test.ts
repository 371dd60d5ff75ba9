/**
 * Hostile zips, crafted with fflate: every unsafe entry is refused by name before anything is inflated or written.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { zipSync, type Zippable } from "fflate";
import { writeFileTree } from "../../../tools/build/files";
import { unpack } from "../../../tools/build/unpack";
import { verifyZip } from "../../../tools/build/verify";
import { MAX_ZIP_ENTRIES, MAX_ZIP_UNCOMPRESSED_BYTES, readZip, writeZip, ZipError } from "../../../tools/build/zip";

const text = (s: string) => new TextEncoder().encode(s);
const SOLUTION = text("<ImportExportXml><SolutionManifest><Managed>0</Managed></SolutionManifest></ImportExportXml>");
const CUSTOMIZATIONS = text("<ImportExportXml><Entities></Entities></ImportExportXml>");

/** A zip that would be a (tiny) solution but for the extra entries. */
function solutionZipWith(extra: Zippable): Uint8Array {
  return zipSync({ "customizations.xml": CUSTOMIZATIONS, "solution.xml": SOLUTION, ...extra });
}

function refusal(zip: Uint8Array): ZipError {
  try {
    readZip(zip);
  } catch (error) {
    if (error instanceof ZipError) return error;
    throw error;
  }
  throw new Error("the zip was read");
}

/** Rewrites one central directory field of the named entry: offset 20 compressed size, 24 uncompressed size. */
function patchCentral(zip: Uint8Array, name: string, field: number, value: number): Uint8Array {
  const bytes = zip.slice();
  const view = new DataView(bytes.buffer);
  for (let at = bytes.length - 46; at >= 0; at--) {
    if (view.getUint32(at, true) !== 0x02014b50) continue;
    const length = view.getUint16(at + 28, true);
    if (new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + length)) === name) {
      view.setUint32(at + field, value, true);
      return bytes;
    }
  }
  throw new Error(`no central directory entry ${name}`);
}

let scratch: string;
beforeEach(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), "tcc-zip-"));
});
afterEach(() => fs.rmSync(scratch, { recursive: true, force: true }));

describe("entry names", () => {
  test.each([
    ["../evil.txt", "climbs out of the folder with a .. segment"],
    ["Controls/../../evil.txt", "climbs out of the folder with a .. segment"],
    ["..\\evil.txt", "climbs out of the folder with a .. segment"],
    ["Controls\\..\\..\\evil.txt", "climbs out of the folder with a .. segment"],
    ["/etc/evil.txt", "is an absolute path"],
    ["\\evil.txt", "is an absolute path"],
    ["C:/evil.txt", "starts with a drive letter"],
    ["c:evil.txt", "starts with a drive letter"],
    ["WebResources/a.txt:stream", "has a colon"],
    ["./evil.txt", "has a . segment"],
    ["a//evil.txt", "has an empty path segment"],
    ["evil\u0000.txt", "has a control character"],
    ["evil.txt.", "ending in a dot or space"],
  ])("%j is refused by name", (name, reason) => {
    const error = refusal(solutionZipWith({ [name]: text("pwned") }));
    expect(error.entry).toBe(name);
    expect(error.message).toContain(reason);
    expect(error.message).toContain("zip entry \"");
  });

  test("a control character is shown escaped in the message, never raw", () => {
    const error = refusal(solutionZipWith({ "a\u001b[2Jb": text("x") }));
    expect(error.message).toContain("a\\u001b[2Jb");
    expect(error.message).not.toContain("\u001b");
  });

  test("a backslash that stays inside is read as a folder separator, as Windows reads it", () => {
    const parts = readZip(solutionZipWith({ "WebResources\\tcc_\\a.js": text("ok") }));
    expect(parts.map((p) => p.path)).toContain("WebResources/tcc_/a.js");
  });
});

describe("names that collide", () => {
  test("the same name twice", () => {
    // fflate keys entries by name, so the second one is spliced in by renaming a same-length entry.
    const zip = solutionZipWith({ "a.txt": text("one"), "b.txt": text("two") });
    const bytes = Buffer.from(zip);
    let at = bytes.indexOf("b.txt");
    while (at >= 0) {
      bytes.write("a.txt", at);
      at = bytes.indexOf("b.txt", at + 1);
    }
    expect(refusal(new Uint8Array(bytes)).message).toBe('zip entry "a.txt": occurs twice in the zip');
  });

  test("names that differ only in case collide, as they would on Windows", () => {
    const error = refusal(solutionZipWith({ "Controls/readme.txt": text("one"), "controls/README.TXT": text("two") }));
    expect(error.entry).toBe("controls/README.TXT");
    expect(error.message).toContain('collides with "Controls/readme.txt"');
  });

  test("a backslash spelling of a name collides with its slash spelling", () => {
    expect(refusal(solutionZipWith({ "a/b.txt": text("one"), "a\\b.txt": text("two") })).message).toContain("collides with");
  });

  test("a file where another entry needs a folder", () => {
    expect(refusal(solutionZipWith({ a: text("file"), "a/b.txt": text("two") })).message).toContain('lies in a folder with the name of the file "a"');
    expect(refusal(solutionZipWith({ "a/b.txt": text("two"), A: text("file") })).message).toContain("is a file with the name of a folder");
  });
});

describe("entries that are not plain files", () => {
  test("a symbolic link (Unix mode S_IFLNK in the external attributes) is refused", () => {
    const zip = solutionZipWith({ "link.txt": [text("/etc/passwd"), { os: 3, attrs: (0o120777 << 16) >>> 0 }] });
    expect(refusal(zip).message).toBe('zip entry "link.txt": is a symbolic link; links are not unpacked');
  });

  test("a regular Unix file with permissions is read", () => {
    const zip = solutionZipWith({ "file.txt": [text("ok"), { os: 3, attrs: (0o100644 << 16) >>> 0 }] });
    expect(readZip(zip).map((p) => p.path)).toContain("file.txt");
  });

  test("a directory entry is skipped, but its name is checked too", () => {
    expect(readZip(solutionZipWith({ "Controls/": new Uint8Array() })).map((p) => p.path)).not.toContain("Controls/");
    expect(refusal(solutionZipWith({ "../Controls/": new Uint8Array() })).entry).toBe("../Controls/");
  });
});

describe("zip bombs", () => {
  test(`more than ${MAX_ZIP_ENTRIES} entries are refused before any is read`, () => {
    const files: Zippable = {};
    for (let i = 0; i <= MAX_ZIP_ENTRIES; i++) files[`f${i}`] = [new Uint8Array(), { level: 0 }];
    expect(refusal(zipSync(files)).message).toBe(`${MAX_ZIP_ENTRIES + 1} entries; at most ${MAX_ZIP_ENTRIES} are read (MAX_ZIP_ENTRIES)`);
  });

  test("declared sizes above the bound are refused before anything is inflated", () => {
    const zip = patchCentral(solutionZipWith({ "big.bin": text("small") }), "big.bin", 24, MAX_ZIP_UNCOMPRESSED_BYTES + 1);
    expect(refusal(zip).message).toBe(
      `zip entry "big.bin": the entries declare more than ${MAX_ZIP_UNCOMPRESSED_BYTES} bytes uncompressed (MAX_ZIP_UNCOMPRESSED_BYTES)`,
    );
  });

  test("an entry that inflates past its declared size is stopped there", () => {
    // 8 MiB of zeros deflate to a few KiB; the central directory claims 100 bytes.
    const zip = patchCentral(solutionZipWith({ "bomb.bin": new Uint8Array(8 * 1024 * 1024) }), "bomb.bin", 24, 100);
    expect(refusal(zip).message).toBe('zip entry "bomb.bin": inflates to more than the 100 bytes it declares');
  });

  test("an entry that inflates to less than it declares, or to other bytes, is refused", () => {
    expect(refusal(patchCentral(solutionZipWith({ "a.txt": text("hello") }), "a.txt", 24, 6)).message).toBe('zip entry "a.txt": holds 5 bytes but declares 6');
    const zip = Buffer.from(solutionZipWith({ "a.txt": [text("hello hello hello"), { level: 0 }] }));
    zip.write("j", zip.indexOf("hello"));
    expect(refusal(new Uint8Array(zip)).message).toContain("fails its CRC-32 check");
  });

  test("bytes that are not a zip say so", () => {
    expect(refusal(text("not a zip at all, just some text that is long enough")).message).toBe("not a zip file: no end of central directory record");
  });
});

describe("unpack and its writer", () => {
  test("a solution zip with ../evil.txt is refused, and nothing is written inside or outside the target", () => {
    const zip = solutionZipWith({ "../evil.txt": text("pwned") });
    const target = path.join(scratch, "inner", "target");
    expect(() => writeFileTree(target, unpack(zip))).toThrow('zip entry "../evil.txt": climbs out of the folder with a .. segment');
    expect(fs.readdirSync(scratch)).toEqual([]);
  });

  test("a workflow whose file name in customizations.xml climbs out is refused", () => {
    const customizations = text(
      "<ImportExportXml><Workflows><Workflow><JsonFileName>/../../evil.json</JsonFileName></Workflow></Workflows></ImportExportXml>",
    );
    const zip = zipSync({ "customizations.xml": customizations, "solution.xml": SOLUTION });
    expect(() => unpack(zip)).toThrow('workflow file name "../../evil.json" climbs out of the folder with a .. segment');
  });

  test("the writer refuses unsafe or colliding paths before writing any file", () => {
    const target = path.join(scratch, "target");
    const good = text("fine");
    expect(() => writeFileTree(target, new Map([["a.txt", good], ["../evil.txt", good]]))).toThrow("../evil.txt: cannot be written");
    expect(() => writeFileTree(target, new Map([["a.txt", good], ["A.TXT", good]]))).toThrow("A.TXT: cannot be written: it collides with a.txt");
    expect(() => writeFileTree(target, new Map([["a\\b.txt", good]]))).toThrow("has a backslash");
    expect(fs.existsSync(target)).toBe(false);
    expect(fs.readdirSync(scratch)).toEqual([]);
  });

  test("into a folder that exists, nothing is written through a symbolic link", () => {
    const target = path.join(scratch, "target");
    const outside = path.join(scratch, "outside");
    fs.mkdirSync(target);
    fs.mkdirSync(outside);
    fs.symlinkSync(outside, path.join(target, "Controls"));
    expect(() => writeFileTree(target, new Map([["Controls/x.txt", text("x")]]))).toThrow("is a symbolic link; nothing is written through it");
    expect(fs.readdirSync(outside)).toEqual([]);
  });

  test("a safe tree is written to a new folder, and nothing temporary is left beside it", () => {
    const target = path.join(scratch, "target");
    writeFileTree(target, new Map([["Other/Solution.xml", SOLUTION], ["Controls/a/b.txt", text("b")]]));
    expect(fs.readFileSync(path.join(target, "Controls/a/b.txt"), "utf8")).toBe("b");
    expect(fs.readdirSync(scratch)).toEqual(["target"]);
  });

  test("what we write ourselves reads back", () => {
    const parts = [{ path: "customizations.xml", data: CUSTOMIZATIONS }, { path: "Controls/x/bundle.js", data: text("x".repeat(10000)) }];
    expect(readZip(writeZip(parts))).toEqual(parts);
  });
});

test("the verifier reports an unsafe zip as a problem instead of throwing", async () => {
  const result = await verifyZip(solutionZipWith({ "../evil.txt": text("pwned") }), "evil.zip");
  expect(result.problems).toContainEqual({ file: "evil.zip", message: 'zip entry "../evil.txt": climbs out of the folder with a .. segment' });
});
