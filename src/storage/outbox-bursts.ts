import type { Db } from './database.js';
import type { RawRow } from './outbox-rows.js';

/**
 * A flood's rows of one channel, kind and time, without a status key, written as one row: a
 * burst. Its payload holds theirs (`burstText`), `parts` says how many, and its id is the
 * last of the ids they would have had (`first .. id`, never used by another row: the next
 * row's id follows it), so the rows around it keep their order.
 *
 * A row per alert was most of a flood's cost in SQLite (each a record in the table and the
 * `outbox_channel` index); a burst is one. It is opened back into its rows, with the ids
 * they would have had, only when it reaches the head of its channel (`openHead`, at the
 * pace of delivery) or when a trim cuts it (`open`): everything else the outbox does reads
 * rows of one payload, as before.
 */
export class OutboxBursts {
  private readonly stmts;

  constructor(private readonly db: Db) {
    this.stmts = {
      // The id: after every id the table ever gave (AUTOINCREMENT's sequence), `parts` on.
      write: db.prepare(
        `INSERT INTO outbox (id, channel_id, kind, payload, status_key, created_at, parts)
         SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'outbox'), 0),
                    coalesce((SELECT max(id) FROM outbox), 0)) + @parts,
                @channel, @kind, @payload, NULL, @at, @parts`,
      ),
      row: db.prepare('SELECT * FROM outbox WHERE id = ?'),
      drop: db.prepare('DELETE FROM outbox WHERE id = ?'),
      put: db.prepare(
        `INSERT INTO outbox (id, channel_id, kind, payload, status_key, created_at, batch, attempts)
         VALUES (?, ?, ?, ?, NULL, ?, ?, ?)`,
      ),
    };
  }

  /** Writes `payloads` (JSON texts, two or more) as one burst row. */
  write(channelId: unknown, kind: unknown, payloads: readonly string[], at: unknown): void {
    this.stmts.write.run({
      channel: channelId,
      kind,
      payload: burstText(payloads),
      at,
      parts: payloads.length,
    });
  }

  /**
   * Opens the bursts among `head` (a channel's first rows, in order) until what it holds
   * covers `limit` rows: a second read of the head then finds rows of one payload each.
   * `unreadable` is given a burst that cannot be opened. False when `head` has no burst.
   */
  openHead(
    head: readonly Pick<RawRow, 'id' | 'parts'>[],
    limit: number,
    unreadable: (row: RawRow, why: string) => void,
  ): boolean {
    let covered = 0;
    let opened = false;
    for (const { id, parts } of head) {
      if (covered >= limit) break;
      covered += parts ?? 1;
      if (parts === null) continue;
      this.open(id, unreadable);
      opened = true;
    }
    return opened;
  }

  /**
   * Replaces the burst `id` by its rows, in one transaction; true when it was one and is
   * open now. Its rows keep its time, batch and attempts.
   */
  open(id: number, unreadable: (row: RawRow, why: string) => void): boolean {
    const row = this.stmts.row.get(id) as RawRow | undefined;
    if (row === undefined || row.parts === null) return false;
    let payloads: unknown[];
    try {
      payloads = burstPayloads(row.payload, row.parts);
    } catch (error) {
      unreadable(row, error instanceof Error ? error.message : String(error));
      return false;
    }
    const first = row.id - row.parts + 1;
    this.db.transaction(() => {
      this.stmts.drop.run(row.id);
      payloads.forEach((payload, i) =>
        this.stmts.put.run(
          first + i,
          row.channel_id,
          row.kind,
          JSON.stringify(payload),
          row.created_at,
          row.batch,
          row.attempts,
        ),
      );
    })();
    return true;
  }
}

/** SQL: how many rows the table rows summed over hold (a burst holds `parts`; 0 for none). */
export const ROWS_HELD = 'coalesce(sum(coalesce(parts, 1)), 0)';

/** The ids a burst's rows get when it is opened, first to last. */
export const burstIds = (row: Pick<RawRow, 'id' | 'parts'>): number[] =>
  Array.from({ length: row.parts ?? 1 }, (_, i) => row.id - (row.parts ?? 1) + 1 + i);

/**
 * Marks a burst's payload: not JSON, so a version from before bursts sets such a row aside
 * as unreadable (kept, and logged) after a downgrade, and never renders it as a row of one.
 */
const MARK = 'burst:';

/**
 * A burst's payload: MARK and the JSON array of its rows' payloads (JSON texts). Tried and not
 * kept: each row's text without the end it shares with the row's before it (a change's alerts
 * differ only in their id and rule name, at the start), about 40 characters a row instead of
 * 160, but finding the shared end character by character took 2-2.5 us a row in JavaScript,
 * more than SQLite's work on the bytes saved (about 0.9 us per 100).
 */
export const burstText = (payloads: readonly string[]): string => `${MARK}[${payloads.join(',')}]`;

/** The rows' payloads back from a burst's (JSON values); throws if it is not one of `parts`. */
export function burstPayloads(text: string, parts: number): unknown[] {
  if (!text.startsWith(MARK)) throw new Error(`a burst of ${parts} rows without its mark`);
  const value: unknown = JSON.parse(text.slice(MARK.length));
  if (!Array.isArray(value) || value.length !== parts) {
    throw new Error(`a burst of ${parts} rows whose payload is not an array of as many`);
  }
  return value;
}
