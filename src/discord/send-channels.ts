import { Events, type Client } from 'discord.js';

/**
 * Whether a channel is in a server this bot serves, from discord.js' channel cache (the
 * `Guilds` intent keeps every channel of every server cached). Before Discord's first READY
 * the cache is empty, so a check then waits for it, at most `waitMs`.
 */
export function servedChannelCheck(
  client: Client,
  servesGuild: (guildId: string) => boolean,
  waitMs = 60_000,
): (channelId: string) => Promise<boolean> {
  let ready = client.readyAt !== null;
  const firstReady = new Promise<void>((resolve) => {
    if (ready) resolve();
    client.once(Events.ClientReady, () => {
      ready = true;
      resolve();
    });
  });
  return async (channelId) => {
    if (!ready) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        firstReady,
        new Promise((resolve) => (timer = setTimeout(resolve, waitMs))),
      ]);
      clearTimeout(timer);
    }
    const channel = client.channels.cache.get(channelId);
    if (channel === undefined || channel.isDMBased()) return false;
    return servesGuild(channel.guildId);
  };
}

/**
 * A thread's channel (or forum), for `thread_id`: from the cache, else asked of Discord (an
 * archived thread is not cached). Undefined when it is not a thread the bot can see.
 */
export function threadParentLookup(
  client: Client,
): (threadId: string) => Promise<string | undefined> {
  return async (threadId) => {
    try {
      const channel = await client.channels.fetch(threadId);
      return channel?.isThread() ? (channel.parentId ?? undefined) : undefined;
    } catch {
      return undefined;
    }
  };
}
