/**
 * Zip containers as solution exports write them: every entry deflated, no directory entries, `/` separators, entries in
 * the order given. Timestamps are fixed so that the same parts always give the same bytes.
 */
import { unzipSync, zipSync, type Zippable } from "fflate";

export interface ZipPart {
  path: string;
  data: Uint8Array;
}

export interface ZipEntryInfo {
  path: string;
  method: number;
  isDirectory: boolean;
}

/** The DOS epoch, built from local components because zip times are local times: the same bytes in every time zone. */
const FIXED_TIME = new Date(1980, 0, 1, 0, 0, 0);

export function writeZip(parts: ZipPart[]): Uint8Array {
  const files: Zippable = {};
  for (const part of parts) files[part.path] = [part.data, { level: 6, mtime: FIXED_TIME }];
  return zipSync(files);
}

/** Parts in entry order; directory entries are skipped. */
export function readZip(bytes: Uint8Array): ZipPart[] {
  const order = listZipEntries(bytes)
    .filter((e) => !e.isDirectory)
    .map((e) => e.path);
  const contents = unzipSync(bytes);
  return order.map((path) => ({ path, data: contents[path] }));
}

/** Reads the central directory, which fflate does not expose, to check how each entry was stored. */
export function listZipEntries(bytes: Uint8Array): ZipEntryInfo[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let end = bytes.length - 22;
  while (end >= 0 && view.getUint32(end, true) !== 0x06054b50) end--;
  if (end < 0) throw new Error("not a zip file: no end of central directory record");
  const count = view.getUint16(end + 10, true);
  let offset = view.getUint32(end + 16, true);
  const entries: ZipEntryInfo[] = [];
  const decoder = new TextDecoder();
  for (let i = 0; i < count; i++) {
    if (view.getUint32(offset, true) !== 0x02014b50) throw new Error("corrupt zip: bad central directory entry");
    const method = view.getUint16(offset + 10, true);
    const nameLength = view.getUint16(offset + 28, true);
    const extraLength = view.getUint16(offset + 30, true);
    const commentLength = view.getUint16(offset + 32, true);
    const path = decoder.decode(bytes.subarray(offset + 46, offset + 46 + nameLength));
    entries.push({ path, method, isDirectory: path.endsWith("/") });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}
