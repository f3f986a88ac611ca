import {
  EmbedBuilder,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type StringSelectMenuInteraction,
} from 'discord.js';
import type { CatalogEntry } from '../entities/catalog.js';
import { expectedState, serviceFor, type ControlAction } from '../entities/controls.js';
import { resolveTarget } from '../entities/resolver.js';
import {
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
import { askToConfirm } from './confirm.js';
import { CONTROL_WORDS } from './control-words.js';
import { respondWithEntities } from './entity-option.js';
import { componentResponder, slashResponder, type Responder } from './responder.js';
import {
  ambiguityReply,
  describeHaError,
  replyError,
  resolutionProblem,
  unavailableText,
} from './replies.js';
import type { CommandContext, Subcommand } from './types.js';

type Asker = ChatInputCommandInteraction | StringSelectMenuInteraction | ButtonInteraction;

/** One control action, as asked: what, on which entities, by whom and from where. */
interface ControlRequest {
  command: string;
  action: ControlAction;
  entries: readonly CatalogEntry[];
  /** "Unlocked Front Door Lock": the result's heading. */
  title: string;
  /** "Unlock Front Door Lock": what a confirmation asks. */
  question: string;
  /** Extra service data, e.g. a lock's `code` (never logged). */
  data: Record<string, unknown> | undefined;
  asker: Asker;
  confirmed: boolean;
}

interface Outcome {
  entry: CatalogEntry;
  error?: HaError;
  pending?: boolean;
}

/** Calls the domain's service for every target (one call per domain) and waits for the result. */
async function run(req: ControlRequest, ctx: CommandContext): Promise<Outcome[]> {
  const byDomain = new Map<string, CatalogEntry[]>();
  for (const e of req.entries) byDomain.set(e.domain, [...(byDomain.get(e.domain) ?? []), e]);
  const results = await Promise.all(
    [...byDomain].map(async ([domain, group]): Promise<Outcome[]> => {
      const service = serviceFor(domain, req.action)!;
      const ids = group.map((e) => e.entityId);
      const waiter = new ContextWaiter(ctx.store, ids);
      const audit = (contextId: string | undefined, error: string | undefined) =>
        ctx.audit.record({
          userId: req.asker.user.id,
          userName: req.asker.user.username,
          guildId: req.asker.guildId,
          channelId: req.asker.channelId,
          command: req.command,
          domain,
          service,
          entityIds: ids,
          contextId,
          confirmed: req.confirmed,
          error,
        });
      try {
        const { contextId } = await ctx.ha.callService(domain, service, req.data, {
          entity_id: ids,
        });
        audit(contextId, undefined);
        const expected = expectedState(domain, req.action);
        const outcome = await waiter.wait(
          contextId,
          ctx.stateWaitMs,
          (_, s) => expected !== undefined && s?.state === expected,
        );
        if (outcome.pending.length > 0)
          ctx.log.info({ contextId, pending: outcome.pending }, 'state change still pending');
        return group.map((entry) => ({ entry, pending: outcome.pending.includes(entry.entityId) }));
      } catch (raw) {
        waiter.dispose();
        const error = toHaError(raw);
        audit(undefined, `${error.code}: ${error.message}`);
        return group.map((entry) => ({ entry, error }));
      }
    }),
  );
  return results.flat();
}

function resultEmbed(req: ControlRequest, outcomes: readonly Outcome[], ctx: CommandContext) {
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
      : safe(req.title, 200);
  const by = `${CONTROL_WORDS[req.action].past} by ${req.asker.user.username}${req.confirmed ? ' (confirmed)' : ''}`;
  return (
    new EmbedBuilder()
      .setTitle(heading.slice(0, LIMITS.title))
      .setColor(colorFor(singleState?.state))
      .setDescription(joinWithin(lines, LIMITS.description))
      // A footer is plain text in Discord: escaping markdown there would show the backslashes.
      .setFooter({ text: plain(by, LIMITS.footer) })
      .toJSON()
  );
}

async function perform(
  req: ControlRequest,
  responder: Responder,
  ctx: CommandContext,
): Promise<void> {
  await responder.begin();
  const outcomes = await run(req, ctx);
  const failed = outcomes.filter((o) => o.error);
  if (failed.length === outcomes.length && failed[0]?.error) {
    await responder.failure(describeHaError(failed[0].error));
    return;
  }
  await responder.success({ embeds: [resultEmbed(req, outcomes, ctx)] });
}

const responderFor = (interaction: Asker, what: string): Responder =>
  interaction.isChatInputCommand()
    ? slashResponder(interaction)
    : componentResponder(interaction, what);

/** Runs the request at once, or first asks for a confirm button when any part is dangerous. */
async function act(
  req: Omit<ControlRequest, 'asker' | 'confirmed'>,
  asker: ChatInputCommandInteraction | StringSelectMenuInteraction,
  ctx: CommandContext,
): Promise<void> {
  const what = req.entries.length === 1 ? `\`${req.entries[0]!.entityId}\`` : safe(req.title, 200);
  const reasons = [
    ...new Set(
      req.entries
        .map((e) => ctx.access.confirmation(e, serviceFor(e.domain, req.action)!))
        .filter((r): r is string => r !== undefined),
    ),
  ];
  if (reasons.length === 0)
    return perform({ ...req, asker, confirmed: false }, responderFor(asker, what), ctx);
  const entityIds = req.entries.map((e) => e.entityId);
  const seen = new Map(
    entityIds.map((id) => {
      const s = ctx.store.get(id);
      return [id, s && { state: s.state, lastChanged: s.lastChanged }] as const;
    }),
  );
  await askToConfirm(
    asker,
    {
      userId: asker.user.id,
      action: 'control',
      entityIds,
      seen,
      summary: req.question,
      run: async (button) => {
        const entries = entityIds
          .map((id) => ctx.catalog.get(id))
          .filter((e): e is CatalogEntry => e !== undefined);
        await perform(
          { ...req, entries, asker: button, confirmed: true },
          responderFor(button, what),
          ctx,
        );
      },
    },
    reasons,
    ctx,
  );
}

const controllable = (action: ControlAction) => (e: CatalogEntry) =>
  serviceFor(e.domain, action) !== undefined;

export interface ControlCommandOptions {
  /** The subcommand's name; default the action. */
  name?: string;
  /** Adds an optional `code` option (locks and alarm panels), passed to HA as service data. */
  code?: boolean;
  /** Adds a required `mode` option whose choice picks the action (e.g. `/ha arm`). */
  modes?: Readonly<Record<string, ControlAction>>;
}

export function controlCommand(
  action: ControlAction,
  opts: ControlCommandOptions = {},
): Subcommand {
  const name = opts.name ?? action;
  const words = CONTROL_WORDS[action];
  const modes = opts.modes;
  const dataOf = (interaction: ChatInputCommandInteraction) => {
    const code = opts.code ? interaction.options.getString('code') : null;
    return code ? { code } : undefined;
  };
  const actionOf = (interaction: ChatInputCommandInteraction): ControlAction | undefined =>
    modes ? modes[interaction.options.getString('mode') ?? ''] : action;
  return {
    name,
    build(sub) {
      sub
        .setName(name)
        .setDescription(words.description)
        .addStringOption((o) =>
          o
            .setName('target')
            .setDescription('Entity id, name or area, e.g. kitchen or light.kitchen')
            .setRequired(true)
            .setMaxLength(200)
            .setAutocomplete(true),
        );
      if (modes)
        sub.addStringOption((o) =>
          o
            .setName('mode')
            .setDescription('How to arm it')
            .setRequired(true)
            .addChoices(Object.keys(modes).map((m) => ({ name: m, value: m }))),
        );
      if (opts.code)
        sub.addStringOption((o) =>
          o
            .setName('code')
            .setDescription('The code, if the device asks for one (not shown or logged)')
            .setMaxLength(64),
        );
      return sub;
    },

    async execute(interaction, ctx) {
      const chosen = actionOf(interaction);
      if (chosen === undefined)
        return replyError(interaction, `Pick a mode: ${Object.keys(modes ?? {}).join(', ')}.`);
      const chosenWords = CONTROL_WORDS[chosen];
      const typed = interaction.options.getString('target', true);
      const down = unavailableText(ctx.ha.status);
      if (down) return replyError(interaction, down);
      const r = resolveTarget(ctx.catalog, typed, { accept: controllable(chosen) });
      const data = dataOf(interaction);
      if (r.kind === 'entity') {
        const decision = ctx.access.check(interaction, 'control', r.entry);
        if (!decision.allowed) return replyError(interaction, decision.reason);
        return act(
          {
            command: name,
            action: chosen,
            entries: [r.entry],
            title: `${chosenWords.past} ${r.entry.name}`,
            question: `${chosenWords.ask} ${r.entry.name}`,
            data,
          },
          interaction,
          ctx,
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
        const what = `${allowed.length} in ${r.area.name}`;
        const title = `${chosenWords.past} ${what}${skipped > 0 ? ` (${skipped} not allowed)` : ''}`;
        const question = `${chosenWords.ask} ${what}`;
        return act(
          { command: name, action: chosen, entries: allowed, title, question, data },
          interaction,
          ctx,
        );
      }
      if (r.kind === 'ambiguous') {
        // The menu cannot carry a code or mode: only plain actions offer it.
        if (data === undefined && chosen === action) {
          await interaction.reply(ambiguityReply(typed, r.candidates, name));
          return;
        }
        return replyError(
          interaction,
          `'${safe(typed, 100)}' matches ${r.candidates.length} entities: ${r.candidates
            .slice(0, 5)
            .map((e) => `\`${e.entityId}\``)
            .join(', ')}. Run the command again with the entity id.`,
        );
      }
      return replyError(
        interaction,
        resolutionProblem(typed, r, chosenWords.verb) ?? 'Nothing to do.',
      );
    },

    autocomplete: (interaction, ctx) =>
      respondWithEntities(interaction, ctx, 'control', controllable(action)),

    async pick(interaction, entityId, ctx) {
      const down = unavailableText(ctx.ha.status);
      const entry = ctx.catalog.get(entityId);
      if (down || entry === undefined || !controllable(action)(entry)) {
        await interaction.update({
          content: down ?? `\`${entityId}\` cannot be ${words.verb} any more.`,
          components: [],
        });
        return;
      }
      const decision = ctx.access.check(interaction, 'control', entry);
      if (!decision.allowed) {
        await interaction.update({ content: decision.reason, components: [] });
        return;
      }
      await act(
        {
          command: name,
          action,
          entries: [entry],
          title: `${words.past} ${entry.name}`,
          question: `${words.ask} ${entry.name}`,
          data: undefined,
        },
        interaction,
        ctx,
      );
    },
  };
}
