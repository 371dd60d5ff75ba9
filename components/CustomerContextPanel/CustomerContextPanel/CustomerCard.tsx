import * as React from "react";
import {
  ActionButton,
  DefaultButton,
  MessageBar,
  MessageBarType,
  PrimaryButton,
  Shimmer,
  Stack,
  Text,
  TextField,
} from "@fluentui/react";
import { ErrorBoundary, InlineNotice } from "../../common/src/ui/ErrorBoundary";
import { pluralTranslator, type SupportedLanguage } from "../../common/src/localisation";
import type { ActionId, ActionState } from "./model/actions";
import type { CardModel, Section } from "./model/cardModel";
import type { Layout } from "./model/inputs";
import type { FollowUpTaskInput } from "./model/writes";
import {
  CasesSection,
  ContactsSection,
  FactsSection,
  InteractionsSection,
  OpportunitiesSection,
  type SectionProps,
  TeamsSection,
  type Translate,
} from "./Sections";

export type { Translate } from "./Sections";

export type CardState =
  | { readonly status: "noRecord" }
  | { readonly status: "unsupported" }
  | { readonly status: "loading"; readonly previous?: CardModel }
  /** A failed load; `previous` is the record's last loaded card, kept on screen under the error when there is one. */
  | { readonly status: "error"; readonly messageKey: string; readonly previous?: CardModel }
  | { readonly status: "ready"; readonly card: CardModel };

/** A message for a field: its resource key and the values of its `{0}`, `{1}`… */
export interface FieldMessage {
  readonly key: string;
  readonly args?: readonly (string | number)[];
}

/** The result of the follow-up form's save: nothing (saved) or the messages to show. */
export type FollowUpResult = { readonly ok: true } | { readonly ok: false; readonly fieldErrors?: Partial<Record<"subject" | "dueDate", FieldMessage>>; readonly messageKey?: string };

export interface CustomerCardProps {
  readonly state: CardState;
  readonly sections: readonly Section[];
  readonly layout: Layout;
  readonly actions: readonly ActionState[];
  readonly t: Translate;
  readonly locale: string;
  /** The resource language, for plural forms; from `locale` when absent. */
  readonly language?: SupportedLanguage;
  readonly onRetry: () => void;
  readonly onRefresh: () => void;
  readonly onOpen: (url: string) => void;
  readonly onCopy: (url: string) => Promise<boolean>;
  readonly onCreateTask: (input: FollowUpTaskInput) => Promise<FollowUpResult>;
}

/** Inline, so the rule holds wherever the card is hosted, whatever the host's style sheets say. */
export const WRAP_ANYWHERE: React.CSSProperties = { overflowWrap: "anywhere", wordBreak: "break-word", minWidth: 0, maxWidth: "100%" };

const SECTION_TITLES: Readonly<Record<Section, string>> = {
  facts: "Section_Facts",
  interactions: "Section_Interactions",
  opportunities: "Section_Opportunities",
  cases: "Section_Cases",
  contacts: "Section_Contacts",
  teams: "Section_Teams",
};

const ACTION_ICONS: Readonly<Record<ActionId, string>> = {
  chatOwner: "Chat",
  groupChat: "Group",
  meeting: "TeamsLogo",
  share: "Share",
  openTeam: "OpenInNewWindow",
  copyLink: "Link",
  followUp: "TaskAdd",
};

const SectionBody: React.FC<SectionProps & { section: Section; onOpen: (url: string) => void }> = ({ section, onOpen, ...props }) => {
  if (props.card.unreadable.includes(section)) return <Text>{props.t("Section_Unreadable")}</Text>;
  switch (section) {
    case "facts":
      return <FactsSection {...props} />;
    case "interactions":
      return <InteractionsSection {...props} />;
    case "opportunities":
      return <OpportunitiesSection {...props} onOpen={onOpen} />;
    case "cases":
      return <CasesSection {...props} />;
    case "contacts":
      return <ContactsSection {...props} />;
    case "teams":
      return <TeamsSection {...props} onOpen={onOpen} />;
  }
};

const FollowUpForm: React.FC<{ t: Translate; onSave: (input: FollowUpTaskInput) => Promise<FollowUpResult>; onClose: () => void }> = ({ t, onSave, onClose }) => {
  const [subject, setSubject] = React.useState("");
  const [dueDate, setDueDate] = React.useState("");
  const [saving, setSaving] = React.useState(false);
  const [result, setResult] = React.useState<FollowUpResult | undefined>(undefined);
  const save = async () => {
    setSaving(true);
    const r = await onSave({ subject, dueDate });
    setSaving(false);
    setResult(r);
    if (r.ok) {
      setSubject("");
      setDueDate("");
    }
  };
  const fieldError = (field: "subject" | "dueDate") => {
    const message = result && !result.ok ? result.fieldErrors?.[field] : undefined;
    return message === undefined ? undefined : t(message.key, ...(message.args ?? []));
  };
  return (
    <Stack tokens={{ childrenGap: 8 }} role="form" aria-label={t("Action_followUp")}>
      <TextField label={t("FollowUp_Subject")} value={subject} onChange={(_, v) => setSubject(v ?? "")} errorMessage={fieldError("subject")} required />
      <TextField label={t("FollowUp_Due")} type="date" value={dueDate} onChange={(_, v) => setDueDate(v ?? "")} errorMessage={fieldError("dueDate")} />
      {result?.ok && <MessageBar messageBarType={MessageBarType.success}>{t("FollowUp_Saved")}</MessageBar>}
      {result && !result.ok && result.messageKey !== undefined && (
        <MessageBar messageBarType={MessageBarType.error}>{t("FollowUp_Failed", t(result.messageKey))}</MessageBar>
      )}
      <Stack horizontal tokens={{ childrenGap: 8 }}>
        <PrimaryButton text={t("FollowUp_Save")} onClick={() => void save()} disabled={saving} />
        <DefaultButton text={t("FollowUp_Cancel")} onClick={onClose} disabled={saving} />
      </Stack>
    </Stack>
  );
};

const QuickActions: React.FC<Pick<CustomerCardProps, "actions" | "t" | "onOpen" | "onCopy" | "onCreateTask"> & { compact: boolean }> = ({
  actions,
  t,
  onOpen,
  onCopy,
  onCreateTask,
  compact,
}) => {
  const [formOpen, setFormOpen] = React.useState(false);
  const [copyMessage, setCopyMessage] = React.useState<string | undefined>(undefined);
  const run = (action: ActionState) => {
    if (action.id === "followUp") setFormOpen(true);
    else if (action.id === "copyLink" && action.url !== undefined) {
      const url = action.url;
      void onCopy(url).then((ok) => setCopyMessage(ok ? t("Action_Copied") : t("Action_CopyFailed", url)));
    } else if (action.url !== undefined) onOpen(action.url);
  };
  return (
    <Stack tokens={{ childrenGap: 8 }}>
      <Stack horizontal wrap tokens={{ childrenGap: 4 }} role="toolbar" aria-label={t("Panel_Actions")}>
        {actions.map((a) => {
          const label = t(`Action_${a.id}`);
          const reason = a.unavailable === undefined ? undefined : t(a.unavailable);
          return (
            <ActionButton
              key={a.id}
              iconProps={{ iconName: ACTION_ICONS[a.id] }}
              text={compact ? undefined : label}
              ariaLabel={label}
              title={reason ?? label}
              ariaDescription={reason}
              disabled={a.unavailable !== undefined}
              onClick={() => run(a)}
            />
          );
        })}
      </Stack>
      {copyMessage !== undefined && <MessageBar onDismiss={() => setCopyMessage(undefined)}>{copyMessage}</MessageBar>}
      {formOpen && <FollowUpForm t={t} onSave={onCreateTask} onClose={() => setFormOpen(false)} />}
    </Stack>
  );
};

export const CustomerCard: React.FC<CustomerCardProps> = (props) => {
  const { state, t, layout, locale, sections } = props;
  const compact = layout === "compact";
  if (state.status === "noRecord" || state.status === "unsupported") {
    return (
      <Stack aria-label={t("Panel_Title")}>
        <Text>{t(state.status === "noRecord" ? "Panel_NoRecord" : "Panel_Unsupported")}</Text>
      </Stack>
    );
  }
  if (state.status === "error" && state.previous === undefined) {
    return (
      <Stack aria-label={t("Panel_Title")} tokens={{ childrenGap: 8 }}>
        <MessageBar
          messageBarType={MessageBarType.error}
          actions={<DefaultButton text={t("Panel_Retry")} onClick={props.onRetry} />}
          isMultiline
        >
          {t("Panel_LoadFailed", t(state.messageKey))}
        </MessageBar>
      </Stack>
    );
  }
  const card = state.status === "ready" ? state.card : state.previous;
  const tn = pluralTranslator(t, props.language ?? (locale.toLowerCase().startsWith("zh") ? 2052 : 1033), locale);
  if (card === undefined) {
    return (
      <Stack aria-label={t("Panel_Title")} aria-busy="true" tokens={{ childrenGap: 8 }}>
        <Text>{t("Panel_Loading")}</Text>
        <Shimmer />
        <Shimmer width="75%" />
        <Shimmer width="50%" />
      </Stack>
    );
  }
  const title = card.contact?.name ?? card.account?.name ?? "";
  return (
    <Stack
      aria-label={t("Panel_Title")}
      aria-busy={state.status === "loading"}
      tokens={{ childrenGap: compact ? 8 : 16 }}
      data-layout={layout}
      // Customer data can hold words longer than the panel is wide (a 4,000-character token, a URL): they wrap anywhere
      // rather than widen the panel. overflow-wrap inherits, and min-width 0 lets flex and grid children shrink to it.
      style={WRAP_ANYWHERE}
    >
      {state.status === "error" && (
        <MessageBar messageBarType={MessageBarType.warning} actions={<DefaultButton text={t("Panel_Retry")} onClick={props.onRetry} />} isMultiline>
          {t("Panel_ReloadFailed", t(state.messageKey))}
        </MessageBar>
      )}
      <Stack horizontal horizontalAlign="space-between" verticalAlign="center">
        <Text variant={compact ? "large" : "xLarge"} as="h2" styles={{ root: { margin: 0, wordBreak: "break-word" } }}>
          {title}
        </Text>
        <ActionButton iconProps={{ iconName: "Refresh" }} ariaLabel={t("Panel_Refresh")} title={t("Panel_Refresh")} onClick={props.onRefresh} />
      </Stack>
      <ErrorBoundary resetKeys={[props.actions, t]} fallback={() => <InlineNotice part="actions" text={t("Boundary_Actions")} />}>
        <QuickActions actions={props.actions} t={t} onOpen={props.onOpen} onCopy={props.onCopy} onCreateTask={props.onCreateTask} compact={compact} />
      </ErrorBoundary>
      {sections.map((section) => (
        <section key={section} aria-label={t(SECTION_TITLES[section])}>
          <Text variant={compact ? "medium" : "mediumPlus"} as="h3" styles={{ root: { fontWeight: 600, margin: "4px 0" } }}>
            {t(SECTION_TITLES[section])}
          </Text>
          {/* One section that cannot be drawn says so under its heading; the other sections and the actions stay. */}
          <ErrorBoundary resetKeys={[card, t, locale]} fallback={() => <InlineNotice part="section" text={t("Boundary_Section")} />}>
            <SectionBody section={section} card={card} t={t} tn={tn} locale={locale} compact={compact} onOpen={props.onOpen} />
          </ErrorBoundary>
        </section>
      ))}
    </Stack>
  );
};
