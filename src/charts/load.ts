import type { NumericStep, StateSpan } from './series.js';
import { downsampleSpans, downsampleStates, downsampleSteps } from './downsample.js';
import {
  NO_VALUE_STATES,
  numericValue,
  type ChartData,
  type ChartSource,
  type Series,
} from './series.js';
import { PLOT_COLUMNS } from './layout.js';
import { MAX_CHART_ENTITIES } from '../alerts/send-schema.js';

/** What a chart needs of HA (src/ha/history.ts, bound to the client). */
export interface HistoryPort {
  stateChanges(
    entityIds: readonly string[],
    start: number,
    end: number,
  ): Promise<{ states: Map<string, StateSpan[]>; truncated: boolean } | undefined>;
  statistics(
    entityIds: readonly string[],
    start: number,
    end: number,
    period: 'hour' | 'day',
  ): Promise<Map<string, NumericStep[]> | undefined>;
  timeZone(): Promise<string>;
}

export interface ChartEntity {
  entityId: string;
  label: string;
  /** `unit_of_measurement`; numeric sensors have one. */
  unit?: string;
}

/** Entities one chart shows at most. */
export { MAX_CHART_ENTITIES };
/** Up to this long a chart reads every change; longer ones read HA's long-term statistics. */
export const HISTORY_MAX_MS = 5 * 86_400_000;
/** Up to this long statistics are hourly; longer ones daily. */
export const HOURLY_MAX_MS = 31 * 86_400_000;

export type LoadResult =
  | { ok: true; data: ChartData; truncated: boolean }
  | { ok: false; reason: 'no_recorder' | 'no_data' };

/**
 * The data of one chart: recent periods from HA's history (every change), long ones from its
 * long-term statistics (hourly or daily mean/min/max; entities without statistics, such as
 * binary sensors, still from history, as far back as the recorder keeps it). Bounded by
 * MAX_CHART_ENTITIES and downsampled to the plot's pixel columns.
 */
export async function loadChart(
  port: HistoryPort,
  entities: readonly ChartEntity[],
  periodMs: number,
  now: number,
  periodText: string,
): Promise<LoadResult> {
  const chosen = entities.slice(0, MAX_CHART_ENTITIES);
  const start = now - periodMs;
  const end = now;
  const ids = chosen.map((e) => e.entityId);
  const [timeZone, stats] = await Promise.all([
    port.timeZone(),
    periodMs > HISTORY_MAX_MS
      ? port.statistics(
          chosen.filter((e) => e.unit !== undefined).map((e) => e.entityId),
          start,
          end,
          periodMs > HOURLY_MAX_MS ? 'day' : 'hour',
        )
      : Promise.resolve(undefined),
  ]);
  const fromStats = stats ?? new Map<string, NumericStep[]>();
  const needHistory = ids.filter((id) => !fromStats.has(id));
  let truncated = false;
  let history: Map<string, StateSpan[]> | undefined;
  if (needHistory.length > 0) {
    const got = await port.stateChanges(needHistory, start, end);
    if (got === undefined && fromStats.size === 0) return { ok: false, reason: 'no_recorder' };
    history = got?.states;
    truncated = got?.truncated ?? false;
  }
  const series: Series[] = [];
  for (const entity of chosen) {
    const statSteps = fromStats.get(entity.entityId);
    if (statSteps !== undefined) {
      series.push({
        kind: 'numeric',
        entityId: entity.entityId,
        label: entity.label,
        unit: entity.unit ?? '',
        steps: downsampleSteps(statSteps, start, end, PLOT_COLUMNS),
      });
      continue;
    }
    const spans = history?.get(entity.entityId);
    if (spans === undefined || spans.length === 0) continue;
    if (isNumeric(spans, entity.unit)) {
      series.push({
        kind: 'numeric',
        entityId: entity.entityId,
        label: entity.label,
        unit: entity.unit ?? '',
        steps: downsampleStates(spans, start, end, PLOT_COLUMNS),
      });
    } else {
      series.push({
        kind: 'state',
        entityId: entity.entityId,
        label: entity.label,
        spans: downsampleSpans(spans, start, end, PLOT_COLUMNS),
      });
    }
  }
  if (series.length === 0) return { ok: false, reason: 'no_data' };
  const source: ChartSource =
    stats !== undefined && fromStats.size > 0
      ? periodMs > HOURLY_MAX_MS
        ? 'statistics (daily)'
        : 'statistics (hourly)'
      : 'history';
  return { ok: true, truncated, data: { start, end, source, series, timeZone, periodText } };
}

/** A line chart when every state with a value is a number (and there is one). */
function isNumeric(spans: readonly StateSpan[], unit: string | undefined): boolean {
  let numbers = 0;
  for (const span of spans) {
    if (NO_VALUE_STATES.has(span.state)) continue;
    if (numericValue(span.state) === null) return false;
    numbers++;
  }
  return numbers > 0 || (unit !== undefined && spans.every((s) => NO_VALUE_STATES.has(s.state)));
}
