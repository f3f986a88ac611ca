import type { Client } from 'discord.js';
import { buildCommands, subcommands, type CommandVisibility } from '../commands/registry.js';
import type { AnyCommand } from '../commands/types.js';
import type { Logger } from '../logging/logger.js';

/**
 * Registers `/ha` (and the custom commands beside it) in one guild (shows at once) or globally (Discord may take up to an hour
 * to show a change everywhere). A bulk overwrite, so removed (sub)commands disappear too.
 */
export async function deployCommands(
  client: Client<true>,
  guildId: string | undefined,
  visibility: CommandVisibility,
  log: Logger,
  custom: readonly AnyCommand[] = [],
): Promise<void> {
  const body = buildCommands([...subcommands, ...custom], visibility);
  if (guildId) {
    await client.application.commands.set(body, guildId);
    log.info({ guildId, commands: body.length }, 'slash commands registered in guild');
  } else {
    await client.application.commands.set(body);
    log.info({ commands: body.length }, 'slash commands registered globally');
  }
}
