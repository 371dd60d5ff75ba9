/**
 * Zip containers as solution exports write them: every entry deflated, no directory entries, `/` separators, entries in
 * the order given. Timestamps are fixed so that the same parts always give the same bytes.
 *
 * Reading is defensive, because the zips we read come from environments and from other people: every entry name is
 * checked before any entry is inflated (no `..` segment, no absolute path or drive letter, no backslash that climbs out,
 * no two names that collide, case-insensitively as on Windows, no symbolic link), and the archive is bounded against zip
 * bombs by entry count and by total uncompressed size, both as declared and as actually inflated. A refused archive
 * throws a {@link ZipError} naming the entry; nothing of it is returned, so nothing of it can be written.
 */
import { inflateRawSync } from "node:zlib";
import { zipSync, type Zippable } from "fflate";

export interface ZipPart {
  path: string;
  data: Uint8Array;
}

export interface ZipEntryInfo {
  path: string;
  method: number;
  isDirectory: boolean;
}

/**
 * At most this many entries in a zip we read. Our own solution zips hold a few dozen; the largest real exports a few
 * thousand (one per web resource, form and plug-in assembly). 20,000 leaves room for any real solution.
 */
export const MAX_ZIP_ENTRIES = 20_000;

/**
 * At most this many bytes uncompressed, all entries together, as declared in the central directory and as actually
 * inflated (an entry that inflates to more than it declares is refused as soon as it does). 1 GiB is far above any
 * solution Dynamics 365 imports (its import limit is 95 MB compressed) and still fits in memory.
 */
export const MAX_ZIP_UNCOMPRESSED_BYTES = 1024 * 1024 * 1024;

/** A zip that is malformed or unsafe to read; `entry` names the offending entry when there is one. */
export class ZipError extends Error {
  constructor(
    message: string,
    readonly entry?: string,
  ) {
    super(entry === undefined ? message : `zip entry "${printable(entry)}": ${message}`);
    this.name = "ZipError";
  }
}

/** Entry names in messages, with control characters shown as escapes so that a hostile name cannot rewrite a terminal. */
function printable(name: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what this looks for
  return name.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** The DOS epoch, built from local components because zip times are local times: the same bytes in every time zone. */
const FIXED_TIME = new Date(1980, 0, 1, 0, 0, 0);

export function writeZip(parts: ZipPart[]): Uint8Array {
  const files: Zippable = {};
  for (const part of parts) files[part.path] = [part.data, { level: 6, mtime: FIXED_TIME }];
  return zipSync(files);
}

interface CentralEntry extends ZipEntryInfo {
  /** The name as stored, before `\` is read as a separator. */
  rawPath: string;
  flags: number;
  crc: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
  externalAttributes: number;
}

const STORED = 0;
const DEFLATE = 8;
const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;

/** Parts in entry order, directory entries skipped, each name `/`-separated; throws a {@link ZipError} on any unsafe entry. */
export function readZip(bytes: Uint8Array): ZipPart[] {
  const entries = readCentralDirectory(bytes);
  checkEntries(entries);
  const parts: ZipPart[] = [];
  let inflated = 0;
  for (const entry of entries) {
    if (entry.isDirectory) continue;
    const data = inflateEntry(bytes, entry, MAX_ZIP_UNCOMPRESSED_BYTES - inflated);
    inflated += data.length;
    parts.push({ path: entry.path, data });
  }
  return parts;
}

/** Reads the central directory, which fflate does not expose, to check how each entry was stored. Names are as stored. */
export function listZipEntries(bytes: Uint8Array): ZipEntryInfo[] {
  return readCentralDirectory(bytes).map(({ rawPath, method, isDirectory }) => ({ path: rawPath, method, isDirectory }));
}

function readCentralDirectory(bytes: Uint8Array): CentralEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The end record is the last 22 bytes plus a comment of at most 65,535 bytes.
  const lowest = Math.max(0, bytes.length - 22 - 0xffff);
  let end = bytes.length - 22;
  while (end >= lowest && view.getUint32(end, true) !== 0x06054b50) end--;
  if (end < lowest) throw new ZipError("not a zip file: no end of central directory record");
  const count = view.getUint16(end + 10, true);
  const size = view.getUint32(end + 12, true);
  let offset = view.getUint32(end + 16, true);
  if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) {
    throw new ZipError("ZIP64 archives are not read (a solution zip is far below 4 GiB and 65,535 entries)");
  }
  if (count > MAX_ZIP_ENTRIES) throw new ZipError(`${count} entries; at most ${MAX_ZIP_ENTRIES} are read (MAX_ZIP_ENTRIES)`);
  if (offset + size > end) throw new ZipError("corrupt zip: the central directory runs past its end record");
  const entries: CentralEntry[] = [];
  const decoder = new TextDecoder("utf-8", { fatal: false });
  for (let i = 0; i < count; i++) {
    if (offset + 46 > end || view.getUint32(offset, true) !== 0x02014b50) throw new ZipError("corrupt zip: bad central directory entry");
    const flags = view.getUint16(offset + 8, true);
    const method = view.getUint16(offset + 10, true);
    const crc = view.getUint32(offset + 16, true);
    const compressedSize = view.getUint32(offset + 20, true);
    const uncompressedSize = view.getUint32(offset + 24, true);
    const nameLength = view.getUint16(offset + 28, true);
    const extraLength = view.getUint16(offset + 30, true);
    const commentLength = view.getUint16(offset + 32, true);
    const externalAttributes = view.getUint32(offset + 38, true);
    const localHeaderOffset = view.getUint32(offset + 42, true);
    if (offset + 46 + nameLength > end) throw new ZipError("corrupt zip: a central directory entry runs past its end");
    const rawPath = decoder.decode(bytes.subarray(offset + 46, offset + 46 + nameLength));
    const path = rawPath.replace(/\\/g, "/");
    entries.push({
      path,
      rawPath,
      method,
      isDirectory: path.endsWith("/") || ((externalAttributes >>> 16) & S_IFMT) === S_IFDIR,
      flags,
      crc,
      compressedSize,
      uncompressedSize,
      localHeaderOffset,
      externalAttributes,
    });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/**
 * Why an entry name is unsafe to write below a folder, or undefined when it is safe. `\` counts as a separator, as
 * Windows reads it.
 */
export function unsafeEntryName(rawName: string): string | undefined {
  if (rawName === "") return "has an empty name";
  // eslint-disable-next-line no-control-regex -- control characters are what this looks for
  if (/[\u0000-\u001f\u007f]/.test(rawName)) return "has a control character in its name";
  if (rawName.includes("\uFFFD")) return "has a name that is not valid UTF-8";
  const name = rawName.replace(/\\/g, "/");
  if (name.startsWith("/")) return "is an absolute path";
  if (/^[A-Za-z]:/.test(name)) return "starts with a drive letter";
  if (name.includes(":")) return "has a colon in its name (a drive or an alternate data stream on Windows)";
  const segments = name.replace(/\/$/, "").split("/");
  if (segments.includes("..")) return "climbs out of the folder with a .. segment";
  if (segments.includes(".")) return "has a . segment";
  if (segments.includes("")) return "has an empty path segment (//)";
  if (segments.some((s) => /[. ]$/.test(s))) return "has a path segment ending in a dot or space, which Windows drops";
  return undefined;
}

/** Every name safe, none colliding, no links, within the bounds: checked for all entries before any is inflated. */
function checkEntries(entries: CentralEntry[]): void {
  const files = new Map<string, string>();
  const folders = new Map<string, string>();
  let declared = 0;
  for (const entry of entries) {
    const unsafe = unsafeEntryName(entry.rawPath);
    if (unsafe) throw new ZipError(unsafe, entry.rawPath);
    const type = (entry.externalAttributes >>> 16) & S_IFMT;
    if (type === S_IFLNK) throw new ZipError("is a symbolic link; links are not unpacked", entry.rawPath);
    if (type !== 0 && type !== S_IFREG && type !== S_IFDIR) throw new ZipError(`is not a file or folder (mode ${type.toString(8)})`, entry.rawPath);
    if (entry.flags & 0x1) throw new ZipError("is encrypted", entry.rawPath);
    if (!entry.isDirectory && entry.method !== STORED && entry.method !== DEFLATE) throw new ZipError(`uses compression method ${entry.method}; only stored (0) and deflated (8) are read`, entry.rawPath);
    declared += entry.uncompressedSize;
    if (declared > MAX_ZIP_UNCOMPRESSED_BYTES) {
      throw new ZipError(`the entries declare more than ${MAX_ZIP_UNCOMPRESSED_BYTES} bytes uncompressed (MAX_ZIP_UNCOMPRESSED_BYTES)`, entry.rawPath);
    }
    // Windows compares names without case (and NFC and NFD spell the same name on macOS): colliding names overwrite.
    const key = entry.path.replace(/\/$/, "").normalize("NFC").toLowerCase();
    const segments = key.split("/");
    if (entry.isDirectory) {
      const file = files.get(key);
      if (file !== undefined) throw new ZipError(`is a folder with the name of the file "${printable(file)}"`, entry.rawPath);
      folders.set(key, entry.rawPath);
      continue;
    }
    const earlier = files.get(key);
    if (earlier !== undefined) {
      throw new ZipError(earlier === entry.rawPath ? "occurs twice in the zip" : `collides with "${printable(earlier)}" (names differ only in case or separators)`, entry.rawPath);
    }
    const folder = folders.get(key);
    if (folder !== undefined) throw new ZipError(`is a file with the name of a folder of "${printable(folder)}"`, entry.rawPath);
    for (let i = 1; i < segments.length; i++) {
      const parent = segments.slice(0, i).join("/");
      const file = files.get(parent);
      if (file !== undefined) throw new ZipError(`lies in a folder with the name of the file "${printable(file)}"`, entry.rawPath);
      if (!folders.has(parent)) folders.set(parent, entry.rawPath);
    }
    files.set(key, entry.rawPath);
  }
}

function inflateEntry(bytes: Uint8Array, entry: CentralEntry, budget: number): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = entry.localHeaderOffset;
  if (at + 30 > bytes.length || view.getUint32(at, true) !== 0x04034b50) throw new ZipError("corrupt zip: no local header where the central directory says", entry.rawPath);
  const nameLength = view.getUint16(at + 26, true);
  const extraLength = view.getUint16(at + 28, true);
  const localName = new TextDecoder().decode(bytes.subarray(at + 30, at + 30 + nameLength));
  // Some tools extract by the local header's name: one that differs from the checked central name could bypass the checks.
  if (localName !== entry.rawPath) throw new ZipError(`its local header names it "${printable(localName)}"`, entry.rawPath);
  const start = at + 30 + nameLength + extraLength;
  if (start + entry.compressedSize > bytes.length) throw new ZipError("corrupt zip: the data runs past the end of the file", entry.rawPath);
  const compressed = bytes.subarray(start, start + entry.compressedSize);
  const limit = Math.min(entry.uncompressedSize, budget);
  let data: Uint8Array;
  if (entry.method === STORED) {
    data = compressed;
  } else {
    try {
      // maxOutputLength stops inflating as soon as the output passes the limit: a bomb never fills memory.
      data = inflateRawSync(compressed, { maxOutputLength: Math.max(1, limit) });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ERR_BUFFER_TOO_LARGE" || error instanceof RangeError) {
        throw new ZipError(
          limit < entry.uncompressedSize
            ? `inflates past the bound of ${MAX_ZIP_UNCOMPRESSED_BYTES} bytes for the whole zip (MAX_ZIP_UNCOMPRESSED_BYTES)`
            : `inflates to more than the ${entry.uncompressedSize} bytes it declares`,
          entry.rawPath,
        );
      }
      throw new ZipError(`corrupt deflate data (${(error as Error).message})`, entry.rawPath);
    }
  }
  if (data.length !== entry.uncompressedSize) {
    throw new ZipError(`holds ${data.length} bytes but declares ${entry.uncompressedSize}`, entry.rawPath);
  }
  if (crc32(data) !== entry.crc) throw new ZipError("fails its CRC-32 check (the zip is damaged)", entry.rawPath);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

let crcTable: Uint32Array | undefined;

function crc32(data: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (const byte of data) crc = crcTable[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
