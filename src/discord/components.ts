import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  type APIActionRowComponent,
  type APIButtonComponent,
} from 'discord.js';
import { button, encodeCustomId } from './custom-id.js';
import type { ButtonData } from './message-data.js';

/** A button's id text (see custom-id.ts), or undefined when it would not fit. */
export function buttonId(subcommand: string, ...args: string[]): string | undefined {
  return encodeCustomId(button(subcommand, ...args));
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

const STYLES = {
  primary: ButtonStyle.Primary,
  secondary: ButtonStyle.Secondary,
  danger: ButtonStyle.Danger,
} as const;

/** Buttons as data (what commands return) as Discord's row. */
export function renderButtons(
  buttons: readonly ButtonData[],
): APIActionRowComponent<APIButtonComponent>[] {
  return buttonRow(
    buttons.map((b) => ({
      id: encodeCustomId(b.id),
      label: b.label,
      style: STYLES[b.style ?? 'secondary'],
    })),
  );
}

/** The "Mute 1 h" button under an alert (handled by `/ha mute`). */
export function muteButtons(entityId: string): APIActionRowComponent<APIButtonComponent>[] {
  return buttonRow([{ id: buttonId('mute', entityId, '1h'), label: 'Mute 1 h' }]);
}
