/**
 * The CustomerContextPanel's card queries name only tables, columns and navigation properties that Microsoft's table
 * reference pages list: every `$select` column, every `$expand` navigation property (and the columns selected under
 * it), and the lambda filter that finds a contact's account through `contact_customer_accounts`. Tables without a page
 * in the folder (our own tcc_ tables; systemuser, which Microsoft's folder leaves out) are not judged.
 */
import type { ExpandOption, QueryOptions } from "../../../components/common/src";
import { accountCardQuery, contactAccountQuery, contactCardQuery } from "../../../components/CustomerContextPanel/CustomerContextPanel/model/query";
import { loadReferencePages, type ReferencePage } from "../../support/dataverseReferencePages";

const pages = loadReferencePages();
const everything = { recentActivityCount: 10, canRead: () => true };
const CONTACT_ID = "cccccccc-0000-4000-8000-000000000001";

/** A column as `$select` names it: a lookup as `_name_value`. */
function columnProblem(page: ReferencePage, selected: string): string | undefined {
  const lookup = /^_(.+)_value$/.exec(selected);
  const column = page.columns.get(lookup ? lookup[1] : selected);
  if (column === undefined) return `${page.logicalName}.${selected}: no such column on ${page.file}`;
  if (lookup && column.type !== "Lookup" && column.type !== "Owner" && column.type !== "Customer") return `${page.logicalName}.${selected}: a ${column.type} column, not a lookup`;
  return undefined;
}

/** The table a navigation property of `table` leads to, as a page describes the relationship; undefined when none does. */
function targetOf(table: string, navigationProperty: string): string | undefined {
  const page = pages.get(table);
  const oneToMany = page?.oneToMany.find((r) => r.navigationProperty === navigationProperty);
  if (oneToMany) return oneToMany.referencingEntity;
  const manyToOne = page?.manyToOne.find((r) => r.navigationProperty === navigationProperty);
  if (manyToOne) return manyToOne.referencedEntity;
  // Relationships Dynamics 365 adds to core tables are described only on the other table's page, by their schema name.
  for (const other of pages.values()) {
    if (other.manyToOne.some((r) => r.schemaName === navigationProperty && r.referencedEntity === table)) return other.logicalName;
  }
  return undefined;
}

function queryProblems(table: string, query: QueryOptions | Omit<ExpandOption, "navigationProperty">): string[] {
  const page = pages.get(table);
  if (page === undefined) return [];
  const problems = (query.select ?? []).map((c) => columnProblem(page, c)).filter((p): p is string => p !== undefined);
  for (const expand of ("expand" in query ? query.expand : undefined) ?? []) {
    const target = targetOf(table, expand.navigationProperty);
    if (target === undefined) {
      if (!expand.navigationProperty.startsWith("tcc_")) problems.push(`${table}.${expand.navigationProperty}: no relationship on ${page.file} or another page has this navigation property`);
      continue;
    }
    problems.push(...queryProblems(target, expand));
  }
  return problems;
}

describe("the CustomerContextPanel's card queries agree with Microsoft's table reference pages", () => {
  it("the account card query", () => {
    expect(queryProblems("account", accountCardQuery(everything))).toEqual([]);
  });

  it("the contact card query", () => {
    expect(queryProblems("contact", contactCardQuery(everything))).toEqual([]);
  });

  it("the contact's account query: contact_customer_accounts is the account's side of the contact's parentcustomerid, and contactid the contact's key", () => {
    const query = contactAccountQuery(CONTACT_ID, everything);
    expect(query?.filter).toBe(`contact_customer_accounts/any(c:c/contactid eq ${CONTACT_ID})`);
    expect(pages.get("account")?.oneToMany.find((r) => r.navigationProperty === "contact_customer_accounts")).toMatchObject({ referencingEntity: "contact", referencingAttribute: "parentcustomerid" });
    expect(pages.get("contact")?.manyToOne.find((r) => r.navigationProperty === "parentcustomerid_account")).toMatchObject({ referencedEntity: "account", referencingAttribute: "parentcustomerid" });
    expect(pages.get("contact")?.primaryIdAttribute).toBe("contactid");
    expect(queryProblems("account", query!)).toEqual([]);
  });

  it("the check catches a misspelt navigation property and column, also under a relationship Dynamics 365 adds", () => {
    const query = accountCardQuery(everything);
    const wrong: QueryOptions = {
      ...query,
      select: [...(query.select ?? []), "_primarycontact_value"],
      expand: [
        { navigationProperty: "Account_Activitypointers", select: ["subject"] },
        { navigationProperty: "opportunity_customer_accounts", select: ["name", "estimatedvalue_base_", "_customerid_value"] },
      ],
    };
    expect(queryProblems("account", wrong)).toEqual([
      "account._primarycontact_value: no such column on account.md",
      "account.Account_Activitypointers: no relationship on account.md or another page has this navigation property",
      "opportunity.estimatedvalue_base_: no such column on opportunity.md",
    ]);
  });
});
