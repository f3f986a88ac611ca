import 'dotenv/config';
import { Registry as MetricsRegistry } from 'prom-client';
import { AlertService, envRule } from './alerts/alert-service.js';
import { newAlertId } from './alerts/ids.js';
import { OutboxPump } from './alerts/outbox-pump.js';
import type { OutboxKind } from './alerts/types.js';
import { Features, type Feature } from './app/feature.js';
import {
  alerts as alertsFeature,
  haConnection,
  haSends,
  healthEndpoint,
  listeners,
  policyFollowers,
  reloadOnSighup,
  tokenLife,
} from './app/features.js';
import { exitOnSignals, isEntryPoint, settingsOrExit } from './app/process.js';
import { createAuditLog } from './audit/audit.js';
import { Confirmations } from './commands/confirmations.js';
import { ConversationMemory } from './commands/conversations.js';
import { instrumentCommands } from './commands/instrument.js';
import { subcommands } from './commands/registry.js';
import { LiveConfig } from './config/live.js';
import { createReloader } from './config/reload.js';
import type { Settings } from './config/settings.js';
import { createAccessControl } from './discord/access.js';
import { createDiscordClient, describeLoginError } from './discord/client.js';
import { commandRegistration } from './discord/command-registration.js';
import { discordClient, discordLogin, interactions, outboxDelivery } from './discord/features.js';
import { gatewayPing, trackGateway } from './discord/gateway-status.js';
import { createOutboxSender } from './discord/outbox-sender.js';
import { watchRateLimits } from './discord/rate-limits.js';
import { createInteractionRouter } from './discord/router.js';
import { servedChannelCheck } from './discord/send-channels.js';
import { EntityCatalog } from './entities/catalog.js';
import { HaClient } from './ha/client.js';
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
import { Readiness } from './health/readiness.js';
import { bridgeStatus, ConnectionTracker } from './health/status.js';
import { createLogger, resolveLogFormat } from './logging/logger.js';
import { servesGuild } from './policy/decide.js';
import { AlertStateStore } from './storage/alert-states.js';
import { openDatabase } from './storage/database.js';
import { MuteStore } from './storage/mutes.js';
import { Outbox } from './storage/outbox.js';
import { sqliteStatusMessages } from './storage/status-messages.js';
import { sqliteLoginGuardStore, sqliteTokenWarnings } from './storage/token-guard.js';
import { WatchStore } from './storage/watches.js';
import { VERSION } from './version.js';

/**
 * Composition root: builds the parts from the settings, then lists the features in the order
 * they start (they stop in reverse). No feature logic here: each feature owns its listeners.
 */
export async function startBridge({ config, live: initial }: Settings): Promise<void> {
  const startedAt = Date.now();
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
  const live = new LiveConfig(initial, (error) =>
    log.error({ err: error }, 'applying the reloaded config failed'),
  );

  const db = openDatabase(config.dataDir);
  const outbox = new Outbox(db);
  const store = new EntityStore((error) =>
    log.error({ err: error }, 'state change listener failed'),
  );
  const registry = new Registry();
  const catalog = new EntityCatalog(store, registry);
  const alertChannelId = config.discord.alertChannelId;
  const notify = (title: string, text: string): void => {
    if (alertChannelId) enqueue(alertChannelId, 'notice', { id: newAlertId(), title, text });
  };
  const postNotice = (notice: { id: string; title: string; text: string }) =>
    alertChannelId && enqueue(alertChannelId, 'notice', notice);
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
    loadExposure: live.current().policy.exposed_only,
    onUnreachable: (cause) => {
      haTracker.failed(cause);
      readiness.attemptFailed();
      banSeen(cause);
    },
    onCommand: (type, outcome, seconds) => metrics.haCall(type, outcome, seconds),
  });
  const banSeen = banNotices(ha, { url: config.ha.url, log, notify: postNotice });
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
    }),
    statusMessages: sqliteStatusMessages(db),
    log: log.child({ side: 'outbox' }),
    limits: config.alerts.outbox,
    metrics,
  });
  const enqueue = (channelId: string, kind: OutboxKind, payload: unknown): void => {
    outbox.add(channelId, kind, payload);
    metrics.queued(kind);
    pump.queued(channelId);
  };
  const envRules = [envRule(config.alerts.entities)].filter((r) => r !== undefined);
  const alerts = new AlertService({
    store,
    catalog,
    configuredRules: [...live.current().fileRules, ...envRules],
    watches: new WatchStore(db),
    mutes: new MuteStore(db),
    defaultChannelId: config.discord.alertChannelId,
    enqueue,
    log: log.child({ side: 'alerts' }),
    states: new AlertStateStore(db),
    history: (entityIds, since) => recordedStates(ha, entityIds, since),
    atomically: (fn) => db.transaction(fn)(),
  });
  const readiness = new Readiness({
    log,
    haUrl: config.ha.url,
    haError: () => haTracker.lastError,
    discordError: () => discordTracker.lastError,
    rules: () => alerts.rules().length,
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

  if (!initial.policyFromFile) {
    log.info(
      'No access policy configured: members may read; controlling and managing alerts need the Manage Server permission (or grants under access: in CONFIG_FILE)',
    );
  }
  const access = createAccessControl(
    live.current().policy,
    config.discord.guildId,
    log,
    (entityId) => store.deviceClass(entityId),
  );
  const confirmations = new Confirmations(live.current().policy.confirm.timeout);
  const { haEvent, logbook, channelId: auditChannelId } = config.audit;
  const audit = createAuditLog({
    log: log.child({ side: 'audit' }),
    event: haEvent ? { type: haEvent, fire: (data) => ha.fireEvent(haEvent, data) } : undefined,
    logbook: logbook
      ? async ({ name, message, entityId }) =>
          void (await ha.callService('logbook', 'log', { name, message, entity_id: entityId }))
      : undefined,
    post: auditChannelId ? (notice) => enqueue(auditChannelId, 'notice', notice) : undefined,
  });
  const reloadConfig = createReloader(config.alerts.configFile, live, log);
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
  const route = createInteractionRouter(instrumentCommands(subcommands, metrics), ctx, log);

  const features: Feature[] = [
    discordClient(discordConnection),
    healthEndpoint(config.health, { registry: metricsRegistry, status, log }),
    outboxDelivery(discord, pump),
    listeners(
      'connection health',
      () => ha.onStatus((s) => (s.kind === 'connected' ? haTracker.up() : haTracker.down())),
      () => trackGateway(discord, discordTracker),
      () => watchRateLimits(discord, (scope) => metrics.discordRateLimited(scope)),
      () => store.onChange((change) => metrics.haEvent(change.kind)),
      () => ha.onStatus((s) => readiness.haStatus(s)),
    ),
    alertsFeature({ ha, alerts, live, envRules }),
    listeners(
      'entity catalog',
      // Built once HA's states and registries are in, rather than by the first command or
      // keystroke; in a large home its search index follows in slices.
      () =>
        ha.onStatus((s) => {
          if (s.kind !== 'connected') return;
          const started = performance.now();
          const entities = catalog.list().length;
          log.info(
            { entities, ms: Math.round(performance.now() - started) },
            'entity catalog ready',
          );
        }),
    ),
    listeners('HA status notices', () =>
      watchHaStatus(ha, {
        url: config.ha.url,
        log,
        notify: postNotice,
        fromFile: config.ha.tokenFile !== undefined,
      }),
    ),
    tokenLife(ha, tokens, tokenMonitor),
    haSends(ha, {
      eventType: config.send.eventType,
      defaultChannelId: alertChannelId,
      channels: config.send.channels,
      // The policy in force when the event comes: a config reload may change the guilds.
      inServedGuild: servedChannelCheck(discord, (guildId) =>
        servesGuild(live.current().policy, config.discord.guildId, guildId),
      ),
      hasPicture: (entityId) => typeof store.get(entityId)?.attributes.entity_picture === 'string',
      enqueue,
      log: log.child({ side: 'send' }),
    }),
    policyFollowers({ live, access, confirmations, ha }),
    interactions(discord, route, confirmations),
    commandRegistration({
      client: discord,
      guildId: config.discord.guildId,
      live,
      log,
      onRegistered: (client) =>
        readiness.discordReady({ user: client.user.tag, guilds: client.guilds.cache.size }),
    }),
    reloadOnSighup(reloadConfig, tokens),
    haConnection(ha),
    // Retries while Discord cannot be reached; fails only when Discord rejects the token.
    discordLogin(discordConnection, config.discord.token, {
      onUnreachable: (cause) => {
        discordTracker.failed(cause);
        readiness.attemptFailed();
      },
      onRejected: (error) => {
        log.fatal({ code: (error as { code?: string }).code }, describeLoginError(error));
        void app.stop().finally(() => process.exit(1));
      },
    }),
  ];
  const app = new Features(features, log);
  exitOnSignals(app, { log, finally: () => db.close() });
  await app.start();
}

// `node dist/index.js` (npm start); the add-on and the image's launcher call startBridge.
if (isEntryPoint(import.meta.url)) await startBridge(settingsOrExit(process.env));
