import 'dotenv/config';
import { Events } from 'discord.js';
import { Registry as MetricsRegistry } from 'prom-client';
import { AlertService, envRule } from './alerts/alert-service.js';
import { newAlertId } from './alerts/ids.js';
import { listenForSends } from './alerts/ha-send.js';
import { OutboxPump } from './alerts/outbox-pump.js';
import type { Rule } from './alerts/rule-schema.js';
import { statusKeyOf, type Enqueue } from './alerts/types.js';
import { createAuditLog } from './audit/audit.js';
import { Confirmations } from './commands/confirmations.js';
import { ConversationMemory } from './commands/conversations.js';
import { commandVisibility, subcommands } from './commands/registry.js';
import { loadConfigFile } from './config/file.js';
import { describeProblems, loadConfig } from './config/load.js';
import { createReloader } from './config/reload.js';
import { createAccessControl } from './discord/access.js';
import { createDiscordClient, describeLoginError } from './discord/client.js';
import { deployCommands } from './discord/deploy.js';
import { gatewayPing, trackGateway } from './discord/gateway-status.js';
import { createOutboxSender } from './discord/outbox-sender.js';
import { watchRateLimits } from './discord/rate-limits.js';
import { createInteractionRouter } from './discord/router.js';
import { servedChannelCheck, threadParentLookup } from './discord/send-channels.js';
import { EntityCatalog } from './entities/catalog.js';
import { CORE_CONFIG_EVENT, HaClient } from './ha/client.js';
import { EntityStore } from './ha/entity-store.js';
import { toHaError } from './ha/errors.js';
import { recordedStates } from './ha/history.js';
import { HaHttp, imageErrorText } from './ha/http.js';
import { Registry } from './ha/registry.js';
import { ServiceDirectory } from './ha/services.js';
import { LoginGuard } from './ha/login-guard.js';
import { banNotices, watchHaStatus } from './ha/status-notices.js';
import { TokenMonitor } from './ha/token-report.js';
import { TokenManager } from './ha/token-rotation.js';
import { createMetrics } from './health/metrics.js';
import { openHealthEndpoint } from './health/server.js';
import { Readiness } from './health/readiness.js';
import { bridgeStatus, ConnectionTracker } from './health/status.js';
import { createLogger, resolveLogFormat } from './logging/logger.js';
import { DEFAULT_POLICY, servesGuild } from './policy/decide.js';
import type { Policy } from './policy/schema.js';
import { AlertStateStore } from './storage/alert-states.js';
import { openDatabase } from './storage/database.js';
import { groupCommits } from './storage/group-commits.js';
import { MuteStore } from './storage/mutes.js';
import { Outbox } from './storage/outbox.js';
import { sqliteSendThreads } from './storage/send-threads.js';
import { sqliteStatusMessages } from './storage/status-messages.js';
import { sqliteLoginGuardStore, sqliteTokenWarnings } from './storage/token-guard.js';
import { WatchStore } from './storage/watches.js';
import { VERSION } from './version.js';

function fail(problems: string[]): never {
  process.stderr.write(`${describeProblems(problems)}\n`);
  process.exit(1);
}

/** Composition root: config -> logger -> store -> HA -> Discord -> alerts, and shutdown. */
async function main(): Promise<void> {
  const startedAt = Date.now();
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
  // Read at every line: a token the bot moves to later is added to it.
  const logSecrets = [config.discord.token, config.ha.token];
  const log = createLogger({
    level: config.logLevel,
    secrets: logSecrets,
    format: resolveLogFormat(config.logFormat, process.stdout.isTTY === true),
  });
  log.info(
    { version: VERSION, haUrl: config.ha.url, viaSupervisor: config.ha.viaSupervisor },
    'starting ha-discord-bridge',
  );
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
  const alertChannelId = config.discord.alertChannelId;
  const notify = (title: string, text: string): void => {
    if (alertChannelId)
      enqueue(alertChannelId, { kind: 'notice', payload: { id: newAlertId(), title, text } });
  };
  // The HA token's life (not in the add-on, whose Supervisor token is not a long-lived one):
  // the login guard, HA_TOKEN_FILE watched, self-rotation.
  const tokenGuard = new LoginGuard(sqliteLoginGuardStore(db), config.ha.url);
  const tokens = config.ha.viaSupervisor
    ? undefined
    : new TokenManager({
        initial: config.ha.token,
        file: config.ha.tokenFile,
        rotateDays: config.ha.rotateDays,
        guard: tokenGuard,
        log: log.child({ side: 'token' }),
        notify,
        onSecret: (token) => logSecrets.push(token),
      });
  const ha = new HaClient({
    ...config.ha,
    credentials: tokens,
    secrets: tokens && (() => tokens.secrets()),
    log: log.child({ side: 'ha' }),
    store,
    registry,
    loadExposure: activePolicy.exposed_only,
    onUnreachable: (cause) => {
      haTracker.failed(cause);
      readiness.attemptFailed();
      bans.unreachable(cause);
    },
    onCommand: (type, outcome, seconds) => metrics.haCall(type, outcome, seconds),
  });
  const bans = banNotices(ha, {
    url: config.ha.url,
    log,
    notify: (notice) =>
      alertChannelId &&
      enqueue(alertChannelId, { kind: 'notice', payload: { id: newAlertId(), ...notice } }),
  });
  const discordConnection = createDiscordClient({
    apiUrl: config.discord.apiUrl,
    log: log.child({ side: 'discord' }),
  });
  const discord = discordConnection.client;

  // Health and metrics: a registry of our own (no global), read by /metrics when enabled.
  const metricsRegistry = new MetricsRegistry();
  const haTracker = new ConnectionTracker(() => metrics.reconnected('ha'));
  const discordTracker = new ConnectionTracker(() => metrics.reconnected('discord'));
  const metrics = createMetrics(
    metricsRegistry,
    {
      outboxDepth: () => outbox.depth,
      oldestUndeliveredSeconds: () => {
        const oldest = outbox.oldestCreatedAt;
        return oldest === undefined ? 0 : Math.max(0, (Date.now() - oldest) / 1000);
      },
      connected: (side) => (side === 'ha' ? haTracker : discordTracker).connected,
    },
    VERSION,
  );
  ha.onStatus((status) => (status.kind === 'connected' ? haTracker.up() : haTracker.down()));
  trackGateway(discord, discordTracker);
  watchRateLimits(discord, (scope) => metrics.discordRateLimited(scope));
  store.onChange((change) => metrics.haEvent(change.kind));
  const status = () =>
    bridgeStatus({
      version: VERSION,
      startedAt,
      now: Date.now(),
      ha: { status: ha.status, tracker: haTracker },
      discord: { tracker: discordTracker, pingMs: gatewayPing(discord) },
      outboxDepth: outbox.depth,
    });

  const haHttp = new HaHttp({
    url: config.ha.url,
    token: () => tokens?.current ?? config.ha.token,
    timeoutMs: config.send.imageTimeoutMs,
    tokenRejected: () => ha.status.kind === 'auth_invalid',
  });
  const pump = new OutboxPump({
    outbox,
    port: createOutboxSender(discord, {
      images: {
        fetch: (entityId) =>
          haHttp.entityImage(entityId, store.get(entityId)?.attributes.entity_picture),
        describe: (entityId, error) => imageErrorText(toHaError(error), entityId, haHttp.timeoutMs),
      },
      log: log.child({ side: 'outbox' }),
      threads: sqliteSendThreads(db),
    }),
    statusMessages: sqliteStatusMessages(db),
    log: log.child({ side: 'outbox' }),
    limits: config.alerts.outbox,
    metrics,
  });
  // One commit per burst (the alerts of one frame of HA's changes), not one per alert.
  const inBurst = groupCommits(db, (error) =>
    log.error(
      { err: error },
      'could not save the alerts just queued: they are lost. Check that DATA_DIR is writable and its disk not full',
    ),
  );
  const enqueue: Enqueue = (channelId, entry) => {
    inBurst();
    outbox.add(channelId, entry.kind, entry.payload, statusKeyOf(entry));
    metrics.queued(entry.kind);
    pump.queued(channelId);
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
    states: new AlertStateStore(db),
    history: (entityIds, since) => recordedStates(ha, entityIds, since),
    atomically: (fn) => db.transaction(fn)(),
  });
  ha.onStatus((status) => alerts.onHaStatus(status));
  // The catalog built once HA's states and registries are in, rather than by the first
  // command or keystroke; in a large home its search index follows in slices.
  ha.onStatus((status) => {
    if (status.kind !== 'connected') return;
    const started = performance.now();
    const entities = catalog.list().length;
    log.info({ entities, ms: Math.round(performance.now() - started) }, 'entity catalog ready');
  });
  const readiness = new Readiness({
    log,
    haUrl: config.ha.url,
    haError: () => haTracker.lastError,
    discordError: () => discordTracker.lastError,
    rules: () => alerts.rules().length,
  });
  ha.onStatus((status) => readiness.haStatus(status));
  ha.onEvent(CORE_CONFIG_EVENT, () => alerts.onCoreConfigUpdated());
  watchHaStatus(ha, {
    url: config.ha.url,
    log,
    notify: (notice) =>
      alertChannelId &&
      enqueue(alertChannelId, { kind: 'notice', payload: { id: newAlertId(), ...notice } }),
    fromFile: config.ha.tokenFile !== undefined,
  });
  const tokenMonitor =
    tokens &&
    new TokenMonitor({
      ha,
      tokens,
      warnings: sqliteTokenWarnings(db),
      fingerprint: (token) => tokenGuard.fingerprint(token),
      fromFile: config.ha.tokenFile !== undefined,
      log: log.child({ side: 'token' }),
      notify,
      afterCheck: () => void tokens.rotateIfDue(),
      selfRotating: () => tokens.selfRotating,
    });
  tokens?.attach(ha);
  tokenMonitor?.start();
  if (config.send.eventType) {
    listenForSends(ha, {
      eventType: config.send.eventType,
      defaultChannelId: alertChannelId,
      channels: config.send.channels,
      users: config.send.users,
      threadParent: threadParentLookup(discord),
      // The policy in force when the event comes: a config reload may change the guilds.
      inServedGuild: servedChannelCheck(discord, (guildId) =>
        servesGuild(runningPolicy, config.discord.guildId, guildId),
      ),
      hasPicture: (entityId) => typeof store.get(entityId)?.attributes.entity_picture === 'string',
      enqueue,
      log: log.child({ side: 'send' }),
    });
  }

  if (policy === undefined) {
    log.info(
      'No access policy configured: members may read; controlling and managing alerts need the Manage Server permission (or grants under access: in CONFIG_FILE)',
    );
  }
  // Both read the policy in force at each use: a reload reaches them without copying.
  const access = createAccessControl(
    () => runningPolicy,
    config.discord.guildId,
    log,
    (entityId) => store.deviceClass(entityId),
  );
  const confirmations = new Confirmations(() => runningPolicy.confirm.timeout);
  const { haEvent, logbook, channelId: auditChannelId } = config.audit;
  const audit = createAuditLog({
    log: log.child({ side: 'audit' }),
    event: haEvent ? { type: haEvent, fire: (data) => ha.fireEvent(haEvent, data) } : undefined,
    logbook: logbook
      ? async ({ name, message, entityId }) =>
          void (await ha.callService('logbook', 'log', { name, message, entity_id: entityId }))
      : undefined,
    post: auditChannelId
      ? (notice) => enqueue(auditChannelId, { kind: 'notice', payload: notice })
      : undefined,
  });
  let runningPolicy = activePolicy;
  const reloadConfig = createReloader(
    config.alerts.configFile,
    {
      apply(file) {
        alerts.setConfiguredRules(
          [...file.alerts.rules, envRule(config.alerts.entities)].filter((r) => r !== undefined),
        );
        const next = file.access ?? DEFAULT_POLICY;
        if (next.exposed_only !== runningPolicy.exposed_only) ha.setLoadExposure(next.exposed_only);
        const visibility = commandVisibility(next);
        const before = commandVisibility(runningPolicy);
        if (
          discord.isReady() &&
          (visibility.dms !== before.dms ||
            visibility.memberPermissions !== before.memberPermissions)
        ) {
          void deployCommands(discord, config.discord.guildId, visibility, log).catch(
            (error: unknown) => log.error({ err: error }, 'could not register slash commands'),
          );
        }
        runningPolicy = next;
        return [
          `${file.alerts.rules.length} alert rule(s) from the file.`,
          file.access
            ? 'The access policy from the file.'
            : 'No access policy in the file: the safe default.',
        ];
      },
    },
    log,
  );
  process.on('SIGHUP', () => {
    void reloadConfig();
    // HA_TOKEN_FILE too: a new token in it is taken over without a restart.
    void tokens?.reread('SIGHUP');
  });

  const ctx = {
    reloadConfig,
    ha,
    images: haHttp,
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
    ownEvents: [haEvent, config.send.eventType].filter((e) => e !== undefined),
    runtime: { status, token: () => tokenMonitor?.report },
  };
  const route = createInteractionRouter(subcommands, ctx, log, metrics);
  discord.on(Events.InteractionCreate, (interaction) => void route(interaction));

  const health = await openHealthEndpoint(config.health, {
    registry: metricsRegistry,
    status,
    log,
  });

  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    alerts.stop();
    confirmations.stop();
    tokens?.stop();
    tokenMonitor?.stop();
    ha.stop();
    void Promise.all([pump.stop(), health?.close()])
      .then(() => discordConnection.close())
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
      () => readiness.discordReady({ user: client.user.tag, guilds: client.guilds.cache.size }),
      (error: unknown) => log.error({ err: error }, 'could not register slash commands'),
    );
  });
  try {
    // Retries while Discord cannot be reached; rejects only when it rejects the token.
    await discordConnection.login(config.discord.token, {
      onUnreachable: (cause) => {
        discordTracker.failed(cause);
        readiness.attemptFailed();
      },
    });
  } catch (error) {
    log.fatal({ code: (error as { code?: string }).code }, describeLoginError(error));
    ha.stop();
    await pump.stop();
    await discordConnection.close();
    process.exit(1);
  }
}

void main();
