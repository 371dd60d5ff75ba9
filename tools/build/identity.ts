/**
 * Identifiers the build derives instead of storing: they must be the same on every build and every machine, because
 * Dataverse matches components across versions by them (a new connector id on each build would orphan connections).
 */
import { createHash } from "node:crypto";

/** A name-based (version 5) UUID in our own namespace, lower case, without braces. */
export function stableGuid(name: string): string {
  const hash = createHash("sha1").update("teamscustomercollab:").update(name).digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const GUID = /^\{?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}?$/;

/** Solution versions are two to four dot-separated numbers, each within what Dataverse stores (0..2147483647). */
export const VERSION = /^\d{1,10}(\.\d{1,10}){1,3}$/;

export function isVersion(text: string): boolean {
  return VERSION.test(text) && text.split(".").every((part) => Number(part) <= 2147483647);
}

/** Custom connector names as Dataverse writes them: prefix, `_`, then the lower-case display name with each
 * character outside [a-z0-9] written as `-` and its hex code (`Teams Link` -> `teams-20link`). */
export function connectorName(prefix: string, displayName: string): string {
  const encoded = [...displayName.toLowerCase()]
    .map((c) => (/[a-z0-9]/.test(c) ? c : [...Buffer.from(c, "utf8")].map((b) => `-${b.toString(16).padStart(2, "0")}`).join("")))
    .join("");
  return `${prefix}_${encoded}`;
}

/**
 * The API name an environment gives a custom connector: `shared_` + its name with `_` as `-5f` + `-5f` + 18 hex
 * digits. The digits differ per environment and import rebinds them through the connector's logical name; we derive
 * them from the name so every build writes the same ones.
 */
export function connectorApiName(name: string): string {
  const suffix = createHash("sha1").update(name).digest("hex").slice(0, 18);
  return `shared_${name.toLowerCase().replace(/_/g, "-5f")}-5f${suffix}`;
}
