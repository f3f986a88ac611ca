import type { Db } from './database.js';
import type { RawRow } from './outbox-rows.js';

/** A row as read to open it: its columns and how many payloads it holds (NULL: one). */
export type BurstRow = RawRow & { parts: number | null };

/**
 * A flood's rows of one channel, kind and time, without a status key, written as one row: a
 * burst. Its payload is the JSON array of theirs, `parts` says how many, and its id is the
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
      head: db.prepare('SELECT id, parts FROM outbox WHERE channel_id = ? ORDER BY id LIMIT ?'),
      row: db.prepare('SELECT * FROM outbox WHERE id = ?'),
      drop: db.prepare('DELETE FROM outbox WHERE id = ?'),
      put: db.prepare(
        `INSERT INTO outbox (id, channel_id, kind, payload, status_key, created_at, batch, attempts)
         VALUES (?, ?, ?, ?, NULL, ?, ?, ?)`,
      ),
    };
  }

  /** Writes `payloads` (JSON texts, two or more) as one burst row. */
  write(channelId: unknown, kind: unknown, payloads: readonly unknown[], at: unknown): void {
    this.stmts.write.run({
      channel: channelId,
      kind,
      payload: `[${payloads.join(',')}]`,
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
    head: readonly Pick<BurstRow, 'id' | 'parts'>[],
    limit: number,
    unreadable: (row: BurstRow, why: string) => void,
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
  open(id: number, unreadable: (row: BurstRow, why: string) => void): boolean {
    const row = this.stmts.row.get(id) as BurstRow | undefined;
    if (row === undefined || row.parts === null) return false;
    let payloads: unknown[];
    try {
      payloads = parseBurst(row);
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

/** The ids a burst's rows get when it is opened, first to last. */
export const burstIds = (row: Pick<BurstRow, 'id' | 'parts'>): number[] =>
  Array.from({ length: row.parts ?? 1 }, (_, i) => row.id - (row.parts ?? 1) + 1 + i);

function parseBurst(row: BurstRow): unknown[] {
  const value: unknown = JSON.parse(row.payload);
  if (!Array.isArray(value) || value.length !== row.parts) {
    throw new Error(`a burst of ${row.parts} rows whose payload is not an array of as many`);
  }
  return value;
}
