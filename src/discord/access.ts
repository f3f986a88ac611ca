import { PermissionFlagsBits, type Interaction } from 'discord.js';
import type { CatalogEntry } from '../entities/catalog.js';
import type { Logger } from '../logging/logger.js';
import { confirmationReason } from '../policy/confirm.js';
import { decide, servesGuild, type Actor, type Decision } from '../policy/decide.js';
import type { Action, Policy } from '../policy/schema.js';

/** What commands ask of the access policy. */
export interface AccessControl {
  serves(interaction: Interaction): boolean;
  check(interaction: Interaction, action: Action, entry?: CatalogEntry): Decision;
  /** For filtering lists and autocomplete: may this person do `action` to each entry? */
  filter(interaction: Interaction, action: Action): (entry: CatalogEntry) => boolean;
  /** Why calling `service` on this entity needs a confirm button, or undefined if it does not. */
  confirmation(entry: CatalogEntry, service: string): string | undefined;
  /** A config reload: decisions from now on follow the new policy. */
  setPolicy(policy: Policy): void;
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

export function createAccessControl(
  initial: Policy,
  fallbackGuildId: string | undefined,
  log: Logger,
  deviceClassOf: (entityId: string) => string | undefined = () => undefined,
): AccessControl {
  let policy = initial;
  return {
    setPolicy(next) {
      policy = next;
    },
    serves: (interaction) => servesGuild(policy, fallbackGuildId, interaction.guildId),
    check(interaction, action, entry) {
      const decision = decide(policy, actorOf(interaction), action, entry);
      if (!decision.allowed) {
        log.warn(
          {
            userId: interaction.user.id,
            guildId: interaction.guildId,
            action,
            entityId: entry?.entityId,
          },
          'refused by the access policy',
        );
      }
      return decision;
    },
    filter(interaction, action) {
      const actor = actorOf(interaction);
      return (entry) => decide(policy, actor, action, entry).allowed;
    },
    confirmation: (entry, service) =>
      confirmationReason(
        policy.confirm,
        { ...entry, deviceClass: deviceClassOf(entry.entityId) },
        service,
      ),
  };
}
