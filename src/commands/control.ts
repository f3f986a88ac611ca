import type { ChatInputCommandInteraction } from 'discord.js';
import type { CatalogEntry } from '../entities/catalog.js';
import { expectedState, serviceFor, type ControlAction } from '../entities/controls.js';
import { resolveTarget } from '../entities/resolver.js';
import { code } from '../discord/format.js';
import { act, type ActionRequest, type PlannedCall } from './act.js';
import { CONTROL_WORDS } from './control-words.js';
import { respondWithEntities } from './entity-option.js';
import {
  ambiguityReply,
  ambiguityText,
  replyError,
  resolutionProblem,
  unavailableText,
} from './replies.js';
import type { Subcommand } from './types.js';

/** One call per domain: `/ha off kitchen` turns off the lights and the kettle. */
function plan(
  action: ControlAction,
  entries: readonly CatalogEntry[],
  data: Record<string, unknown> | undefined,
): PlannedCall[] {
  const byDomain = new Map<string, CatalogEntry[]>();
  for (const e of entries) byDomain.set(e.domain, [...(byDomain.get(e.domain) ?? []), e]);
  return [...byDomain].map(([domain, group]) => ({
    domain,
    service: serviceFor(domain, action)!,
    entries: group,
    ...(data ? { data } : {}),
    expected: expectedState(domain, action),
  }));
}

/** The request for a control action on these entities ("what" names them in replies). */
export function controlRequest(
  command: string,
  action: ControlAction,
  entries: readonly CatalogEntry[],
  what: string,
  data: Record<string, unknown> | undefined,
  skipped = 0,
): ActionRequest {
  const words = CONTROL_WORDS[action];
  return {
    command,
    policyAction: 'control',
    calls: plan(action, entries, data),
    title: `${words.past} ${what}${skipped > 0 ? ` (${skipped} not allowed)` : ''}`,
    question: `${words.ask} ${what}`,
    past: words.past,
  };
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
            .setDescription('Entity, area, floor or label, e.g. kitchen or light.kitchen')
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
        return act(controlRequest(name, chosen, [r.entry], r.entry.name, data), interaction, ctx);
      }
      if (r.kind === 'group') {
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
        return act(
          controlRequest(
            name,
            chosen,
            allowed,
            `${allowed.length} in ${r.group.name}`,
            data,
            skipped,
          ),
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
        return replyError(interaction, ambiguityText(typed, r.candidates));
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
      await act(controlRequest(name, action, [entry], entry.name, undefined), interaction, ctx);
    },
  };
}
