import { EmbedBuilder } from 'discord.js';
import { askedBy } from '../audit/audit.js';
import { code, LIMITS, plain } from '../discord/format.js';
import { toHaError } from '../ha/errors.js';
import { describeHaError, replyError, unavailableText } from './replies.js';
import type { Subcommand } from './types.js';

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
    ].includes(type)
  );
}

/** `/ha event name: data:`: fires an HA event automations can trigger on. */
export const eventCommand: Subcommand = {
  name: 'event',
  build: (sub) =>
    sub
      .setName('event')
      .setDescription('Fire a Home Assistant event that automations can trigger on')
      .addStringOption((o) =>
        o
          .setName('name')
          .setDescription('The event type, e.g. discord_doorbell')
          .setRequired(true)
          .setMaxLength(64),
      )
      .addStringOption((o) =>
        o
          .setName('data')
          .setDescription('Event data as a JSON object, e.g. {"who": "guest"}')
          .setMaxLength(2000),
      ),

  async execute(interaction, ctx) {
    const down = unavailableText(ctx.ha.status);
    if (down) return replyError(interaction, down);
    const allowed = ctx.access.check(interaction, 'event');
    if (!allowed.allowed) return replyError(interaction, allowed.reason);
    const name = interaction.options.getString('name', true).trim();
    if (!EVENT_TYPE.test(name))
      return replyError(
        interaction,
        'An event name is 1-64 lowercase letters, digits and underscores, e.g. discord_doorbell.',
      );
    if (reservedEvent(name, ctx.ownEvents))
      return replyError(
        interaction,
        `${code(name, 64)} is an event Home Assistant (or this bot) fires itself: pick a name of your own, e.g. discord_${name.replace(/^homeassistant_/, '')}.`,
      );
    const text = interaction.options.getString('data');
    let data: Record<string, unknown> = {};
    if (text && text.trim() !== '') {
      try {
        data = JSON.parse(text) as Record<string, unknown>;
      } catch {
        return replyError(interaction, 'data must be a JSON object such as {"who": "guest"}.');
      }
      if (typeof data !== 'object' || data === null || Array.isArray(data))
        return replyError(interaction, 'data must be a JSON object such as {"who": "guest"}.');
    }
    const { user, channelId, guildId } = interaction;
    // Who fired it, where automations can read it and no data can overwrite it.
    const eventData = {
      ...data,
      discord: {
        user_id: user.id,
        user_name: user.username,
        guild_id: guildId,
        channel_id: channelId,
      },
    };
    try {
      await ctx.ha.fireEvent(name, eventData);
    } catch (error) {
      return replyError(interaction, describeHaError(toHaError(error)));
    }
    ctx.audit.record({
      ...askedBy(interaction),
      command: 'event',
      domain: 'event',
      service: name,
      entityIds: [],
      contextId: undefined,
      confirmed: false,
      error: undefined,
    });
    await interaction.reply({
      embeds: [
        new EmbedBuilder()
          .setTitle(plain(`Fired ${name}`, LIMITS.title))
          .setColor(0x3498db)
          .setFooter({ text: plain(`by ${user.username}`, LIMITS.footer) })
          .toJSON(),
      ],
    });
  },
};
