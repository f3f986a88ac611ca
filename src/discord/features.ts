import { Events, type Client, type Interaction } from 'discord.js';
import { feature, type Feature } from '../app/feature.js';
import type { DiscordConnection } from './client.js';
import type { GatewayStatus } from './gateway-status.js';
import type { LoginOptions } from './login.js';

/** The Discord client's life: first to start, last to stop, so others may use it until then. */
export function discordClient(connection: DiscordConnection): Feature {
  return feature('discord client', () => [() => connection.close()]);
}

/**
 * Logs in (retrying while Discord cannot be reached) without holding up the features after
 * it; `onRejected` hears the one failure retrying cannot cure, a rejected token.
 */
export function discordLogin(
  connection: DiscordConnection,
  token: string,
  hooks: Pick<LoginOptions, 'onUnreachable'> & { onRejected: (error: unknown) => void },
): Feature {
  return feature('discord login', () => {
    connection.login(token, { onUnreachable: hooks.onUnreachable }).catch(hooks.onRejected);
    // Stopping is closing the client (discordClient): that also ends the retries.
    return [];
  });
}

/** Hands every interaction to the router; stops taking them on stop. */
export function interactions(
  client: Client,
  route: (interaction: Interaction) => Promise<void>,
  also: { stop(): void },
): Feature {
  return feature('interactions', () => {
    const listener = (interaction: Interaction): void => void route(interaction);
    client.on(Events.InteractionCreate, listener);
    return [() => also.stop(), () => void client.off(Events.InteractionCreate, listener)];
  });
}

/** What delivery needs of the outbox pump. */
export interface Deliverer {
  start(): void;
  /** Discord is back: retry what waits. */
  notify(): void;
  stop(): Promise<void>;
}

/** Delivers the outbox to Discord, woken each time the gateway is ready or resumed. */
export function outboxDelivery(gateway: GatewayStatus, pump: Deliverer): Feature {
  return feature('outbox delivery', () => {
    pump.start();
    const wake = gateway.on((up) => {
      if (up) pump.notify();
    });
    return [() => pump.stop(), wake];
  });
}
