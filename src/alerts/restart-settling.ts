import type { EntityState } from '../ha/types.js';
import { isPlaceholder, type Finding } from './reconcile.js';
import type { MissedWhile } from './types.js';

/**
 * After a crash HA may restore a stale state, and the device's real one follows moments after
 * HA is RUNNING (the porch sensor: 5 ms). A state that differs from before the restart
 * is reported after this long, or at once together with such a correction, as one alert.
 */
export const RESTART_SETTLE_MS = 5000;

/** A difference found across an HA restart, waiting to see whether a correction follows. */
export interface Settling {
  finding: Finding;
  missedWhile: MissedWhile;
}

/** The differences found across an HA restart, held for RESTART_SETTLE_MS. */
export class RestartSettling {
  private readonly waiting = new Map<string, Settling>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly opts: {
      settleMs: number;
      /** Reports one that no correction followed. */
      report: (settling: Settling) => void;
      atomically: (fn: () => void) => void;
    },
  ) {}

  get size(): number {
    return this.waiting.size;
  }

  entityIds(): IterableIterator<string> {
    return this.waiting.keys();
  }

  hold(finding: Finding, missedWhile: MissedWhile): void {
    this.waiting.set(finding.entityId, { finding, missedWhile });
  }

  /** After holding: those held are reported when the wait is over, unless corrected. */
  arm(): void {
    if (this.waiting.size === 0) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.opts.atomically(() => this.reportAll()), this.opts.settleMs);
    this.timer.unref();
  }

  forget(entityId: string): void {
    this.waiting.delete(entityId);
  }

  /**
   * A live state of an entity: 'restoring' if HA had not restored it yet (what it is restored
   * to is what the restart left); else what was held for it, to report first (`corrected`: it
   * came back to its state from before the restart, so what HA restored was stale: one alert).
   */
  take(
    entityId: string,
    state: EntityState,
  ): 'restoring' | (Settling & { corrected: boolean }) | undefined {
    const waiting = this.waiting.get(entityId);
    if (waiting === undefined) return undefined;
    if (isPlaceholder(waiting.finding.after.state)) {
      waiting.finding = { ...waiting.finding, after: state };
      return 'restoring';
    }
    this.waiting.delete(entityId);
    if (state.state !== waiting.finding.before.state) return { ...waiting, corrected: false };
    return {
      finding: corrected(waiting.finding, state),
      missedWhile: waiting.missedWhile,
      corrected: true,
    };
  }

  /** Reports those held that no correction followed. */
  reportAll(): void {
    this.stop();
    for (const settling of this.waiting.values()) this.opts.report(settling);
    this.waiting.clear();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}

/**
 * A state HA restored differently, then back to the one from before the restart moments after
 * RUNNING: a change and back, the restored state in between.
 */
function corrected(finding: Finding, now: EntityState): Finding {
  return { ...finding, after: now, changedBetween: true, via: [finding.after.state] };
}
