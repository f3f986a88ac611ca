/**
 * What a chart shows, independent of where it came from: step functions over time.
 * All times are epoch milliseconds.
 */

/** From `t` until the next step: the value (null: a gap, no data or unavailable). */
export interface NumericStep {
  t: number;
  v: number | null;
  /** Long-term statistics: the lowest and highest value within the step's period. */
  lo?: number;
  hi?: number;
}

/** From `t` until the next span: the entity's state (text, e.g. `on`, `unavailable`). */
export interface StateSpan {
  t: number;
  state: string;
}

export interface NumericSeries {
  kind: 'numeric';
  entityId: string;
  label: string;
  unit: string;
  steps: NumericStep[];
}

export interface StateSeries {
  kind: 'state';
  entityId: string;
  label: string;
  spans: StateSpan[];
}

export type Series = NumericSeries | StateSeries;

/** Where a chart's data came from: HA's history (every change) or its hourly/daily statistics. */
export type ChartSource = 'history' | 'statistics (hourly)' | 'statistics (daily)';

export interface ChartData {
  start: number;
  end: number;
  source: ChartSource;
  series: Series[];
  /** An IANA time zone name (HA's `time_zone`), for the time axis. */
  timeZone: string;
  /** Shown under the title, e.g. "24 h". */
  periodText: string;
  /** Values marked across the first line panel, dashed (an alert rule's thresholds). */
  marks?: readonly { value: number; label: string }[];
}

/** The states that mean "no value": drawn as gaps in a line, grey in a timeline. */
export const NO_VALUE_STATES: ReadonlySet<string> = new Set(['unavailable', 'unknown']);

/** A state as a number, or null when it is none (a gap). */
export function numericValue(state: string): number | null {
  if (NO_VALUE_STATES.has(state) || state.trim() === '') return null;
  const n = Number(state);
  return Number.isFinite(n) ? n : null;
}
