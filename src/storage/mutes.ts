import type { Db } from './database.js';

export interface Mute {
  /** `rule:<name>` or `entity:<entity_id>` (globs allowed). */
  target: string;
  until: number;
  createdBy: string;
}

/** Mutes survive restarts; expired ones are ignored and swept. */
export class MuteStore {
  private cache: Mute[] = [];

  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {
    this.reload();
  }

  list(): Mute[] {
    // Asked for every alert: with no mutes (most of the time), no copy of the list.
    if (this.cache.length === 0) return [];
    const now = this.now();
    return this.cache.filter((m) => m.until > now);
  }

  add(mute: Mute): void {
    this.db
      .prepare(
        'INSERT INTO mutes (target, until, created_by) VALUES (?, ?, ?) ' +
          'ON CONFLICT(target) DO UPDATE SET until = excluded.until, created_by = excluded.created_by',
      )
      .run(mute.target, mute.until, mute.createdBy);
    this.reload();
  }

  remove(target: string): boolean {
    const removed = this.db.prepare('DELETE FROM mutes WHERE target = ?').run(target).changes > 0;
    this.reload();
    return removed;
  }

  private reload(): void {
    this.db.prepare('DELETE FROM mutes WHERE until <= ?').run(this.now());
    this.cache = (
      this.db.prepare('SELECT target, until, created_by FROM mutes ORDER BY target').all() as {
        target: string;
        until: number;
        created_by: string;
      }[]
    ).map((r) => ({ target: r.target, until: r.until, createdBy: r.created_by }));
  }
}
