import { code, LIMITS, plain } from '../discord/format.js';
import { toHaError } from '../ha/errors.js';
import { requiredText, text } from './options.js';
import { describeHaError } from './replies.js';
import { refuse, type Reply } from './reply.js';
import type { CommandSpec } from './types.js';

const EVENT_TYPE = /^[a-z0-9_]{1,64}$/;

/**
 * Events HA itself fires, or this bot does: a Discord member must not be able to fake a
 * restart, a state change or another member's command to HA's automations, nor fire the
 * event that makes the bot post (HA_SEND_EVENT). `ownEvents`: the bot's configured event
 * types; their default names are refused even when renamed or off.
 */
export function reservedEvent(type: string, ownEvents: readonly string[]): boolean {
  return (
    type.startsWith('homeassistant_') ||
    type.endsWith('_registry_updated') ||
    ownEvents.includes(type) ||
    [
      'state_changed',
      'state_reported',
      'call_service',
      'service_registered',
      'service_removed',
      'component_loaded',
      'core_config_updated',
      'automation_triggered',
      'automation_reloaded',
      'script_started',
      'logbook_entry',
      'user_added',
      'user_removed',
      'user_updated',
      'themes_updated',
      'panels_updated',
      'discord_bridge_command',
      'discord_bridge_send',
      'discord_bridge_action',
    ].includes(type)
  );
}

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
