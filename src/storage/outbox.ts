import type { Db } from './database.js';
import {
  JSON_CODEC,
  payloadText,
  toRow,
  type EncodedPayload,
  type OutboxRow,
  type PayloadCodec,
  type PayloadPieces,
  type RawRow,
  type SetAside,
} from './outbox-rows.js';
import { burstIds, hasSeparator, OutboxBursts, ROWS_HELD } from './outbox-bursts.js';
import { OutboxTrims } from './outbox-trims.js';
import { INSERT, QueuedRows } from './queued-rows.js';

export { JSON_CODEC };
export type { EncodedPayload, OutboxRow, PayloadCodec, PayloadPieces, SetAside };

export interface TrimResult {
  byAge: number;
  bySize: number;
}

/**
 * The durable outbox: an alert is a row before anything is sent, and is deleted only after
 * Discord accepted the message that carried it. A batch id is written before a send, so a
 * resend after a crash rebuilds the same message with the same nonce.
 */
export class Outbox {
  private readonly stmts;
  /** Rows queued (`queue`) and not written yet. */
  private readonly queued;
  /** A flood's rows written as one (see OutboxBursts), opened when read. */
  private readonly bursts;
  /** The bounds by age and size (see trim). */
  private readonly trims;
  /** Rows setAside() moved that takeSetAside() has not reported yet. */
  private readonly setAsideSinceTaken: SetAside[] = [];

  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
    private readonly codec: PayloadCodec = JSON_CODEC,
  ) {
    this.bursts = new OutboxBursts(db);
    this.queued = new QueuedRows(db, this.bursts);
    this.trims = new OutboxTrims(db, this.bursts);
    this.stmts = {
      add: db.prepare(`${INSERT} VALUES (?, ?, ?, ?, ?)`),
      channels: db.prepare('SELECT DISTINCT channel_id FROM outbox ORDER BY channel_id'),
      // A burst's payload (many rows' worth) is made a string only to open it (SQLite still
      // walks its overflow pages to the columns after it).
      peek: db.prepare(
        `SELECT id, channel_id, kind, CASE WHEN parts IS NULL THEN payload END AS payload,
                status_key, created_at, batch, attempts, parts
           FROM outbox WHERE channel_id = ? ORDER BY id LIMIT ?`,
      ),
      batch: db.prepare('SELECT * FROM outbox WHERE batch = ? ORDER BY id'),
      depth: db.prepare(`SELECT ${ROWS_HELD} AS n FROM outbox`),
      // By id, the primary key: rows are added in time order, so the first is the oldest.
      oldest: db.prepare('SELECT created_at FROM outbox ORDER BY id LIMIT 1'),
      keepAside: db.prepare(
        `INSERT OR REPLACE INTO outbox_set_aside
           (id, channel_id, kind, payload, status_key, created_at, parts, reason, set_aside_at)
         SELECT id, channel_id, kind, payload, status_key, created_at, parts, ?, ? FROM outbox
           WHERE id = ?`,
      ),
      drop: db.prepare('DELETE FROM outbox WHERE id = ?'),
    };
  }

  /** Writes a row now; its id. */
  add(channelId: string, kind: string, payload: unknown, statusKey?: string): number {
    return this.write(channelId, kind, payloadText(this.encode(kind, payload)), statusKey);
  }

  /**
   * Queues a row, written with the others of its burst: every ROWS_PER_STATEMENT rows in one
   * statement, the rest by `flush()`. For a caller inside a transaction that flushes before
   * it commits (groupCommits' `beforeCommit`, `transaction` here); every other method
   * flushes first, so what is read or changed includes the queued rows, in their order.
   */
  queue(channelId: string, kind: string, payload: unknown, statusKey?: string): void {
    const encoded = this.encode(kind, payload);
    // A burst keeps its rows apart with these (PayloadCodec says a payload has none): a text
    // with one (a codec's JSON with whitespace) is written now, as a row of its own, in order.
    if (typeof encoded === 'string' && hasSeparator(encoded)) {
      this.write(channelId, kind, encoded, statusKey);
      return;
    }
    this.queued.add(channelId, kind, encoded, statusKey ?? null, this.now());
  }

  /** Writes the queued rows, then this one; its id. */
  private write(channelId: string, kind: string, text: string, statusKey?: string): number {
    this.flush();
    const info = this.stmts.add.run(channelId, kind, text, statusKey ?? null, this.now());
    return Number(info.lastInsertRowid);
  }

  /** The codec's text for a payload, or its pieces; throws for neither (JSON has no undefined). */
  private encode(kind: string, payload: unknown): EncodedPayload {
    const encoded = this.codec.encode(kind, payload);
    if (
      typeof encoded !== 'string' &&
      (typeof encoded !== 'object' ||
        encoded === null ||
        typeof encoded.head !== 'string' ||
        typeof encoded.shared !== 'string' ||
        typeof encoded.tail !== 'string')
    ) {
      throw new Error(`the outbox's codec gave a payload of kind ${kind} no JSON text`);
    }
    return encoded;
  }

  /** Writes the queued rows, in one statement. */
  flush(): void {
    this.queued.flush();
  }

  /**
   * Runs `fn` in a transaction (a savepoint inside a burst's): the rows it queues are written
   * inside it, so they are rolled back with it if `fn` throws, as rows it added would be.
   */
  transaction(fn: () => void): void {
    this.flush();
    this.db.transaction(() => {
      try {
        fn();
        this.flush();
      } catch (error) {
        // Queued inside the savepoint being rolled back: dropped with it.
        this.queued.drop();
        throw error;
      }
    })();
  }

  /** Channels with something waiting. */
  channels(): string[] {
    this.flush();
    return (this.stmts.channels.all() as { channel_id: string }[]).map((r) => r.channel_id);
  }

  /**
   * The oldest waiting rows of a channel, in the order they were added. A row whose payload
   * cannot be read is set aside (see setAside) and left out.
   */
  peek<T>(channelId: string, limit: number): OutboxRow<T>[] {
    this.flush();
    // SQLite reads a negative LIMIT as none: every row, bursts past what was opened.
    limit = Math.max(0, limit);
    let head = this.stmts.peek.all(channelId, limit) as RawRow[];
    // A burst among them is opened (once it reaches the head), and they are read again, as
    // rows of one; again if one could not be opened (set aside, it uncovered rows after it).
    // Each pass opens or sets aside a burst: it ends.
    while (this.bursts.openHead(head, limit, this.unreadableBurst)) {
      head = this.stmts.peek.all(channelId, limit) as RawRow[];
    }
    return this.readable<T>(head);
  }

  batchRows<T>(batch: string): OutboxRow<T>[] {
    this.flush();
    return this.readable<T>(this.stmts.batch.all(batch) as RawRow[]);
  }

  /**
   * Moves rows that cannot be delivered (their payload unreadable, or no message can be made
   * of them) to the outbox_set_aside table as they are, with why: they no longer hold up
   * their channel, and a person can still read them there. takeSetAside() reports them.
   */
  setAside(rows: readonly Pick<OutboxRow, 'id' | 'channelId' | 'kind'>[], reason: string): void {
    this.flush();
    if (rows.length === 0) return;
    this.moveAside(
      rows.map((row) => row.id),
      reason,
    );
    for (const row of rows) {
      this.setAsideSinceTaken.push({
        id: row.id,
        channelId: row.channelId,
        kind: row.kind,
        reason,
      });
    }
  }

  /** A burst that cannot be opened is set aside whole: each of its rows reported. */
  private readonly unreadableBurst = (row: RawRow, why: string): void => {
    const reason = `unreadable: ${why}`;
    this.moveAside([row.id], reason);
    for (const id of burstIds(row)) {
      this.setAsideSinceTaken.push({ id, channelId: row.channel_id, kind: row.kind, reason });
    }
  };

  /** Moves the table rows `ids` to outbox_set_aside, in one transaction. */
  private moveAside(ids: readonly number[], reason: string): void {
    const at = this.now();
    this.db.transaction(() => {
      for (const id of ids) {
        this.stmts.keepAside.run(reason, at, id);
        this.stmts.drop.run(id);
      }
    })();
  }

  /** The rows set aside since the last call, for the log and the metrics. */
  takeSetAside(): SetAside[] {
    return this.setAsideSinceTaken.splice(0);
  }

  private readable<T>(raw: RawRow[]): OutboxRow<T>[] {
    const rows: OutboxRow<T>[] = [];
    for (const r of raw) {
      // Never here (peek opens the bursts it reads, and no other read meets one): were one
      // here, what follows it would be read out of order.
      if (r.parts !== null) break;
      let payload: unknown;
      try {
        payload = this.codec.decode(r.kind, r.payload);
      } catch (error) {
        const why = error instanceof Error ? error.message : String(error);
        this.setAside([{ id: r.id, channelId: r.channel_id, kind: r.kind }], `unreadable: ${why}`);
        continue;
      }
      rows.push(toRow<T>(r, payload));
    }
    return rows;
  }

  /** Freezes which rows one message carries, before it is sent. */
  assignBatch(ids: readonly number[], batch: string): void {
    this.inIds('UPDATE outbox SET batch = ? WHERE id IN', ids, [batch]);
  }

  /** Discord accepted the message: its rows are done. */
  remove(ids: readonly number[]): void {
    this.inIds('DELETE FROM outbox WHERE id IN', ids);
  }

  recordAttempt(ids: readonly number[]): void {
    this.inIds('UPDATE outbox SET attempts = attempts + 1 WHERE id IN', ids);
  }

  get depth(): number {
    this.flush();
    return (this.stmts.depth.get() as { n: number }).n;
  }

  /** When the oldest waiting row was queued (epoch ms); undefined when nothing waits. */
  get oldestCreatedAt(): number | undefined {
    this.flush();
    return (this.stmts.oldest.get() as { created_at: number } | undefined)?.created_at;
  }

  /** Bounds the outbox by age and size, oldest first; says how many rows went. */
  trim(limits: { maxAgeMs: number; maxRows: number }): TrimResult {
    this.flush();
    const reported = this.setAsideSinceTaken.length;
    try {
      return this.db.transaction(() => {
        const byAge = this.trims.olderThan(this.now() - limits.maxAgeMs);
        const excess = this.depth - limits.maxRows;
        return {
          byAge,
          bySize: excess > 0 ? this.trims.oldest(excess, this.unreadableBurst) : 0,
        };
      })();
    } catch (error) {
      // Rolled back: a burst set aside in it is back where it was, not to be reported.
      this.setAsideSinceTaken.length = reported;
      throw error;
    }
  }

  private inIds(sql: string, ids: readonly number[], params: unknown[] = []): void {
    this.flush();
    if (ids.length === 0) return;
    this.db.transaction(() => {
      for (let i = 0; i < ids.length; i += 500) {
        const chunk = ids.slice(i, i + 500);
        this.db.prepare(`${sql} (${chunk.map(() => '?').join(',')})`).run(...params, ...chunk);
      }
    })();
  }
}
