import type { CatalogEntry } from '../entities/catalog.js';
import { expectedState, serviceFor, type ControlAction } from '../entities/controls.js';
import { code } from '../discord/format.js';
import { act, type ActionRequest, type PlannedCall } from './act.js';
import { CONTROL_WORDS } from './control-words.js';
import { entityChoices } from './entity-option.js';
import { text } from './options.js';
import type { CommandSpec, Refusal } from './types.js';

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

/** What a control command was asked to do: the action (a mode picks it) and its data. */
interface Chosen {
  action: ControlAction;
  data: Record<string, unknown> | undefined;
}

/** `/ha toggle|on|off|lock|unlock|open|arm|disarm target: [mode:] [code:]`. */
export function controlCommand(
  action: ControlAction,
  opts: ControlCommandOptions = {},
): CommandSpec<Chosen> {
  const name = opts.name ?? action;
  const words = CONTROL_WORDS[action];
  const modes = opts.modes;
  return {
    name,
    description: words.description,
    options: [
      {
        type: 'string',
        name: 'target',
        description: 'Entity, area, floor or label, e.g. kitchen or light.kitchen',
        required: true,
        maxLength: 200,
        autocomplete: true,
      },
      ...(modes
        ? [
            {
              type: 'string' as const,
              name: 'mode',
              description: 'How to arm it',
              required: true,
              choices: Object.keys(modes),
            },
          ]
        : []),
      ...(opts.code
        ? [
            {
              type: 'string' as const,
              name: 'code',
              description: 'The code, if the device asks for one (not shown or logged)',
              maxLength: 64,
            },
          ]
        : []),
    ],
    needs: 'ha',

    prepare({ options, via }): Chosen | Refusal {
      // A menu or a button carries neither mode nor code: the plain action.
      if (via !== 'command') return { action, data: undefined };
      const chosen = modes ? modes[text(options, 'mode') ?? ''] : action;
      if (chosen === undefined)
        return { refused: `Pick a mode: ${Object.keys(modes ?? {}).join(', ')}.` };
      const given = opts.code ? text(options, 'code') : null;
      return { action: chosen, data: given ? { code: given } : undefined };
    },

    target: {
      option: 'target',
      action: 'control',
      accept: (entry, chosen) => controllable(chosen.action)(entry),
      verb: (chosen) => CONTROL_WORDS[chosen.action].verb,
      groups: 'allowed',
      // The menu cannot carry a code or mode: only plain actions offer it.
      menu: (chosen) => chosen.data === undefined && chosen.action === action,
      nothing: 'Nothing to do.',
      gone: (entityId) => `${code(entityId, 100)} cannot be ${words.verb} any more.`,
    },

    plan({ caller }, targets, chosen, ctx) {
      if (targets.kind === 'entity') {
        const { entry } = targets;
        return act(
          controlRequest(name, chosen.action, [entry], entry.name, chosen.data),
          caller,
          ctx,
        );
      }
      if (targets.kind === 'group') {
        const { entries, skipped } = targets;
        const what = `${entries.length} in ${targets.name}`;
        return act(
          controlRequest(name, chosen.action, entries, what, chosen.data, skipped),
          caller,
          ctx,
        );
      }
      return { kind: 'refuse', text: 'Nothing to do.' };
    },

    autocomplete: (input, ctx) => entityChoices(input, ctx, 'control', controllable(action)),
  };
}
