import {
  InteractionContextType,
  SlashCommandBuilder,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import { aboutCommand } from './about.js';
import { controlCommand } from './control.js';
import { muteCommand, unmuteCommand } from './mute.js';
import { stateCommand } from './state.js';
import { watchAddCommand, watchListCommand, watchRemoveCommand } from './watch.js';
import type { Subcommand } from './types.js';

/** Every `/ha` subcommand. Adding one is adding its file and a line here. */
export const subcommands: readonly Subcommand[] = [
  stateCommand,
  controlCommand('toggle'),
  controlCommand('on'),
  controlCommand('off'),
  watchAddCommand,
  watchListCommand,
  watchRemoveCommand,
  muteCommand,
  unmuteCommand,
  aboutCommand,
];

export const ROOT_COMMAND = 'ha';

const GROUP_DESCRIPTIONS: Record<string, string> = {
  watch: 'Alerts for entities, added from Discord',
};

/** The router's key for a subcommand: `state`, or `watch add` inside a group. */
export const commandKey = (sub: Pick<Subcommand, 'name' | 'group'>) =>
  sub.group ? `${sub.group} ${sub.name}` : sub.name;

export function buildCommands(
  list: readonly Subcommand[] = subcommands,
): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  const root = new SlashCommandBuilder()
    .setName(ROOT_COMMAND)
    .setDescription('Read and control Home Assistant')
    .setContexts(InteractionContextType.Guild, InteractionContextType.BotDM);
  const groups = new Map<string, Subcommand[]>();
  for (const sub of list) {
    if (sub.group === undefined) root.addSubcommand((s) => sub.build(s));
    else groups.set(sub.group, [...(groups.get(sub.group) ?? []), sub]);
  }
  for (const [group, subs] of groups) {
    root.addSubcommandGroup((g) => {
      g.setName(group).setDescription(GROUP_DESCRIPTIONS[group] ?? group);
      for (const sub of subs) g.addSubcommand((s) => sub.build(s));
      return g;
    });
  }
  return [root.toJSON()];
}
