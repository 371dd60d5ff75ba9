/**
 * The in-memory Dataverse's standard tables against Microsoft's generated table reference pages: entity set, primary
 * id and name, every column's logical name, type, date-time behaviour, limits and choices, lookup targets and the
 * navigation property names of each relationship the pages describe.
 */
import { attributeTypeOf } from "../../../tools/dataverse/odata/metadataApi";
import { type ColumnMetadata, TABLES, type TableMetadata } from "../../../tools/dataverse/metadata";
import { loadReferencePages, REFERENCE_PAGES } from "../../support/dataverseReferencePages";
import { tableDifferences } from "../../support/metadataConformance";

const pages = loadReferencePages();
const standardTables = TABLES.filter((t) => !t.logicalName.startsWith("tcc_"));
const withPage = standardTables.filter((t) => pages.has(t.logicalName));

function withColumn(table: TableMetadata, name: string, change: (c: ColumnMetadata) => ColumnMetadata): TableMetadata {
  return { ...table, columns: { ...table.columns, [name]: change(table.columns[name]) } };
}

describe("the in-memory Dataverse's standard tables agree with Microsoft's table reference pages", () => {
  it(`finds the pages in ${REFERENCE_PAGES}`, () => {
    expect(pages.size).toBeGreaterThan(15);
  });

  it("has a page for every standard table but the users and teams Microsoft's folder leaves out", () => {
    expect(standardTables.filter((t) => !pages.has(t.logicalName)).map((t) => t.logicalName)).toEqual(["systemuser", "team"]);
  });

  it.each(withPage.map((t) => [t.logicalName, t] as const))("%s", (_name, table) => {
    expect(tableDifferences(table, pages.get(table.logicalName)!)).toEqual([]);
  });

  it.each(withPage.map((t) => [t.logicalName, t] as const))("%s: the metadata API reports each column's AttributeType as the page does", (_name, table) => {
    const page = pages.get(table.logicalName)!;
    const wrong = Object.values(table.columns)
      .filter((c) => page.columns.has(c.logicalName) && attributeTypeOf(c) !== page.columns.get(c.logicalName)!.type)
      .map((c) => `${c.logicalName}: ${attributeTypeOf(c)} vs ${page.columns.get(c.logicalName)!.type}`);
    expect(wrong).toEqual([]);
  });

  it("names the business process flow instance tables' lookups to their records as Dataverse does", () => {
    const bpf = pages.get("opportunitysalesprocess")!;
    expect(bpf.primaryNameAttribute).toBe("name");
    expect(bpf.manyToOne.find((r) => r.referencedEntity === "opportunity")).toMatchObject({ referencingAttribute: "opportunityid", navigationProperty: "opportunityid" });
    const lead = pages.get("leadtoopportunitysalesprocess")!;
    expect(lead.manyToOne.filter((r) => r.referencedEntity === "lead" || r.referencedEntity === "opportunity").map((r) => r.referencingAttribute).sort()).toEqual(["leadid", "opportunityid"]);
    expect(pages.get("phonetocaseprocess")!.manyToOne.find((r) => r.referencedEntity === "incident")?.referencingAttribute).toBe("incidentid");
  });
});

describe("the comparison catches what a fake would get wrong", () => {
  const opportunity = TABLES.find((t) => t.logicalName === "opportunity")!;
  const task = TABLES.find((t) => t.logicalName === "task")!;

  it("a navigation property in the wrong case", () => {
    const wrong = withColumn(task, "regardingobjectid", (c) => ({ ...c, targets: c.targets!.map((t) => (t.table === "account" ? { ...t, navigationProperty: "regardingobjectid_Account_task" } : t)) }));
    expect(tableDifferences(wrong, pages.get("task")!)).toEqual([
      "task.regardingobjectid: navigation property to account is 'regardingobjectid_Account_task', Dataverse names it 'regardingobjectid_account_task' (Account_Tasks)",
    ]);
  });

  it("a column of the wrong type, a date-only column kept as date and time, an unknown column", () => {
    const wrong = withColumn(withColumn(opportunity, "closeprobability", (c) => ({ ...c, type: "decimal" })), "estimatedclosedate", (c) => ({ ...c, type: "datetime" }));
    const differences = tableDifferences({ ...wrong, columns: { ...wrong.columns, bpf_name: { logicalName: "bpf_name", type: "string", displayName: { 1033: "", 2052: "" } } } }, pages.get("opportunity")!);
    expect(differences).toEqual([
      "opportunity.closeprobability: type is 'decimal', the page says Integer (opportunity.md:" + pages.get("opportunity")!.columns.get("closeprobability")!.line + ")",
      "opportunity.estimatedclosedate: type is 'datetime', the page says DateTime with behaviour DateOnly (opportunity.md:" + pages.get("opportunity")!.columns.get("estimatedclosedate")!.line + ")",
      "opportunity.bpf_name: no such column on opportunity.md",
    ]);
  });

  it("a primary name, a choice value and a collection navigation property that Dataverse does not have", () => {
    const wrong: TableMetadata = {
      ...withColumn(opportunity, "salesstage", (c) => ({ ...c, options: [...c.options!, { value: 9, labels: { 1033: "Won", 2052: "赢单" } }] })),
      primaryNameAttribute: "topic",
      oneToMany: opportunity.oneToMany.map((r) => (r.navigationProperty === "Opportunity_Annotation" ? { ...r, navigationProperty: "opportunity_annotation" } : r)),
    };
    expect(tableDifferences(wrong, pages.get("opportunity")!)).toEqual([
      "opportunity: primary name is 'topic', the page says 'name' (opportunity.md)",
      expect.stringMatching(/^opportunity\.salesstage: choice 9 \('Won'\) is not on the page/),
      "opportunity: collection navigation property to annotation.objectid is 'opportunity_annotation', Dataverse names it 'Opportunity_Annotation' (Opportunity_Annotation)",
    ]);
  });
});
