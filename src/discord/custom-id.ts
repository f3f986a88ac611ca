/**
 * The one custom-id scheme of the bot's buttons and menus: `ha:<kind>:<payload>`. What a
 * component acts on travels in its id, so a press works after a restart without stored
 * state (a confirmation's token is the one exception: it names a pending action in memory).
 * Discord allows 100 characters; an id that would not fit is not made.
 *
 * The wire forms are those of earlier versions, so buttons under messages posted before an
 * upgrade still parse: `ha:btn:<command>:<args…>`, `ha:pick:<command>`,
 * `ha:confirm:<token>` and `ha:cancel:<token>`; and `ha:act:<key>:<item>` for the buttons of
 * messages sent by HA automations. Anything else starting `ha:` is "expired".
 * A pick may carry the command's other options: `ha:pick:<command>:<name>=<value>…`
 * (values URI-encoded, so a `:` or `=` in them cannot split the id).
 */
export type CustomId =
  /** A button under a message, handled by `command` (e.g. `state`, `list`, `mute`). */
  | { kind: 'button'; command: string; args: readonly string[] }
  /**
   * The "which one did you mean?" menu of `command` (its key: `state`, `watch add`), with
   * the options typed besides the ambiguous name (e.g. `period`), so the pick keeps them.
   */
  | { kind: 'pick'; command: string; options?: Readonly<Record<string, string>> }
  /** Confirm (or cancel) the pending action with this token. */
  | { kind: 'confirm'; token: string; confirmed: boolean }
  /**
   * A button, menu or text box of a message an HA automation sent (`discord_bridge_send`
   * with `buttons` or `select`): `key` names its stored definition, `item` the button
   * (0, 1, …) or `s` for the select menu. Never the automation's own text.
   */
  | { kind: 'action'; key: string; item: string };

export const MAX_CUSTOM_ID = 100;

const BUTTON = 'ha:btn:';
const PICK = 'ha:pick:';
const CONFIRM = 'ha:confirm:';
const CANCEL = 'ha:cancel:';
const ACTION = 'ha:act:';
/** A stored key and an item: short word characters only, so nothing else can ride in the id. */
const ACTION_PART = /^[A-Za-z0-9_-]{1,40}$/;

/** The id's text, or undefined when it would not fit in Discord's 100 characters. */
export function encodeCustomId(id: CustomId): string | undefined {
  const text =
    id.kind === 'button'
      ? `${BUTTON}${[id.command, ...id.args].join(':')}`
      : id.kind === 'pick'
        ? `${PICK}${[id.command, ...carried(id.options)].join(':')}`
        : id.kind === 'action'
          ? ACTION_PART.test(id.key) && ACTION_PART.test(id.item)
            ? `${ACTION}${id.key}:${id.item}`
            : undefined
          : `${id.confirmed ? CONFIRM : CANCEL}${id.token}`;
  if (text === undefined) return undefined;
  return text.length <= MAX_CUSTOM_ID ? text : undefined;
}

/** What a pressed component asks for, or undefined for an id this version did not make. */
export function parseCustomId(text: string): CustomId | undefined {
  if (text.startsWith(BUTTON)) {
    const [command, ...args] = text.slice(BUTTON.length).split(':');
    return command ? { kind: 'button', command, args } : undefined;
  }
  if (text.startsWith(PICK)) {
    const [command, ...pairs] = text.slice(PICK.length).split(':');
    if (!command) return undefined;
    if (pairs.length === 0) return { kind: 'pick', command };
    const options: Record<string, string> = {};
    for (const pair of pairs) {
      const at = pair.indexOf('=');
      if (at < 1) return undefined;
      try {
        options[pair.slice(0, at)] = decodeURIComponent(pair.slice(at + 1));
      } catch {
        return undefined;
      }
    }
    return { kind: 'pick', command, options };
  }
  if (text.startsWith(ACTION)) {
    const [key, item, ...rest] = text.slice(ACTION.length).split(':');
    if (key === undefined || item === undefined || rest.length > 0) return undefined;
    return ACTION_PART.test(key) && ACTION_PART.test(item)
      ? { kind: 'action', key, item }
      : undefined;
  }
  for (const [prefix, confirmed] of [
    [CONFIRM, true],
    [CANCEL, false],
  ] as const) {
    if (text.startsWith(prefix))
      return { kind: 'confirm', token: text.slice(prefix.length), confirmed };
  }
  return undefined;
}

/** A pick's carried options as `name=value` parts, in name order (the same id each time). */
function carried(options: Readonly<Record<string, string>> | undefined): string[] {
  if (options === undefined) return [];
  return Object.keys(options)
    .sort()
    .map((name) => `${name}=${encodeURIComponent(options[name]!)}`);
}

/** A button's id: `button('state', 'refresh', 'light.kitchen')`. */
export const button = (command: string, ...args: string[]): CustomId => ({
  kind: 'button',
  command,
  args,
});
