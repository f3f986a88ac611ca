import type { Db } from './database.js';

/**
 * Groups the writes of one synchronous burst (the state changes of one websocket frame from
 * HA, and the alerts they fire) into one SQLite transaction instead of one commit per alert:
 * `join()` before a write opens a transaction if none is open, and a microtask commits it,
 * before any I/O callback runs (so before a message can be sent for what it wrote, and
 * before the next frame is read).
 *
 * What the alerts rely on holds: a write inside a transaction of its own (`db.transaction`:
 * alerts together with the states they were found from) nests in it as a savepoint and is
 * committed whole or not at all; writes are committed in the order they were made; and a
 * crash before the commit loses the burst whole, as a crash just before it would, so the
 * states kept for the next start never claim an alert that was not written.
 */
export function groupCommits(
  db: Db,
  onError: (error: unknown) => void,
  /** Writes what the burst held back (the outbox's queued rows), just before its commit. */
  beforeCommit: () => void = () => undefined,
): () => boolean {
  let open = false;
  const commit = (): void => {
    open = false;
    if (!db.inTransaction) return;
    try {
      beforeCommit();
      db.exec('COMMIT');
    } catch (error) {
      if (db.inTransaction) db.exec('ROLLBACK');
      onError(error);
    }
  };
  // True when the write joins the burst's transaction (so `beforeCommit` runs before it is
  // committed); false inside a caller's transaction, whose commit carries the write.
  return () => {
    if (open) return true;
    if (db.inTransaction) return false;
    db.exec('BEGIN');
    open = true;
    queueMicrotask(commit);
    return true;
  };
}
