import { Events, type Client } from 'discord.js';
import { feature, type Feature } from '../app/feature.js';
import { commandVisibility, type CommandVisibility } from '../commands/registry.js';
import type { LiveConfig } from '../config/live.js';
import type { Logger } from '../logging/logger.js';
import { deployCommands } from './deploy.js';

const sameVisibility = (a: CommandVisibility, b: CommandVisibility): boolean =>
  a.dms === b.dms && a.memberPermissions === b.memberPermissions;

/**
 * Registers `/ha` when Discord is first ready, with who may see it as the live policy says
 * then (a reload before that counts), and again after a reload that changes who sees it.
 */
export function commandRegistration(opts: {
  client: Client;
  guildId: string | undefined;
  live: LiveConfig;
  log: Logger;
  /** The first registration is done: Discord's side of the bridge is ready. */
  onRegistered(client: Client<true>): void;
}): Feature {
  const { client, guildId, live, log } = opts;
  const failed = (error: unknown): void =>
    log.error({ err: error }, 'could not register slash commands');
  return feature('command registration', () => {
    const firstReady = (ready: Client<true>): void => {
      const visibility = commandVisibility(live.current().policy);
      deployCommands(ready, guildId, visibility, log).then(() => opts.onRegistered(ready), failed);
    };
    client.once(Events.ClientReady, firstReady);
    const reloads = live.onChange((next, previous) => {
      const visibility = commandVisibility(next.policy);
      if (!client.isReady() || sameVisibility(visibility, commandVisibility(previous.policy)))
        return;
      deployCommands(client, guildId, visibility, log).catch(failed);
    });
    return [() => void client.off(Events.ClientReady, firstReady), reloads];
  });
}
