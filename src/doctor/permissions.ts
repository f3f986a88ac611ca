/** Discord's permission bits the bot needs, and how they combine (Discord's documented algorithm). */
export const PERMISSIONS = {
  Administrator: 1n << 3n,
  ViewChannel: 1n << 10n,
  SendMessages: 1n << 11n,
  EmbedLinks: 1n << 14n,
  AttachFiles: 1n << 15n,
} as const;

/** What the bot needs in every channel it posts to, with the names Discord's UI uses. */
export const NEEDED_IN_CHANNEL: readonly [string, bigint][] = [
  ['View Channel', PERMISSIONS.ViewChannel],
  ['Send Messages', PERMISSIONS.SendMessages],
  ['Embed Links', PERMISSIONS.EmbedLinks],
];

/** Where pictures go too (camera snapshots, `image_entity` messages): the alert channel. */
export const NEEDED_FOR_PICTURES: readonly [string, bigint][] = [
  ...NEEDED_IN_CHANNEL,
  ['Attach Files', PERMISSIONS.AttachFiles],
];

/** The invite link's `permissions`: everything the bot needs anywhere (52224). */
export const INVITE_PERMISSIONS = NEEDED_FOR_PICTURES.reduce((sum, [, bit]) => sum | bit, 0n);

const ALL = (1n << 64n) - 1n;

export interface Overwrite {
  id: string;
  /** 0 role, 1 member. */
  type: number;
  allow: string;
  deny: string;
}

export interface PermissionInput {
  guildId: string;
  ownerId: string;
  userId: string;
  /** Every role of the guild: id -> permissions bitfield. */
  roles: ReadonlyMap<string, string>;
  /** The member's role ids (without @everyone). */
  memberRoles: readonly string[];
  overwrites: readonly Overwrite[];
}

/**
 * A member's permissions in a channel: @everyone and the member's roles, then the channel's
 * overwrites for @everyone, for the member's roles (denies before allows), and for the member.
 * The owner and administrators have every permission. Without View Channel nothing else counts.
 */
export function channelPermissions(input: PermissionInput): bigint {
  if (input.userId === input.ownerId) return ALL;
  let base = BigInt(input.roles.get(input.guildId) ?? '0');
  for (const roleId of input.memberRoles) base |= BigInt(input.roles.get(roleId) ?? '0');
  if ((base & PERMISSIONS.Administrator) !== 0n) return ALL;

  const apply = (perms: bigint, o: { allow: bigint; deny: bigint }) => (perms & ~o.deny) | o.allow;
  const parse = (o: Overwrite) => ({ allow: BigInt(o.allow), deny: BigInt(o.deny) });
  let perms = base;
  const everyone = input.overwrites.find((o) => o.id === input.guildId);
  if (everyone) perms = apply(perms, parse(everyone));
  const roleSet = new Set(input.memberRoles);
  const fromRoles = input.overwrites
    .filter((o) => o.type === 0 && roleSet.has(o.id))
    .map(parse)
    .reduce((a, b) => ({ allow: a.allow | b.allow, deny: a.deny | b.deny }), {
      allow: 0n,
      deny: 0n,
    });
  perms = apply(perms, fromRoles);
  const member = input.overwrites.find((o) => o.type === 1 && o.id === input.userId);
  if (member) perms = apply(perms, parse(member));
  return (perms & PERMISSIONS.ViewChannel) === 0n ? 0n : perms;
}

/** The names of the needed permissions missing from `perms`. */
export function missingPermissions(
  perms: bigint,
  needed: readonly [string, bigint][] = NEEDED_IN_CHANNEL,
): string[] {
  return needed.filter(([, bit]) => (perms & bit) === 0n).map(([name]) => name);
}
