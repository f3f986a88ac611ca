import { randomBytes } from 'node:crypto';
import type { FakeChannel, FakeGuild, FakeThread, Json, RecordedFile } from './types.js';

const DISCORD_EPOCH = 1_420_070_400_000n;
let increment = 0n;

/** A real-looking snowflake (18-19 digits) made from the current time. */
export function snowflake(at = Date.now()): string {
  increment = (increment + 1n) & 0xfffn;
  return (((BigInt(at) - DISCORD_EPOCH) << 22n) | (1n << 17n) | increment).toString();
}

export function interactionToken(): string {
  return `aW50ZXJhY3Rpb246${randomBytes(96).toString('base64url')}`;
}

const bit = (n: number) => 1n << BigInt(n);
export const Permission = {
  CreateInstantInvite: bit(0),
  Administrator: bit(3),
  AddReactions: bit(6),
  ViewChannel: bit(10),
  SendMessages: bit(11),
  EmbedLinks: bit(14),
  AttachFiles: bit(15),
  ReadMessageHistory: bit(16),
  UseExternalEmojis: bit(18),
  Connect: bit(20),
  Speak: bit(21),
  ChangeNickname: bit(26),
  UseApplicationCommands: bit(31),
  CreatePublicThreads: bit(35),
  SendMessagesInThreads: bit(38),
};

/** Roughly what @everyone gets in a new server: read, write, react, use commands. No admin. */
export const DEFAULT_EVERYONE_PERMISSIONS = [
  Permission.CreateInstantInvite,
  Permission.AddReactions,
  Permission.ViewChannel,
  Permission.SendMessages,
  Permission.EmbedLinks,
  Permission.AttachFiles,
  Permission.ReadMessageHistory,
  Permission.UseExternalEmojis,
  Permission.Connect,
  Permission.Speak,
  Permission.ChangeNickname,
  Permission.UseApplicationCommands,
  Permission.CreatePublicThreads,
  Permission.SendMessagesInThreads,
]
  .reduce((a, b) => a | b, 0n)
  .toString();

export function userObject(id: string, username: string, bot = false): Json {
  return {
    id,
    username,
    global_name: bot ? null : username,
    discriminator: bot ? '0000' : '0',
    avatar: null,
    public_flags: 0,
    flags: 0,
    ...(bot ? { bot: true } : {}),
    avatar_decoration_data: null,
    collectibles: null,
    primary_guild: null,
  };
}

/** Guild with @everyone (id = guild id) first, as Discord always has it. */
export function normalizeGuild(guild: FakeGuild): Required<FakeGuild> {
  const roles = guild.roles ?? [];
  const everyone = roles.find((r) => r.id === guild.id) ?? {
    id: guild.id,
    name: '@everyone',
    permissions: DEFAULT_EVERYONE_PERMISSIONS,
  };
  return {
    ...guild,
    // Its own copies: a test may change a channel's overwrites (setChannelOverwrites).
    channels: guild.channels.map((c) => ({ ...c })),
    roles: [everyone, ...roles.filter((r) => r.id !== guild.id)],
    botRoles: guild.botRoles ?? [],
  };
}

export function roleObject(role: { id: string; name: string; permissions?: string }, i: number) {
  return {
    id: role.id,
    name: role.name,
    description: null,
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    position: i,
    permissions: role.permissions ?? '0',
    managed: false,
    mentionable: false,
    flags: 0,
  };
}

export function channelObject(guildId: string, channel: FakeChannel, i = 0) {
  const forum =
    channel.type === 15
      ? {
          available_tags: [],
          default_reaction_emoji: null,
          default_sort_order: null,
          default_forum_layout: 0,
          default_thread_rate_limit_per_user: 0,
        }
      : {};
  return {
    ...forum,
    id: channel.id,
    type: channel.type ?? 0,
    guild_id: guildId,
    name: channel.name,
    position: i,
    flags: 0,
    parent_id: null,
    topic: null,
    nsfw: false,
    last_message_id: null,
    rate_limit_per_user: 0,
    permission_overwrites: channel.overwrites ?? [],
  };
}

/** A thread channel as Discord returns it (GET /channels/:id, thread creation). */
export function threadObject(t: FakeThread, messageCount: number) {
  return {
    id: t.id,
    type: t.type,
    guild_id: t.guildId,
    parent_id: t.parentId,
    name: t.name,
    owner_id: t.ownerId,
    flags: 0,
    last_message_id: null,
    rate_limit_per_user: 0,
    message_count: messageCount,
    member_count: 1,
    total_message_sent: messageCount,
    thread_metadata: {
      archived: t.archived,
      auto_archive_duration: t.autoArchiveDuration,
      archive_timestamp: new Date(t.createdAt).toISOString(),
      locked: t.locked,
      create_timestamp: new Date(t.createdAt).toISOString(),
    },
  };
}

export function dmChannelObject(id: string, recipient: Json) {
  return { id, type: 1, flags: 0, last_message_id: null, recipients: [recipient] };
}

export function memberObject(user: Json, roles: string[], joinedAt: string, permissions?: string) {
  return {
    user,
    roles,
    nick: null,
    avatar: null,
    banner: null,
    premium_since: null,
    joined_at: joinedAt,
    deaf: false,
    mute: false,
    flags: 0,
    pending: false,
    communication_disabled_until: null,
    unusual_dm_activity_until: null,
    ...(permissions === undefined ? {} : { permissions }),
  };
}

/** Guild as GET /guilds/:id returns it (no channels or members). */
export function guildObject(guild: Required<FakeGuild>, ownerId: string): Json {
  return {
    id: guild.id,
    name: guild.name,
    icon: null,
    splash: null,
    discovery_splash: null,
    banner: null,
    description: null,
    owner_id: ownerId,
    application_id: null,
    region: 'deprecated',
    afk_channel_id: null,
    afk_timeout: 300,
    system_channel_id: guild.channels[0]?.id ?? null,
    system_channel_flags: 0,
    widget_enabled: false,
    widget_channel_id: null,
    verification_level: 0,
    default_message_notifications: 1,
    explicit_content_filter: 0,
    mfa_level: 0,
    nsfw_level: 0,
    premium_tier: 0,
    premium_subscription_count: 0,
    premium_progress_bar_enabled: false,
    preferred_locale: 'en-US',
    rules_channel_id: null,
    public_updates_channel_id: null,
    safety_alerts_channel_id: null,
    max_members: 25_000_000,
    max_video_channel_users: 25,
    max_stage_video_channel_users: 50,
    vanity_url_code: null,
    features: [],
    roles: guild.roles.map(roleObject),
    emojis: [],
    stickers: [],
    incidents_data: null,
  };
}

/** The GUILD_CREATE dispatch: the guild plus channels and the bot's own member. */
export function guildCreate(
  guild: Required<FakeGuild>,
  ownerId: string,
  botUser: Json,
  joinedAt: string,
): Json {
  return {
    ...guildObject(guild, ownerId),
    unavailable: false,
    large: false,
    lazy: true,
    joined_at: joinedAt,
    member_count: 2,
    channels: guild.channels.map((c, i) => channelObject(guild.id, c, i)),
    threads: [],
    members: [memberObject(botUser, guild.botRoles, joinedAt)],
    presences: [],
    voice_states: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
    embedded_activities: [],
  };
}

export interface MessageParts {
  id: string;
  channelId: string;
  guildId?: string;
  author: Json;
  body: Json;
  at: number;
  editedAt?: number;
  files?: RecordedFile[];
  /** For messages sent through an interaction webhook. */
  interaction?: { applicationId: string; metadata: Json; type: number };
}

/** A message object as Discord returns it, made from what the bot sent. */
export function messageObject(m: MessageParts): Json {
  const body = m.body ?? {};
  return {
    id: m.id,
    type: m.interaction?.type ?? (body.message_reference ? 19 : 0),
    channel_id: m.channelId,
    ...(m.guildId ? { guild_id: m.guildId } : {}),
    author: m.author,
    content: body.content ?? '',
    embeds: (body.embeds ?? []).map((e: Json) => ({ type: 'rich', ...e })),
    components: body.components ?? [],
    attachments: (m.files ?? []).map((f) => ({
      id: snowflake(m.at),
      filename: f.name,
      size: f.size,
      content_type: f.contentType,
      url: `https://cdn.discordapp.com/attachments/${m.channelId}/${m.id}/${f.name}`,
      proxy_url: `https://media.discordapp.net/attachments/${m.channelId}/${m.id}/${f.name}`,
    })),
    mentions: [],
    mention_roles: [],
    mention_everyone: false,
    pinned: false,
    tts: Boolean(body.tts),
    timestamp: new Date(m.at).toISOString(),
    edited_timestamp: m.editedAt ? new Date(m.editedAt).toISOString() : null,
    flags: body.flags ?? 0,
    ...(body.nonce === undefined ? {} : { nonce: body.nonce }),
    ...(m.interaction
      ? {
          webhook_id: m.interaction.applicationId,
          application_id: m.interaction.applicationId,
          interaction_metadata: m.interaction.metadata,
        }
      : {}),
  };
}

/** A registered application command as Discord returns it. */
export function commandObject(
  appId: string,
  body: Json,
  id: string,
  version: string,
  guildId?: string,
): Json {
  return {
    id,
    application_id: appId,
    version,
    default_member_permissions: body.default_member_permissions ?? null,
    type: body.type ?? 1,
    name: body.name,
    name_localizations: body.name_localizations ?? null,
    description: body.description ?? '',
    description_localizations: body.description_localizations ?? null,
    ...(guildId ? { guild_id: guildId } : { dm_permission: body.dm_permission ?? true }),
    options: body.options ?? [],
    nsfw: body.nsfw ?? false,
    contexts: body.contexts ?? null,
    integration_types: body.integration_types ?? [0],
  };
}
