import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describeProblems } from '../config/load.js';
import { loadSettings, type Settings, type SettingsResult } from '../config/settings.js';
import type { Logger } from '../logging/logger.js';

type Failure = Extract<SettingsResult, { ok: false }>;

/**
 * The settings from `env`, or every problem on stderr and exit 1. `describe` words them
 * (the add-on names its options rather than .env).
 */
export function settingsOrExit(
  env: NodeJS.ProcessEnv,
  describe: (failure: Failure) => string = (failure) => describeProblems(failure.problems),
): Settings {
  const loaded = loadSettings(env);
  if (loaded.ok) return loaded.settings;
  process.stderr.write(`${describe(loaded)}\n`);
  process.exit(1);
}

/** Logs a promise nobody awaited that failed; exits on an exception nothing caught. */
export function logProcessFailures(log: Logger): void {
  process.on('unhandledRejection', (reason) =>
    log.error({ err: reason }, 'unhandled promise rejection'),
  );
  process.on('uncaughtException', (error) => {
    log.fatal({ err: error }, 'uncaught exception, exiting');
    process.exit(1);
  });
}

/** SIGINT and SIGTERM stop every feature, then `finally` (the database), then exit 0. */
export function exitOnSignals(
  app: { stop(): Promise<void> },
  opts: { log: Logger; finally: () => void },
): void {
  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    opts.log.info({ signal }, 'shutting down');
    void app.stop().finally(() => {
      opts.finally();
      process.exit(0);
    });
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

/** Whether the module at `moduleUrl` is the one node was started with (`node dist/index.js`). */
export function isEntryPoint(moduleUrl: string): boolean {
  const started = process.argv[1];
  if (started === undefined) return false;
  try {
    return realpathSync(started) === realpathSync(fileURLToPath(moduleUrl));
  } catch {
    return false;
  }
}
