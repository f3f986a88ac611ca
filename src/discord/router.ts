import type { Interaction } from 'discord.js';
import { CANCEL_PREFIX, CONFIRM_PREFIX, handleConfirmButton } from '../commands/confirm.js';
import { PICK_PREFIX, replyError } from '../commands/replies.js';
import { commandKey, ROOT_COMMAND } from '../commands/registry.js';
import type { CommandContext, Subcommand } from '../commands/types.js';
import type { Logger } from '../logging/logger.js';
import { parseButtonId } from './components.js';

const EXPIRED_TEXT = 'That button or menu has expired. Run the command again.';
const FAILURE_TEXT =
  'Something went wrong while handling that command. It has been logged; please try again.';

/**
 * Routes each interaction to its subcommand. This is the one error boundary: whatever a
 * handler throws becomes a logged error and a plain reply, never a crash or a silent timeout.
 */
export function createInteractionRouter(
  subcommands: readonly Subcommand[],
  ctx: CommandContext,
  log: Logger,
): (interaction: Interaction) => Promise<void> {
  const byName = new Map(subcommands.map((s) => [commandKey(s), s]));
  const keyOf = (options: {
    getSubcommandGroup(required: false): string | null;
    getSubcommand(required: false): string | null;
  }) =>
    commandKey({
      group: options.getSubcommandGroup(false) ?? undefined,
      name: options.getSubcommand(false) ?? '',
    });

  return async (interaction) => {
    const started = performance.now();
    const meta: Record<string, unknown> = {
      interactionId: interaction.id,
      userId: interaction.user.id,
      guildId: interaction.guildId,
      channelId: interaction.channelId,
    };
    try {
      if (!ctx.access.serves(interaction)) {
        log.warn(meta, 'interaction from a server this bot does not serve: ignored');
        if (interaction.isAutocomplete()) await interaction.respond([]);
        else if (interaction.isRepliable())
          await replyError(interaction, 'This bot does not serve this server.');
        return;
      }
      if (interaction.guildId === null && interaction.isRepliable()) {
        const dm = ctx.access.check(interaction, 'read');
        if (!dm.allowed) {
          await replyError(interaction, dm.reason);
          return;
        }
      }
      // Another command name (e.g. a stale registration) is answered too, never left to time out.
      const ours = 'commandName' in interaction && interaction.commandName === ROOT_COMMAND;
      if (interaction.isAutocomplete()) {
        const sub = ours ? byName.get(keyOf(interaction.options)) : undefined;
        if (sub?.autocomplete) await sub.autocomplete(interaction, ctx);
        else await interaction.respond([]);
        return;
      }
      if (interaction.isChatInputCommand()) {
        const name = keyOf(interaction.options);
        meta.command = name;
        const sub = ours ? byName.get(name) : undefined;
        if (sub === undefined) {
          await replyError(
            interaction,
            'That command is not known to this version of the bot. Try again in a minute: commands may still be updating.',
          );
          return;
        }
        log.info(meta, 'command received');
        await sub.execute(interaction, ctx);
        log.info({ ...meta, ms: Math.round(performance.now() - started) }, 'command handled');
        return;
      }
      if (interaction.isStringSelectMenu() && interaction.customId.startsWith(PICK_PREFIX)) {
        const name = interaction.customId.slice(PICK_PREFIX.length);
        meta.command = `${name} (pick)`;
        const sub = byName.get(name);
        const [entityId] = interaction.values;
        if (sub?.pick && entityId !== undefined) await sub.pick(interaction, entityId, ctx);
        else await replyError(interaction, EXPIRED_TEXT);
        return;
      }
      if (
        interaction.isButton() &&
        (interaction.customId.startsWith(CONFIRM_PREFIX) ||
          interaction.customId.startsWith(CANCEL_PREFIX))
      ) {
        meta.command = 'confirmation';
        await handleConfirmButton(interaction, ctx);
        return;
      }
      const pressed = interaction.isButton() ? parseButtonId(interaction.customId) : undefined;
      if (pressed && interaction.isButton()) {
        meta.command = `${pressed.subcommand} (button)`;
        const sub = byName.get(pressed.subcommand);
        if (sub?.button) {
          await sub.button(interaction, pressed.args, ctx);
          return;
        }
      }
      // A button or menu this version did not make (an old message): answered, not ignored.
      if (interaction.isRepliable()) await replyError(interaction, EXPIRED_TEXT);
    } catch (error) {
      log.error({ ...meta, err: error }, 'interaction failed');
      if (interaction.isRepliable()) {
        await replyError(interaction, FAILURE_TEXT).catch((replyFailure: unknown) =>
          log.warn({ ...meta, err: replyFailure }, 'could not tell the user about the failure'),
        );
      } else if (interaction.isAutocomplete() && !interaction.responded) {
        await interaction.respond([]).catch(() => undefined);
      }
    }
  };
}
