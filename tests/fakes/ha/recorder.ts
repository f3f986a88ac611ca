import type { EventBus } from './bus.js';
import { toSeconds } from './clock.js';

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
export class FakeRecorder {
  private rows: Row[] = [];
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
