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
