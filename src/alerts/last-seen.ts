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
  /**
   * The round of timed writes going on: how many of `dirty`'s first entries are left, the
   * clock, and the ids of its current group, sorted (see `turnIds`), from `at` on.
   */
  private round: { left: number; haClock: number; group: string[]; at: number } | undefined;
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
    this.write(this.dirty.size, clock);
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
    const states = new Map<string, EntityState | null>();
    for (const id of this.urgent) {
      const state = this.dirty.get(id);
      // Written meanwhile (a flush): nothing left to write.
      if (state !== undefined) states.set(id, state);
    }
    this.urgent.clear();
    if (states.size === 0) return;
    const { put, remove } = this.split(states.entries(), states.size);
    if (!this.save(put, remove, this.savedClock)) return;
    // A round going on still ends once the entries it began with are written: those left are
    // still its first ones (it may write a few newer ones with them).
    for (const id of states.keys()) this.dirty.delete(id);
  }

  stop(): void {
    this.flush();
    this.stopped = true;
  }

  private schedule(): void {
    if (this.timer !== undefined || this.round !== undefined || this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.round = { left: this.dirty.size, haClock: this.haClock, group: [], at: 0 };
      this.writeTurn();
    }, this.opts.flushMs ?? 1000);
    this.timer.unref();
  }

  /** One turn of the round: its next rows; the clock with its last (the round then over). */
  private writeTurn(): void {
    const round = this.round;
    if (round === undefined) return;
    // At most `left` (a group is never more), and fewer only when the entries ran out.
    const ids = this.turnIds(round, this.opts.rowsPerTurn ?? ROWS_PER_TURN);
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
   * The ids of a turn's `rows` rows: the next of the round's current group, the next
   * GROUP_TURNS turns' worth of `dirty`'s first entries sorted by id. The table is kept in
   * that order (its primary key), so a turn's rows then fill a few neighbouring pages of it;
   * in the order recorded (HA's, about random against the ids) each turn of 2,000 rows
   * rewrote most of the table's pages, each written again to the WAL, a few times a round.
   * Ids written meanwhile (`flushUrgent`) are skipped: those rows are spent all the same, so
   * the round still ends once the entries it began with are written, as in that order.
   */
  private turnIds(round: NonNullable<LastSeen['round']>, rows: number): string[] {
    if (round.at === round.group.length) {
      round.group = firstKeys(this.dirty, Math.min(round.left, rows * GROUP_TURNS));
      // The default sort compares strings by UTF-16 code units: SQLite's BINARY order (bytes
      // of UTF-8) for entity ids, which are ASCII.
      round.group.sort();
      round.at = 0;
    }
    const end = Math.min(round.group.length, round.at + rows);
    const ids = round.group.slice(round.at, end);
    round.at = end;
    return ids;
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

  /**
   * Writes the first `count` of the collected entries with HA's clock `haClock`, in one
   * transaction, and drops them from `dirty`; false (and kept) when the write failed.
   */
  private write(count: number, haClock: number): boolean {
    const { put, remove } = this.split(this.dirty.entries(), count);
    if (!this.save(put, remove, haClock)) return false;
    if (count === this.dirty.size) this.dirty.clear();
    else {
      let n = 0;
      for (const id of this.dirty.keys()) {
        if (n++ === count) break;
        this.dirty.delete(id);
      }
    }
    if (haClock > this.savedClock) this.savedClock = haClock;
    return true;
  }

  /** HA's clock `haClock` as it may be written now: not beyond any hold. */
  private clockToWrite(haClock: number): number {
    // Never back: what is written already stays (the table keeps the highest anyway).
    return Math.max(Math.min(haClock, this.heldAt), this.savedClock);
  }

  private split(
    entries: Iterator<[string, EntityState | null]>,
    count: number,
  ): { put: EntityState[]; remove: string[] } {
    const put: EntityState[] = [];
    const remove: string[] = [];
    for (let i = 0; i < count; i++) {
      const next = entries.next();
      if (next.done === true) break;
      const [entityId, state] = next.value;
      if (state === null) remove.push(entityId);
      else put.push(this.slim(state));
    }
    return { put, remove };
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

/**
 * Turns of a round whose ids are sorted at once (at 2,000 rows a turn, 20,000: 8-14 ms on
 * two busy cores, in the group's first turn).
 */
const GROUP_TURNS = 10;

/** The first `count` keys of `map`, in its order. */
function firstKeys<K>(map: Map<K, unknown>, count: number): K[] {
  const keys: K[] = [];
  for (const key of map.keys()) {
    if (keys.length >= count) break;
    keys.push(key);
  }
  return keys;
}
