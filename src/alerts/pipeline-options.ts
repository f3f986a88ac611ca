import type { EntityState, StateChange } from '../ha/types.js';
import type { Logger } from '../logging/logger.js';
import type { HistoryLookup } from './history-check.js';
import type { LastSeen } from './last-seen.js';
import type { Firing, RuleEngine } from './rule-engine.js';

/** What the alert pipeline (pipeline.ts) is given. */

/** HA as the alerts need to know it. */
export interface HaView {
  connected: boolean;
  /** HA's core state is RUNNING. */
  running: boolean;
  /** HA itself restarted since the last connection (it said so, or was found starting). */
  restarted: boolean;
  /**
   * HA's clock at or after which most of its states last changed (src/ha/restart.ts): HA
   * restarted after any clock the bot saw before it.
   */
  statesRenewedAt?: number;
}

export interface AlertPipelineOptions {
  store: {
    onChange(listener: (c: StateChange) => void): () => void;
    get(entityId: string): EntityState | undefined;
    all(): IterableIterator<EntityState>;
  };
  /** The rules in force at first; `setEngine` replaces them. */
  engine: RuleEngine;
  /**
   * Brings what the rules know of entities up to date before a change is judged (an entity
   * renamed or moved is re-matched): the catalog tells the engine what changed.
   */
  syncEntities?: () => void;
  /** Where the rules' decisions go: see alert-outlet.ts (mutes, channel, the outbox). */
  emit: (firing: Firing, now: number) => void;
  log: Logger;
  now?: () => number;
  /** What the bot judged of each watched entity, kept for its next start. */
  lastSeen?: LastSeen;
  /** HA's recorded history: tells what an HA restart hides. */
  history?: HistoryLookup;
  /** Runs `fn` in one database transaction: alerts and the states they were found from. */
  atomically?: (fn: () => void) => void;
  /** The waits before asking HA's history again for states its recorder has not written yet. */
  historyRetryMs?: readonly number[];
  /** How long a state HA restored differently is given to be corrected (default 5 s). */
  restartSettleMs?: number;
}
