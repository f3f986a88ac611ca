import { VERSION } from '../version.js';
import { describeNetworkError } from './http.js';
import {
  channelPermissions,
  INVITE_PERMISSIONS,
  missingPermissions,
  NEEDED_FOR_PICTURES,
  NEEDED_IN_CHANNEL,
  type Overwrite,
} from './permissions.js';
import type { CheckResult, HttpGet, HttpOutcome } from './types.js';

export interface DiscordTarget {
  token: string;
  apiUrl: string | undefined;
  guildId: string | undefined;
  /**
   * Channels the bot posts to, named for what they are ("Alert channel", "Channel of rule
   * 'doors'"); `pictures` where camera snapshots and `image_entity` messages go as well.
   */
  channels: readonly DiscordChannelTarget[];
}

export interface DiscordChannelTarget {
  id: string;
  label: string;
  pictures?: boolean;
}

interface Guild {
  id: string;
  name: string;
  owner_id: string;
  roles: { id: string; permissions: string }[];
}

interface Channel {
  id: string;
  name?: string;
  guild_id?: string;
  permission_overwrites?: Overwrite[];
}

type Api = <T>(
  path: string,
) => Promise<{ ok: true; body: T } | { ok: false; outcome: HttpOutcome }>;

/** The link that adds the bot with exactly the permissions it needs (View, Send, Embed, Attach). */
export function inviteUrl(applicationId: string, guildId?: string): string {
  const guild = guildId ? `&guild_id=${guildId}&disable_guild_select=true` : '';
  return `https://discord.com/oauth2/authorize?client_id=${applicationId}&scope=bot%20applications.commands&permissions=${INVITE_PERMISSIONS}${guild}`;
}

/**
 * Logs in over REST only (no gateway session, so a running bot is not disturbed), then checks
 * the server and every channel the bot posts to, computing its permissions there from the
 * server's roles and the channel's overwrites.
 */
export async function checkDiscord(target: DiscordTarget, get: HttpGet): Promise<CheckResult[]> {
  const base = `${(target.apiUrl ?? 'https://discord.com/api').replace(/\/+$/, '')}/v10`;
  const headers = {
    authorization: `Bot ${target.token}`,
    'user-agent': `DiscordBot (ha-discord-bridge, ${VERSION})`,
  };
  const api: Api = async <T>(path: string) => {
    const outcome = await get(`${base}${path}`, headers);
    return outcome.kind === 'response' && outcome.status === 200
      ? { ok: true as const, body: outcome.body as T }
      : { ok: false as const, outcome };
  };

  const results: CheckResult[] = [];
  const me = await api<{ id: string; username: string }>('/users/@me');
  if (!me.ok) {
    results.push(tokenFailure(me.outcome, target.apiUrl));
    results.push({
      name: 'Discord server and channels',
      status: 'skip',
      summary: 'skipped until the token works',
    });
    return results;
  }
  results.push({
    name: 'Discord bot token',
    status: 'ok',
    summary: `logged in as ${me.body.username} (${me.body.id})`,
  });
  const app = await api<{ id: string }>('/applications/@me');
  const applicationId = app.ok ? app.body.id : me.body.id;

  const guilds = new Map<string, Promise<GuildView | undefined>>();
  const guildView = (id: string) => {
    if (!guilds.has(id)) guilds.set(id, loadGuild(api, id, me.body.id));
    return guilds.get(id)!;
  };

  if (target.guildId) {
    const guild = await guildView(target.guildId);
    results.push(
      guild
        ? { name: 'Discord server', status: 'ok', summary: `the bot is in ${guild.guild.name}` }
        : {
            name: 'Discord server',
            status: 'fail',
            summary: `the bot is not in server ${target.guildId} (DISCORD_GUILD_ID)`,
            details: [
              `Invite it: ${inviteUrl(applicationId, target.guildId)}`,
              'Or check DISCORD_GUILD_ID: right-click the server icon → Copy Server ID (Developer Mode on).',
            ],
          },
    );
  } else {
    results.push({
      name: 'Discord server',
      status: 'warn',
      summary:
        'DISCORD_GUILD_ID is not set: /ha is registered globally and may take up to an hour to appear',
    });
  }

  if (target.channels.length === 0) {
    results.push({
      name: 'Discord channels',
      status: 'warn',
      summary:
        'no alert channel configured (DISCORD_ALERT_CHANNEL_ID): alerts and notices go nowhere',
    });
  }
  for (const channel of target.channels) {
    results.push(await checkChannel(api, channel, target.guildId, guildView));
  }
  return results;
}

interface GuildView {
  guild: Guild;
  memberRoles: string[];
  userId: string;
}

async function loadGuild(
  api: Api,
  guildId: string,
  userId: string,
): Promise<GuildView | undefined> {
  const guild = await api<Guild>(`/guilds/${guildId}`);
  if (!guild.ok) return undefined;
  const member = await api<{ roles: string[] }>(`/guilds/${guildId}/members/${userId}`);
  return { guild: guild.body, memberRoles: member.ok ? member.body.roles : [], userId };
}

async function checkChannel(
  api: Api,
  channel: DiscordChannelTarget,
  guildId: string | undefined,
  guildView: (id: string) => Promise<GuildView | undefined>,
): Promise<CheckResult> {
  const name = channel.label;
  const needed = channel.pictures ? NEEDED_FOR_PICTURES : NEEDED_IN_CHANNEL;
  const neededWords = needed.map(([n]) => n);
  const found = await api<Channel>(`/channels/${channel.id}`);
  if (!found.ok) {
    const status = found.outcome.kind === 'response' ? found.outcome.status : undefined;
    if (status === 404) {
      return {
        name,
        status: 'fail',
        summary: `no channel ${channel.id}`,
        details: ['Copy the id again: right-click the channel → Copy Channel ID.'],
      };
    }
    if (status === 403) {
      return {
        name,
        status: 'fail',
        summary: `the bot cannot see channel ${channel.id}`,
        details: [
          `Give the bot's role ${listed(neededWords)} in the channel's settings → Permissions (or invite the bot to that server).`,
        ],
      };
    }
    return { name, status: 'fail', summary: `${channel.id}: ${describeOutcome(found.outcome)}` };
  }
  const ch = found.body;
  const label = ch.name ? `#${ch.name} (${channel.id})` : channel.id;
  if (!ch.guild_id) {
    return { name, status: 'fail', summary: `${label} is not a server channel` };
  }
  if (guildId && ch.guild_id !== guildId) {
    return {
      name,
      status: 'fail',
      summary: `${label} is in another server (${ch.guild_id}), not DISCORD_GUILD_ID ${guildId}`,
    };
  }
  const view = await guildView(ch.guild_id);
  if (!view) {
    return { name, status: 'fail', summary: `the bot is not in the server of ${label}` };
  }
  const perms = channelPermissions({
    guildId: ch.guild_id,
    ownerId: view.guild.owner_id,
    userId: view.userId,
    roles: new Map(view.guild.roles.map((r) => [r.id, r.permissions])),
    memberRoles: view.memberRoles,
    overwrites: ch.permission_overwrites ?? [],
  });
  const missing = missingPermissions(perms, needed);
  if (missing.length === 0) {
    const can = channel.pictures
      ? 'can view, send, embed and attach files'
      : 'can view, send and embed';
    return { name, status: 'ok', summary: `${label}: ${can}` };
  }
  return {
    name,
    status: 'fail',
    summary: `${label}: missing ${missing.join(', ')}`,
    details: [
      `In Discord: ${label} → Edit Channel → Permissions → add the bot (or its role) and allow ${missing.join(', ')}.`,
      ...(missing.includes('Attach Files')
        ? [
            'Without Attach Files, camera snapshots and image_entity pictures are posted without the picture.',
          ]
        : []),
    ],
  };
}

function listed(names: readonly string[]): string {
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

function tokenFailure(outcome: HttpOutcome, apiUrl: string | undefined): CheckResult {
  const name = 'Discord bot token';
  if (outcome.kind === 'network') {
    return {
      name,
      status: 'fail',
      summary: 'cannot reach Discord',
      details: describeNetworkError(
        outcome.code,
        { service: 'Discord', url: apiUrl ?? 'https://discord.com/api' },
        outcome.message,
      ),
    };
  }
  if (outcome.status === 401) {
    return {
      name,
      status: 'fail',
      summary: 'Discord rejected DISCORD_TOKEN',
      details: [
        'The token is wrong, incomplete, or was reset. Developer portal → your application → Bot → Reset Token, then put the new token in DISCORD_TOKEN.',
        'It must be the bot token, not the client secret or the application id.',
      ],
    };
  }
  return { name, status: 'fail', summary: describeOutcome(outcome) };
}

function describeOutcome(outcome: HttpOutcome): string {
  if (outcome.kind === 'network') return `no answer (${outcome.code})`;
  if (outcome.status === 429) return 'Discord is rate limiting this bot; try again in a minute';
  const message = (outcome.body as { message?: unknown } | null)?.message;
  return `Discord answered ${outcome.status}${typeof message === 'string' ? ` (${message})` : ''}`;
}
