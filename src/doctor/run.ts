import { accessSync, constants, mkdirSync } from 'node:fs';
import { loadConfigFile } from '../config/file.js';
import { loadConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import type { WebsocketProbe } from '../ha/probe.js';
import { scrub } from '../logging/logger.js';
import { checkDiscord, type DiscordChannelTarget } from './discord-checks.js';
import { LoginGuard, memoryLoginGuardStore } from '../ha/login-guard.js';
import { checkHomeAssistant } from './token-checks.js';
import type { CheckResult, HttpGet } from './types.js';

export interface DoctorDeps {
  get: HttpGet;
  probeWebsocket: (wsUrl: string, token: string) => Promise<WebsocketProbe>;
  /** Throws when the directory cannot be created or written. */
  checkWritable?: (dir: string) => void;
  /**
   * The login guard the bot keeps in DATA_DIR, so doctor runs count towards its bound of
   * failed logins; undefined when it cannot be opened (then the doctor keeps one of its own).
   */
  openGuard?: (dataDir: string, haUrl: string) => LoginGuard | undefined;
  /** `--retry-token`: forget the rejected tokens and failed logins first (a person vouches). */
  retryToken?: boolean;
  now?: () => number;
}

const defaultCheckWritable = (dir: string): void => {
  mkdirSync(dir, { recursive: true });
  accessSync(dir, constants.W_OK);
};

/**
 * Every check, in the order a person would fix things: the configuration, then Home
 * Assistant, then Discord. Checks that depend on a failed one are skipped, not failed twice.
 */
export async function runDoctor(env: NodeJS.ProcessEnv, deps: DoctorDeps): Promise<CheckResult[]> {
  const loaded = loadConfig(env);
  if (!loaded.ok) {
    return [
      {
        name: 'Configuration',
        status: 'fail',
        summary: `${loaded.problems.length} problem${loaded.problems.length === 1 ? '' : 's'} in the settings`,
        details: [...loaded.problems, 'Fix them in .env (see .env.example) or the environment.'],
      },
      {
        name: 'Home Assistant and Discord',
        status: 'skip',
        summary: 'skipped until the settings are valid',
      },
    ];
  }
  const config = loaded.config;
  const results: CheckResult[] = [configSummary(config)];
  const channels: DiscordChannelTarget[] = [];
  if (config.discord.alertChannelId)
    channels.push({ id: config.discord.alertChannelId, label: 'Alert channel', pictures: true });
  if (config.alerts.configFile) {
    const file = loadConfigFile(config.alerts.configFile);
    if (file.ok) {
      const rules = file.file.alerts.rules.length;
      results.push({
        name: 'Config file',
        status: 'ok',
        summary: `${config.alerts.configFile}: ${rules} rule${rules === 1 ? '' : 's'}${file.file.access ? ', access policy' : ''}`,
      });
      for (const rule of file.file.alerts.rules) {
        if (rule.channel && !channels.some((c) => c.id === rule.channel))
          channels.push({ id: rule.channel, label: `Channel of rule '${rule.name}'` });
      }
    } else {
      results.push({
        name: 'Config file',
        status: 'fail',
        summary: `${file.problems.length} problem${file.problems.length === 1 ? '' : 's'} in ${config.alerts.configFile}`,
        details: file.problems,
      });
    }
  }
  results.push(checkDataDir(config.dataDir, deps.checkWritable ?? defaultCheckWritable));

  const now = deps.now ?? Date.now;
  let guard = deps.openGuard?.(config.dataDir, config.ha.url);
  if (guard === undefined) {
    guard = new LoginGuard(memoryLoginGuardStore(), config.ha.url, now);
    if (!config.ha.viaSupervisor) {
      results.push({
        name: 'Login guard',
        status: 'warn',
        summary: `cannot use ${config.dataDir}: this run's logins are not counted with the bot's`,
        details: [
          "The bot remembers rejected tokens and failed logins in DATA_DIR, so that it never gets its address banned by Home Assistant. Run the doctor with the bot's DATA_DIR (in Docker: the same volume).",
        ],
      });
    }
  }
  if (deps.retryToken) {
    guard.forget();
    results.push({
      name: 'Login guard',
      status: 'ok',
      summary: 'forgot the rejected tokens and failed logins: the token is tried once',
    });
  }
  const [ha, discord] = await Promise.all([
    checkHomeAssistant(config.ha, {
      get: deps.get,
      probeWebsocket: deps.probeWebsocket,
      guard,
      now: now(),
    }),
    checkDiscord(
      {
        token: config.discord.token,
        apiUrl: config.discord.apiUrl,
        guildId: config.discord.guildId,
        channels,
      },
      deps.get,
    ),
  ]);
  // The tokens as the bot will use them, read from HA_TOKEN_FILE too: an error that echoes
  // one (a header Node refused, say) must not print it.
  const secrets = [config.discord.token, config.ha.token];
  return [...results, ...ha, ...discord].map((r) => ({
    ...r,
    summary: scrub(r.summary, secrets),
    ...(r.details ? { details: r.details.map((d) => scrub(d, secrets)) } : {}),
  }));
}

function configSummary(config: Config): CheckResult {
  const ha = config.ha.viaSupervisor
    ? `HA through the Supervisor (${config.ha.url})`
    : `HA at ${config.ha.url}`;
  const health = config.health
    ? `, health endpoint on ${config.health.host}:${config.health.port}`
    : '';
  return { name: 'Configuration', status: 'ok', summary: `valid: ${ha}${health}` };
}

function checkDataDir(dir: string, checkWritable: (dir: string) => void): CheckResult {
  try {
    checkWritable(dir);
    return { name: 'Data directory', status: 'ok', summary: `${dir} is writable` };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    return {
      name: 'Data directory',
      status: 'fail',
      summary: `${dir} is not writable (${code})`,
      details: [
        'The alert outbox, watches and mutes live here. In Docker, mount a volume at DATA_DIR that the bot user (uid 1000, "node") may write: e.g. `-v hdb-data:/data`, or `chown 1000:1000` a bind-mounted folder.',
      ],
    };
  }
}
