import type { CatalogEntry } from '../entities/catalog.js';
import { resolveTarget } from '../entities/resolver.js';
import { truncate } from '../entities/text.js';
import { safe } from '../discord/format.js';
import { toHaError } from '../ha/errors.js';
import { matchServices, type ServiceInfo } from '../ha/services.js';
import { act } from './act.js';
import { respondWithEntities } from './entity-option.js';
import {
  ambiguityText,
  describeHaError,
  replyError,
  resolutionProblem,
  unavailableText,
} from './replies.js';
import type { CommandContext, Subcommand } from './types.js';

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

/** `/ha call service: target: data:`: any HA service, through the same checks as toggle. */
export const callCommand: Subcommand = {
  name: 'call',
  build: (sub) =>
    sub
      .setName('call')
      .setDescription('Call any Home Assistant service, e.g. light.turn_on')
      .addStringOption((o) =>
        o
          .setName('service')
          .setDescription('domain.service, e.g. light.turn_on')
          .setRequired(true)
          .setMaxLength(100)
          .setAutocomplete(true),
      )
      .addStringOption((o) =>
        o
          .setName('target')
          .setDescription('Entity id, name or area to act on')
          .setMaxLength(200)
          .setAutocomplete(true),
      )
      .addStringOption((o) =>
        o
          .setName('data')
          .setDescription('Service data as JSON, e.g. {"brightness_pct": 50}')
          .setMaxLength(MAX_DATA),
      ),

  async execute(interaction, ctx) {
    const down = unavailableText(ctx.ha.status);
    if (down) return replyError(interaction, down);
    const id = interaction.options.getString('service', true).trim();
    if (!SERVICE_ID.test(id))
      return replyError(
        interaction,
        `Write the service as domain.service, e.g. light.turn_on (not '${safe(id, 100)}').`,
      );
    let info: ServiceInfo | undefined;
    try {
      info = await ctx.services.get(id);
    } catch (error) {
      return replyError(interaction, describeHaError(toHaError(error)));
    }
    if (info === undefined) {
      const close = closestServices(await ctx.services.list(), id);
      return replyError(
        interaction,
        `Home Assistant has no service ${safe(id, 100)}.${close.length > 0 ? ` Closest: ${close.map((s) => s.id).join(', ')}.` : ''}`,
      );
    }
    const parsed = parseData(interaction.options.getString('data'), info);
    if (!parsed.ok) return replyError(interaction, parsed.problem);

    const typed = interaction.options.getString('target');
    let entries: CatalogEntry[] = [];
    let what = '';
    if (typed) {
      if (info.target === undefined)
        return replyError(interaction, `${info.id} takes no target: leave the target option out.`);
      const r = resolveTarget(ctx.catalog, typed, { accept: fitsTarget(info) });
      if (r.kind === 'entity') {
        entries = [r.entry];
        what = r.entry.name;
      } else if (r.kind === 'group') {
        entries = r.entries;
        what = `${r.entries.length} in ${r.group.name}`;
      } else if (r.kind === 'ambiguous') {
        return replyError(interaction, ambiguityText(typed, r.candidates));
      } else {
        return replyError(
          interaction,
          resolutionProblem(typed, r, `used with ${info.id}`) ?? 'Nothing to do.',
        );
      }
    } else if (info.target !== undefined) {
      return replyError(
        interaction,
        `${info.id} acts on entities: say which in the target option.`,
      );
    }
    const refused = (entries.length > 0 ? entries : [undefined])
      .map((e) => ctx.access.check(interaction, 'call', e))
      .find((d) => !d.allowed);
    if (refused && !refused.allowed) return replyError(interaction, refused.reason);

    const on = what ? ` on ${what}` : '';
    await act(
      {
        command: 'call',
        policyAction: 'call',
        calls: [
          {
            domain: info.domain,
            service: info.service,
            entries,
            ...(parsed.data ? { data: parsed.data } : {}),
            returnResponse: info.response !== 'none',
          },
        ],
        title: `Called ${info.id}${on}`,
        question: `Call ${info.id}${on}`,
        past: `Called ${info.id}`,
      },
      interaction,
      ctx,
    );
  },

  async autocomplete(interaction, ctx) {
    const focused = interaction.options.getFocused(true);
    if (focused.name === 'target') {
      const info = await serviceInfo(ctx, interaction.options.getString('service') ?? '');
      return respondWithEntities(interaction, ctx, 'call', fitsTarget(info));
    }
    if (focused.name !== 'service') return interaction.respond([]);
    let list: readonly ServiceInfo[] = [];
    try {
      list = await ctx.services.list();
    } catch {
      // HA unreachable: no suggestions rather than an error in the middle of typing.
    }
    await interaction.respond(
      matchServices(
        list.filter((s) => s.id.length <= 100),
        String(focused.value).slice(0, 100),
        25,
      ).map((s) => ({
        name: truncate(`${s.id} · ${s.name}`, 100),
        value: s.id,
      })),
    );
  },
};
