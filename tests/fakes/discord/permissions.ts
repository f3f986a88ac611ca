import { Permission } from './payloads.js';
import type { DiscordState } from './state.js';

const ALL = (1n << 64n) - 1n;

/**
 * The bot's own permissions in a guild channel, as Discord computes them: @everyone and the
 * bot's roles, then the channel's overwrites for @everyone, for those roles (denies before
 * allows) and for the bot; owner and Administrator have all. Undefined outside guilds (DMs).
 */
export function botPermissionsIn(state: DiscordState, channelId: string): bigint | undefined {
  // In a thread, the bot has what it has in the thread's channel (or forum).
  const thread = state.thread(channelId);
  if (thread) return botPermissionsIn(state, thread.parentId);
  for (const guild of state.guilds) {
    const channel = guild.channels.find((c) => c.id === channelId);
    if (!channel) continue;
    if (state.botUserId === state.ownerId) return ALL;
    const role = (id: string) => BigInt(guild.roles.find((r) => r.id === id)?.permissions ?? '0');
    let perms = [guild.id, ...guild.botRoles].reduce((sum, id) => sum | role(id), 0n);
    if ((perms & Permission.Administrator) !== 0n) return ALL;
    const overwrites = channel.overwrites ?? [];
    const apply = (o: { allow: bigint; deny: bigint }) => (perms = (perms & ~o.deny) | o.allow);
    const everyone = overwrites.find((o) => o.id === guild.id);
    if (everyone) apply({ allow: BigInt(everyone.allow), deny: BigInt(everyone.deny) });
    const roles = overwrites.filter((o) => o.type === 0 && guild.botRoles.includes(o.id));
    apply({
      allow: roles.reduce((sum, o) => sum | BigInt(o.allow), 0n),
      deny: roles.reduce((sum, o) => sum | BigInt(o.deny), 0n),
    });
    const member = overwrites.find((o) => o.type === 1 && o.id === state.botUserId);
    if (member) apply({ allow: BigInt(member.allow), deny: BigInt(member.deny) });
    return (perms & Permission.ViewChannel) === 0n ? 0n : perms;
  }
  return undefined;
}
