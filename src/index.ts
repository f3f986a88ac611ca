import 'dotenv/config';
import { Events } from 'discord.js';
import { AlertService, envRule } from './alerts/alert-service.js';
import { OutboxPump } from './alerts/outbox-pump.js';
import type { Rule } from './alerts/rule-schema.js';
import { createAuditLog } from './audit/audit.js';
import { Confirmations } from './commands/confirmations.js';
import { ConversationMemory } from './commands/conversations.js';
import { commandVisibility, subcommands } from './commands/registry.js';
import { loadConfigFile } from './config/file.js';
import { describeProblems, loadConfig } from './config/load.js';
import { createAccessControl } from './discord/access.js';
import { createDiscordClient, describeLoginError } from './discord/client.js';
import { deployCommands } from './discord/deploy.js';
import { createOutboxSender } from './discord/outbox-sender.js';
import { createInteractionRouter } from './discord/router.js';
import { EntityCatalog } from './entities/catalog.js';
import { HaClient } from './ha/client.js';
import { EntityStore } from './ha/entity-store.js';
import { Registry } from './ha/registry.js';
import { ServiceDirectory } from './ha/services.js';
import { watchHaStatus } from './ha/status-notices.js';
import { createLogger } from './logging/logger.js';
import { DEFAULT_POLICY } from './policy/decide.js';
import type { Policy } from './policy/schema.js';
import { openDatabase } from './storage/database.js';
import { MuteStore } from './storage/mutes.js';
import { Outbox } from './storage/outbox.js';
import { sqliteStatusMessages } from './storage/status-messages.js';
import { WatchStore } from './storage/watches.js';

function fail(problems: string[]): never {
  process.stderr.write(`${describeProblems(problems)}\n`);
  process.exit(1);
}

/** Composition root: config -> logger -> store -> HA -> Discord -> alerts, and shutdown. */
async function main(): Promise<void> {
  const loaded = loadConfig(process.env);
  if (!loaded.ok) fail(loaded.problems);
  const config = loaded.config;
  let fileRules: Rule[] = [];
  let policy: Policy | undefined;
  if (config.alerts.configFile) {
    const file = loadConfigFile(config.alerts.configFile);
    if (!file.ok) fail(file.problems);
    fileRules = file.file.alerts.rules;
    policy = file.file.access;
  }
  const log = createLogger({
    level: config.logLevel,
    secrets: [config.discord.token, config.ha.token],
  });
  process.on('unhandledRejection', (reason) =>
    log.error({ err: reason }, 'unhandled promise rejection'),
  );
  process.on('uncaughtException', (error) => {
    log.fatal({ err: error }, 'uncaught exception, exiting');
    process.exit(1);
  });

  const db = openDatabase(config.dataDir);
  const outbox = new Outbox(db);
  const store = new EntityStore((error) =>
    log.error({ err: error }, 'state change listener failed'),
  );
  const registry = new Registry();
  const catalog = new EntityCatalog(store, registry);
  const activePolicy = policy ?? DEFAULT_POLICY;
  const ha = new HaClient({
    ...config.ha,
    log: log.child({ side: 'ha' }),
    store,
    registry,
    loadExposure: activePolicy.exposed_only,
  });
  const discord = createDiscordClient({
    apiUrl: config.discord.apiUrl,
    log: log.child({ side: 'discord' }),
  });

  const pump = new OutboxPump({
    outbox,
    port: createOutboxSender(discord),
    statusMessages: sqliteStatusMessages(db),
    log: log.child({ side: 'outbox' }),
    limits: config.alerts.outbox,
  });
  const enqueue = (
    channelId: string,
    kind: 'alert' | 'notice' | 'status',
    payload: unknown,
  ): void => {
    outbox.add(channelId, kind, payload);
    pump.notify();
  };
  const configuredRules = [...fileRules, envRule(config.alerts.entities)].filter(
    (r) => r !== undefined,
  );
  const alerts = new AlertService({
    store,
    catalog,
    configuredRules,
    watches: new WatchStore(db),
    mutes: new MuteStore(db),
    defaultChannelId: config.discord.alertChannelId,
    enqueue,
    log: log.child({ side: 'alerts' }),
  });
  ha.onStatus((status) => alerts.onHaStatus(status));
  const alertChannelId = config.discord.alertChannelId;
  watchHaStatus(ha, {
    url: config.ha.url,
    log,
    notify: (notice) => alertChannelId && enqueue(alertChannelId, 'notice', notice),
  });

  if (policy === undefined) {
    log.info(
      'No access policy configured: members may read; controlling and managing alerts need the Manage Server permission (or grants under access: in CONFIG_FILE)',
    );
  }
  const access = createAccessControl(activePolicy, config.discord.guildId, log, (entityId) => {
    const deviceClass = store.get(entityId)?.attributes.device_class;
    return typeof deviceClass === 'string' ? deviceClass : undefined;
  });
  const confirmations = new Confirmations(activePolicy.confirm.timeout);
  const { haEvent, logbook, channelId: auditChannelId } = config.audit;
  const audit = createAuditLog({
    log: log.child({ side: 'audit' }),
    eventType: haEvent,
    fireEvent: haEvent ? (eventType, data) => ha.fireEvent(eventType, data) : undefined,
    logbook: logbook
      ? async ({ name, message, entityId }) =>
          void (await ha.callService('logbook', 'log', { name, message, entity_id: entityId }))
      : undefined,
    post: auditChannelId ? (notice) => enqueue(auditChannelId, 'notice', notice) : undefined,
  });
  const ctx = {
    ha,
    catalog,
    store,
    log,
    stateWaitMs: config.ha.stateWaitMs,
    alerts,
    access,
    confirmations,
    audit,
    services: new ServiceDirectory(ha),
    conversations: new ConversationMemory(),
    auditEvent: haEvent,
  };
  const route = createInteractionRouter(subcommands, ctx, log);
  discord.on(Events.InteractionCreate, (interaction) => void route(interaction));

  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    alerts.stop();
    confirmations.stop();
    ha.stop();
    void pump
      .stop()
      .then(() => discord.destroy())
      .finally(() => {
        db.close();
        process.exit(0);
      });
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));

  ha.start();
  pump.start();
  discord.on(Events.ShardReady, () => pump.notify());
  discord.on(Events.ShardResume, () => pump.notify());
  discord.once(Events.ClientReady, (client) => {
    void deployCommands(client, config.discord.guildId, commandVisibility(activePolicy), log).then(
      () =>
        log.info(
          { user: client.user.tag, guilds: client.guilds.cache.size, rules: alerts.rules().length },
          'bridge ready',
        ),
      (error: unknown) => log.error({ err: error }, 'could not register slash commands'),
    );
  });
  try {
    await discord.login(config.discord.token);
  } catch (error) {
    log.fatal({ code: (error as { code?: string }).code }, describeLoginError(error));
    ha.stop();
    await pump.stop();
    await discord.destroy();
    process.exit(1);
  }
}

void main();
