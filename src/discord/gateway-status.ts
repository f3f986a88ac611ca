import { Events, type Client } from 'discord.js';

/**
 * Whether Discord's gateway is up, from its own events: ready or resumed is up, a disconnect
 * or reconnect down. The one tracker of it: delivery, health and the outbox pump's wake-up all
 * read or hear this one.
 */
export interface GatewayStatus {
  /** Ready or resumed, and not disconnected since. */
  readonly up: boolean;
  /**
   * Calls `listener` on each of those events (after `up` follows it); returns its release.
   * Delivery waits for `true` instead of polling.
   */
  on(listener: (up: boolean) => void): () => void;
}

/** Follows `client`'s gateway for as long as the client lives. */
export function followGateway(client: Client): GatewayStatus {
  let up = client.isReady();
  const listeners = new Set<(up: boolean) => void>();
  const set = (next: boolean) => (): void => {
    up = next;
    for (const listener of [...listeners]) listener(next);
  };
  client.on(Events.ShardReady, set(true));
  client.on(Events.ShardResume, set(true));
  client.on(Events.ShardDisconnect, set(false));
  client.on(Events.ShardReconnecting, set(false));
  return {
    get up() {
      return up;
    },
    on(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}

/** The gateway heartbeat's round trip in ms; -1 before the first heartbeat is answered. */
export const gatewayPing = (client: Client): number => client.ws.ping;
