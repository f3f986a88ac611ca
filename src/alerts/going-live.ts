import type { EntityState, StateChange } from '../ha/types.js';
import type { Logger } from '../logging/logger.js';
import type { HistoryLookup } from './history-check.js';
import { HistoryFollowUp } from './history-follow-up.js';
import type { LastSeen } from './last-seen.js';
import type { AlertPipelineOptions, HaView } from './pipeline-options.js';
import { reconcile, type Finding, type Observed, type Unsure } from './reconcile.js';
import type { RestartSettling } from './restart-settling.js';
import type { RuleEngine } from './rule-engine.js';
import type { MissedWhile } from './types.js';

/**
 * Going live after a gap (HA disconnected or restarting, or the bot not running), split out of
 * pipeline.ts: when a gap opens, the watched entities' states it starts from; when HA is back,
 * the comparison with the states now (reconcile.ts), its differences judged, held across an HA
 * restart (restart-settling.ts) or asked of HA's history (history-follow-up.ts), and the
 * watched states kept for the next start. The pipeline keeps the gap and what it saw during it.
 */

/** A time the bot could not see HA's changes, and what it knew before. */
export interface Gap {
  kind: 'disconnected' | 'bot_offline';
  /** The states of the watched entities when the bot last saw them. */
  before: ReadonlyMap<string, EntityState>;
  /** The latest `last_changed` the bot had seen (HA's clock, epoch seconds). */
  haClock: number;
}

export interface GoingLiveOptions {
  store: Pick<AlertPipelineOptions['store'], 'get' | 'all'>;
  lastSeen?: LastSeen;
  log: Logger;
  /** HA's recorded history: tells what an HA restart hides. */
  history?: HistoryLookup;
  /** The waits before asking HA's history again for states its recorder has not written yet. */
  historyRetryMs?: readonly number[];
  stopped: () => boolean;
  /** Differences found across an HA restart, waiting out RESTART_SETTLE_MS. */
  settling: RestartSettling;
  /** The rules in force, brought up to date with the entities. */
  rules: () => RuleEngine;
  atomically: (fn: () => void) => void;
  /** Judges a change found: how many alerts it raised. */
  judgeFound: (finding: Finding, missedWhile: MissedWhile) => number;
}

/** The start and the end of a gap, for the alert pipeline. */
export class GoingLive {
  private readonly history: HistoryFollowUp;

  constructor(private readonly opts: GoingLiveOptions) {
    this.history = new HistoryFollowUp({
      lookup: opts.history,
      retryMs: opts.historyRetryMs,
      stopped: opts.stopped,
      current: (id) => opts.store.get(id),
      lastSeen: opts.lastSeen,
      log: opts.log,
      atomically: opts.atomically,
      judgeFound: opts.judgeFound,
    });
  }

  /** A gap opens (HA disconnected or not RUNNING): the states it starts from. */
  openGap(): Gap {
    // What is written is then what the gap starts from.
    this.opts.lastSeen?.flush();
    const engine = this.opts.rules();
    const before = new Map<string, EntityState>();
    let haClock = this.opts.lastSeen?.clock ?? 0;
    for (const s of this.opts.store.all()) {
      if (s.lastChanged > haClock) haClock = s.lastChanged;
      if (engine.watches(s.entityId)) before.set(s.entityId, s);
    }
    return { kind: 'disconnected', before, haClock };
  }

  /**
   * HA is connected and RUNNING: reports what changed in the gap (`observed`: what the bot saw
   * of it while connected). The `held` changes came after HA began RUNNING: the caller judges
   * them live after this.
   */
  reportGap(
    gap: Gap | undefined,
    observed: ReadonlyMap<string, Observed>,
    held: readonly StateChange[],
    ha: HaView,
  ): void {
    // The states when HA began RUNNING: the held changes came after, and are live.
    const atRunning = new Map<string, EntityState | undefined>();
    for (const c of held) if (!atRunning.has(c.entityId)) atRunning.set(c.entityId, c.oldState);
    const stateAt = (id: string) =>
      atRunning.has(id) ? atRunning.get(id) : this.opts.store.get(id);
    const settling = this.opts.settling;
    let unsure: Unsure[] = [];
    let missedWhile: MissedWhile = 'disconnected';
    let releaseClock: (() => void) | undefined;
    this.opts.atomically(() => {
      if (gap !== undefined) {
        // Told by src/ha: HA said so or was found starting, or renewed its states since.
        const haRestarted = ha.restarted || (ha.statesRenewedAt ?? -Infinity) > gap.haClock;
        missedWhile =
          gap.kind === 'bot_offline' ? 'bot_offline' : haRestarted ? 'ha_restart' : 'disconnected';
        const result = reconcile(gap.before, stateAt, observed, haRestarted);
        let missed = 0;
        for (const finding of result.findings) {
          if (haRestarted && finding.before.state !== finding.after.state) {
            settling.hold(finding, missedWhile);
          } else missed += this.opts.judgeFound(finding, missedWhile);
        }
        settling.arm();
        unsure = result.unsure;
        // Until HA's history tells, the unsure keep their old rows and HA's clock is not
        // saved past the gap's start: a stop or crash meanwhile has the next start find HA
        // restarted since and ask again, not take their new last_changed for a change.
        if (unsure.length > 0) releaseClock = this.opts.lastSeen?.holdClock(gap.haClock);
        if (missed > 0 || unsure.length > 0 || settling.size > 0) {
          this.opts.log.info(
            {
              missed,
              missedWhile,
              haRestarted,
              unsure: unsure.length,
              settling: settling.size,
            },
            gap.kind === 'bot_offline'
              ? 'compared the states with those from before the bot stopped'
              : 'compared the states with those from before Home Assistant was away',
          );
        }
      }
      this.recordWatched(gap, unsure);
    });
    // The clock stays held unless every unsure entity is settled and committed (a stop, a
    // database error, or this transaction failing leave it so): the next start then finds HA
    // restarted since its saved clock and asks HA's history again, as a crash would.
    if (gap !== undefined && unsure.length > 0) {
      this.history
        .check(unsure, gap.haClock, missedWhile, () => releaseClock?.())
        .catch((error: unknown) => {
          if (this.opts.stopped()) return;
          this.opts.log.warn(
            { err: error instanceof Error ? error.message : String(error) },
            "could not read Home Assistant's history: changes hidden by its restart are not reported",
          );
        });
    }
  }

  /**
   * Keeps the watched entities' states for the next start: those that changed in the gap or
   * are newly watched; drops the rows of entities gone or no longer watched. The unsure keep
   * their old row until HA's history tells.
   */
  private recordWatched(gap: Gap | undefined, unsure: readonly Unsure[]): void {
    const lastSeen = this.opts.lastSeen;
    if (lastSeen === undefined) return;
    const engine = this.opts.rules();
    const skip = new Set([...unsure.map((u) => u.entityId), ...this.opts.settling.entityIds()]);
    for (const s of this.opts.store.all()) {
      lastSeen.tick(s.lastChanged);
      // Given the store's state, a "no rule" is kept with it: its first live change finds it.
      if (skip.has(s.entityId) || !engine.watches(s.entityId, s)) continue;
      const was = gap?.before.get(s.entityId);
      if (was?.lastUpdated === s.lastUpdated && was.state === s.state) continue;
      lastSeen.record(s);
    }
    for (const entityId of gap?.before.keys() ?? []) {
      if (this.opts.store.get(entityId) === undefined || !engine.watches(entityId))
        lastSeen.forget(entityId);
    }
    lastSeen.flush(true);
  }
}
