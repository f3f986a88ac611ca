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
}

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

  constructor(bus: EventBus) {
    bus.listen('state_changed', ({ change }) => {
      if (change?.new === null || change === undefined) return;
      this.rows.push({
        entityId: change.entityId,
        state: change.new.state.state,
        lu: change.new.lu,
        committed: this.timer === undefined,
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
   * without rows are left out. `period` hour or day (days are UTC days here; HA uses its
   * local ones). An error message for a start time HA would refuse.
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
    const size = msg.period === 'hour' ? HOUR_MS : DAY_MS;
    const result: Record<string, Record<string, number>[]> = {};
    for (const id of statisticIds) {
      const buckets = new Map<number, StatisticsRow[]>();
      for (const row of this.hourly.get(id) ?? []) {
        const bucket = Math.floor(row.start / size) * size;
        if (bucket < start || bucket >= end) continue;
        buckets.set(bucket, [...(buckets.get(bucket) ?? []), row]);
      }
      if (buckets.size === 0) continue;
      result[id] = [...buckets].map(([bucketStart, rows]) => {
        const out: Record<string, number> = { start: bucketStart, end: bucketStart + size };
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
