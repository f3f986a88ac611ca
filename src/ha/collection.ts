import type { MessageBase } from 'home-assistant-js-websocket';
import type { Link } from './connection.js';

/**
 * Data the bot keeps from Home Assistant, all in one pattern (the idea of haws' collection.ts):
 * fetched and subscribed afresh on every (re)connect (HA replays nothing sent while the bot was
 * away, and subscriptions haws re-makes while HA is still starting can end up dead), and kept
 * current by what the subscription hears. A collection that is fetched again on demand (a
 * config change, a registry event) says so with `refresh`.
 */
export interface Collection {
  /** Fetches and subscribes on a new connection; a rejection fails the setup (a reconnect). */
  sync(link: Link): Promise<void>;
  /** Fetches again now; never rejects (logs instead). */
  refresh?(): Promise<void>;
}

/**
 * Subscribes on `link`'s connection only: haws must not re-make it on a reconnect, since the
 * next setup subscribes afresh. Rejects with HA's error when HA refuses.
 */
export function subscribeOn<T>(
  link: Link,
  message: MessageBase,
  onMessage: (message: T) => void,
): Promise<() => Promise<void>> {
  return link.conn.subscribeMessage<T>(onMessage, message, { resubscribe: false });
}

/** The collections' timers, all cleared on stop. */
export class Timers {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly debounced = new Map<string, NodeJS.Timeout>();

  later(fn: () => void, ms: number): NodeJS.Timeout {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
    return timer;
  }

  /** Runs `fn` once `ms` after the first call of a burst under `key`. */
  debounce(key: string, fn: () => void, ms: number): void {
    if (this.debounced.has(key)) return;
    this.debounced.set(
      key,
      this.later(() => {
        this.debounced.delete(key);
        fn();
      }, ms),
    );
  }

  clear(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.debounced.clear();
  }
}
