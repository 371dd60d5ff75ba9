import * as React from "react";
import { mergeStyleSets } from "@fluentui/react";
import { boardText } from "./palette";
import { type BoardCard, isOverdue } from "../model/card";
import type { Translate } from "../strings";

/**
 * Six cards a lane at 760 px (issue 16 item 6). A card holds, in lines of fixed height: the name (one or two lines of
 * 18 px), account and the view's first other column (the rating), amount and probability, close date and owner (16 px
 * each), the menu buttons (18 px), within 5 px padding and a 1 px border: 118 px at most, in 126 - 6 (gap).
 */
export const CARD_HEIGHT = 126;
const CARD_GAP = 6;

// A card is plain elements styled once per board, not Fluent Text and ActionButton: with some forty cards on screen
// those components were most of the first render's script and DOM nodes, and a card needs none of their behaviour.
const styles = mergeStyleSets({
  card: {
    position: "absolute",
    left: 0,
    right: 0,
    height: CARD_HEIGHT - CARD_GAP,
    boxSizing: "border-box",
    padding: "5px 10px",
    borderRadius: 4,
    background: "var(--pb-card)",
    color: "var(--pb-text)",
    border: "1px solid var(--pb-border)",
    boxShadow: "0 1px 2px rgba(0,0,0,0.08)",
    overflow: "hidden",
    cursor: "pointer",
    outline: "none",
    touchAction: "pan-y",
    // One grid instead of a flex row per pair of facts: a card is drawn some thirty times in the first frame.
    display: "grid",
    gridTemplateColumns: "minmax(0, 1fr) auto",
    // The name's row takes what the other rows leave, at least one line: a wrapped name never pushes the card's
    // buttons out of its fixed height.
    gridTemplateRows: "minmax(18px, max-content)",
    columnGap: 8,
    alignContent: "start",
    selectors: {
      ":focus-visible": { outline: "2px solid var(--pb-accent)", outlineOffset: 1 },
      ":focus": { borderColor: "var(--pb-accent)" },
      "@media (forced-colors: active)": { border: "1px solid CanvasText", selectors: { ":focus": { outline: "2px solid Highlight" } } },
    },
  },
  saving: { opacity: 0.7 },
  // Selected for the view's command bar: a thicker accent border, and the system highlight in forced colours.
  selected: {
    borderColor: "var(--pb-accent)",
    boxShadow: "inset 0 0 0 1px var(--pb-accent)",
    selectors: { "@media (forced-colors: active)": { border: "2px solid Highlight" } },
  },
  // The name wraps onto a second line, breaking inside a long unbroken word (a URL, a run of CJK or of one letter)
  // rather than running out of the card; beyond two lines, or the room the card has, it ends in an ellipsis (the
  // card's accessible label carries it all). The one-line texts below end in an ellipsis.
  name: {
    ...boardText.medium,
    gridColumn: "1 / -1",
    fontWeight: 600,
    lineHeight: "18px",
    overflowWrap: "anywhere",
    wordBreak: "break-word",
    overflow: "hidden",
    display: "-webkit-box",
    WebkitLineClamp: 2,
    WebkitBoxOrient: "vertical",
  },
  left: { ...boardText.small, lineHeight: "16px", gridColumn: 1, whiteSpace: "nowrap", overflow: "hidden", textOverflow: "ellipsis" },
  right: { ...boardText.small, lineHeight: "16px", gridColumn: 2, justifySelf: "end", whiteSpace: "nowrap" },
  muted: { color: "var(--pb-muted)" },
  owner: { maxWidth: 120, minWidth: 0, overflow: "hidden", textOverflow: "ellipsis" },
  row: { gridColumn: "1 / -1", display: "flex", justifyContent: "space-between", gap: 8 },
  overdue: { color: "var(--pb-danger)", fontWeight: 600 },
  moveButton: {
    ...boardText.small,
    height: 18,
    lineHeight: "18px",
    padding: 0,
    border: "none",
    background: "transparent",
    color: "var(--pb-accent)",
    cursor: "pointer",
    selectors: {
      ":hover": { textDecoration: "underline" },
      "@media (forced-colors: active)": { color: "LinkText" },
    },
  },
});

export interface CardViewProps {
  readonly card: BoardCard;
  readonly top: number;
  readonly today: string;
  readonly t: Translate;
  readonly saving: boolean;
  readonly canMove: boolean;
  /** The card the view's command bar acts on (the dataset's selected record). */
  readonly selected: boolean;
  /** The board's one Tab stop (roving tabindex). */
  readonly tabStop: boolean;
  /** Keyboard navigation asked for focus here. */
  readonly focused: boolean;
  readonly onOpen: (card: BoardCard) => void;
  /** A click, a tap or Space: the card becomes the dataset's selected record. */
  readonly onSelect: (card: BoardCard) => void;
  /** Right-click or long-press menu: the board's own actions for the card. */
  readonly onContextMenu: (card: BoardCard, event: React.MouseEvent<HTMLElement>) => void;
  readonly onKeyDown: (card: BoardCard, event: React.KeyboardEvent<HTMLElement>) => void;
  readonly onFocus: (card: BoardCard) => void;
  readonly onMoveMenu: (card: BoardCard, target: HTMLElement) => void;
  /** Absent when the host offers no Teams actions. */
  readonly onTeamsMenu?: (card: BoardCard, target: HTMLElement) => void;
  readonly onDragStart: (card: BoardCard, event: React.DragEvent<HTMLElement>) => void;
  readonly onPointerDown: (card: BoardCard, event: React.PointerEvent<HTMLElement>) => void;
}

type CardContentProps = Pick<CardViewProps, "card" | "today" | "t" | "saving" | "canMove" | "onMoveMenu" | "onTeamsMenu">;

/**
 * What a card shows, memoised apart from where it sits: a move shifts the cards after it in both lanes, and a shift
 * changes only the outer element's `top`, not these Fluent texts and buttons.
 */
const CardContent = React.memo(function CardContent({ card, today, t, saving, canMove, onMoveMenu, onTeamsMenu }: CardContentProps) {
  const overdue = isOverdue(card, today);
  return (
    <>
      <span className={styles.name}>{card.name}</span>
      {card.account && <span className={`${styles.left} ${styles.muted}`}>{card.account}</span>}
      {card.details.slice(0, 1).map((detail) => (
        <span key={detail.label} className={`${styles.right} ${styles.muted} ${styles.owner}`} title={detail.label}>
          {detail.text}
        </span>
      ))}
      <span className={styles.left}>{card.amountText}</span>
      {card.probability !== null && <span className={styles.right}>{t("Card_Probability", card.probability)}</span>}
      <span className={overdue ? `${styles.left} ${styles.overdue}` : styles.left}>{overdue ? `${card.closeDateText} · ${t("Card_Overdue")}` : card.closeDateText}</span>
      <span className={`${styles.right} ${styles.muted} ${styles.owner}`}>{card.owner}</span>
      <div className={styles.row}>
        {onTeamsMenu && (
          <MenuButton label={t("Teams_Menu")} onOpen={(target) => onTeamsMenu(card, target)} />
        )}
        {saving ? (
          <span className={styles.left}>{t("Card_Saving")}</span>
        ) : (
          canMove && (
            <MenuButton label={t("Move_MenuLabel")} onOpen={(target) => onMoveMenu(card, target)} />
          )
        )}
      </div>
    </>
  );
});

/** A card's menu opener; out of the tab order (the card's own keys reach the same menus) and not a click on the card. */
function MenuButton({ label, onOpen }: { label: string; onOpen: (target: HTMLElement) => void }): React.ReactElement {
  return (
    <button
      type="button"
      className={styles.moveButton}
      tabIndex={-1}
      aria-haspopup="menu"
      onClick={(event) => {
        event.stopPropagation();
        onOpen(event.currentTarget);
      }}
    >
      {label}
    </button>
  );
}

/**
 * One deal. A click or tap selects it (the view's command bar then acts on it), a double click or Enter opens it, a
 * right-click opens the board's own menu; everything shown is text, so hostile names stay text. Memoised, so a move
 * redraws only the cards whose props changed.
 */
export const CardView = React.memo(function CardView(props: CardViewProps) {
  const { card, top, today, t, saving, canMove, focused, tabStop, selected } = props;
  const element = React.useRef<HTMLDivElement>(null);
  // Before the paint, not after it: the moved card is drawn focused in the frame that shows it, instead of a second
  // style and layout pass in the next.
  React.useLayoutEffect(() => {
    if (focused && element.current && document.activeElement !== element.current) element.current.focus();
  }, [focused]);
  const overdue = isOverdue(card, today);
  return (
    <div
      ref={element}
      role="listitem"
      tabIndex={tabStop ? 0 : -1}
      aria-label={[card.name, card.account, card.amountText, overdue ? t("Card_Overdue") : ""].filter(Boolean).join(", ")}
      aria-describedby="pipelineboard-shortcuts"
      aria-busy={saving}
      aria-current={selected ? "true" : undefined}
      data-card-id={card.id}
      data-selected={selected ? "true" : undefined}
      className={[styles.card, saving ? styles.saving : "", selected ? styles.selected : ""].join(" ")}
      style={{ top }}
      draggable={canMove && !saving}
      onClick={() => props.onSelect(card)}
      onDoubleClick={() => props.onOpen(card)}
      onContextMenu={(event) => props.onContextMenu(card, event)}
      onKeyDown={(event) => props.onKeyDown(card, event)}
      onFocus={() => props.onFocus(card)}
      onDragStart={(event) => props.onDragStart(card, event)}
      onPointerDown={(event) => props.onPointerDown(card, event)}
    >
      <CardContent
        card={card}
        today={today}
        t={t}
        saving={saving}
        canMove={canMove}
        onMoveMenu={props.onMoveMenu}
        {...(props.onTeamsMenu && { onTeamsMenu: props.onTeamsMenu })}
      />
    </div>
  );
});
