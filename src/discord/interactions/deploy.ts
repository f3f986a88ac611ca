import { REST, Routes, type APIApplication, type Client } from 'discord.js';
import { buildCommands, subcommands, type CommandVisibility } from '../../commands/registry.js';
import type { AnyCommand } from '../../commands/types.js';
import type { Logger } from '../../logging/logger.js';
import { milestone } from '../../logging/milestones.js';

/**
 * Registers `/ha` and the custom commands beside it in one guild (shows at once) or globally (Discord may take up to an hour
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

/**
 * The same registration without a gateway connection (`deploy-commands`): the bot token's
 * application over REST only. Rejects as discord.js does (see describeLoginError).
 */
export async function deployCommandsOnce(opts: {
  token: string;
  apiUrl: string | undefined;
  guildId: string | undefined;
  visibility: CommandVisibility;
  custom?: readonly AnyCommand[];
}): Promise<void> {
  const { token, apiUrl, guildId, visibility, custom = [] } = opts;
  const rest = new REST({ version: '10', ...(apiUrl ? { api: apiUrl } : {}) }).setToken(token);
  const app = (await rest.get(Routes.currentApplication())) as APIApplication;
  const route = guildId
    ? Routes.applicationGuildCommands(app.id, guildId)
    : Routes.applicationCommands(app.id);
  await rest.put(route, { body: buildCommands([...subcommands, ...custom], visibility) });
}
