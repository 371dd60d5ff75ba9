import * as React from "react";
import { mergeStyleSets } from "@fluentui/react";
import { boardText } from "./palette";
import type { BoardCard } from "../model/card";
import type { GroupedLane } from "../model/lanes";
import type { LaneFigure } from "../model/pagedLanes";
import { AGGREGATE_LIMIT } from "../model/serverLanes";
import { type LaneTotals } from "../model/lanes";
import type { NumberFormatter } from "../model/format";
import { scrollToShow, visibleRange } from "../model/windowing";
import type { Translate } from "../strings";
import { CARD_HEIGHT, CardView, type CardViewProps } from "./CardView";
import { ErrorBoundary, InlineNotice } from "../../../common/src/ui/ErrorBoundary";

// Plain elements, not Fluent ActionButton and Text: a lane header is drawn for every lane in the first frame.
const styles = mergeStyleSets({
  lane: {
    flex: "0 0 272px",
    display: "flex",
    flexDirection: "column",
    background: "var(--pb-lane)",
    borderRadius: 4,
    borderTop: "4px solid transparent",
    selectors: { "@media (forced-colors: active)": { border: "1px solid CanvasText" } },
  },
  collapsed: { flex: "0 0 48px" },
  full: { flex: "1 1 auto" },
  dropTarget: { outline: "2px dashed var(--pb-accent)", outlineOffset: -2 },
  header: { padding: "4px 8px" },
  toggle: {
    ...boardText.medium,
    display: "block",
    fontWeight: 600,
    height: 28,
    padding: 0,
    maxWidth: "100%",
    border: "none",
    background: "transparent",
    color: "var(--pb-text)",
    cursor: "pointer",
    whiteSpace: "nowrap",
    overflow: "hidden",
    textOverflow: "ellipsis",
    selectors: {
      ":hover": { color: "var(--pb-accent)" },
      ":focus-visible": { outline: "2px solid var(--pb-accent)" },
      "@media (forced-colors: active)": { color: "ButtonText" },
    },
  },
  figures: { ...boardText.small, display: "flex", flexWrap: "wrap", gap: "2px 10px", color: "var(--pb-text)" },
  body: { position: "relative", overflowY: "auto", overflowX: "hidden", padding: "0 8px", flex: "1 1 auto" },
  empty: { ...boardText.medium, display: "block", padding: 8, color: "var(--pb-muted)" },
  placeholder: {
    ...boardText.small,
    position: "absolute",
    left: 0,
    right: 0,
    height: CARD_HEIGHT - 8,
    boxSizing: "border-box",
    padding: 8,
    borderRadius: 4,
    background: "var(--pb-card)",
    color: "var(--pb-muted)",
  },
  laneError: { ...boardText.small, display: "block", padding: "4px 8px", color: "var(--pb-danger)" },
  retry: { ...boardText.small, marginLeft: 6, border: "none", background: "transparent", color: "var(--pb-accent)", cursor: "pointer", textDecoration: "underline" },
  failedCard: { position: "absolute", left: 0, right: 0, height: CARD_HEIGHT - 8, boxSizing: "border-box", background: "var(--pb-card)", color: "var(--pb-danger)" },
});

export interface LaneColumnProps extends Pick<CardViewProps, "today" | "t" | "onOpen" | "onSelect" | "onContextMenu" | "onKeyDown" | "onFocus" | "onMoveMenu" | "onTeamsMenu" | "onDragStart" | "onPointerDown"> {
  readonly group: GroupedLane<BoardCard>;
  readonly totals: LaneTotals;
  /**
   * For a lane that pages its own cards: what its header can say (a count still running, or more than Dataverse
   * counts). Absent, the header shows `totals`.
   */
  readonly figure?: LaneFigure;
  /** A lane that pages its own cards is told which indexes the user looks at; holes in `group.cards` are being read. */
  readonly onRange?: (laneKey: string, start: number, end: number) => void;
  /** Why the lane's cards could not be read, with a way to try again. */
  readonly loadError?: string;
  readonly onRetry?: (laneKey: string) => void;
  readonly formatTotal: NumberFormatter;
  /** Whether the header shows the sum of amounts and the probability-weighted sum (the view has those columns). */
  readonly showSum: boolean;
  readonly showWeighted: boolean;
  readonly height: number;
  readonly collapsed: boolean;
  readonly onToggle: (laneKey: string) => void;
  /** Ids of this lane's cards with a save in flight, space-separated: a string, so the memoised lane compares it by value. */
  readonly savingIds: string;
  /** The selected card's id when it is in this lane, else "": a selection redraws only the lanes it enters and leaves. */
  readonly selectedId: string;
  readonly canMove: boolean;
  /** Index of the card with keyboard focus in this lane, if any. */
  readonly focusIndex: number | null;
  /** Index of the card that is the board's Tab stop, if it is in this lane. */
  readonly tabStopIndex: number | null;
  readonly dropTarget: boolean;
  /** Take the board's whole width (narrow layout, one lane at a time). */
  readonly full?: boolean;
  readonly onDragOver: (laneKey: string, event: React.DragEvent<HTMLElement>) => void;
  readonly onDrop: (laneKey: string, event: React.DragEvent<HTMLElement>) => void;
  readonly t: Translate;
}

function countText(t: Translate, totals: LaneTotals, figure: LaneFigure | undefined): string {
  switch (figure?.state) {
    case "counting":
      return t("Lane_Counting");
    case "overLimit":
      return t("Lane_CountAtLeast", AGGREGATE_LIMIT.toLocaleString());
    case "unavailable":
      return t("Lane_CountUnavailable");
    default:
      return t("Lane_Count", totals.count);
  }
}

function Header({ group, totals, figure, formatTotal, showSum, showWeighted, collapsed, onToggle, t }: Pick<LaneColumnProps, "group" | "totals" | "figure" | "formatTotal" | "showSum" | "showWeighted" | "collapsed" | "onToggle" | "t">) {
  const { lane } = group;
  const counted = figure === undefined || figure.state === "counted";
  return (
    <div className={styles.header}>
      <button
        type="button"
        className={styles.toggle}
        aria-expanded={!collapsed}
        title={t(collapsed ? "Lane_Expand" : "Lane_Collapse", lane.label)}
        onClick={() => onToggle(lane.key)}
      >
        {collapsed ? `${lane.label} (${counted ? totals.count : countText(t, totals, figure)})` : lane.label}
      </button>
      {!collapsed && (
        <div className={styles.figures} aria-describedby="pipelineboard-totals-scope">
          <span>{countText(t, totals, figure)}</span>
          {showSum && counted && <span>{t("Lane_Sum", formatTotal(totals.amount))}</span>}
          {showWeighted && counted && <span>{t("Lane_Weighted", formatTotal(totals.weighted))}</span>}
        </div>
      )}
    </div>
  );
}

/** A lane: header with totals, then a scroll area rendering only the cards in view. Memoised: see Board's lane props. */
export const LaneColumn = React.memo(function LaneColumn(props: LaneColumnProps) {
  const { group, height, collapsed, focusIndex } = props;
  const [scrollTop, setScrollTop] = React.useState(0);
  const body = React.useRef<HTMLDivElement>(null);
  const viewport = Math.max(CARD_HEIGHT, height);
  // Scrolled before the paint, so the lane never shows the window it is about to leave.
  React.useLayoutEffect(() => {
    if (focusIndex === null || !body.current) return;
    const next = scrollToShow(focusIndex, body.current.scrollTop, viewport, CARD_HEIGHT);
    if (next !== body.current.scrollTop) {
      body.current.scrollTop = next;
      setScrollTop(next);
    }
  }, [focusIndex, viewport]);
  const { start, end } = visibleRange(scrollTop, viewport, CARD_HEIGHT, group.cards.length);
  const { onRange } = props;
  const laneKey = group.lane.key;
  React.useEffect(() => {
    if (!collapsed) onRange?.(laneKey, start, end);
  }, [onRange, laneKey, start, end, collapsed]);
  const slots: { index: number; card: BoardCard | undefined }[] = [];
  for (let index = start; index < end; index++) slots.push({ index, card: group.cards[index] });
  const saving = React.useMemo(() => new Set(props.savingIds.split(" ")), [props.savingIds]);
  const className = [styles.lane, props.full ? styles.full : "", collapsed ? styles.collapsed : "", props.dropTarget ? styles.dropTarget : ""].join(" ");
  return (
    <section
      className={className}
      style={group.lane.color ? { borderTopColor: group.lane.color } : undefined}
      aria-label={group.lane.label}
      data-lane-key={group.lane.key}
      onDragOver={(event) => props.onDragOver(group.lane.key, event)}
      onDrop={(event) => props.onDrop(group.lane.key, event)}
    >
      <Header {...props} />
      {!collapsed && (
        <div
          ref={body}
          className={styles.body}
          style={{ height: viewport }}
          role="list"
          aria-label={group.lane.label}
          onScroll={(event) => setScrollTop(event.currentTarget.scrollTop)}
        >
          {props.loadError !== undefined && (
            <span className={styles.laneError} role="alert">
              {props.t("Lane_LoadFailed", props.loadError)}
              {props.onRetry && (
                <button type="button" className={styles.retry} onClick={() => props.onRetry?.(laneKey)}>
                  {props.t("Lane_Retry")}
                </button>
              )}
            </span>
          )}
          {group.cards.length === 0 && props.figure?.state !== "counting" && <span className={styles.empty}>{props.t("Lane_Empty")}</span>}
          <div style={{ height: group.cards.length * CARD_HEIGHT, position: "relative" }}>
            {slots.map(({ index, card }) =>
              card === undefined ? (
                <div key={`slot-${index}`} role="listitem" aria-busy="true" className={styles.placeholder} style={{ top: index * CARD_HEIGHT }}>
                  {props.t("Lane_CardLoading")}
                </div>
              ) : (
              // One card that cannot be drawn leaves a notice in its place; the lane and the board keep working.
              <ErrorBoundary
                key={card.id}
                resetKeys={[card, props.t]}
                fallback={() => (
                  <InlineNotice
                    part="card"
                    role="listitem"
                    recordId={card.id}
                    text={props.t("Boundary_Card")}
                    className={styles.failedCard}
                    style={{ top: index * CARD_HEIGHT }}
                  />
                )}
              >
                <CardView
                  card={card}
                  top={index * CARD_HEIGHT}
                  today={props.today}
                  t={props.t}
                  saving={saving.has(card.id)}
                  selected={props.selectedId === card.id}
                  canMove={props.canMove}
                  focused={focusIndex === index}
                  tabStop={props.tabStopIndex === index}
                  onOpen={props.onOpen}
                  onSelect={props.onSelect}
                  onContextMenu={props.onContextMenu}
                  onKeyDown={props.onKeyDown}
                  onFocus={props.onFocus}
                  onMoveMenu={props.onMoveMenu}
                  {...(props.onTeamsMenu && { onTeamsMenu: props.onTeamsMenu })}
                  onDragStart={props.onDragStart}
                  onPointerDown={props.onPointerDown}
                />
              </ErrorBoundary>
              ),
            )}
          </div>
        </div>
      )}
    </section>
  );
});
