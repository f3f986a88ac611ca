import { MessageFlags, PermissionFlagsBits } from 'discord.js';
import { truncate } from '../entities/text.js';
import { LIMITS, safe } from '../discord/format.js';
import { replyError } from './replies.js';
import type { Subcommand } from './types.js';

/** `/ha reload`: re-reads CONFIG_FILE (rules and policy) for server admins. */
export const reloadCommand: Subcommand = {
  name: 'reload',
  build: (sub) =>
    sub.setName('reload').setDescription('Reload alert rules and the access policy (admins)'),
  async execute(interaction, ctx) {
    // Reloading changes who may do what: Discord's own admin right, not a policy grant.
    if (!interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild))
      return replyError(interaction, 'You need the Manage Server permission to reload the config.');
    ctx.log.info({ userId: interaction.user.id }, 'config reload asked from Discord');
    const result = ctx.reloadConfig();
    const content = result.ok
      ? `Config reloaded. ${result.changes.length > 0 ? result.changes.join(' ') : 'Nothing changed.'}`
      : `The config was not reloaded; the bot keeps running on the old one.\n${result.problems
          .map((p) => `• ${safe(p, 300)}`)
          .join('\n')}`;
    await interaction.reply({
      content: truncate(content, LIMITS.content),
      flags: MessageFlags.Ephemeral,
    });
  },
};
