import { randomBytes } from 'node:crypto';
import type { Actions } from '../actions/schema.js';
import type { Db } from './database.js';

/** What one message's buttons do, as stored when the automation sent it. */
export interface StoredActions {
  key: string;
  channelId: string;
  actions: Actions;
  /** The send event's `tag`, passed on to the press events. */
  tag: string | undefined;
  createdAt: number;
  /** Epoch ms when presses stop working; undefined: never. */
  expiresAt: number | undefined;
  /** Who answered it first, for a message whose buttons change on a press; undefined: no one. */
  pressedBy?: string;
}

/** Expired definitions are kept this long (a press says "expired"), then swept. */
const KEEP_EXPIRED_MS = 7 * 86_400_000;
/** Definitions without `expires` are swept after this long (a press then says "expired" too). */
const KEEP_MS = 180 * 86_400_000;
const SWEEP_EVERY_MS = 3_600_000;

/**
 * The definitions of actionable messages, in SQLite: a button's custom id carries only the
 * key (see src/discord/custom-id.ts), so the bot needs this to know what a press means,
 * across restarts. Swept as they age, so it stays bounded by what was sent recently.
 */
export class ActionMessageStore {
  private lastSweep = 0;

  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Stores a new definition and returns it with its fresh key. With a tag it replaces the
   * tag's earlier definition: the tagged message is edited to show the new components.
   */
  add(channelId: string, actions: Actions, tag: string | undefined): StoredActions {
    this.sweep();
    if (tag !== undefined) this.db.prepare('DELETE FROM action_messages WHERE tag = ?').run(tag);
    const createdAt = this.now();
    const stored: StoredActions = {
      key: randomBytes(9).toString('base64url'),
      channelId,
      actions,
      tag,
      createdAt,
      expiresAt: actions.expiresMs === undefined ? undefined : createdAt + actions.expiresMs,
    };
    this.db
      .prepare(
        'INSERT INTO action_messages (key, channel_id, actions, tag, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(
        stored.key,
        channelId,
        JSON.stringify(actions),
        tag ?? null,
        createdAt,
        stored.expiresAt ?? null,
      );
    return stored;
  }

  get(key: string): StoredActions | undefined {
    const row = this.db
      .prepare(
        'SELECT key, channel_id, actions, tag, created_at, expires_at, pressed_by FROM action_messages WHERE key = ?',
      )
      .get(key) as
      | {
          key: string;
          channel_id: string;
          actions: string;
          tag: string | null;
          created_at: number;
          expires_at: number | null;
          pressed_by: string | null;
        }
      | undefined;
    if (row === undefined) return undefined;
    return {
      key: row.key,
      channelId: row.channel_id,
      actions: JSON.parse(row.actions) as Actions,
      tag: row.tag ?? undefined,
      createdAt: row.created_at,
      expiresAt: row.expires_at ?? undefined,
      ...(row.pressed_by !== null ? { pressedBy: row.pressed_by } : {}),
    };
  }

  /**
   * Claims the answer to a message for one press, atomically: true for the first press,
   * false when someone answered already (get() then says who). For `on_press: disable`
   * or `remove`, where two presses at the same moment must not both count.
   */
  claim(key: string, userName: string): boolean {
    const result = this.db
      .prepare(
        'UPDATE action_messages SET pressed_at = ?, pressed_by = ? WHERE key = ? AND pressed_at IS NULL',
      )
      .run(this.now(), userName, key);
    return result.changes === 1;
  }

  /** Gives a claim back: the press did not reach Home Assistant, so it may be tried again. */
  release(key: string): void {
    this.db
      .prepare('UPDATE action_messages SET pressed_at = NULL, pressed_by = NULL WHERE key = ?')
      .run(key);
  }

  /** Drops definitions long expired or very old; at most once an hour. */
  sweep(): void {
    const now = this.now();
    if (now - this.lastSweep < SWEEP_EVERY_MS) return;
    this.lastSweep = now;
    this.db
      .prepare('DELETE FROM action_messages WHERE expires_at < ? OR created_at < ?')
      .run(now - KEEP_EXPIRED_MS, now - KEEP_MS);
  }
}
