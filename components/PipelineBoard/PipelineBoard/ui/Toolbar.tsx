import * as React from "react";
import { mergeStyleSets } from "@fluentui/react";
import { type BoardFilter, type BoardMeasures, type CloseDateFilter, isFiltering, NO_FILTER, type SortKey } from "../model/filters";
import type { StringKey, Translate } from "../strings";
import { type Choice, ChoiceField, NumberField, PlainButton, SearchField, SwitchField } from "./fields";

const styles = mergeStyleSets({
  bar: { display: "flex", flexWrap: "wrap", gap: "6px 12px", alignItems: "flex-end" },
});

const CLOSE_OPTIONS: readonly [CloseDateFilter, StringKey][] = [
  ["any", "Filter_CloseAny"],
  ["overdue", "Filter_CloseOverdue"],
  ["thisMonth", "Filter_CloseMonth"],
  ["thisQuarter", "Filter_CloseQuarter"],
];
const SORT_OPTIONS: readonly [SortKey, StringKey][] = [
  ["view", "Sort_View"],
  ["amount", "Sort_Amount"],
  ["closeDate", "Sort_CloseDate"],
  ["probability", "Sort_Probability"],
];

export interface ToolbarProps {
  readonly t: Translate;
  readonly filter: BoardFilter;
  readonly sort: SortKey;
  readonly canFilterMine: boolean;
  /** The view's figures; a stable object, the toolbar being memoised. */
  readonly measures: BoardMeasures;
  readonly onFilter: (filter: BoardFilter) => void;
  readonly onSort: (sort: SortKey) => void;
}

function choices<K extends string>(t: Translate, options: readonly [K, StringKey][]): Choice<K>[] {
  return options.map(([key, label]) => ({ key, text: t(label) }));
}

/** Memoised: a move re-renders the board, and the filter controls have nothing to redraw for it. */
export const Toolbar = React.memo(function Toolbar({ t, filter, sort, canFilterMine, measures, onFilter, onSort }: ToolbarProps) {
  const sorts = SORT_OPTIONS.filter(([key]) => key === "view" || measures[key]);
  return (
    <div className={styles.bar} role="search">
      <SearchField label={t("Filter_Search")} value={filter.search} onChange={(search) => onFilter({ ...filter, search })} />
      {canFilterMine && <SwitchField label={t("Filter_Mine")} checked={filter.mineOnly} onChange={(mineOnly) => onFilter({ ...filter, mineOnly })} />}
      {measures.amount && (
        <>
          <NumberField label={t("Filter_AmountMin")} value={filter.amountMin} onChange={(amountMin) => onFilter({ ...filter, amountMin })} />
          <NumberField label={t("Filter_AmountMax")} value={filter.amountMax} onChange={(amountMax) => onFilter({ ...filter, amountMax })} />
        </>
      )}
      {measures.probability && (
        <>
          <NumberField label={t("Filter_ProbabilityMin")} value={filter.probabilityMin} onChange={(probabilityMin) => onFilter({ ...filter, probabilityMin })} />
          <NumberField label={t("Filter_ProbabilityMax")} value={filter.probabilityMax} onChange={(probabilityMax) => onFilter({ ...filter, probabilityMax })} />
        </>
      )}
      {measures.closeDate && <ChoiceField label={t("Filter_Close")} options={choices(t, CLOSE_OPTIONS)} selected={filter.closeDate} onChange={(closeDate) => onFilter({ ...filter, closeDate })} />}
      <ChoiceField label={t("Sort_Label")} options={choices(t, sorts)} selected={sort} onChange={onSort} />
      {isFiltering(filter) && <PlainButton text={t("Filter_Clear")} onClick={() => onFilter(NO_FILTER)} />}
    </div>
  );
});
