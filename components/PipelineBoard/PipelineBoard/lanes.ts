import type { BoardLane } from "./Board";

export interface LaneInput {
  id: string;
  name: string;
  laneLabel: string | null | undefined;
}

/** Groups records into lanes in the order lanes are first met; records without a value go to the "no value" lane, last. */
export function groupIntoLanes(records: LaneInput[], noValueLabel: string): BoardLane[] {
  const lanes = new Map<string, BoardLane>();
  const noValue: BoardLane = { key: "", label: noValueLabel, cards: [] };
  for (const record of records) {
    const label = record.laneLabel?.trim();
    let lane = label ? lanes.get(label) : noValue;
    if (!lane) {
      lane = { key: label ?? "", label: label ?? noValueLabel, cards: [] };
      lanes.set(lane.key, lane);
    }
    lane.cards.push({ id: record.id, name: record.name });
  }
  return noValue.cards.length > 0 ? [...lanes.values(), noValue] : [...lanes.values()];
}
