/**
 * One bad record must not take the whole control with it. React unmounts everything up to the nearest error boundary
 * when a render throws, and without one that is the control's root: the board or panel goes blank with no message.
 * Both controls put this boundary around each card, lane and section, so a part that cannot be drawn becomes a small
 * inline notice (text the control passes in, from its own resx in the user's language) and the rest keeps working.
 *
 * React 16.14 (the platform's) has error boundaries only as class components with getDerivedStateFromError. The
 * boundary tries again when one of its `resetKeys` changes (new data for that record), not on every parent render.
 */
import * as React from "react";

export interface ErrorBoundaryProps {
  /** What to draw instead of the children once they have thrown. */
  readonly fallback: (error: unknown) => React.ReactNode;
  /** When any of these changes (by identity), the children are drawn again. */
  readonly resetKeys?: readonly unknown[];
  /** Told once per caught error; for logging. The control keeps running whatever it does. */
  readonly onError?: (error: unknown, componentStack: string) => void;
  readonly children?: React.ReactNode;
}

interface ErrorBoundaryState {
  readonly failed: boolean;
  readonly error: unknown;
  readonly keys: readonly unknown[];
}

function changed(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length !== b.length || a.some((value, i) => !Object.is(value, b[i]));
}

export class ErrorBoundary extends React.Component<ErrorBoundaryProps, ErrorBoundaryState> {
  constructor(props: ErrorBoundaryProps) {
    super(props);
    this.state = { failed: false, error: undefined, keys: props.resetKeys ?? [] };
  }

  static getDerivedStateFromError(error: unknown): Partial<ErrorBoundaryState> {
    return { failed: true, error };
  }

  static getDerivedStateFromProps(props: ErrorBoundaryProps, state: ErrorBoundaryState): Partial<ErrorBoundaryState> | null {
    const keys = props.resetKeys ?? [];
    if (!changed(keys, state.keys)) return null;
    return { keys, failed: false, error: undefined };
  }

  componentDidCatch(error: unknown, info: React.ErrorInfo): void {
    try {
      this.props.onError?.(error, info.componentStack ?? "");
    } catch {
      // A failing logger must not turn a contained error into an uncontained one.
    }
  }

  render(): React.ReactNode {
    if (!this.state.failed) return this.props.children;
    try {
      return this.props.fallback(this.state.error);
    } catch {
      // The fallback is text from the caller; if even that cannot be made, draw nothing rather than throw upwards.
      return null;
    }
  }
}

export interface InlineNoticeProps {
  /** Localised text, e.g. "This deal could not be shown." */
  readonly text: string;
  /** Which part failed (`card`, `lane`, `section`), for styles and tests. */
  readonly part: string;
  readonly className?: string;
  readonly style?: React.CSSProperties;
  /** The element's role; `note` by default, `listitem` where the notice takes a list item's place. */
  readonly role?: string;
  /** The id of the record the failed part showed, as `data-record-id`, so the part can still be found. */
  readonly recordId?: string;
  readonly children?: React.ReactNode;
}

/** The small notice a failed part leaves in its place: text only, in the surrounding font, readable in every theme. */
export function InlineNotice({ text, part, className, style, role, recordId, children }: InlineNoticeProps): React.ReactElement {
  return (
    <div
      role={role ?? "note"}
      data-error-boundary={part}
      data-record-id={recordId}
      className={className}
      style={{ fontSize: 12, lineHeight: "16px", padding: "4px 8px", overflowWrap: "anywhere", borderLeft: "3px solid currentColor", opacity: 0.85, ...style }}
    >
      {text}
      {children}
    </div>
  );
}
