/**
 * What updateView returns: a small component that draws the board from the control's latest state and redraws when
 * the control says that state changed (the rest of a page read, lane metadata, whole-view totals, a selection…). Hosts
 * differ in what `context.factory.requestRender()` does: a model-driven app calls updateView again, stock pcf-start
 * 1.51.1 does nothing. Redrawing from React state keeps the board's own progress independent of either.
 */
import * as React from "react";
import { Board, type BoardProps } from "./Board";

export interface BoardSource {
  /** Goes up by one at every change the board should show. */
  version(): number;
  /** Calls `listener` after each change; returns the function that stops it. */
  subscribe(listener: () => void): () => void;
  /** The board's props from the control's latest context and state. */
  boardProps(): BoardProps;
}

export interface BoardHostProps {
  readonly source: BoardSource;
  /** Which updateView drew this element: a new one each time, so the host's redraw reaches the board. */
  readonly render: number;
}

export function BoardHost({ source }: BoardHostProps): React.ReactElement {
  const [, setSeen] = React.useState(source.version());
  React.useEffect(() => {
    const update = () => setSeen(source.version());
    const stop = source.subscribe(update);
    // A change between the first draw and this subscription (a metadata answer already resolved) is drawn now.
    update();
    return stop;
  }, [source]);
  return React.createElement(Board, source.boardProps());
}
