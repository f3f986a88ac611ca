import type { CatalogEntry } from '../entities/catalog.js';
import { truncate } from '../entities/text.js';
import { safe } from '../discord/format.js';
import { toHaError } from '../ha/errors.js';
import { matchServices, type ServiceInfo } from '../ha/services.js';
import { act } from './act.js';
import { entityChoices } from './entity-option.js';
import { requiredText, text } from './options.js';
import { describeHaError } from './replies.js';
import type { CommandContext, CommandSpec, Refusal } from './types.js';

const SERVICE_ID = /^([a-z0-9_]+)\.([a-z0-9_]+)$/;
/** Keys that pick what a call acts on: they belong in `target`, where the policy sees them. */
const TARGET_KEYS = ['entity_id', 'device_id', 'area_id', 'floor_id', 'label_id'];
const MAX_DATA = 4000;

/** "brightness_pct (e.g. 50), color_name": what a service takes, for hints. */
export function fieldHint(info: ServiceInfo): string {
  if (info.fields.length === 0) return `${info.id} takes no data.`;
  const fields = info.fields.slice(0, 15).map((f) => {
    const example = f.example === undefined ? '' : ` e.g. ${JSON.stringify(f.example)}`;
    return `\`${f.key}\`${f.required ? ' (required)' : ''}${truncate(example, 40)}`;
  });
  const more = info.fields.length > 15 ? `, and ${info.fields.length - 15} more` : '';
  return `Fields of ${info.id}: ${fields.join(', ')}${more}.`;
}

export type ParsedData =
  { ok: true; data?: Record<string, unknown> } | { ok: false; problem: string };

/** The `data` option: a JSON object with no target keys, or what is wrong with it. */
export function parseData(text: string | null, info: ServiceInfo): ParsedData {
  if (text === null || text.trim() === '') {
    const missing = info.fields.filter((f) => f.required).map((f) => `\`${f.key}\``);
    return missing.length > 0
      ? { ok: false, problem: `${info.id} needs ${missing.join(', ')} in data. ${fieldHint(info)}` }
      : { ok: true };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return {
      ok: false,
      problem: `data is not valid JSON (${safe((error as Error).message, 150)}). Write an object such as {"brightness_pct": 50}. ${fieldHint(info)}`,
    };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, problem: `data must be a JSON object such as {"brightness_pct": 50}.` };
  }
  const data = value as Record<string, unknown>;
  const targetKey = TARGET_KEYS.find((k) => k in data);
  if (targetKey)
    return {
      ok: false,
      problem: `Put what to act on in the target option, not \`${targetKey}\` in data: the bot checks who may act on what from the target.`,
    };
  const missing = info.fields
    .filter((f) => f.required && !(f.key in data))
    .map((f) => `\`${f.key}\``);
  if (missing.length > 0)
    return { ok: false, problem: `${info.id} needs ${missing.join(', ')}. ${fieldHint(info)}` };
  return { ok: true, data };
}

/** For a typo: the services of the same domain sharing the longest start with the name typed. */
function closestServices(list: readonly ServiceInfo[], id: string): ServiceInfo[] {
  const [domain = '', service = ''] = id.split('.');
  const shared = (a: string) => {
    let n = 0;
    while (n < a.length && n < service.length && a[n] === service[n]) n++;
    return n;
  };
  const sameDomain = list.filter((s) => s.domain === domain);
  const pool = sameDomain.length > 0 ? sameDomain : matchServices(list, service.slice(0, 4), 50);
  return [...pool]
    .sort((a, b) => shared(b.service) - shared(a.service) || a.id.localeCompare(b.id))
    .slice(0, 5);
}

const fitsTarget = (info: ServiceInfo | undefined) => (e: CatalogEntry) =>
  info?.target !== undefined &&
  (info.target.domains.length === 0 || info.target.domains.includes(e.domain));

async function serviceInfo(ctx: CommandContext, id: string): Promise<ServiceInfo | undefined> {
  try {
    return await ctx.services.get(id);
  } catch {
    return undefined;
  }
}

/** What `/ha call` was asked: the service and its data, checked against HA's description. */
interface CallAsked {
  info: ServiceInfo;
  data?: Record<string, unknown>;
}

/** `/ha call service: target: data:`: any HA service, through the same checks as toggle. */
export const callCommand: CommandSpec<CallAsked> = {
  name: 'call',
  description: 'Call any Home Assistant service, e.g. light.turn_on',
  options: [
    {
      type: 'string',
      name: 'service',
      description: 'domain.service, e.g. light.turn_on',
      required: true,
      maxLength: 100,
      autocomplete: true,
    },
    {
      type: 'string',
      name: 'target',
      description: 'Entity id, name or area to act on',
      maxLength: 200,
      autocomplete: true,
    },
    {
      type: 'string',
      name: 'data',
      description: 'Service data as JSON, e.g. {"brightness_pct": 50}',
      maxLength: MAX_DATA,
    },
  ],
  needs: 'ha',

  async prepare({ options }, ctx): Promise<CallAsked | Refusal> {
    const id = requiredText(options, 'service').trim();
    if (!SERVICE_ID.test(id))
      return {
        refused: `Write the service as domain.service, e.g. light.turn_on (not '${safe(id, 100)}').`,
      };
    let info: ServiceInfo | undefined;
    try {
      info = await ctx.services.get(id);
    } catch (error) {
      return { refused: describeHaError(toHaError(error)) };
    }
    if (info === undefined) {
      const close = closestServices(await ctx.services.list(), id);
      return {
        refused: `Home Assistant has no service ${safe(id, 100)}.${close.length > 0 ? ` Closest: ${close.map((s) => s.id).join(', ')}.` : ''}`,
      };
    }
    const parsed = parseData(text(options, 'data'), info);
    if (!parsed.ok) return { refused: parsed.problem };
    const typed = text(options, 'target');
    if (typed && info.target === undefined)
      return { refused: `${info.id} takes no target: leave the target option out.` };
    if (!typed && info.target !== undefined)
      return { refused: `${info.id} acts on entities: say which in the target option.` };
    return { info, ...(parsed.data ? { data: parsed.data } : {}) };
  },

  target: {
    option: 'target',
    optional: true,
    action: 'call',
    accept: (entry, { info }) => fitsTarget(info)(entry),
    verb: ({ info }) => `used with ${info.id}`,
    groups: 'every',
    menu: false,
    nothing: 'Nothing to do.',
    gone: (entityId) => `${safe(entityId, 100)} cannot be used any more.`,
  },

  plan({ caller }, targets, { info, data }, ctx) {
    const entries =
      targets.kind === 'entity' ? [targets.entry] : targets.kind === 'group' ? targets.entries : [];
    const what =
      targets.kind === 'entity'
        ? targets.entry.name
        : targets.kind === 'group'
          ? `${targets.entries.length} in ${targets.name}`
          : '';
    const on = what ? ` on ${what}` : '';
    return act(
      {
        command: 'call',
        policyAction: 'call',
        calls: [
          {
            domain: info.domain,
            service: info.service,
            entries,
            ...(data ? { data } : {}),
            returnResponse: info.response !== 'none',
          },
        ],
        title: `Called ${info.id}${on}`,
        question: `Call ${info.id}${on}`,
        past: `Called ${info.id}`,
      },
      caller,
      ctx,
    );
  },

  async autocomplete(input, ctx) {
    const { focused, options } = input;
    if (focused.name === 'target') {
      const info = await serviceInfo(ctx, text(options, 'service') ?? '');
      return entityChoices(input, ctx, 'call', fitsTarget(info));
    }
    if (focused.name !== 'service') return [];
    let list: readonly ServiceInfo[] = [];
    try {
      list = await ctx.services.list();
    } catch {
      // HA unreachable: no suggestions rather than an error in the middle of typing.
    }
    return matchServices(
      list.filter((s) => s.id.length <= 100),
      focused.value.slice(0, 100),
      25,
    ).map((s) => ({ name: truncate(`${s.id} · ${s.name}`, 100), value: s.id }));
  },
};
