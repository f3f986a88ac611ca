import { Events, type Client } from 'discord.js';
import { feature, type Feature } from '../../app/feature.js';
import { commandVisibility, type CommandVisibility } from '../../commands/registry.js';
import { sameCustomCommands } from '../../config/custom-commands.js';
import { customCommands } from '../../commands/custom/declare.js';
import type { LiveConfig } from '../../config/live.js';
import type { Logger } from '../../logging/logger.js';
import { deployCommands } from './deploy.js';

const sameVisibility = (a: CommandVisibility, b: CommandVisibility): boolean =>
  a.dms === b.dms && a.memberPermissions === b.memberPermissions;

/**
 * Registers `/ha` (and the custom commands beside it) when Discord is first ready, with who
 * may see it as the live policy says then (a reload before that counts), and again after a
 * reload that changes who sees it or the custom commands.
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
      const { policy, commands } = live.current();
      deployCommands(ready, guildId, commandVisibility(policy), log, customCommands(commands)).then(
        () => opts.onRegistered(ready),
        failed,
      );
    };
    client.once(Events.ClientReady, firstReady);
    const reloads = live.onChange((next, previous) => {
      const visibility = commandVisibility(next.policy);
      if (
        !client.isReady() ||
        (sameVisibility(visibility, commandVisibility(previous.policy)) &&
          sameCustomCommands(next.commands, previous.commands))
      )
        return;
      deployCommands(client, guildId, visibility, log, customCommands(next.commands)).catch(failed);
    });
    return [() => void client.off(Events.ClientReady, firstReady), reloads];
  });
}
