import type { Rule } from '../alerts/rule-schema.js';
import { RuleSchema } from '../alerts/rule-schema.js';
import type { Db } from './database.js';

export interface Watch {
  id: number;
  guildId: string | null;
  createdBy: string;
  createdAt: number;
  rule: Rule;
}

/** Rules added from Discord with /ha watch add, kept across restarts. */
export class WatchStore {
  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  list(): Watch[] {
    const rows = this.db
      .prepare('SELECT id, guild_id, created_by, created_at, rule FROM watches ORDER BY id')
      .all() as {
      id: number;
      guild_id: string | null;
      created_by: string;
      created_at: number;
      rule: string;
    }[];
    const watches: Watch[] = [];
    for (const r of rows) {
      // A row written by an older version that no longer validates is skipped, not fatal.
      const parsed = RuleSchema.safeParse(storedToInput(JSON.parse(r.rule)));
      if (parsed.success) {
        watches.push({
          id: r.id,
          guildId: r.guild_id,
          createdBy: r.created_by,
          createdAt: r.created_at,
          rule: parsed.data,
        });
      }
    }
    return watches;
  }

  add(rule: Rule, createdBy: string, guildId: string | null): Watch {
    const createdAt = this.now();
    const info = this.db
      .prepare('INSERT INTO watches (guild_id, created_by, created_at, rule) VALUES (?, ?, ?, ?)')
      .run(guildId, createdBy, createdAt, JSON.stringify(storedToInput(rule)));
    return { id: Number(info.lastInsertRowid), guildId, createdBy, createdAt, rule };
  }

  remove(id: number): boolean {
    return this.db.prepare('DELETE FROM watches WHERE id = ?').run(id).changes > 0;
  }
}

const DURATION_KEYS = ['for', 'cooldown'] as const;

/**
 * A parsed rule holds its durations in milliseconds, but a bare number in a rule is read as
 * seconds (HA's form). Stored rows therefore spell them `{milliseconds: n}`; rows written before
 * that stored the bare milliseconds, which this maps the same way.
 */
function storedToInput(rule: unknown): unknown {
  if (typeof rule !== 'object' || rule === null) return rule;
  const copy: Record<string, unknown> = { ...(rule as Record<string, unknown>) };
  for (const key of DURATION_KEYS) {
    if (typeof copy[key] === 'number') copy[key] = { milliseconds: copy[key] };
  }
  return copy;
}
