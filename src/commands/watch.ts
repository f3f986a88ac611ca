import { RuleSchema, type Rule } from '../alerts/rule-schema.js';
import { describeGroup } from '../entities/groups.js';
import { resolveTarget } from '../entities/resolver.js';
import { truncate } from '../entities/text.js';
import { joinWithin, LIMITS, plain, safe } from '../discord/format.js';
import { entityChoices } from './entity-option.js';
import { num, requiredNumber, requiredText, text } from './options.js';
import { resolutionProblem } from './replies.js';
import { refuse } from './reply.js';
import type { CommandContext, CommandSpec } from './types.js';

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

export const watchAddCommand: CommandSpec = {
  group: 'watch',
  name: 'add',
  description: 'Alert when an entity (or a pattern such as binary_sensor.*_door) changes',
  options: [
    {
      type: 'string',
      name: 'target',
      description: 'Entity, area, floor, label or pattern',
      required: true,
      maxLength: 200,
      autocomplete: true,
    },
    { type: 'number', name: 'above', description: 'Alert when the value rises above this' },
    { type: 'number', name: 'below', description: 'Alert when the value falls below this' },
    {
      type: 'string',
      name: 'to',
      description: 'Alert only on changes to this state, e.g. on',
      maxLength: 100,
    },
    { type: 'channel', name: 'channel', description: 'Where to post (default: the alert channel)' },
  ],
  action: 'watch',

  plan({ caller, options }, _, __, ctx) {
    const typed = requiredText(options, 'target');
    const picked = selection(typed, ctx);
    if (typeof picked === 'string') return refuse(picked);
    const above = num(options, 'above') ?? undefined;
    const below = num(options, 'below') ?? undefined;
    const to = text(options, 'to')?.trim() || undefined;
    const channel = text(options, 'channel') ?? undefined;
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
      return refuse(
        `That watch is not valid: ${safe(parsed.error.issues[0]?.message ?? 'invalid', 300)}`,
      );
    if (ctx.alerts.rules().some((r) => r.name === parsed.data.name))
      return refuse(`A watch like that exists already: ${safe(parsed.data.name, 100)}.`);
    const watch = ctx.alerts.addWatch(parsed.data, caller.userId, caller.guildId);
    ctx.log.info(
      { watchId: watch.id, rule: watch.rule.name, userId: caller.userId },
      'watch added',
    );
    const where = channel ? ` in <#${channel}>` : '';
    return {
      kind: 'show',
      message: {
        content: `Watching ${picked.label}${conditions.length ? ` (${safe(conditions.join(', '), 300)})` : ''}${where}. Watch #${watch.id}.`,
      },
    };
  },

  autocomplete: (input, ctx) => entityChoices(input, ctx, 'watch'),
};

export const watchListCommand: CommandSpec = {
  group: 'watch',
  name: 'list',
  description: 'List the alert watches and rules',
  plan(_, __, ___, ctx) {
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
    return {
      kind: 'show',
      message: {
        content: all.length
          ? joinWithin(all, LIMITS.content)
          : 'No watches or rules yet. Add one with /ha watch add.',
        private: true,
      },
    };
  },
};

export const watchRemoveCommand: CommandSpec = {
  group: 'watch',
  name: 'remove',
  description: 'Remove a watch added from Discord',
  options: [
    {
      type: 'integer',
      name: 'id',
      description: 'The watch number',
      required: true,
      minValue: 1,
      autocomplete: true,
    },
  ],
  action: 'watch',
  plan({ caller, options }, _, __, ctx) {
    const id = requiredNumber(options, 'id');
    if (!ctx.alerts.removeWatch(id))
      return refuse(`There is no watch #${id}. /ha watch list shows them.`);
    ctx.log.info({ watchId: id, userId: caller.userId }, 'watch removed');
    return { kind: 'show', message: { content: `Watch #${id} removed.` } };
  },
  autocomplete({ focused }, ctx) {
    const typed = focused.value.toLowerCase();
    return ctx.alerts
      .watches()
      .filter((w) => `${w.id} ${w.rule.name}`.toLowerCase().includes(typed))
      .slice(0, 25)
      .map((w) => ({ name: plain(`#${w.id} ${w.rule.name}`, 100), value: w.id }));
  },
};
