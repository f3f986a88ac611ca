import type { Interaction } from 'discord.js';
import { DEFAULT_ACTION_EVENT } from '../../actions/press.js';
import type { Enqueue } from '../../alerts/types.js';
import { auditLogFor } from '../../app/audit-log.js';
import type { HistoryService } from '../../charts/service.js';
import { Confirmations } from '../../commands/confirmations.js';
import { ConversationMemory } from '../../commands/conversations.js';
import { commandsIn } from '../../commands/custom/command-set.js';
import type { CommandMetrics } from '../../commands/instrument.js';
import { subcommands } from '../../commands/registry.js';
import type { CommandContext } from '../../commands/types.js';
import type { LiveConfig } from '../../config/live.js';
import type { Config } from '../../config/schema.js';
import type { EntityCatalog } from '../../entities/catalog.js';
import type { HaClient } from '../../ha/client.js';
import type { EntityStore } from '../../ha/entity-store.js';
import type { HaHttp } from '../../ha/http.js';
import { ServiceDirectory } from '../../ha/services.js';
import type { Logger } from '../../logging/logger.js';
import type { ActionMessageStore } from '../../storage/action-messages.js';
import { createAccessControl } from '../access.js';
import { createActionPresses } from './action-press.js';
import { createInteractionRouter } from './router.js';

/** What the commands' side is built from: the bot's parts, made in the composition root. */
export interface CommandRoutingParts {
  config: Pick<Config, 'discord' | 'ha' | 'audit' | 'send'>;
  live: LiveConfig;
  log: Logger;
  metrics: CommandMetrics;
  ha: HaClient;
  images: HaHttp;
  history: HistoryService;
  catalog: EntityCatalog;
  store: EntityStore;
  alerts: CommandContext['alerts'];
  enqueue: Enqueue;
  reloadConfig: CommandContext['reloadConfig'];
  actionMessages: ActionMessageStore;
  runtime: CommandContext['runtime'];
}

/**
 * The commands' side of the bot: the context every command works with, presses on the
 * buttons of HA's messages, and the router that takes each interaction. Confirmations are
 * returned too: the interactions feature stops them.
 */
export function createCommandRouting(parts: CommandRoutingParts): {
  route: (interaction: Interaction) => Promise<void>;
  confirmations: Confirmations;
} {
  const { config, live, log, ha, store } = parts;
  const policy = () => live.current().policy;
  // Both read the policy in force at each use: a reload reaches them without copying.
  const access = createAccessControl(policy, config.discord.guildId, log, (entityId) =>
    store.deviceClass(entityId),
  );
  const confirmations = new Confirmations(() => policy().confirm.timeout);
  const ctx: CommandContext = {
    reloadConfig: parts.reloadConfig,
    ha,
    images: parts.images,
    history: parts.history,
    catalog: parts.catalog,
    store,
    log,
    stateWaitMs: config.ha.stateWaitMs,
    alerts: parts.alerts,
    access,
    confirmations,
    audit: auditLogFor(config.audit, ha, parts.enqueue, log),
    services: new ServiceDirectory(ha),
    conversations: new ConversationMemory(),
    ownEvents: [config.audit.haEvent, config.send.eventType, DEFAULT_ACTION_EVENT].filter(
      (e) => e !== undefined,
    ),
    runtime: parts.runtime,
  };
  const actionPresses = createActionPresses(
    { store: parts.actionMessages, eventType: DEFAULT_ACTION_EVENT },
    ctx,
  );
  // The commands in force at each interaction: a reload changes the custom ones.
  const commands = commandsIn(subcommands);
  const route = createInteractionRouter(
    () => commands(live.current().commands),
    ctx,
    log,
    parts.metrics,
    actionPresses,
  );
  return { route, confirmations };
}
