import type { EntityState } from '../ha/types.js';
import type { SavedStates, StateBatch } from '../storage/alert-states.js';

/** Where the states are kept (src/storage/alert-states.ts). */
export interface AlertStatePort {
  load(): SavedStates | undefined;
  save(batch: StateBatch): { dropped: number };
}

export interface LastSeenOptions {
  /** Rules' `attribute:`s: the only attributes worth keeping. */
  attributes: () => readonly string[];
  onError: (error: unknown) => void;
  /** Rows were not written because the table is full. */
  onFull: (dropped: number) => void;
  /** How long changes collect before one write (default 1 s). */
  flushMs?: number;
}

/** HA's clock is written when it moved this far (seconds), or with any state. */
const CLOCK_STEP_S = 60;

/**
 * What the bot last judged of every watched entity, kept in SQLite for its next start.
 * Changes collect in memory, one entry per entity (so it is bounded by the entities rules
 * watch), and are written together at most once per `flushMs`; `flush()` writes at once.
 */
export class LastSeen {
  private readonly dirty = new Map<string, EntityState | null>();
  private haClock = 0;
  private savedClock = 0;
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private stopped = false;

  constructor(
    private readonly port: AlertStatePort,
    private readonly opts: LastSeenOptions,
  ) {}

  /** What was kept from the bot's last run; undefined on its first start. */
  load(): SavedStates | undefined {
    const saved = this.port.load();
    if (saved !== undefined) this.haClock = this.savedClock = saved.haClock;
    return saved;
  }

  /** HA's clock as far as the bot has seen it (the latest `last_changed` of any entity). */
  get clock(): number {
    return this.haClock;
  }

  /** An entity changed (watched or not): HA's clock moved. */
  tick(lastChanged: number): void {
    if (lastChanged <= this.haClock) return;
    this.haClock = lastChanged;
    if (lastChanged - this.savedClock >= CLOCK_STEP_S) this.schedule();
  }

  record(state: EntityState): void {
    // Held as is (states are never changed in place) and slimmed when written: a flood
    // records the same entities many times between two writes.
    this.dirty.set(state.entityId, state);
    this.tick(state.lastChanged);
    this.schedule();
  }

  forget(entityId: string): void {
    this.dirty.set(entityId, null);
    this.schedule();
  }

  /** Writes what has collected now, in one transaction (also when nothing has: `force`). */
  flush(force = false): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.immediate !== undefined) clearImmediate(this.immediate);
    this.immediate = undefined;
    if (!force && this.dirty.size === 0 && this.haClock === this.savedClock) return;
    const put: EntityState[] = [];
    const remove: string[] = [];
    for (const [entityId, state] of this.dirty) {
      if (state === null) remove.push(entityId);
      else put.push(this.slim(state));
    }
    try {
      const { dropped } = this.port.save({ put, remove, haClock: this.haClock });
      this.dirty.clear();
      this.savedClock = this.haClock;
      if (dropped > 0) this.opts.onFull(dropped);
    } catch (error) {
      // Kept for the next flush: the map holds at most one entry per entity.
      this.opts.onError(error);
    }
  }

  /** Writes at the end of this tick, together with whatever else the tick records. */
  flushSoon(): void {
    if (this.immediate !== undefined || this.stopped) return;
    this.immediate = setImmediate(() => {
      this.immediate = undefined;
      this.flush();
    });
  }

  stop(): void {
    this.flush();
    this.stopped = true;
  }

  private schedule(): void {
    if (this.timer !== undefined || this.stopped) return;
    this.timer = setTimeout(() => this.flush(), this.opts.flushMs ?? 1000);
    this.timer.unref();
  }

  private slim(state: EntityState): EntityState {
    const attributes: Record<string, unknown> = {};
    for (const key of this.opts.attributes()) {
      if (key in state.attributes) attributes[key] = state.attributes[key];
    }
    return {
      entityId: state.entityId,
      state: state.state,
      attributes,
      lastChanged: state.lastChanged,
      lastUpdated: state.lastUpdated,
    };
  }
}
