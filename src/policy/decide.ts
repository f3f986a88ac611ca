import { compileWatchList } from '../alerts/watch.js';
import { compileNameList } from '../entities/groups.js';
import { PolicySchema, type Action, type Grant, type Policy } from './schema.js';

/** Who is asking, as far as the policy cares. */
export interface Actor {
  userId: string;
  guildId: string | null;
  roleIds: readonly string[];
  roleNames: readonly string[];
  /** Has Discord's Manage Server permission in this guild. */
  isManager: boolean;
}

export interface Subject {
  entityId: string;
  domain: string;
  areaId: string | undefined;
  areaName: string | undefined;
  /**
   * The ids, names and aliases (lower case) of its area, floor and labels (see groups.ts);
   * without `areaKeys`, its area is matched by `areaId` and `areaName`.
   */
  areaKeys?: readonly string[] | undefined;
  floorKeys?: readonly string[] | undefined;
  labelKeys?: readonly string[] | undefined;
  /** Whether HA exposes the entity to its voice assistant; undefined when not known. */
  exposed?: boolean;
}

export type Decision = { allowed: true } | { allowed: false; reason: string };

const ALLOW: Decision = { allowed: true };

const VERBS: Record<Action, string> = {
  read: 'see',
  control: 'control',
  watch: 'manage alerts for',
  call: 'call services on',
  ask: 'ask Home Assistant Assist',
  event: 'fire Home Assistant events',
};

/** "to control `light.kitchen`", "to ask Home Assistant Assist". */
const what = (action: Action, subject: Subject | undefined): string =>
  subject
    ? `${VERBS[action]} \`${subject.entityId}\``
    : action === 'ask' || action === 'event'
      ? VERBS[action]
      : `${VERBS[action]} that`;

export function inScope(
  scope: Pick<Grant, 'entities' | 'domains' | 'areas' | 'floors' | 'labels'>,
  s: Subject | undefined,
): boolean {
  if (s === undefined)
    return (
      scope.entities === undefined &&
      scope.domains === undefined &&
      scope.areas === undefined &&
      scope.floors === undefined &&
      scope.labels === undefined
    );
  if (scope.entities && !compileWatchList(scope.entities)(s.entityId)) return false;
  if (scope.domains && !scope.domains.includes(s.domain)) return false;
  if (scope.areas) {
    const areaKeys =
      s.areaKeys ?? [s.areaId, s.areaName].flatMap((k) => (k ? [k.toLowerCase()] : []));
    if (!compileNameList(scope.areas)(areaKeys)) return false;
  }
  if (scope.floors && !compileNameList(scope.floors)(s.floorKeys)) return false;
  if (scope.labels && !compileNameList(scope.labels)(s.labelKeys)) return false;
  return true;
}

function hasRole(actor: Actor, roles: readonly string[]): boolean {
  if (roles.length === 0) return false;
  const names = actor.roleNames.map((n) => n.toLowerCase());
  return roles.some((r) => actor.roleIds.includes(r) || names.includes(r.toLowerCase()));
}

function applies(grant: Grant, actor: Actor): boolean {
  return (
    grant.users.includes(actor.userId) ||
    hasRole(actor, grant.roles) ||
    (grant.everyone && actor.guildId !== null)
  );
}

/** The policy used when the config has none: read for members, the rest for managers. */
export const DEFAULT_POLICY: Policy = PolicySchema.parse({
  grants: [{ everyone: true, allow: ['read'] }],
});

/** Why a decision is a refusal: the deny rule that wins, or what else is missing. */
type Refusal = 'direct-message' | 'not-exposed' | 'not-granted' | Policy['deny'][number];

/**
 * The policy's answer without its wording: undefined when allowed. Denies win over grants;
 * Discord's Manage Server permission counts as a grant of everything unless a deny names the
 * entity. Allocates nothing, so a list of 100,000 entities can be filtered with it.
 */
function refusal(
  policy: Policy,
  actor: Actor,
  action: Action,
  subject: Subject | undefined,
): Refusal | undefined {
  if (actor.guildId === null && !policy.dm_users.includes(actor.userId)) return 'direct-message';
  if (policy.exposed_only && subject !== undefined && subject.exposed !== true) {
    return 'not-exposed';
  }
  for (const deny of policy.deny) {
    if (!deny.actions.includes(action) || !inScope(deny, subject)) continue;
    if (deny.except_users.includes(actor.userId) || hasRole(actor, deny.except_roles)) continue;
    return deny;
  }
  if (actor.isManager) return undefined;
  for (const grant of policy.grants) {
    if (grant.allow.includes(action) && applies(grant, actor) && inScope(grant, subject)) {
      return undefined;
    }
  }
  return 'not-granted';
}

/** Whether the actor may do this to this entity: decide()'s verdict, for filtering lists. */
export function allowed(policy: Policy, actor: Actor, action: Action, subject?: Subject): boolean {
  return refusal(policy, actor, action, subject) === undefined;
}

/**
 * Whether the actor may do this to this entity. Pure: the policy, the actor and the entity
 * in, a decision with the reason out.
 */
export function decide(policy: Policy, actor: Actor, action: Action, subject?: Subject): Decision {
  const why = refusal(policy, actor, action, subject);
  if (why === undefined) return ALLOW;
  return { allowed: false, reason: reasonFor(why, policy, action, subject) };
}

/** What a refusal says to the person refused: what they need, or why no one may. */
function reasonFor(why: Refusal, policy: Policy, action: Action, subject?: Subject): string {
  if (why === 'direct-message') {
    return 'This bot does not take commands in direct messages. Use it in the server.';
  }
  if (why === 'not-exposed') {
    return `\`${subject!.entityId}\` is not exposed to voice assistants in Home Assistant, so this bot leaves it alone. An HA administrator can expose it under Settings → Voice assistants → Expose.`;
  }
  if (why !== 'not-granted') {
    const who =
      why.except_roles.length > 0
        ? `the role ${why.except_roles.join(' or ')}`
        : 'an exception in the access policy';
    return `You need ${who} to ${what(action, subject)}.`;
  }
  const roles = [
    ...new Set(
      policy.grants
        .filter((g) => g.allow.includes(action) && inScope(g, subject))
        .flatMap((g) => g.roles),
    ),
  ];
  const need = roles.length > 0 ? `the role ${roles.join(' or ')}` : 'the Manage Server permission';
  return `You need ${need} to ${what(action, subject)}.`;
}

/** Whether a guild is served at all. */
export function servesGuild(
  policy: Policy,
  fallbackGuildId: string | undefined,
  guildId: string | null,
): boolean {
  if (guildId === null) return true;
  if (policy.guilds.length > 0) return policy.guilds.includes(guildId);
  return fallbackGuildId === undefined || fallbackGuildId === guildId;
}
