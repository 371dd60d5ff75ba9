import * as React from "react";
import { Icon, Link, Stack, Text, TooltipHost, useTheme } from "@fluentui/react";
import { isTeamsUserId } from "../../common/src";
import { ErrorBoundary, InlineNotice } from "../../common/src/ui/ErrorBoundary";
import {
  type ActiveCase,
  type ActivityKind,
  type CardModel,
  type ContactItem,
  type DealRoom,
  type Interaction,
  type KeyFacts,
  type OpenOpportunity,
  type TeamsLinkItem,
  teamsLinkStatus,
} from "./model/cardModel";

/** Looks a string up in the control's resx and fills `{0}`, `{1}`… with the arguments, as text. */
export type Translate = (key: string, ...args: (string | number)[]) => string;

/** The plural form of a string (`<key>_one`, `<key>_other`) for a count, which fills `{0}` (pluralTranslator). */
export type PluralTranslate = (key: string, count: number, ...args: (string | number)[]) => string;

export interface SectionProps {
  readonly card: CardModel;
  readonly t: Translate;
  readonly tn: PluralTranslate;
  /** BCP 47 locale for dates and numbers, e.g. `zh-CN`. */
  readonly locale: string;
  readonly compact: boolean;
}

const ACTIVITY_ICONS: Readonly<Record<ActivityKind, string>> = {
  task: "TaskLogo",
  phonecall: "Phone",
  email: "Mail",
  appointment: "Calendar",
  other: "QuickNote",
};

function formatDate(iso: string | undefined, locale: string, withTime = false): string | undefined {
  if (iso === undefined) return undefined;
  const date = new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
  if (Number.isNaN(date.getTime())) return undefined;
  return new Intl.DateTimeFormat(locale, {
    year: "numeric",
    month: "short",
    day: "numeric",
    ...(withTime && { hour: "2-digit", minute: "2-digit" }),
    // A date-only value has no time zone; showing it in UTC keeps 14 March on 14 March everywhere.
    ...(iso.length === 10 && { timeZone: "UTC" }),
  }).format(date);
}

const Row: React.FC<{ label: string; value: string | undefined }> = ({ label, value }) => {
  // Colours come from the theme so that Teams' dark and high-contrast themes keep labels readable.
  const theme = useTheme();
  return value === undefined ? null : (
    <Stack horizontal tokens={{ childrenGap: 8 }} wrap>
      <Text styles={{ root: { minWidth: 110, color: theme.semanticColors.bodySubtext } }}>{label}</Text>
      <Text styles={{ root: { wordBreak: "break-word" } }}>{value}</Text>
    </Stack>
  );
};

export const FactsSection: React.FC<SectionProps> = ({ card, t, locale }) => {
  const facts: KeyFacts | undefined = card.account;
  const status = teamsLinkStatus(card.teamsLinks);
  return (
    <Stack tokens={{ childrenGap: 4 }}>
      {card.contact && <Row label={t("Fact_Contact")} value={[card.contact.name, card.contact.jobTitle].filter(Boolean).join(" · ")} />}
      {facts === undefined ? (
        <Text>{t("Fact_NoAccount")}</Text>
      ) : (
        <>
          <Row label={t("Fact_Name")} value={facts.name} />
          <Row label={t("Fact_Industry")} value={facts.industry} />
          <Row label={t("Fact_Size")} value={facts.size} />
          <Row label={t("Fact_Employees")} value={facts.employees === undefined ? undefined : new Intl.NumberFormat(locale).format(facts.employees)} />
          <Row label={t("Fact_Revenue")} value={facts.revenueText} />
          <Row label={t("Fact_Owner")} value={facts.owner} />
          <Row label={t("Fact_PrimaryContact")} value={facts.primaryContact} />
          <Row label={t("Fact_Relationship")} value={facts.relationshipType} />
          <Row label={t("Fact_TeamsStatus")} value={t(`TeamsStatus_${status}`)} />
        </>
      )}
    </Stack>
  );
};

const InteractionRow: React.FC<{ item: Interaction; t: Translate; locale: string }> = ({ item, t, locale }) => {
  const typeLabel = item.kind === "other" ? (item.typeName === "annotation" ? t("Activity_annotation") : item.typeName) : t(`Activity_${item.kind}`);
  const details = [typeLabel, formatDate(item.date, locale, true), item.owner, item.direction && t(`Direction_${item.direction}`), item.pending ? t("Activity_Pending") : undefined]
    .filter(Boolean)
    .join(" · ");
  return (
    <li data-pending={item.pending ? "true" : undefined} style={{ opacity: item.pending ? 0.6 : 1, listStyle: "none" }}>
      <Stack horizontal tokens={{ childrenGap: 8 }} verticalAlign="start">
        <Icon iconName={ACTIVITY_ICONS[item.kind]} aria-label={typeLabel} title={typeLabel} data-activity-kind={item.kind} />
        <Stack>
          <Text>{item.subject ?? ""}</Text>
          <Text variant="small">{details}</Text>
        </Stack>
      </Stack>
    </li>
  );
};

/**
 * A section's list. Each item has its own error boundary: one record that cannot be drawn becomes a one-line notice
 * and the other items stay.
 */
function List<T extends { readonly id: string }>({ items, empty, failed, render }: { items: readonly T[]; empty: string; failed: string; render: (item: T) => React.ReactNode }): React.ReactElement {
  if (items.length === 0) return <Text>{empty}</Text>;
  return (
    <ul style={{ margin: 0, padding: 0, display: "grid", gap: 8 }}>
      {items.map((item, index) => (
        <ErrorBoundary
          key={`${String(item.id)}#${index}`}
          resetKeys={[item]}
          fallback={() => (
            <li style={{ listStyle: "none" }}>
              <InlineNotice part="item" text={failed} recordId={String(item.id)} />
            </li>
          )}
        >
          {render(item)}
        </ErrorBoundary>
      ))}
    </ul>
  );
}

export const InteractionsSection: React.FC<SectionProps> = ({ card, t, locale }) => (
  <List
    items={card.interactions}
    empty={t("Empty_Interactions")}
    failed={t("Boundary_Item")}
    render={(i) => <InteractionRow key={i.id} item={i} t={t} locale={locale} />}
  />
);

/**
 * A deal's deal-room chat under the deal: the approval's state in words and a link that opens the chat through the
 * panel's link rule (only the safe Teams links the model made; a refused stored address says why instead).
 */
const DealRoomLine: React.FC<{ room: DealRoom; deal: string | undefined; t: Translate; onOpen: (url: string) => void }> = ({ room, deal, t, onOpen }) => {
  const theme = useTheme();
  const label = t("DealRoom_Label");
  return (
    <Stack horizontal tokens={{ childrenGap: 8 }} verticalAlign="center" wrap data-deal-room={room.id} data-approval={room.approval}>
      <Icon iconName="TeamsLogo" aria-hidden />
      <Text variant="small">{label}</Text>
      <Text variant="small" styles={{ root: { fontWeight: 600, color: room.approval === "pending" ? theme.palette.themePrimary : undefined } }}>
        {t(`Approval_${room.approval}`)}
      </Text>
      {room.url !== undefined && (
        <Link onClick={() => onOpen(room.url ?? "")} aria-label={deal === undefined ? t("DealRoom_Open") : t("DealRoom_OpenFor", deal)}>
          {t("DealRoom_Open")}
        </Link>
      )}
      {room.url === undefined && room.problem !== undefined && (
        <Text variant="small" data-teams-link-problem={room.problem}>
          {t("Teams_NotOpenable", t(`TeamsUrl_${room.problem}`))}
        </Text>
      )}
    </Stack>
  );
};

export const OpportunitiesSection: React.FC<SectionProps & { onOpen: (url: string) => void }> = ({ card, t, locale, onOpen }) => (
  <Stack tokens={{ childrenGap: 6 }}>
    <List
      items={card.opportunities}
      empty={t("Empty_Opportunities")}
      failed={t("Boundary_Item")}
      render={(o: OpenOpportunity) => (
        <li key={o.id} style={{ listStyle: "none" }} data-overdue={o.overdue ? "true" : undefined}>
          <Stack>
            <Stack horizontal horizontalAlign="space-between" tokens={{ childrenGap: 8 }} wrap>
              <Text styles={{ root: { fontWeight: 600 } }}>{o.name ?? ""}</Text>
              <Text>{o.valueText ?? (o.value === undefined ? "" : new Intl.NumberFormat(locale).format(o.value))}</Text>
            </Stack>
            <Text variant="small">
              {[o.stage, o.probability === undefined ? undefined : t("Opportunity_Probability", o.probability), o.closeDate && t("Opportunity_Closes", formatDate(o.closeDate, locale) ?? o.closeDate)]
                .filter(Boolean)
                .join(" · ")}
              {o.overdue && (
                <Text variant="small" styles={(p) => ({ root: { color: p.theme?.semanticColors.errorText, fontWeight: 600, marginLeft: 6 } })}>
                  {t("Opportunity_Overdue")}
                </Text>
              )}
            </Text>
            {o.dealRoom !== undefined && <DealRoomLine room={o.dealRoom} deal={o.name} t={t} onOpen={onOpen} />}
          </Stack>
        </li>
      )}
    />
    {card.dealRoomsFailed === true && card.opportunities.length > 0 && (
      <Text variant="small" data-deal-rooms="failed">
        {t("DealRooms_Failed")}
      </Text>
    )}
  </Stack>
);

/** Case priority (1 high, 2 normal, 3 low) as a colour of the current theme. */
function priorityColour(theme: ReturnType<typeof useTheme>, code: number | undefined): string {
  if (code === 1) return theme.semanticColors.errorText;
  if (code === 2) return theme.palette.themePrimary;
  if (code === 3) return theme.semanticColors.bodySubtext;
  return "inherit";
}

export const CasesSection: React.FC<SectionProps> = ({ card, t, tn }) => {
  const theme = useTheme();
  return (
    <List
      items={card.cases}
      empty={t("Empty_Cases")}
      failed={t("Boundary_Item")}
      render={(c: ActiveCase) => (
        <li key={c.id} style={{ listStyle: "none" }}>
          <Stack>
            <Text styles={{ root: { fontWeight: 600 } }}>{[c.number, c.title].filter(Boolean).join(" ")}</Text>
            <Text variant="small">
              {c.priority !== undefined && (
                <span style={{ color: priorityColour(theme, c.priorityCode), marginRight: 6 }}>{t("Case_Priority", c.priority)}</span>
              )}
              {[c.status, c.ageDays === undefined ? undefined : tn("Case_Age", c.ageDays)].filter(Boolean).join(" · ")}
            </Text>
          </Stack>
        </li>
      )}
    />
  );
};

/** Only a plain address becomes a mailto: link; anything odd is shown as text so it cannot smuggle headers in. */
function mailHref(email: string | undefined): string | undefined {
  return email !== undefined && isTeamsUserId(email) && !email.includes("?") ? `mailto:${email}` : undefined;
}

function telHref(phone: string | undefined): string | undefined {
  if (phone === undefined) return undefined;
  const digits = phone.replace(/[\s().-]/g, "");
  return /^\+?\d{3,20}$/.test(digits) ? `tel:${digits}` : undefined;
}

export const ContactsSection: React.FC<SectionProps> = ({ card, t }) => (
  <List
    items={card.contacts}
    empty={t("Empty_Contacts")}
    failed={t("Boundary_Item")}
    render={(c: ContactItem) => {
      const mail = mailHref(c.email);
      const tel = telHref(c.phone);
      return (
        <li key={c.id} style={{ listStyle: "none" }}>
          <Stack>
            <Text styles={{ root: { fontWeight: 600 } }}>{c.name ?? ""}</Text>
            {c.jobTitle && <Text variant="small">{c.jobTitle}</Text>}
            <Stack horizontal tokens={{ childrenGap: 12 }} wrap>
              {c.email !== undefined && (mail ? <Link href={mail} aria-label={t("Contact_Mail", c.name ?? c.email, c.email)}>{c.email}</Link> : <Text>{c.email}</Text>)}
              {c.phone !== undefined && (tel ? <Link href={tel} aria-label={t("Contact_Call", c.name ?? c.phone, c.phone)}>{c.phone}</Link> : <Text>{c.phone}</Text>)}
            </Stack>
          </Stack>
        </li>
      );
    }}
  />
);

export const TeamsSection: React.FC<SectionProps & { onOpen: (url: string) => void }> = ({ card, t, onOpen }) => (
  <List
    items={card.teamsLinks}
    empty={t("Empty_Teams")}
    failed={t("Boundary_Item")}
    render={(l: TeamsLinkItem) => (
      <li key={l.id} style={{ listStyle: "none" }}>
        <Stack horizontal tokens={{ childrenGap: 8 }} verticalAlign="center" wrap>
          <Text styles={{ root: { fontWeight: 600 } }}>{l.name ?? t(`TeamsKind_${l.kind}`)}</Text>
          <Text variant="small">{`${t(`TeamsKind_${l.kind}`)} · ${t(`TeamsStatus_${l.status}`)}`}</Text>
          {l.url !== undefined && (
            <TooltipHost content={t("Teams_Open")}>
              <Link onClick={() => onOpen(l.url ?? "")}>{t("Teams_Open")}</Link>
            </TooltipHost>
          )}
          {l.url === undefined && l.problem !== undefined && (
            <Text variant="small" data-teams-link-problem={l.problem}>
              {t("Teams_NotOpenable", t(`TeamsUrl_${l.problem}`))}
            </Text>
          )}
        </Stack>
      </li>
    )}
  />
);
