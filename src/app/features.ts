import type { AlertService } from '../alerts/alert-service.js';
import { listenForSends, type HaSendOptions } from '../alerts/ha-send.js';
import type { Rule } from '../alerts/rule-schema.js';
import type { LiveConfig } from '../config/live.js';
import type { ReloadResult } from '../config/reload.js';
import { CORE_CONFIG_EVENT, type HaClient } from '../ha/client.js';
import { openHealthEndpoint, type HealthServerOptions } from '../health/server.js';
import type { Logger } from '../logging/logger.js';
import { feature, type Feature } from './feature.js';

/** The /livez, /readyz and /metrics endpoint, when HEALTH_PORT is set. */
export function healthEndpoint(
  settings: { port: number; host: string } | undefined,
  deps: Omit<HealthServerOptions, 'port' | 'host'>,
): Feature {
  return feature('health endpoint', async () => {
    const server = await openHealthEndpoint(settings, deps);
    return [server && (() => server.close())];
  });
}

/** The connection to HA: started after everything that follows it listens, stopped first. */
export function haConnection(ha: Pick<HaClient, 'start' | 'stop'>): Feature {
  return feature('home assistant connection', () => {
    ha.start();
    return [() => ha.stop()];
  });
}

/**
 * Alerts: follow HA's connection and restarts, and the live config's rules (CONFIG_FILE's,
 * then `envRules` from the environment, which a reload does not change).
 */
export function alerts(opts: {
  ha: Pick<HaClient, 'onStatus' | 'onEvent'>;
  alerts: AlertService;
  live: LiveConfig;
  envRules: readonly Rule[];
}): Feature {
  const { ha, live, envRules } = opts;
  const service = opts.alerts;
  return feature('alerts', () => [
    () => service.stop(),
    ha.onStatus((status) => service.onHaStatus(status)),
    ha.onEvent(CORE_CONFIG_EVENT, () => service.onCoreConfigUpdated()),
    live.onChange((next) => service.setConfiguredRules([...next.fileRules, ...envRules])),
  ]);
}

/** What HA automations send (HA_SEND_EVENT), into the outbox; nothing when it is off. */
export function haSends(
  ha: Pick<HaClient, 'onEvent'>,
  opts: Omit<HaSendOptions, 'eventType'> & { eventType: string | undefined },
): Feature {
  const { eventType } = opts;
  return feature('HA send events', () => [
    eventType === undefined ? undefined : listenForSends(ha, { ...opts, eventType }),
  ]);
}

/** Runs each of `subscriptions` on start and what each returns on stop. */
export function listeners(name: string, ...subscriptions: (() => () => void)[]): Feature {
  return feature(name, () => subscriptions.map((subscribe) => subscribe()));
}

/** SIGHUP re-reads CONFIG_FILE and HA_TOKEN_FILE (a new token is taken over without a restart). */
export function reloadOnSighup(
  reload: () => ReloadResult,
  tokens: { reread(origin: 'SIGHUP'): Promise<void> } | undefined,
): Feature {
  return feature('reload on SIGHUP', () => {
    const onSignal = (): void => {
      reload();
      void tokens?.reread('SIGHUP');
    };
    process.on('SIGHUP', onSignal);
    return [() => void process.off('SIGHUP', onSignal)];
  });
}

/**
 * What follows the policy and keeps state of its own: whether HA's exposure settings are
 * loaded. (Access decisions and the confirm timeout read the live policy at each use.)
 */
export function policyFollowers(opts: {
  live: LiveConfig;
  log: Logger;
  ha: Pick<HaClient, 'setLoadExposure'>;
}): Feature {
  const { live, ha } = opts;
  return feature('policy followers', () => {
    if (!live.current().policyFromFile) {
      opts.log.info(
        'No access policy configured: members may read; controlling and managing alerts need the Manage Server permission (or grants under access: in CONFIG_FILE)',
      );
    }
    return [
      live.onChange((next, previous) => {
        if (next.policy.exposed_only !== previous.policy.exposed_only)
          ha.setLoadExposure(next.policy.exposed_only);
      }),
    ];
  });
}

/**
 * The entity catalog built once HA's states and registries are in, rather than by the first
 * command or keystroke; in a large home its search index follows in slices.
 */
export function catalogWarmup(
  ha: Pick<HaClient, 'onStatus'>,
  catalog: { list(): readonly unknown[] },
  log: Logger,
): Feature {
  return listeners('entity catalog', () =>
    ha.onStatus((status) => {
      if (status.kind !== 'connected') return;
      const started = performance.now();
      const entities = catalog.list().length;
      // cpuMs: the process's CPU time so far (what the benchmark reports as start-up cost).
      const { user, system } = process.cpuUsage();
      log.info(
        {
          entities,
          ms: Math.round(performance.now() - started),
          cpuMs: Math.round((user + system) / 1000),
        },
        'entity catalog ready',
      );
    }),
  );
}
