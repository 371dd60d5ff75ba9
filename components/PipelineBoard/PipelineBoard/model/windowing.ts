/**
 * Which cards of a lane to render: only those in or near the visible part of the lane's scroll area, so a lane of
 * 20,000 cards costs about what a lane of 20 does. Cards have a fixed height, which makes this arithmetic.
 */
export interface WindowRange {
  /** First index to render. */
  readonly start: number;
  /** One past the last index to render. */
  readonly end: number;
}

/**
 * `overscan` cards beyond each edge: a wheel or key step moves a card or so, and every card drawn but not seen is
 * work in the first frame (a third of it at three a side).
 */
export function visibleRange(scrollTop: number, viewportHeight: number, itemHeight: number, count: number, overscan = 1): WindowRange {
  if (count <= 0 || itemHeight <= 0) return { start: 0, end: 0 };
  const first = Math.floor(Math.max(0, scrollTop) / itemHeight);
  const visible = Math.ceil(Math.max(0, viewportHeight) / itemHeight) + 1;
  const start = Math.max(0, Math.min(count - 1, first) - overscan);
  const end = Math.min(count, first + visible + overscan);
  return { start, end };
}

/** The scrollTop that brings item `index` fully into view, or the current one when it already is. */
export function scrollToShow(index: number, scrollTop: number, viewportHeight: number, itemHeight: number): number {
  const top = index * itemHeight;
  if (top < scrollTop) return top;
  if (top + itemHeight > scrollTop + viewportHeight) return Math.max(0, top + itemHeight - viewportHeight);
  return scrollTop;
}
