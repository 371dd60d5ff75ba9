/** Web API JSON for the card query, shaped as Dataverse answers it with formatted-value annotations. */
import type { DataverseRow } from "../../../components/common/src";

const F = "@OData.Community.Display.V1.FormattedValue";

export const ACCOUNT_ID = "aaaaaaaa-0000-4000-8000-000000000001";
export const CONTACT_ID = "cccccccc-0000-4000-8000-000000000001";
export const OWNER_ID = "eeeeeeee-0000-4000-8000-000000000001";

export function accountResponse(overrides: Record<string, unknown> = {}): DataverseRow {
  return {
    "@odata.etag": 'W/"1001"',
    accountid: ACCOUNT_ID,
    name: "上海华信科技有限公司",
    industrycode: 23,
    [`industrycode${F}`]: "软件",
    customersizecode: 3,
    [`customersizecode${F}`]: "大型",
    customertypecode: 3,
    [`customertypecode${F}`]: "客户",
    numberofemployees: 1200,
    revenue: 5000000,
    [`revenue${F}`]: "¥5,000,000.00",
    _ownerid_value: OWNER_ID,
    [`_ownerid_value${F}`]: "王伟",
    _primarycontactid_value: CONTACT_ID,
    [`_primarycontactid_value${F}`]: "李娜",
    telephone1: "+86 21 5555 0101",
    owninguser: { systemuserid: OWNER_ID, fullname: "王伟", domainname: "wang.wei@contoso.cn", internalemailaddress: "wang.wei@contoso.cn" },
    Account_ActivityPointers: [
      { activityid: "act-1", activitytypecode: "email", [`activitytypecode${F}`]: "电子邮件", subject: "价格咨询", createdon: "2025-03-01T08:00:00Z", actualend: "2025-03-01T09:00:00Z", statecode: 1, [`_ownerid_value${F}`]: "王伟" },
      { activityid: "act-2", activitytypecode: "phonecall", subject: "跟进电话", createdon: "2025-03-10T08:00:00Z", scheduledstart: "2025-03-12T10:00:00Z", statecode: 0 },
      { activityid: "act-3", activitytypecode: "tcc_custom", [`activitytypecode${F}`]: "Site visit", subject: "Visit", createdon: "2025-02-01T08:00:00Z", statecode: 1 },
      { activityid: "act-4", activitytypecode: "task", subject: "发送报价", statecode: 0 },
    ],
    Account_Emails: [{ activityid: "act-1", directioncode: false }],
    Account_Phonecalls: [{ activityid: "act-2", directioncode: true }],
    opportunity_customer_accounts: [
      { opportunityid: "opp-1", name: "软件许可（120）", estimatedvalue: 120000, [`estimatedvalue${F}`]: "$120,000.00", salesstage: 2, [`salesstage${F}`]: "建议", closeprobability: 60, estimatedclosedate: "2025-03-01" },
      { opportunityid: "opp-2", name: "云迁移", estimatedvalue: 80000, [`estimatedvalue${F}`]: "¥80,000.00", stepname: "开发", closeprobability: 30, estimatedclosedate: "2025-04-30" },
    ],
    incident_customer_accounts: [
      { incidentid: "case-1", title: "无法登录", ticketnumber: "CAS-01001", prioritycode: 1, [`prioritycode${F}`]: "高", statuscode: 1, [`statuscode${F}`]: "进行中", createdon: "2025-03-04T09:00:00Z" },
    ],
    contact_customer_accounts: [
      { contactid: CONTACT_ID, fullname: "李娜", jobtitle: "采购经理", emailaddress1: "li.na@customer.example", telephone1: "+86 21 5555 0102" },
      { contactid: "cccccccc-0000-4000-8000-000000000002", fullname: "张敏", mobilephone: "+86 139 0000 0000" },
    ],
    tcc_account_tcc_teamslink_accountid: [
      { tcc_teamslinkid: "link-1", tcc_name: "客户团队", tcc_kind: 615300000, tcc_status: 615300001, tcc_weburl: "https://teams.microsoft.com/l/team/19%3Ateam1%40thread.tacv2/conversations" },
      { tcc_teamslinkid: "link-2", tcc_name: "Sales", tcc_kind: 615300001, tcc_status: 615300001, tcc_teamid: "00000000-0000-4000-8000-000000000001", tcc_channelid: "19:abc@thread.tacv2", tcc_weburl: "javascript:alert(1)" },
      { tcc_teamslinkid: "link-3", tcc_name: "Pending", tcc_kind: 615300000, tcc_status: 615300000 },
    ],
    ...overrides,
  };
}

export function contactResponse(overrides: Record<string, unknown> = {}): DataverseRow {
  return {
    contactid: CONTACT_ID,
    fullname: "李娜",
    jobtitle: "采购经理",
    emailaddress1: "li.na@customer.example",
    _parentcustomerid_value: ACCOUNT_ID,
    "_parentcustomerid_value@Microsoft.Dynamics.CRM.lookuplogicalname": "account",
    _ownerid_value: "eeeeeeee-0000-4000-8000-000000000002",
    [`_ownerid_value${F}`]: "Ada Lovelace",
    owninguser: { fullname: "Ada Lovelace", domainname: "ada@contoso.com" },
    Contact_ActivityPointers: [
      { activityid: "act-1", activitytypecode: "email", subject: "价格咨询", actualend: "2025-03-01T09:00:00Z", statecode: 1 },
      { activityid: "act-9", activitytypecode: "appointment", subject: "季度回顾", scheduledstart: "2025-03-13T02:00:00Z", statecode: 3 },
    ],
    Contact_Emails: [],
    Contact_Phonecalls: [],
    opportunity_customer_contacts: [{ opportunityid: "opp-9", name: "培训套餐", estimatedclosedate: "2025-03-20" }],
    incident_customer_contacts: [],
    ...overrides,
  };
}
