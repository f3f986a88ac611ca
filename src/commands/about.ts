import type { EmbedData } from '../discord/message-data.js';
import { tokenDetails, tokenSummary, type TokenReport } from '../ha/token-report.js';
import { relativeTime, safe } from '../discord/format.js';
import { truncate } from '../entities/text.js';
import type { BridgeStatus } from '../health/status.js';
import type { CommandSpec } from './types.js';

const UNITS: readonly (readonly [string, number])[] = [
  ['d', 86_400],
  ['h', 3600],
  ['min', 60],
  ['s', 1],
];

/** "3 d 4 h", "5 h", "12 min 5 s": the two largest units are enough to tell a restart. */
export function formatUptime(seconds: number): string {
  const total = Math.max(0, Math.floor(seconds));
  const i = UNITS.findIndex(([, size]) => total >= size);
  const unit = UNITS[i];
  if (unit === undefined) return '0 s';
  const next = UNITS[i + 1];
  const first = `${Math.floor(total / unit[1])} ${unit[0]}`;
  const second = next === undefined ? 0 : Math.floor((total % unit[1]) / next[1]);
  return second > 0 && next ? `${first} ${second} ${next[0]}` : first;
}

const since = (iso: string | undefined) =>
  iso === undefined ? '' : ` · since ${relativeTime(Date.parse(iso) / 1000)}`;

function haLine(ha: BridgeStatus['homeAssistant']): string {
  switch (ha.state) {
    case 'connected': {
      const starting = ha.coreState && ha.coreState !== 'RUNNING' ? ` (${ha.coreState})` : '';
      return `Connected · ${safe(ha.version ?? 'unknown version', 40)}${starting}${since(ha.since)}`;
    }
    case 'auth_invalid':
      return 'Token rejected: the owner must put a new token in HA_TOKEN_FILE (taken over at once) or HA_TOKEN (and restart)';
    case 'connecting':
      return 'Connecting…';
    default:
      return `Disconnected, reconnecting${since(ha.since)}`;
  }
}

function discordLine(discord: BridgeStatus['discord']): string {
  if (!discord.connected) return `Disconnected, reconnecting${since(discord.since)}`;
  const ping = discord.pingMs === undefined ? '' : ` · ping ${discord.pingMs} ms`;
  return `Connected${ping}${since(discord.since)}`;
}

/** Whose HA token the bot holds, for those who may manage the bot: never the token itself. */
function tokenField(report: TokenReport, now: number): { name: string; value: string } {
  const lines = [tokenSummary(report, now), ...tokenDetails(report)].map((l) => safe(l, 400));
  return { name: 'Home Assistant token', value: truncate(lines.join('\n'), 1024) };
}

/**
 * The /ha about embed: version, uptime, both connections, reconnects and the outbox; with
 * `token` (for managers), whose HA token the bot holds and when it expires.
 */
export function aboutEmbed(status: BridgeStatus, token?: TokenReport, now = Date.now()): EmbedData {
  const ok = status.status === 'ok';
  return {
    title: `ha-discord-bridge ${safe(status.version, 40)}`,
    color: ok ? 0x2ecc71 : 0xe67e22,
    fields: [
      {
        name: 'Uptime',
        value: `${formatUptime(status.uptimeSeconds)} (started ${relativeTime(Date.parse(status.startedAt) / 1000)})`,
      },
      { name: 'Home Assistant', value: haLine(status.homeAssistant) },
      { name: 'Discord', value: discordLine(status.discord) },
      {
        name: 'Reconnects',
        value: `Home Assistant ${status.homeAssistant.reconnects} · Discord ${status.discord.reconnects}`,
        inline: true,
      },
      {
        name: 'Alerts waiting',
        value: String(status.outbox.depth),
        inline: true,
      },
      ...(token ? [tokenField(token, now)] : []),
    ],
  };
}

export const aboutCommand: CommandSpec = {
  name: 'about',
  description: 'The bot version, uptime and connection states',
  action: 'read',
  plan: ({ caller }, _, __, ctx) => ({
    kind: 'show',
    message: {
      // Who owns the token and when it expires is for those who may manage the bot.
      embeds: [
        aboutEmbed(ctx.runtime.status(), caller.isManager ? ctx.runtime.token?.() : undefined),
      ],
      private: true,
    },
  }),
};
