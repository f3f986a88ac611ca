import type { EntityState } from '../ha/types.js';
import type { SavedStates, StateBatch } from '../storage/alert-states.js';
import { WriteRound } from './write-round.js';

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
  /** How long changes collect before they are written (default 1 s). */
  flushMs?: number;
  /** Rows written per turn of the event loop when the collected changes are written. */
  rowsPerTurn?: number;
}

/** HA's clock is written when it moved this far (seconds), or with any state. */
const CLOCK_STEP_S = 60;

/**
 * Rows per transaction when the collected changes are written: at 100,000 watched entities a
 * flood leaves most of them changed within a second, one write of all of them would block the
 * event loop for a few hundred ms; this many take a few ms, each in its own turn.
 */
export const ROWS_PER_TURN = 2000;

/**
 * What the bot last judged of every watched entity, kept in SQLite for its next start.
 * Changes collect in memory, one entry per entity (so it is bounded by the entities rules
 * watch), and are written `flushMs` after the first of them, ROWS_PER_TURN rows a turn of
 * the event loop; `flush()` writes all at once, `flushSoon(id)` one entity's with the alerts'
 * commit (`flushUrgent()` in it) or else at the end of the tick.
 *
 * What is saved is always a state the bot judged, and HA's clock saved is never ahead of a
 * change not written yet: it is the clock from when the current round of writes began,
 * written once the round's entities are (a crash in between finds an older clock, which
 * only widens what the next start compares and asks HA's history about). `holdClock` keeps it
 * from passing a time while some states judged after it are not settled yet (HA's history
 * asked about them): a stop or crash meanwhile has the next start judge them again.
 */
export class LastSeen {
  /** In the order first recorded since last written (a newer state keeps the place). */
  private readonly dirty = new Map<string, EntityState | null>();
  /** Entities whose state is written at the end of this tick (an alert came from it). */
  private readonly urgent = new Set<string>();
  /** The round of timed writes going on. */
  private round: WriteRound | undefined;
  private haClock = 0;
  private savedClock = 0;
  /** The times HA's clock is not written beyond (see `holdClock`), one per hold. */
  private readonly holds = new Set<{ at: number }>();
  /** The earliest hold's time (Infinity when none): read on every change, so kept, not found. */
  private heldAt = Infinity;
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  /** The next turn of a round of timed writes. */
  private turn: NodeJS.Immediate | undefined;
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
    // Held back, the clock is due only once it can move: no empty writes meanwhile.
    if (Math.min(lastChanged, this.heldAt) - this.savedClock >= CLOCK_STEP_S) this.schedule();
  }

  /**
   * Until the returned release is called, HA's clock is not written beyond `at` (the rows are
   * written as usual): states newer than `at` whose verdict is pending keep their old row, and
   * a next start finding the clock at `at` compares them again from there.
   */
  holdClock(at: number): () => void {
    const hold = { at };
    this.holds.add(hold);
    this.heldAt = Math.min(this.heldAt, at);
    return () => {
      if (!this.holds.delete(hold)) return;
      this.heldAt = Infinity;
      for (const other of this.holds) this.heldAt = Math.min(this.heldAt, other.at);
      // The clock held back is written with the next round.
      if (this.haClock > this.savedClock) this.schedule();
    };
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
    this.cancel();
    this.urgent.clear();
    const clock = this.clockToWrite(this.haClock);
    if (!force && this.dirty.size === 0 && clock === this.savedClock) return;
    this.writeIds([...this.dirty.keys()], clock);
  }

  /**
   * Writes this entity's state with the alerts' commit (`flushUrgent()` in it) or else at the
   * end of this tick, together with the others given (one transaction), the rest left to the
   * timed writes: an alert came from it, and a crash then cannot have the next start report
   * the same change again.
   */
  flushSoon(entityId: string): void {
    if (this.stopped) return;
    this.urgent.add(entityId);
    this.immediate ??= setImmediate(() => {
      this.immediate = undefined;
      this.flushUrgent();
    });
  }

  /**
   * Writes now what `flushSoon` was given (each entity's latest state), in one transaction:
   * the caller's when inside one, so the states go with the alerts queued in it.
   */
  flushUrgent(): void {
    if (this.urgent.size === 0) return;
    const ids: string[] = [];
    // Written meanwhile (a flush): nothing left to write.
    for (const id of this.urgent) if (this.dirty.has(id)) ids.push(id);
    this.urgent.clear();
    if (ids.length === 0) return;
    // A round going on still ends once the entries it began with are written: those left are
    // still its first ones (it may write a few newer ones with them).
    this.writeIds(ids, this.savedClock);
  }

  stop(): void {
    this.flush();
    this.stopped = true;
  }

  private schedule(): void {
    if (this.timer !== undefined || this.round !== undefined || this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.round = new WriteRound(this.dirty.size, this.haClock);
      this.writeTurn();
    }, this.opts.flushMs ?? 1000);
    this.timer.unref();
  }

  /** One turn of the round: its next rows; the clock with its last (the round then over). */
  private writeTurn(): void {
    const round = this.round;
    if (round === undefined) return;
    // At most `left` (a group is never more), and fewer only when the entries ran out.
    const ids = round.nextIds(this.dirty, this.opts.rowsPerTurn ?? ROWS_PER_TURN);
    const last = ids.length === round.left || ids.length === 0;
    // Not over: HA's clock as already saved, which no write makes ahead of what is kept.
    if (!this.writeIds(ids, last ? this.clockToWrite(round.haClock) : this.savedClock)) {
      // Kept for the next round, which the next change schedules.
      this.round = undefined;
      return;
    }
    round.left -= ids.length;
    if (last) {
      this.round = undefined;
      if (this.dirty.size > 0) this.schedule();
      return;
    }
    this.turn = setImmediate(() => {
      this.turn = undefined;
      this.writeTurn();
    });
  }

  /**
   * Writes these ids' collected entries (those still collected) with HA's clock `haClock`,
   * in one transaction, and drops them from `dirty`; false (and kept) when the write failed.
   */
  private writeIds(ids: readonly string[], haClock: number): boolean {
    const put: EntityState[] = [];
    const remove: string[] = [];
    for (const id of ids) {
      const state = this.dirty.get(id);
      if (state === null) remove.push(id);
      else if (state !== undefined) put.push(this.slim(state));
    }
    if (!this.save(put, remove, haClock)) return false;
    for (const id of ids) this.dirty.delete(id);
    if (haClock > this.savedClock) this.savedClock = haClock;
    return true;
  }

  /** HA's clock `haClock` as it may be written now: not beyond any hold. */
  private clockToWrite(haClock: number): number {
    // Never back: what is written already stays (the table keeps the highest anyway).
    return Math.max(Math.min(haClock, this.heldAt), this.savedClock);
  }

  private save(put: EntityState[], remove: string[], haClock: number): boolean {
    try {
      const { dropped } = this.port.save({ put, remove, haClock });
      if (dropped > 0) this.opts.onFull(dropped);
      return true;
    } catch (error) {
      // Kept for the next write: the map holds at most one entry per entity.
      this.opts.onError(error);
      return false;
    }
  }

  private cancel(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.immediate !== undefined) clearImmediate(this.immediate);
    this.immediate = undefined;
    if (this.turn !== undefined) clearImmediate(this.turn);
    this.turn = undefined;
    this.round = undefined;
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
