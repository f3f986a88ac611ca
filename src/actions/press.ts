import { destinationKey } from './destination.js';
import type { Caller } from '../commands/types.js';
import type { AccessControl } from '../discord/access.js';
import type { StoredActions } from '../storage/action-messages.js';
import type { ActionButton, ActionSelect, Who } from './schema.js';

/** The HA event a press fires, like `telegram_callback` for Telegram's inline keyboards. */
export const DEFAULT_ACTION_EVENT = 'discord_bridge_action';

/** What was pressed: a button (by its index), or the select menu. */
export type Pressed =
  | { kind: 'button'; index: number; button: ActionButton & { action: string } }
  | { kind: 'select'; select: ActionSelect };

export type PressCheck =
  { ok: false; text: string } | { ok: true; stored: StoredActions; pressed: Pressed };

const NOTHING_SENT = 'nothing was sent to Home Assistant';

/** The button or menu `item` of a stored message; undefined when it has none such. */
function pressedItem(stored: StoredActions, item: string): Pressed | undefined {
  if (item === 's') {
    const select = stored.actions.select;
    return select ? { kind: 'select', select } : undefined;
  }
  if (!/^\d{1,2}$/.test(item)) return undefined;
  const index = Number(item);
  const button = stored.actions.buttons[index];
  if (button?.action === undefined) return undefined;
  return { kind: 'button', index, button: { ...button, action: button.action } };
}

function listed(who: Who, caller: Caller): boolean {
  const names = caller.roleNames.map((n) => n.toLowerCase());
  return (
    (who.users ?? []).includes(caller.userId) ||
    (who.roles ?? []).some((r) => caller.roleIds.includes(r) || names.includes(r.toLowerCase()))
  );
}

/**
 * Whether this press counts, before anything is done: the definition is known, not expired,
 * and the person may press. A button or menu that lists `roles`/`users` is for them alone;
 * otherwise the access policy decides, as for `/ha event` (action `event`): a press fires
 * an HA event.
 */
export function checkPress(
  stored: StoredActions | undefined,
  item: string,
  caller: Caller,
  access: Pick<AccessControl, 'check'>,
  now: number,
): PressCheck {
  if (stored === undefined)
    return {
      ok: false,
      text: `This button is no longer known to the bot (its message is too old, or the bot's data was reset): ${NOTHING_SENT}.`,
    };
  if (stored.expiresAt !== undefined && now >= stored.expiresAt)
    return {
      ok: false,
      text: `This message's buttons expired <t:${Math.floor(stored.expiresAt / 1000)}:R>: ${NOTHING_SENT}.`,
    };
  if (stored.pressedBy !== undefined && stored.actions.onPress !== 'keep')
    return { ok: false, text: alreadyAnswered(stored.pressedBy) };
  const pressed = pressedItem(stored, item);
  if (pressed === undefined)
    return { ok: false, text: `This button is not on the message any more: ${NOTHING_SENT}.` };
  const who = pressed.kind === 'button' ? pressed.button : pressed.select;
  if (who.roles !== undefined || who.users !== undefined) {
    if (!listed(who, caller))
      return {
        ok: false,
        text: `This ${pressed.kind === 'button' ? 'button' : 'menu'} is only for the people and roles the automation named: ${NOTHING_SENT}.`,
      };
  } else if (stored.channelId !== dmKeyOf(caller.userId)) {
    // In a direct message HA sent (to a user HA_SEND_USERS allows) its recipient may press;
    // anywhere else the policy decides.
    const d = access.check(caller, 'event');
    if (!d.allowed)
      return { ok: false, text: `${d.reason.replace(/\.$/, '')}. ${cap(NOTHING_SENT)}.` };
  }
  return { ok: true, stored, pressed };
}

/** The private reply to a press on a message someone answered first. */
export const alreadyAnswered = (by: string): string =>
  `This message was already answered by ${by}: ${NOTHING_SENT}.`;

/** The destination key of a direct message to this user (see src/actions/destination.ts). */
const dmKeyOf = (userId: string) => destinationKey({ kind: 'dm', userId });

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The action id and the words for what was pressed (a select: the option chosen). */
export function describePress(
  pressed: Pressed,
  choice: number | undefined,
): { action: string; label: string; value: string | undefined } | undefined {
  if (pressed.kind === 'button')
    return { action: pressed.button.action, label: pressed.button.label, value: undefined };
  const option = choice === undefined ? undefined : pressed.select.options[choice];
  if (option === undefined) return undefined;
  return { action: pressed.select.action, label: option.label, value: option.value };
}

/** The data of the HA event for a press: flat, for templates (`trigger.event.data.user_name`). */
export function actionEventData(p: {
  stored: StoredActions;
  action: string;
  label: string;
  value: string | undefined;
  text: string | undefined;
  messageId: string;
  caller: Caller;
}): Record<string, unknown> {
  const { stored, caller } = p;
  // discord.js counts @everyone (the role whose id is the server's) among a member's roles.
  const roleIds = caller.roleIds.filter((id) => id !== caller.guildId);
  const roles = caller.roleNames.filter((n) => n !== '@everyone');
  return {
    action: p.action,
    label: p.label,
    ...(p.value !== undefined ? { value: p.value } : {}),
    ...(p.text !== undefined ? { text: p.text } : {}),
    message_id: p.messageId,
    channel_id: caller.channelId ?? stored.channelId,
    guild_id: caller.guildId,
    ...(stored.tag !== undefined ? { tag: stored.tag } : {}),
    user_id: caller.userId,
    user_name: caller.userName,
    roles,
    role_ids: roleIds,
  };
}
