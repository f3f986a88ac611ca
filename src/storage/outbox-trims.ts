import type { Db } from './database.js';
import type { OutboxBursts } from './outbox-bursts.js';
import type { RawRow } from './outbox-rows.js';

/**
 * The outbox's two bounds, oldest rows first, counted in the rows a burst holds. Run by
 * `Outbox.trim` in one transaction.
 */
export class OutboxTrims {
  private readonly stmts;

  constructor(
    db: Db,
    private readonly bursts: OutboxBursts,
  ) {
    this.stmts = {
      // What each deleted row held (a burst, `parts`), to count them in one pass.
      byAge: db.prepare('DELETE FROM outbox WHERE created_at < ? RETURNING parts').pluck(),
      oldestRows: db.prepare('SELECT id, parts FROM outbox ORDER BY id LIMIT ?'),
      upTo: db.prepare('DELETE FROM outbox WHERE id <= ?'),
    };
  }

  /** Deletes the rows queued before `before` (epoch ms), bursts whole; how many they held. */
  olderThan(before: number): number {
    let held = 0;
    for (const parts of this.stmts.byAge.all(before) as (number | null)[]) held += parts ?? 1;
    return held;
  }

  /**
   * Deletes the `excess` oldest rows. A burst the cut passes whole is deleted unread, as any
   * row trimmed; one the cut falls in is opened first, or, when it cannot be, given to
   * `unreadable` (set aside whole, as peek does) and counted out of the excess. How many
   * were deleted.
   */
  oldest(excess: number, unreadable: (row: RawRow, why: string) => void): number {
    let covered = 0;
    let upTo = 0;
    // `excess` rows hold at least as many: each holds one or more.
    for (const { id, parts } of this.stmts.oldestRows.all(excess) as {
      id: number;
      parts: number | null;
    }[]) {
      const n = parts ?? 1;
      if (covered + n <= excess) {
        covered += n;
        upTo = id;
      } else if (this.bursts.open(id, unreadable)) {
        upTo = id - n + (excess - covered);
        covered = excess;
      } else {
        // Set aside (and reported) as unreadable: gone, as far as the excess goes.
        excess -= n;
      }
      if (covered >= excess) break;
    }
    this.stmts.upTo.run(upTo);
    return covered;
  }
}
