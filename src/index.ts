import 'dotenv/config';
import { AlertService, envRule } from './alerts/alert-service.js';
import { outboxCodec } from './alerts/outbox-codec.js';
import { Features, type Feature } from './app/feature.js';
import {
  alerts as alertsFeature,
  catalogWarmup,
  haConnection,
  haSends,
  healthEndpoint,
  listeners,
  policyFollowers,
  reloadOnSighup,
} from './app/features.js';
import { exitOnSignals, isEntryPoint, logProcessFailures, settingsOrExit } from './app/process.js';
import { alertChannelNotices, createEnqueue, type Enqueue } from './app/queue.js';
import { createTokenLife } from './app/token-life.js';
import { LiveConfig } from './config/live.js';
import { createReloader } from './config/reload.js';
import type { Settings } from './config/settings.js';
import { createAlertDelivery } from './discord/alert-delivery.js';
import { createDiscordClient, describeLoginError } from './discord/client.js';
import { commandRegistration } from './discord/interactions/command-registration.js';
import { createCommandRouting } from './discord/interactions/command-routing.js';
import { discordClient, discordLogin, interactions, outboxDelivery } from './discord/features.js';
import { followGateway, gatewayPing } from './discord/gateway-status.js';
import { watchRateLimits } from './discord/rate-limits.js';
import { servedChannelCheck, threadParentLookup } from './discord/send-channels.js';
import { EntityCatalog } from './entities/catalog.js';
import { HaClient } from './ha/client.js';
import { EntityStore } from './ha/entity-store.js';
import { recordedStates } from './ha/history.js';
import { createHistoryService } from './charts/service.js';
import { HaHttp } from './ha/http.js';
import { Registry } from './ha/registry.js';
import { banNotices, watchHaStatus } from './ha/status-notices.js';
import { createObservability } from './health/observability.js';
import { Readiness } from './health/readiness.js';
import { createLogger, resolveLogFormat } from './logging/logger.js';
import { servesGuild } from './policy/decide.js';
import { AlertStateStore } from './storage/alert-states.js';
import { ActionMessageStore } from './storage/action-messages.js';
import { openDatabase } from './storage/database.js';
import { groupCommits } from './storage/group-commits.js';
import { MuteStore } from './storage/mutes.js';
import { Outbox } from './storage/outbox.js';
import { WatchStore } from './storage/watches.js';
import { VERSION } from './version.js';

/**
 * Composition root: builds the parts from the settings, then lists the features in the order
 * they start; they stop in the reverse order. Feature logic lives in the features.
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
  logProcessFailures(log);
  const live = new LiveConfig(initial, (error) =>
    log.error({ err: error }, 'applying the reloaded config failed'),
  );
  const policy = () => live.current().policy;

  const db = openDatabase(config.dataDir);
  const outbox = new Outbox(db, Date.now, outboxCodec);
  const store = new EntityStore((error) =>
    log.error({ err: error }, 'state change listener failed'),
  );
  // The registry's entity ids are the store's strings: one copy of each id, not two.
  const registry = new Registry((entityId) => store.get(entityId)?.entityId ?? entityId);
  const catalog = new EntityCatalog(store, registry);
  const enqueue: Enqueue = (channelId, entry) => queue(channelId, entry);
  const notices = alertChannelNotices(config.discord.alertChannelId, enqueue);
  const tokenLife = createTokenLife({
    ha: config.ha,
    db,
    log,
    notify: notices.notify,
    onSecret: (token) => logSecrets.push(token),
  });
  const { tokens } = tokenLife;
  const ha = new HaClient({
    ...config.ha,
    credentials: tokens,
    secrets: tokens && (() => tokens.secrets()),
    log: log.child({ side: 'ha' }),
    store,
    registry,
    loadExposure: policy().exposed_only,
    onUnreachable: (cause) => {
      observability.haTracker.failed(cause);
      readiness.attemptFailed();
      bans.unreachable(cause);
    },
    onCommand: (type, outcome, seconds) => observability.metrics.haCall(type, outcome, seconds),
  });
  const bans = banNotices(ha, { url: config.ha.url, log, notify: notices.post });
  const discordConnection = createDiscordClient({
    apiUrl: config.discord.apiUrl,
    log: log.child({ side: 'discord' }),
  });
  const discord = discordConnection.client;
  const gateway = followGateway(discord);
  const observability = createObservability({
    version: VERSION,
    startedAt,
    outbox,
    haStatus: () => ha.status,
    discordPingMs: () => gatewayPing(discord),
  });
  const { metrics, haTracker, discordTracker, status } = observability;

  const haHttp = new HaHttp({
    url: config.ha.url,
    token: () => tokens?.current ?? config.ha.token,
    timeoutMs: config.send.imageTimeoutMs,
    tokenRejected: () => ha.status.kind === 'auth_invalid',
  });
  // One history service: /ha history and alerts' charts share its render queue.
  const history = createHistoryService(ha);
  const pump = createAlertDelivery({
    db,
    outbox,
    client: discord,
    gateway,
    history,
    images: haHttp,
    store,
    log: log.child({ side: 'outbox' }),
    settings: config.alerts,
    metrics,
  });
  const queue = createEnqueue({
    outbox,
    metrics,
    pump,
    // One commit per burst (the alerts of one frame of HA's changes), not one per alert;
    // the rows it queued written just before, with the states they came from (so a crash
    // cannot have the next start report them again).
    inBurst: groupCommits(
      db,
      (error) =>
        log.error(
          { err: error },
          'could not save the alerts just queued: they are lost. Check that DATA_DIR is writable and its disk not full',
        ),
      () => {
        alerts.writeAlertedStates();
        outbox.flush();
      },
    ),
  });
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
    // The outbox's: the alerts queued inside are written inside (and rolled back with it).
    atomically: (fn) => outbox.transaction(fn),
  });
  const readiness = new Readiness({
    log,
    haUrl: config.ha.url,
    haError: () => haTracker.lastError,
    discordError: () => discordTracker.lastError,
    rules: () => alerts.rules().length,
  });
  const actionMessages = new ActionMessageStore(db);

  const reloadConfig = createReloader(config.alerts.configFile, live, log);
  const { route, confirmations } = createCommandRouting({
    config,
    live,
    log,
    metrics,
    ha,
    images: haHttp,
    history,
    catalog,
    store,
    alerts,
    enqueue,
    reloadConfig,
    actionMessages,
    runtime: { status, token: tokenLife.report },
  });

  const features: Feature[] = [
    discordClient(discordConnection),
    healthEndpoint(config.health, { registry: observability.registry, status, log }),
    outboxDelivery(gateway, pump),
    listeners(
      'connection health',
      () => ha.onStatus((s) => (s.kind === 'connected' ? haTracker.up() : haTracker.down())),
      () => gateway.on((up) => (up ? discordTracker.up() : discordTracker.down())),
      () => watchRateLimits(discord, (scope) => metrics.discordRateLimited(scope)),
      () => store.onChange((change) => metrics.haEvent(change.kind)),
      () => ha.onStatus((s) => readiness.haStatus(s)),
    ),
    alertsFeature({ ha, alerts, live, envRules }),
    catalogWarmup(ha, catalog, log),
    listeners(
      'HA status notices',
      // Ban notices follow HA from their making (HaClient reports to them): released here.
      () => bans.stop,
      () =>
        watchHaStatus(ha, {
          url: config.ha.url,
          log,
          notify: notices.post,
          fromFile: config.ha.tokenFile !== undefined,
        }),
    ),
    tokenLife.feature(ha),
    haSends(ha, {
      eventType: config.send.eventType,
      defaultChannelId: config.discord.alertChannelId,
      channels: config.send.channels,
      users: config.send.users,
      threadParent: threadParentLookup(discord),
      // The policy in force when the event comes: a config reload may change the guilds.
      inServedGuild: servedChannelCheck(discord, (guildId) =>
        servesGuild(policy(), config.discord.guildId, guildId),
      ),
      hasPicture: (entityId) => typeof store.get(entityId)?.attributes.entity_picture === 'string',
      enqueue,
      actions: actionMessages,
      log: log.child({ side: 'send' }),
    }),
    policyFollowers({ live, log, ha }),
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
