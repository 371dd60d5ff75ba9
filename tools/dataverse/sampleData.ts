/**
 * A deterministic, seeded sales organisation for tests, the workbench and benchmarks: users with managers,
 * accounts, contacts, opportunities in every stage and state in two currencies (some overdue), cases, activities of
 * each type, notes and Teams links, in English or Simplified Chinese, plus hostile rows every consumer must survive.
 * The same seed, size, language and date always give byte-identical data.
 */
import { OPPORTUNITY_SALES_PROCESS, processClientData } from "./businessProcessFlows";
import { ACTIVITY_TABLES, type LanguageId, SALES_STAGES, TEAMS_LINK_KIND, TEAMS_LINK_STATUS, WORKFLOW_CATEGORY_BUSINESS_PROCESS_FLOW } from "./metadata";
import { SeededRandom } from "./random";
import { DataverseStore, type LookupRef, type StoredRow } from "./store";

export interface SampleDataOptions {
  readonly seed?: number;
  readonly language?: LanguageId;
  readonly opportunities?: number;
  /** "Today" for close dates and overdue deals (YYYY-MM-DD); fixed by default so data does not drift by date. */
  readonly today?: string;
  /** Include the hostile rows (script in names, 4,000-character text, nulls, right-to-left text, emoji). */
  readonly hostile?: boolean;
  /** Every generated opportunity open (a pipeline of `opportunities` open deals) instead of about a quarter won or lost. */
  readonly allOpen?: boolean;
}

export interface SampleData {
  readonly store: DataverseStore;
  readonly users: readonly string[];
  readonly accounts: readonly string[];
  readonly contacts: readonly string[];
  readonly opportunities: readonly string[];
  readonly currencies: { readonly usd: string; readonly cny: string };
  /** Ids of the hostile rows, so tests can fetch them by purpose. */
  readonly hostile: Readonly<Record<string, string>>;
}

export const CNY_PER_USD = 7.1;
export const DEFAULT_TODAY = "2025-03-14";

const EN = {
  companies: ["Contoso", "Fabrikam", "Northwind", "Adventure Works", "Tailspin", "Wingtip", "Litware", "Proseware", "Alpine Ski House", "Coho Winery", "Woodgrove", "Trey Research", "Lucerne", "Blue Yonder", "Fourth Coffee", "Wide World Importers", "Relecloud", "Humongous", "A. Datum", "Munson's Pickles"],
  suffixes: ["Ltd", "Inc", "Group", "Partners", "Holdings", "Systems", "Labs", "Trading"],
  cities: ["Seattle", "London", "Sydney", "Toronto", "Dublin", "Singapore", "Berlin", "Austin"],
  first: ["James", "Mary", "Wei", "Priya", "Ahmed", "Sofia", "Lucas", "Emma", "Noah", "Olivia", "Liam", "Ava", "Mateo", "Chloe", "Hiro", "Fatima"],
  last: ["Smith", "Johnson", "Brown", "Garcia", "Miller", "Davis", "Martinez", "Lee", "Patel", "Kim", "Nguyen", "Clark", "Lewis", "Walker", "Young", "Hall"],
  titles: ["Sales Director", "Purchasing Manager", "CFO", "IT Manager", "Operations Lead", "CEO"],
  products: ["software licences", "implementation services", "support renewal", "cloud migration", "training package", "hardware refresh", "analytics add-on"],
  cases: ["Cannot sign in", "Invoice is wrong", "Delivery delayed", "Feature request: export", "Data sync fails", "Licence count mismatch"],
  subjects: { task: "Send proposal", phonecall: "Follow-up call", email: "Pricing question", appointment: "Quarterly review" },
  country: "United States",
};
const ZH = {
  companies: ["华信", "东方", "新科", "盛达", "恒通", "锦程", "明德", "瑞丰", "天成", "远航", "博远", "中联"],
  suffixes: ["科技有限公司", "贸易有限公司", "制造有限公司", "物流有限公司", "咨询有限公司", "软件有限公司"],
  cities: ["北京", "上海", "深圳", "广州", "杭州", "成都", "南京", "武汉"],
  first: ["伟", "芳", "娜", "敏", "静", "强", "磊", "洋", "艳", "勇", "军", "杰", "涛", "明", "超", "秀英"],
  last: ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭"],
  titles: ["销售总监", "采购经理", "首席财务官", "IT 经理", "运营主管", "总经理"],
  products: ["软件许可", "实施服务", "支持续约", "云迁移", "培训套餐", "硬件更新", "数据分析插件"],
  cases: ["无法登录", "发票错误", "交货延迟", "功能请求：导出", "数据同步失败", "许可证数量不符"],
  subjects: { task: "发送报价", phonecall: "跟进电话", email: "价格咨询", appointment: "季度回顾" },
  country: "中国",
};

const STAGE_PROBABILITY = [10, 30, 60, 80];
/** Relationship types as a sales organisation has them: mostly customers and prospects, some of everything else. */
const CUSTOMER_TYPES = [3, 3, 3, 3, 8, 8, 8, 5, 9, 1, 2, 4, 6, 7, 10, 11, 12];
const INDUSTRIES = [1, 6, 7, 12, 16, 20, 25, 30, 33];

const DAY_MS = 86_400_000;

function addDays(isoDate: string, days: number): string {
  return new Date(Date.parse(`${isoDate}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

export function createSampleData(options: SampleDataOptions = {}): SampleData {
  const seed = options.seed ?? 42;
  const language = options.language ?? 1033;
  const today = options.today ?? DEFAULT_TODAY;
  const size = options.opportunities ?? 200;
  const words = language === 2052 ? ZH : EN;
  const random = new SeededRandom(seed);
  const store = new DataverseStore({
    seed: seed + 1,
    clock: () => new Date(`${today}T09:00:00Z`),
    fullNameFormat: language === 2052 ? "lastFirst" : "firstLast",
  });
  const ref = (table: string, id: string): LookupRef => ({ id, table });
  const insert = (table: string, values: StoredRow): string => {
    const meta = store.metadata.require(table);
    const id = random.guid();
    store.create(table, { ...values, [meta.primaryIdAttribute]: id });
    return id;
  };
  const todayMs = Date.parse(`${today}T00:00:00Z`);
  const at = (daysFromToday: number, hour = 9) => new Date(todayMs + daysFromToday * DAY_MS + hour * 3_600_000).toISOString().replace(".000Z", "Z");

  const usd = insert("transactioncurrency", { currencyname: "US Dollar", isocurrencycode: "USD", currencysymbol: "$", currencyprecision: 2, exchangerate: 1 });
  const cny = insert("transactioncurrency", { currencyname: language === 2052 ? "人民币" : "Chinese Yuan", isocurrencycode: "CNY", currencysymbol: "¥", currencyprecision: 2, exchangerate: CNY_PER_USD });
  const homeCurrency = language === 2052 ? cny : usd;
  const awayCurrency = language === 2052 ? usd : cny;

  const personName = () => ({ firstname: random.pick(words.first), lastname: random.pick(words.last) });
  const emailOf = (i: number, domain: string) => `user${i}@${domain}`;

  const userCount = Math.min(400, Math.max(8, Math.ceil(size / 250)));
  const users: string[] = [];
  for (let i = 0; i < userCount; i++) {
    const manager = i === 0 ? null : i <= 3 ? users[0] : users[1 + (i % 3)];
    users.push(
      insert("systemuser", {
        ...personName(),
        title: i === 0 ? words.titles[5] : i <= 3 ? words.titles[0] : words.titles[3],
        internalemailaddress: emailOf(i, "contoso.example"),
        domainname: emailOf(i, "contoso.example"),
        azureactivedirectoryobjectid: random.guid(),
        isdisabled: false,
        parentsystemuserid: manager === null ? null : ref("systemuser", manager),
      }),
    );
  }
  store.callerId = users[4 % users.length];
  const owner = () => ref("systemuser", random.pick(users));

  const accountCount = Math.max(10, Math.ceil(size / 5));
  // A stream of its own, so adding the relationship type left every other generated value as it was.
  const relationship = new SeededRandom(seed * 31 + 7);
  const accounts: string[] = [];
  for (let i = 0; i < accountCount; i++) {
    const city = random.pick(words.cities);
    const name = language === 2052
      ? `${city}${random.pick(words.companies)}${random.pick(words.suffixes)}`
      : `${random.pick(words.companies)} ${random.pick(words.suffixes)} (${city})`;
    accounts.push(
      insert("account", {
        name,
        accountnumber: `ACC-${String(i + 1).padStart(6, "0")}`,
        industrycode: random.pick(INDUSTRIES),
        customertypecode: relationship.pick(CUSTOMER_TYPES),
        numberofemployees: random.int(5, 20000),
        telephone1: `+1 555 ${String(random.int(0, 9999999)).padStart(7, "0")}`,
        emailaddress1: `info${i}@customer.example`,
        address1_city: city,
        address1_country: words.country,
        revenue: random.int(1, 500) * 100000,
        transactioncurrencyid: ref("transactioncurrency", random.chance(0.7) ? homeCurrency : awayCurrency),
        ownerid: owner(),
        createdon: at(-random.int(30, 900)),
        ...(i > 0 && random.chance(0.1) && { parentaccountid: ref("account", accounts[random.int(0, i - 1)]) }),
      }),
    );
  }

  const contacts: string[] = [];
  const contactsOf = new Map<string, string[]>();
  for (let i = 0; i < accountCount * 2; i++) {
    const account = accounts[i % accountCount];
    const id = insert("contact", {
      ...personName(),
      jobtitle: random.pick(words.titles),
      emailaddress1: `contact${i}@customer.example`,
      telephone1: `+1 555 ${String(random.int(0, 9999999)).padStart(7, "0")}`,
      parentcustomerid: ref("account", account),
      ownerid: owner(),
      createdon: at(-random.int(10, 800)),
    });
    contacts.push(id);
    contactsOf.set(account, [...(contactsOf.get(account) ?? []), id]);
  }

  const opportunities: string[] = [];
  // Business process data draws from its own generator, so every value generated before it existed stays as it was.
  const processRandom = new SeededRandom(seed + 7);
  const processes: OpportunityProcess[] = [];
  for (let i = 0; i < size; i++) {
    const account = random.pick(accounts);
    const stage = random.int(0, SALES_STAGES.length - 1);
    const roll = random.next();
    const statecode = options.allOpen || roll < 0.75 ? 0 : roll < 0.9 ? 1 : 2;
    const closeOffset = statecode === 0 ? random.int(-30, 150) : random.int(-200, -1);
    const accountContacts = contactsOf.get(account) ?? [];
    const process = planProcess(processRandom, statecode === 1 ? 3 : stage, statecode, language);
    processes.push(process);
    opportunities.push(
      insert("opportunity", {
        ...process.values,
        name: language === 2052 ? `${random.pick(words.products)}（${random.int(5, 500)}）` : `${random.int(5, 500)} ${random.pick(words.products)}`,
        customerid: ref("account", account),
        parentaccountid: ref("account", account),
        ...(accountContacts.length > 0 && { parentcontactid: ref("contact", random.pick(accountContacts)) }),
        salesstage: statecode === 1 ? 3 : stage,
        stepname: SALES_STAGES[statecode === 1 ? 3 : stage].labels[language],
        closeprobability: STAGE_PROBABILITY[stage],
        estimatedvalue: random.int(10, 5000) * 100,
        estimatedclosedate: addDays(today, closeOffset),
        opportunityratingcode: random.int(1, 3),
        transactioncurrencyid: ref("transactioncurrency", random.chance(0.7) ? homeCurrency : awayCurrency),
        ownerid: owner(),
        createdon: at(-random.int(closeOffset < 0 ? -closeOffset : 1, 365)),
        ...(statecode !== 0 && { statecode, statuscode: statecode === 1 ? 3 : random.pick([4, 5]), actualclosedate: addDays(today, closeOffset) }),
      }),
    );
  }

  const regardingPool = (): LookupRef => {
    const r = random.next();
    if (r < 0.5) return ref("account", random.pick(accounts));
    if (r < 0.8) return ref("opportunity", random.pick(opportunities.length > 0 ? opportunities : accounts));
    return ref("contact", random.pick(contacts));
  };

  for (let i = 0; i < Math.ceil(size / 4); i++) {
    const roll = random.next();
    insert("incident", {
      title: random.pick(words.cases),
      customerid: ref("account", random.pick(accounts)),
      prioritycode: random.int(1, 3),
      caseorigincode: random.int(1, 3),
      ownerid: owner(),
      createdon: at(-random.int(0, 300)),
      ...(roll > 0.7 && { statecode: 1 }),
    });
  }

  for (let i = 0; i < Math.max(ACTIVITY_TABLES.length, Math.ceil(size / 2)); i++) {
    const activity = ACTIVITY_TABLES[i % ACTIVITY_TABLES.length];
    const dayOffset = random.int(-120, 30);
    const done = dayOffset < 0 && random.chance(0.7);
    const regarding = regardingPool();
    insert(activity, {
      subject: words.subjects[activity],
      regardingobjectid: regarding.table === "opportunity" && opportunities.length === 0 ? null : regarding,
      scheduledstart: at(dayOffset, 10),
      scheduledend: at(dayOffset, 11),
      prioritycode: random.int(0, 2),
      ownerid: owner(),
      createdon: at(Math.min(dayOffset, 0) - 1),
      ...(done && { statecode: 1, actualend: at(dayOffset, 11) }),
      ...(activity === "phonecall" && { phonenumber: `+1 555 ${String(random.int(0, 9999999)).padStart(7, "0")}`, directioncode: random.chance(0.5) }),
      ...(activity === "email" && { directioncode: random.chance(0.5) }),
      ...(activity === "appointment" && { location: language === 2052 ? "Microsoft Teams 会议" : "Microsoft Teams meeting" }),
    });
  }

  for (let i = 0; i < Math.ceil(size / 10); i++) {
    insert("annotation", {
      subject: language === 2052 ? "会议纪要" : "Meeting notes",
      notetext: language === 2052 ? "客户关心价格和上线时间。" : "Customer cares about price and go-live date.",
      isdocument: false,
      objectid: regardingPool(),
      ownerid: owner(),
      createdon: at(-random.int(0, 200)),
    });
  }

  seedTeamsLinks(accounts, opportunities, insert, ref, language);
  const hostile = options.hostile === false ? {} : seedHostileRows(insert, ref, { usd, owner: users[0] });
  seedOpportunitySalesProcess(store, processRandom, opportunities, processes, language, at);
  return { store, users, accounts, contacts, opportunities, currencies: { usd, cny }, hostile };
}

interface OpportunityProcess {
  /** Null: the opportunity never started the process. */
  readonly stage: number | null;
  readonly statecode: number;
  /** The values of process steps on the opportunity. */
  readonly values: StoredRow;
}

const NEEDS = {
  1033: ["Replace a spreadsheet-based pipeline", "Faster quote approvals", "One view of each customer"],
  2052: ["替换基于电子表格的销售管道", "更快的报价审批", "每个客户的统一视图"],
} as const;
const SOLUTIONS = { 1033: ["Phased roll-out with training", "Pilot for one region first"], 2052: ["分阶段上线并提供培训", "先在一个区域试点"] } as const;

/**
 * Where an opportunity is in the Opportunity Sales Process: most run it at the stage of their sales stage, some never
 * started it. Required steps of stages already passed have values; those of the current stage do half the time, so
 * some forward moves are allowed and some refused.
 */
function planProcess(random: SeededRandom, stage: number, statecode: number, language: LanguageId): OpportunityProcess {
  const started = random.chance(0.88);
  const values: StoredRow = {};
  const steps = OPPORTUNITY_SALES_PROCESS.stages.slice(0, stage + 1).flatMap((s, index) => s.steps.map((step) => ({ step, passed: index < stage })));
  for (const { step, passed } of steps) {
    if (!step.required || !(passed || statecode !== 0 || random.chance(0.5))) continue;
    if (step.column === "purchasetimeframe") values.purchasetimeframe = random.int(0, 4);
    if (step.column === "customerneed") values.customerneed = random.pick(NEEDS[language]);
    if (step.column === "finaldecisiondate") values.finaldecisiondate = "2025-06-30";
  }
  if (stage >= 1 && random.chance(0.5)) values.proposedsolution = random.pick(SOLUTIONS[language]);
  return { stage: started ? stage : null, statecode, values };
}

/** The process definition, its stages, and an instance for each opportunity that started it. */
function seedOpportunitySalesProcess(
  store: DataverseStore,
  random: SeededRandom,
  opportunities: readonly string[],
  processes: readonly OpportunityProcess[],
  language: LanguageId,
  at: (daysFromToday: number) => string,
): void {
  const process = OPPORTUNITY_SALES_PROCESS;
  const workflow = { id: process.workflowId, table: "workflow" };
  store.create("workflow", {
    workflowid: process.workflowId,
    name: process.name[language],
    uniquename: process.uniqueName,
    category: WORKFLOW_CATEGORY_BUSINESS_PROCESS_FLOW,
    primaryentity: process.table,
    clientdata: processClientData(process),
    statecode: 1,
    statuscode: 2,
  });
  for (const stage of process.stages) {
    store.create("processstage", {
      processstageid: stage.id,
      stagename: stage.name[language],
      stagecategory: stage.category,
      primaryentitytypecode: process.table,
      processid: workflow,
    });
  }
  processes.forEach((plan, index) => {
    if (plan.stage === null) return;
    const stages = process.stages.slice(0, plan.stage + 1);
    const finished = plan.statecode !== 0;
    store.create("opportunitysalesprocess", {
      businessprocessflowinstanceid: random.guid(),
      name: process.name[language],
      opportunityid: { id: opportunities[index], table: "opportunity" },
      processid: workflow,
      activestageid: { id: stages[stages.length - 1].id, table: "processstage" },
      activestagestartedon: at(-random.int(1, 60)),
      traversedpath: stages.map((s) => s.id).join(","),
      // Won deals finished the process; lost ones abandoned it.
      ...(finished && { statecode: 1, statuscode: plan.statecode === 1 ? 2 : 3, completedon: at(-1) }),
    });
  });
}

type Insert = (table: string, values: StoredRow) => string;
type Ref = (table: string, id: string) => LookupRef;

function seedTeamsLinks(accounts: readonly string[], opportunities: readonly string[], insert: Insert, ref: Ref, language: LanguageId): void {
  const team = (i: number) => `19:team${i}@thread.tacv2`;
  const rows: StoredRow[] = [
    { tcc_kind: TEAMS_LINK_KIND.customerTeam, tcc_status: TEAMS_LINK_STATUS.active, tcc_teamid: "00000000-0000-4000-8000-000000000001", tcc_weburl: "https://teams.microsoft.com/l/team/19%3Ateam1%40thread.tacv2/conversations" },
    { tcc_kind: TEAMS_LINK_KIND.channel, tcc_status: TEAMS_LINK_STATUS.active, tcc_teamid: "00000000-0000-4000-8000-000000000001", tcc_channelid: team(1), tcc_weburl: "https://teams.microsoft.com/l/channel/19%3Ateam1%40thread.tacv2/General" },
    { tcc_kind: TEAMS_LINK_KIND.customerTeam, tcc_status: TEAMS_LINK_STATUS.provisioning },
    { tcc_kind: TEAMS_LINK_KIND.customerTeam, tcc_status: TEAMS_LINK_STATUS.failed, tcc_lasterror: "Graph 403: Team.Create was denied for the flow's connection." },
    { tcc_kind: TEAMS_LINK_KIND.customerTeam, tcc_status: TEAMS_LINK_STATUS.archived, tcc_teamid: "00000000-0000-4000-8000-000000000005" },
  ];
  rows.forEach((row, i) => {
    const account = accounts[i % accounts.length];
    insert("tcc_teamslink", { ...row, tcc_name: language === 2052 ? `客户团队 ${i + 1}` : `Customer team ${i + 1}`, tcc_accountid: ref("account", account) });
  });
  if (opportunities.length > 0) {
    insert("tcc_teamslink", {
      tcc_name: language === 2052 ? "交易室" : "Deal room",
      tcc_kind: TEAMS_LINK_KIND.dealRoomChat,
      tcc_status: TEAMS_LINK_STATUS.active,
      tcc_chatid: "19:meeting_deal@thread.v2",
      tcc_weburl: "https://teams.microsoft.com/l/chat/19%3Ameeting_deal%40thread.v2/0",
      tcc_opportunityid: ref("opportunity", opportunities[0]),
    });
  }
}

/** Text that has broken real CRM UIs: markup, maximum lengths, missing values, bidirectional text, emoji. */
export const HOSTILE_TEXT = {
  script: `<script>alert("xss")</script> Evil Corp`,
  markup: `<img src=x onerror=alert(1)> & "Quotes" 'Ltd'`,
  rtl: "شركة النور للتجارة — חברת אור",
  emoji: "🚀 Rocket Labs 👩🏽‍💻🇨🇳",
  long: "Lorem ipsum dolor sit amet, 中文字符 ".repeat(200).slice(0, 4000),
  maxName: "N".repeat(160),
} as const;

function seedHostileRows(insert: Insert, ref: Ref, context: { usd: string; owner: string }): Record<string, string> {
  const owner = ref("systemuser", context.owner);
  const account = (name: string | null) => insert("account", { name, ownerid: owner });
  const ids: Record<string, string> = {
    scriptAccount: account(HOSTILE_TEXT.script),
    markupAccount: account(HOSTILE_TEXT.markup),
    rtlAccount: account(HOSTILE_TEXT.rtl),
    emojiAccount: account(HOSTILE_TEXT.emoji),
    maxNameAccount: account(HOSTILE_TEXT.maxName),
    emptyAccount: account(""),
    nullAccount: account(null),
  };
  ids.nameLessContact = insert("contact", { parentcustomerid: ref("account", ids.nullAccount), ownerid: owner });
  ids.longNote = insert("annotation", { subject: HOSTILE_TEXT.script, notetext: HOSTILE_TEXT.long, objectid: ref("account", ids.scriptAccount), ownerid: owner });
  // A task's description holds 2,000 characters (a note's far more): the longest text Dataverse accepts there.
  ids.longTask = insert("task", { subject: HOSTILE_TEXT.emoji, description: HOSTILE_TEXT.long.slice(0, 2000), regardingobjectid: ref("account", ids.rtlAccount), ownerid: owner });
  ids.scriptOpportunity = insert("opportunity", {
    name: HOSTILE_TEXT.script,
    customerid: ref("account", ids.scriptAccount),
    parentaccountid: ref("account", ids.scriptAccount),
    estimatedvalue: 1234567.89,
    transactioncurrencyid: ref("transactioncurrency", context.usd),
    salesstage: 1,
    ownerid: owner,
  });
  ids.emptyOpportunity = insert("opportunity", { name: null, ownerid: owner });
  return ids;
}
