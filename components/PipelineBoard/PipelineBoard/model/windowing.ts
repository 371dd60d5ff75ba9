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
 * The cards any part of which is in view, and `overscan` more beyond each edge once the lane is scrolled: a wheel or
 * key step moves a card or so. At the top nothing is drawn below the fold: every card drawn but not seen is work in
 * the first frame (layout of the first frame is mostly the cards).
 */
export function visibleRange(scrollTop: number, viewportHeight: number, itemHeight: number, count: number, overscan = 1): WindowRange {
  if (count <= 0 || itemHeight <= 0) return { start: 0, end: 0 };
  const top = Math.max(0, scrollTop);
  const first = Math.floor(top / itemHeight);
  const past = Math.ceil((top + Math.max(0, viewportHeight)) / itemHeight);
  const start = Math.max(0, Math.min(count - 1, first) - overscan);
  const end = Math.min(count, past + (top > 0 ? overscan : 0));
  return { start, end };
}

/** The scrollTop that brings item `index` fully into view, or the current one when it already is. */
export function scrollToShow(index: number, scrollTop: number, viewportHeight: number, itemHeight: number): number {
  const top = index * itemHeight;
  if (top < scrollTop) return top;
  if (top + itemHeight > scrollTop + viewportHeight) return Math.max(0, top + itemHeight - viewportHeight);
  return scrollTop;
}
