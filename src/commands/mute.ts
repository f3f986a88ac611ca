import { parseDuration, type DurationOptions } from '../config/duration.js';
import { entityTarget, ruleTarget } from '../alerts/mutes.js';
import { truncate } from '../entities/text.js';
import { code, plain, safe } from '../discord/format.js';
import { replyError } from './replies.js';
import type { CommandContext, Subcommand } from './types.js';

/** A mute lasts a while and ends by itself: more than 0, at most 30 days. */
const MUTE_LENGTH: DurationOptions = {
  objectForm: false,
  allowZero: false,
  max: { ms: 30 * 86_400_000, text: '30 days' },
};

/** A rule name becomes a rule mute; anything else an entity (or pattern) mute. */
function targetOf(typed: string, ctx: CommandContext): string {
  const text = typed.trim();
  if (text.startsWith('rule:') || text.startsWith('entity:')) return text;
  if (ctx.alerts.rules().some((r) => r.name === text)) return ruleTarget(text);
  const exact = ctx.catalog.get(text.toLowerCase());
  return entityTarget(exact ? exact.entityId : text.toLowerCase());
}

export const muteCommand: Subcommand = {
  name: 'mute',
  build: (sub) =>
    sub
      .setName('mute')
      .setDescription('Silence alerts of a rule or an entity for a while')
      .addStringOption((o) =>
        o
          .setName('target')
          .setDescription('Rule name, entity id or pattern')
          .setRequired(true)
          .setMaxLength(200)
          .setAutocomplete(true),
      )
      .addStringOption((o) =>
        o
          .setName('for')
          .setDescription('How long: 30m, 1h30m, 1d, 00:45:00 (default 1h)')
          .setMaxLength(20),
      ),
  async execute(interaction, ctx) {
    const allowed = ctx.access.check(interaction, 'watch');
    if (!allowed.allowed) return replyError(interaction, allowed.reason);
    const target = targetOf(interaction.options.getString('target', true), ctx);
    const length = interaction.options.getString('for') ?? '1h';
    const parsed = parseDuration(length, MUTE_LENGTH);
    if (!parsed.ok) return replyError(interaction, `${code(length, 30)} ${parsed.problem}.`);
    const until = Date.now() + parsed.ms;
    ctx.alerts.mute(target, until, interaction.user.id);
    ctx.log.info({ target, until, userId: interaction.user.id }, 'muted');
    await interaction.reply({
      content: `Muted ${code(target, 150)} until <t:${Math.floor(until / 1000)}:f>.`,
    });
  },
  /** "Mute 1 h" under an alert. */
  async button(interaction, [entityId, length], ctx) {
    const allowed = ctx.access.check(interaction, 'watch');
    const parsed = parseDuration(length ?? '1h', MUTE_LENGTH);
    if (!allowed.allowed || !entityId || !parsed.ok) {
      return replyError(
        interaction,
        allowed.allowed ? 'That button is no longer in use.' : allowed.reason,
      );
    }
    const target = entityTarget(entityId);
    const until = Date.now() + parsed.ms;
    ctx.alerts.mute(target, until, interaction.user.id);
    ctx.log.info({ target, until, userId: interaction.user.id }, 'muted from an alert');
    await interaction.reply({
      content: `${code(entityId, 100)} muted until <t:${Math.floor(until / 1000)}:f> by ${safe(interaction.user.username, 50)}. \`/ha unmute\` ends it sooner.`,
    });
  },
  async autocomplete(interaction, ctx) {
    const typed = String(interaction.options.getFocused()).toLowerCase();
    const rules = ctx.alerts.rules().map((r) => ({
      name: plain(`rule: ${r.name}`, 100),
      value: truncate(ruleTarget(r.name), 100),
    }));
    const entities = ctx.catalog
      .list()
      .filter((e) => e.entityId.length <= 90)
      .map((e) => ({
        name: plain(`${e.name} (${e.entityId})`, 100),
        value: entityTarget(e.entityId),
      }));
    await interaction.respond(
      [...rules, ...entities]
        .filter((c) => c.name.toLowerCase().includes(typed) || c.value.includes(typed))
        .slice(0, 25),
    );
  },
};

export const unmuteCommand: Subcommand = {
  name: 'unmute',
  build: (sub) =>
    sub
      .setName('unmute')
      .setDescription('End a mute')
      .addStringOption((o) =>
        o
          .setName('target')
          .setDescription('The muted rule or entity')
          .setRequired(true)
          .setMaxLength(200)
          .setAutocomplete(true),
      ),
  async execute(interaction, ctx) {
    const allowed = ctx.access.check(interaction, 'watch');
    if (!allowed.allowed) return replyError(interaction, allowed.reason);
    const target = targetOf(interaction.options.getString('target', true), ctx);
    if (!ctx.alerts.unmute(target))
      return replyError(interaction, `${code(target, 150)} is not muted.`);
    await interaction.reply({ content: `Unmuted ${code(target, 150)}.` });
  },
  async autocomplete(interaction, ctx) {
    const typed = String(interaction.options.getFocused()).toLowerCase();
    await interaction.respond(
      ctx.alerts
        .mutes()
        .filter((m) => m.target.includes(typed))
        .slice(0, 25)
        .map((m) => ({ name: plain(m.target, 100), value: truncate(m.target, 100) })),
    );
  },
};
