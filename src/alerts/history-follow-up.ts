import type { EntityState } from '../ha/types.js';
import type { Logger } from '../logging/logger.js';
import { milestone } from '../logging/milestones.js';
import { checkHistory, type HistoryLookup } from './history-check.js';
import type { LastSeen } from './last-seen.js';
import type { Finding, HistoryVerdict, Unsure } from './reconcile.js';
import type { MissedWhile } from './types.js';

/** What an entity HA's history could not be read for is taken as: nothing known. */
const UNKNOWN: HistoryVerdict = { kind: 'unrecorded' };

export interface HistoryFollowUpOptions {
  lookup?: HistoryLookup;
  /** The waits before asking HA's history again for states its recorder has not written yet. */
  retryMs?: readonly number[];
  stopped: () => boolean;
  /** An entity's state now. */
  current: (entityId: string) => EntityState | undefined;
  lastSeen?: LastSeen;
  log: Logger;
  atomically: (fn: () => void) => void;
  /** Judges a change found: how many alerts it raised. */
  judgeFound: (finding: Finding, missedWhile: MissedWhile) => number;
}

/**
 * Equal states with a newer `last_changed` across an HA restart: HA's history says whether
 * they took another value meanwhile. Its recorder commits every few seconds, so a state not
 * written yet is asked for again a few times.
 */
export class HistoryFollowUp {
  private noHistoryLogged = false;

  constructor(private readonly opts: HistoryFollowUpOptions) {}

  /**
   * Settles each unsure entity once: by HA's history's verdict, or, when reading it failed, as
   * unknown (its state now kept, as without history) before the error is passed on. A stop
   * leaves those not settled yet as they were (their old rows, for the next start).
   * `settled` is called once every one is settled and committed: not after a stop, nor when
   * settling failed (a database error), so a clock held for them stays held (see
   * LastSeen.holdClock) and the next start asks again.
   */
  async check(
    unsure: readonly Unsure[],
    haClock: number,
    missedWhile: MissedWhile,
    settled: () => void = () => {},
  ): Promise<void> {
    let found = 0;
    let unknown = 0;
    const opts = {
      lookup: this.opts.lookup,
      retryMs: this.opts.retryMs,
      stopped: this.opts.stopped,
    };
    const pending = new Map(unsure.map((u) => [u.entityId, u]));
    const decide = (verdicts: readonly [Unsure, HistoryVerdict][]) => {
      this.opts.atomically(() => {
        for (const [u, verdict] of verdicts) {
          if (verdict.kind !== 'changed' && verdict.kind !== 'unchanged') unknown++;
          found += this.settle(u, verdict, missedWhile);
        }
        this.opts.lastSeen?.flush();
      });
      // Only once committed: a batch rolled back leaves its entities pending.
      for (const [u] of verdicts) pending.delete(u.entityId);
      if (pending.size === 0) settled();
    };
    let noHistory: boolean;
    try {
      ({ noHistory } = await checkHistory(unsure, haClock, opts, decide));
    } catch (error) {
      if (!this.opts.stopped() && pending.size > 0) {
        try {
          decide([...pending.values()].map((u): [Unsure, HistoryVerdict] => [u, UNKNOWN]));
        } catch {
          // The first error is the one told; the entities stay pending (and the clock held).
        }
      }
      throw error;
    }
    if (noHistory) this.logNoHistory(unsure.length);
    else
      this.opts.log.info(
        { ...milestone('ha.history-checked'), found, unknown, missedWhile },
        "checked Home Assistant's history for changes its restart hid",
      );
  }

  /** Reports what HA's history found, unless the entity changed live since; keeps its state. */
  private settle(u: Unsure, verdict: HistoryVerdict, missedWhile: MissedWhile): number {
    const current = this.opts.current(u.entityId);
    // Changed again since: the live alert told the latest, and the live path kept it.
    if (current === undefined || current.lastChanged !== u.after.lastChanged) return 0;
    this.opts.lastSeen?.record(current);
    if (verdict.kind !== 'changed') return 0;
    return this.opts.judgeFound(
      {
        entityId: u.entityId,
        before: u.before,
        after: current,
        changedBetween: true,
        via: verdict.via,
      },
      missedWhile,
    );
  }

  private logNoHistory(count: number): void {
    if (this.noHistoryLogged) return;
    this.noHistoryLogged = true;
    this.opts.log.info(
      { entities: count },
      "Home Assistant keeps no history (no recorder): an entity that changed and changed back while HA restarted cannot be told from one HA merely restored, and is not reported. To have it reported, load HA's recorder and history (default_config: does)",
    );
  }
}
