import type {
  AutocompleteInteraction,
  ChatInputCommandInteraction,
  SlashCommandSubcommandBuilder,
  StringSelectMenuInteraction,
} from 'discord.js';
import type { AlertControls } from '../alerts/alert-service.js';
import type { AccessControl } from '../discord/access.js';
import type { EntityCatalog } from '../entities/catalog.js';
import type { EntityStore } from '../ha/entity-store.js';
import type { HaStatus, ServiceCallResult, ServiceTarget } from '../ha/types.js';
import type { BridgeStatus } from '../health/status.js';
import type { Logger } from '../logging/logger.js';

/** What commands need of Home Assistant: its status and service calls. */
export interface HomeAssistantPort {
  readonly status: HaStatus;
  callService(
    domain: string,
    service: string,
    serviceData?: Record<string, unknown>,
    target?: ServiceTarget,
  ): Promise<ServiceCallResult>;
}

export interface CommandContext {
  ha: HomeAssistantPort;
  catalog: EntityCatalog;
  store: Pick<EntityStore, 'onChange' | 'get'>;
  log: Logger;
  /** How long to wait for the state change a service call causes before saying "pending". */
  stateWaitMs: number;
  alerts: AlertControls;
  access: AccessControl;
  /** The bot's own state, for /ha about. */
  runtime: { status(): BridgeStatus };
}

/** One `/ha <subcommand>`: its definition and its handlers, in one file. */
export interface Subcommand {
  name: string;
  /** Set for `/ha <group> <name>` (e.g. `/ha watch add`). */
  group?: string;
  build(sub: SlashCommandSubcommandBuilder): SlashCommandSubcommandBuilder;
  execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<void>;
  autocomplete?(interaction: AutocompleteInteraction, ctx: CommandContext): Promise<void>;
  /** Handles the choice from a "which one did you mean?" menu this subcommand sent. */
  pick?(
    interaction: StringSelectMenuInteraction,
    entityId: string,
    ctx: CommandContext,
  ): Promise<void>;
}
