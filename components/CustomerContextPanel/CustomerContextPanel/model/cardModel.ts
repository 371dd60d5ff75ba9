/**
 * The card's view model, built from the Web API JSON of the card query (see query.ts). Pure: the same response and
 * "today" give the same model. Display text for choices, lookups and money comes from Dataverse's formatted values,
 * which are already in the user's language and the record's currency; raw values are kept for decisions (overdue,
 * age, priority colour, Teams link status).
 */
import { type DataverseRow, formattedValueOf, checkStoredTeamsUrl, channelLink, existingChatLink, type StoredTeamsUrlProblem } from "../../../common/src";
import { bareGuid, type CardTable, NAVIGATION, type RelatedTable } from "./query";

export type ActivityKind = "task" | "phonecall" | "email" | "appointment" | "other";
export type Direction = "incoming" | "outgoing";

export interface Person {
  readonly id?: string;
  readonly name?: string;
  /** User principal name for Teams links, when the owner is a user we could read. */
  readonly upn?: string;
}

export interface Interaction {
  readonly id: string;
  readonly kind: ActivityKind;
  /** Dataverse's own name of the type, for activity types the card has no icon for. */
  readonly typeName: string;
  readonly subject?: string;
  /** ISO timestamp the interaction is sorted and shown by: when it ended, else when it is scheduled, else created. */
  readonly date?: string;
  readonly owner?: string;
  readonly direction?: Direction;
  readonly open: boolean;
  /** Written by this panel and not yet confirmed by Dataverse. */
  readonly pending?: boolean;
}

export interface OpenOpportunity {
  readonly id: string;
  readonly name?: string;
  readonly value?: number;
  /** The value formatted by Dataverse in the opportunity's own currency. */
  readonly valueText?: string;
  readonly stage?: string;
  readonly probability?: number;
  /** `YYYY-MM-DD`. */
  readonly closeDate?: string;
  readonly overdue: boolean;
  /** The deal's deal-room chat, when it has an active one the user may read. */
  readonly dealRoom?: DealRoom;
}

/** `tcc_approvalstatus` of a deal room; "none" when no approval was started. */
export type ApprovalState = "none" | "pending" | "approved" | "rejected" | "timedOut" | "unknown";

export interface DealRoom {
  readonly id: string;
  readonly name?: string;
  readonly approval: ApprovalState;
  /** A safe https Teams link to the chat, as for the Teams section's links. */
  readonly url?: string;
  readonly problem?: StoredTeamsUrlProblem;
}

export interface ActiveCase {
  readonly id: string;
  readonly title?: string;
  readonly number?: string;
  readonly priority?: string;
  readonly priorityCode?: number;
  readonly status?: string;
  readonly createdOn?: string;
  /** Whole days since the case was created, for "age". */
  readonly ageDays?: number;
}

export interface ContactItem {
  readonly id: string;
  readonly name?: string;
  readonly jobTitle?: string;
  readonly email?: string;
  readonly phone?: string;
}

export type TeamsLinkKind = "team" | "channel" | "chat" | "unknown";
export type TeamsLinkStatus = "provisioning" | "active" | "archived" | "failed" | "unknown";

export interface TeamsLinkItem {
  readonly id: string;
  readonly name?: string;
  readonly kind: TeamsLinkKind;
  readonly status: TeamsLinkStatus;
  /** A safe https Teams link to open, when the row has one or enough ids to build one. */
  readonly url?: string;
  /** Why the row's stored URL is not opened, when it has one that is no Teams deep link and no ids to build one. */
  readonly problem?: StoredTeamsUrlProblem;
}

export interface KeyFacts {
  readonly id: string;
  readonly name?: string;
  readonly industry?: string;
  readonly size?: string;
  readonly employees?: number;
  readonly revenueText?: string;
  readonly owner?: string;
  readonly primaryContact?: string;
  readonly relationshipType?: string;
  readonly phone?: string;
  readonly email?: string;
}

/** The contact a contact form is about; the rest of the card is its account's context. */
export interface FocusContact extends ContactItem {
  readonly accountId?: string;
}

export type Section = "facts" | "interactions" | "opportunities" | "cases" | "contacts" | "teams";

export interface CardModel {
  readonly table: CardTable;
  readonly recordId: string;
  /** On a contact form: the contact itself. */
  readonly contact?: FocusContact;
  /** The account (the record itself on an account form; the contact's account on a contact form, if any). */
  readonly account?: KeyFacts;
  readonly owner: Person;
  readonly interactions: readonly Interaction[];
  readonly opportunities: readonly OpenOpportunity[];
  readonly cases: readonly ActiveCase[];
  readonly contacts: readonly ContactItem[];
  readonly teamsLinks: readonly TeamsLinkItem[];
  /** Sections whose table the user may not read, so they say so rather than look empty. */
  readonly unreadable: readonly Section[];
  /** The deal-room query failed: the deals are shown without their deal rooms, and the card says so quietly. */
  readonly dealRoomsFailed?: boolean;
}

export const TEAMS_LINK_KIND_VALUES: Readonly<Record<number, TeamsLinkKind>> = { 615300000: "team", 615300001: "channel", 615300002: "chat" };
export const TEAMS_LINK_STATUS_VALUES: Readonly<Record<number, TeamsLinkStatus>> = {
  615300000: "provisioning",
  615300001: "active",
  615300002: "archived",
  615300003: "failed",
};

export const APPROVAL_STATE_VALUES: Readonly<Record<number, ApprovalState>> = {
  615300000: "pending",
  615300001: "approved",
  615300002: "rejected",
  615300003: "timedOut",
};

const text = (row: DataverseRow, column: string): string | undefined => {
  const v = row[column];
  return typeof v === "string" && v.trim() !== "" ? v : undefined;
};
const num = (row: DataverseRow, column: string): number | undefined => {
  const v = row[column];
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
};
const rows = (row: DataverseRow, nav: string | undefined): readonly DataverseRow[] => {
  if (nav === undefined) return [];
  const v = row[nav];
  return Array.isArray(v) ? (v.filter((x) => typeof x === "object" && x !== null) as DataverseRow[]) : [];
};
const idOf = (row: DataverseRow, column: string): string => text(row, column) ?? "";
const shown = (row: DataverseRow, column: string): string | undefined => formattedValueOf(row, column) ?? text(row, column);

const ACTIVITY_KINDS: readonly ActivityKind[] = ["task", "phonecall", "email", "appointment"];

function activityKind(typeCode: string | undefined): ActivityKind {
  return ACTIVITY_KINDS.find((k) => k === typeCode) ?? "other";
}

function interactions(record: DataverseRow, table: CardTable): Interaction[] {
  const nav = NAVIGATION[table];
  const directions = new Map<string, Direction>();
  for (const typed of [...rows(record, nav.emails), ...rows(record, nav.phoneCalls)]) {
    const flag = typed.directioncode;
    if (typeof flag === "boolean") directions.set(idOf(typed, "activityid"), flag ? "outgoing" : "incoming");
  }
  return rows(record, nav.activities).map((a) => {
    const id = idOf(a, "activityid");
    const typeCode = text(a, "activitytypecode");
    const kind = activityKind(typeCode);
    const date = text(a, "actualend") ?? text(a, "scheduledstart") ?? text(a, "scheduledend") ?? text(a, "createdon");
    const direction = directions.get(id);
    const subject = text(a, "subject");
    const owner = formattedValueOf(a, "_ownerid_value");
    return {
      id,
      kind,
      typeName: formattedValueOf(a, "activitytypecode") ?? typeCode ?? "",
      open: num(a, "statecode") === 0 || num(a, "statecode") === 3,
      ...(subject !== undefined && { subject }),
      ...(date !== undefined && { date }),
      ...(owner !== undefined && { owner }),
      ...(direction !== undefined && { direction }),
    };
  });
}

/** Newest first; undated last; ties keep a stable order by id so renders do not shuffle. */
export function byNewest(a: Interaction, b: Interaction): number {
  if (a.date === b.date) return a.id.localeCompare(b.id);
  if (a.date === undefined) return 1;
  if (b.date === undefined) return -1;
  return Date.parse(b.date) - Date.parse(a.date);
}

function opportunities(record: DataverseRow, table: CardTable, today: string): OpenOpportunity[] {
  return rows(record, NAVIGATION[table].opportunities).map((o) => {
    const closeDate = text(o, "estimatedclosedate")?.slice(0, 10);
    const value = num(o, "estimatedvalue");
    const valueText = formattedValueOf(o, "estimatedvalue");
    const name = text(o, "name");
    const stage = formattedValueOf(o, "salesstage") ?? text(o, "stepname");
    const probability = num(o, "closeprobability");
    return {
      id: idOf(o, "opportunityid"),
      overdue: closeDate !== undefined && closeDate < today,
      ...(name !== undefined && { name }),
      ...(value !== undefined && { value }),
      ...(valueText !== undefined && { valueText }),
      ...(stage !== undefined && { stage }),
      ...(probability !== undefined && { probability }),
      ...(closeDate !== undefined && { closeDate }),
    };
  });
}

const DAY_MS = 86_400_000;

function cases(record: DataverseRow, table: CardTable, now: number): ActiveCase[] {
  return rows(record, NAVIGATION[table].incidents).map((c) => {
    const createdOn = text(c, "createdon");
    const created = createdOn === undefined ? NaN : Date.parse(createdOn);
    const fields = {
      title: text(c, "title"),
      number: text(c, "ticketnumber"),
      priority: formattedValueOf(c, "prioritycode"),
      priorityCode: num(c, "prioritycode"),
      status: formattedValueOf(c, "statuscode"),
      createdOn,
      ageDays: Number.isNaN(created) ? undefined : Math.max(0, Math.floor((now - created) / DAY_MS)),
    };
    return { id: idOf(c, "incidentid"), ...defined(fields) };
  });
}

function defined<T extends Record<string, unknown>>(fields: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}

function contactItem(c: DataverseRow): ContactItem {
  return {
    id: idOf(c, "contactid"),
    ...defined({ name: text(c, "fullname"), jobTitle: text(c, "jobtitle"), email: text(c, "emailaddress1"), phone: text(c, "telephone1") ?? text(c, "mobilephone") }),
  };
}

function teamsLinkTarget(l: DataverseRow, kind: TeamsLinkKind): { url?: string; problem?: StoredTeamsUrlProblem } {
  const stored = text(l, "tcc_weburl");
  const checked = stored === undefined ? undefined : checkStoredTeamsUrl(stored);
  if (checked?.ok) return { url: checked.url };
  const channelId = text(l, "tcc_channelid");
  const teamId = text(l, "tcc_teamid");
  const chatId = text(l, "tcc_chatid");
  if (kind === "channel" && channelId !== undefined && teamId !== undefined) return { url: channelLink({ channelId, teamId, channelName: text(l, "tcc_name") ?? "" }) };
  if (kind === "chat" && chatId !== undefined) return { url: existingChatLink(chatId) };
  // A team link needs its General channel's thread id, which the row does not hold: without webUrl there is none.
  return checked === undefined ? {} : { problem: checked.problem };
}

function teamsLinks(record: DataverseRow): TeamsLinkItem[] {
  return rows(record, NAVIGATION.account.teamsLinks).map((l) => {
    const kind = TEAMS_LINK_KIND_VALUES[num(l, "tcc_kind") ?? -1] ?? "unknown";
    const status = TEAMS_LINK_STATUS_VALUES[num(l, "tcc_status") ?? -1] ?? "unknown";
    const target = status === "active" ? teamsLinkTarget(l, kind) : {};
    return { id: idOf(l, "tcc_teamslinkid"), kind, status, ...defined({ name: text(l, "tcc_name"), url: target.url, problem: target.problem }) };
  });
}

function dealRoom(l: DataverseRow): DealRoom {
  const value = l.tcc_approvalstatus;
  const approval: ApprovalState = value === null || value === undefined ? "none" : (APPROVAL_STATE_VALUES[num(l, "tcc_approvalstatus") ?? -1] ?? "unknown");
  const target = teamsLinkTarget(l, "chat");
  return { id: idOf(l, "tcc_teamslinkid"), approval, ...defined({ name: text(l, "tcc_name"), url: target.url, problem: target.problem }) };
}

/**
 * The card with each shown deal's deal room, from the rows of the deal-room query (query.ts `dealRoomQuery`). Only
 * active deal-room chats count, whatever the rows say; a deal with more than one keeps the first that can be opened.
 */
export function withDealRooms(card: CardModel, links: readonly DataverseRow[]): CardModel {
  const byDeal = new Map<string, DealRoom>();
  for (const l of links) {
    if (num(l, "tcc_kind") !== 615300002 || num(l, "tcc_status") !== 615300001) continue;
    const deal = bareGuid(text(l, "_tcc_opportunityid_value") ?? "");
    if (deal === undefined) continue;
    const room = dealRoom(l);
    const known = byDeal.get(deal);
    if (known === undefined || (known.url === undefined && room.url !== undefined)) byDeal.set(deal, room);
  }
  return {
    ...card,
    opportunities: card.opportunities.map((o) => {
      const room = byDeal.get(bareGuid(o.id) ?? "");
      return room === undefined ? o : { ...o, dealRoom: room };
    }),
  };
}

/** The card when its deal rooms could not be read: the deals as they are, and a quiet note. */
export function withoutDealRooms(card: CardModel): CardModel {
  return { ...card, dealRoomsFailed: true };
}

function keyFacts(account: DataverseRow): KeyFacts {
  return {
    id: idOf(account, "accountid"),
    ...defined({
      name: text(account, "name"),
      industry: formattedValueOf(account, "industrycode"),
      size: formattedValueOf(account, "customersizecode"),
      employees: num(account, "numberofemployees"),
      revenueText: shown(account, "revenue"),
      owner: formattedValueOf(account, "_ownerid_value"),
      primaryContact: formattedValueOf(account, "_primarycontactid_value"),
      relationshipType: formattedValueOf(account, "customertypecode"),
      phone: text(account, "telephone1"),
      email: text(account, "emailaddress1"),
    }),
  };
}

function ownerOf(record: DataverseRow): Person {
  const user = record.owninguser;
  const u = typeof user === "object" && user !== null ? (user as DataverseRow) : undefined;
  return defined({
    id: text(record, "_ownerid_value"),
    name: formattedValueOf(record, "_ownerid_value") ?? (u && text(u, "fullname")),
    upn: u && (text(u, "domainname") ?? text(u, "internalemailaddress")),
  });
}

export const SECTION_TABLE: Readonly<Record<Exclude<Section, "facts">, RelatedTable>> = {
  interactions: "activitypointer",
  opportunities: "opportunity",
  cases: "incident",
  contacts: "contact",
  teams: "tcc_teamslink",
};

export function unreadableSections(canRead: (table: RelatedTable) => boolean): Section[] {
  return (Object.keys(SECTION_TABLE) as (keyof typeof SECTION_TABLE)[]).filter((s) => !canRead(SECTION_TABLE[s]));
}

export interface BuildOptions {
  readonly recentActivityCount: number;
  /** `YYYY-MM-DD` in the user's time zone, for "overdue". */
  readonly today: string;
  readonly now: number;
  readonly unreadable?: readonly Section[];
}

function uniqueById<T extends { id: string }>(items: readonly T[]): T[] {
  const seen = new Set<string>();
  return items.filter((i) => (seen.has(i.id) ? false : (seen.add(i.id), true)));
}

/** The account card from the account request. */
export function accountCard(account: DataverseRow, options: BuildOptions): CardModel {
  return {
    table: "account",
    recordId: idOf(account, "accountid"),
    account: keyFacts(account),
    owner: ownerOf(account),
    interactions: interactions(account, "account").sort(byNewest).slice(0, options.recentActivityCount),
    opportunities: opportunities(account, "account", options.today),
    cases: cases(account, "account", options.now),
    contacts: rows(account, NAVIGATION.account.contacts).map(contactItem),
    teamsLinks: teamsLinks(account),
    unreadable: options.unreadable ?? [],
  };
}

/** The account a contact belongs to, if its company is an account (a contact's company can also be a contact). */
export function parentAccountId(contact: DataverseRow): string | undefined {
  const table = contact["_parentcustomerid_value@Microsoft.Dynamics.CRM.lookuplogicalname"];
  return table === "account" ? text(contact, "_parentcustomerid_value") : undefined;
}

/**
 * The contact card: the contact, and its account's context merged with the contact's own activities, opportunities
 * and cases (an activity regarding both appears once).
 */
export function contactCard(contact: DataverseRow, account: DataverseRow | undefined, options: BuildOptions): CardModel {
  const accountModel = account ? accountCard(account, options) : undefined;
  const accountId = parentAccountId(contact);
  const focus: FocusContact = { ...contactItem(contact), ...defined({ accountId }) };
  return {
    table: "contact",
    recordId: focus.id,
    contact: focus,
    ...(accountModel?.account && { account: accountModel.account }),
    owner: ownerOf(contact),
    interactions: uniqueById([...interactions(contact, "contact"), ...(accountModel?.interactions ?? [])])
      .sort(byNewest)
      .slice(0, options.recentActivityCount),
    opportunities: uniqueById([...opportunities(contact, "contact", options.today), ...(accountModel?.opportunities ?? [])]),
    cases: uniqueById([...cases(contact, "contact", options.now), ...(accountModel?.cases ?? [])]),
    contacts: accountModel?.contacts ?? [],
    teamsLinks: accountModel?.teamsLinks ?? [],
    unreadable: options.unreadable ?? [],
  };
}

/** The state the card shows for its Teams link, in key facts: the best of all rows. */
export function teamsLinkStatus(links: readonly TeamsLinkItem[]): TeamsLinkStatus | "none" {
  for (const status of ["active", "provisioning", "failed", "archived", "unknown"] as const) {
    if (links.some((l) => l.status === status)) return status;
  }
  return "none";
}
