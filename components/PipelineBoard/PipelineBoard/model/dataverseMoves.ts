/** The move services over a Dataverse client: write only the lane column, with the card's etag, and read back. */
import { type DataverseClient, DataverseError, etagOf } from "@tcc/common";
import type { MoveServices } from "./moves";

export function dataverseMoveServices(
  client: Pick<DataverseClient, "update" | "retrieve">,
  table: string,
  laneColumn: string,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): MoveServices {
  const reload = async (id: string) => {
    const row = await client.retrieve(table, id, { select: [laneColumn] });
    const value = row[laneColumn];
    const etag = etagOf(row);
    return { laneValue: typeof value === "number" ? value : null, ...(etag !== undefined && { etag }) };
  };
  return {
    save: async (id, laneValue, etag, loadedLane) => {
      let ifMatch = etag;
      if (ifMatch === undefined) {
        // No row version was loaded: read the row now, refuse if its lane is no longer the one the user saw, and
        // send the etag just read so a save between this read and the update still gets 412.
        const current = await reload(id);
        if (current.laneValue !== loadedLane) {
          throw new DataverseError("concurrency", `${table} ${id}: ${laneColumn} changed since the board loaded it`, 412);
        }
        ifMatch = current.etag;
      }
      await client.update(table, id, { [laneColumn]: laneValue }, ifMatch === undefined ? {} : { etag: ifMatch });
    },
    reload,
    sleep,
  };
}
