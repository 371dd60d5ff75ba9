import * as React from "react";
import { ContextualMenu, getTheme, type IContextualMenuItem, mergeStyleSets, MessageBar, MessageBarType, ThemeProvider } from "@fluentui/react";
import { shiftTotals, type TotalsSource } from "../model/aggregate";
import type { BoardCard } from "../model/card";
import { ALL_MEASURES, applicableFilter, applicableSort, type BoardFilter, type BoardMeasures, filterCards, isFiltering, NO_FILTER, type SortKey, sortCards } from "../model/filters";
import { type BaseCurrency, totalFormatter } from "../model/format";
import { type DealRoomApproval, type TeamsAction, type TeamsActionKey, teamsActions, type TeamsTargets } from "../model/teams";
import { keyCommand, moveEventText, neighbourLane, refusalText } from "../model/keyboard";
import { bucketCards, EMPTY_TOTALS, type GroupedLane, type Lane, laneKeyOf, lanesWithCards, locateCard, NO_VALUE_LANE_KEY, withMoves } from "../model/lanes";
import { groupPagedLanes, type PagedLaneSource } from "../model/pagedLanes";
import {
  boardMoveRefusal,
  type LaneColumnKind,
  MoveController,
  type MoveEvent,
  type MovePermissions,
  moveRefusal,
  type MoveServices,
  type RetryPolicy,
} from "../model/moves";
import type { StringKey, Translate } from "../strings";
import { LaneColumn } from "./LaneColumn";
import { boardText, paletteOf, paletteVariables } from "./palette";
import { TEAMS_FLUENT_THEMES, type TeamsTheme } from "@tcc/common";
import { ChoiceField, Progress } from "./fields";
import { Toolbar } from "./Toolbar";
import { useTouchDrag } from "./useTouchDrag";
import { ErrorBoundary, InlineNotice } from "../../../common/src/ui/ErrorBoundary";

const styles = mergeStyleSets({
  root: { display: "flex", flexDirection: "column", gap: 6, fontFamily: "inherit", minWidth: 0, background: "var(--pb-surface)", color: "var(--pb-text)" },
  lanes: { display: "flex", gap: 8, overflowX: "auto", alignItems: "stretch", paddingBottom: 4 },
  hidden: { position: "absolute", width: 1, height: 1, overflow: "hidden", clip: "rect(0 0 0 0)", whiteSpace: "nowrap" },
  note: { ...boardText.small, color: "var(--pb-muted)" },
  failedLane: { flex: "0 0 272px", background: "var(--pb-lane)", borderRadius: 4, color: "var(--pb-danger)", padding: 8 },
});

export interface LoadProgress {
  readonly loaded: number;
  /** Rows in the whole view, when Dataverse says. */
  readonly total: number | null;
  readonly loading: boolean;
}

export interface BoardProps {
  /** Lane totals are in the organisation's base currency; its symbol once read (the totals are plain numbers until then). */
  readonly baseCurrency?: BaseCurrency;
  readonly t: Translate;
  readonly locale: string;
  /** `yyyy-mm-dd` in the user's time zone. */
  readonly today: string;
  readonly lanes: readonly Lane[];
  readonly cards: readonly BoardCard[];
  readonly laneKind: LaneColumnKind;
  readonly permissions: MovePermissions;
  readonly totals: TotalsSource;
  readonly progress: LoadProgress;
  readonly services: MoveServices;
  readonly onOpen: (card: BoardCard) => void;
  /**
   * A card was selected (click, tap, Space, or its menu opened): the host makes it the dataset's selected record, so
   * the view's command bar acts on it. Absent, cards are not selectable.
   */
  readonly onSelect?: (card: BoardCard) => void;
  /** The dataset's selected record ids, as the host reports them. */
  readonly selectedIds?: readonly string[];
  /** The view could not be loaded: the host's message, shown instead of lanes. */
  readonly loadError?: string;
  /** Height of a lane's card area in pixels. */
  readonly laneHeight: number;
  readonly retryPolicy?: RetryPolicy;
  /** The signed-in user, for "only mine"; null hides that filter. */
  readonly userId: string | null;
  /** Width the host gives the control; at 600 px or less the board shows one lane at a time. */
  readonly width: number;
  readonly teams?: TeamsSupport;
  /** A standing warning about the board's setup (a business process flow that could not be loaded). */
  readonly notice?: string;
  /** The Teams theme when the app runs inside Teams; absent elsewhere, where the app's Fluent theme applies. */
  readonly theme?: TeamsTheme;
  /** Which figures the view carries (all when absent); a stable object while they stay the same. */
  readonly measures?: BoardMeasures;
  readonly paged?: PagedBoardSource;
  /** The host holds fewer records than the view has, and the board says so. */
  readonly capped?: { readonly shown: number; readonly total: number };
}

export const NARROW_WIDTH = 600;

/**
 * Lanes that read their own cards from Dataverse (model/serverLanes.ts). Then `cards` is not used: filter and sort
 * are sent to Dataverse through `query`, and each lane is as long as Dataverse counts it.
 */
export interface PagedBoardSource {
  /** Grows whenever a lane read a page or was counted. */
  readonly version: number;
  readonly lanes: PagedLaneSource;
  readonly query: (filter: BoardFilter, sort: SortKey) => void;
  /** The user looks at these indexes of a lane (pinned moved cards included). */
  readonly want: (laneKey: string, start: number, end: number) => void;
  /** A lane's last read failed: why, in the user's language. */
  readonly errorOf: (laneKey: string) => string | undefined;
}

/** What the Teams actions need from the host; absent, cards show no Teams button. */
export interface TeamsSupport {
  targets(card: BoardCard): Promise<TeamsTargets>;
  recordUrl(card: BoardCard): string;
  open(url: string): void;
}

const TEAMS_LABELS: Readonly<Record<TeamsActionKey, StringKey>> = {
  chat: "Teams_Chat",
  share: "Teams_Share",
  dealRoom: "Teams_DealRoom",
};
const APPROVAL_LABELS: Readonly<Record<DealRoomApproval, StringKey>> = {
  none: "Teams_Approval_None",
  pending: "Teams_Approval_Pending",
  approved: "Teams_Approval_Approved",
  rejected: "Teams_Approval_Rejected",
  timedOut: "Teams_Approval_TimedOut",
};

interface Message {
  readonly text: string;
  readonly type: MessageBarType;
}

interface Handlers {
  readonly onOpen: (card: BoardCard) => void;
  readonly onSelect: (card: BoardCard) => void;
  readonly onContextMenu: (card: BoardCard, event: React.MouseEvent<HTMLElement>) => void;
  readonly onKeyDown: (card: BoardCard, event: React.KeyboardEvent<HTMLElement>) => void;
  readonly onFocus: (card: BoardCard) => void;
  readonly onMoveMenu: (card: BoardCard, target: HTMLElement) => void;
  readonly onTeamsMenu: (card: BoardCard, target: HTMLElement) => void;
  readonly onDragStart: (card: BoardCard, event: React.DragEvent<HTMLElement>) => void;
  readonly onPointerDown: (card: BoardCard, event: React.PointerEvent<HTMLElement>) => void;
  readonly onDragOver: (laneKey: string, event: React.DragEvent<HTMLElement>) => void;
  readonly onDrop: (laneKey: string, event: React.DragEvent<HTMLElement>) => void;
}

const SCOPE_REASON: Readonly<Record<string, StringKey>> = {
  aggregateLimit: "Totals_LoadedAggregateLimit",
  unavailable: "Totals_LoadedUnavailable",
};

/** The pipeline board: lanes, cards, moves by mouse, touch and keyboard, and what it tells the user about them. */
export const Board: React.FC<BoardProps> = (props) => {
  const { t, lanes, cards, laneKind, permissions, totals, progress } = props;
  const [announcement, setAnnouncement] = React.useState("");
  const [message, setMessage] = React.useState<Message | null>(null);
  const [collapsed, setCollapsed] = React.useState<ReadonlySet<string>>(new Set());
  const [focus, setFocus] = React.useState<{ id: string; requested: boolean } | null>(null);
  /** A key asked for a card a paged lane has not read yet (End in a long lane): it takes focus once it arrives. */
  const [pendingFocus, setPendingFocus] = React.useState<{ laneKey: string; index: number } | null>(null);
  const [menu, setMenu] = React.useState<{ card: BoardCard; target: HTMLElement } | null>(null);
  const [dragOver, setDragOver] = React.useState<string | null>(null);
  /** A card is being dragged with a mouse: the "(no value)" lane is shown as a target even when empty. */
  const [dragging, setDragging] = React.useState(false);
  const dragged = React.useRef<string | null>(null);
  const live = React.useRef<Handlers | null>(null);
  const stable = React.useMemo<Handlers>(
    () => ({
      onOpen: (card) => live.current?.onOpen(card),
      onSelect: (card) => live.current?.onSelect(card),
      onContextMenu: (card, event) => live.current?.onContextMenu(card, event),
      onKeyDown: (card, event) => live.current?.onKeyDown(card, event),
      onFocus: (card) => live.current?.onFocus(card),
      onMoveMenu: (card, target) => live.current?.onMoveMenu(card, target),
      onTeamsMenu: (card, target) => live.current?.onTeamsMenu(card, target),
      onDragStart: (card, event) => live.current?.onDragStart(card, event),
      onPointerDown: (card, event) => live.current?.onPointerDown(card, event),
      onDragOver: (laneKey, event) => live.current?.onDragOver(laneKey, event),
      onDrop: (laneKey, event) => live.current?.onDrop(laneKey, event),
    }),
    [],
  );
  const measures = props.measures ?? ALL_MEASURES;
  const [chosenFilter, setFilter] = React.useState<BoardFilter>(NO_FILTER);
  const [chosenSort, setSort] = React.useState<SortKey>("view");
  const filter = React.useMemo(() => applicableFilter(chosenFilter, measures), [chosenFilter, measures]);
  const sort = applicableSort(chosenSort, measures);
  const [teamsMenu, setTeamsMenu] = React.useState<{ card: BoardCard; target: HTMLElement; actions: TeamsAction[]; loading: boolean } | null>(null);
  const [narrowLane, setNarrowLane] = React.useState<string | null>(null);

  const latest = React.useRef({ t, cardsById: new Map<string, BoardCard>(), lanes });

  const [controller] = React.useState(
    () =>
      new MoveController(
        props.services,
        (event: MoveEvent) => {
          const { t: translate, cardsById: byId, lanes: allLanes } = latest.current;
          const name = byId.get(event.id)?.name ?? "";
          const label = (value: number | null) => allLanes.find((l) => l.key === laneKeyOf(value))?.label ?? "";
          const text = moveEventText(translate, event, name, label);
          setAnnouncement(text);
          if (event.type === "failed") setMessage({ text, type: MessageBarType.error });
          if (event.type === "conflict") setMessage({ text, type: MessageBarType.warning });
        },
        props.retryPolicy,
      ),
  );
  const [version, setVersion] = React.useState(controller.version);
  React.useEffect(() => controller.subscribe(() => setVersion(controller.version)), [controller]);
  const paged = props.paged;
  const pagedVersion = paged?.version;
  // `version` and `pagedVersion` are dependencies: the lanes change when a card moves or a page arrives.
  const pagedGrouping = React.useMemo(
    () => (paged === undefined ? null : groupPagedLanes(lanes, paged.lanes, (card) => controller.laneOf(card))),
    [paged, pagedVersion, lanes, controller, version],
  );
  const allCards = pagedGrouping === null ? cards : pagedGrouping.held;
  const cardsById = React.useMemo(() => new Map(allCards.map((c) => [c.id, c])), [allCards]);
  latest.current = { t, cardsById, lanes };
  React.useEffect(() => controller.reconcile(allCards), [controller, allCards]);
  // Leaving the page (closing the tab, navigating away) while a move is still being saved asks the browser's "Leave
  // site?" question: the save may not reach Dataverse. Browsers show their own text; a listener, not onbeforeunload,
  // so the host's own handler stays.
  React.useEffect(() => {
    const warn = (event: BeforeUnloadEvent) => {
      if (!controller.hasPendingSaves) return;
      event.preventDefault();
      event.returnValue = "";
    };
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [controller]);

  const filtering = isFiltering(filter);
  const query = paged?.query;
  React.useEffect(() => query?.(filter, sort), [query, filter, sort]);
  const shown = React.useMemo(
    () => (paged === undefined ? sortCards(filterCards(cards, filter, props.today, props.userId), sort) : []),
    [paged, cards, filter, sort, props.today, props.userId],
  );
  // Cards are grouped by their loaded lane once per data, filter or sort change; a move then rebuilds only the lanes
  // it leaves and enters (20,000 cards regrouped per move would cost more than a frame).
  const order = React.useMemo(() => new Map(shown.map((card, index) => [card.id, index])), [shown]);
  const buckets = React.useMemo(() => bucketCards(shown), [shown]);
  const loadedGrouping = React.useMemo(() => lanesWithCards(lanes, buckets, shown), [lanes, buckets, shown]);
  // `version` is a dependency because it changes whenever the controller moves a card.
  const moved = React.useMemo(() => controller.movedCards(cardsById), [controller, cardsById, version]);
  const lastGrouping = React.useRef<GroupedLane<BoardCard>[]>([]);
  const grouped = React.useMemo(
    () => pagedGrouping?.grouped ?? withMoves(loadedGrouping, moved, order, lastGrouping.current),
    [pagedGrouping, loadedGrouping, moved, order],
  );
  lastGrouping.current = grouped as GroupedLane<BoardCard>[];
  const locate = React.useCallback(
    (id: string): { group: GroupedLane<BoardCard>; index: number } | null => {
      if (pagedGrouping === null) return locateCard(grouped, order, id);
      const at = pagedGrouping.located.get(id);
      const group = at && grouped.find((g) => g.lane.key === at.laneKey);
      return at && group ? { group, index: at.index } : null;
    },
    [pagedGrouping, grouped, order],
  );
  // Lanes are memoised: each gets only what concerns it, so a move redraws the two lanes it touches.
  const savingByLane = React.useMemo(() => {
    const byLane = new Map<string, string>();
    for (const id of controller.savingIds()) {
      const at = locate(id);
      if (at) byLane.set(at.group.lane.key, [byLane.get(at.group.lane.key), id].filter(Boolean).join(" "));
    }
    return byLane;
  }, [controller, locate, version]);
  const selectedIds = props.selectedIds;
  const selectedByLane = React.useMemo(() => {
    const byLane = new Map<string, string>();
    const id = selectedIds?.length === 1 ? selectedIds[0] : undefined;
    const at = id === undefined ? null : locate(id);
    if (at && id !== undefined) byLane.set(at.group.lane.key, id);
    return byLane;
  }, [selectedIds, locate]);
  const toggleLane = React.useCallback(
    (key: string) =>
      setCollapsed((current) => {
        const next = new Set(current);
        if (!next.delete(key)) next.add(key);
        return next;
      }),
    [],
  );
  const laneTotals = React.useMemo(() => {
    if (pagedGrouping !== null) return new Map(pagedGrouping.grouped.map((g) => [g.lane.key, g.totals]));
    if (totals.scope !== "view" || filtering) return null;
    return shiftTotals(totals.totals, moved);
  }, [pagedGrouping, totals, moved, filtering]);
  // A lane's count while records still arrive would read as the whole: it says "counting" until whole-view totals
  // or the last page are in.
  const datasetCounting = pagedGrouping === null && laneTotals === null && progress.loading && !filtering;
  const onRange = React.useCallback(
    (laneKey: string, start: number, end: number) => paged?.want(laneKey, Math.max(0, start - (pagedGrouping?.pinned.get(laneKey) ?? 0)), end),
    [paged, pagedGrouping],
  );
  const onRetry = React.useCallback((laneKey: string) => paged?.want(laneKey, 0, 1), [paged]);
  // The card a key asked for has arrived: it takes focus in this render (React's "adjust state while rendering").
  const arrived = pendingFocus === null ? undefined : grouped.find((g) => g.lane.key === pendingFocus.laneKey)?.cards[pendingFocus.index];
  if (arrived !== undefined) {
    setPendingFocus(null);
    setFocus({ id: arrived.id, requested: true });
  }

  const formatTotal = React.useMemo(() => totalFormatter(props.locale, props.baseCurrency), [props.locale, props.baseCurrency]);
  const boardRefusal = boardMoveRefusal(permissions);
  const canMove = boardRefusal === null;

  const laneOfCard = (card: BoardCard) => lanes.find((l) => l.key === laneKeyOf(controller.laneOf(card)));

  const requestMove = (card: BoardCard, to: Lane) => {
    const refusal = moveRefusal(permissions, laneKind, laneOfCard(card), to, controller.isSaving(card.id));
    if (refusal) {
      const text = refusalText(t, refusal, card.name, to.label);
      setAnnouncement(text);
      setMessage({ text, type: MessageBarType.warning });
      return;
    }
    setFocus({ id: card.id, requested: focus?.id === card.id && focus.requested });
    void controller.move(card, to.value);
  };

  const moveById = (cardId: string, laneKey: string) => {
    const card = cardsById.get(cardId);
    const lane = lanes.find((l) => l.key === laneKey);
    if (card && lane && laneOfCard(card)?.key !== lane.key) requestMove(card, lane);
  };

  const onTouchHover = React.useCallback((laneKey: string | null) => setDragOver(laneKey), []);
  const moveRef = React.useRef(moveById);
  moveRef.current = moveById;
  const onTouchDrop = React.useCallback((cardId: string, laneKey: string) => moveRef.current(cardId, laneKey), []);
  const startTouchDrag = useTouchDrag(onTouchHover, onTouchDrop);

  const visibleLanes = grouped.filter((g) => !collapsed.has(g.lane.key) && g.cards.length > 0);
  const located = locate;
  const focusedAt = focus ? located(focus.id) : null;
  const tabStop = focusedAt ?? (visibleLanes[0] ? { group: visibleLanes[0], index: 0 } : null);

  const select = (card: BoardCard) => {
    if (selectedIds?.length !== 1 || selectedIds[0] !== card.id) props.onSelect?.(card);
  };

  const onKeyDown = (card: BoardCard, event: React.KeyboardEvent<HTMLElement>) => {
    const command = keyCommand(event);
    if (!command) return;
    event.preventDefault();
    event.stopPropagation();
    const here = located(card.id);
    if (!here) return;
    switch (command.type) {
      case "open":
        props.onOpen(card);
        return;
      case "select":
        select(card);
        return;
      case "menu":
        select(card);
        setMenu({ card, target: event.currentTarget });
        return;
      case "moveBy": {
        if (boardRefusal) {
          const text = refusalText(t, boardRefusal, card.name, "");
          setAnnouncement(text);
          setMessage({ text, type: MessageBarType.info });
          return;
        }
        const from = here.group.lane;
        const target = neighbourLane(lanes, from.key, command.step, (lane) => moveRefusal(permissions, laneKind, from, lane, false) === null);
        if (target) requestMove(card, target);
        else setAnnouncement(refusalText(t, "sameLane", card.name, from.label));
        setFocus({ id: card.id, requested: true });
        return;
      }
      case "focusCard": {
        const last = here.group.cards.length - 1;
        const index = command.step === "first" ? 0 : command.step === "last" ? last : Math.min(last, Math.max(0, here.index + command.step));
        // A card not read yet (a lane paged from Dataverse) cannot take focus: the lane is asked for it instead.
        const target = here.group.cards[index] as BoardCard | undefined;
        if (target) setFocus({ id: target.id, requested: true });
        else setPendingFocus({ laneKey: here.group.lane.key, index });
        return;
      }
      case "focusLane": {
        const position = visibleLanes.findIndex((g) => g.lane.key === here.group.lane.key);
        const next = visibleLanes[position + command.step] as (typeof visibleLanes)[number] | undefined;
        const target = next?.cards[Math.min(here.index, next.cards.length - 1)];
        if (target) setFocus({ id: target.id, requested: true });
        return;
      }
    }
  };

  const teams = props.teams;
  const openTeamsMenu = teams
    ? (card: BoardCard, target: HTMLElement) => {
        const url = teams.recordUrl(card);
        setTeamsMenu({ card, target, actions: teamsActions(url, card.name, {}), loading: true });
        const show = async () => {
          // Built here, not inside the state update: nothing a record holds may throw while the board renders.
          const targets = await teams.targets(card).catch((): TeamsTargets => ({}));
          const actions = teamsActions(url, card.name, targets);
          setTeamsMenu((current) => (current?.card.id === card.id ? { ...current, actions, loading: false } : current));
        };
        void show();
      }
    : undefined;
  const teamsItems: IContextualMenuItem[] = teamsMenu
    ? [
        ...teamsMenu.actions.map((action): IContextualMenuItem => {
          if (action.url === undefined) {
            // The record's data cannot make this link: the item stays, disabled, and says why.
            const reason = t("Teams_ChatBadAddress", action.detail);
            return { key: action.key, text: reason, title: reason, disabled: true, "data-unavailable": action.unavailable };
          }
          const url = action.url;
          const text = action.approval === undefined ? t(TEAMS_LABELS[action.key]) : t("Teams_DealRoomApproval", t(TEAMS_LABELS[action.key]), t(APPROVAL_LABELS[action.approval]));
          return { key: action.key, text, onClick: () => teams?.open(url) };
        }),
        ...(teamsMenu.loading ? [{ key: "loading", text: t("Teams_Loading"), disabled: true }] : []),
      ]
    : [];

  const menuItems: IContextualMenuItem[] = menu
    ? lanes
        .filter((lane) => !lane.unknown)
        .map((lane) => {
          const current = laneOfCard(menu.card)?.key === lane.key;
          return { key: lane.key, text: lane.label, checked: current, disabled: current, onClick: () => requestMove(menu.card, lane) };
        })
    : [];

  // Cards are memoised; handing them handlers that never change identity (each calls the latest closure) lets a
  // move re-render only the cards it touches instead of every visible card.
  live.current = {
    onOpen: props.onOpen,
    onSelect: (card: BoardCard) => {
      select(card);
      if (focus?.id !== card.id) setFocus({ id: card.id, requested: false });
    },
    onContextMenu: (card: BoardCard, event: React.MouseEvent<HTMLElement>) => {
      // The board's own actions for the card, not the browser's menu; the card is selected as a grid row would be.
      event.preventDefault();
      select(card);
      setMenu({ card, target: event.currentTarget });
    },
    onKeyDown,
    onFocus: (card: BoardCard) => {
      if (focus?.id !== card.id) setFocus({ id: card.id, requested: false });
    },
    onMoveMenu: (card: BoardCard, target: HTMLElement) => setMenu({ card, target }),
    onTeamsMenu: (card: BoardCard, target: HTMLElement) => openTeamsMenu?.(card, target),
    onDragStart: (card: BoardCard, event: React.DragEvent<HTMLElement>) => {
      if (!canMove || controller.isSaving(card.id)) {
        event.preventDefault();
        return;
      }
      dragged.current = card.id;
      setDragging(true);
      event.dataTransfer.setData("text/plain", card.id);
      event.dataTransfer.effectAllowed = "move";
    },
    onPointerDown: (card: BoardCard, event: React.PointerEvent<HTMLElement>) => {
      if (canMove) startTouchDrag(card.id, event);
    },
    onDragOver: (laneKey: string, event: React.DragEvent<HTMLElement>) => {
      if (dragged.current === null) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = "move";
      if (dragOver !== laneKey) setDragOver(laneKey);
    },
    onDrop: (laneKey: string, event: React.DragEvent<HTMLElement>) => {
      event.preventDefault();
      const id = dragged.current ?? event.dataTransfer.getData("text/plain");
      dragged.current = null;
      setDragOver(null);
      setDragging(false);
      if (id) moveById(id, laneKey);
    },
  };

  const scopeText = pagedGrouping !== null
    ? t(filtering ? "Totals_WholeViewFiltered" : "Totals_WholeView")
    : filtering
    ? t("Totals_Filtered")
    : totals.scope === "view"
      ? t("Totals_WholeView")
      : totals.reason === "pending"
        ? t("Totals_Loaded")
        : t(SCOPE_REASON[totals.reason]);
  const narrow = props.width > 0 && props.width <= NARROW_WIDTH;
  // The "(no value)" lane takes a column only when the view has such records, or as a target while a card is dragged
  // (a touch drag marks the lane under the finger).
  const noValueCount = laneTotals?.get(NO_VALUE_LANE_KEY)?.count ?? 0;
  const visible = grouped.filter((g) => g.lane.key !== NO_VALUE_LANE_KEY || g.cards.length > 0 || noValueCount > 0 || dragging || dragOver !== null);
  const narrowKey = narrow && visible.length > 0 ? (visible.find((g) => g.lane.key === narrowLane) ?? visible[0]).lane.key : null;
  const shownLanes = narrow ? visible.filter((g) => g.lane.key === narrowKey) : visible;

  const fluentTheme = props.theme === undefined ? getTheme() : TEAMS_FLUENT_THEMES[props.theme];
  // A view that failed to load says so, with the host's reason, instead of showing empty lanes as if it had no records.
  const board = props.loadError !== undefined ? (
    <div className={styles.root} style={paletteVariables(paletteOf(fluentTheme))} role="region" aria-label={t("Board_Label")}>
      <MessageBar messageBarType={MessageBarType.error}>{props.loadError}</MessageBar>
    </div>
  ) : (
    <div className={styles.root} style={paletteVariables(paletteOf(fluentTheme))} role="region" aria-label={t("Board_Label")} onDragEnd={() => {
        setDragOver(null);
        setDragging(false);
      }}>
      {progress.loading && (
        <Progress
          label={progress.total === null ? t("Board_ProgressUnknown", progress.loaded.toLocaleString(props.locale)) : t("Board_Progress", progress.loaded.toLocaleString(props.locale), progress.total.toLocaleString(props.locale))}
          share={progress.total !== null && progress.total > 0 ? progress.loaded / progress.total : null}
        />
      )}
      <Toolbar t={t} filter={filter} sort={sort} canFilterMine={props.userId !== null} measures={measures} onFilter={setFilter} onSort={setSort} />
      {narrow && narrowKey !== null && (
        <ChoiceField
          label={t("Lane_Switcher")}
          options={visible.map((g) => ({ key: g.lane.key, text: `${g.lane.label} (${g.cards.length})` }))}
          selected={narrowKey}
          onChange={setNarrowLane}
        />
      )}
      <span id="pipelineboard-totals-scope" className={styles.note}>
        {scopeText}
      </span>
      {props.notice && <MessageBar messageBarType={MessageBarType.warning}>{props.notice}</MessageBar>}
      {boardRefusal && <MessageBar messageBarType={MessageBarType.info}>{refusalText(t, boardRefusal, "", "")}</MessageBar>}
      {message && (
        <MessageBar messageBarType={message.type} onDismiss={() => setMessage(null)} dismissButtonAriaLabel={t("Move_Dismiss")}>
          {message.text}
        </MessageBar>
      )}
      {props.capped && <MessageBar messageBarType={MessageBarType.warning}>{t("Board_Capped", props.capped.shown.toLocaleString(props.locale), props.capped.total.toLocaleString(props.locale))}</MessageBar>}
      {(pagedGrouping === null ? cards.length === 0 && !progress.loading : grouped.every((g) => g.cards.length === 0 && pagedGrouping.figures.get(g.lane.key)?.state === "counted")) && (
        <span>{t("Board_Empty")}</span>
      )}
      <div className={styles.lanes}>
        {shownLanes.map((group) => {
          // A pending index scrolls its lane there, which makes the lane read it.
          const focusIndex = pendingFocus?.laneKey === group.lane.key ? pendingFocus.index : focusedAt?.group === group && focus?.requested ? focusedAt.index : null;
          return (
            <ErrorBoundary
              key={group.lane.key}
              resetKeys={[group, t]}
              fallback={() => (
                <section aria-label={group.lane.label} data-lane-key={group.lane.key} className={styles.failedLane}>
                  <InlineNotice part="lane" text={t("Boundary_Lane")} />
                </section>
              )}
            >
              <LaneColumn
                group={group}
                totals={laneTotals ? (laneTotals.get(group.lane.key) ?? EMPTY_TOTALS) : group.totals}
                {...(pagedGrouping !== null
                  ? { figure: pagedGrouping.figures.get(group.lane.key) ?? { state: "counting" }, onRange, onRetry, ...(paged?.errorOf(group.lane.key) !== undefined && { loadError: paged.errorOf(group.lane.key) }) }
                  : datasetCounting && { figure: { state: "counting" } })}
                formatTotal={formatTotal}
                showSum={measures.amount}
                showWeighted={measures.amount && measures.probability}
                height={props.laneHeight}
                collapsed={collapsed.has(group.lane.key)}
                onToggle={toggleLane}
                savingIds={savingByLane.get(group.lane.key) ?? ""}
                selectedId={selectedByLane.get(group.lane.key) ?? ""}
                canMove={canMove}
                focusIndex={focusIndex}
                tabStopIndex={tabStop?.group === group ? tabStop.index : null}
                dropTarget={dragOver === group.lane.key}
                full={narrow}
                today={props.today}
                t={t}
                onOpen={stable.onOpen}
                onSelect={stable.onSelect}
                onContextMenu={stable.onContextMenu}
                onKeyDown={stable.onKeyDown}
                onFocus={stable.onFocus}
                onMoveMenu={stable.onMoveMenu}
                {...(openTeamsMenu && { onTeamsMenu: stable.onTeamsMenu })}
                onDragStart={stable.onDragStart}
                onPointerDown={stable.onPointerDown}
                onDragOver={stable.onDragOver}
                onDrop={stable.onDrop}
              />
            </ErrorBoundary>
          );
        })}
      </div>
      {menu && (
        <ErrorBoundary resetKeys={[menu]} fallback={() => <InlineNotice part="menu" text={t("Boundary_Menu")} />}>
          <ContextualMenu
            items={menuItems}
            target={menu.target}
            onDismiss={() => setMenu(null)}
            ariaLabel={t("Move_MenuLabel")}
            shouldFocusOnMount
          />
        </ErrorBoundary>
      )}
      {teamsMenu && (
        <ErrorBoundary resetKeys={[teamsMenu]} fallback={() => <InlineNotice part="menu" text={t("Boundary_Menu")} />}>
          <ContextualMenu items={teamsItems} target={teamsMenu.target} onDismiss={() => setTeamsMenu(null)} ariaLabel={t("Teams_Menu")} shouldFocusOnMount />
        </ErrorBoundary>
      )}
      <div id="pipelineboard-shortcuts" className={styles.hidden}>
        {t("Move_Shortcuts")}
      </div>
      <div role="status" aria-live="polite" className={styles.hidden}>
        {announcement}
      </div>
    </div>
  );
  if (props.theme === undefined) return board;
  return (
    <ThemeProvider theme={fluentTheme} applyTo="none" data-teams-theme={props.theme}>
      {board}
    </ThemeProvider>
  );
};
