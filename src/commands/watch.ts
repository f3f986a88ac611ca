import { ChannelType, MessageFlags } from 'discord.js';
import { RuleSchema, type Rule } from '../alerts/rule-schema.js';
import { describeGroup } from '../entities/groups.js';
import { resolveTarget } from '../entities/resolver.js';
import { truncate } from '../entities/text.js';
import { joinWithin, LIMITS, plain, safe } from '../discord/format.js';
import { respondWithEntities } from './entity-option.js';
import { replyError, resolutionProblem } from './replies.js';
import type { CommandContext, Subcommand } from './types.js';

const GLOB = /[*?]/;

/** What a watch selects: a glob as written, else what the target resolves to. */
function selection(
  typed: string,
  ctx: CommandContext,
): { rule: Partial<Rule>; label: string } | string {
  const text = typed.trim().toLowerCase();
  if (GLOB.test(text)) {
    if (!/^[a-z0-9_*?]+\.[a-z0-9_*?]+$/.test(text)) {
      return 'A pattern looks like `binary_sensor.*_door`: domain, a dot, then the object id with * or ?.';
    }
    return { rule: { entities: [text] }, label: `\`${text}\`` };
  }
  const r = resolveTarget(ctx.catalog, typed);
  if (r.kind === 'entity')
    return { rule: { entities: [r.entry.entityId] }, label: `\`${r.entry.entityId}\`` };
  if (r.kind === 'group') {
    const ids = [r.group.id];
    const rule =
      r.group.type === 'area'
        ? { areas: ids }
        : r.group.type === 'floor'
          ? { floors: ids }
          : { labels: ids };
    return { rule, label: safe(describeGroup(r.group), 100) };
  }
  if (r.kind === 'ambiguous') {
    return `'${safe(typed, 100)}' matches several entities (${r.candidates
      .slice(0, 5)
      .map((e) => `\`${e.entityId}\``)
      .join(', ')}). Use the exact entity id or a pattern.`;
  }
  return resolutionProblem(typed, r, 'watched') ?? 'Nothing to watch.';
}

export const watchAddCommand: Subcommand = {
  group: 'watch',
  name: 'add',
  build: (sub) =>
    sub
      .setName('add')
      .setDescription('Alert when an entity (or a pattern such as binary_sensor.*_door) changes')
      .addStringOption((o) =>
        o
          .setName('target')
          .setDescription('Entity, area, floor, label or pattern')
          .setRequired(true)
          .setMaxLength(200)
          .setAutocomplete(true),
      )
      .addNumberOption((o) =>
        o.setName('above').setDescription('Alert when the value rises above this'),
      )
      .addNumberOption((o) =>
        o.setName('below').setDescription('Alert when the value falls below this'),
      )
      .addStringOption((o) =>
        o
          .setName('to')
          .setDescription('Alert only on changes to this state, e.g. on')
          .setMaxLength(100),
      )
      .addChannelOption((o) =>
        o
          .setName('channel')
          .setDescription('Where to post (default: the alert channel)')
          .addChannelTypes(ChannelType.GuildText),
      ),

  async execute(interaction, ctx) {
    const allowed = ctx.access.check(interaction, 'watch');
    if (!allowed.allowed) return replyError(interaction, allowed.reason);
    const typed = interaction.options.getString('target', true);
    const picked = selection(typed, ctx);
    if (typeof picked === 'string') return replyError(interaction, picked);
    const above = interaction.options.getNumber('above') ?? undefined;
    const below = interaction.options.getNumber('below') ?? undefined;
    const to = interaction.options.getString('to')?.trim() || undefined;
    const channel = interaction.options.getChannel('channel')?.id;
    const conditions = [
      above !== undefined ? `above ${above}` : '',
      below !== undefined ? `below ${below}` : '',
      to ? `to ${to}` : '',
    ].filter(Boolean);
    const parsed = RuleSchema.safeParse({
      ...picked.rule,
      name: truncate(
        `watch ${typed.trim()}${conditions.length ? ` ${conditions.join(' ')}` : ''}`,
        100,
      ),
      ...(above !== undefined ? { above } : {}),
      ...(below !== undefined ? { below } : {}),
      ...(to ? { to } : {}),
      ...(channel ? { channel } : {}),
    });
    if (!parsed.success)
      return replyError(
        interaction,
        `That watch is not valid: ${safe(parsed.error.issues[0]?.message ?? 'invalid', 300)}`,
      );
    if (ctx.alerts.rules().some((r) => r.name === parsed.data.name)) {
      return replyError(
        interaction,
        `A watch like that exists already: ${safe(parsed.data.name, 100)}.`,
      );
    }
    const watch = ctx.alerts.addWatch(parsed.data, interaction.user.id, interaction.guildId);
    ctx.log.info(
      { watchId: watch.id, rule: watch.rule.name, userId: interaction.user.id },
      'watch added',
    );
    const where = channel ? ` in <#${channel}>` : '';
    await interaction.reply({
      content: `Watching ${picked.label}${conditions.length ? ` (${safe(conditions.join(', '), 300)})` : ''}${where}. Watch #${watch.id}.`,
    });
  },

  autocomplete: (interaction, ctx) => respondWithEntities(interaction, ctx, 'watch'),
};

export const watchListCommand: Subcommand = {
  group: 'watch',
  name: 'list',
  build: (sub) => sub.setName('list').setDescription('List the alert watches and rules'),
  async execute(interaction, ctx) {
    const watches = ctx.alerts.watches();
    const watchIds = new Set(watches.map((w) => w.rule.name));
    const configured = ctx.alerts.rules().filter((r) => !watchIds.has(r.name));
    const lines = [
      ...watches.map(
        (w) =>
          `#${w.id} · ${safe(w.rule.name, 120)}${w.rule.channel ? ` → <#${w.rule.channel}>` : ''}`,
      ),
      ...configured.map((r) => `config · ${safe(r.name, 120)}`),
    ];
    const mutes = ctx.alerts
      .mutes()
      .map((m) => `muted · ${safe(m.target, 100)} until <t:${Math.floor(m.until / 1000)}:R>`);
    const all = [...lines, ...mutes];
    await interaction.reply({
      content: all.length
        ? joinWithin(all, LIMITS.content)
        : 'No watches or rules yet. Add one with /ha watch add.',
      flags: MessageFlags.Ephemeral,
    });
  },
};

export const watchRemoveCommand: Subcommand = {
  group: 'watch',
  name: 'remove',
  build: (sub) =>
    sub
      .setName('remove')
      .setDescription('Remove a watch added from Discord')
      .addIntegerOption((o) =>
        o
          .setName('id')
          .setDescription('The watch number')
          .setRequired(true)
          .setMinValue(1)
          .setAutocomplete(true),
      ),
  async execute(interaction, ctx) {
    const allowed = ctx.access.check(interaction, 'watch');
    if (!allowed.allowed) return replyError(interaction, allowed.reason);
    const id = interaction.options.getInteger('id', true);
    if (!ctx.alerts.removeWatch(id))
      return replyError(interaction, `There is no watch #${id}. /ha watch list shows them.`);
    ctx.log.info({ watchId: id, userId: interaction.user.id }, 'watch removed');
    await interaction.reply({ content: `Watch #${id} removed.` });
  },
  async autocomplete(interaction, ctx) {
    const typed = String(interaction.options.getFocused()).toLowerCase();
    await interaction.respond(
      ctx.alerts
        .watches()
        .filter((w) => `${w.id} ${w.rule.name}`.toLowerCase().includes(typed))
        .slice(0, 25)
        .map((w) => ({ name: plain(`#${w.id} ${w.rule.name}`, 100), value: w.id })),
    );
  },
};
