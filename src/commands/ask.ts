import { LIMITS, plain, safe } from '../discord/format.js';
import { toHaError } from '../ha/errors.js';
import { requiredText } from './options.js';
import { describeHaError } from './replies.js';
import { refuse, type Reply } from './reply.js';
import type { Caller, CommandContext, CommandSpec } from './types.js';

const COLORS = { action_done: 0x2ecc71, query_answer: 0x3498db, error: 0xe67e22 } as const;

/** Asks Assist, in the person's conversation in this channel, and words its answer. */
async function converse(text: string, caller: Caller, ctx: CommandContext): Promise<Reply> {
  const { userId, channelId } = caller;
  try {
    const answer = await ctx.ha.converse(text, ctx.conversations.get(userId, channelId));
    if (answer.conversationId) ctx.conversations.set(userId, channelId, answer.conversationId);
    if (answer.kind === 'action_done')
      ctx.audit.record({
        userId,
        userName: caller.userName,
        guildId: caller.guildId,
        channelId,
        command: 'ask',
        domain: 'conversation',
        service: 'process',
        entityIds: answer.done,
        contextId: undefined,
        confirmed: false,
        error: undefined,
      });
    return {
      kind: 'show',
      message: {
        embeds: [
          {
            author: { name: plain(`${caller.userName}: ${text}`, LIMITS.title) },
            description: safe(answer.speech || 'Assist gave no answer.', LIMITS.description),
            color: COLORS[answer.kind as keyof typeof COLORS] ?? COLORS.query_answer,
            footer: { text: 'Home Assistant Assist' },
            ...(answer.failed.length > 0
              ? {
                  fields: [
                    { name: 'Failed', value: safe(answer.failed.join(', '), LIMITS.fieldValue) },
                  ],
                }
              : {}),
          },
        ],
      },
    };
  } catch (error) {
    const haError = toHaError(error);
    ctx.log.warn({ code: haError.code, err: haError.message }, 'Assist failed');
    return refuse(
      haError.code === 'unknown_command'
        ? "Home Assistant's Assist (the conversation integration) is not loaded. Add `conversation:` (or `default_config:`) to HA's configuration."
        : describeHaError(haError),
    );
  }
}

/** `/ha ask text:`: a sentence for HA Assist, answered in the channel; follow-ups continue. */
export const askCommand: CommandSpec = {
  name: 'ask',
  description: 'Ask Home Assistant Assist, e.g. "turn on the kitchen light"',
  options: [
    {
      type: 'string',
      name: 'text',
      description: 'What to ask or tell your home',
      required: true,
      maxLength: 500,
    },
  ],
  needs: 'ha',
  // Assist acts on whatever it understands, past the per-entity policy: its own action.
  action: 'ask',

  plan({ caller, options }, _, __, ctx): Reply {
    const text = requiredText(options, 'text').trim();
    if (text === '') return refuse('Ask something, e.g. "what is the temperature?".');
    return {
      kind: 'slow',
      working: 'Asking Assist…',
      done: 'Assist answered.',
      run: () => converse(text, caller, ctx),
    };
  },
};
