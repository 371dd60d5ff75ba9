import * as React from "react";

/** How long a finger must rest on a card before it lifts; shorter presses and swipes scroll the lane as usual. */
export const LONG_PRESS_MS = 400;
const MOVE_TOLERANCE_PX = 8;

function laneKeyAt(x: number, y: number): string | null {
  const element = document.elementFromPoint(x, y);
  return element?.closest("[data-lane-key]")?.getAttribute("data-lane-key") ?? null;
}

/**
 * Drag for touch and pen, where HTML5 drag events do not fire: a long press lifts the card, moving the finger
 * marks the lane under it, lifting the finger drops it there.
 */
export function useTouchDrag(onHover: (laneKey: string | null) => void, onDrop: (cardId: string, laneKey: string) => void) {
  const cleanup = React.useRef<(() => void) | null>(null);
  React.useEffect(() => () => cleanup.current?.(), []);
  return React.useCallback(
    (cardId: string, event: React.PointerEvent<HTMLElement>) => {
      if (event.pointerType === "mouse") return;
      cleanup.current?.();
      const startX = event.clientX;
      const startY = event.clientY;
      let lifted = false;
      let over: string | null = null;
      const timer = window.setTimeout(() => {
        lifted = true;
      }, LONG_PRESS_MS);
      const move = (e: PointerEvent) => {
        if (!lifted) {
          if (Math.abs(e.clientX - startX) > MOVE_TOLERANCE_PX || Math.abs(e.clientY - startY) > MOVE_TOLERANCE_PX) stop();
          return;
        }
        e.preventDefault();
        over = laneKeyAt(e.clientX, e.clientY);
        onHover(over);
      };
      const up = (e: PointerEvent) => {
        const target = lifted ? (laneKeyAt(e.clientX, e.clientY) ?? over) : null;
        stop();
        if (target !== null) onDrop(cardId, target);
      };
      const stop = () => {
        window.clearTimeout(timer);
        window.removeEventListener("pointermove", move);
        window.removeEventListener("pointerup", up);
        window.removeEventListener("pointercancel", stop);
        cleanup.current = null;
        if (lifted) onHover(null);
      };
      window.addEventListener("pointermove", move, { passive: false });
      window.addEventListener("pointerup", up);
      window.addEventListener("pointercancel", stop);
      cleanup.current = stop;
    },
    [onHover, onDrop],
  );
}
