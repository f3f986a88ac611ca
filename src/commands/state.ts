import type { ChatInputCommandInteraction } from 'discord.js';
import { CONTROL_ACTIONS, serviceFor, type ControlAction } from '../entities/controls.js';
import { resolveTarget } from '../entities/resolver.js';
import { areaEmbed, code, safe, stateEmbed } from '../discord/format.js';
import type { CatalogEntry } from '../entities/catalog.js';
import { act } from './act.js';
import { controlRequest } from './control.js';
import { respondWithEntities } from './entity-option.js';
import { panelResponder } from './responder.js';
import { stateButtons } from './state-buttons.js';
import {
  ambiguityReply,
  nothingLoadedText,
  replyError,
  resolutionProblem,
  unavailableText,
} from './replies.js';
import type { CommandContext, Subcommand } from './types.js';

async function showEntity(
  interaction: { reply: ChatInputCommandInteraction['reply'] },
  entry: CatalogEntry,
  ctx: CommandContext,
): Promise<boolean> {
  const state = ctx.catalog.state(entry.entityId);
  if (state === undefined) return false;
  // HA out of reach: the same words as /ha toggle (unreachable, or the token rejected).
  const down = unavailableText(ctx.ha.status);
  await interaction.reply({
    embeds: [stateEmbed(entry, state)],
    components: stateButtons(entry, state),
    ...(down ? { content: `${down} Below: the last known state.` } : {}),
  });
  return true;
}

export const stateCommand: Subcommand = {
  name: 'state',
  build: (sub) =>
    sub
      .setName('state')
      .setDescription('Show the state of an entity, or of an area, floor or label')
      .addStringOption((o) =>
        o
          .setName('entity')
          .setDescription('Entity, area, floor or label, e.g. sensor.temp or kitchen')
          .setRequired(true)
          .setMaxLength(200)
          .setAutocomplete(true),
      ),

  async execute(interaction, ctx) {
    const typed = interaction.options.getString('entity', true);
    const down = nothingLoadedText(ctx);
    if (down) return replyError(interaction, down);
    const r = resolveTarget(ctx.catalog, typed);
    if (r.kind === 'entity') {
      const decision = ctx.access.check(interaction, 'read', r.entry);
      if (!decision.allowed) return replyError(interaction, decision.reason);
      if (await showEntity(interaction, r.entry, ctx)) return;
      return replyError(interaction, `\`${r.entry.entityId}\` has no state right now.`);
    }
    if (r.kind === 'group') {
      const visible = r.entries.filter(ctx.access.filter(interaction, 'read'));
      if (visible.length === 0)
        return replyError(interaction, `You may not see anything in ${safe(r.group.name, 100)}.`);
      await interaction.reply({
        embeds: [areaEmbed(r.group.name, visible, (id) => ctx.catalog.state(id))],
      });
      return;
    }
    if (r.kind === 'ambiguous') {
      await interaction.reply(ambiguityReply(typed, r.candidates, 'state'));
      return;
    }
    return replyError(interaction, resolutionProblem(typed, r, 'shown') ?? 'Nothing to show.');
  },

  autocomplete: (interaction, ctx) => respondWithEntities(interaction, ctx, 'read'),

  async pick(interaction, entityId, ctx) {
    const entry = ctx.catalog.get(entityId);
    const state = ctx.catalog.state(entityId);
    if (entry === undefined || state === undefined) {
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
    await interaction.update({ content: `Showing ${entry.entityId}.`, components: [] });
    await interaction.followUp({
      embeds: [stateEmbed(entry, state)],
      components: stateButtons(entry, state),
    });
  },

  /** Refresh, and the quick action (Toggle, Lock, Unlock) under a state reply. */
  async button(interaction, [action, entityId], ctx) {
    const entry = entityId ? ctx.catalog.get(entityId) : undefined;
    if (entry === undefined)
      return replyError(
        interaction,
        `${code(entityId ?? '?', 100)} no longer exists in Home Assistant.`,
      );
    if (action === 'refresh') {
      const decision = ctx.access.check(interaction, 'read', entry);
      if (!decision.allowed) return replyError(interaction, decision.reason);
      const state = ctx.catalog.state(entry.entityId);
      if (state === undefined)
        return replyError(interaction, `\`${entry.entityId}\` has no state right now.`);
      await interaction.update({
        embeds: [stateEmbed(entry, state)],
        components: stateButtons(entry, state),
      });
      return;
    }
    const control = CONTROL_ACTIONS.find((a): a is ControlAction => a === action);
    if (control === undefined || serviceFor(entry.domain, control) === undefined)
      return replyError(interaction, 'That button is no longer in use. Run the command again.');
    const down = unavailableText(ctx.ha.status);
    if (down) return replyError(interaction, down);
    const decision = ctx.access.check(interaction, 'control', entry);
    if (!decision.allowed) return replyError(interaction, decision.reason);
    await act(
      controlRequest(control, control, [entry], entry.name, undefined),
      interaction,
      ctx,
      panelResponder(interaction),
    );
  },
};
