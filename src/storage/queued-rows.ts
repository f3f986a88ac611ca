import type { Db } from './database.js';
import { multiRowStatement, ROWS_PER_STATEMENT } from './multi-row.js';

/** What `add` and `queue` write: COLUMNS values per row. */
export const INSERT = 'INSERT INTO outbox (channel_id, kind, payload, status_key, created_at)';
const COLUMNS = 5;
/** A row of rows that share their channel and kind (a flood's alerts): those bound once. */
const SHARED_ROW = '(@channel, @kind, ?, ?, ?)';
const SHARED_COLUMNS = 3;
/**
 * A row of rows that share their channel, kind and time and have no status key (a flood's
 * alerts, queued in the same millisecond): only the payload is bound per row.
 */
const PLAIN_ROW = '(@channel, @kind, ?, NULL, @at)';

/**
 * The outbox's rows queued (`Outbox.queue`) and not written yet: written ROWS_PER_STATEMENT
 * at a time in one statement, the rest by `flush()`; a flood's rows (one channel and kind,
 * often one time and no status key) bind only what differs between them.
 */
export class QueuedRows {
  /**
   * The queued rows' values, COLUMNS per row, in order, in the first `length` places. The
   * arrays keep their size from one statement to the next: emptied with `length = 0`, V8
   * gives an array's store back, and each statement's pushes grew a new one (about 100
   * bytes an alert in a flood).
   */
  private readonly pending: unknown[] = new Array<unknown>(ROWS_PER_STATEMENT * COLUMNS).fill(null);
  private length = 0;
  /** The queued rows' INSERT, several rows per statement. */
  private readonly insertRows;
  /** The same, for rows of one channel and kind (binding a string costs 2 copies of it). */
  private readonly insertShared;
  /** The same, for rows of one channel, kind and time without a status key: their payloads. */
  private readonly insertPlain;
  /** The shared rows' values for `insertShared`, kept from one statement to the next. */
  private readonly sharedValues: unknown[] = new Array<unknown>(
    ROWS_PER_STATEMENT * SHARED_COLUMNS,
  ).fill(null);
  /** The plain rows' payloads for `insertPlain`, kept the same way. */
  private readonly plainValues: unknown[] = new Array<unknown>(ROWS_PER_STATEMENT).fill(null);

  constructor(db: Db) {
    this.insertRows = multiRowStatement(db, COLUMNS, INSERT);
    this.insertShared = multiRowStatement(db, SHARED_COLUMNS, INSERT, '', SHARED_ROW);
    this.insertPlain = multiRowStatement(db, 1, INSERT, '', PLAIN_ROW);
  }

  /** Queues a row's values (its payload encoded); the statement is written once it is full. */
  add(
    channelId: string,
    kind: string,
    payload: string,
    statusKey: string | null,
    createdAt: number,
  ): void {
    const pending = this.pending;
    const at = this.length;
    pending[at] = channelId;
    pending[at + 1] = kind;
    pending[at + 2] = payload;
    pending[at + 3] = statusKey;
    pending[at + 4] = createdAt;
    this.length = at + COLUMNS;
    if (this.length === pending.length) this.flush();
  }

  /** Writes the queued rows, in one statement. */
  flush(): void {
    const pending = this.pending;
    const length = this.length;
    if (length === 0) return;
    try {
      const channel = pending[0];
      const kind = pending[1];
      const at = pending[4];
      let shared = length > COLUMNS;
      let plain = shared && pending[3] === null;
      for (let i = COLUMNS; shared && i < length; i += COLUMNS) {
        shared = pending[i] === channel && pending[i + 1] === kind;
        plain = plain && pending[i + 3] === null && pending[i + 4] === at;
      }
      if (shared) this.flushShared(length, channel, kind, plain ? at : undefined);
      else this.insertRows(length === pending.length ? pending : pending.slice(0, length));
    } finally {
      // Written, or lost with the error (as rows whose `Outbox.add` threw): never written twice.
      this.drop();
    }
  }

  /**
   * Writes the queued rows that share their channel and kind: those bound once, and with `at`
   * (their time, when they share it and have no status key) only their payloads per row.
   */
  private flushShared(length: number, channel: unknown, kind: unknown, at: unknown): void {
    const pending = this.pending;
    const plain = at !== undefined;
    const values = plain ? this.plainValues : this.sharedValues;
    const columns = plain ? 1 : SHARED_COLUMNS;
    for (let i = 0, j = 0; i < length; i += COLUMNS, j += columns) {
      values[j] = pending[i + 2];
      if (!plain) {
        values[j + 1] = pending[i + 3];
        values[j + 2] = pending[i + 4];
      }
    }
    const count = (length / COLUMNS) * columns;
    const bound = count === values.length ? values : values.slice(0, count);
    try {
      if (plain) this.insertPlain(bound, { channel, kind, at });
      else this.insertShared(bound, { channel, kind });
    } finally {
      // Not kept alive (nor moved to the old generation) by the next statement's array.
      values.fill(null, 0, count);
    }
  }

  /** Drops the queued rows unwritten (the savepoint they were queued in is rolled back). */
  drop(): void {
    this.pending.fill(null, 0, this.length);
    this.length = 0;
  }
}
