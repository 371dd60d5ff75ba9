/**
 * Owns the card's life: decides when to request (only when something the card shows changed, on refresh and after
 * its own writes), keeps the last card on screen while reloading, and runs the follow-up write with a pending row
 * that disappears again if Dataverse refuses it.
 */
import * as React from "react";
import { ThemeProvider } from "@fluentui/react";
import { type DataverseClient, DATAVERSE_ERROR_MESSAGE_KEYS, languageOf, TEAMS_FLUENT_THEMES, type TeamsTheme } from "../../common/src";
import { type CardState, CustomerCard, type FollowUpResult, type Translate } from "./CustomerCard";
import { quickActions, recordUrl } from "./model/actions";
import type { CardModel, Interaction } from "./model/cardModel";
import { effectiveLayout, fetchKey, parseColleagues, parseSections } from "./model/inputs";
import { DEFAULT_RETRY, loadCard, type RetryPolicy } from "./model/loader";
import type { CardTable, RelatedTable } from "./model/query";
import { localDay, type OffsetAt, UTC_OFFSET } from "./model/userTime";
import { planTask, sendWrite, withPending, type FollowUpTaskInput } from "./model/writes";

export interface CardContainerProps {
  readonly client: Pick<DataverseClient, "retrieve" | "retrieveMultiple" | "create">;
  readonly table: string | undefined;
  readonly id: string | undefined;
  readonly recentActivityCount: number | null;
  readonly sections: string | null;
  readonly colleagues: string | null;
  readonly layout: string | null;
  readonly allocatedWidth: number;
  readonly readable: readonly RelatedTable[];
  readonly canCreateTask: boolean;
  readonly formDisabled: boolean;
  readonly currentUserId: string;
  readonly language: number;
  readonly locale: string;
  /** Origin of the model-driven app, for record links. */
  readonly origin: string;
  /** The Teams theme to draw the card in; absent outside Teams, where the model-driven app's theme applies. */
  readonly teamsTheme?: TeamsTheme;
  readonly t: Translate;
  /** Opens a link: the host does (`navigation.openUrl`), for Teams deep links too. */
  readonly open: (url: string) => void;
  readonly copy: (text: string) => Promise<boolean>;
  readonly clock?: () => Date;
  /**
   * The user's Dynamics 365 time-zone offset at a date (`userSettings.getTimeZoneOffsetMinutes`): "today" and a task's
   * due date are days in that zone, not the browser's. UTC when absent.
   */
  readonly timeZoneOffsetMinutes?: OffsetAt;
  readonly retry?: RetryPolicy;
}

/** A task Dataverse confirmed, shown on its record's card until a load includes it. */
interface SavedTask {
  readonly recordId: string;
  readonly item: Interaction;
}

const bareId = (id: string) => id.replace(/[{}]/g, "").toLowerCase();

export const CardContainer: React.FC<CardContainerProps> = (props) => {
  const { client, t } = props;
  const clock = props.clock ?? (() => new Date());
  const offsetAt = props.timeZoneOffsetMinutes ?? UTC_OFFSET;
  const [revision, setRevision] = React.useState(0);
  const [state, setState] = React.useState<CardState>({ status: "loading" });
  const [pending, setPending] = React.useState<readonly Interaction[]>([]);
  // Tasks Dataverse confirmed, by record, until a load shows them: a reload that answers from before the write (a
  // stale read) or fails must not take a saved task off the screen.
  const [saved, setSaved] = React.useState<readonly SavedTask[]>([]);
  const [saving, setSaving] = React.useState(0);
  const lastCard = React.useRef<CardModel | undefined>(undefined);
  const key = fetchKey({ table: props.table, id: props.id, recentActivityCount: props.recentActivityCount, readable: props.readable, language: props.language, revision });
  const keyText = JSON.stringify(key);

  // The request's inputs that are not part of its key (the client, the clock, the time zone, the retry policy) are read
  // when a fetch starts and are never a reason to fetch again: this effect runs before the fetch effect below.
  const request = React.useRef({ client, clock, offsetAt, retry: props.retry });
  React.useEffect(() => {
    request.current = { client, clock, offsetAt, retry: props.retry };
  });

  React.useEffect(() => {
    const requestKey = JSON.parse(keyText) as typeof key;
    const { client: dataverse, clock: readClock, offsetAt: offsetOf, retry } = request.current;
    const { table: recordTable, id: recordId } = requestKey;
    if (recordTable === undefined || recordId === undefined) return;
    let current = true;
    const readable = new Set(requestKey.readable);
    setState({ status: "loading", ...(lastCard.current && { previous: lastCard.current }) });
    const now = readClock();
    const load = async () => {
      const result = await loadCard(
        dataverse,
        { table: recordTable, id: recordId, recentActivityCount: requestKey.recentActivityCount, canRead: (table) => readable.has(table), today: localDay(now, offsetOf), now: now.getTime() },
        retry ?? DEFAULT_RETRY,
      );
      if (!current) return;
      if (result.ok) {
        lastCard.current = result.card;
        const loaded = new Set(result.card.interactions.map((i) => bareId(i.id)));
        setSaved((tasks) => {
          const left = tasks.filter((task) => !(task.recordId === recordId && loaded.has(bareId(task.item.id))));
          return left.length === tasks.length ? tasks : left;
        });
        setState({ status: "ready", card: result.card });
        const withRooms = await result.withDealRooms;
        if (!current || withRooms === result.card) return;
        lastCard.current = withRooms;
        setState({ status: "ready", card: withRooms });
      } else {
        // The record's last card stays under the error (with what was saved since); another record's never does.
        const previous = lastCard.current !== undefined && bareId(lastCard.current.recordId) === recordId ? lastCard.current : undefined;
        setState({ status: "error", messageKey: DATAVERSE_ERROR_MESSAGE_KEYS[result.error.kind], ...(previous && { previous }) });
      }
    };
    void load();
    return () => {
      current = false;
    };
    // keyText holds every input of the request, so an updateView that changes nothing the card shows sends nothing.
  }, [keyText]);

  const table: CardTable | undefined = key.table;
  const written = [...pending, ...saved.filter((task) => task.recordId === key.id).map((task) => task.item)];
  const withWrites = (c: CardModel): CardModel => (bareId(c.recordId) === key.id ? withPending(c, written) : c);
  const shownState: CardState =
    table === undefined
      ? { status: "unsupported" }
      : key.id === undefined
        ? { status: "noRecord" }
        : state.status === "ready"
          ? { status: "ready", card: withWrites(state.card) }
          : state.status !== "unsupported" && state.status !== "noRecord" && state.previous !== undefined
            ? { ...state, previous: withWrites(state.previous) }
            : state;
  const card = shownState.status === "ready" ? shownState.card : undefined;
  const language = languageOf(props.language);

  // While a task is being saved, leaving the page asks first (the browser shows its own wording in most cases).
  const leaveWarning = t("FollowUp_SavingLeave");
  React.useEffect(() => {
    if (saving === 0) return;
    const warn = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      // Older browsers show the dialog only when returnValue is set.
      event.returnValue = leaveWarning;
      return leaveWarning;
    };
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [saving, leaveWarning]);
  const name = card?.contact?.name ?? card?.account?.name ?? "";
  const url = table !== undefined && key.id !== undefined ? recordUrl(props.origin, table, key.id) : undefined;
  const actions = quickActions({
    card,
    currentUserId: props.currentUserId,
    colleagues: parseColleagues(props.colleagues).upns,
    ...(url !== undefined && card !== undefined && { recordUrl: url }),
    texts: { topic: t("Chat_Topic", name), message: t("Chat_Message", name), meetingSubject: t("Meeting_Subject", name), shareMessage: t("Share_Message", name) },
    formDisabled: props.formDisabled,
    canCreateTask: props.canCreateTask,
    loading: shownState.status === "loading",
  });

  const createTask = async (input: FollowUpTaskInput): Promise<FollowUpResult> => {
    if (table === undefined || key.id === undefined) return { ok: false, messageKey: "Action_SaveFirst" };
    const now = clock();
    const plan = planTask(input, { table, id: key.id }, localDay(now, offsetAt), `pending-${now.getTime()}`, offsetAt);
    if (!plan.ok) return { ok: false, fieldErrors: Object.fromEntries(plan.errors.map((e) => [e.field, { key: e.messageKey, ...(e.args && { args: e.args }) }])) };
    const recordId = key.id;
    setPending((p) => [plan.preview, ...p]);
    setSaving((n) => n + 1);
    const outcome = await sendWrite(client, plan);
    setSaving((n) => n - 1);
    setPending((p) => p.filter((i) => i.id !== plan.preview.id));
    if (!outcome.ok) return { ok: false, messageKey: outcome.messageKey };
    setSaved((tasks) => [...tasks, { recordId, item: { ...plan.preview, id: outcome.id, pending: false } }]);
    setRevision((r) => r + 1);
    return { ok: true };
  };

  const cardElement = (
    <CustomerCard
      state={shownState}
      sections={parseSections(props.sections).sections}
      layout={effectiveLayout(props.layout, props.allocatedWidth)}
      actions={actions}
      t={t}
      locale={props.locale}
      language={language}
      onRetry={() => setRevision((r) => r + 1)}
      onRefresh={() => setRevision((r) => r + 1)}
      onOpen={props.open}
      onCopy={props.copy}
      onCreateTask={createTask}
    />
  );
  if (props.teamsTheme === undefined) return cardElement;
  return (
    <ThemeProvider theme={TEAMS_FLUENT_THEMES[props.teamsTheme]} data-teams-theme={props.teamsTheme}>
      {cardElement}
    </ThemeProvider>
  );
};
