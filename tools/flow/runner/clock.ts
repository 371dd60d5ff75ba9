/** The run's clock. Delays, retries and connector latency advance it instead of waiting. */
export interface Clock {
  now(): Date;
  advance(ms: number): void;
}

export class VirtualClock implements Clock {
  private ms: number;

  constructor(start: Date | string = "2024-01-01T00:00:00Z") {
    this.ms = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.ms);
  }

  advance(ms: number): void {
    if (ms < 0) throw new Error(`a clock cannot go back (${ms} ms)`);
    this.ms += ms;
  }
}

/** ISO 8601 durations as WDL uses them (PT1H, P1D, PT30S, P6D). */
export function durationMs(iso: string): number {
  const m = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(iso);
  if (m === null || iso === "P" || iso.endsWith("T")) throw new Error(`'${iso}' is not an ISO 8601 duration such as PT1H or P1D`);
  const [w, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5]].map((x) => Number(x ?? 0));
  return ((((w * 7 + d) * 24 + h) * 60 + mi) * 60 + s) * 1000;
}
