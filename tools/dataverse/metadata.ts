/**
 * The tables and columns the in-memory Dataverse knows: the standard sales and service tables our controls and flows
 * touch, plus our own tcc_teamslink. The standard tables are a hand-written subset of what Dynamics 365 has; the
 * conformance suite holds every name, type, choice and navigation property here to Microsoft's table reference pages
 * (test/conformance/dataverse). Our own table is read from solution/ (solutionTables.generated.ts), never typed here.
 */

import { SOLUTION_RELATIONSHIPS, SOLUTION_TABLES } from "./solutionTables.generated";

export type LanguageId = 1033 | 2052;
export type Labels = Readonly<Record<LanguageId, string>>;

export type ColumnType =
  | "uniqueidentifier"
  | "string"
  | "memo"
  | "integer"
  | "bigint"
  | "decimal"
  | "money"
  | "datetime"
  | "dateonly"
  | "boolean"
  | "choice"
  | "state"
  | "status"
  | "lookup";

export interface ChoiceOption {
  readonly value: number;
  readonly labels: Labels;
  readonly color?: string;
  /** For status reasons: the state this reason belongs to. */
  readonly state?: number;
  /** For states: the status reason a record gets when only the state is set. */
  readonly defaultStatus?: number;
}

export interface LookupTarget {
  readonly table: string;
  /** The single-valued navigation property used for `@odata.bind` and `$expand` to this target. */
  readonly navigationProperty: string;
}

export interface ColumnMetadata {
  readonly logicalName: string;
  /** Known for the columns our solution defines (read from solution/); Dataverse's own are not recorded. */
  readonly schemaName?: string;
  readonly type: ColumnType;
  readonly displayName: Labels;
  readonly maxLength?: number;
  readonly options?: readonly ChoiceOption[];
  readonly targets?: readonly LookupTarget[];
  /** Computed or system-maintained: a client may read it but never write it. */
  readonly readOnly?: boolean;
  /** A string column that holds a table's logical name (Dataverse's EntityName type). */
  readonly holdsTableName?: boolean;
  readonly booleanLabels?: { readonly true: Labels; readonly false: Labels };
}

export interface OneToManyRelationship {
  /** The relationship's name, where it differs from the navigation property (our own table's relationships). */
  readonly schemaName?: string;
  /** Collection-valued navigation property on the referenced (parent) table. */
  readonly navigationProperty: string;
  readonly referencingTable: string;
  readonly referencingColumn: string;
}

export interface TableMetadata {
  readonly logicalName: string;
  readonly schemaName?: string;
  readonly entitySetName: string;
  readonly primaryIdAttribute: string;
  readonly primaryNameAttribute: string;
  readonly displayName: Labels;
  readonly displayCollectionName: Labels;
  readonly columns: Readonly<Record<string, ColumnMetadata>>;
  readonly oneToMany: readonly OneToManyRelationship[];
  readonly isActivity: boolean;
  /** Alternate keys (`<EntityKeys>`): the store refuses a second row with the same values of a key's columns. */
  readonly alternateKeys?: readonly { readonly name: string; readonly columns: readonly string[] }[];
}

const l = (en: string, zh: string): Labels => ({ 1033: en, 2052: zh });

function col(logicalName: string, type: ColumnType, displayName: Labels, extra: Partial<ColumnMetadata> = {}): ColumnMetadata {
  return { logicalName, type, displayName, ...extra };
}

const opt = (value: number, en: string, zh: string, color?: string, extra: Partial<ChoiceOption> = {}): ChoiceOption => ({
  value,
  labels: l(en, zh),
  ...(color === undefined ? {} : { color }),
  ...extra,
});

function lookup(logicalName: string, displayName: Labels, targets: readonly string[], navigation?: (target: string) => string): ColumnMetadata {
  const nav = navigation ?? ((target: string) => (targets.length === 1 ? logicalName : `${logicalName}_${target}`));
  return col(logicalName, "lookup", displayName, { targets: targets.map((table) => ({ table, navigationProperty: nav(table) })) });
}

const activeInactiveState = [
  opt(0, "Active", "可用", undefined, { defaultStatus: 1 }),
  opt(1, "Inactive", "停用", undefined, { defaultStatus: 2 }),
];
const activeInactiveStatus = [opt(1, "Active", "可用", undefined, { state: 0 }), opt(2, "Inactive", "停用", undefined, { state: 1 })];

/** Columns every user-owned table has; the system maintains all of them except the owner. */
function systemColumns(primaryId: string, state: readonly ChoiceOption[], status: readonly ChoiceOption[], owningUserNavigation = "owninguser"): ColumnMetadata[] {
  return [
    col(primaryId, "uniqueidentifier", l("Id", "ID")),
    col("createdon", "datetime", l("Created On", "创建时间"), { readOnly: true }),
    col("modifiedon", "datetime", l("Modified On", "修改时间"), { readOnly: true }),
    col("versionnumber", "bigint", l("Version Number", "版本号"), { readOnly: true }),
    lookup("ownerid", l("Owner", "负责人"), ["systemuser", "team"], () => "ownerid"),
    // Kept by the platform from ownerid (the user when a user owns the row, else null); `$expand=owninguser` is how
    // a client reads the owner's user fields in the same request.
    { ...lookup("owninguser", l("Owning User", "负责用户"), ["systemuser"], () => owningUserNavigation), readOnly: true },
    col("statecode", "state", l("Status", "状态"), { options: state }),
    col("statuscode", "status", l("Status Reason", "状态描述"), { options: status }),
  ];
}

const currencyColumns = (moneyColumns: readonly [string, Labels][]): ColumnMetadata[] => [
  lookup("transactioncurrencyid", l("Currency", "货币"), ["transactioncurrency"]),
  col("exchangerate", "decimal", l("Exchange Rate", "汇率"), { readOnly: true }),
  ...moneyColumns.flatMap(([name, label]) => [
    col(name, "money", label),
    col(`${name}_base`, "money", l(`${label[1033]} (Base)`, `${label[2052]}(基础货币)`), { readOnly: true }),
  ]),
];

function table(
  def: Omit<TableMetadata, "columns" | "oneToMany" | "isActivity"> & { isActivity?: boolean },
  columns: readonly ColumnMetadata[],
  oneToMany: readonly OneToManyRelationship[] = [],
): TableMetadata {
  return {
    ...def,
    isActivity: def.isActivity ?? false,
    columns: Object.fromEntries(columns.map((c) => [c.logicalName, c])),
    oneToMany,
  };
}

const rel = (navigationProperty: string, referencingTable: string, referencingColumn: string): OneToManyRelationship => ({
  navigationProperty,
  referencingTable,
  referencingColumn,
});

export const ACTIVITY_TABLES = ["task", "phonecall", "email", "appointment"] as const;
export type ActivityTable = (typeof ACTIVITY_TABLES)[number];
const REGARDING_TARGETS = ["account", "contact", "opportunity", "incident"] as const;

const state = (value: number, en: string, zh: string, defaultStatus: number) => opt(value, en, zh, undefined, { defaultStatus });
const reason = (value: number, en: string, zh: string, ofState: number) => opt(value, en, zh, undefined, { state: ofState });

/** Each activity table has states and status reasons of its own; the mirror in activitypointer has a fourth set. */
const activityStates: Record<ActivityTable | "activitypointer", { state: ChoiceOption[]; status: ChoiceOption[] }> = {
  task: {
    state: [state(0, "Open", "打开", 2), state(1, "Completed", "已完成", 5), state(2, "Canceled", "已取消", 6)],
    status: [
      reason(2, "Not Started", "未开始", 0),
      reason(3, "In Progress", "进行中", 0),
      reason(4, "Waiting on someone else", "等待其他人", 0),
      reason(5, "Completed", "已完成", 1),
      reason(6, "Canceled", "已取消", 2),
      reason(7, "Deferred", "已推迟", 0),
    ],
  },
  phonecall: {
    state: [state(0, "Open", "打开", 1), state(1, "Completed", "已完成", 2), state(2, "Canceled", "已取消", 3)],
    status: [reason(1, "Open", "打开", 0), reason(2, "Made", "已拨打", 1), reason(3, "Canceled", "已取消", 2), reason(4, "Received", "已接听", 1)],
  },
  email: {
    state: [state(0, "Open", "打开", 1), state(1, "Completed", "已完成", 2), state(2, "Canceled", "已取消", 5)],
    status: [
      reason(1, "Draft", "草稿", 0),
      reason(2, "Completed", "已完成", 1),
      reason(3, "Sent", "已发送", 1),
      reason(4, "Received", "已接收", 1),
      reason(5, "Canceled", "已取消", 2),
      reason(6, "Pending Send", "等待发送", 1),
      reason(7, "Sending", "正在发送", 1),
      reason(8, "Failed", "失败", 0),
    ],
  },
  appointment: {
    state: [state(0, "Open", "打开", 1), state(1, "Completed", "已完成", 3), state(2, "Canceled", "已取消", 4), state(3, "Scheduled", "已计划", 5)],
    status: [
      reason(1, "Free", "空闲", 0),
      reason(2, "Tentative", "暂定", 0),
      reason(3, "Completed", "已完成", 1),
      reason(4, "Canceled", "已取消", 2),
      reason(5, "Busy", "忙碌", 3),
      reason(6, "Out of Office", "外出", 3),
    ],
  },
  activitypointer: {
    state: [state(0, "Open", "打开", 1), state(1, "Completed", "已完成", 2), state(2, "Canceled", "已取消", 3), state(3, "Scheduled", "已计划", 4)],
    status: [reason(1, "Open", "打开", 0), reason(2, "Completed", "已完成", 1), reason(3, "Canceled", "已取消", 2), reason(4, "Scheduled", "已计划", 3)],
  },
};
const priorityOptions = [opt(0, "Low", "低", "#8a8886"), opt(1, "Normal", "普通", "#0078d4"), opt(2, "High", "高", "#d13438")];

const ACTIVITY_TEXT_LIMITS: Record<ActivityTable | "activitypointer", { subject: number; description: number }> = {
  task: { subject: 200, description: 2000 },
  phonecall: { subject: 200, description: 2000 },
  email: { subject: 800, description: 1073741823 },
  appointment: { subject: 200, description: 1048576 },
  activitypointer: { subject: 400, description: 2000 },
};

function activityColumns(activity: ActivityTable | "activitypointer"): ColumnMetadata[] {
  return [
    ...systemColumns("activityid", activityStates[activity].state, activityStates[activity].status, activity === "activitypointer" ? "owninguser" : `owninguser_${activity}`),
    col("subject", "string", l("Subject", "主题"), { maxLength: ACTIVITY_TEXT_LIMITS[activity].subject }),
    col("description", "memo", l("Description", "说明"), { maxLength: ACTIVITY_TEXT_LIMITS[activity].description }),
    // The union table's lookups carry no table suffix; each activity's name its own (regardingobjectid_account_task).
    lookup("regardingobjectid", l("Regarding", "关于"), REGARDING_TARGETS, (target) =>
      activity === "activitypointer" ? `regardingobjectid_${target}` : `regardingobjectid_${target}_${activity}`,
    ),
    col("scheduledstart", "datetime", l("Start Date", "开始日期")),
    col("scheduledend", "datetime", l("Due Date", "截止日期")),
    col("actualend", "datetime", l("Actual End", "实际结束时间")),
    col("prioritycode", "choice", l("Priority", "优先级"), { options: priorityOptions }),
    col("activitytypecode", "string", l("Activity Type", "活动类型"), { readOnly: true, maxLength: 64, holdsTableName: true }),
  ];
}

const activityRelationships = (parent: string): OneToManyRelationship[] =>
  ACTIVITY_TABLES.map((activity) =>
    rel(`${capitalise(parent)}_${capitalise(activity)}s`, activity, "regardingobjectid"),
  ).concat(rel(`${capitalise(parent)}_ActivityPointers`, "activitypointer", "regardingobjectid"));

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Some of the standard industries: values and labels as Dynamics 365 ships them. */
const industryOptions = [
  opt(1, "Accounting", "会计"),
  opt(6, "Business Services", "商业服务"),
  opt(7, "Consulting", "咨询"),
  opt(12, "Durable Manufacturing", "耐用品制造"),
  opt(16, "Financial", "金融"),
  opt(20, "Insurance", "保险"),
  opt(25, "Service Retail", "服务零售"),
  opt(30, "Transportation", "运输"),
  opt(33, "Wholesale", "批发"),
];
/** Dataverse ships this choice with one placeholder value; organisations define their own sizes. */
const customerSizeOptions = [opt(1, "Default Value", "默认值")];
/** Account "Relationship Type" with the standard values of Dynamics 365. */
export const CUSTOMER_TYPE_OPTIONS = [
  opt(1, "Competitor", "竞争对手"),
  opt(2, "Consultant", "顾问"),
  opt(3, "Customer", "客户"),
  opt(4, "Investor", "投资方"),
  opt(5, "Partner", "合作伙伴"),
  opt(6, "Influencer", "影响者"),
  opt(7, "Press", "媒体"),
  opt(8, "Prospect", "潜在客户"),
  opt(9, "Reseller", "分销商"),
  opt(10, "Supplier", "供应商"),
  opt(11, "Vendor", "供货商"),
  opt(12, "Other", "其他"),
] as const;

export const OPPORTUNITY_STATE = { open: 0, won: 1, lost: 2 } as const;

const account = table(
  {
    logicalName: "account",
    entitySetName: "accounts",
    primaryIdAttribute: "accountid",
    primaryNameAttribute: "name",
    displayName: l("Account", "客户"),
    displayCollectionName: l("Accounts", "客户"),
  },
  [
    ...systemColumns("accountid", activeInactiveState, activeInactiveStatus),
    col("name", "string", l("Account Name", "客户名称"), { maxLength: 160 }),
    col("accountnumber", "string", l("Account Number", "客户编号"), { maxLength: 20 }),
    col("industrycode", "choice", l("Industry", "行业"), { options: industryOptions }),
    col("customersizecode", "choice", l("Customer Size", "客户规模"), { options: customerSizeOptions }),
    col("customertypecode", "choice", l("Relationship Type", "关系类型"), { options: CUSTOMER_TYPE_OPTIONS }),
    col("numberofemployees", "integer", l("Number of Employees", "员工人数")),
    col("telephone1", "string", l("Main Phone", "主要电话"), { maxLength: 50 }),
    col("emailaddress1", "string", l("Email", "电子邮件"), { maxLength: 100 }),
    col("websiteurl", "string", l("Website", "网站"), { maxLength: 200 }),
    col("address1_city", "string", l("City", "市/县"), { maxLength: 80 }),
    col("address1_country", "string", l("Country/Region", "国家/地区"), { maxLength: 80 }),
    col("description", "memo", l("Description", "说明"), { maxLength: 2000 }),
    lookup("parentaccountid", l("Parent Account", "上级客户"), ["account"]),
    lookup("primarycontactid", l("Primary Contact", "主要联系人"), ["contact"]),
    ...currencyColumns([["revenue", l("Annual Revenue", "年收入")]]),
  ],
  [
    rel("contact_customer_accounts", "contact", "parentcustomerid"),
    rel("opportunity_customer_accounts", "opportunity", "customerid"),
    rel("opportunity_parent_account", "opportunity", "parentaccountid"),
    rel("incident_customer_accounts", "incident", "customerid"),
    rel("account_parent_account", "account", "parentaccountid"),
    rel("Account_Annotation", "annotation", "objectid"),
    ...activityRelationships("account"),
  ],
);

const contact = table(
  {
    logicalName: "contact",
    entitySetName: "contacts",
    primaryIdAttribute: "contactid",
    primaryNameAttribute: "fullname",
    displayName: l("Contact", "联系人"),
    displayCollectionName: l("Contacts", "联系人"),
  },
  [
    ...systemColumns("contactid", activeInactiveState, activeInactiveStatus),
    col("fullname", "string", l("Full Name", "全名"), { maxLength: 160, readOnly: true }),
    col("firstname", "string", l("First Name", "名"), { maxLength: 50 }),
    col("lastname", "string", l("Last Name", "姓"), { maxLength: 50 }),
    col("jobtitle", "string", l("Job Title", "职务"), { maxLength: 100 }),
    col("emailaddress1", "string", l("Email", "电子邮件"), { maxLength: 100 }),
    col("telephone1", "string", l("Business Phone", "商务电话"), { maxLength: 50 }),
    col("mobilephone", "string", l("Mobile Phone", "移动电话"), { maxLength: 50 }),
    col("description", "memo", l("Description", "说明"), { maxLength: 2000 }),
    lookup("parentcustomerid", l("Company Name", "公司名称"), ["account", "contact"]),
  ],
  [
    rel("opportunity_customer_contacts", "opportunity", "customerid"),
    rel("incident_customer_contacts", "incident", "customerid"),
    rel("Contact_Annotation", "annotation", "objectid"),
    ...activityRelationships("contact"),
  ],
);

export const SALES_STAGES = [
  opt(0, "Qualify", "资格审查", "#8764b8"),
  opt(1, "Develop", "开发", "#0078d4"),
  opt(2, "Propose", "建议", "#ca5010"),
  opt(3, "Close", "成交", "#107c10"),
] as const;

export const PURCHASE_TIMEFRAME_OPTIONS = [
  opt(0, "Immediate", "立即"),
  opt(1, "This Quarter", "本季度"),
  opt(2, "Next Quarter", "下季度"),
  opt(3, "This Year", "今年"),
  opt(4, "Unknown", "未知"),
] as const;

const opportunity = table(
  {
    logicalName: "opportunity",
    entitySetName: "opportunities",
    primaryIdAttribute: "opportunityid",
    primaryNameAttribute: "name",
    displayName: l("Opportunity", "商机"),
    displayCollectionName: l("Opportunities", "商机"),
  },
  [
    ...systemColumns(
      "opportunityid",
      [
        opt(0, "Open", "打开", "#0078d4", { defaultStatus: 1 }),
        opt(1, "Won", "赢单", "#107c10", { defaultStatus: 3 }),
        opt(2, "Lost", "丢单", "#a4262c", { defaultStatus: 4 }),
      ],
      [
        opt(1, "In Progress", "进行中", "#0078d4", { state: 0 }),
        opt(2, "On Hold", "暂候", "#8a8886", { state: 0 }),
        opt(3, "Won", "赢单", "#107c10", { state: 1 }),
        opt(4, "Canceled", "已取消", "#a4262c", { state: 2 }),
        opt(5, "Out-Sold", "竞争失败", "#a4262c", { state: 2 }),
      ],
    ),
    col("name", "string", l("Topic", "主题"), { maxLength: 300 }),
    lookup("customerid", l("Potential Customer", "潜在客户"), ["account", "contact"]),
    lookup("parentaccountid", l("Account", "客户"), ["account"]),
    lookup("parentcontactid", l("Contact", "联系人"), ["contact"]),
    ...currencyColumns([
      ["estimatedvalue", l("Est. Revenue", "预计收入")],
      ["actualvalue", l("Actual Revenue", "实际收入")],
    ]),
    col("closeprobability", "integer", l("Probability", "可能性")),
    col("estimatedclosedate", "dateonly", l("Est. Close Date", "预计结束日期")),
    col("actualclosedate", "dateonly", l("Actual Close Date", "实际结束日期")),
    col("salesstage", "choice", l("Sales Stage", "销售阶段"), { options: SALES_STAGES }),
    col("stepname", "string", l("Pipeline Phase", "管道阶段"), { maxLength: 200 }),
    col("opportunityratingcode", "choice", l("Rating", "等级"), {
      options: [opt(1, "Hot", "热", "#d13438"), opt(2, "Warm", "暖", "#ca5010"), opt(3, "Cold", "冷", "#0078d4")],
    }),
    col("description", "memo", l("Description", "说明"), { maxLength: 2000 }),
    // Columns the steps of the Opportunity Sales Process ask for (logical names and option values as in Dynamics 365).
    col("purchasetimeframe", "choice", l("Purchase Timeframe", "购买时间范围"), { options: PURCHASE_TIMEFRAME_OPTIONS }),
    col("customerneed", "memo", l("Customer Need", "客户需求"), { maxLength: 2000 }),
    col("proposedsolution", "memo", l("Proposed Solution", "建议的解决方案"), { maxLength: 2000 }),
    col("finaldecisiondate", "dateonly", l("Final Decision Date", "最终决策日期")),
  ],
  [
    rel("Opportunity_Annotation", "annotation", "objectid"),
    rel("opportunity_opportunitysalesprocess", "opportunitysalesprocess", "opportunityid"),
    ...activityRelationships("opportunity"),
  ],
);

const incident = table(
  {
    logicalName: "incident",
    entitySetName: "incidents",
    primaryIdAttribute: "incidentid",
    primaryNameAttribute: "title",
    displayName: l("Case", "案例"),
    displayCollectionName: l("Cases", "案例"),
  },
  [
    ...systemColumns(
      "incidentid",
      [
        opt(0, "Active", "可用", undefined, { defaultStatus: 1 }),
        opt(1, "Resolved", "已解决", undefined, { defaultStatus: 5 }),
        opt(2, "Cancelled", "已取消", undefined, { defaultStatus: 6 }),
      ],
      [
        opt(1, "In Progress", "进行中", undefined, { state: 0 }),
        opt(2, "On Hold", "暂候", undefined, { state: 0 }),
        opt(3, "Waiting for Details", "等待详细信息", undefined, { state: 0 }),
        opt(4, "Researching", "研究中", undefined, { state: 0 }),
        opt(5, "Problem Solved", "问题已解决", undefined, { state: 1 }),
        opt(6, "Cancelled", "已取消", undefined, { state: 2 }),
        opt(1000, "Information Provided", "已提供信息", undefined, { state: 1 }),
        opt(2000, "Merged", "已合并", undefined, { state: 2 }),
      ],
    ),
    col("title", "string", l("Case Title", "案例标题"), { maxLength: 200 }),
    col("ticketnumber", "string", l("Case Number", "案例编号"), { maxLength: 100 }),
    lookup("customerid", l("Customer", "客户"), ["account", "contact"]),
    col("prioritycode", "choice", l("Priority", "优先级"), {
      options: [opt(1, "High", "高", "#d13438"), opt(2, "Normal", "普通", "#0078d4"), opt(3, "Low", "低", "#8a8886")],
    }),
    col("caseorigincode", "choice", l("Origin", "来源"), {
      options: [opt(1, "Phone", "电话"), opt(2, "Email", "电子邮件"), opt(3, "Web", "Web")],
    }),
    col("description", "memo", l("Description", "说明"), { maxLength: 2000 }),
  ],
  [rel("Incident_Annotation", "annotation", "objectid"), ...activityRelationships("incident")],
);

const activityDisplay: Record<ActivityTable, [Labels, Labels]> = {
  task: [l("Task", "任务"), l("Tasks", "任务")],
  phonecall: [l("Phone Call", "电话联络"), l("Phone Calls", "电话联络")],
  email: [l("Email", "电子邮件"), l("Email Messages", "电子邮件")],
  appointment: [l("Appointment", "约会"), l("Appointments", "约会")],
};
const activityExtraColumns: Record<ActivityTable, ColumnMetadata[]> = {
  task: [col("percentcomplete", "integer", l("Percent Complete", "完成百分比"))],
  phonecall: [
    col("phonenumber", "string", l("Phone Number", "电话号码"), { maxLength: 200 }),
    col("directioncode", "boolean", l("Direction", "方向"), {
      booleanLabels: { true: l("Outgoing", "传出"), false: l("Incoming", "传入") },
    }),
  ],
  email: [
    col("directioncode", "boolean", l("Direction", "方向"), {
      booleanLabels: { true: l("Outgoing", "传出"), false: l("Incoming", "传入") },
    }),
  ],
  appointment: [col("location", "string", l("Location", "地点"), { maxLength: 200 })],
};
const activitySetNames: Record<ActivityTable, string> = {
  task: "tasks",
  phonecall: "phonecalls",
  email: "emails",
  appointment: "appointments",
};

const activities = ACTIVITY_TABLES.map((activity) =>
  table(
    {
      logicalName: activity,
      entitySetName: activitySetNames[activity],
      primaryIdAttribute: "activityid",
      primaryNameAttribute: "subject",
      displayName: activityDisplay[activity][0],
      displayCollectionName: activityDisplay[activity][1],
      isActivity: true,
    },
    [...activityColumns(activity), ...activityExtraColumns[activity]],
  ),
);

/** Read-only union of all activities, as Dataverse keeps it: every write to an activity table is mirrored here. */
const activitypointer = table(
  {
    logicalName: "activitypointer",
    entitySetName: "activitypointers",
    primaryIdAttribute: "activityid",
    primaryNameAttribute: "subject",
    displayName: l("Activity", "活动"),
    displayCollectionName: l("Activities", "活动"),
  },
  activityColumns("activitypointer"),
);

const annotation = table(
  {
    logicalName: "annotation",
    entitySetName: "annotations",
    primaryIdAttribute: "annotationid",
    primaryNameAttribute: "subject",
    displayName: l("Note", "备注"),
    displayCollectionName: l("Notes", "备注"),
  },
  [
    // Notes have an owner but no state or status.
    ...systemColumns("annotationid", [], []).filter((c) => c.type !== "state" && c.type !== "status"),
    col("subject", "string", l("Title", "标题"), { maxLength: 500 }),
    col("notetext", "memo", l("Description", "说明"), { maxLength: 100000 }),
    col("isdocument", "boolean", l("Is Document", "是否文档")),
    lookup("objectid", l("Regarding", "关于"), REGARDING_TARGETS, (target) => `objectid_${target}`),
  ],
);

const systemuser = table(
  {
    logicalName: "systemuser",
    entitySetName: "systemusers",
    primaryIdAttribute: "systemuserid",
    primaryNameAttribute: "fullname",
    displayName: l("User", "用户"),
    displayCollectionName: l("Users", "用户"),
  },
  [
    col("systemuserid", "uniqueidentifier", l("User", "用户")),
    col("createdon", "datetime", l("Created On", "创建时间"), { readOnly: true }),
    col("modifiedon", "datetime", l("Modified On", "修改时间"), { readOnly: true }),
    col("versionnumber", "bigint", l("Version Number", "版本号"), { readOnly: true }),
    col("fullname", "string", l("Full Name", "全名"), { maxLength: 200, readOnly: true }),
    col("firstname", "string", l("First Name", "名"), { maxLength: 64 }),
    col("lastname", "string", l("Last Name", "姓"), { maxLength: 64 }),
    col("internalemailaddress", "string", l("Primary Email", "主要电子邮件"), { maxLength: 100 }),
    col("domainname", "string", l("User Name", "用户名"), { maxLength: 1024 }),
    col("title", "string", l("Title", "职务"), { maxLength: 128 }),
    col("azureactivedirectoryobjectid", "uniqueidentifier", l("Microsoft Entra ID Object ID", "Microsoft Entra ID 对象 ID")),
    col("isdisabled", "boolean", l("Status", "状态"), { booleanLabels: { true: l("Disabled", "已禁用"), false: l("Enabled", "已启用") } }),
    lookup("parentsystemuserid", l("Manager", "经理"), ["systemuser"]),
  ],
  [rel("user_parent_user", "systemuser", "parentsystemuserid")],
);

const team = table(
  {
    logicalName: "team",
    entitySetName: "teams",
    primaryIdAttribute: "teamid",
    primaryNameAttribute: "name",
    displayName: l("Team", "团队"),
    displayCollectionName: l("Teams", "团队"),
  },
  [
    col("teamid", "uniqueidentifier", l("Team", "团队")),
    col("createdon", "datetime", l("Created On", "创建时间"), { readOnly: true }),
    col("modifiedon", "datetime", l("Modified On", "修改时间"), { readOnly: true }),
    col("versionnumber", "bigint", l("Version Number", "版本号"), { readOnly: true }),
    col("name", "string", l("Team Name", "团队名称"), { maxLength: 160 }),
    col("teamtype", "choice", l("Team Type", "团队类型"), {
      options: [opt(0, "Owner", "负责人"), opt(1, "Access", "访问"), opt(2, "Security Group", "安全组"), opt(3, "Office Group", "Office 组")],
    }),
    col("azureactivedirectoryobjectid", "uniqueidentifier", l("Microsoft Entra ID Object ID", "Microsoft Entra ID 对象 ID")),
  ],
);

const transactioncurrency = table(
  {
    logicalName: "transactioncurrency",
    entitySetName: "transactioncurrencies",
    primaryIdAttribute: "transactioncurrencyid",
    primaryNameAttribute: "currencyname",
    displayName: l("Currency", "货币"),
    displayCollectionName: l("Currencies", "货币"),
  },
  [
    ...systemColumns("transactioncurrencyid", activeInactiveState, activeInactiveStatus).filter((c) => c.logicalName !== "ownerid" && c.logicalName !== "owninguser"),
    col("currencyname", "string", l("Currency Name", "货币名称"), { maxLength: 100 }),
    col("isocurrencycode", "string", l("Currency Code", "货币代码"), { maxLength: 5 }),
    col("currencysymbol", "string", l("Currency Symbol", "货币符号"), { maxLength: 10 }),
    col("currencyprecision", "integer", l("Currency Precision", "货币精度")),
    col("exchangerate", "decimal", l("Exchange Rate", "汇率")),
  ],
);

/** Choice values of tcc_teamslink (publisher option value prefix 61530); a unit test holds them to solution/. */
export const TEAMS_LINK_KIND = { customerTeam: 615300000, channel: 615300001, dealRoomChat: 615300002 } as const;
export const TEAMS_LINK_STATUS = { provisioning: 615300000, active: 615300001, archived: 615300002, failed: 615300003 } as const;

/** `workflow.category` of a business process flow definition. */
export const WORKFLOW_CATEGORY_BUSINESS_PROCESS_FLOW = 4;

/**
 * Process definitions, only as far as business process flows need them: the definition (`clientdata`, the JSON the
 * process designer writes, with stages, steps and which steps are required) and what names it.
 */
const workflow = table(
  {
    logicalName: "workflow",
    entitySetName: "workflows",
    primaryIdAttribute: "workflowid",
    primaryNameAttribute: "name",
    displayName: l("Process", "流程"),
    displayCollectionName: l("Processes", "流程"),
  },
  [
    ...systemColumns(
      "workflowid",
      [
        opt(0, "Draft", "草稿", undefined, { defaultStatus: 1 }),
        opt(1, "Activated", "已激活", undefined, { defaultStatus: 2 }),
        opt(2, "Suspended", "已暂停", undefined, { defaultStatus: 3 }),
      ],
      [
        opt(1, "Draft", "草稿", undefined, { state: 0 }),
        opt(2, "Activated", "已激活", undefined, { state: 1 }),
        opt(3, "CompanyDLPViolation", "违反公司 DLP 策略", undefined, { state: 2 }),
      ],
    ).map((c) => (c.logicalName === "ownerid" ? lookup("ownerid", c.displayName, ["systemuser"], () => "ownerid") : c)),
    col("name", "string", l("Process Name", "流程名称"), { maxLength: 100 }),
    col("uniquename", "string", l("Unique Name", "唯一名称"), { maxLength: 256 }),
    col("category", "choice", l("Category", "类别"), {
      options: [
        opt(0, "Workflow", "工作流"),
        opt(1, "Dialog", "对话框"),
        opt(2, "Business Rule", "业务规则"),
        opt(3, "Action", "操作"),
        opt(WORKFLOW_CATEGORY_BUSINESS_PROCESS_FLOW, "Business Process Flow", "业务流程"),
        opt(5, "Modern Flow", "新式流"),
      ],
    }),
    col("primaryentity", "string", l("Primary Entity", "主实体"), { maxLength: 100, holdsTableName: true }),
    col("clientdata", "memo", l("Client Data", "客户端数据"), { maxLength: 1073741823 }),
  ],
  [rel("process_processstage", "processstage", "processid")],
);

/** The stages of business process flows; Dataverse keeps them apart from the definition for lookups to point at. */
const processstage = table(
  {
    logicalName: "processstage",
    entitySetName: "processstages",
    primaryIdAttribute: "processstageid",
    primaryNameAttribute: "stagename",
    displayName: l("Process Stage", "流程阶段"),
    displayCollectionName: l("Process Stages", "流程阶段"),
  },
  [
    col("processstageid", "uniqueidentifier", l("Process Stage", "流程阶段")),
    col("versionnumber", "bigint", l("Version Number", "版本号"), { readOnly: true }),
    col("stagename", "string", l("Process Stage Name", "流程阶段名称"), { maxLength: 100 }),
    col("stagecategory", "choice", l("Stage Category", "阶段类别"), {
      options: [
        opt(0, "Qualify", "资格审查"),
        opt(1, "Develop", "开发"),
        opt(2, "Propose", "建议"),
        opt(3, "Close", "成交"),
        opt(4, "Identify", "识别"),
        opt(5, "Research", "研究"),
        opt(6, "Resolve", "解决"),
        opt(7, "Approval", "审批"),
      ],
    }),
    col("primaryentitytypecode", "string", l("Primary Entity", "主实体"), { maxLength: 100, holdsTableName: true }),
    lookup("processid", l("Process", "流程"), ["workflow"]),
    col("clientdata", "memo", l("Client Data", "客户端数据"), { maxLength: 1073741823, readOnly: true }),
  ],
);

/**
 * The instances of the Opportunity Sales Process, one row per opportunity that runs it: the table Dataverse makes
 * for every activated business process flow, named by the flow's unique name.
 */
const opportunitysalesprocess = table(
  {
    logicalName: "opportunitysalesprocess",
    entitySetName: "opportunitysalesprocesses",
    primaryIdAttribute: "businessprocessflowinstanceid",
    primaryNameAttribute: "name",
    displayName: l("Opportunity Sales Process", "商机销售流程"),
    displayCollectionName: l("Opportunity Sales Process", "商机销售流程"),
  },
  [
    col("businessprocessflowinstanceid", "uniqueidentifier", l("Opportunity Sales Process", "商机销售流程")),
    col("createdon", "datetime", l("Created On", "创建时间"), { readOnly: true }),
    col("modifiedon", "datetime", l("Modified On", "修改时间"), { readOnly: true }),
    col("versionnumber", "bigint", l("Version Number", "版本号"), { readOnly: true }),
    col("name", "string", l("Name", "名称"), { maxLength: 200 }),
    // Flows Microsoft ships name the lookup after the record's id column; flows made later use bpf_<table>id.
    lookup("opportunityid", l("Opportunity", "商机"), ["opportunity"]),
    lookup("processid", l("Process", "流程"), ["workflow"]),
    lookup("activestageid", l("Active Stage", "活动阶段"), ["processstage"]),
    col("activestagestartedon", "datetime", l("Active Stage Started On", "活动阶段开始时间")),
    col("traversedpath", "string", l("Traversed Path", "遍历的路径"), { maxLength: 1250 }),
    col("completedon", "datetime", l("Completed On", "完成时间")),
    col("statecode", "state", l("Status", "状态"), {
      options: [opt(0, "Active", "可用", undefined, { defaultStatus: 1 }), opt(1, "Inactive", "停用", undefined, { defaultStatus: 2 })],
    }),
    col("statuscode", "status", l("Status Reason", "状态描述"), {
      options: [opt(1, "Active", "可用", undefined, { state: 0 }), opt(2, "Finished", "已完成", undefined, { state: 1 }), opt(3, "Aborted", "已中止", undefined, { state: 1 })],
    }),
  ],
);

/** A standard table with the relationships our solution adds to it (account → tcc_teamslink). */
function withSolutionRelationships(t: TableMetadata): TableMetadata {
  const added = SOLUTION_RELATIONSHIPS.filter((r) => r.referencedTable === t.logicalName).map((r) => r.relationship);
  return added.length === 0 ? t : { ...t, oneToMany: [...t.oneToMany, ...added] };
}

export const TABLES: readonly TableMetadata[] = [
  account,
  contact,
  opportunity,
  incident,
  ...activities,
  activitypointer,
  annotation,
  systemuser,
  team,
  transactioncurrency,
  workflow,
  processstage,
  opportunitysalesprocess,
].map(withSolutionRelationships).concat(SOLUTION_TABLES);

/** Look-ups by logical name and by entity set name; both are needed because the Web API speaks set names. */
export class MetadataSet {
  private readonly byLogicalName = new Map<string, TableMetadata>();
  private readonly bySetName = new Map<string, TableMetadata>();

  constructor(tables: readonly TableMetadata[] = TABLES) {
    for (const t of tables) {
      this.byLogicalName.set(t.logicalName, t);
      this.bySetName.set(t.entitySetName, t);
    }
  }

  tables(): TableMetadata[] {
    return [...this.byLogicalName.values()];
  }

  table(logicalName: string): TableMetadata | undefined {
    return this.byLogicalName.get(logicalName);
  }

  tableBySetName(entitySetName: string): TableMetadata | undefined {
    return this.bySetName.get(entitySetName);
  }

  /** The table that must exist; a missing one is a programming error in the caller. */
  require(logicalName: string): TableMetadata {
    const t = this.byLogicalName.get(logicalName);
    if (!t) throw new Error(`Unknown table '${logicalName}' (known: ${[...this.byLogicalName.keys()].join(", ")})`);
    return t;
  }

  /** Every one-to-many relationship pointing at `referencedTable`, resolved to the referencing table's metadata. */
  collectionNavigation(referencedTable: string, navigationProperty: string): OneToManyRelationship | undefined {
    return this.byLogicalName.get(referencedTable)?.oneToMany.find((r) => r.navigationProperty === navigationProperty);
  }

  /** The lookup column and target behind a single-valued navigation property such as `parentcustomerid_account`. */
  singleNavigation(tableName: string, navigationProperty: string): { column: ColumnMetadata; target: LookupTarget } | undefined {
    const t = this.byLogicalName.get(tableName);
    if (!t) return undefined;
    for (const c of Object.values(t.columns)) {
      const target = c.targets?.find((x) => x.navigationProperty === navigationProperty);
      if (target) return { column: c, target };
    }
    return undefined;
  }
}

export function optionLabel(column: ColumnMetadata, value: number, language: LanguageId): string | undefined {
  return column.options?.find((o) => o.value === value)?.labels[language];
}
