/** The open deals of one sales stage as the workbench's Open Opportunities view orders them: close date, then id. */
import type { SampleData } from "../../../../tools/dataverse/sampleData";
import type { StoredRow } from "../../../../tools/dataverse/store";

const text = (value: unknown): string => (typeof value === "string" ? value : "");

export function stageInViewOrder(rows: Iterable<Readonly<StoredRow>> | SampleData, stage: number | null): Readonly<StoredRow>[] {
  const all = "store" in rows ? rows.store.rows("opportunity") : rows;
  return [...all]
    .filter((r) => r.statecode === 0 && (r.salesstage ?? null) === stage)
    .sort((a, b) => text(a.estimatedclosedate).localeCompare(text(b.estimatedclosedate)) || text(a.opportunityid).localeCompare(text(b.opportunityid)));
}

export { text as textOf };
