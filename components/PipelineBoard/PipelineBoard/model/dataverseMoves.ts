/** The move services over a Dataverse client: write only the lane column, with the card's etag, and read back. */
import { type DataverseClient, DataverseError, etagOf, formattedValueOf } from "@tcc/common";
import type { MoveServices, ServerTruth } from "./moves";

/** `statecode` 0 is the open or active state of every table that has a state (Open for opportunities, Active elsewhere). */
const OPEN_STATE = 0;

/** How a refusal is worded, in the user's language. */
export interface RecordGoneTexts {
  /** The record is no longer open; `state` is its state's label (Won, Lost, Inactive…). */
  notOpen(state: string): string;
  deleted(): string;
}

/**
 * A move refused because the record left the state the board shows: closed, deactivated or deleted by someone else.
 * The card cannot be saved and leaves the board once the view is read again.
 */
export class RecordGone extends Error {
  readonly kind = "recordGone";

  constructor(readonly reason: string) {
    super(reason);
  }
}

interface Current extends ServerTruth {
  /** The state's label when the record is no longer open. */
  readonly closedAs?: string;
}

export function dataverseMoveServices(
  client: Pick<DataverseClient, "update" | "retrieve">,
  table: string,
  laneColumn: string,
  texts: RecordGoneTexts,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): MoveServices {
  const read = async (id: string): Promise<Current> => {
    let row;
    try {
      row = await client.retrieve(table, id, { select: [laneColumn, "statecode"] });
    } catch (error) {
      if (error instanceof DataverseError && error.kind === "notFound") throw new RecordGone(texts.deleted());
      throw error;
    }
    const value = row[laneColumn];
    const etag = etagOf(row);
    const state = row.statecode;
    return {
      laneValue: typeof value === "number" ? value : null,
      ...(etag !== undefined && { etag }),
      ...(typeof state === "number" && state !== OPEN_STATE && { closedAs: formattedValueOf(row, "statecode") ?? String(state) }),
    };
  };
  const openOrRefuse = (current: Current): Current => {
    if (current.closedAs !== undefined) throw new RecordGone(texts.notOpen(current.closedAs));
    return current;
  };
  const reload = async (id: string): Promise<ServerTruth> => {
    const { laneValue, etag } = openOrRefuse(await read(id));
    return { laneValue, ...(etag !== undefined && { etag }) };
  };
  return {
    save: async (id, laneValue, etag, loadedLane) => {
      let ifMatch = etag;
      if (ifMatch === undefined) {
        // No row version was loaded: read the row now, refuse if it is closed or its lane is no longer the one the
        // user saw, and send the etag just read so a save between this read and the update still gets 412.
        const current = openOrRefuse(await read(id));
        if (current.laneValue !== loadedLane) {
          throw new DataverseError("concurrency", `${table} ${id}: ${laneColumn} changed since the board loaded it`, 412);
        }
        ifMatch = current.etag;
      }
      try {
        await client.update(table, id, { [laneColumn]: laneValue }, ifMatch === undefined ? {} : { etag: ifMatch });
      } catch (error) {
        if (error instanceof DataverseError && error.kind === "notFound") throw new RecordGone(texts.deleted());
        // Closing or deleting a record changes its version too: say so rather than only "changed". If that read
        // fails for another reason, the 412 stands and the board shows the server's lane as for any conflict.
        if (error instanceof DataverseError && error.kind === "concurrency") {
          const current = await read(id).catch((readError: unknown) => {
            if (readError instanceof RecordGone) throw readError;
            return undefined;
          });
          if (current !== undefined) openOrRefuse(current);
        }
        throw error;
      }
    },
    reload,
    sleep,
  };
}
