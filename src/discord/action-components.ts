import {
  ButtonStyle,
  ComponentType,
  TextInputStyle,
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIComponentInMessageActionRow,
  type APIMessageComponentEmoji,
  type APIModalInteractionResponseCallbackData,
  type APISelectMenuOption,
} from 'discord.js';
import type { ActionButton, Actions, ButtonStyleName } from '../actions/schema.js';
import type { Logger } from '../logging/logger.js';
import { encodeCustomId } from './custom-id.js';
import { plain } from './format.js';
import type { AlertCharts } from '../charts/alert-chart.js';
import { haMessageRequest, type ImageSource } from './ha-message.js';
import type { MessageRequest, RenderedMessage, RowOf } from './renderers.js';

/** The select menu's item in a custom id (buttons are 0, 1, …). */
export const SELECT_ITEM = 's';
/** The text box's custom id inside a modal (the modal itself carries the button's id). */
export const MODAL_TEXT_ID = 'text';

const STYLES: Record<
  ButtonStyleName,
  ButtonStyle.Primary | ButtonStyle.Secondary | ButtonStyle.Success | ButtonStyle.Danger
> = {
  primary: ButtonStyle.Primary,
  secondary: ButtonStyle.Secondary,
  success: ButtonStyle.Success,
  danger: ButtonStyle.Danger,
};

type Row = APIActionRowComponent<APIComponentInMessageActionRow>;

/** `🚪` or `<:door:123…>` as Discord's emoji object. */
export function emojiObject(emoji: string): APIMessageComponentEmoji {
  const custom = /^<(a?):(\w{2,32}):(\d{17,20})>$/.exec(emoji);
  if (custom) return { id: custom[3]!, name: custom[2]!, animated: custom[1] === 'a' };
  return { name: emoji };
}

const actionId = (key: string, item: string) => encodeCustomId({ kind: 'action', key, item });

function buttonComponent(
  key: string,
  b: ActionButton,
  index: number,
  disabled: boolean,
): APIButtonComponent | undefined {
  const common = {
    type: ComponentType.Button as const,
    label: plain(b.label, 80) || '…',
    ...(b.emoji ? { emoji: emojiObject(b.emoji) } : {}),
  };
  // A link keeps working after a press: it does nothing in the bot.
  if (b.url !== undefined) return { ...common, style: ButtonStyle.Link, url: b.url };
  const id = actionId(key, String(index));
  if (id === undefined) return undefined;
  return {
    ...common,
    style: STYLES[b.style ?? 'secondary'],
    custom_id: id,
    ...(disabled ? { disabled: true } : {}),
  };
}

/**
 * The message's buttons (rows of 5) and select menu (a row of its own) as Discord's
 * components; `disabled` greys out all but link buttons (after a press, `on_press: disable`).
 * A select option's value is its index: the stored definition says what it stands for.
 */
export function actionRows(key: string, actions: Actions, disabled = false): Row[] {
  const buttons = actions.buttons
    .map((b, i) => buttonComponent(key, b, i, disabled))
    .filter((b): b is APIButtonComponent => b !== undefined);
  const rows: Row[] = [];
  for (let i = 0; i < buttons.length; i += 5)
    rows.push({ type: ComponentType.ActionRow, components: buttons.slice(i, i + 5) });
  const select = actions.select;
  const selectId = select && actionId(key, SELECT_ITEM);
  if (select && selectId) {
    const options: APISelectMenuOption[] = select.options.map((o, i) => ({
      label: plain(o.label, 100) || '…',
      value: String(i),
      ...(o.description ? { description: plain(o.description, 100) } : {}),
      ...(o.emoji ? { emoji: emojiObject(o.emoji) } : {}),
    }));
    rows.push({
      type: ComponentType.ActionRow,
      components: [
        {
          type: ComponentType.StringSelect,
          custom_id: selectId,
          options,
          ...(select.placeholder ? { placeholder: plain(select.placeholder, 150) } : {}),
          min_values: 1,
          max_values: 1,
          ...(disabled ? { disabled: true } : {}),
        },
      ],
    });
  }
  return rows.slice(0, 5);
}

/** The components after a press, as `on_press` says; undefined: leave them as they are. */
export function componentsAfterPress(
  key: string,
  actions: Actions,
): { components: Row[] } | undefined {
  switch (actions.onPress) {
    case 'remove':
      return { components: [] };
    case 'disable':
      return { components: actionRows(key, actions, true) };
    default:
      return undefined;
  }
}

/** "**Open gate** · Alice · 21:04" (the time in each reader's own time zone). */
export function pressedLine(what: string, userName: string, atMs: number): string {
  const label = plain(what, 100).replace(/\*/g, '');
  const name = plain(userName, 64).replace(/\*/g, '');
  return `**${label}** · ${name} · <t:${Math.floor(atMs / 1000)}:t>`;
}

/** The modal a button with `ask` opens: one text box, its id the button's. */
export function askModal(
  key: string,
  index: number,
  button: ActionButton,
): APIModalInteractionResponseCallbackData | undefined {
  const id = actionId(key, String(index));
  if (id === undefined || button.ask === undefined) return undefined;
  const { label, placeholder, required } = button.ask;
  return {
    custom_id: id,
    title: plain(button.label, 45) || 'Home Assistant',
    components: [
      {
        type: ComponentType.Label,
        label: plain(label, 45) || 'Text',
        component: {
          type: ComponentType.TextInput,
          custom_id: MODAL_TEXT_ID,
          style: TextInputStyle.Paragraph,
          required,
          max_length: 1000,
          ...(placeholder ? { placeholder: plain(placeholder, 100) } : {}),
        },
      },
    ],
  };
}

/** One actionable message per Discord message: its HA message (embed, picture) and components. */
export function renderActionMessage(
  rows: readonly RowOf<'actionable'>[],
  images: ImageSource,
  log: Logger,
  charts?: AlertCharts,
): RenderedMessage {
  const head = rows[0]!.payload;
  return {
    count: 1,
    request: async (): Promise<MessageRequest> => {
      const request = await haMessageRequest([head.message], images, log, charts);
      const components = actionRows(head.key, head.actions);
      const withComponents = (body: Record<string, unknown>) => ({ ...body, components });
      return {
        ...request,
        body: withComponents(request.body),
        ...(request.withoutFiles
          ? {
              withoutFiles: {
                ...request.withoutFiles,
                body: withComponents(request.withoutFiles.body),
              },
            }
          : {}),
      };
    },
  };
}
