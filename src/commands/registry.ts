import {
  InteractionContextType,
  PermissionFlagsBits,
  SlashCommandBuilder,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import { aboutCommand } from './about.js';
import { askCommand } from './ask.js';
import { callCommand } from './call.js';
import { eventCommand } from './event.js';
import { listCommand } from './list.js';
import { reloadCommand } from './reload.js';
import { controlCommand } from './control.js';
import { muteCommand, unmuteCommand } from './mute.js';
import { stateCommand } from './state.js';
import { historyCommand } from './history.js';
import { logbookCommand } from './logbook.js';
import { cameraCommand } from './camera.js';
import { watchAddCommand, watchListCommand, watchRemoveCommand } from './watch.js';
import type { Subcommand } from './types.js';
import type { Policy } from '../policy/schema.js';

/** Every `/ha` subcommand. Adding one is adding its file and a line here. */
export const subcommands: readonly Subcommand[] = [
  stateCommand,
  listCommand,
  controlCommand('toggle'),
  controlCommand('on'),
  controlCommand('off'),
  controlCommand('lock'),
  controlCommand('unlock', { code: true }),
  controlCommand('open', { code: true }),
  controlCommand('arm_away', {
    name: 'arm',
    code: true,
    modes: { away: 'arm_away', home: 'arm_home', night: 'arm_night', vacation: 'arm_vacation' },
  }),
  controlCommand('disarm', { code: true }),
  callCommand,
  askCommand,
  eventCommand,
  watchAddCommand,
  watchListCommand,
  watchRemoveCommand,
  muteCommand,
  unmuteCommand,
  cameraCommand,
  historyCommand,
  logbookCommand,
  aboutCommand,
  reloadCommand,
];

export const ROOT_COMMAND = 'ha';

const GROUP_DESCRIPTIONS: Record<string, string> = {
  watch: 'Alerts for entities, added from Discord',
};

/** The router's key for a subcommand: `state`, or `watch add` inside a group. */
export const commandKey = (sub: Pick<Subcommand, 'name' | 'group'>) =>
  sub.group ? `${sub.group} ${sub.name}` : sub.name;

/** Who Discord shows `/ha` to before the bot's own policy has its say. */
export interface CommandVisibility {
  /** Discord's `default_member_permissions`: null shows it to every member. */
  memberPermissions: bigint | null;
  /** Offer it in direct messages with the bot. */
  dms: boolean;
}

/**
 * Derived from the policy: a policy that grants nothing (only Manage Server may act) hides
 * `/ha` from members who could do nothing with it; DMs only when someone may use them.
 * Server admins can narrow it further per role or channel in Discord's own settings.
 */
export function commandVisibility(policy: Policy): CommandVisibility {
  return {
    memberPermissions: policy.grants.length === 0 ? PermissionFlagsBits.ManageGuild : null,
    dms: policy.dm_users.length > 0,
  };
}

export function buildCommands(
  list: readonly Subcommand[] = subcommands,
  visibility: CommandVisibility = { memberPermissions: null, dms: false },
): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  const root = new SlashCommandBuilder()
    .setName(ROOT_COMMAND)
    .setDescription('Read and control Home Assistant')
    .setDefaultMemberPermissions(visibility.memberPermissions)
    .setContexts(
      visibility.dms
        ? [InteractionContextType.Guild, InteractionContextType.BotDM]
        : [InteractionContextType.Guild],
    );
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
