import { RESTEvents, type Client } from 'discord.js';

/** The scopes Discord gives a 429 (`x-ratelimit-scope`); anything else counts as `unknown`. */
const SCOPES = new Set(['user', 'global', 'shared']);

/**
 * Calls `onLimited` for every response Discord answered 429 (rate limited), with its scope.
 * discord.js waits them out and retries by itself: this only counts them, since a bot that
 * keeps hitting 429s wastes its time and nears Discord's ban on too many invalid requests.
 * Returns the function that stops counting.
 */
export function watchRateLimits(client: Client, onLimited: (scope: string) => void): () => void {
  const listener = (_request: unknown, response: { status: number; headers: Headers }): void => {
    // Status and headers only: under Node, discord.js hands listeners a shallow copy that
    // shares the body stream discord.js itself still reads.
    if (response.status !== 429) return;
    const scope = response.headers.get('x-ratelimit-scope') ?? 'user';
    onLimited(SCOPES.has(scope) ? scope : 'unknown');
  };
  client.rest.on(RESTEvents.Response, listener);
  return () => void client.rest.off(RESTEvents.Response, listener);
}
