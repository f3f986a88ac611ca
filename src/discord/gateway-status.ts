import { Events, type Client } from 'discord.js';

/**
 * Follows the gateway's own events: ready or resumed is up, a disconnect or reconnect down.
 * Returns the function that stops following them.
 */
export function trackGateway(client: Client, tracker: { up(): void; down(): void }): () => void {
  const up = (): void => tracker.up();
  const down = (): void => tracker.down();
  client.on(Events.ShardReady, up);
  client.on(Events.ShardResume, up);
  client.on(Events.ShardDisconnect, down);
  client.on(Events.ShardReconnecting, down);
  return () => {
    client.off(Events.ShardReady, up);
    client.off(Events.ShardResume, up);
    client.off(Events.ShardDisconnect, down);
    client.off(Events.ShardReconnecting, down);
  };
}

/** Calls `listener` each time the gateway is ready or resumed (Discord is back); returns its release. */
export function onGatewayUp(client: Client, listener: () => void): () => void {
  const up = (): void => listener();
  client.on(Events.ShardReady, up);
  client.on(Events.ShardResume, up);
  return () => {
    client.off(Events.ShardReady, up);
    client.off(Events.ShardResume, up);
  };
}

/** The gateway heartbeat's round trip in ms; -1 before the first heartbeat is answered. */
export const gatewayPing = (client: Client): number => client.ws.ping;
