import { loadConfigFile } from './file.js';
import { liveSettings, type LiveSettings } from './live.js';
import { loadConfig } from './load.js';
import type { Config } from './schema.js';

/** Everything the bot starts with: the environment's settings and CONFIG_FILE's. */
export interface Settings {
  readonly config: Config;
  readonly live: LiveSettings;
}

export type SettingsResult =
  | { ok: true; settings: Settings }
  /** `source` says where the problems are, so the message says where to fix them. */
  | { ok: false; source: 'environment' | 'file'; problems: string[] };

/**
 * Validates the environment, then reads CONFIG_FILE when it names one; the problems of the
 * first that has any, every one of them.
 */
export function loadSettings(
  env: NodeJS.ProcessEnv,
  readFile?: (path: string) => string,
): SettingsResult {
  const loaded = loadConfig(env, readFile);
  if (!loaded.ok) return { ok: false, source: 'environment', problems: loaded.problems };
  const path = loaded.config.alerts.configFile;
  const file = path === undefined ? undefined : loadConfigFile(path, readFile);
  if (file && !file.ok) return { ok: false, source: 'file', problems: file.problems };
  return { ok: true, settings: { config: loaded.config, live: liveSettings(file?.file) } };
}
