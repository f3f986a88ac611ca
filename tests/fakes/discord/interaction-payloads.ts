import type { InteractionRecord } from './interaction.js';
import {
  DEFAULT_EVERYONE_PERMISSIONS,
  dmChannelObject,
  memberObject,
  snowflake,
  userObject,
} from './payloads.js';
import type { DiscordState } from './state.js';
import type { CommandOptionValue, InteractionTarget, Json, SlashCommandParams } from './types.js';

/** The user who sends interactions unless a test says otherwise: a plain member. */
export const DEFAULT_USER = { id: '190000000000000001', username: 'tester' };

export interface ResolvedTarget {
  guildId?: string;
  channelId: string;
  channel: Json;
  user: Json;
  /** Guild member with the permissions Discord computes for the channel. */
  member?: Json;
  appPermissions: string;
}

/** Where an interaction happens and who sends it; throws on a guild or channel the fake lacks. */
export function resolveTarget(state: DiscordState, t: InteractionTarget): ResolvedTarget {
  const user = userObject(t.user?.id ?? DEFAULT_USER.id, t.user?.username ?? DEFAULT_USER.username);
  state.users.set(user.id, user);
  if (t.dm) {
    const open = [...state.dmChannels.values()].find((c) => c.recipients[0].id === user.id);
    const channel = open ?? dmChannelObject(snowflake(), user);
    state.dmChannels.set(channel.id, channel);
    return { channelId: channel.id, channel, user, appPermissions: DEFAULT_EVERYONE_PERMISSIONS };
  }
  const guild = t.guildId === undefined ? state.guilds[0] : state.guild(t.guildId);
  if (!guild) throw new Error(`Fake Discord: no guild ${t.guildId}`);
  const channelId = t.channelId ?? guild.channels[0]?.id;
  const found = channelId === undefined ? undefined : state.channel(channelId);
  if (!found || found.guildId !== guild.id) {
    throw new Error(`Fake Discord: no channel ${channelId} in guild ${guild.id}`);
  }
  const roleIds = (t.user?.roles ?? []).map(
    (r) => guild.roles.find((role) => role.id === r || role.name === r)?.id ?? r,
  );
  const everyone = guild.roles[0]!;
  const permissions =
    t.user?.permissions ??
    guild.roles
      .filter((role) => role === everyone || roleIds.includes(role.id))
      .reduce((sum, role) => sum | BigInt(role.permissions ?? '0'), 0n)
      .toString();
  const member = memberObject(user, roleIds, state.joinedAt, permissions);
  state.members.set(`${guild.id}:${user.id}`, memberObject(user, roleIds, state.joinedAt));
  return {
    guildId: guild.id,
    channelId: found.channel.id,
    channel: found.channel,
    user,
    member,
    appPermissions: everyone.permissions ?? DEFAULT_EVERYONE_PERMISSIONS,
  };
}

/** INTERACTION_CREATE's payload, with every field discord.js reads. */
export function interactionPayload(
  state: DiscordState,
  record: InteractionRecord,
  target: ResolvedTarget,
  data: Json,
): Json {
  const { guildId } = target;
  return {
    id: record.id,
    application_id: state.applicationId,
    type: record.type,
    data,
    token: record.token,
    version: 1,
    ...(guildId
      ? {
          guild_id: guildId,
          guild: { id: guildId, locale: 'en-US', features: [] },
          guild_locale: 'en-US',
          member: target.member,
          context: 0,
        }
      : { user: target.user, context: 1 }),
    channel_id: target.channelId,
    channel: target.channel,
    app_permissions: target.appPermissions,
    locale: 'en-US',
    entitlements: [],
    authorizing_integration_owners: { '0': guildId ?? '0' },
    attachment_size_limit: 10_485_760,
    ...(record.componentMessage ? { message: record.componentMessage } : {}),
  };
}

/**
 * Application command data as Discord sends it. Option types come from the registered
 * command when there is one (so `getNumber` works on 2), else from the JS value.
 */
export function commandData(
  state: DiscordState,
  p: SlashCommandParams,
  guildId: string | undefined,
  focused?: string,
): Json {
  const registered =
    (guildId ? state.commands.guild.get(guildId) : undefined)?.find((c) => c.name === p.name) ??
    state.commands.global.find((c) => c.name === p.name);
  const group = p.subcommandGroup ? optionDef(registered?.options, p.subcommandGroup) : undefined;
  const sub = p.subcommand
    ? optionDef(group?.options ?? registered?.options, p.subcommand)
    : undefined;
  const defs = (sub ?? group ?? registered)?.options;
  let options: Json[] = (p.options ?? []).map((o) => option(o, optionDef(defs, o.name), focused));
  if (p.subcommand) options = [{ type: 1, name: p.subcommand, ...nonEmpty(options) }];
  if (p.subcommandGroup) options = [{ type: 2, name: p.subcommandGroup, options }];
  return {
    id: registered?.id ?? snowflake(),
    name: p.name,
    type: 1,
    ...(registered?.guild_id ? { guild_id: registered.guild_id } : {}),
    ...nonEmpty(options),
  };
}

function optionDef(defs: unknown, name: string): Json | undefined {
  return Array.isArray(defs) ? (defs as Json[]).find((d) => d.name === name) : undefined;
}

function option(o: CommandOptionValue, def: Json | undefined, focused?: string): Json {
  const inferred =
    typeof o.value === 'string'
      ? 3
      : typeof o.value === 'boolean'
        ? 5
        : Number.isInteger(o.value)
          ? 4
          : 10;
  return {
    name: o.name,
    type: o.type ?? def?.type ?? inferred,
    value: o.value,
    ...(focused === o.name ? { focused: true } : {}),
  };
}

function nonEmpty(options: Json[]): { options?: Json[] } {
  return options.length ? { options } : {};
}
