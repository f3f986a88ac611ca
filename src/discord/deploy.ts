import type { Client } from 'discord.js';
import { buildCommands, type CommandVisibility } from '../commands/registry.js';
import type { Logger } from '../logging/logger.js';
import { milestone } from '../logging/milestones.js';

/**
 * Registers `/ha` in one guild (shows at once) or globally (Discord may take up to an hour
 * to show a change everywhere). A bulk overwrite, so removed subcommands disappear too.
 */
export async function deployCommands(
  client: Client<true>,
  guildId: string | undefined,
  visibility: CommandVisibility,
  log: Logger,
): Promise<void> {
  const body = buildCommands(undefined, visibility);
  if (guildId) {
    await client.application.commands.set(body, guildId);
    log.info(
      { ...milestone('discord.commands-registered'), guildId, commands: body.length },
      'slash commands registered in guild',
    );
  } else {
    await client.application.commands.set(body);
    log.info(
      { ...milestone('discord.commands-registered'), commands: body.length },
      'slash commands registered globally',
    );
  }
}
