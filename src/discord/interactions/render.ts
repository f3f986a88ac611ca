import {
  ActionRowBuilder,
  AttachmentBuilder,
  MessageFlags,
  StringSelectMenuBuilder,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type InteractionReplyOptions,
  type RepliableInteraction,
  type StringSelectMenuInteraction,
} from 'discord.js';
import type { Reply } from '../../commands/reply.js';
import { entityCount } from '../../commands/replies.js';
import type { CatalogEntry } from '../../entities/catalog.js';
import { truncate } from '../../entities/text.js';
import { renderButtons } from '../components.js';
import { encodeCustomId } from '../custom-id.js';
import { LIMITS, plain, safe } from '../format.js';
import type { MessageData } from '../message-data.js';
import {
  componentResponder,
  panelResponder,
  slashResponder,
  type Responder,
} from '../responder.js';
import { followUpWithFiles, replyWithFiles } from '../upload.js';

/** Errors are for the person who asked: ephemeral, and never a ping. */
export async function replyError(
  interaction: RepliableInteraction,
  text: string,
  extra: Partial<InteractionReplyOptions> = {},
): Promise<void> {
  const content = truncate(text, LIMITS.content);
  if (interaction.deferred || interaction.replied) {
    await interaction.followUp({ content, flags: MessageFlags.Ephemeral, ...extra });
  } else {
    await interaction.reply({
      content,
      flags: MessageFlags.Ephemeral,
      ...extra,
    } as InteractionReplyOptions);
  }
}

/** A message as data in discord.js' form: only the parts it has. */
export function renderMessage(message: MessageData) {
  return {
    ...(message.content !== undefined ? { content: message.content } : {}),
    ...(message.embeds !== undefined ? { embeds: [...message.embeds] } : {}),
    ...(message.buttons !== undefined ? { components: renderButtons(message.buttons) } : {}),
    ...(message.files !== undefined
      ? {
          files: message.files.map(
            (f) =>
              new AttachmentBuilder(f.data, {
                name: f.name,
                ...(f.description !== undefined ? { description: f.description } : {}),
              }),
          ),
        }
      : {}),
  };
}

/** "Which one did you mean?": the candidates as a select menu and as text. */
export function ambiguityMenu(
  typed: string,
  candidates: readonly CatalogEntry[],
  command: string,
  options?: Readonly<Record<string, string>>,
): InteractionReplyOptions {
  const shown = candidates.slice(0, 25);
  const menu = new StringSelectMenuBuilder()
    .setCustomId(encodeCustomId({ kind: 'pick', command, options }) ?? '')
    .setPlaceholder('Pick the one you mean')
    .addOptions(
      shown.map((e) => ({
        label: plain(e.name, 100) || e.entityId.slice(0, 100),
        value: e.entityId.slice(0, 100),
        description: plain(e.areaName ? `${e.entityId} · ${e.areaName}` : e.entityId, 100),
      })),
    );
  const list = shown.map((e) => `• ${safe(e.name, 80)} (\`${e.entityId}\`)`).join('\n');
  return {
    content: truncate(
      `'${safe(typed, 100)}' matches ${entityCount(candidates.length)}. Which one did you mean?\n${list}`,
      LIMITS.content,
    ),
    components: [new ActionRowBuilder<StringSelectMenuBuilder>().addComponents(menu).toJSON()],
    flags: MessageFlags.Ephemeral,
  };
}

/**
 * Where the reply goes: a typed command, a private message's menu or button (a "which one?"
 * pick, a confirmation), or a button under a public message (a state panel, an alert).
 */
export type Surface =
  | { kind: 'command'; interaction: ChatInputCommandInteraction }
  | { kind: 'private'; interaction: ButtonInteraction | StringSelectMenuInteraction }
  | { kind: 'panel'; interaction: ButtonInteraction };

async function runSlow(reply: Extract<Reply, { kind: 'slow' }>, responder: Responder) {
  await responder.begin();
  const outcome = await reply.run();
  if (outcome.kind === 'show') await responder.success(renderMessage(outcome.message));
  else if (outcome.kind === 'refuse' || outcome.kind === 'note')
    await responder.failure(outcome.text);
  else throw new Error(`slow work answered "${outcome.kind}", which it cannot`);
}

/** Says it to Discord: the one place a command's answer becomes Discord calls. */
export async function render(reply: Reply, surface: Surface): Promise<void> {
  const { interaction } = surface;
  switch (reply.kind) {
    case 'refuse':
      if (surface.kind === 'private' && !reply.aside)
        return void (await surface.interaction.update({ content: reply.text, components: [] }));
      return replyError(interaction, reply.text);
    case 'note':
      if (interaction.isMessageComponent())
        return void (await interaction.update({ content: reply.text, components: [] }));
      return replyError(interaction, reply.text);
    case 'show': {
      const message = renderMessage(reply.message);
      const flags = reply.message.private ? MessageFlags.Ephemeral : undefined;
      if (surface.kind === 'private' && reply.note !== undefined) {
        await surface.interaction.update({ content: reply.note, components: [] });
        await followUpWithFiles(surface.interaction, message);
        return;
      }
      await replyWithFiles(interaction, { ...message, ...(flags ? { flags } : {}) });
      return;
    }
    case 'replace':
      if (interaction.isMessageComponent())
        return void (await interaction.update(renderMessage(reply.message)));
      return void (await interaction.reply(renderMessage(reply.message)));
    case 'menu':
      return void (await interaction.reply(
        ambiguityMenu(reply.typed, reply.candidates, reply.command, reply.options),
      ));
    case 'confirm': {
      const message = renderMessage(reply.message);
      // A menu's private message becomes the prompt; a command or a button under a public
      // message gets a new private one.
      if (interaction.isStringSelectMenu()) await interaction.update(message);
      else await interaction.reply({ ...message, flags: MessageFlags.Ephemeral });
      reply.onExpired((text) => {
        interaction.editReply({ content: text, components: [] }).catch(() => undefined);
      });
      return;
    }
    case 'slow':
      return runSlow(
        reply,
        surface.kind === 'command'
          ? slashResponder(surface.interaction)
          : surface.kind === 'panel'
            ? panelResponder(surface.interaction)
            : componentResponder(surface.interaction, reply.working, reply.done),
      );
  }
}
