import type { HaClient } from './client.js';
import type { NumericStep, StateSpan } from '../charts/series.js';
import { toHaError } from './errors.js';

/** One recorded state: the state and when it was set (epoch seconds, HA's clock). */
export interface RecordedState {
  state: string;
  at: number;
}

/** `history/history_during_period` with minimal_response: `s` and `lu` per row. */
type RawHistory = Record<string, { s?: unknown; lu?: unknown }[] | undefined>;

/** HA answers this when its `history` integration (with the recorder) is not loaded. */
const NO_HISTORY = 'unknown_command';

/**
 * `history/history_during_period` the way every reader here asks it (every change, the state at
 * the start, no attributes); undefined when this HA keeps no history.
 */
async function historyDuringPeriod(
  ha: Pick<HaClient, 'command'>,
  entityIds: readonly string[],
  startMs: number,
  endMs?: number,
): Promise<RawHistory | undefined> {
  try {
    const raw = await ha.command<RawHistory | undefined>({
      type: 'history/history_during_period',
      start_time: new Date(startMs).toISOString(),
      ...(endMs === undefined ? {} : { end_time: new Date(endMs).toISOString() }),
      entity_ids: [...entityIds],
      include_start_time_state: true,
      significant_changes_only: false,
      minimal_response: true,
      no_attributes: true,
    });
    return raw ?? {};
  } catch (error) {
    if (toHaError(error).code === NO_HISTORY) return undefined;
    throw error;
  }
}

/**
 * The states HA's recorder kept for some entities since `since` (epoch seconds), the state
 * at `since` first (HA gives it the start time); undefined when this HA keeps no history (no `history:`/`recorder:`, which
 * `default_config:` loads). An entity HA records nothing for is missing from the map. Rows
 * HA has not committed yet (its recorder writes every few seconds) are not there either.
 */
export async function recordedStates(
  ha: Pick<HaClient, 'command'>,
  entityIds: readonly string[],
  since: number,
): Promise<Map<string, RecordedState[]> | undefined> {
  // Just after `since` (it has microseconds, an ISO time milliseconds): a state set at `since`
  // is then the state at the start, not a change after it.
  const raw = await historyDuringPeriod(ha, entityIds, Math.ceil(since * 1000) + 1);
  if (raw === undefined) return undefined;
  const result = new Map<string, RecordedState[]>();
  for (const entityId of entityIds) {
    const rows = raw?.[entityId];
    if (!Array.isArray(rows)) continue;
    const states: RecordedState[] = [];
    for (const row of rows) {
      if (typeof row?.s === 'string' && typeof row.lu === 'number')
        states.push({ state: row.s, at: row.lu });
    }
    result.set(entityId, states);
  }
  return result;
}

/**
 * The `get_config` answer's time zone (an IANA name); UTC when HA gives none or one that
 * `isTimeZone` (the chart's check, with the formatter it keeps for the zone) refuses.
 */
export async function haTimeZone(
  ha: Pick<HaClient, 'command'>,
  isTimeZone: (zone: string) => boolean,
): Promise<string> {
  const config = await ha.command<{ time_zone?: unknown }>({ type: 'get_config' });
  const zone = typeof config?.time_zone === 'string' ? config.time_zone : 'UTC';
  return isTimeZone(zone) ? zone : 'UTC';
}

/*
 * A chart's rows (thousands for a day of a chatty sensor) are made by constructors, not
 * object literals: V8 moves the objects of a literal straight to its old generation once
 * most of them outlive a young GC (as a chart's rows do while it is drawn), and with the
 * bot's small young generation (--max-semi-space-size=2) every later chart's rows then
 * stayed there as garbage until a full GC (measured, bench/charts.bench.ts: +8-16 MB per
 * 100 charts). Constructed objects are left to the young GC.
 */
class Span implements StateSpan {
  constructor(
    public state: string,
    public t: number,
  ) {}
}

class StatisticsStep implements NumericStep {
  constructor(
    public t: number,
    public v: number,
    public lo: number,
    public hi: number,
  ) {}
}

/** Rows read per entity at most: beyond it the rest of a chatty sensor's period is dropped. */
export const MAX_ROWS_PER_ENTITY = 200_000;

/**
 * Every state change of some entities between `start` and `end` (epoch ms), the state at
 * `start` first; times in epoch ms. Undefined when this HA keeps no history. Rows past
 * MAX_ROWS_PER_ENTITY are dropped (`truncated`).
 */
export async function stateChanges(
  ha: Pick<HaClient, 'command'>,
  entityIds: readonly string[],
  start: number,
  end: number,
): Promise<{ states: Map<string, StateSpan[]>; truncated: boolean } | undefined> {
  const raw = await historyDuringPeriod(ha, entityIds, start, end);
  if (raw === undefined) return undefined;
  const states = new Map<string, StateSpan[]>();
  let truncated = false;
  for (const entityId of entityIds) {
    const rows = raw?.[entityId];
    if (!Array.isArray(rows)) continue;
    const spans: StateSpan[] = [];
    for (const row of rows) {
      if (spans.length >= MAX_ROWS_PER_ENTITY) {
        truncated = true;
        break;
      }
      if (typeof row?.s === 'string' && typeof row.lu === 'number')
        spans.push(new Span(row.s, Math.round(row.lu * 1000)));
    }
    states.set(entityId, spans);
  }
  return { states, truncated };
}

/** `recorder/statistics_during_period` rows with types mean/min/max (start/end in epoch ms). */
type RawStatistics = Record<
  string,
  { start?: unknown; end?: unknown; mean?: unknown; min?: unknown; max?: unknown }[] | undefined
>;

export type StatisticsPeriod = 'hour' | 'day';

/**
 * HA's long-term statistics of some sensors (those with a state_class): the mean, lowest and
 * highest value per hour or day, as steps; a missing period is a gap (a null step). An entity
 * without statistics is missing from the map. Undefined when this HA has no recorder.
 */
export async function statistics(
  ha: Pick<HaClient, 'command'>,
  entityIds: readonly string[],
  start: number,
  end: number,
  period: StatisticsPeriod,
): Promise<Map<string, NumericStep[]> | undefined> {
  let raw: RawStatistics;
  try {
    raw = await ha.command<RawStatistics>({
      type: 'recorder/statistics_during_period',
      start_time: new Date(start).toISOString(),
      end_time: new Date(end).toISOString(),
      statistic_ids: [...entityIds],
      period,
      types: ['mean', 'min', 'max'],
    });
  } catch (error) {
    if (toHaError(error).code === NO_HISTORY) return undefined;
    throw error;
  }
  const result = new Map<string, NumericStep[]>();
  for (const entityId of entityIds) {
    const rows = raw?.[entityId];
    if (!Array.isArray(rows) || rows.length === 0) continue;
    const steps: NumericStep[] = [];
    let prevEnd: number | undefined;
    for (const row of rows.slice(0, MAX_ROWS_PER_ENTITY)) {
      const from = row?.start;
      const to = row?.end;
      if (typeof from !== 'number' || typeof to !== 'number') continue;
      if (prevEnd !== undefined && from > prevEnd) steps.push({ t: prevEnd, v: null });
      const mean = finite(row.mean);
      const lo = finite(row.min);
      const hi = finite(row.max);
      if (mean === null) steps.push({ t: from, v: null });
      else steps.push(new StatisticsStep(from, mean, lo ?? mean, hi ?? mean));
      prevEnd = to;
    }
    if (prevEnd !== undefined && prevEnd < end) steps.push({ t: prevEnd, v: null });
    result.set(entityId, steps);
  }
  return result;
}

const finite = (v: unknown): number | null =>
  typeof v === 'number' && Number.isFinite(v) ? v : null;

/** One line of HA's logbook: what happened and, where HA knows it, who or what caused it. */
export interface LogbookEntry {
  /** Epoch ms. */
  at: number;
  entityId?: string;
  /** A state change's new state. */
  state?: string;
  /** An event's name and message (an automation "triggered by ..."; `logbook.log`). */
  name?: string;
  message?: string;
  /** The HA user whose action caused it. */
  userId?: string;
  /** `automation_triggered`, `script_started`, `call_service`... */
  causeEvent?: string;
  causeDomain?: string;
  causeService?: string;
  causeName?: string;
  causeEntityId?: string;
}

/** Entries read at most: the newest are kept (a busy home writes thousands a day). */
export const MAX_LOGBOOK_ENTRIES = 5000;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/**
 * HA's logbook (`logbook/get_events`) between `start` and `end` (epoch ms), newest first, at
 * most MAX_LOGBOOK_ENTRIES; only some entities when `entityIds` is given. Undefined when this
 * HA has no logbook.
 */
export async function logbookEntries(
  ha: Pick<HaClient, 'command'>,
  start: number,
  end: number,
  entityIds?: readonly string[],
): Promise<LogbookEntry[] | undefined> {
  let raw: unknown;
  try {
    raw = await ha.command<unknown>({
      type: 'logbook/get_events',
      start_time: new Date(start).toISOString(),
      end_time: new Date(end).toISOString(),
      ...(entityIds !== undefined ? { entity_ids: [...entityIds] } : {}),
    });
  } catch (error) {
    if (toHaError(error).code === NO_HISTORY) return undefined;
    throw error;
  }
  if (!Array.isArray(raw)) return [];
  const out: LogbookEntry[] = [];
  for (let i = raw.length - 1; i >= 0 && out.length < MAX_LOGBOOK_ENTRIES; i--) {
    const e = raw[i] as Record<string, unknown> | null;
    if (e === null || typeof e !== 'object' || typeof e.when !== 'number') continue;
    const entry: LogbookEntry = { at: Math.round(e.when * 1000) };
    const fields: [keyof LogbookEntry, string][] = [
      ['entityId', 'entity_id'],
      ['state', 'state'],
      ['name', 'name'],
      ['message', 'message'],
      ['userId', 'context_user_id'],
      ['causeEvent', 'context_event_type'],
      ['causeDomain', 'context_domain'],
      ['causeService', 'context_service'],
      ['causeName', 'context_name'],
      ['causeEntityId', 'context_entity_id'],
    ];
    for (const [key, field] of fields) {
      const value = str(e[field]);
      if (value !== undefined) (entry as unknown as Record<string, unknown>)[key] = value;
    }
    out.push(entry);
  }
  return out;
}
