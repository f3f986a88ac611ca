import { MAX_CHART_ENTITIES, type ChartEntity } from '../charts/load.js';
import { periodText } from '../charts/time-axis.js';
import { parseDuration, type DurationOptions } from '../time/duration.js';
import { code, LIMITS, plain, safe } from '../discord/format.js';
import type { CatalogEntry } from '../entities/catalog.js';
import { toHaError } from '../ha/errors.js';
import { entityChoices } from './entity-option.js';
import { text } from './options.js';
import { describeHaError } from './replies.js';
import { refuse, type Reply } from './reply.js';
import type { CommandContext, CommandSpec, Refusal } from './types.js';

const DAY = 86_400_000;
export const DEFAULT_PERIOD = '24h';
/** The periods a chart may cover: a minute to a year (HA's statistics go back that far). */
export const PERIOD: DurationOptions = {
  objectForm: false,
  allowZero: false,
  max: { ms: 365 * DAY, text: '365 days' },
};
const MIN_PERIOD_MS = 60_000;

export { periodText };

/** The `period` option in ms (default 24 h), or what is wrong with it in words. */
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

/** Loads and draws the chart of some entities: the message with the PNG, or why not. */
export async function historyChart(
  entries: readonly CatalogEntry[],
  periodMs: number,
  ctx: CommandContext,
): Promise<Reply> {
  const chosen = entries.slice(0, MAX_CHART_ENTITIES);
  const period = periodText(periodMs);
  try {
    const loaded = await ctx.history.load(
      chosen.map((e) => chartEntity(e, ctx)),
      periodMs,
      period,
    );
    if (!loaded.ok) {
      return refuse(
        loaded.reason === 'no_recorder'
          ? 'Home Assistant keeps no history: it needs its `recorder:` and `history:` integrations (`default_config:` loads both).'
          : `Home Assistant recorded nothing for ${chosen.map((e) => code(e.entityId, 80)).join(', ')} in the last ${period}. It may be excluded from the recorder, or newer than that.`,
      );
    }
    const png = await ctx.history.render(loaded.data);
    if (png === undefined)
      return refuse('Many charts are being drawn right now. Try again in a moment.');
    const name = 'history.png';
    const notes = [
      loaded.data.source === 'history'
        ? "From HA's history (every change)."
        : `From HA's long-term ${loaded.data.source === 'statistics (daily)' ? 'daily' : 'hourly'} statistics (mean, with min–max shaded).`,
    ];
    if (entries.length > chosen.length)
      notes.push(`Showing the first ${chosen.length} of ${entries.length} entities.`);
    if (loaded.truncated) notes.push('Only the first 200,000 changes of an entity are drawn.');
    const title = chosen.length === 1 ? chosen[0]!.name : `${chosen.length} entities`;
    return {
      kind: 'show',
      message: {
        embeds: [
          {
            title: safe(`${title} · last ${period}`, LIMITS.title),
            description: notes.join(' '),
            image: { url: `attachment://${name}` },
            color: 0x4fc3f7,
            footer: { text: plain(chosen.map((e) => e.entityId).join(', '), LIMITS.footer) },
          },
        ],
        files: [
          {
            name,
            data: png,
            description: plain(`History chart: ${title}`, LIMITS.attachmentDescription),
          },
        ],
      },
    };
  } catch (raw) {
    const error = toHaError(raw);
    ctx.log.warn(
      { code: error.code, err: error.message },
      'could not read history from Home Assistant',
    );
    return refuse(describeHaError(error));
  }
}

/** `/ha history entity:<x> [period:]`: a chart of HA's history, as a PNG. */
export const historyCommand: CommandSpec<number> = {
  name: 'history',
  description: 'Chart the history of an entity, or of an area, floor or label',
  options: [
    {
      type: 'string',
      name: 'entity',
      description: 'Entity, area, floor or label, e.g. sensor.nursery_temperature',
      required: true,
      maxLength: 200,
      autocomplete: true,
    },
    {
      type: 'string',
      name: 'period',
      description: 'How far back, e.g. 6h, 24h (default), 7d, 30d',
      maxLength: 32,
    },
  ],
  needs: 'entities',
  prepare: ({ options }): number | Refusal => {
    const period = readPeriod(text(options, 'period'));
    return period.ok ? period.ms : { refused: period.problem };
  },
  target: {
    option: 'entity',
    action: 'read',
    verb: () => 'charted',
    groups: 'visible',
    menu: true,
    carry: ['period'],
    nothing: 'Nothing to chart.',
    invisible: (_, group) => `You may not see anything in ${safe(group ?? '', 100)}.`,
    gone: (entityId) => `${code(entityId, 100)} no longer exists in Home Assistant.`,
  },

  // HA can take seconds for a long period: reply at once when quick, defer when not.
  plan(_, targets, periodMs, ctx): Reply {
    if (targets.kind === 'none') return refuse('Nothing to chart.');
    let entries: readonly CatalogEntry[] = [];
    if (targets.kind === 'entity') entries = [targets.entry];
    else {
      // Numbers first (they share charts by unit), then the rest.
      const numeric = (e: CatalogEntry) =>
        typeof ctx.store.get(e.entityId)?.attributes.unit_of_measurement === 'string' ? 0 : 1;
      entries = [...targets.entries].sort((a, b) => numeric(a) - numeric(b));
    }
    const what =
      targets.kind === 'entity' ? `\`${targets.entry.entityId}\`` : safe(targets.name, 100);
    return {
      kind: 'slow',
      working: `Charting ${what} (last ${periodText(periodMs)})…`,
      done: `Chart of ${what} posted.`,
      run: () => historyChart(entries, periodMs, ctx),
    };
  },

  autocomplete: (input, ctx) => entityChoices(input, ctx, 'read'),
};
