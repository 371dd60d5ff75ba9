/**
 * Keyboard use of the board: arrows walk between cards and lanes, Alt (Option) + Left/Right moves the focused card
 * to the neighbouring lane a move may go to, Shift+F10 or the context-menu key opens "Move to…", Space selects the
 * card for the view's command bar, Enter opens the record. And the text a screen reader announces for each step of a move.
 */
import { DATAVERSE_ERROR_MESSAGE_KEYS, type DataverseErrorKind } from "@tcc/common";
import type { Lane } from "./lanes";
import type { MoveEvent, MoveRefusal } from "./moves";
import type { StringKey, Translate } from "../strings";

export interface KeyInput {
  readonly key: string;
  readonly altKey: boolean;
  readonly ctrlKey: boolean;
  readonly shiftKey: boolean;
  readonly metaKey: boolean;
}

export type KeyCommand =
  | { readonly type: "open" }
  | { readonly type: "select" }
  | { readonly type: "menu" }
  | { readonly type: "moveBy"; readonly step: -1 | 1 }
  | { readonly type: "focusCard"; readonly step: -1 | 1 | "first" | "last" }
  | { readonly type: "focusLane"; readonly step: -1 | 1 };

export function keyCommand(input: KeyInput): KeyCommand | null {
  const { key, altKey, ctrlKey, shiftKey, metaKey } = input;
  if (ctrlKey || metaKey) return null;
  if (key === "ContextMenu" || (shiftKey && key === "F10")) return { type: "menu" };
  if (shiftKey) return null;
  if (altKey) {
    if (key === "ArrowRight") return { type: "moveBy", step: 1 };
    if (key === "ArrowLeft") return { type: "moveBy", step: -1 };
    return null;
  }
  switch (key) {
    case "Enter":
      return { type: "open" };
    case " ":
    case "Spacebar":
      return { type: "select" };
    case "ArrowDown":
      return { type: "focusCard", step: 1 };
    case "ArrowUp":
      return { type: "focusCard", step: -1 };
    case "Home":
      return { type: "focusCard", step: "first" };
    case "End":
      return { type: "focusCard", step: "last" };
    case "ArrowRight":
      return { type: "focusLane", step: 1 };
    case "ArrowLeft":
      return { type: "focusLane", step: -1 };
    default:
      return null;
  }
}

/**
 * The lane a step of `moveBy` lands on: the nearest lane in that direction a card can be moved to, skipping lanes
 * `canMoveTo` rejects; null at the end of the board.
 */
export function neighbourLane(lanes: readonly Lane[], fromKey: string, step: -1 | 1, canMoveTo: (lane: Lane) => boolean): Lane | null {
  const start = lanes.findIndex((l) => l.key === fromKey);
  if (start < 0) return null;
  for (let i = start + step; i >= 0 && i < lanes.length; i += step) {
    if (canMoveTo(lanes[i])) return lanes[i];
  }
  return null;
}

const REFUSAL_KEYS: Readonly<Record<MoveRefusal, StringKey>> = {
  disabled: "Move_Refused_Disabled",
  turnedOff: "Move_Refused_TurnedOff",
  noPrivilege: "Move_Refused_NoPrivilege",
  dialog: "Move_Refused_Dialog",
  saving: "Move_Refused_Saving",
  sameLane: "Move_Refused_SameLane",
  unknownLane: "Move_Refused_SameLane",
};

export function refusalText(t: Translate, refusal: MoveRefusal, cardName: string, laneLabel: string): string {
  return t(REFUSAL_KEYS[refusal], cardName, laneLabel);
}

/** A move can also fail for reasons of the board's own ("saving"); those get the generic message. */
export function errorText(t: Translate, errorKind: string): string {
  const known = Object.prototype.hasOwnProperty.call(DATAVERSE_ERROR_MESSAGE_KEYS, errorKind);
  return t(DATAVERSE_ERROR_MESSAGE_KEYS[known ? (errorKind as DataverseErrorKind) : "unknown"]);
}

/** What a screen reader hears for a move event, and what the board's message bar shows for failures. */
export function moveEventText(t: Translate, event: MoveEvent, cardName: string, laneLabel: (value: number | null) => string): string {
  switch (event.type) {
    case "moved":
      return t("Move_Announce_Moved", cardName, laneLabel(event.from), laneLabel(event.to));
    case "retrying":
      return t("Move_Announce_Retrying", Math.ceil(event.delayMs / 1000), cardName);
    case "saved":
      return t("Move_Announce_Saved", cardName, laneLabel(event.laneValue));
    case "conflict":
      return t("Move_Conflict", cardName, laneLabel(event.laneValue));
    case "failed":
      return t("Move_Failed", cardName, event.reason ?? errorText(t, event.errorKind), laneLabel(event.laneValue));
  }
}
