import {
  MessageFlags,
  type ChatInputCommandInteraction,
  type ButtonInteraction,
  type InteractionEditReplyOptions,
  type InteractionReplyOptions,
  type MessageComponentInteraction,
} from 'discord.js';
import { editReplyWithFiles, followUpWithFiles, replyWithFiles } from './upload.js';

/** How the outcome of a slow command reaches Discord. */
export interface Responder {
  begin(): Promise<void>;
  success(reply: InteractionEditReplyOptions): Promise<void>;
  failure(text: string): Promise<void>;
}

/** Discord's deadline is 3 s from creation; the gateway has used some of it already. */
export const DEFER_AFTER_MS = 1500;

/**
 * Answers with one reply when the work is done quickly, and defers only when it is not.
 * A direct reply is one request instead of two, is exempt from discord.js' global rate
 * limit (an edit is not), and lets an error stay private without a public "thinking…" first.
 */
export function slashResponder(
  interaction: ChatInputCommandInteraction,
  deferAfterMs = DEFER_AFTER_MS,
): Responder {
  let deferring: Promise<unknown> | undefined;
  let timer: NodeJS.Timeout | undefined;
  const settle = async (): Promise<boolean> => {
    clearTimeout(timer);
    if (deferring) await deferring;
    return deferring !== undefined;
  };
  return {
    begin() {
      timer = setTimeout(() => {
        deferring = interaction.deferReply().catch(() => undefined);
      }, deferAfterMs);
      return Promise.resolve();
    },
    async success(reply) {
      if (await settle()) await editReplyWithFiles(interaction, reply);
      else
        await replyWithFiles(interaction, {
          ...reply,
          flags: undefined,
        } as InteractionReplyOptions);
    },
    async failure(text) {
      if (await settle()) {
        // The deferred reply is public; an error is only for the person who asked.
        await interaction.deleteReply().catch(() => undefined);
        await interaction.followUp({ content: text, flags: MessageFlags.Ephemeral });
      } else {
        await interaction.reply({ content: text, flags: MessageFlags.Ephemeral });
      }
    },
  };
}

/**
 * A press on a private menu or button ("which one?", "confirm"): the private message becomes
 * a note (`working`, then `done`), the result a public follow-up. Both notes are markdown.
 */
export function componentResponder(
  interaction: MessageComponentInteraction,
  working: string,
  done: string,
): Responder {
  return {
    begin: async () => void (await interaction.update({ content: working, components: [] })),
    success: async (reply) => {
      await interaction.editReply({ content: done, components: [] });
      await followUpWithFiles(interaction, {
        embeds: reply.embeds ?? [],
        files: reply.files ?? [],
        components: reply.components ?? [],
      });
    },
    failure: async (text) => void (await interaction.editReply({ content: text, components: [] })),
  };
}

/**
 * A press on a button under a public message (a state reply): the message itself shows the
 * result, so the channel keeps one live panel; an error goes only to whoever pressed.
 */
export function panelResponder(interaction: ButtonInteraction): Responder {
  return {
    begin: async () => void (await interaction.deferUpdate()),
    success: async (reply) => void (await editReplyWithFiles(interaction, reply)),
    failure: async (text) =>
      void (await interaction.followUp({ content: text, flags: MessageFlags.Ephemeral })),
  };
}
