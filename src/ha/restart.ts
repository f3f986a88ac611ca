import type { EntityState } from './types.js';

/**
 * Whether Home Assistant itself restarted (not just the connection dropped), decided here
 * once for the whole bot and passed on in the `connected` status: HA said it is stopping (its
 * stop event, which only administrators hear), or a connection found it starting. It holds
 * until HA is RUNNING again: that status says `restarted`, and the next one does not.
 */
export class RestartDetector {
  private restarting = false;

  /** HA's stop event: it is stopping or restarting. */
  stopping(): void {
    this.restarting = true;
  }

  /** A connection found HA's core state to be `coreState`: starting means it (re)started. */
  found(coreState: string): void {
    if (coreState !== 'RUNNING') this.restarting = true;
  }

  /** The `restarted` of a status with `coreState`; cleared once HA says RUNNING. */
  restarted(coreState: string): boolean {
    const restarted = this.restarting;
    if (coreState === 'RUNNING') this.restarting = false;
    return restarted;
  }
}

/**
 * The restart a stop event or start-up state cannot show (a non-administrator token, HA
 * RUNNING again before the bot reconnected, or the bot itself stopped meanwhile): a start
 * gives most of HA's states a new `last_changed`. Returns the latest time at or after which
 * more than half of the states last changed (HA's clock, epoch seconds), or undefined with
 * fewer than three states: HA restarted after any clock earlier than it.
 */
export function statesRenewedAt(states: Iterable<EntityState>): number | undefined {
  const times: number[] = [];
  for (const s of states) times.push(s.lastChanged);
  if (times.length < 3) return undefined;
  const sorted = Float64Array.from(times).sort();
  // More than half are newer than a clock exactly when the k-th newest is.
  const k = Math.floor(sorted.length / 2) + 1;
  return sorted[sorted.length - k];
}
