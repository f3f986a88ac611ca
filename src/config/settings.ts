import type { z } from 'zod';
import { loadConfigFile } from './file.js';
import { liveSettings, type LiveSettings } from './live.js';
import { loadConfig } from './load.js';
import { EnvSchema, type Config } from './schema.js';

/** Everything the bot starts with: the environment's settings and CONFIG_FILE's. */
export interface Settings {
  readonly config: Config;
  readonly live: LiveSettings;
}

/** Problems, every one; `source` says where they are, so the message says where to fix them. */
export interface Failure {
  ok: false;
  source: 'environment' | 'file';
  problems: string[];
}

export type SettingsResult = { ok: true; settings: Settings } | Failure;

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

/** What `deploy-commands` needs: Discord's settings and who may see `/ha` (CONFIG_FILE). */
export interface CommandSettings {
  readonly discord: { token: string; guildId: string | undefined; apiUrl: string | undefined };
  readonly live: LiveSettings;
}

const CommandEnvSchema = EnvSchema.pick({
  DISCORD_TOKEN: true,
  DISCORD_GUILD_ID: true,
  DISCORD_API_URL: true,
  CONFIG_FILE: true,
});

/**
 * The settings `deploy-commands` reads, checked as the bot checks them; it needs no Home
 * Assistant settings.
 */
export function loadCommandSettings(
  env: NodeJS.ProcessEnv,
  readFile?: (path: string) => string,
): { ok: true; settings: CommandSettings } | Failure {
  const parsed = CommandEnvSchema.safeParse(env);
  if (!parsed.success) return { ok: false, source: 'environment', problems: issues(parsed.error) };
  const { DISCORD_TOKEN, DISCORD_GUILD_ID, DISCORD_API_URL, CONFIG_FILE } = parsed.data;
  const file = CONFIG_FILE === undefined ? undefined : loadConfigFile(CONFIG_FILE, readFile);
  if (file && !file.ok) return { ok: false, source: 'file', problems: file.problems };
  return {
    ok: true,
    settings: {
      discord: { token: DISCORD_TOKEN, guildId: DISCORD_GUILD_ID, apiUrl: DISCORD_API_URL },
      live: liveSettings(file?.file),
    },
  };
}

/** zod's issues as "NAME: what is wrong", sorted, as loadConfig words them. */
function issues(error: z.ZodError): string[] {
  return [
    ...new Set(error.issues.map((i) => `${i.path.join('.') || 'environment'}: ${i.message}`)),
  ].sort();
}
