import { EmbedBuilder } from 'discord.js';
import { askedBy } from '../audit/audit.js';
import { LIMITS, plain, safe } from '../discord/format.js';
import { toHaError } from '../ha/errors.js';
import { slashResponder } from './responder.js';
import { describeHaError, replyError, unavailableText } from './replies.js';
import type { Subcommand } from './types.js';

const COLORS = { action_done: 0x2ecc71, query_answer: 0x3498db, error: 0xe67e22 } as const;

/** `/ha ask text:`: a sentence for HA Assist, answered in the channel; follow-ups continue. */
export const askCommand: Subcommand = {
  name: 'ask',
  build: (sub) =>
    sub
      .setName('ask')
      .setDescription('Ask Home Assistant Assist, e.g. "turn on the kitchen light"')
      .addStringOption((o) =>
        o
          .setName('text')
          .setDescription('What to ask or tell your home')
          .setRequired(true)
          .setMaxLength(500),
      ),

  async execute(interaction, ctx) {
    const down = unavailableText(ctx.ha.status);
    if (down) return replyError(interaction, down);
    // Assist acts on whatever it understands, past the per-entity policy: its own action.
    const allowed = ctx.access.check(interaction, 'ask');
    if (!allowed.allowed) return replyError(interaction, allowed.reason);
    const text = interaction.options.getString('text', true).trim();
    if (text === '')
      return replyError(interaction, 'Ask something, e.g. "what is the temperature?".');
    const { user, channelId } = interaction;
    const responder = slashResponder(interaction);
    await responder.begin();
    try {
      const answer = await ctx.ha.converse(text, ctx.conversations.get(user.id, channelId));
      if (answer.conversationId) ctx.conversations.set(user.id, channelId, answer.conversationId);
      if (answer.kind === 'action_done')
        ctx.audit.record({
          ...askedBy(interaction),
          command: 'ask',
          domain: 'conversation',
          service: 'process',
          entityIds: answer.done,
          contextId: undefined,
          confirmed: false,
          error: undefined,
        });
      const embed = new EmbedBuilder()
        .setAuthor({ name: plain(`${user.username}: ${text}`, LIMITS.title) })
        .setDescription(safe(answer.speech || 'Assist gave no answer.', LIMITS.description))
        .setColor(COLORS[answer.kind as keyof typeof COLORS] ?? COLORS.query_answer)
        .setFooter({ text: 'Home Assistant Assist' });
      if (answer.failed.length > 0)
        embed.addFields({
          name: 'Failed',
          value: safe(answer.failed.join(', '), LIMITS.fieldValue),
        });
      await responder.success({ embeds: [embed.toJSON()] });
    } catch (error) {
      const haError = toHaError(error);
      ctx.log.warn({ code: haError.code, err: haError.message }, 'Assist failed');
      await responder.failure(
        haError.code === 'unknown_command'
          ? "Home Assistant's Assist (the conversation integration) is not loaded. Add `conversation:` (or `default_config:`) to HA's configuration."
          : describeHaError(haError),
      );
    }
  },
};
