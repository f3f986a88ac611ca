import {
  ApplicationCommandType,
  ChannelType,
  InteractionContextType,
  PermissionFlagsBits,
  SlashCommandBuilder,
  SlashCommandSubcommandBuilder,
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
import type { OptionSpec } from './options.js';
import { ROOT_COMMAND } from './root.js';
import { commandKey } from './runner.js';
import type { AnyCommand } from './types.js';
import type { Policy } from '../policy/schema.js';

/** Every `/ha` subcommand. Adding one is adding its declaration and a line here. */
export const subcommands: readonly AnyCommand[] = [
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

export { ROOT_COMMAND };

const GROUP_DESCRIPTIONS: Record<string, string> = {
  watch: 'Alerts for entities, added from Discord',
};

export { commandKey };

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

/** One declared option on Discord's builder. */
function addOption(sub: SlashCommandSubcommandBuilder, o: OptionSpec): void {
  const base = <
    T extends { setName(n: string): T; setDescription(d: string): T; setRequired(r: boolean): T },
  >(
    b: T,
  ) =>
    b
      .setName(o.name)
      .setDescription(o.description)
      .setRequired(o.required ?? false);
  switch (o.type) {
    case 'string':
      sub.addStringOption((b) => {
        base(b);
        if (o.maxLength !== undefined) b.setMaxLength(o.maxLength);
        if (o.autocomplete) b.setAutocomplete(true);
        if (o.choices)
          b.addChoices(o.choices.map((c) => (typeof c === 'string' ? { name: c, value: c } : c)));
        return b;
      });
      return;
    case 'number':
      sub.addNumberOption((b) => {
        base(b);
        if (o.choices) b.addChoices(...o.choices);
        return b;
      });
      return;
    case 'integer':
      sub.addIntegerOption((b) => {
        base(b);
        if (o.minValue !== undefined) b.setMinValue(o.minValue);
        if (o.autocomplete) b.setAutocomplete(true);
        if (o.choices) b.addChoices(...o.choices);
        return b;
      });
      return;
    case 'boolean':
      sub.addBooleanOption((b) => base(b));
      return;
    case 'channel':
      sub.addChannelOption((b) => base(b).addChannelTypes(ChannelType.GuildText));
      return;
  }
}

/** A declared command as Discord's subcommand. */
function buildSubcommand(
  sub: SlashCommandSubcommandBuilder,
  command: AnyCommand,
): SlashCommandSubcommandBuilder {
  sub.setName(command.name).setDescription(command.description);
  for (const option of command.options ?? []) addOption(sub, option);
  return sub;
}

export function buildCommands(
  list: readonly AnyCommand[] = subcommands,
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
  const groups = new Map<string, AnyCommand[]>();
  const own: RESTPostAPIChatInputApplicationCommandsJSONBody[] = [];
  for (const sub of list) {
    if (sub.topLevel) own.push(buildTopLevel(sub, visibility));
    else if (sub.group === undefined) root.addSubcommand((s) => buildSubcommand(s, sub));
    else groups.set(sub.group, [...(groups.get(sub.group) ?? []), sub]);
  }
  for (const [group, subs] of groups) {
    root.addSubcommandGroup((g) => {
      g.setName(group).setDescription(GROUP_DESCRIPTIONS[group] ?? group);
      for (const sub of subs) g.addSubcommand((s) => buildSubcommand(s, sub));
      return g;
    });
  }
  return [root.toJSON(), ...own];
}

/**
 * A command beside `/ha` (a custom one from the config), built and checked by the same
 * builder as a subcommand. Shown as `/ha` is, except one only listed roles or users may use
 * (no policy `action`): the policy does not decide it, so Discord shows it to every member.
 */
function buildTopLevel(
  command: AnyCommand,
  visibility: CommandVisibility,
): RESTPostAPIChatInputApplicationCommandsJSONBody {
  const { name, description, options } = buildSubcommand(
    new SlashCommandSubcommandBuilder(),
    command,
  ).toJSON();
  const permissions = command.action === undefined ? null : visibility.memberPermissions;
  return {
    type: ApplicationCommandType.ChatInput,
    name,
    description,
    ...(options && options.length > 0 ? { options } : {}),
    default_member_permissions: permissions === null ? null : permissions.toString(),
    contexts: visibility.dms
      ? [InteractionContextType.Guild, InteractionContextType.BotDM]
      : [InteractionContextType.Guild],
  };
}
