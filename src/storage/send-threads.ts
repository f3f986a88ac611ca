import type { Db } from './database.js';

/** Which thread a name made in a channel or forum, across restarts (`thread: "Front door"`). */
export interface SendThreads {
  get(parentId: string, name: string): string | undefined;
  set(parentId: string, name: string, threadId: string): void;
  /** The thread is gone (deleted in Discord): the next message makes a new one. */
  forget(parentId: string, name: string): void;
}

/** Names match regardless of case and surrounding space: "Front door" is "front door ". */
const nameKey = (name: string) => name.trim().toLowerCase();

export function sqliteSendThreads(db: Db): SendThreads {
  const get = db.prepare('SELECT thread_id FROM send_threads WHERE parent_id = ? AND name_key = ?');
  const set = db.prepare(
    'INSERT INTO send_threads (parent_id, name_key, thread_id) VALUES (?, ?, ?) ' +
      'ON CONFLICT(parent_id, name_key) DO UPDATE SET thread_id = excluded.thread_id',
  );
  const forget = db.prepare('DELETE FROM send_threads WHERE parent_id = ? AND name_key = ?');
  return {
    get: (parentId, name) =>
      (get.get(parentId, nameKey(name)) as { thread_id: string } | undefined)?.thread_id,
    set: (parentId, name, threadId) => void set.run(parentId, nameKey(name), threadId),
    forget: (parentId, name) => void forget.run(parentId, nameKey(name)),
  };
}
