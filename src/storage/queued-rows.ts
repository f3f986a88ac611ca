import type { Db } from './database.js';
import { multiRowStatement, ROWS_PER_STATEMENT } from './multi-row.js';
import type { OutboxBursts } from './outbox-bursts.js';
import { payloadText, type EncodedPayload } from './outbox-rows.js';

/** What `add` and `queue` write: COLUMNS values per row. */
export const INSERT = 'INSERT INTO outbox (channel_id, kind, payload, status_key, created_at)';
const COLUMNS = 5;
/** A row of rows that share their channel and kind: those bound once. */
const SHARED_ROW = '(@channel, @kind, ?, ?, ?)';
const SHARED_COLUMNS = 3;

/**
 * Rows queued before they are written: a flood's run of rows that share their channel, kind
 * and time becomes one burst row of at most this many.
 */
export const QUEUED_ROWS = 128;

/**
 * The outbox's rows queued (`Outbox.queue`) and not written yet: written once QUEUED_ROWS
 * wait, the rest by `flush()`. A run of two or more rows of one channel, kind and time
 * without a status key (a flood's alerts) is written as one row, a burst (OutboxBursts); the
 * others ROWS_PER_STATEMENT at a time in one statement, binding once what they share.
 */
export class QueuedRows {
  /**
   * The queued rows' values, COLUMNS per row, in order, in the first `length` places. The
   * array keeps its size from one flush to the next: emptied with `length = 0`, V8 gives an
   * array's store back, and each flush's pushes grew a new one (about 100 bytes an alert in a
   * flood).
   */
  private readonly pending: unknown[] = new Array<unknown>(QUEUED_ROWS * COLUMNS).fill(null);
  private length = 0;
  /** The queued rows' INSERT, several rows per statement. */
  private readonly insertRows;
  /** The same, for rows of one channel and kind (binding a string costs 2 copies of it). */
  private readonly insertShared;
  /** The shared rows' values for `insertShared`, kept from one statement to the next. */
  private readonly sharedValues: unknown[] = new Array<unknown>(
    ROWS_PER_STATEMENT * SHARED_COLUMNS,
  ).fill(null);

  constructor(
    db: Db,
    private readonly bursts: OutboxBursts,
  ) {
    this.insertRows = multiRowStatement(db, COLUMNS, INSERT);
    this.insertShared = multiRowStatement(db, SHARED_COLUMNS, INSERT, '', SHARED_ROW);
  }

  /** Queues a row's values (its payload encoded); written once QUEUED_ROWS wait. */
  add(
    channelId: string,
    kind: string,
    payload: EncodedPayload,
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

  /** Writes the queued rows, in order: each run of a flood's rows as a burst. */
  flush(): void {
    const pending = this.pending;
    const length = this.length;
    if (length === 0) return;
    try {
      // The first row not written yet that is not in a burst.
      let singles = 0;
      for (let i = 0; i < length;) {
        let end = i + COLUMNS;
        if (pending[i + 3] === null) {
          while (
            end < length &&
            pending[end] === pending[i] &&
            pending[end + 1] === pending[i + 1] &&
            pending[end + 3] === null &&
            pending[end + 4] === pending[i + 4]
          ) {
            end += COLUMNS;
          }
        }
        if (end - i > COLUMNS) {
          this.writeSingles(singles, i);
          this.writeBurst(i, end);
          singles = end;
        }
        i = end;
      }
      this.writeSingles(singles, length);
    } finally {
      // Written, or lost with the error (as rows whose `Outbox.add` threw): never written twice.
      this.drop();
    }
  }

  /** The rows from `from` to `to` (values' places), a run of one channel, kind and time. */
  private writeBurst(from: number, to: number): void {
    const pending = this.pending;
    const payloads: EncodedPayload[] = [];
    for (let i = from; i < to; i += COLUMNS) payloads.push(pending[i + 2] as EncodedPayload);
    this.bursts.write(pending[from], pending[from + 1], payloads, pending[from + 4]);
  }

  /** The rows from `from` to `to` (values' places), each a row of its own. */
  private writeSingles(from: number, to: number): void {
    const pending = this.pending;
    for (let start = from; start < to; start += ROWS_PER_STATEMENT * COLUMNS) {
      const end = Math.min(to, start + ROWS_PER_STATEMENT * COLUMNS);
      const channel = pending[start];
      const kind = pending[start + 1];
      let shared = end - start > COLUMNS;
      for (let i = start + COLUMNS; shared && i < end; i += COLUMNS) {
        shared = pending[i] === channel && pending[i + 1] === kind;
      }
      if (shared) {
        this.writeShared(start, end, channel, kind);
      } else {
        const values = pending.slice(start, end);
        for (let i = 2; i < values.length; i += COLUMNS) {
          values[i] = payloadText(values[i] as EncodedPayload);
        }
        this.insertRows(values);
      }
    }
  }

  /** Writes rows that share their channel and kind: those bound once. */
  private writeShared(from: number, to: number, channel: unknown, kind: unknown): void {
    const pending = this.pending;
    const values = this.sharedValues;
    for (let i = from, j = 0; i < to; i += COLUMNS, j += SHARED_COLUMNS) {
      values[j] = payloadText(pending[i + 2] as EncodedPayload);
      values[j + 1] = pending[i + 3];
      values[j + 2] = pending[i + 4];
    }
    const count = ((to - from) / COLUMNS) * SHARED_COLUMNS;
    const bound = count === values.length ? values : values.slice(0, count);
    try {
      this.insertShared(bound, { channel, kind });
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
