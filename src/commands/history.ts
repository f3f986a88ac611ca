import {
  AttachmentBuilder,
  EmbedBuilder,
  type InteractionEditReplyOptions,
  type StringSelectMenuInteraction,
} from 'discord.js';
import type { ChartEntity } from '../charts/load.js';
import { MAX_CHART_ENTITIES } from '../charts/load.js';
import { parseDuration, type DurationOptions } from '../config/duration.js';
import { code, LIMITS, plain, safe } from '../discord/format.js';
import type { CatalogEntry } from '../entities/catalog.js';
import { resolveTarget } from '../entities/resolver.js';
import { toHaError } from '../ha/errors.js';
import { respondWithEntities } from './entity-option.js';
import {
  ambiguityReply,
  describeHaError,
  nothingLoadedText,
  replyError,
  resolutionProblem,
} from './replies.js';
import { slashResponder } from './responder.js';
import type { CommandContext, Subcommand } from './types.js';

const DAY = 86_400_000;
export const DEFAULT_PERIOD = '24h';
/** The periods a chart may cover: a minute to a year (HA's statistics go back that far). */
export const PERIOD: DurationOptions = {
  objectForm: false,
  allowZero: false,
  max: { ms: 365 * DAY, text: '365 days' },
};
const MIN_PERIOD_MS = 60_000;

/** A period as people write it back: `24 h`, `7 d`, `90 min`. */
export function periodText(ms: number): string {
  if (ms % DAY === 0 && ms > 2 * DAY) return `${ms / DAY} d`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  return `${Math.round(ms / 60_000)} min`;
}

/** The `period` option in ms, or what is wrong with it in words. */
export function readPeriod(
  text: string | null,
): { ok: true; ms: number } | { ok: false; problem: string } {
  const parsed = parseDuration(text ?? DEFAULT_PERIOD, PERIOD);
  if (!parsed.ok) return { ok: false, problem: `The period ${parsed.problem}.` };
  if (parsed.ms < MIN_PERIOD_MS)
    return { ok: false, problem: 'The period must be at least a minute, e.g. `6h`.' };
  return parsed;
}

const chartEntity = (entry: CatalogEntry, ctx: CommandContext): ChartEntity => {
  const unit = ctx.store.get(entry.entityId)?.attributes.unit_of_measurement;
  return {
    entityId: entry.entityId,
    label: entry.name,
    ...(typeof unit === 'string' ? { unit } : {}),
  };
};

type Chart = { ok: true; reply: InteractionEditReplyOptions } | { ok: false; text: string };

/** Loads and draws the chart of some entities: the message with the PNG, or why not. */
export async function historyChart(
  entries: readonly CatalogEntry[],
  periodMs: number,
  ctx: CommandContext,
): Promise<Chart> {
  const chosen = entries.slice(0, MAX_CHART_ENTITIES);
  const period = periodText(periodMs);
  try {
    const loaded = await ctx.history.load(
      chosen.map((e) => chartEntity(e, ctx)),
      periodMs,
      period,
    );
    if (!loaded.ok) {
      return {
        ok: false,
        text:
          loaded.reason === 'no_recorder'
            ? 'Home Assistant keeps no history: it needs its `recorder:` and `history:` integrations (`default_config:` loads both).'
            : `Home Assistant recorded nothing for ${chosen.map((e) => code(e.entityId, 80)).join(', ')} in the last ${period}. It may be excluded from the recorder, or newer than that.`,
      };
    }
    const png = await ctx.history.render(loaded.data);
    if (png === undefined)
      return { ok: false, text: 'Many charts are being drawn right now. Try again in a moment.' };
    const name = 'history.png';
    const notes = [
      loaded.data.source === 'history'
        ? "From HA's history (every change)."
        : `From HA's long-term ${loaded.data.source.replace('statistics ', '').replace(/[()]/g, '')} statistics (mean, with min–max shaded).`,
    ];
    if (entries.length > chosen.length)
      notes.push(`Showing the first ${chosen.length} of ${entries.length} entities.`);
    if (loaded.truncated) notes.push('Only the first 200,000 changes of an entity are drawn.');
    const title = chosen.length === 1 ? chosen[0]!.name : `${chosen.length} entities`;
    const embed = new EmbedBuilder()
      .setTitle(safe(`${title} · last ${period}`, LIMITS.title))
      .setDescription(notes.join(' '))
      .setImage(`attachment://${name}`)
      .setColor(0x4fc3f7)
      .setFooter({ text: plain(chosen.map((e) => e.entityId).join(', '), LIMITS.footer) });
    return {
      ok: true,
      reply: {
        embeds: [embed.toJSON()],
        files: [new AttachmentBuilder(png, { name, description: `History chart: ${title}` })],
      },
    };
  } catch (raw) {
    const error = toHaError(raw);
    ctx.log.warn(
      { code: error.code, err: error.message },
      'could not read history from Home Assistant',
    );
    return { ok: false, text: describeHaError(error) };
  }
}

export const historyCommand: Subcommand = {
  name: 'history',
  build: (sub) =>
    sub
      .setName('history')
      .setDescription('Chart the history of an entity, or of an area, floor or label')
      .addStringOption((o) =>
        o
          .setName('entity')
          .setDescription('Entity, area, floor or label, e.g. sensor.nursery_temperature')
          .setRequired(true)
          .setMaxLength(200)
          .setAutocomplete(true),
      )
      .addStringOption((o) =>
        o
          .setName('period')
          .setDescription('How far back, e.g. 6h, 24h (default), 7d, 30d')
          .setMaxLength(32),
      ),

  async execute(interaction, ctx) {
    const typed = interaction.options.getString('entity', true);
    const period = readPeriod(interaction.options.getString('period'));
    if (!period.ok) return replyError(interaction, period.problem);
    const down = nothingLoadedText(ctx);
    if (down) return replyError(interaction, down);
    const r = resolveTarget(ctx.catalog, typed);
    let entries: CatalogEntry[];
    if (r.kind === 'entity') {
      const decision = ctx.access.check(interaction, 'read', r.entry);
      if (!decision.allowed) return replyError(interaction, decision.reason);
      entries = [r.entry];
    } else if (r.kind === 'group') {
      entries = r.entries.filter(ctx.access.filter(interaction, 'read'));
      if (entries.length === 0)
        return replyError(interaction, `You may not see anything in ${safe(r.group.name, 100)}.`);
      // Numbers first (they share charts by unit), then the rest.
      const numeric = (e: CatalogEntry) =>
        typeof ctx.store.get(e.entityId)?.attributes.unit_of_measurement === 'string' ? 0 : 1;
      entries = [...entries].sort((a, b) => numeric(a) - numeric(b));
    } else if (r.kind === 'ambiguous') {
      await interaction.reply(ambiguityReply(typed, r.candidates, 'history'));
      return;
    } else {
      return replyError(interaction, resolutionProblem(typed, r, 'charted') ?? 'Nothing to chart.');
    }
    // HA can take seconds for a long period: reply at once when quick, defer when not.
    const responder = slashResponder(interaction);
    await responder.begin();
    const chart = await historyChart(entries, period.ms, ctx);
    if (chart.ok) await responder.success(chart.reply);
    else await responder.failure(chart.text);
  },

  autocomplete: (interaction, ctx) => respondWithEntities(interaction, ctx, 'read'),

  async pick(interaction: StringSelectMenuInteraction, entityId, ctx) {
    const entry = ctx.catalog.get(entityId);
    if (entry === undefined) {
      await interaction.update({
        content: `${code(entityId, 100)} no longer exists in Home Assistant.`,
        components: [],
      });
      return;
    }
    const decision = ctx.access.check(interaction, 'read', entry);
    if (!decision.allowed) {
      await interaction.update({ content: decision.reason, components: [] });
      return;
    }
    await interaction.update({
      content: `Charting \`${entityId}\` (last ${DEFAULT_PERIOD})…`,
      components: [],
    });
    const chart = await historyChart([entry], DAY, ctx);
    if (!chart.ok) {
      await interaction.editReply({ content: chart.text });
      return;
    }
    await interaction.editReply({ content: `Chart of \`${entityId}\` posted.` });
    await interaction.followUp({ embeds: chart.reply.embeds, files: chart.reply.files });
  },
};
