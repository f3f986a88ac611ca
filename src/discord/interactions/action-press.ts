import {
  MessageFlags,
  type ButtonInteraction,
  type Message,
  type ModalSubmitInteraction,
  type StringSelectMenuInteraction,
} from 'discord.js';
import {
  actionEventData,
  alreadyAnswered,
  checkPress,
  describePress,
} from '../../actions/press.js';
import { askToConfirm } from '../../commands/confirm.js';
import { describeHaError, unavailableText } from '../../commands/replies.js';
import type { Reply } from '../../commands/reply.js';
import type { Caller, CommandContext } from '../../commands/types.js';
import { toHaError } from '../../ha/errors.js';
import type { ActionMessageStore, StoredActions } from '../../storage/action-messages.js';
import {
  actionRows,
  askModal,
  componentsAfterPress,
  MODAL_TEXT_ID,
  pressedLine,
} from '../action-components.js';
import { render, replyError } from './render.js';

export type ActionInteraction =
  ButtonInteraction | StringSelectMenuInteraction | ModalSubmitInteraction;

export interface ActionPressDeps {
  store: Pick<ActionMessageStore, 'get' | 'claim' | 'release'>;
  /** The HA event a press fires (discord_bridge_action). */
  eventType: string;
  now?: () => number;
}

/** Handles a press on a button or menu of an actionable message (custom id `ha:act:…`). */
export type ActionPresses = (
  interaction: ActionInteraction,
  id: { key: string; item: string },
  caller: Caller,
) => Promise<void>;

/**
 * A press: checked (known, not expired, allowed), then a text box or a confirmation when the
 * button asks for one, then the HA event (and an audit entry, as for commands) and the
 * message's change (`on_press`) with who pressed. HA's answer comes as a later send.
 */
export function createActionPresses(deps: ActionPressDeps, ctx: CommandContext): ActionPresses {
  const now = deps.now ?? Date.now;

  /**
   * Fires the event, records it and shows the press on the message (`show`); the words of
   * what went wrong, or undefined. A message whose buttons change on a press is answered
   * once: the first press claims it atomically, a second one at the same moment is told who
   * answered (and fires nothing). Its press is shown before the event fires, so the
   * automation's answer (an edit by the tag) lands after it, never under it.
   */
  async function fire(
    stored: StoredActions,
    data: Record<string, unknown>,
    by: Caller,
    confirmed: boolean,
    show: (body: object) => Promise<unknown>,
  ) {
    const shown = afterPress(stored, String(data.label), by);
    const once = stored.actions.onPress !== 'keep';
    if (once && !deps.store.claim(stored.key, by.userName))
      return alreadyAnswered(deps.store.get(stored.key)?.pressedBy ?? 'someone else');
    if (once) await show(shown);
    try {
      await ctx.ha.fireEvent(deps.eventType, data);
    } catch (error) {
      if (once) {
        // Not answered after all: the buttons come back for another try.
        deps.store.release(stored.key);
        await show({ content: '', components: actionRows(stored.key, stored.actions) });
      }
      return `Home Assistant did not take the press: ${describeHaError(toHaError(error))}`;
    }
    if (!once) await show(shown);
    ctx.audit.record({
      userId: by.userId,
      userName: by.userName,
      guildId: by.guildId,
      channelId: by.channelId,
      command: 'button',
      domain: 'event',
      service: deps.eventType,
      entityIds: [],
      contextId: undefined,
      confirmed,
      error: undefined,
    });
    ctx.log.info(
      { userId: by.userId, action: data.action, messageId: data.message_id },
      'button press sent to Home Assistant',
    );
    return undefined;
  }

  const afterPress = (stored: StoredActions, label: string, by: Caller) => ({
    content: pressedLine(label, by.userName, now()),
    allowed_mentions: { parse: [] },
    ...componentsAfterPress(stored.key, stored.actions),
  });

  return async (interaction, id, caller) => {
    const check = checkPress(deps.store.get(id.key), id.item, caller, ctx.access, now());
    if (!check.ok) return replyError(interaction, check.text);
    const { stored, pressed } = check;

    if (pressed.kind === 'button' && pressed.button.ask && interaction.isButton()) {
      const modal = askModal(stored.key, pressed.index, pressed.button);
      if (modal) return interaction.showModal(modal);
    }
    const choice = interaction.isStringSelectMenu() ? Number(interaction.values[0]) : undefined;
    const what = describePress(pressed, choice);
    if (what === undefined)
      return replyError(interaction, 'That choice is not on the menu any more: nothing was sent.');
    const text = interaction.isModalSubmit()
      ? interaction.fields.getTextInputValue(MODAL_TEXT_ID)
      : undefined;
    const down = unavailableText(ctx.ha.status);
    if (down) return replyError(interaction, down);
    const message = interaction.message;
    if (message === null) return replyError(interaction, 'The message of that button is gone.');
    const data = actionEventData({ stored, ...what, text, messageId: message.id, caller });

    if (pressed.kind === 'button' && pressed.button.confirm && interaction.isButton()) {
      const reply = askToConfirm(
        {
          userId: caller.userId,
          action: 'event',
          entityIds: [],
          seen: new Map(),
          summary: what.label,
          run: async (by): Promise<Reply> => {
            // The buttons may have expired while the question was open.
            const still = checkPress(deps.store.get(id.key), id.item, by, ctx.access, now());
            if (!still.ok) return { kind: 'note', text: still.text };
            // The same person who pressed: pressConfirm lets no one else confirm.
            const failure = await fire(stored, data, by, true, (body) => edit(message, body, ctx));
            if (failure) return { kind: 'note', text: failure };
            return { kind: 'note', text: `Done: ${what.label}.` };
          },
        },
        ['the automation asked for it'],
        ctx,
      );
      return render(reply, { kind: 'panel', interaction });
    }

    await interaction.deferUpdate();
    const failure = await fire(stored, data, caller, false, (body) => interaction.editReply(body));
    if (failure) await interaction.followUp({ content: failure, flags: MessageFlags.Ephemeral });
  };
}

async function edit(message: Message, body: object, ctx: CommandContext): Promise<void> {
  await message
    .edit(body)
    .catch((error: unknown) =>
      ctx.log.warn(
        { err: error, messageId: message.id },
        'could not show the press on the message',
      ),
    );
}
