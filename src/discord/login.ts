import { setTimeout as sleep } from 'node:timers/promises';
import { Routes, type Client } from 'discord.js';
import type { Logger } from '../logging/logger.js';
import { backoffWithJitter } from '../net/backoff.js';
import { describeConnectFailure } from '../net/connect-failure.js';
import { milestone } from '../logging/milestones.js';

export interface LoginOptions {
  token: string;
  /** Where the bot looks for Discord, for the log (DISCORD_API_URL or Discord's own). */
  apiUrl: string;
  log: Logger;
  /** Each failed attempt, with its cause in words (for health and readiness). */
  onUnreachable?: (cause: string) => void;
  retryDelayMs?: (attempt: number) => number;
  /** Aborted on shutdown: stop retrying. */
  signal: AbortSignal;
}

/** Discord rejected the bot token: REST 401 (`TokenInvalid`) or gateway close 4004. */
export function isTokenRejected(error: unknown): boolean {
  const e = error as { code?: unknown; status?: unknown; message?: unknown } | null;
  return (
    e?.code === 'TokenInvalid' ||
    e?.status === 401 ||
    (typeof e?.message === 'string' && e.message.startsWith('Authentication failed'))
  );
}

/**
 * The gateway's refusals that discord.js does not retry (besides 4004): intents, API
 * version, sharding. This build never causes them; retrying would not change the answer.
 */
const GATEWAY_REFUSALS = [
  'Used disallowed intents',
  'Used invalid intents',
  'Used an invalid API version',
  'Invalid shard',
  'Sharding is required',
];

/** A failure that no retry can fix: the token rejected, or a refusal of the gateway. */
export function isPermanentLoginError(error: unknown): boolean {
  const message = (error as { message?: unknown } | null)?.message;
  return isTokenRejected(error) || GATEWAY_REFUSALS.some((refusal) => message === refusal);
}

/**
 * Logs in, and keeps trying while Discord cannot be reached (DNS not up yet at boot, a
 * network blip, Discord answering 5xx), with backoff and jitter and the cause logged each
 * time. Resolves true once logged in, false when `signal` aborts first; rejects only with a
 * permanent failure (the token rejected).
 *
 * Each attempt first asks `GET /gateway/bot`, the request `login()` starts with: a failed
 * `login()` destroys the client, and a client logged in again after that never reports
 * `isReady()` (discord.js#10493). The check keeps that to the rare attempt where Discord
 * goes away between the two requests.
 */
export async function loginWithRetry(client: Client, opts: LoginOptions): Promise<boolean> {
  const retryDelay = opts.retryDelayMs ?? ((attempt: number) => backoffWithJitter(attempt));
  for (let attempt = 0; !opts.signal.aborted; attempt++) {
    try {
      client.rest.setToken(opts.token);
      await client.rest.get(Routes.gatewayBot(), { signal: opts.signal });
      await client.login(opts.token);
      return true;
    } catch (error) {
      if (opts.signal.aborted) return false;
      if (isPermanentLoginError(error)) throw error;
      const cause = describeConnectFailure(error);
      const delay = retryDelay(attempt);
      opts.log.warn(
        {
          ...milestone('discord.unreachable'),
          apiUrl: opts.apiUrl,
          cause,
          attempt: attempt + 1,
          retryInMs: delay,
        },
        'Discord unreachable, retrying',
      );
      opts.onUnreachable?.(cause);
      try {
        await sleep(delay, undefined, { signal: opts.signal });
      } catch {
        return false;
      }
    }
  }
  return false;
}
