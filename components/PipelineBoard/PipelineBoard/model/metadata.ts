/**
 * Lane options from `context.utils.getEntityMetadata`. PCF types that result as `{ [key: string]: any }`; at run time
 * it is Xrm's EntityMetadata, whose `Attributes` collection has `get(name)` and whose option-set attributes carry
 * `OptionSet` (Value, Label, Color, and State on status reasons). Read defensively: a missing piece gives no lanes
 * from metadata rather than an exception.
 */
import type { LaneOption } from "./lanes";
import type { LaneColumnKind } from "./moves";

function record(value: unknown): Readonly<Record<string, unknown>> | null {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : null;
}

function attributeOf(metadata: unknown, column: string): Readonly<Record<string, unknown>> | null {
  const attributes = record(record(metadata)?.Attributes);
  if (!attributes) return null;
  const get = attributes.get;
  const found: unknown = typeof get === "function" ? (get as (name: string) => unknown).call(attributes, column) : record(attributes._collection)?.[column];
  const attribute = record(found);
  return record(attribute?.attributeDescriptor) ?? attribute;
}

const KIND_BY_TYPE: Readonly<Record<string, LaneColumnKind>> = {
  "12": "state",
  "13": "status",
  state: "state",
  status: "status",
};

export interface LaneMetadata {
  readonly options: LaneOption[];
  readonly kind: LaneColumnKind;
}

export function laneMetadataOf(metadata: unknown, column: string): LaneMetadata {
  const attribute = attributeOf(metadata, column);
  const rawType = attribute?.AttributeType ?? attribute?.attributeType;
  const type = typeof rawType === "number" || typeof rawType === "string" ? String(rawType).toLowerCase() : "";
  const kind = KIND_BY_TYPE[type] ?? (column === "statecode" ? "state" : column === "statuscode" ? "status" : "choice");
  const raw = attribute?.OptionSet ?? record(attribute?.OptionSet)?.Options;
  const options: LaneOption[] = [];
  if (Array.isArray(raw)) {
    for (const item of raw as unknown[]) {
      const option = record(item);
      const value = option?.Value;
      if (typeof value !== "number") continue;
      const label = option?.Label;
      const color = option?.Color;
      const state = option?.State;
      options.push({
        value,
        label: typeof label === "string" && label !== "" ? label : String(value),
        ...(typeof color === "string" && /^#[0-9a-f]{6}$/i.test(color) && { color }),
        ...(typeof state === "number" && { state }),
      });
    }
  }
  return { options, kind };
}
