import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  MessageFlags,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type StringSelectMenuInteraction,
} from 'discord.js';
import { LIMITS, safe } from '../discord/format.js';
import { truncate } from '../entities/text.js';
import type { PendingAction } from './confirmations.js';
import { unavailableText } from './replies.js';
import type { CommandContext } from './types.js';

export const CONFIRM_PREFIX = 'ha:confirm:';
export const CANCEL_PREFIX = 'ha:cancel:';

const EXPIRED_TEXT = 'This confirmation has expired or was already used: nothing was done.';

/**
 * Asks the person to confirm a dangerous action with a button, privately. The action runs
 * only when the same person presses Confirm in time and the policy and state still agree.
 */
export async function askToConfirm(
  interaction: ChatInputCommandInteraction | StringSelectMenuInteraction | ButtonInteraction,
  pending: PendingAction,
  reasons: readonly string[],
  ctx: CommandContext,
): Promise<void> {
  const id = ctx.confirmations.add(pending, () => {
    ctx.log.info(
      { userId: pending.userId, entityIds: pending.entityIds },
      'confirmation expired unused',
    );
    interaction
      .editReply({
        content: `Expired: ${safe(pending.summary, 300)} was not done. Run the command again if you still want it.`,
        components: [],
      })
      .catch(() => undefined);
  });
  const seconds = Math.round(ctx.confirmations.timeoutMs / 1000);
  const lines = pending.entityIds.map((entityId) => {
    const state = pending.seen.get(entityId)?.state;
    return `• \`${entityId}\`${state ? ` (now ${safe(state, 40)})` : ''}`;
  });
  const content = truncate(
    [
      `**${safe(pending.summary, 300)}?**`,
      ...lines,
      `This needs a confirmation (${reasons.join('; ')}). The button works for ${seconds} s, and only for you.`,
    ].join('\n'),
    LIMITS.content,
  );
  const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
    new ButtonBuilder()
      .setCustomId(`${CONFIRM_PREFIX}${id}`)
      .setLabel(truncate(pending.summary, 80))
      .setStyle(ButtonStyle.Danger),
    new ButtonBuilder()
      .setCustomId(`${CANCEL_PREFIX}${id}`)
      .setLabel('Cancel')
      .setStyle(ButtonStyle.Secondary),
  );
  const message = { content, components: [row.toJSON()] };
  // A menu's private message becomes the prompt; a command or a button under a public
  // message gets a new private one.
  if (interaction.isStringSelectMenu()) await interaction.update(message);
  else await interaction.reply({ ...message, flags: MessageFlags.Ephemeral });
}

/** What changed since the person asked, in words, or undefined when nothing did. */
function changedSince(pending: PendingAction, ctx: CommandContext): string | undefined {
  for (const entityId of pending.entityIds) {
    const before = pending.seen.get(entityId);
    const now = ctx.store.get(entityId);
    if (now === undefined) return `\`${entityId}\` no longer exists in Home Assistant`;
    if (before && (before.state !== now.state || before.lastChanged !== now.lastChanged)) {
      return `\`${entityId}\` changed from ${safe(before.state, 40)} to ${safe(now.state, 40)} since you asked`;
    }
  }
  return undefined;
}

/** The Confirm and Cancel buttons of a confirmation. */
export async function handleConfirmButton(
  interaction: ButtonInteraction,
  ctx: CommandContext,
): Promise<void> {
  const confirm = interaction.customId.startsWith(CONFIRM_PREFIX);
  const id = interaction.customId.slice((confirm ? CONFIRM_PREFIX : CANCEL_PREFIX).length);
  const pending = ctx.confirmations.get(id);
  if (pending === undefined) {
    await interaction.update({ content: `${EXPIRED_TEXT} Run the command again.`, components: [] });
    return;
  }
  if (pending.userId !== interaction.user.id) {
    ctx.log.warn(
      { userId: interaction.user.id, askedBy: pending.userId },
      'confirmation pressed by someone else: refused',
    );
    await interaction.reply({
      content: 'Only the person who asked can confirm this.',
      flags: MessageFlags.Ephemeral,
    });
    return;
  }
  ctx.confirmations.take(id);
  if (!confirm) {
    await interaction.update({
      content: `Cancelled: ${safe(pending.summary, 300)} was not done.`,
      components: [],
    });
    return;
  }
  const refusal =
    unavailableText(ctx.ha.status) ??
    changedSince(pending, ctx) ??
    pending.entityIds
      .map((entityId) => ctx.catalog.get(entityId))
      .map((entry) => (entry ? ctx.access.check(interaction, pending.action, entry) : undefined))
      .find((d) => d !== undefined && !d.allowed)?.reason;
  if (refusal) {
    await interaction.update({
      content: truncate(
        `Not done: ${refusal.replace(/\.$/, '')}. Run the command again if you still want it.`,
        LIMITS.content,
      ),
      components: [],
    });
    return;
  }
  await pending.run(interaction);
}
