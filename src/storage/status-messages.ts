import type { StatusMessages } from '../alerts/outbox-pump.js';
import type { Db } from './database.js';

/**
 * Which Discord message shows each edit-in-place status (rule + entity) and each tagged
 * message from HA (`tag:<tag>`), across restarts.
 */
export function sqliteStatusMessages(db: Db): StatusMessages {
  const get = db.prepare('SELECT channel_id, message_id FROM status_messages WHERE key = ?');
  const set = db.prepare(
    'INSERT INTO status_messages (key, channel_id, message_id) VALUES (?, ?, ?) ' +
      'ON CONFLICT(key) DO UPDATE SET channel_id = excluded.channel_id, message_id = excluded.message_id',
  );
  const remove = db.prepare('DELETE FROM status_messages WHERE key = ?');
  return {
    get(key) {
      const row = get.get(key) as { channel_id: string; message_id: string } | undefined;
      return row && { channelId: row.channel_id, messageId: row.message_id };
    },
    set(key, channelId, messageId) {
      set.run(key, channelId, messageId);
    },
    delete(key) {
      remove.run(key);
    },
  };
}
