import { parseDuration, type DurationOptions } from '../time/duration.js';
import { entityTarget, ruleTarget } from '../alerts/mutes.js';
import { truncate } from '../entities/text.js';
import { code, plain, safe } from '../discord/format.js';
import { requiredText, text } from './options.js';
import { refuse } from './reply.js';
import type { AutocompleteInput, CommandContext, CommandSpec } from './types.js';

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

export const muteCommand: CommandSpec = {
  name: 'mute',
  description: 'Silence alerts of a rule or an entity for a while',
  options: [
    {
      type: 'string',
      name: 'target',
      description: 'Rule name, entity id or pattern',
      required: true,
      maxLength: 200,
      autocomplete: true,
    },
    {
      type: 'string',
      name: 'for',
      description: 'How long: 30m, 1h30m, 1d, 00:45:00 (default 1h)',
      maxLength: 20,
    },
  ],
  action: 'watch',
  plan({ caller, options }, _, __, ctx) {
    const target = targetOf(requiredText(options, 'target'), ctx);
    const length = text(options, 'for') ?? '1h';
    const parsed = parseDuration(length, MUTE_LENGTH);
    if (!parsed.ok) return refuse(`${code(length, 30)} ${parsed.problem}.`);
    const until = Date.now() + parsed.ms;
    ctx.alerts.mute(target, until, caller.userId);
    ctx.log.info({ target, until, userId: caller.userId }, 'muted');
    return {
      kind: 'show',
      message: { content: `Muted ${code(target, 150)} until <t:${Math.floor(until / 1000)}:f>.` },
    };
  },
  /** "Mute 1 h" under an alert. */
  button([entityId, length], { caller }, ctx) {
    const allowed = ctx.access.check(caller, 'watch');
    const parsed = parseDuration(length ?? '1h', MUTE_LENGTH);
    if (!allowed.allowed || !entityId || !parsed.ok)
      return refuse(allowed.allowed ? 'That button is no longer in use.' : allowed.reason);
    const target = entityTarget(entityId);
    const until = Date.now() + parsed.ms;
    ctx.alerts.mute(target, until, caller.userId);
    ctx.log.info({ target, until, userId: caller.userId }, 'muted from an alert');
    return {
      kind: 'show',
      message: {
        content: `${code(entityId, 100)} muted until <t:${Math.floor(until / 1000)}:f> by ${safe(caller.userName, 50)}. \`/ha unmute\` ends it sooner.`,
      },
    };
  },
  autocomplete({ focused }: AutocompleteInput, ctx: CommandContext) {
    const typed = focused.value.toLowerCase();
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
    return [...rules, ...entities]
      .filter((c) => c.name.toLowerCase().includes(typed) || c.value.includes(typed))
      .slice(0, 25);
  },
};

export const unmuteCommand: CommandSpec = {
  name: 'unmute',
  description: 'End a mute',
  options: [
    {
      type: 'string',
      name: 'target',
      description: 'The muted rule or entity',
      required: true,
      maxLength: 200,
      autocomplete: true,
    },
  ],
  action: 'watch',
  plan({ options }, _, __, ctx) {
    const target = targetOf(requiredText(options, 'target'), ctx);
    if (!ctx.alerts.unmute(target)) return refuse(`${code(target, 150)} is not muted.`);
    return { kind: 'show', message: { content: `Unmuted ${code(target, 150)}.` } };
  },
  autocomplete({ focused }, ctx) {
    const typed = focused.value.toLowerCase();
    return ctx.alerts
      .mutes()
      .filter((m) => m.target.includes(typed))
      .slice(0, 25)
      .map((m) => ({ name: plain(m.target, 100), value: truncate(m.target, 100) }));
  },
};
