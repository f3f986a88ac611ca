import { Client, Events, GatewayIntentBits, type ClientOptions } from 'discord.js';
import type { Logger } from '../logging/logger.js';

export interface DiscordClientOptions {
  apiUrl: string | undefined;
  log: Logger;
}

/**
 * A discord.js client with the `Guilds` intent only (no privileged intent), mentions off by
 * default on everything it sends, and its connection life logged.
 */
export function createDiscordClient(opts: DiscordClientOptions): Client {
  const options: ClientOptions = {
    intents: [GatewayIntentBits.Guilds],
    allowedMentions: { parse: [], repliedUser: false },
    ...(opts.apiUrl ? { rest: { api: opts.apiUrl } } : {}),
  };
  const client = new Client(options);
  const log = opts.log;
  client.on(Events.ShardDisconnect, (event, shardId) =>
    log.warn({ shardId, code: event.code }, 'Discord gateway disconnected'),
  );
  client.on(Events.ShardReconnecting, (shardId) =>
    log.info({ shardId }, 'Discord gateway reconnecting'),
  );
  client.on(Events.ShardResume, (shardId, replayed) =>
    log.info({ shardId, replayed }, 'Discord gateway resumed'),
  );
  client.on(Events.ShardReady, (shardId) => log.info({ shardId }, 'Discord gateway ready'));
  client.on(Events.ShardError, (error, shardId) =>
    log.warn({ shardId, err: error.message }, 'Discord gateway error'),
  );
  client.on(Events.Error, (error) => log.error({ err: error }, 'Discord client error'));
  client.on(Events.Warn, (message) => log.warn({ message }, 'Discord client warning'));
  return client;
}

/** Plain words for why `login()` failed. */
export function describeLoginError(error: unknown): string {
  const code = (error as { code?: unknown })?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'TokenInvalid' || /Authentication failed|401|Unauthorized/i.test(message)) {
    return 'Discord rejected DISCORD_TOKEN. Copy the bot token again from the Discord developer portal (your application → Bot → Reset Token), put it in DISCORD_TOKEN and restart.';
  }
  if (code === 'DisallowedIntents') {
    return 'Discord refused the gateway intents. This bot needs no privileged intent; check that you run an unmodified build.';
  }
  return `Could not connect to Discord (${message}). Check the network and DISCORD_API_URL, then restart.`;
}
