import { code, LIMITS, plain } from '../discord/format.js';
import { reservedEvent } from '../config/reserved-events.js';
import { toHaError } from '../ha/errors.js';
import { requiredText, text } from './options.js';
import { describeHaError } from './replies.js';
import { refuse, type Reply } from './reply.js';
import type { CommandSpec } from './types.js';

const EVENT_TYPE = /^[a-z0-9_]{1,64}$/;

const NOT_AN_OBJECT = 'data must be a JSON object such as {"who": "guest"}.';

/** `/ha event name: data:`: fires an HA event automations can trigger on. */
export const eventCommand: CommandSpec = {
  name: 'event',
  description: 'Fire a Home Assistant event that automations can trigger on',
  options: [
    {
      type: 'string',
      name: 'name',
      description: 'The event type, e.g. discord_doorbell',
      required: true,
      maxLength: 64,
    },
    {
      type: 'string',
      name: 'data',
      description: 'Event data as a JSON object, e.g. {"who": "guest"}',
      maxLength: 2000,
    },
  ],
  needs: 'ha',
  action: 'event',

  async plan({ caller, options }, _, __, ctx): Promise<Reply> {
    const name = requiredText(options, 'name').trim();
    if (!EVENT_TYPE.test(name))
      return refuse(
        'An event name is 1-64 lowercase letters, digits and underscores, e.g. discord_doorbell.',
      );
    if (reservedEvent(name, ctx.ownEvents))
      return refuse(
        `${code(name, 64)} is an event Home Assistant (or this bot) fires itself: pick a name of your own, e.g. discord_${name.replace(/^homeassistant_/, '')}.`,
      );
    const given = text(options, 'data');
    let data: Record<string, unknown> = {};
    if (given && given.trim() !== '') {
      try {
        data = JSON.parse(given) as Record<string, unknown>;
      } catch {
        return refuse(NOT_AN_OBJECT);
      }
      if (typeof data !== 'object' || data === null || Array.isArray(data))
        return refuse(NOT_AN_OBJECT);
    }
    // Who fired it, where automations can read it and no data can overwrite it.
    const eventData = {
      ...data,
      discord: {
        user_id: caller.userId,
        user_name: caller.userName,
        guild_id: caller.guildId,
        channel_id: caller.channelId,
      },
    };
    try {
      await ctx.ha.fireEvent(name, eventData);
    } catch (error) {
      return refuse(describeHaError(toHaError(error)));
    }
    ctx.audit.record({
      userId: caller.userId,
      userName: caller.userName,
      guildId: caller.guildId,
      channelId: caller.channelId,
      command: 'event',
      domain: 'event',
      service: name,
      entityIds: [],
      contextId: undefined,
      confirmed: false,
      error: undefined,
    });
    return {
      kind: 'show',
      message: {
        embeds: [
          {
            title: plain(`Fired ${name}`, LIMITS.title),
            color: 0x3498db,
            footer: { text: plain(`by ${caller.userName}`, LIMITS.footer) },
          },
        ],
      },
    };
  },
};
