import * as React from "react";
import { DefaultButton, Dropdown, type IDropdownOption, mergeStyleSets, type ResponsiveMode, SearchBox, TextField, Toggle } from "@fluentui/react";
import { type BoardFilter, type CloseDateFilter, isFiltering, NO_FILTER, type SortKey } from "../model/filters";
import type { StringKey, Translate } from "../strings";

const styles = mergeStyleSets({
  bar: { display: "flex", flexWrap: "wrap", gap: "6px 12px", alignItems: "flex-end" },
  search: { width: 220 },
  number: { width: 110 },
  dropdown: { width: 190 },
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

/** A typed number, or null for an empty or unreadable box (a half-typed "-" must not filter everything out). */
export function parseNumberInput(text: string | undefined): number | null {
  const trimmed = (text ?? "").trim();
  if (trimmed === "") return null;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : null;
}

export interface ToolbarProps {
  readonly t: Translate;
  readonly filter: BoardFilter;
  readonly sort: SortKey;
  readonly canFilterMine: boolean;
  readonly onFilter: (filter: BoardFilter) => void;
  readonly onSort: (sort: SortKey) => void;
  /** Given, so the dropdowns do not measure the window themselves (see responsiveMode.ts). */
  readonly responsiveMode: ResponsiveMode;
}

function NumberBox({ label, value, onChange }: { label: string; value: number | null; onChange: (value: number | null) => void }) {
  const [text, setText] = React.useState(value === null ? "" : String(value));
  React.useEffect(() => {
    if (value === null) setText("");
  }, [value]);
  return (
    <TextField
      className={styles.number}
      label={label}
      type="number"
      value={text}
      onChange={(_, next) => {
        setText(next ?? "");
        onChange(parseNumberInput(next));
      }}
    />
  );
}

/** Memoised: a move re-renders the board, and the filter controls have nothing to redraw for it. */
export const Toolbar = React.memo(function Toolbar({ t, filter, sort, canFilterMine, onFilter, onSort, responsiveMode }: ToolbarProps) {
  const closeOptions: IDropdownOption[] = CLOSE_OPTIONS.map(([key, label]) => ({ key, text: t(label) }));
  const sortOptions: IDropdownOption[] = SORT_OPTIONS.map(([key, label]) => ({ key, text: t(label) }));
  return (
    <div className={styles.bar} role="search">
      <SearchBox
        className={styles.search}
        placeholder={t("Filter_Search")}
        ariaLabel={t("Filter_Search")}
        value={filter.search}
        onChange={(_, value) => onFilter({ ...filter, search: value ?? "" })}
      />
      {canFilterMine && (
        <Toggle label={t("Filter_Mine")} inlineLabel checked={filter.mineOnly} onChange={(_, checked) => onFilter({ ...filter, mineOnly: checked === true })} />
      )}
      <NumberBox label={t("Filter_AmountMin")} value={filter.amountMin} onChange={(amountMin) => onFilter({ ...filter, amountMin })} />
      <NumberBox label={t("Filter_AmountMax")} value={filter.amountMax} onChange={(amountMax) => onFilter({ ...filter, amountMax })} />
      <NumberBox label={t("Filter_ProbabilityMin")} value={filter.probabilityMin} onChange={(probabilityMin) => onFilter({ ...filter, probabilityMin })} />
      <NumberBox label={t("Filter_ProbabilityMax")} value={filter.probabilityMax} onChange={(probabilityMax) => onFilter({ ...filter, probabilityMax })} />
      <Dropdown
        className={styles.dropdown}
        responsiveMode={responsiveMode}
        label={t("Filter_Close")}
        options={closeOptions}
        selectedKey={filter.closeDate}
        onChange={(_, option) => {
          if (option) onFilter({ ...filter, closeDate: option.key as CloseDateFilter });
        }}
      />
      <Dropdown
        className={styles.dropdown}
        responsiveMode={responsiveMode}
        label={t("Sort_Label")}
        options={sortOptions}
        selectedKey={sort}
        onChange={(_, option) => {
          if (option) onSort(option.key as SortKey);
        }}
      />
      {isFiltering(filter) && <DefaultButton text={t("Filter_Clear")} onClick={() => onFilter(NO_FILTER)} />}
    </div>
  );
});
