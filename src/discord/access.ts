import { PermissionFlagsBits, type Interaction } from 'discord.js';
import type { CatalogEntry } from '../entities/catalog.js';
import { subjectFacts } from '../entities/entry.js';
import type { Logger } from '../logging/logger.js';
import { confirmationReason } from '../policy/confirm.js';
import { allowed, decide, servesGuild, type Actor, type Decision } from '../policy/decide.js';
import type { Action, Policy } from '../policy/schema.js';

/**
 * What commands ask of the access policy, about whoever asks (an Actor: plain data, so
 * command logic is tested without Discord). Every decision reads the policy in force at
 * that moment: a config reload reaches the next press or command.
 */
export interface AccessControl {
  serves(guildId: string | null): boolean;
  check(actor: Actor, action: Action, entry?: CatalogEntry): Decision;
  /** For filtering lists and autocomplete: may this person do `action` to each entry? */
  filter(actor: Actor, action: Action): (entry: CatalogEntry) => boolean;
  /** Why calling `service` on this entity needs a confirm button, or undefined if it does not. */
  confirmation(entry: CatalogEntry, service: string): string | undefined;
}

/** The policy's view of whoever sent the interaction. */
export function actorOf(interaction: Interaction): Actor {
  const member = interaction.member;
  const roleIds =
    member === null
      ? []
      : Array.isArray(member.roles)
        ? member.roles
        : [...member.roles.cache.keys()];
  const roleNames = roleIds
    .map((id) => interaction.guild?.roles.cache.get(id)?.name)
    .filter((n): n is string => n !== undefined);
  return {
    userId: interaction.user.id,
    guildId: interaction.guildId,
    roleIds,
    roleNames,
    isManager: interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild) ?? false,
  };
}

/** `policy` is read at every decision (the live config's `current().access`, say). */
export function createAccessControl(
  policy: () => Policy,
  fallbackGuildId: string | undefined,
  log: Logger,
  deviceClassOf: (entityId: string) => string | undefined = () => undefined,
): AccessControl {
  return {
    serves: (guildId) => servesGuild(policy(), fallbackGuildId, guildId),
    check(actor, action, entry) {
      const decision = decide(policy(), actor, action, entry);
      if (!decision.allowed) {
        log.warn(
          { userId: actor.userId, guildId: actor.guildId, action, entityId: entry?.entityId },
          'refused by the access policy',
        );
      }
      return decision;
    },
    filter(actor, action) {
      const current = policy();
      return (entry) => allowed(current, actor, action, entry);
    },
    confirmation: (entry, service) =>
      confirmationReason(
        policy().confirm,
        { ...subjectFacts(entry, deviceClassOf(entry.entityId)), exposed: entry.exposed },
        service,
      ),
  };
}
