import type { EventBus } from './bus.js';
import { toSeconds } from './clock.js';
import type { HaError } from './types.js';

/** One state change as HA's recorder stores it: the entity, its state, when (epoch µs). */
interface Row {
  entityId: string;
  state: string;
  lu: number;
  /** Readable: HA's recorder commits its writes every few seconds. */
  committed: boolean;
  /** The state itself changed (not only attributes): what HA's logbook lists. */
  stateChanged?: boolean;
  /** A state with a unit or state_class: HA's logbook leaves these out. */
  continuous?: boolean;
  /** The user whose action made the change (context.user_id). */
  userId?: string | null;
}

/** A `logbook/get_events` entry as HA 2024.3 answers it (`when` in epoch seconds). */
export type LogbookEntry = Record<string, unknown> & { when: number };

/** Rows kept at most (the oldest go first): tests only. */
const MAX_ROWS = 100_000;

/**
 * HA's recorder and the `history/history_during_period` command (HA 2024.3
 * components/history/websocket_api.py) as far as the bot uses it: `minimal_response` rows
 * `{s, lu}`, consecutive repeats of a state dropped, the state at `start_time` first (with
 * `lu` = start_time) when `include_start_time_state`. Attributes are never returned.
 * HA's recorder commits every few seconds (5 by default): with `commitEvery(ms)`, rows are
 * read only after the next commit; by default at once.
 */
/** One hour of long-term statistics as a test seeds it (epoch ms). */
export interface StatisticsRow {
  start: number;
  mean: number;
  min: number;
  max: number;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const STATISTIC_TYPES = ['mean', 'min', 'max'] as const;

export class FakeRecorder {
  private rows: Row[] = [];
  /** Hourly long-term statistics per statistic id (an entity id), sorted by start. */
  private readonly hourly = new Map<string, StatisticsRow[]>();
  private timer: NodeJS.Timeout | undefined;

  /** `timeZone`: HA's (config `time_zone`); its daily statistics group hours by local day. */
  constructor(
    bus: EventBus,
    private readonly timeZone: string = 'UTC',
  ) {
    bus.listen('state_changed', ({ change }) => {
      if (change?.new === null || change === undefined) return;
      const attributes = change.new.state.attributes;
      this.rows.push({
        entityId: change.entityId,
        state: change.new.state.state,
        lu: change.new.lu,
        committed: this.timer === undefined,
        // HA's logbook leaves out an entity's first state (no old state) and attribute changes.
        stateChanged: change.old !== null && change.old.state.state !== change.new.state.state,
        // Measured against HA 2024.3: an input_number with a unit is left out as well.
        continuous: 'unit_of_measurement' in attributes || 'state_class' in attributes,
        userId: change.context.user_id,
      });
      if (this.rows.length > MAX_ROWS) this.rows = this.rows.slice(-MAX_ROWS / 2);
    });
  }

  /** Commits every `ms` from now on (0: every row at once, the default). */
  commitEvery(ms: number): void {
    clearInterval(this.timer);
    this.timer = undefined;
    if (ms > 0) {
      this.timer = setInterval(() => this.commit(), ms);
      this.timer.unref();
    } else this.commit();
  }

  /**
   * Recorded states from the past, as if HA had written them then (times in epoch ms): for
   * charts of days a test cannot wait for. Kept in time order with the live rows.
   */
  seed(entityId: string, states: readonly { state: string; at: number }[]): void {
    for (const { state, at } of states)
      this.rows.push({ entityId, state, lu: Math.round(at * 1000), committed: true });
    this.rows.sort((a, b) => a.lu - b.lu);
    if (this.rows.length > MAX_ROWS) this.rows = this.rows.slice(-MAX_ROWS);
  }

  /**
   * Hourly long-term statistics of a sensor (HA makes them for sensors with a state_class);
   * an hour missing here is missing in HA's answer too, as when HA was down.
   */
  seedStatistics(statisticId: string, rows: readonly StatisticsRow[]): void {
    const all = [...(this.hourly.get(statisticId) ?? []), ...rows];
    all.sort((a, b) => a.start - b.start);
    this.hourly.set(statisticId, all.slice(-MAX_ROWS));
  }

  /**
   * `recorder/statistics_during_period` (HA 2024.3 recorder/websocket_api.py): per statistic
   * id with rows, `{start, end}` in epoch ms and the asked `types` (all when none); ids
   * without rows are left out. `period` hour or day: the hours from `start_time` on, a day
   * being a local day in HA's time zone (HA's reduce_day_ts_factory: from local midnight to
   * the next, 23 or 25 hours across a DST change). An error message for a start time HA
   * would refuse.
   */
  statisticsDuringPeriod(
    msg: Record<string, unknown>,
    statisticIds: readonly string[],
  ): { result: Record<string, Record<string, number>[]> } | { error: HaError } {
    const start = Date.parse(String(msg.start_time));
    if (!Number.isFinite(start))
      return { error: { code: 'invalid_start_time', message: 'Invalid start_time' } };
    const end = typeof msg.end_time === 'string' ? Date.parse(msg.end_time) : Infinity;
    if (Number.isNaN(end))
      return { error: { code: 'invalid_end_time', message: 'Invalid end_time' } };
    if (msg.period !== 'hour' && msg.period !== 'day')
      throw new Error(
        `the fake recorder has only hour and day statistics, not ${String(msg.period)}`,
      );
    const types = Array.isArray(msg.types)
      ? STATISTIC_TYPES.filter((t) => (msg.types as unknown[]).includes(t))
      : STATISTIC_TYPES;
    const period = (t: number): [number, number] => {
      if (msg.period === 'hour') {
        const from = Math.floor(t / HOUR_MS) * HOUR_MS;
        return [from, from + HOUR_MS];
      }
      const from = localMidnight(t, this.timeZone);
      // Past the next midnight whatever the DST change, then back to it.
      return [from, localMidnight(from + DAY_MS + 2 * HOUR_MS, this.timeZone)];
    };
    const result: Record<string, Record<string, number>[]> = {};
    for (const id of statisticIds) {
      const buckets = new Map<number, { end: number; rows: StatisticsRow[] }>();
      for (const row of this.hourly.get(id) ?? []) {
        if (row.start < start || row.start >= end) continue;
        const [from, to] = period(row.start);
        const bucket = buckets.get(from) ?? { end: to, rows: [] };
        bucket.rows.push(row);
        buckets.set(from, bucket);
      }
      if (buckets.size === 0) continue;
      result[id] = [...buckets].map(([bucketStart, { end: bucketEnd, rows }]) => {
        const out: Record<string, number> = { start: bucketStart, end: bucketEnd };
        const agg = {
          mean: rows.reduce((sum, r) => sum + r.mean, 0) / rows.length,
          min: Math.min(...rows.map((r) => r.min)),
          max: Math.max(...rows.map((r) => r.max)),
        };
        for (const t of types) out[t] = agg[t];
        return out;
      });
    }
    return { result };
  }

  /** Entries besides state changes (automations triggered, scripts, logbook.log): tests add them. */
  private readonly logbookExtra: LogbookEntry[] = [];

  /**
   * Logbook entries as HA writes them for what the fake does not run itself, e.g.
   * `{when, name: 'Night', message: 'triggered by ...', entity_id: 'automation.night',
   * domain: 'automation', context_id}`, or a state change attributed to an automation
   * (`context_event_type: 'automation_triggered'`, `context_name`, `context_entity_id`...).
   */
  seedLogbook(entries: readonly LogbookEntry[]): void {
    this.logbookExtra.push(...entries);
    this.logbookExtra.sort((a, b) => a.when - b.when);
    if (this.logbookExtra.length > MAX_ROWS) this.logbookExtra.splice(0, MAX_ROWS / 2);
  }

  /**
   * `logbook/get_events` (HA 2024.3 logbook/websocket_api.py, timestamp=True, no entity
   * names): state changes (not attribute-only ones, not those with a unit) as `{when, state,
   * entity_id}` with `context_user_id` when a user caused them, and the seeded entries; oldest
   * first; `entity_ids` filters.
   */
  logbookEvents(msg: Record<string, unknown>): { result: LogbookEntry[] } | { error: HaError } {
    const start = Date.parse(String(msg.start_time));
    if (!Number.isFinite(start))
      return { error: { code: 'invalid_start_time', message: 'Invalid start_time' } };
    const end = typeof msg.end_time === 'string' ? Date.parse(msg.end_time) : Date.now();
    if (Number.isNaN(end))
      return { error: { code: 'invalid_end_time', message: 'Invalid end_time' } };
    const ids = Array.isArray(msg.entity_ids) ? new Set(msg.entity_ids as string[]) : undefined;
    const inRange = (when: number) => when * 1000 >= start && when * 1000 < end;
    const out: LogbookEntry[] = [];
    for (const r of this.rows) {
      if (!r.committed || !r.stateChanged || r.continuous) continue;
      if (ids !== undefined && !ids.has(r.entityId)) continue;
      const when = toSeconds(r.lu);
      if (!inRange(when)) continue;
      out.push({
        when,
        state: r.state,
        entity_id: r.entityId,
        ...(r.userId ? { context_user_id: r.userId } : {}),
      });
    }
    for (const e of this.logbookExtra) {
      if (!inRange(e.when)) continue;
      if (ids !== undefined && !ids.has(String(e.entity_id))) continue;
      out.push(e);
    }
    out.sort((a, b) => a.when - b.when);
    return { result: out };
  }

  commit(): void {
    for (const row of this.rows) row.committed = true;
  }

  /** What HA answers; an error message for a start time HA would refuse. */
  historyDuringPeriod(
    msg: Record<string, unknown>,
    entityIds: readonly string[],
  ): Record<string, unknown> | string {
    const start = Date.parse(String(msg.start_time));
    if (!Number.isFinite(start)) return 'Invalid start_time';
    const end = typeof msg.end_time === 'string' ? Date.parse(msg.end_time) : Infinity;
    const startMicros = start * 1000;
    const endMicros = end * 1000;
    const includeStart = msg.include_start_time_state !== false;
    const result: Record<string, { s: string; lu: number }[]> = {};
    for (const entityId of entityIds) {
      const rows = this.rows.filter((r) => r.entityId === entityId && r.committed);
      const out: { s: string; lu: number }[] = [];
      const atStart = rows.filter((r) => r.lu <= startMicros).at(-1);
      if (includeStart && atStart !== undefined)
        out.push({ s: atStart.state, lu: toSeconds(startMicros) });
      for (const r of rows) {
        if (r.lu <= startMicros || r.lu > endMicros) continue;
        if (out.at(-1)?.s === r.state) continue;
        out.push({ s: r.state, lu: toSeconds(r.lu) });
      }
      if (out.length > 0) result[entityId] = out;
    }
    return result;
  }
}

const formats: Record<string, Intl.DateTimeFormat> = {};

/** The local midnight (epoch ms) that starts `t`'s day in `zone`. */
export function localMidnight(t: number, zone: string): number {
  const offset = (at: number) => {
    const p: Record<string, number> = {};
    const format = (formats[zone] ??= new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    }));
    for (const part of format.formatToParts(at))
      if (part.type !== 'literal') p[part.type] = Number(part.value);
    const local = Date.UTC(p.year!, p.month! - 1, p.day, p.hour, p.minute, p.second);
    return { local, offset: local - Math.floor(at / 1000) * 1000 };
  };
  const { local } = offset(t);
  const day = Math.floor(local / DAY_MS) * DAY_MS;
  // The offset at midnight may differ from the one at `t` (a DST change that day).
  let guess = day - offset(t).offset;
  guess = day - offset(guess).offset;
  return guess;
}
