import type { EntityState } from '../ha/types.js';
import type { Db } from './database.js';
import { multiRowStatement, ROWS_PER_STATEMENT } from './multi-row.js';

/** What the bot knew when it last stopped: see `AlertStateStore.load`. */
export interface SavedStates {
  /** The last state the bot judged of each watched entity (attributes: only those rules watch). */
  states: Map<string, EntityState>;
  /** The latest `last_changed` the bot had seen from HA (HA's clock, epoch seconds). */
  haClock: number;
  /** When this was written (the bot's clock, epoch ms). */
  savedAt: number;
}

/** One batch of changes: states to write, entity ids to drop, and HA's clock. */
export interface StateBatch {
  put: readonly EntityState[];
  remove: readonly string[];
  haClock: number;
}

/** At most this many rows: one per watched entity, with 100,000 entities in mind. */
export const MAX_ALERT_STATES = 200_000;

const PUT_COLUMNS = 5;
/**
 * A row replaced whole (every column is written): in this table (no trigger, no foreign key,
 * no rowid) the same as an upsert, for 10-40% less CPU a row than `ON CONFLICT DO UPDATE`.
 */
const PUT =
  'INSERT OR REPLACE INTO alert_states (entity_id, state, attributes, last_changed, last_updated)';

interface Row {
  entity_id: string;
  state: string;
  attributes: string;
  last_changed: number;
  last_updated: number;
}

/**
 * The last known state and `last_changed` of every entity an alert rule watches, kept in
 * SQLite so that a change made while the bot was not running is reported when it starts.
 * Written in batches (one transaction each); bounded to one row per watched entity.
 */
export class AlertStateStore {
  private readonly stmts;
  /** Upserts rows, PUT_COLUMNS values each, several per statement. */
  private readonly put;
  /**
   * At least as many as the table's rows (undefined until counted): the count at the last
   * `COUNT(*)`, plus the rows that batch removed before it (a rollback of the save, or of a
   * transaction around it, brings them back), plus every row put since, replaced or new
   * (this store is the table's only writer; a later removal or rollback leaves it higher
   * than the rows). Only a batch that may reach MAX_ALERT_STATES counts the rows again: a
   * count visits every row (about 120 µs at 100,000), and a flood saves the states its
   * alerts came from every frame.
   */
  private rowsAtMost: number | undefined;

  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {
    this.put = multiRowStatement(db, PUT_COLUMNS, PUT);
    this.stmts = {
      all: db.prepare('SELECT * FROM alert_states LIMIT ?'),
      info: db.prepare('SELECT ha_clock, saved_at FROM alert_states_info WHERE id = 1'),
      count: db.prepare('SELECT COUNT(*) AS n FROM alert_states'),
      has: db.prepare('SELECT 1 FROM alert_states WHERE entity_id = ?'),
      remove: db.prepare('DELETE FROM alert_states WHERE entity_id = ?'),
      setInfo: db.prepare(
        'INSERT INTO alert_states_info (id, ha_clock, saved_at) VALUES (1, ?, ?) ' +
          'ON CONFLICT(id) DO UPDATE SET ha_clock = max(ha_clock, excluded.ha_clock), ' +
          'saved_at = excluded.saved_at',
      ),
    };
  }

  /** What was saved; undefined before the first save (the bot's first start). */
  load(): SavedStates | undefined {
    const info = this.stmts.info.get() as { ha_clock: number; saved_at: number } | undefined;
    if (info === undefined) return undefined;
    const states = new Map<string, EntityState>();
    for (const row of this.stmts.all.iterate(MAX_ALERT_STATES) as IterableIterator<Row>) {
      states.set(row.entity_id, {
        entityId: row.entity_id,
        state: row.state,
        attributes: parseAttributes(row.attributes),
        lastChanged: row.last_changed,
        lastUpdated: row.last_updated,
      });
    }
    return { states, haClock: info.ha_clock, savedAt: info.saved_at };
  }

  /** Writes one batch in one transaction. New rows beyond MAX_ALERT_STATES are not added. */
  save(batch: StateBatch): { dropped: number } {
    return this.db.transaction(() => {
      for (const entityId of batch.remove) this.stmts.remove.run(entityId);
      let rows = 0;
      let nearCap = false;
      if (batch.put.length > 0) {
        let atMost = this.rowsAtMost;
        if (atMost === undefined || atMost + batch.put.length > MAX_ALERT_STATES) {
          rows = (this.stmts.count.get() as { n: number }).n;
          // Counted after this batch's removals, which a rollback would undo.
          atMost = rows + batch.remove.length;
          // Only near the cap does each new row need counting.
          nearCap = rows + batch.put.length > MAX_ALERT_STATES;
        }
        // Counted or not, at most this many once the batch is written.
        this.rowsAtMost = atMost + batch.put.length;
      }
      let dropped = 0;
      // Up to ROWS_PER_STATEMENT rows per statement (a batch names each entity once).
      const values: unknown[] = [];
      for (const s of batch.put) {
        if (nearCap && this.stmts.has.get(s.entityId) === undefined) {
          if (rows >= MAX_ALERT_STATES) {
            dropped++;
            continue;
          }
          rows++;
          // Counted one by one: the next check must see this row.
          this.put([
            s.entityId,
            s.state,
            JSON.stringify(s.attributes),
            s.lastChanged,
            s.lastUpdated,
          ]);
          continue;
        }
        values.push(
          s.entityId,
          s.state,
          JSON.stringify(s.attributes),
          s.lastChanged,
          s.lastUpdated,
        );
        if (values.length === ROWS_PER_STATEMENT * PUT_COLUMNS) {
          this.put(values);
          values.length = 0;
        }
      }
      if (values.length > 0) this.put(values);
      this.stmts.setInfo.run(batch.haClock, this.now());
      return { dropped };
    })();
  }
}

function parseAttributes(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
