/** The move services over a Dataverse client: write only the lane column, with the card's etag, and read back. */
import { type DataverseClient, etagOf } from "@tcc/common";
import type { MoveServices } from "./moves";

export function dataverseMoveServices(
  client: Pick<DataverseClient, "update" | "retrieve">,
  table: string,
  laneColumn: string,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): MoveServices {
  return {
    save: (id, laneValue, etag) => client.update(table, id, { [laneColumn]: laneValue }, etag === undefined ? {} : { etag }),
    reload: async (id) => {
      const row = await client.retrieve(table, id, { select: [laneColumn] });
      const value = row[laneColumn];
      const etag = etagOf(row);
      return { laneValue: typeof value === "number" ? value : null, ...(etag !== undefined && { etag }) };
    },
    sleep,
  };
}
