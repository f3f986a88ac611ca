import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  type APIActionRowComponent,
  type APIButtonComponent,
} from 'discord.js';

/**
 * Buttons carry what they act on in their custom id (`ha:btn:<subcommand>:<args>`), so a
 * press works after a restart and needs no stored state. Discord allows 100 characters.
 */
export const BUTTON_PREFIX = 'ha:btn:';
const MAX_CUSTOM_ID = 100;

export function buttonId(subcommand: string, ...args: string[]): string | undefined {
  const id = `${BUTTON_PREFIX}${[subcommand, ...args].join(':')}`;
  return id.length <= MAX_CUSTOM_ID ? id : undefined;
}

export function parseButtonId(
  customId: string,
): { subcommand: string; args: string[] } | undefined {
  if (!customId.startsWith(BUTTON_PREFIX)) return undefined;
  const [subcommand, ...args] = customId.slice(BUTTON_PREFIX.length).split(':');
  return subcommand ? { subcommand, args } : undefined;
}

export interface ButtonSpec {
  id: string | undefined;
  label: string;
  style?: ButtonStyle;
}

/** One row of buttons; those whose id would not fit are left out. */
export function buttonRow(
  specs: readonly ButtonSpec[],
): APIActionRowComponent<APIButtonComponent>[] {
  const buttons = specs
    .filter((s): s is ButtonSpec & { id: string } => s.id !== undefined)
    .slice(0, 5)
    .map((s) =>
      new ButtonBuilder()
        .setCustomId(s.id)
        .setLabel(s.label.slice(0, 80))
        .setStyle(s.style ?? ButtonStyle.Secondary),
    );
  if (buttons.length === 0) return [];
  return [new ActionRowBuilder<ButtonBuilder>().addComponents(buttons).toJSON()];
}

/** The "Mute 1 h" button under an alert (handled by `/ha mute`). */
export function muteButtons(entityId: string): APIActionRowComponent<APIButtonComponent>[] {
  return buttonRow([{ id: buttonId('mute', entityId, '1h'), label: 'Mute 1 h' }]);
}
