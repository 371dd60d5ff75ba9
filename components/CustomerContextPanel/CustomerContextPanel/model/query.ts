/**
 * The one Dataverse request behind the card: the account with every related list `$expand`ed, so the card costs one
 * round trip. On a contact form it is the contact with its own related lists and, sent at the same time, the same
 * account request addressed by the contact instead of by the account's id (`contactAccountQuery`): two requests, one
 * round trip.
 *
 * Nested `$expand` is avoided on purpose: Dataverse refuses `$top`/`$orderby` on a collection that has one, and at
 * most 15 `$expand` options are allowed per query (this builds at most 9). Tables the user may not read are left
 * out of the query instead of failing the whole request; the card marks those sections as not readable.
 */
import type { ExpandOption, QueryOptions } from "../../../common/src";

export type CardTable = "account" | "contact";

/** Related tables the card reads; each one's read privilege decides whether its `$expand` is sent. */
export type RelatedTable = "activitypointer" | "opportunity" | "incident" | "contact" | "tcc_teamslink" | "systemuser";

export const MAX_ACTIVITIES = 50;
export const DEFAULT_ACTIVITIES = 10;
/** Open opportunities, active cases and contacts beyond this many are not shown on a card. */
export const LIST_LIMIT = 25;

export interface CardQueryOptions {
  /** Recent activities to show; clamped to 1..50. */
  readonly recentActivityCount: number;
  readonly canRead: (table: RelatedTable) => boolean;
}

export function clampActivityCount(value: number | null | undefined): number {
  if (value === null || value === undefined || !Number.isFinite(value)) return DEFAULT_ACTIVITIES;
  return Math.min(MAX_ACTIVITIES, Math.max(1, Math.round(value)));
}

const ACTIVITY_SELECT = ["activityid", "activitytypecode", "subject", "scheduledstart", "scheduledend", "actualend", "createdon", "statecode", "_ownerid_value"];
const OPPORTUNITY_SELECT = ["opportunityid", "name", "estimatedvalue", "_transactioncurrencyid_value", "salesstage", "stepname", "closeprobability", "estimatedclosedate", "_ownerid_value"];
const INCIDENT_SELECT = ["incidentid", "title", "ticketnumber", "prioritycode", "statuscode", "createdon"];
const CONTACT_SELECT = ["contactid", "fullname", "jobtitle", "emailaddress1", "telephone1", "mobilephone"];
const TEAMS_LINK_SELECT = ["tcc_teamslinkid", "tcc_name", "tcc_kind", "tcc_status", "tcc_teamid", "tcc_channelid", "tcc_chatid", "tcc_weburl"];
/** `domainname` is the user principal name in Dataverse online; Teams links address people by it. */
const OWNER_EXPAND: ExpandOption = { navigationProperty: "owninguser", select: ["systemuserid", "fullname", "domainname", "internalemailaddress"] };

/** Navigation properties, which differ between account and contact only in their prefix and customer relationship. */
export interface CardNavigation {
  readonly activities: string;
  readonly emails: string;
  readonly phoneCalls: string;
  readonly opportunities: string;
  readonly incidents: string;
  readonly contacts?: string;
  readonly teamsLinks?: string;
}

export const NAVIGATION: Readonly<Record<CardTable, CardNavigation>> = {
  account: {
    activities: "Account_ActivityPointers",
    emails: "Account_Emails",
    phoneCalls: "Account_Phonecalls",
    opportunities: "opportunity_customer_accounts",
    incidents: "incident_customer_accounts",
    contacts: "contact_customer_accounts",
    teamsLinks: "tcc_account_tcc_teamslink_accountid",
  },
  contact: {
    activities: "Contact_ActivityPointers",
    emails: "Contact_Emails",
    phoneCalls: "Contact_Phonecalls",
    opportunities: "opportunity_customer_contacts",
    incidents: "incident_customer_contacts",
  },
};

const ACCOUNT_SELECT = [
  "accountid",
  "name",
  "industrycode",
  "customersizecode",
  "customertypecode",
  "numberofemployees",
  "revenue",
  "_transactioncurrencyid_value",
  "_ownerid_value",
  "_primarycontactid_value",
  "telephone1",
  "emailaddress1",
  "websiteurl",
];
const CONTACT_RECORD_SELECT = ["contactid", "fullname", "jobtitle", "emailaddress1", "telephone1", "mobilephone", "_parentcustomerid_value", "_ownerid_value"];

function relatedExpands(table: CardTable, options: CardQueryOptions): ExpandOption[] {
  const nav = NAVIGATION[table];
  const top = clampActivityCount(options.recentActivityCount);
  const expands: ExpandOption[] = [];
  if (options.canRead("activitypointer")) {
    expands.push({ navigationProperty: nav.activities, select: ACTIVITY_SELECT, orderBy: ["createdon desc"], top });
    // Direction lives on the typed activity tables, not on activitypointer; only the ids and the flag are read.
    expands.push({ navigationProperty: nav.emails, select: ["activityid", "directioncode"], orderBy: ["createdon desc"], top });
    expands.push({ navigationProperty: nav.phoneCalls, select: ["activityid", "directioncode"], orderBy: ["createdon desc"], top });
  }
  if (options.canRead("opportunity")) {
    expands.push({ navigationProperty: nav.opportunities, select: OPPORTUNITY_SELECT, filter: "statecode eq 0", orderBy: ["estimatedclosedate asc"], top: LIST_LIMIT });
  }
  if (options.canRead("incident")) {
    expands.push({ navigationProperty: nav.incidents, select: INCIDENT_SELECT, filter: "statecode eq 0", orderBy: ["createdon desc"], top: LIST_LIMIT });
  }
  if (nav.contacts !== undefined && options.canRead("contact")) {
    expands.push({ navigationProperty: nav.contacts, select: CONTACT_SELECT, filter: "statecode eq 0", orderBy: ["fullname asc"], top: LIST_LIMIT });
  }
  if (nav.teamsLinks !== undefined && options.canRead("tcc_teamslink")) {
    expands.push({ navigationProperty: nav.teamsLinks, select: TEAMS_LINK_SELECT, filter: "statecode eq 0", orderBy: ["createdon desc"], top: LIST_LIMIT });
  }
  if (options.canRead("systemuser")) expands.push(OWNER_EXPAND);
  return expands;
}

export function accountCardQuery(options: CardQueryOptions): QueryOptions {
  return { select: ACCOUNT_SELECT, expand: relatedExpands("account", options) };
}

export function contactCardQuery(options: CardQueryOptions): QueryOptions {
  return { select: CONTACT_RECORD_SELECT, expand: relatedExpands("contact", options) };
}

/**
 * The account card query for the account a contact belongs to, found through the contact (its `parentcustomerid`,
 * whose account-side navigation property is `contact_customer_accounts`) so it need not wait for the contact's answer.
 * A lambda filter on the accounts, not a nested `$expand` under the contact: Dataverse refuses `$top`/`$orderby` in an
 * `$expand` below a lookup, and the account's lists need both. At most one account matches; none when the contact's
 * company is a contact or empty. Undefined when the id is no GUID, which then never reaches the filter.
 */
export function contactAccountQuery(contactId: string, options: CardQueryOptions): QueryOptions | undefined {
  const id = bareGuid(contactId);
  if (id === undefined) return undefined;
  return { ...accountCardQuery(options), filter: `contact_customer_accounts/any(c:c/contactid eq ${id})` };
}

/** `tcc_teamslink.tcc_kind` of a deal-room chat, and `tcc_status` Active: the chat exists (also while its approval waits). */
export const DEAL_ROOM_KIND = 615300002;
export const TEAMS_LINK_ACTIVE = 615300001;
const DEAL_ROOM_SELECT = ["tcc_teamslinkid", "tcc_name", "tcc_kind", "tcc_status", "tcc_approvalstatus", "tcc_chatid", "tcc_weburl", "_tcc_opportunityid_value"];
const GUID = /^\{?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\}?$/i;

/** A record id as Dataverse writes it in a lookup value (no braces, lower case), or undefined when it is no GUID. */
export function bareGuid(id: string): string | undefined {
  return GUID.exec(id.trim())?.[1].toLowerCase();
}

/**
 * The deal rooms of the deals the card shows. A deal room's link points at its opportunity, not at the account, so the
 * account's `$expand` of Teams Links never sees it; and a nested `$expand` under the opportunities is refused with the
 * `$orderby`/`$top` that list uses. One query by the opportunities' ids instead; only GUIDs reach the filter. Undefined
 * when there is no id to ask for.
 */
export function dealRoomQuery(opportunityIds: readonly string[]): QueryOptions | undefined {
  const ids = [...new Set(opportunityIds.map(bareGuid).filter((id): id is string => id !== undefined))];
  if (ids.length === 0) return undefined;
  return {
    select: DEAL_ROOM_SELECT,
    filter:
      `tcc_kind eq ${DEAL_ROOM_KIND} and statecode eq 0 and tcc_status eq ${TEAMS_LINK_ACTIVE} and ` +
      `Microsoft.Dynamics.CRM.In(PropertyName='tcc_opportunityid',PropertyValues=[${ids.map((id) => `'${id}'`).join(",")}])`,
  };
}
