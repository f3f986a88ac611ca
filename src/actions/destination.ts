/**
 * Where a message from HA goes, as the outbox's `channel_id` column carries it: the pump keeps
 * order, pacing and edits per destination without knowing what one is, and the Discord side
 * (src/discord/destinations.ts) turns it into a channel when the message goes out.
 *
 * - a channel or thread id: `123…`;
 * - a direct message to a user: `dm:<user id>` (the DM channel is opened when sent);
 * - a thread by name in a channel or forum: `thread:<channel id>:<name>` (created once, then
 *   reused; the mapping is kept in SQLite).
 */
export type Destination =
  | { kind: 'channel'; channelId: string }
  | { kind: 'dm'; userId: string }
  | { kind: 'thread'; parentId: string; name: string };

export function destinationKey(d: Destination): string {
  if (d.kind === 'dm') return `dm:${d.userId}`;
  if (d.kind === 'thread') return `thread:${d.parentId}:${d.name}`;
  return d.channelId;
}

export function parseDestination(key: string): Destination {
  const dm = /^dm:(\d+)$/.exec(key);
  if (dm) return { kind: 'dm', userId: dm[1]! };
  const thread = /^thread:(\d+):([\s\S]+)$/.exec(key);
  if (thread) return { kind: 'thread', parentId: thread[1]!, name: thread[2]! };
  return { kind: 'channel', channelId: key };
}
