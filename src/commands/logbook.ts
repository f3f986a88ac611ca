import type { ButtonInteraction } from 'discord.js';
import {
  ButtonStyle,
  EmbedBuilder,
  type ChatInputCommandInteraction,
  type InteractionEditReplyOptions,
  type StringSelectMenuInteraction,
} from 'discord.js';
import { buttonId, buttonRow } from '../discord/components.js';
import { code, LIMITS, safe } from '../discord/format.js';
import { truncate } from '../entities/text.js';
import type { CatalogEntry } from '../entities/catalog.js';
import { resolveTarget } from '../entities/resolver.js';
import { toHaError } from '../ha/errors.js';
import type { LogbookEntry } from '../ha/history.js';
import { respondWithEntities } from './entity-option.js';
import { periodText, readPeriod } from './history.js';
import {
  ambiguityReply,
  describeHaError,
  nothingLoadedText,
  replyError,
  resolutionProblem,
} from './replies.js';
import { slashResponder } from './responder.js';
import type { CommandContext, Subcommand } from './types.js';

/** Lines per page: 15 lines of at most 250 characters stay under an embed's 4,096. */
export const PAGE_LINES = 15;
const LINE_CHARS = 250;
const DAY = 86_400_000;

/** What a logbook shows: everything the person may read, or some entities (a target). */
interface Scope {
  /** What was typed ('' for everything): kept in the page buttons and resolved again. */
  target: string;
  /** Undefined: every entity. */
  entries?: readonly CatalogEntry[];
  title: string;
  start: number;
  end: number;
}

type Interaction = ChatInputCommandInteraction | ButtonInteraction | StringSelectMenuInteraction;

/** The target resolved for this person: its entries, or what to answer instead. */
function scopeOf(
  typed: string,
  interaction: Interaction,
  ctx: CommandContext,
):
  | { ok: true; entries?: CatalogEntry[]; title: string }
  | { ok: false; text: string; ambiguous?: CatalogEntry[] } {
  if (typed === '') return { ok: true, title: 'Logbook' };
  const r = resolveTarget(ctx.catalog, typed);
  if (r.kind === 'entity') {
    const decision = ctx.access.check(interaction, 'read', r.entry);
    if (!decision.allowed) return { ok: false, text: decision.reason };
    return { ok: true, entries: [r.entry], title: `Logbook · ${r.entry.name}` };
  }
  if (r.kind === 'group') {
    const visible = r.entries.filter(ctx.access.filter(interaction, 'read'));
    if (visible.length === 0)
      return { ok: false, text: `You may not see anything in ${safe(r.group.name, 100)}.` };
    return { ok: true, entries: visible, title: `Logbook · ${r.group.name}` };
  }
  if (r.kind === 'ambiguous') return { ok: false, text: '', ambiguous: r.candidates };
  return { ok: false, text: resolutionProblem(typed, r, 'shown') ?? 'Nothing to show.' };
}

/** Who or what caused an entry, in words, as far as HA knows it. */
function cause(
  entry: LogbookEntry,
  people: () => Map<string, string>,
  ctx: CommandContext,
): string {
  const name = (id: string | undefined) =>
    id === undefined ? undefined : (ctx.catalog.get(id)?.name ?? id);
  if (entry.causeEvent === 'automation_triggered')
    return ` — by automation **${safe(entry.causeName ?? name(entry.causeEntityId) ?? '?', 80)}**`;
  if (entry.causeEvent === 'script_started')
    return ` — by script **${safe(entry.causeName ?? name(entry.causeEntityId) ?? '?', 80)}**`;
  if (entry.userId !== undefined) {
    const person = people().get(entry.userId);
    return person !== undefined ? ` — by **${safe(person, 80)}**` : ' — by an HA user';
  }
  if (entry.causeEvent === 'call_service' && entry.causeDomain && entry.causeService)
    return ` — by ${code(`${entry.causeDomain}.${entry.causeService}`, 60)}`;
  if (entry.causeEntityId !== undefined)
    return ` — after **${safe(name(entry.causeEntityId) ?? '?', 80)}** changed`;
  return '';
}

function what(entry: LogbookEntry): string {
  if (entry.state !== undefined) {
    if (entry.state === 'on') return 'turned on';
    if (entry.state === 'off') return 'turned off';
    return `changed to ${code(entry.state, 40)}`;
  }
  return safe(entry.message ?? 'logged an event', 120);
}

/** Every line of the logbook this person may see, newest first. */
function lines(
  entries: readonly LogbookEntry[],
  interaction: Interaction,
  ctx: CommandContext,
  long: boolean,
): string[] {
  const allowed = ctx.access.filter(interaction, 'read');
  let persons: Map<string, string> | undefined;
  // person.* entities carry their HA user's id: who "a user" was. Read once, when needed.
  const people = () => {
    if (persons === undefined) {
      persons = new Map();
      for (const e of ctx.catalog.list()) {
        if (e.domain !== 'person') continue;
        const userId = ctx.catalog.state(e.entityId)?.attributes.user_id;
        if (typeof userId === 'string') persons.set(userId, e.name);
      }
    }
    return persons;
  };
  const out: string[] = [];
  for (const entry of entries) {
    // Only what this person may read; events of no entity (HA started...) are left out.
    const catalogEntry = entry.entityId ? ctx.catalog.get(entry.entityId) : undefined;
    if (catalogEntry === undefined || !allowed(catalogEntry)) continue;
    const sec = Math.floor(entry.at / 1000);
    const when = long ? `<t:${sec}:d> <t:${sec}:t>` : `<t:${sec}:t>`;
    const who = entry.name && entry.state === undefined ? entry.name : catalogEntry.name;
    out.push(
      truncate(
        `${when} **${safe(who, 60)}** ${what(entry)}${cause(entry, people, ctx)}`,
        LINE_CHARS,
      ),
    );
  }
  return out;
}

/** One page of the logbook as a message, with Previous/Next buttons when there are more. */
async function logbookPage(
  scope: Scope,
  page: number,
  interaction: Interaction,
  ctx: CommandContext,
): Promise<{ ok: true; reply: InteractionEditReplyOptions } | { ok: false; text: string }> {
  try {
    const entries = await ctx.history.logbook(
      scope.start,
      scope.end,
      scope.entries?.map((e) => e.entityId),
    );
    if (entries === undefined)
      return {
        ok: false,
        text: 'Home Assistant keeps no logbook: it needs its `logbook:` and `recorder:` integrations (`default_config:` loads both).',
      };
    const all = lines(entries, interaction, ctx, scope.end - scope.start > DAY);
    const period = periodText(scope.end - scope.start);
    if (all.length === 0)
      return { ok: false, text: `Nothing in the logbook that you may see in the last ${period}.` };
    const pages = Math.ceil(all.length / PAGE_LINES);
    const at = Math.min(Math.max(page, 0), pages - 1);
    const embed = new EmbedBuilder()
      .setTitle(safe(`${scope.title} · last ${period}`, LIMITS.title))
      .setDescription(all.slice(at * PAGE_LINES, (at + 1) * PAGE_LINES).join('\n'))
      .setColor(0x4fc3f7)
      .setFooter({
        text: `Page ${at + 1} of ${pages} · ${all.length} entries, newest first`,
      });
    const args = [
      scope.target,
      String(Math.floor(scope.start / 1000)),
      String(Math.floor(scope.end / 1000)),
    ];
    const buttons =
      pages > 1 && !scope.target.includes(':')
        ? buttonRow([
            ...(at > 0
              ? [
                  {
                    id: buttonId('logbook', ...args, String(at - 1)),
                    label: '◀ Previous',
                    style: ButtonStyle.Secondary,
                  },
                ]
              : []),
            ...(at < pages - 1
              ? [
                  {
                    id: buttonId('logbook', ...args, String(at + 1)),
                    label: 'Next ▶',
                    style: ButtonStyle.Secondary,
                  },
                ]
              : []),
          ])
        : [];
    return { ok: true, reply: { embeds: [embed.toJSON()], components: buttons } };
  } catch (raw) {
    const error = toHaError(raw);
    ctx.log.warn(
      { code: error.code, err: error.message },
      'could not read the logbook from Home Assistant',
    );
    return { ok: false, text: describeHaError(error) };
  }
}

export const logbookCommand: Subcommand = {
  name: 'logbook',
  build: (sub) =>
    sub
      .setName('logbook')
      .setDescription('Who or what changed things: HA’s logbook, newest first')
      .addStringOption((o) =>
        o
          .setName('entity')
          .setDescription('Entity, area, floor or label (default: everything you may see)')
          .setMaxLength(200)
          .setAutocomplete(true),
      )
      .addStringOption((o) =>
        o
          .setName('period')
          .setDescription('How far back, e.g. 1h, 24h (default), 7d')
          .setMaxLength(32),
      ),

  async execute(interaction, ctx) {
    const typed = (interaction.options.getString('entity') ?? '').trim();
    const period = readPeriod(interaction.options.getString('period'));
    if (!period.ok) return replyError(interaction, period.problem);
    const down = nothingLoadedText(ctx);
    if (down) return replyError(interaction, down);
    const scope = scopeOf(typed, interaction, ctx);
    if (!scope.ok) {
      if (scope.ambiguous) {
        await interaction.reply(ambiguityReply(typed, scope.ambiguous, 'logbook'));
        return;
      }
      return replyError(interaction, scope.text);
    }
    const end = Date.now();
    const responder = slashResponder(interaction);
    await responder.begin();
    const page = await logbookPage(
      { target: typed, entries: scope.entries, title: scope.title, start: end - period.ms, end },
      0,
      interaction,
      ctx,
    );
    if (page.ok) await responder.success(page.reply);
    else await responder.failure(page.text);
  },

  autocomplete: (interaction, ctx) => respondWithEntities(interaction, ctx, 'read'),

  async pick(interaction, entityId, ctx) {
    const scope = scopeOf(entityId, interaction, ctx);
    if (!scope.ok) {
      await interaction.update({
        content: scope.text || 'Run the command again with the entity id.',
        components: [],
      });
      return;
    }
    await interaction.update({
      content: `Reading the logbook of \`${entityId}\`…`,
      components: [],
    });
    const end = Date.now();
    const page = await logbookPage(
      { target: entityId, entries: scope.entries, title: scope.title, start: end - DAY, end },
      0,
      interaction,
      ctx,
    );
    if (!page.ok) {
      await interaction.editReply({ content: page.text });
      return;
    }
    await interaction.editReply({ content: `Logbook of \`${entityId}\` posted.` });
    await interaction.followUp({ embeds: page.reply.embeds, components: page.reply.components });
  },

  /** Previous/Next: the same period again (HA is asked anew), another page. */
  async button(interaction, [target = '', startSec, endSec, pageText], ctx) {
    const start = Number(startSec) * 1000;
    const end = Number(endSec) * 1000;
    const page = Number(pageText);
    if (!Number.isFinite(start) || !Number.isFinite(end) || !Number.isInteger(page) || end <= start)
      return replyError(interaction, 'That button is no longer in use. Run the command again.');
    const scope = scopeOf(target, interaction, ctx);
    if (!scope.ok)
      return replyError(interaction, scope.text || 'Run the command again with the entity id.');
    const result = await logbookPage(
      { target, entries: scope.entries, title: scope.title, start, end },
      page,
      interaction,
      ctx,
    );
    if (!result.ok) return replyError(interaction, result.text);
    await interaction.update(result.reply);
  },
};
