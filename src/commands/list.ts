import { EmbedBuilder, MessageFlags, type Interaction } from 'discord.js';
import { buttonId, buttonRow } from '../discord/components.js';
import { entityLine, joinWithin, LIMITS, safe } from '../discord/format.js';
import type { CatalogEntry } from '../entities/catalog.js';
import { fold, truncate } from '../entities/text.js';
import type { CommandContext, Subcommand } from './types.js';

export const PAGE_SIZE = 20;

interface Filter {
  domain: string;
  /** An area id, matched against the area's id. */
  areaId: string;
}

/** The entities a person may see, for a domain and area (empty: any), in area then name order. */
function listed(filter: Filter, interaction: Interaction, ctx: CommandContext): CatalogEntry[] {
  const visible = ctx.access.filter(interaction, 'read');
  return ctx.catalog
    .list()
    .filter(
      (e) =>
        !e.hidden &&
        (filter.domain === '' || e.domain === filter.domain) &&
        (filter.areaId === '' || e.areaId === filter.areaId) &&
        visible(e),
    )
    .sort(
      (a, b) =>
        (a.areaName ?? '~').localeCompare(b.areaName ?? '~') || a.name.localeCompare(b.name),
    );
}

/** One page of the list as a message: an embed, and Previous/Next when there is more. */
function page(filter: Filter, wanted: number, interaction: Interaction, ctx: CommandContext) {
  const entries = listed(filter, interaction, ctx);
  const pages = Math.max(1, Math.ceil(entries.length / PAGE_SIZE));
  const index = Math.min(Math.max(wanted, 0), pages - 1);
  const shown = entries.slice(index * PAGE_SIZE, (index + 1) * PAGE_SIZE);
  const area = ctx.catalog.areas().find((a) => a.area.areaId === filter.areaId)?.area.name;
  const what = `${filter.domain || 'Entities'}${area ? ` in ${area}` : ''}`;
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
  const at = (n: number) => buttonId('list', String(n), filter.domain, filter.areaId);
  const components =
    pages > 1
      ? buttonRow([
          ...(index > 0 ? [{ id: at(index - 1), label: '◀ Previous' }] : []),
          ...(index < pages - 1 ? [{ id: at(index + 1), label: 'Next ▶' }] : []),
        ])
      : [];
  return { embeds: [embed.toJSON()], components };
}

/** `/ha list [domain] [area]`: the entities with their states, paged with buttons. */
export const listCommand: Subcommand = {
  name: 'list',
  build: (sub) =>
    sub
      .setName('list')
      .setDescription('List entities and their states, by domain or area')
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
      ),

  async execute(interaction, ctx) {
    const domain = (interaction.options.getString('domain') ?? '').trim().toLowerCase();
    const areaTyped = interaction.options.getString('area')?.trim() ?? '';
    let areaId = '';
    if (areaTyped !== '') {
      const folded = fold(areaTyped);
      const area = ctx.catalog
        .areas()
        .find((a) => a.area.areaId === areaTyped || a.folded.includes(folded));
      if (area === undefined) {
        await interaction.reply({
          content: `No area matches '${safe(areaTyped, 100)}'. Areas: ${
            ctx.catalog
              .areas()
              .map((a) => safe(a.area.name, 40))
              .join(', ') || 'none'
          }.`.slice(0, LIMITS.content),
          flags: MessageFlags.Ephemeral,
        });
        return;
      }
      areaId = area.area.areaId;
    }
    await interaction.reply(page({ domain, areaId }, 0, interaction, ctx));
  },

  async button(interaction, [n, domain = '', areaId = ''], ctx) {
    await interaction.update(page({ domain, areaId }, Number(n) || 0, interaction, ctx));
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
    await interaction.respond(
      ctx.catalog
        .areas()
        .filter((a) => a.folded.some((f) => f.includes(typed)))
        .slice(0, 25)
        .map((a) => ({ name: truncate(a.area.name, 100), value: a.area.areaId.slice(0, 100) })),
    );
  },
};
