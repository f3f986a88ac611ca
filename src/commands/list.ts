import { EmbedBuilder, MessageFlags, type Interaction } from 'discord.js';
import { buttonId, buttonRow } from '../discord/components.js';
import { entityLine, joinWithin, LIMITS, safe } from '../discord/format.js';
import { WorkBudget } from '../entities/bounds.js';
import type { CatalogEntry } from '../entities/catalog.js';
import { describeGroup, groupTypeTitle, type GroupType } from '../entities/groups.js';
import { searchIndexOf } from '../entities/search-index.js';
import { fold, truncate } from '../entities/text.js';
import type { CommandContext, Subcommand } from './types.js';

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
function listed(filter: Filter, interaction: Interaction, ctx: CommandContext): CatalogEntry[] {
  const visible = ctx.access.filter(interaction, 'read');
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
function page(filter: Filter, wanted: number, interaction: Interaction, ctx: CommandContext) {
  const entries = listed(filter, interaction, ctx);
  const pages = Math.max(1, Math.ceil(entries.length / PAGE_SIZE));
  const index = Math.min(Math.max(wanted, 0), pages - 1);
  const shown = entries.slice(index * PAGE_SIZE, (index + 1) * PAGE_SIZE);
  const what = `${filter.domain || 'Entities'}${where(filter, ctx)}`;
  const lines = shown.map((e) => {
    const line = entityLine(e, ctx.catalog.state(e.entityId));
    return filter.areaId === '' && e.areaName ? `${line} · ${safe(e.areaName, 40)}` : line;
  });
  const embed = new EmbedBuilder()
    .setTitle(safe(`${what} (${entries.length})`, LIMITS.title))
    .setColor(0x3498db)
    .setDescription(
      lines.length > 0 ? joinWithin(lines, LIMITS.description) : 'Nothing to show here.',
    );
  if (pages > 1) embed.setFooter({ text: `Page ${index + 1} of ${pages}` });
  const at = (n: number) =>
    buttonId('list', String(n), filter.domain, filter.areaId, filter.floorId, filter.labelId);
  const components =
    pages > 1
      ? buttonRow([
          ...(index > 0 ? [{ id: at(index - 1), label: '◀ Previous' }] : []),
          ...(index < pages - 1 ? [{ id: at(index + 1), label: 'Next ▶' }] : []),
        ])
      : [];
  return { embeds: [embed.toJSON()], components };
}

/** `/ha list [domain] [area] [floor] [label]`: the entities with their states, paged with buttons. */
export const listCommand: Subcommand = {
  name: 'list',
  build: (sub) =>
    sub
      .setName('list')
      .setDescription('List entities and their states, by domain, area, floor or label')
      .addStringOption((o) =>
        o
          .setName('domain')
          .setDescription('e.g. light, sensor, binary_sensor')
          .setMaxLength(40)
          .setAutocomplete(true),
      )
      .addStringOption((o) =>
        o
          .setName('area')
          .setDescription('An area, e.g. Kitchen')
          .setMaxLength(100)
          .setAutocomplete(true),
      )
      .addStringOption((o) =>
        o
          .setName('floor')
          .setDescription('A floor, e.g. Upstairs (Home Assistant 2024.4 and later)')
          .setMaxLength(100)
          .setAutocomplete(true),
      )
      .addStringOption((o) =>
        o
          .setName('label')
          .setDescription('A label, e.g. Christmas lights (Home Assistant 2024.4 and later)')
          .setMaxLength(100)
          .setAutocomplete(true),
      ),

  async execute(interaction, ctx) {
    const domain = (interaction.options.getString('domain') ?? '').trim().toLowerCase();
    const ids: Record<GroupType, string> = { area: '', floor: '', label: '' };
    for (const type of GROUP_OPTIONS) {
      const typed = interaction.options.getString(type)?.trim() ?? '';
      if (typed === '') continue;
      const groups = ctx.catalog.groups();
      const group =
        groups.get(type, typed) ?? groups.exact(fold(typed)).find((g) => g.type === type);
      if (group === undefined) {
        const names = groups
          .ofType(type)
          .slice(0, 50)
          .map((g) => safe(g.name, 40));
        await interaction.reply({
          content: `No ${type} matches '${safe(typed, 100)}'. ${groupTypeTitle(type)}s: ${
            names.join(', ') || 'none'
          }.`.slice(0, LIMITS.content),
          flags: MessageFlags.Ephemeral,
        });
        return;
      }
      ids[type] = group.id;
    }
    const filter = { domain, areaId: ids.area, floorId: ids.floor, labelId: ids.label };
    await interaction.reply(page(filter, 0, interaction, ctx));
  },

  async button(interaction, [n, domain = '', areaId = '', floorId = '', labelId = ''], ctx) {
    const filter = { domain, areaId, floorId, labelId };
    await interaction.update(page(filter, Number(n) || 0, interaction, ctx));
  },

  async autocomplete(interaction, ctx) {
    const focused = interaction.options.getFocused(true);
    const typed = fold(String(focused.value));
    const visible = ctx.access.filter(interaction, 'read');
    if (focused.name === 'domain') {
      const domains = [
        ...new Set(
          ctx.catalog
            .list()
            .filter(visible)
            .map((e) => e.domain),
        ),
      ];
      await interaction.respond(
        domains
          .filter((d) => d.includes(typed))
          .sort()
          .slice(0, 25)
          .map((d) => ({ name: d, value: d })),
      );
      return;
    }
    const type = GROUP_OPTIONS.find((t) => t === focused.name);
    if (type === undefined) return interaction.respond([]);
    const groups = ctx.catalog.groups();
    const found =
      typed === ''
        ? groups.ofType(type).slice(0, 25)
        : groups.matching(typed, 25, new WorkBudget(), [type]);
    await interaction.respond(
      found
        .filter((g) => g.id.length <= 100)
        .map((g) => ({ name: truncate(g.name, 100), value: g.id })),
    );
  },
};
