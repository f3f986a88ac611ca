import type { Logger } from '../logging/logger.js';

/** Undoes what a feature set up: a listener removed, a timer cleared, a server closed. */
export type Release = () => void | Promise<void>;

/**
 * A part of the bot with a life of its own (alerts, delivery, the health endpoint...): it
 * attaches its listeners and timers in `start()` and releases every one in `stop()`, as
 * zigbee2mqtt's extensions do. The composition root lists them; `Features` runs the list.
 */
export interface Feature {
  readonly name: string;
  start(): void | Promise<void>;
  stop(): void | Promise<void>;
}

/**
 * A feature that is its subscriptions: `setup` attaches them and returns what releases each,
 * released in reverse order on stop (so the last attached goes first).
 */
export function feature(
  name: string,
  setup: () => readonly (Release | undefined)[] | Promise<readonly (Release | undefined)[]>,
): Feature {
  let releases: Release[] = [];
  return {
    name,
    async start() {
      releases = (await setup()).filter((r) => r !== undefined);
    },
    async stop() {
      const held = releases.reverse();
      releases = [];
      for (const release of held) await release();
    },
  };
}

/**
 * Starts features in the order listed and stops them in the reverse order: what starts last
 * (the connections) stops first, what others need (the Discord client, the database's users)
 * last. Stopping stops only what started, once, and goes on past a feature that fails.
 */
export class Features {
  private started: Feature[] = [];
  private stopping: Promise<void> | undefined;

  constructor(
    private readonly list: readonly Feature[],
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    for (const item of this.list) {
      if (this.stopping) return;
      this.started.push(item);
      await item.start();
    }
  }

  /** Idempotent: a second call (a second signal) waits for the first. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      for (const item of [...this.started].reverse()) {
        try {
          await item.stop();
        } catch (error) {
          this.log.error({ err: error, feature: item.name }, 'feature failed to stop');
        }
      }
      this.started = [];
    })();
    return this.stopping;
  }
}
