import { Client, Events, GatewayIntentBits, type ClientOptions } from 'discord.js';
import type { Logger } from '../logging/logger.js';
import { describeConnectFailure } from '../net/connect-failure.js';
import { isTokenRejected, loginWithRetry, type LoginOptions } from './login.js';

export interface DiscordClientOptions {
  apiUrl: string | undefined;
  log: Logger;
}

const DISCORD_API = 'https://discord.com/api';

export interface DiscordConnection {
  readonly client: Client;
  /** Logs in, retrying while Discord cannot be reached; see loginWithRetry. */
  login(
    token: string,
    hooks?: Pick<LoginOptions, 'onUnreachable' | 'retryDelayMs'>,
  ): Promise<boolean>;
  /** A normal stop: no more retries, and the gateway closing is not logged as a reconnect. */
  close(): Promise<void>;
}

/**
 * A discord.js client with the `Guilds` intent only (no privileged intent), mentions off by
 * default on everything it sends, and its connection life logged.
 */
export function createDiscordClient(opts: DiscordClientOptions): DiscordConnection {
  const options: ClientOptions = {
    intents: [GatewayIntentBits.Guilds],
    allowedMentions: { parse: [], repliedUser: false },
    ...(opts.apiUrl ? { rest: { api: opts.apiUrl } } : {}),
  };
  const client = new Client(options);
  const log = opts.log;
  // discord.js reports its own close on destroy() as a disconnect and a reconnect.
  const stop = new AbortController();
  client.on(Events.ShardDisconnect, (event, shardId) => {
    if (!stop.signal.aborted)
      log.warn({ shardId, code: event.code }, 'Discord gateway disconnected');
  });
  client.on(Events.ShardReconnecting, (shardId) => {
    if (!stop.signal.aborted) log.info({ shardId }, 'Discord gateway reconnecting');
  });
  client.on(Events.ShardResume, (shardId, replayed) =>
    log.info({ shardId, replayed }, 'Discord gateway resumed'),
  );
  client.on(Events.ShardReady, (shardId) => log.info({ shardId }, 'Discord gateway ready'));
  client.on(Events.ShardError, (error, shardId) =>
    log.warn({ shardId, err: error.message }, 'Discord gateway error'),
  );
  client.on(Events.Error, (error) => log.error({ err: error }, 'Discord client error'));
  client.on(Events.Warn, (message) => log.warn({ message }, 'Discord client warning'));
  return {
    client,
    login: (token, hooks) =>
      loginWithRetry(client, {
        token,
        apiUrl: opts.apiUrl ?? DISCORD_API,
        log,
        signal: stop.signal,
        ...hooks,
      }),
    async close() {
      stop.abort();
      await client.destroy();
    },
  };
}

/** Plain words for why `login()` failed. */
export function describeLoginError(error: unknown): string {
  const code = (error as { code?: unknown })?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (isTokenRejected(error)) {
    return 'Discord rejected DISCORD_TOKEN. Copy the bot token again from the Discord developer portal (your application → Bot → Reset Token), put it in DISCORD_TOKEN and restart.';
  }
  if (code === 'DisallowedIntents' || message === 'Used disallowed intents') {
    return 'Discord refused the gateway intents. This bot needs no privileged intent; check that you run an unmodified build.';
  }
  return `Could not connect to Discord (${describeConnectFailure(error)}). Check the network and DISCORD_API_URL, then restart.`;
}
