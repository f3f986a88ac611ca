import { randomBytes } from 'node:crypto';
import type { FailedLogins, LoginGuardStore, LoginSource } from '../ha/login-guard.js';
import type { TokenWarningStore } from '../ha/token-expiry.js';
import type { Db } from './database.js';

/** At most this many rows of rejected tokens and of expiry warnings are kept. */
const KEEP = 100;

/**
 * The login guard's memory in the bot's SQLite file, shared by the bot and `npm run doctor`
 * (both open DATA_DIR's database; SQLite serialises their writes). Tokens are kept only as
 * keyed hashes; the key is made once, at random.
 */
export function sqliteLoginGuardStore(db: Db): LoginGuardStore {
  const insertKey = db.prepare('INSERT OR IGNORE INTO token_key (id, key) VALUES (1, ?)');
  const selectKey = db.prepare('SELECT key FROM token_key WHERE id = 1');
  const selectRejected = db.prepare(
    'SELECT rejected_at, source FROM rejected_tokens WHERE ha_url = ? AND fingerprint = ?',
  );
  const insertRejected = db.prepare(
    'INSERT INTO rejected_tokens (ha_url, fingerprint, rejected_at, source) VALUES (?, ?, ?, ?) ' +
      'ON CONFLICT (ha_url, fingerprint) DO UPDATE SET rejected_at = excluded.rejected_at, source = excluded.source',
  );
  const trimRejected = db.prepare(
    `DELETE FROM rejected_tokens WHERE rejected_at < (
       SELECT rejected_at FROM rejected_tokens ORDER BY rejected_at DESC LIMIT 1 OFFSET ${KEEP - 1})`,
  );
  const selectAccepted = db.prepare(
    'SELECT 1 FROM accepted_tokens WHERE ha_url = ? AND fingerprint = ?',
  );
  const insertAccepted = db.prepare(
    'INSERT OR IGNORE INTO accepted_tokens (ha_url, fingerprint, accepted_at) VALUES (?, ?, ?)',
  );
  const deleteAccepted = db.prepare(
    'DELETE FROM accepted_tokens WHERE ha_url = ? AND fingerprint = ?',
  );
  const trimAccepted = db.prepare(
    `DELETE FROM accepted_tokens WHERE accepted_at < (
       SELECT accepted_at FROM accepted_tokens ORDER BY accepted_at DESC LIMIT 1 OFFSET ${KEEP - 1})`,
  );
  const selectFailures = db.prepare('SELECT count, last_at FROM failed_logins WHERE ha_url = ?');
  const addFailure = db.prepare(
    'INSERT INTO failed_logins (ha_url, count, last_at, last_source) VALUES (?, 1, ?, ?) ' +
      'ON CONFLICT (ha_url) DO UPDATE SET count = count + 1, last_at = excluded.last_at, last_source = excluded.last_source',
  );
  const clearFailures = db.prepare('DELETE FROM failed_logins WHERE ha_url = ?');
  const forgetRejected = db.prepare('DELETE FROM rejected_tokens WHERE ha_url = ?');
  return {
    key() {
      insertKey.run(randomBytes(32));
      return (selectKey.get() as { key: Buffer }).key;
    },
    rejected(haUrl, fingerprint) {
      const row = selectRejected.get(haUrl, fingerprint) as
        { rejected_at: number; source: LoginSource } | undefined;
      return row && { at: row.rejected_at, source: row.source };
    },
    addRejected(haUrl, fingerprint, at, source) {
      db.transaction(() => {
        insertRejected.run(haUrl, fingerprint, at, source);
        deleteAccepted.run(haUrl, fingerprint);
        trimRejected.run();
      })();
    },
    wasAccepted: (haUrl, fingerprint) => selectAccepted.get(haUrl, fingerprint) !== undefined,
    addAccepted(haUrl, fingerprint, at) {
      insertAccepted.run(haUrl, fingerprint, at);
      trimAccepted.run();
    },
    failures(haUrl): FailedLogins {
      const row = selectFailures.get(haUrl) as { count: number; last_at: number } | undefined;
      return row ? { count: row.count, lastAt: row.last_at } : { count: 0, lastAt: undefined };
    },
    addFailure(haUrl, at, source) {
      addFailure.run(haUrl, at, source);
    },
    clearFailures(haUrl) {
      clearFailures.run(haUrl);
    },
    forget(haUrl) {
      db.transaction(() => {
        clearFailures.run(haUrl);
        forgetRejected.run(haUrl);
      })();
    },
  };
}

/** Which expiry warnings (30 and 7 days before) were given for which token, across restarts. */
export function sqliteTokenWarnings(db: Db): TokenWarningStore {
  const select = db.prepare('SELECT days FROM token_warnings WHERE fingerprint = ?');
  const insert = db.prepare(
    'INSERT OR IGNORE INTO token_warnings (fingerprint, days, warned_at) VALUES (?, ?, ?)',
  );
  const trim = db.prepare(
    `DELETE FROM token_warnings WHERE warned_at < (
       SELECT warned_at FROM token_warnings ORDER BY warned_at DESC LIMIT 1 OFFSET ${KEEP - 1})`,
  );
  return {
    given: (fingerprint) =>
      new Set((select.all(fingerprint) as { days: number }[]).map((r) => r.days)),
    mark(fingerprint, days, at) {
      db.transaction(() => {
        for (const d of days) insert.run(fingerprint, d, at);
        trim.run();
      })();
    },
  };
}
