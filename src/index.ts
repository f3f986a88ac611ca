import 'dotenv/config';
import { Events } from 'discord.js';
import { startAlertDispatcher } from './alerts/dispatcher.js';
import { subcommands } from './commands/registry.js';
import { describeProblems, loadConfig } from './config/load.js';
import { AlertPoster } from './discord/alert-poster.js';
import { createDiscordClient, describeLoginError } from './discord/client.js';
import { deployCommands } from './discord/deploy.js';
import { createInteractionRouter } from './discord/router.js';
import { EntityCatalog } from './entities/catalog.js';
import { HaClient } from './ha/client.js';
import { EntityStore } from './ha/entity-store.js';
import { Registry } from './ha/registry.js';
import { watchHaStatus } from './ha/status-notices.js';
import { createLogger } from './logging/logger.js';

/** Composition root: config -> logger -> store -> HA -> Discord -> alerts, and shutdown. */
async function main(): Promise<void> {
  const loaded = loadConfig(process.env);
  if (!loaded.ok) {
    process.stderr.write(`${describeProblems(loaded.problems)}\n`);
    process.exit(1);
  }
  const config = loaded.config;
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

  const store = new EntityStore((error) =>
    log.error({ err: error }, 'state change listener failed'),
  );
  const registry = new Registry();
  const catalog = new EntityCatalog(store, registry);
  const ha = new HaClient({ ...config.ha, log: log.child({ side: 'ha' }), store, registry });
  const discord = createDiscordClient({
    apiUrl: config.discord.apiUrl,
    log: log.child({ side: 'discord' }),
  });

  const ctx = { ha, catalog, store, log, stateWaitMs: config.ha.stateWaitMs };
  const route = createInteractionRouter(subcommands, ctx, log);
  discord.on(Events.InteractionCreate, (interaction) => void route(interaction));

  const poster = config.discord.alertChannelId
    ? new AlertPoster({ client: discord, channelId: config.discord.alertChannelId, log })
    : undefined;
  const stopDispatcher = poster
    ? startAlertDispatcher({
        store,
        catalog,
        watch: config.alerts.entities,
        isHaRunning: () => ha.isRunning,
        sink: poster,
        log,
      })
    : undefined;
  watchHaStatus(ha, { url: config.ha.url, log, notify: (n) => poster?.notice(n) });

  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    stopDispatcher?.();
    poster?.stop();
    ha.stop();
    void discord.destroy().finally(() => process.exit(0));
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));

  ha.start();
  discord.once(Events.ClientReady, (client) => {
    void deployCommands(client, config.discord.guildId, log).then(
      () => log.info({ user: client.user.tag, guilds: client.guilds.cache.size }, 'bridge ready'),
      (error: unknown) => log.error({ err: error }, 'could not register slash commands'),
    );
  });
  try {
    await discord.login(config.discord.token);
  } catch (error) {
    log.fatal({ code: (error as { code?: string }).code }, describeLoginError(error));
    ha.stop();
    await discord.destroy();
    process.exit(1);
  }
}

void main();
