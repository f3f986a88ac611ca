import { Events, type Client } from 'discord.js';

/** Follows the gateway's own events: ready or resumed is up, a disconnect or reconnect down. */
export function trackGateway(client: Client, tracker: { up(): void; down(): void }): void {
  client.on(Events.ShardReady, () => tracker.up());
  client.on(Events.ShardResume, () => tracker.up());
  client.on(Events.ShardDisconnect, () => tracker.down());
  client.on(Events.ShardReconnecting, () => tracker.down());
}

/** The gateway heartbeat's round trip in ms; -1 before the first heartbeat is answered. */
export const gatewayPing = (client: Client): number => client.ws.ping;
