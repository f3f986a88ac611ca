import type { Db } from './database.js';
import type { EncodedPayload, RawRow } from './outbox-rows.js';

/**
 * A flood's rows of one channel, kind and time, without a status key, written as one row: a
 * burst. Its payload holds theirs (`burstText`: a piece that rows next to each other share,
 * once), `parts` says how many, and its id is the last of the ids they would have had
 * (`first .. id`, never used by another row: the next row's id follows it), so the rows
 * around it keep their order.
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

  /** Writes `payloads` (two or more) as one burst row. */
  write(channelId: unknown, kind: unknown, payloads: readonly EncodedPayload[], at: unknown): void {
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
    let payloads: string[];
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
          payload,
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
 * Its rows follow, a line each (NEXT between them): `head SPLIT shared SPLIT tail`, or
 * `head SAME tail` for a row whose shared piece is the one of the line before. A payload in a
 * burst has none of these characters (see PayloadCodec and Outbox.queue).
 */
const MARK = 'burst2:';
const NEXT = '\n';
const SPLIT = '\t';
const SAME = '\v';
/** Whether a payload's text holds a character a burst keeps its rows apart with. */
export const hasSeparator = (text: string): boolean => /[\t\n\v]/.test(text);

/**
 * The mark of the first layout (the versions of one session): the JSON array of the rows'
 * payloads, each whole. Read still (rows queued before an upgrade), never written.
 */
const ARRAY_MARK = 'burst:';

/**
 * A burst's payload: MARK and its rows' lines. A change's alerts differ only in their id and
 * rule name (head) and in what their rule adds (tail): their entity's part (about 100 of 160
 * characters) is written once. Tried and not kept before pieces: each row's text without the
 * end it shares with the row before it, found character by character, which took 2-2.5 us a
 * row in JavaScript, more than SQLite's work on the bytes saved (about 0.9 us per 100).
 */
export function burstText(payloads: readonly EncodedPayload[]): string {
  const out: string[] = [MARK];
  let shared: string | undefined;
  for (const p of payloads) {
    if (out.length > 1) out.push(NEXT);
    if (typeof p === 'string') {
      out.push(p, SPLIT, SPLIT);
      shared = '';
    } else if (p.shared === shared && shared !== '') {
      out.push(p.head, SAME, p.tail);
    } else {
      out.push(p.head, SPLIT, p.shared, SPLIT, p.tail);
      shared = p.shared;
    }
  }
  return out.join('');
}

/** The rows' payloads (JSON texts) back from a burst's; throws if it is not one of `parts`. */
export function burstPayloads(text: string, parts: number): string[] {
  if (text.startsWith(ARRAY_MARK)) return arrayPayloads(text, parts);
  if (!text.startsWith(MARK)) throw new Error(`a burst of ${parts} rows without its mark`);
  const lines = text.slice(MARK.length).split(NEXT);
  if (lines.length !== parts) {
    throw new Error(`a burst of ${parts} rows whose payload holds ${lines.length}`);
  }
  let shared: string | undefined;
  return lines.map((line, i) => {
    const pieces = line.split(SPLIT);
    if (pieces.length === 3) {
      shared = pieces[1]!;
      return pieces[0]! + shared + pieces[2]!;
    }
    const same = line.split(SAME);
    if (pieces.length === 1 && same.length === 2 && shared !== undefined) {
      return same[0]! + shared + same[1]!;
    }
    throw new Error(`a burst of ${parts} rows whose row ${i + 1} is not one`);
  });
}

/** A burst of the first layout (ARRAY_MARK): the JSON array of the rows' payloads. */
function arrayPayloads(text: string, parts: number): string[] {
  const value: unknown = JSON.parse(text.slice(ARRAY_MARK.length));
  if (!Array.isArray(value) || value.length !== parts) {
    throw new Error(`a burst of ${parts} rows whose payload is not an array of as many`);
  }
  return value.map((payload) => JSON.stringify(payload));
}
