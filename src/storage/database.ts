import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export type Db = Database.Database;

/** Each entry moves the schema one version up; never edit one that has shipped. */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE outbox (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     channel_id TEXT NOT NULL,
     kind TEXT NOT NULL,
     payload TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     batch TEXT,
     attempts INTEGER NOT NULL DEFAULT 0
   );
   CREATE INDEX outbox_channel ON outbox (channel_id, id);
   CREATE TABLE watches (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     guild_id TEXT,
     created_by TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     rule TEXT NOT NULL
   );
   CREATE TABLE mutes (
     target TEXT PRIMARY KEY,
     until INTEGER NOT NULL,
     created_by TEXT NOT NULL
   );
   CREATE TABLE status_messages (
     key TEXT PRIMARY KEY,
     channel_id TEXT NOT NULL,
     message_id TEXT NOT NULL
   );`,
  // What the bot last knew of each entity an alert rule watches, to report on start what
  // changed while it was not running; and HA's clock as far as the bot had seen it.
  `CREATE TABLE alert_states (
     entity_id TEXT PRIMARY KEY,
     state TEXT NOT NULL,
     attributes TEXT NOT NULL,
     last_changed REAL NOT NULL,
     last_updated REAL NOT NULL
   ) WITHOUT ROWID;
   CREATE TABLE alert_states_info (
     id INTEGER PRIMARY KEY CHECK (id = 1),
     ha_clock REAL NOT NULL,
     saved_at INTEGER NOT NULL
   );`,
  // The HA token's login guard (keyed hashes of the tokens HA rejected and accepted, never a
  // token; the failed logins in a row) and which expiry warnings were given for which token.
  `CREATE TABLE token_key (
     id INTEGER PRIMARY KEY CHECK (id = 1),
     key BLOB NOT NULL
   );
   CREATE TABLE rejected_tokens (
     ha_url TEXT NOT NULL,
     fingerprint TEXT NOT NULL,
     rejected_at INTEGER NOT NULL,
     source TEXT NOT NULL,
     PRIMARY KEY (ha_url, fingerprint)
   ) WITHOUT ROWID;
   CREATE TABLE accepted_tokens (
     ha_url TEXT NOT NULL,
     fingerprint TEXT NOT NULL,
     accepted_at INTEGER NOT NULL,
     PRIMARY KEY (ha_url, fingerprint)
   ) WITHOUT ROWID;
   CREATE TABLE failed_logins (
     ha_url TEXT PRIMARY KEY,
     count INTEGER NOT NULL,
     last_at INTEGER NOT NULL,
     last_source TEXT NOT NULL
   ) WITHOUT ROWID;
   CREATE TABLE token_warnings (
     fingerprint TEXT NOT NULL,
     days INTEGER NOT NULL,
     warned_at INTEGER NOT NULL,
     PRIMARY KEY (fingerprint, days)
   ) WITHOUT ROWID;`,
  // What the outbox pump needs in a column, not read from the payload: the key a message kept
  // up to date in place goes by. Rows queued before keep theirs (or, without one, their own).
  `ALTER TABLE outbox ADD COLUMN status_key TEXT;
   UPDATE outbox SET status_key = coalesce(
       CASE WHEN json_valid(payload) THEN json_extract(payload, '$.statusKey') END,
       'row' || id)
     WHERE kind = 'status';`,
  // What the buttons and select menus of messages sent by HA automations do (src/actions):
  // a press after a restart still finds its definition; `expires_at` says when they stop.
  `CREATE TABLE action_messages (
     key TEXT PRIMARY KEY,
     channel_id TEXT NOT NULL,
     actions TEXT NOT NULL,
     tag TEXT,
     created_at INTEGER NOT NULL,
     expires_at INTEGER
   ) WITHOUT ROWID;
   CREATE INDEX action_messages_created ON action_messages (created_at);`,
  // Threads HA's messages made by name (`thread: "Front door"`), reused by the next message
  // with the same name in the same channel or forum. The name is kept as given; the key is
  // its lower case.
  `CREATE TABLE send_threads (
     parent_id TEXT NOT NULL,
     name_key TEXT NOT NULL,
     thread_id TEXT NOT NULL,
     PRIMARY KEY (parent_id, name_key)
   ) WITHOUT ROWID;`,
  // Who answered a message whose buttons change on a press (on_press: disable or remove):
  // the first press claims it (UPDATE … WHERE pressed_at IS NULL), a second one is refused.
  // A send with a tag replaces the tag's definition: looked up by tag.
  `ALTER TABLE action_messages ADD COLUMN pressed_at INTEGER;
   ALTER TABLE action_messages ADD COLUMN pressed_by TEXT;
   CREATE INDEX action_messages_tag ON action_messages (tag);`,
  // Outbox rows that could not be read or rendered (a bug, or a row written by a newer
  // version): moved here, as they were, so that they do not hold up their channel and are
  // not lost either (see Outbox.setAside).
  `CREATE TABLE outbox_set_aside (
     id INTEGER PRIMARY KEY,
     channel_id TEXT NOT NULL,
     kind TEXT NOT NULL,
     payload TEXT NOT NULL,
     status_key TEXT,
     created_at INTEGER NOT NULL,
     reason TEXT NOT NULL,
     set_aside_at INTEGER NOT NULL
   );`,
  // A flood's alerts of one channel, kind and time written as one row, a burst (see
  // src/storage/outbox-bursts.ts): `parts` says how many rows its payload holds, NULL for a
  // row of one. Kept when a burst is set aside.
  `ALTER TABLE outbox ADD COLUMN parts INTEGER;
   ALTER TABLE outbox_set_aside ADD COLUMN parts INTEGER;`,
];

/**
 * Opens (and migrates) the bot's SQLite file in the data directory. WAL keeps writes cheap
 * and a crash never leaves a half-written row; `synchronous=NORMAL` is durable across a
 * process crash, which is the failure that matters here.
 */
export function openDatabase(dataDir: string, file = 'bridge.db'): Db {
  let path = ':memory:';
  if (dataDir !== ':memory:') {
    mkdirSync(dataDir, { recursive: true });
    path = join(dataDir, file);
  }
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}

function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (let version = current; version < MIGRATIONS.length; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version]!);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}
