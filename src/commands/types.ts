import type {
  AutocompleteInteraction,
  ButtonInteraction,
  ChatInputCommandInteraction,
  SlashCommandSubcommandBuilder,
  StringSelectMenuInteraction,
} from 'discord.js';
import type { AlertControls } from '../alerts/alert-service.js';
import type { AuditLog } from '../audit/audit.js';
import type { HistoryService } from '../charts/service.js';
import type { ReloadResult } from '../config/reload.js';
import type { AccessControl } from '../discord/access.js';
import type { EntityCatalog } from '../entities/catalog.js';
import type { HaHttp } from '../ha/http.js';
import type { EntityStore } from '../ha/entity-store.js';
import type { ServiceDirectory } from '../ha/services.js';
import type { TokenReport } from '../ha/token-report.js';
import type { AssistAnswer, HaStatus, ServiceCallResult, ServiceTarget } from '../ha/types.js';
import type { BridgeStatus } from '../health/status.js';
import type { Logger } from '../logging/logger.js';
import type { Confirmations } from './confirmations.js';
import type { ConversationMemory } from './conversations.js';

/** What commands need of Home Assistant: its status and service calls. */
export interface HomeAssistantPort {
  readonly status: HaStatus;
  callService(
    domain: string,
    service: string,
    serviceData?: Record<string, unknown>,
    target?: ServiceTarget,
    returnResponse?: boolean,
  ): Promise<ServiceCallResult>;
  fireEvent(eventType: string, data: Record<string, unknown>): Promise<void>;
  converse(text: string, conversationId?: string): Promise<AssistAnswer>;
}

export interface CommandContext {
  ha: HomeAssistantPort;
  /** HA's history as charts (`/ha history`) and its logbook (`/ha logbook`). */
  history: HistoryService;
  /** Camera snapshots, over HA's REST API. */
  images: Pick<HaHttp, 'cameraImage' | 'timeoutMs'>;
  catalog: EntityCatalog;
  store: Pick<EntityStore, 'onChange' | 'get'>;
  log: Logger;
  /** How long to wait for the state change a service call causes before saying "pending". */
  stateWaitMs: number;
  alerts: AlertControls;
  access: AccessControl;
  /** Dangerous actions waiting for their confirm button. */
  confirmations: Confirmations;
  audit: AuditLog;
  /** HA's services, for `/ha call`. */
  services: Pick<ServiceDirectory, 'list' | 'get'>;
  conversations: ConversationMemory;
  /** The HA events the bot fires or listens to (HA_COMMAND_EVENT, HA_SEND_EVENT): `/ha event` must not fake them. */
  ownEvents: readonly string[];
  /** Re-reads CONFIG_FILE (`/ha reload`). */
  reloadConfig(): ReloadResult;
  /** The bot's own state, for /ha about (and whose HA token it holds, for managers). */
  runtime: { status(): BridgeStatus; token?(): TokenReport | undefined };
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
  /** Handles a press on a button this subcommand made with `buttonId(name, ...args)`. */
  button?(interaction: ButtonInteraction, args: string[], ctx: CommandContext): Promise<void>;
}
