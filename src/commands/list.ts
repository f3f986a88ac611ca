import { button } from '../discord/custom-id.js';
import { entityLine, joinWithin, LIMITS, safe } from '../discord/format.js';
import { WorkBudget } from '../entities/bounds.js';
import type { CatalogEntry } from '../entities/catalog.js';
import { describeGroup, groupTypeTitle, type GroupType } from '../entities/groups.js';
import { searchIndexOf } from '../entities/search-index.js';
import { fold, truncate } from '../entities/text.js';
import { text } from './options.js';
import { refuse, type Reply } from './reply.js';
import type { Caller, CommandContext, CommandSpec } from './types.js';

export const PAGE_SIZE = 20;

interface Filter {
  domain: string;
  /** Area, floor and label ids ('': any). */
  areaId: string;
  floorId: string;
  labelId: string;
}

const GROUP_OPTIONS = ['area', 'floor', 'label'] as const satisfies readonly GroupType[];

/**
 * The entities a person may see, for a domain, area, floor and label (empty: any), in area
 * then name order. Starts from the narrowest group's entities in the search index.
 */
function listed(filter: Filter, caller: Caller, ctx: CommandContext): CatalogEntry[] {
  const visible = ctx.access.filter(caller, 'read');
  const all = ctx.catalog.list();
  const index = searchIndexOf(all);
  const from = filter.labelId
    ? index.inGroup({ type: 'label', id: filter.labelId })
    : filter.floorId
      ? index.inGroup({ type: 'floor', id: filter.floorId })
      : filter.areaId
        ? index.inArea(filter.areaId)
        : all;
  return from
    .filter(
      (e) =>
        !e.hidden &&
        (filter.domain === '' || e.domain === filter.domain) &&
        (filter.areaId === '' || e.areaId === filter.areaId) &&
        (filter.floorId === '' || e.floorId === filter.floorId) &&
        (filter.labelId === '' || e.labelIds.includes(filter.labelId)) &&
        visible(e),
    )
    .sort(
      (a, b) =>
        (a.areaName ?? '~').localeCompare(b.areaName ?? '~') || a.name.localeCompare(b.name),
    );
}

/** "in Kitchen", "in floor Upstairs, label Christmas": what the list is of. */
function where(filter: Filter, ctx: CommandContext): string {
  const groups = ctx.catalog.groups();
  const area = groups.get('area', filter.areaId)?.name;
  const named = [
    ...(area ? [area] : []),
    ...(['floor', 'label'] as const).flatMap((type) => {
      const group = groups.get(type, type === 'floor' ? filter.floorId : filter.labelId);
      return group ? [describeGroup(group)] : [];
    }),
  ];
  return named.length > 0 ? ` in ${named.join(', ')}` : '';
}

/** One page of the list as a message: an embed, and Previous/Next when there is more. */
export function page(filter: Filter, wanted: number, caller: Caller, ctx: CommandContext) {
  const entries = listed(filter, caller, ctx);
  const pages = Math.max(1, Math.ceil(entries.length / PAGE_SIZE));
  const index = Math.min(Math.max(wanted, 0), pages - 1);
  const shown = entries.slice(index * PAGE_SIZE, (index + 1) * PAGE_SIZE);
  const what = `${filter.domain || 'Entities'}${where(filter, ctx)}`;
  const lines = shown.map((e) => {
    const line = entityLine(e, ctx.catalog.state(e.entityId));
    return filter.areaId === '' && e.areaName ? `${line} · ${safe(e.areaName, 40)}` : line;
  });
  const at = (n: number) =>
    button('list', String(n), filter.domain, filter.areaId, filter.floorId, filter.labelId);
  return {
    embeds: [
      {
        title: safe(`${what} (${entries.length})`, LIMITS.title),
        color: 0x3498db,
        description:
          lines.length > 0 ? joinWithin(lines, LIMITS.description) : 'Nothing to show here.',
        ...(pages > 1 ? { footer: { text: `Page ${index + 1} of ${pages}` } } : {}),
      },
    ],
    buttons:
      pages > 1
        ? [
            ...(index > 0 ? [{ id: at(index - 1), label: '◀ Previous' }] : []),
            ...(index < pages - 1 ? [{ id: at(index + 1), label: 'Next ▶' }] : []),
          ]
        : [],
  };
}

/** `/ha list [domain] [area] [floor] [label]`: the entities with their states, paged with buttons. */
export const listCommand: CommandSpec = {
  name: 'list',
  description: 'List entities and their states, by domain, area, floor or label',
  options: [
    {
      type: 'string',
      name: 'domain',
      description: 'e.g. light, sensor, binary_sensor',
      maxLength: 40,
      autocomplete: true,
    },
    {
      type: 'string',
      name: 'area',
      description: 'An area, e.g. Kitchen',
      maxLength: 100,
      autocomplete: true,
    },
    {
      type: 'string',
      name: 'floor',
      description: 'A floor, e.g. Upstairs (Home Assistant 2024.4 and later)',
      maxLength: 100,
      autocomplete: true,
    },
    {
      type: 'string',
      name: 'label',
      description: 'A label, e.g. Christmas lights (Home Assistant 2024.4 and later)',
      maxLength: 100,
      autocomplete: true,
    },
  ],

  plan({ caller, options }, _, __, ctx): Reply {
    const domain = (text(options, 'domain') ?? '').trim().toLowerCase();
    const ids: Record<GroupType, string> = { area: '', floor: '', label: '' };
    for (const type of GROUP_OPTIONS) {
      const typed = text(options, type)?.trim() ?? '';
      if (typed === '') continue;
      const groups = ctx.catalog.groups();
      const group =
        groups.get(type, typed) ?? groups.exact(fold(typed)).find((g) => g.type === type);
      if (group === undefined) {
        const names = groups
          .ofType(type)
          .slice(0, 50)
          .map((g) => safe(g.name, 40));
        return refuse(
          `No ${type} matches '${safe(typed, 100)}'. ${groupTypeTitle(type)}s: ${
            names.join(', ') || 'none'
          }.`.slice(0, LIMITS.content),
        );
      }
      ids[type] = group.id;
    }
    const filter = { domain, areaId: ids.area, floorId: ids.floor, labelId: ids.label };
    return { kind: 'show', message: page(filter, 0, caller, ctx) };
  },

  button([n, domain = '', areaId = '', floorId = '', labelId = ''], { caller }, ctx) {
    const filter = { domain, areaId, floorId, labelId };
    return { kind: 'replace', message: page(filter, Number(n) || 0, caller, ctx) };
  },

  autocomplete({ caller, focused }, ctx) {
    const typed = fold(focused.value);
    const visible = ctx.access.filter(caller, 'read');
    if (focused.name === 'domain') {
      const domains = [
        ...new Set(
          ctx.catalog
            .list()
            .filter(visible)
            .map((e) => e.domain),
        ),
      ];
      return domains
        .filter((d) => d.includes(typed))
        .sort()
        .slice(0, 25)
        .map((d) => ({ name: d, value: d }));
    }
    const type = GROUP_OPTIONS.find((t) => t === focused.name);
    if (type === undefined) return [];
    const groups = ctx.catalog.groups();
    const found =
      typed === ''
        ? groups.ofType(type).slice(0, 25)
        : groups.matching(typed, 25, new WorkBudget(), [type]);
    return found
      .filter((g) => g.id.length <= 100)
      .map((g) => ({ name: truncate(g.name, 100), value: g.id }));
  },
};
