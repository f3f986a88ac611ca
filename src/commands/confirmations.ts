import { randomBytes } from 'node:crypto';
import type { Action } from '../policy/schema.js';
import type { Reply } from './reply.js';
import type { Caller } from './types.js';

/** A dangerous action waiting for its confirm button. */
export interface PendingAction {
  /** The Discord user who asked: the only one who may confirm. */
  userId: string;
  /** What the access policy must still allow when the button is pressed. */
  action: Action;
  entityIds: readonly string[];
  /** Each entity's state (and when it last changed) when asked; any change cancels. */
  seen: ReadonlyMap<string, { state: string; lastChanged: number } | undefined>;
  /** "Unlock Front Door Lock": what the person is confirming. */
  summary: string;
  /** Does it, for whoever pressed Confirm (the asker, checked before). */
  run(by: Caller): Promise<Reply>;
}

interface Entry extends PendingAction {
  expiresAt: number;
  timer: NodeJS.Timeout;
}

/**
 * The pending confirmations, in memory: a restart forgets them, and a press after that
 * says the confirmation expired, which is the safe answer. Bounded, so a flood of requests
 * cannot grow it without limit (the oldest is dropped, as if it had expired).
 */
export class Confirmations {
  private readonly pending = new Map<string, Entry>();

  private readonly timeout: () => number;

  constructor(
    /**
     * How long a button works: a number, or read from the live config for each new
     * confirmation (a reload changes it for those asked after it).
     */
    timeoutMs: number | (() => number),
    private readonly now: () => number = Date.now,
    private readonly max = 1000,
  ) {
    this.timeout = typeof timeoutMs === 'number' ? () => timeoutMs : timeoutMs;
  }

  /** How long a confirmation asked now stays open. */
  get timeoutMs(): number {
    return this.timeout();
  }

  /** Stores the action and returns its id; `onExpire` runs if nobody presses in time. */
  add(action: PendingAction, onExpire: () => void): string {
    if (this.pending.size >= this.max) {
      const [oldest] = this.pending.keys();
      if (oldest !== undefined) this.drop(oldest);
    }
    const id = randomBytes(9).toString('base64url');
    const timeoutMs = this.timeoutMs;
    const timer = setTimeout(() => {
      if (this.drop(id)) onExpire();
    }, timeoutMs);
    timer.unref();
    this.pending.set(id, { ...action, expiresAt: this.now() + timeoutMs, timer });
    return id;
  }

  /** The live pending action with this id, without using it up. */
  get(id: string): PendingAction | undefined {
    const entry = this.pending.get(id);
    if (entry === undefined) return undefined;
    if (this.now() >= entry.expiresAt) {
      this.drop(id);
      return undefined;
    }
    return entry;
  }

  /** Uses the pending action up: a second press finds nothing. */
  take(id: string): PendingAction | undefined {
    const action = this.get(id);
    if (action) this.drop(id);
    return action;
  }

  get size(): number {
    return this.pending.size;
  }

  stop(): void {
    for (const entry of this.pending.values()) clearTimeout(entry.timer);
    this.pending.clear();
  }

  private drop(id: string): boolean {
    const entry = this.pending.get(id);
    if (entry === undefined) return false;
    clearTimeout(entry.timer);
    this.pending.delete(id);
    return true;
  }
}
