/**
 * The board's form fields and progress bar: native elements drawn in the board's palette. Fluent's TextField,
 * Dropdown, Toggle and ProgressIndicator cost about a third of the board's first render and their style rules a
 * third of its first style pass; native fields need none of that, keep their platform semantics (search box,
 * switch, spin button, combo box, progress bar), open the phone's own picker on touch, and take Windows high contrast
 * colours without help.
 */
import * as React from "react";
import { mergeStyleSets } from "@fluentui/react";
import { boardText } from "./palette";

const box = {
  ...boardText.medium,
  height: 32,
  boxSizing: "border-box" as const,
  padding: "0 8px",
  border: "1px solid var(--pb-field)",
  borderRadius: 2,
  background: "var(--pb-fieldFill)",
  color: "var(--pb-fieldText)",
  selectors: {
    ":hover": { borderColor: "var(--pb-fieldText)" },
    ":focus": { outline: "none", borderColor: "var(--pb-accent)", boxShadow: "inset 0 0 0 1px var(--pb-accent)" },
    "@media (forced-colors: active)": { selectors: { ":focus": { outline: "2px solid Highlight" } } },
  },
};

const styles = mergeStyleSets({
  field: { display: "flex", flexDirection: "column", gap: 4 },
  label: { ...boardText.medium, fontWeight: 600, color: "var(--pb-text)" },
  search: { ...box, width: 220 },
  number: { ...box, width: 110 },
  choice: { ...box, width: 190, paddingRight: 4 },
  switchField: { ...boardText.medium, display: "flex", alignItems: "center", gap: 8, height: 32, color: "var(--pb-text)", cursor: "pointer" },
  switch: { width: 18, height: 18, margin: 0, accentColor: "var(--pb-accent)", cursor: "pointer" },
  button: { ...box, fontWeight: 600, cursor: "pointer", padding: "0 16px" },
  progress: { ...boardText.small, display: "flex", flexDirection: "column", gap: 4, color: "var(--pb-text)" },
  track: { height: 2, background: "var(--pb-field)", overflow: "hidden", selectors: { "@media (forced-colors: active)": { background: "CanvasText" } } },
  bar: { height: 2, background: "var(--pb-accent)", selectors: { "@media (forced-colors: active)": { background: "Highlight" } } },
});

export function SearchField({ label, value, onChange }: { label: string; value: string; onChange: (value: string) => void }): React.ReactElement {
  return <input type="search" className={styles.search} placeholder={label} aria-label={label} value={value} onChange={(event) => onChange(event.target.value)} />;
}

export function SwitchField({ label, checked, onChange }: { label: string; checked: boolean; onChange: (checked: boolean) => void }): React.ReactElement {
  return (
    <label className={styles.switchField}>
      <input type="checkbox" role="switch" className={styles.switch} checked={checked} onChange={(event) => onChange(event.target.checked)} />
      {label}
    </label>
  );
}

/** A typed number, or null for an empty or unreadable box (a half-typed "-" must not filter everything out). */
export function parseNumberInput(text: string | undefined): number | null {
  const trimmed = (text ?? "").trim();
  if (trimmed === "") return null;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : null;
}

/** Keeps what the user typed (a half-typed "1e" stays in the box) while handing the board the number it means. */
export function NumberField({ label, value, onChange }: { label: string; value: number | null; onChange: (value: number | null) => void }): React.ReactElement {
  const [text, setText] = React.useState(value === null ? "" : String(value));
  // A value cleared from outside clears the box, adjusted while rendering rather than in an effect (one render, not two).
  const [previous, setPrevious] = React.useState(value);
  if (value !== previous) {
    setPrevious(value);
    if (value === null) setText("");
  }
  return (
    <label className={styles.field}>
      <span className={styles.label}>{label}</span>
      <input
        type="number"
        className={styles.number}
        value={text}
        onChange={(event) => {
          setText(event.target.value);
          onChange(parseNumberInput(event.target.value));
        }}
      />
    </label>
  );
}

export interface Choice<K extends string> {
  readonly key: K;
  readonly text: string;
}

export function ChoiceField<K extends string>({
  label,
  options,
  selected,
  onChange,
}: {
  label: string;
  options: readonly Choice<K>[];
  selected: K;
  onChange: (key: K) => void;
}): React.ReactElement {
  return (
    <label className={styles.field}>
      <span className={styles.label}>{label}</span>
      <select
        className={styles.choice}
        value={selected}
        onChange={(event) => {
          const chosen = options.find((o) => o.key === event.target.value);
          if (chosen) onChange(chosen.key);
        }}
      >
        {options.map((o) => (
          <option key={o.key} value={o.key}>
            {o.text}
          </option>
        ))}
      </select>
    </label>
  );
}

export function PlainButton({ text, onClick }: { text: string; onClick: () => void }): React.ReactElement {
  return (
    <button type="button" className={styles.button} onClick={onClick}>
      {text}
    </button>
  );
}

/** `share` from 0 to 1, or null while the whole is unknown (the bar then only says what it is doing). */
export function Progress({ label, share }: { label: string; share: number | null }): React.ReactElement {
  const percent = share === null ? null : Math.round(Math.min(1, Math.max(0, share)) * 100);
  return (
    <div className={styles.progress}>
      <span>{label}</span>
      <div
        className={styles.track}
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        {...(percent !== null && { "aria-valuenow": percent })}
      >
        {percent !== null && <div className={styles.bar} style={{ width: `${percent}%` }} />}
      </div>
    </div>
  );
}
