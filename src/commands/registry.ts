import {
  InteractionContextType,
  SlashCommandBuilder,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import { controlCommand } from './control.js';
import { stateCommand } from './state.js';
import type { Subcommand } from './types.js';

/** Every `/ha` subcommand. Adding one is adding its file and a line here. */
export const subcommands: readonly Subcommand[] = [
  stateCommand,
  controlCommand('toggle'),
  controlCommand('on'),
  controlCommand('off'),
];

export const ROOT_COMMAND = 'ha';

export function buildCommands(
  list: readonly Subcommand[] = subcommands,
): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  const root = new SlashCommandBuilder()
    .setName(ROOT_COMMAND)
    .setDescription('Read and control Home Assistant')
    .setContexts(InteractionContextType.Guild);
  for (const sub of list) root.addSubcommand((s) => sub.build(s));
  return [root.toJSON()];
}
