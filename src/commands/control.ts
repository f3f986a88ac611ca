import { EmbedBuilder } from 'discord.js';
import type { CatalogEntry } from '../entities/catalog.js';
import { expectedState, serviceFor, type ControlAction } from '../entities/controls.js';
import { resolveTarget } from '../entities/resolver.js';
import {
  code,
  colorFor,
  entityLine,
  joinWithin,
  LIMITS,
  plain,
  safe,
  stateText,
} from '../discord/format.js';
import { ContextWaiter } from '../ha/context-waiter.js';
import type { HaError } from '../ha/errors.js';
import { toHaError } from '../ha/errors.js';
import { respondWithEntities } from './entity-option.js';
import { pickResponder, slashResponder, type Responder } from './responder.js';
import {
  ambiguityReply,
  describeHaError,
  replyError,
  resolutionProblem,
  unavailableText,
} from './replies.js';
import type { CommandContext, Subcommand } from './types.js';

const WORDS: Record<ControlAction, { verb: string; past: string; description: string }> = {
  toggle: {
    verb: 'toggled',
    past: 'Toggled',
    description: 'Toggle a light, switch or anything with an on/off',
  },
  on: {
    verb: 'turned on',
    past: 'Turned on',
    description: 'Turn on (or open) an entity or everything in an area',
  },
  off: {
    verb: 'turned off',
    past: 'Turned off',
    description: 'Turn off (or close) an entity or everything in an area',
  },
};

interface Outcome {
  entry: CatalogEntry;
  error?: HaError;
  pending?: boolean;
}

/** Calls the domain's service for every target (one call per domain) and waits for the result. */
async function run(
  action: ControlAction,
  entries: readonly CatalogEntry[],
  ctx: CommandContext,
): Promise<Outcome[]> {
  const byDomain = new Map<string, CatalogEntry[]>();
  for (const e of entries) byDomain.set(e.domain, [...(byDomain.get(e.domain) ?? []), e]);
  const results = await Promise.all(
    [...byDomain].map(async ([domain, group]): Promise<Outcome[]> => {
      const service = serviceFor(domain, action)!;
      const ids = group.map((e) => e.entityId);
      const waiter = new ContextWaiter(ctx.store, ids);
      try {
        const { contextId } = await ctx.ha.callService(domain, service, undefined, {
          entity_id: ids,
        });
        const expected = expectedState(domain, action);
        const outcome = await waiter.wait(
          contextId,
          ctx.stateWaitMs,
          (_, s) => expected !== undefined && s?.state === expected,
        );
        ctx.log.info(
          { domain, service, entityIds: ids, contextId, pending: outcome.pending },
          'service called',
        );
        return group.map((entry) => ({ entry, pending: outcome.pending.includes(entry.entityId) }));
      } catch (raw) {
        waiter.dispose();
        const error = toHaError(raw);
        ctx.log.warn(
          { domain, service, entityIds: ids, code: error.code, err: error.message },
          'service call failed',
        );
        return group.map((entry) => ({ entry, error }));
      }
    }),
  );
  return results.flat();
}

function resultEmbed(
  action: ControlAction,
  outcomes: readonly Outcome[],
  title: string,
  ctx: CommandContext,
  by: string,
) {
  const lines = outcomes.map(({ entry, error, pending }) => {
    const state = ctx.store.get(entry.entityId);
    if (error)
      return `**${safe(entry.name, 100)}** \`${entry.entityId}\` — failed: ${describeHaError(error)}`;
    if (pending) return `${entityLine(entry, state)} (call made, state pending)`;
    return entityLine(entry, state);
  });
  const single = outcomes.length === 1 ? outcomes[0] : undefined;
  const singleState = single ? ctx.store.get(single.entry.entityId) : undefined;
  const heading =
    single && singleState && !single.pending
      ? `${safe(single.entry.name, 150)} is ${safe(stateText(singleState), 80)}`
      : title;
  return (
    new EmbedBuilder()
      .setTitle(heading.slice(0, LIMITS.title))
      .setColor(colorFor(singleState?.state))
      .setDescription(joinWithin(lines, LIMITS.description))
      // A footer is plain text in Discord: escaping markdown there would show the backslashes.
      .setFooter({ text: plain(`${WORDS[action].past} by ${by}`, LIMITS.footer) })
      .toJSON()
  );
}

async function perform(
  action: ControlAction,
  entries: readonly CatalogEntry[],
  title: string,
  responder: Responder,
  ctx: CommandContext,
  by: string,
): Promise<void> {
  await responder.begin();
  const outcomes = await run(action, entries, ctx);
  const failed = outcomes.filter((o) => o.error);
  if (failed.length === outcomes.length && failed[0]?.error) {
    await responder.failure(describeHaError(failed[0].error));
    return;
  }
  await responder.success({ embeds: [resultEmbed(action, outcomes, title, ctx, by)] });
}

const controllable = (action: ControlAction) => (e: CatalogEntry) =>
  serviceFor(e.domain, action) !== undefined;

export function controlCommand(action: ControlAction): Subcommand {
  const words = WORDS[action];
  return {
    name: action,
    build: (sub) =>
      sub
        .setName(action)
        .setDescription(words.description)
        .addStringOption((o) =>
          o
            .setName('target')
            .setDescription('Entity id, name or area, e.g. kitchen or light.kitchen')
            .setRequired(true)
            .setMaxLength(200)
            .setAutocomplete(true),
        ),

    async execute(interaction, ctx) {
      const typed = interaction.options.getString('target', true);
      const down = unavailableText(ctx.ha.status);
      if (down) return replyError(interaction, down);
      const r = resolveTarget(ctx.catalog, typed, { accept: controllable(action) });
      const by = interaction.user.username;
      if (r.kind === 'entity') {
        const decision = ctx.access.check(interaction, 'control', r.entry);
        if (!decision.allowed) return replyError(interaction, decision.reason);
        return perform(
          action,
          [r.entry],
          `${words.past} ${safe(r.entry.name, 150)}`,
          slashResponder(interaction),
          ctx,
          by,
        );
      }
      if (r.kind === 'area') {
        // Act on what this person may control; never on the rest, and say so.
        const decisions = r.entries.map((e) => ({
          e,
          d: ctx.access.check(interaction, 'control', e),
        }));
        const allowed = decisions.filter((x) => x.d.allowed).map((x) => x.e);
        const refused = decisions.find((x) => !x.d.allowed)?.d;
        if (allowed.length === 0)
          return replyError(
            interaction,
            refused && !refused.allowed ? refused.reason : 'Nothing to do.',
          );
        const skipped = r.entries.length - allowed.length;
        const title = `${words.past} ${allowed.length} in ${safe(r.area.name, 100)}${skipped > 0 ? ` (${skipped} not allowed)` : ''}`;
        return perform(action, allowed, title, slashResponder(interaction), ctx, by);
      }
      if (r.kind === 'ambiguous') {
        await interaction.reply(ambiguityReply(typed, r.candidates, action));
        return;
      }
      return replyError(interaction, resolutionProblem(typed, r, words.verb) ?? 'Nothing to do.');
    },

    autocomplete: (interaction, ctx) =>
      respondWithEntities(interaction, ctx, 'control', controllable(action)),

    async pick(interaction, entityId, ctx) {
      const down = unavailableText(ctx.ha.status);
      const entry = ctx.catalog.get(entityId);
      if (down || entry === undefined || !controllable(action)(entry)) {
        await interaction.update({
          content: down ?? `${code(entityId, 100)} cannot be ${words.verb} any more.`,
          components: [],
        });
        return;
      }
      const decision = ctx.access.check(interaction, 'control', entry);
      if (!decision.allowed) {
        await interaction.update({ content: decision.reason, components: [] });
        return;
      }
      const by = interaction.user.username;
      await perform(
        action,
        [entry],
        `${words.past} ${safe(entry.name, 150)}`,
        pickResponder(interaction, entityId),
        ctx,
        by,
      );
    },
  };
}
