import { CONTROL_ACTIONS, serviceFor, type ControlAction } from '../entities/controls.js';
import { areaEmbed, code, safe, stateEmbed } from '../discord/format.js';
import type { MessageData } from '../discord/message-data.js';
import type { CatalogEntry } from '../entities/catalog.js';
import { entityChoices } from './entity-option.js';
import { unavailableText } from './replies.js';
import { refuse, type Reply } from './reply.js';
import { stateButtons } from './state-buttons.js';
import type { CommandContext, CommandSpec } from './types.js';

/** The state reply: its embed and buttons, or undefined when it has no state now. */
function stateMessage(entry: CatalogEntry, ctx: CommandContext): MessageData | undefined {
  const state = ctx.catalog.state(entry.entityId);
  if (state === undefined) return undefined;
  return { embeds: [stateEmbed(entry, state)], buttons: stateButtons(entry, state) };
}

const gone = (entityId: string) => `${code(entityId, 100)} no longer exists in Home Assistant.`;

export const stateCommand: CommandSpec = {
  name: 'state',
  description: 'Show the state of an entity, or of an area, floor or label',
  options: [
    {
      type: 'string',
      name: 'entity',
      description: 'Entity, area, floor or label, e.g. sensor.temp or kitchen',
      required: true,
      maxLength: 200,
      autocomplete: true,
    },
  ],
  needs: 'entities',
  target: {
    option: 'entity',
    action: 'read',
    verb: () => 'shown',
    groups: 'visible',
    menu: true,
    nothing: 'Nothing to show.',
    invisible: (_, group) => `You may not see anything in ${safe(group ?? '', 100)}.`,
    gone,
    present: (entry, ctx) => ctx.catalog.state(entry.entityId) !== undefined,
  },

  plan({ via }, targets, _, ctx): Reply {
    if (targets.kind === 'group') {
      return {
        kind: 'show',
        message: {
          embeds: [areaEmbed(targets.name, targets.entries, (id) => ctx.catalog.state(id))],
        },
      };
    }
    if (targets.kind !== 'entity') return refuse('Nothing to show.');
    const { entry } = targets;
    const message = stateMessage(entry, ctx);
    if (message === undefined) return refuse(`\`${entry.entityId}\` has no state right now.`);
    if (via === 'pick') return { kind: 'show', message, note: `Showing ${entry.entityId}.` };
    // HA out of reach: the same words as /ha toggle (unreachable, or the token rejected).
    const down = unavailableText(ctx.ha.status);
    return {
      kind: 'show',
      message: down ? { ...message, content: `${down} Below: the last known state.` } : message,
    };
  },

  autocomplete: (input, ctx) => entityChoices(input, ctx, 'read'),

  /** Refresh, and the quick action (Toggle, Lock, Unlock) under a state reply. */
  async button([action, entityId], { caller, options }, ctx, runner) {
    const entry = entityId ? ctx.catalog.get(entityId) : undefined;
    if (entry === undefined) return refuse(gone(entityId ?? '?'));
    if (action === 'refresh') {
      const decision = ctx.access.check(caller, 'read', entry);
      if (!decision.allowed) return refuse(decision.reason);
      const message = stateMessage(entry, ctx);
      if (message === undefined) return refuse(`\`${entry.entityId}\` has no state right now.`);
      return { kind: 'replace', message };
    }
    const control = CONTROL_ACTIONS.find((a): a is ControlAction => a === action);
    const reply =
      control !== undefined && serviceFor(entry.domain, control) !== undefined
        ? await runner.onEntity(control, entry.entityId, { caller, options, via: 'button' })
        : undefined;
    return reply ?? refuse('That button is no longer in use. Run the command again.');
  },
};
