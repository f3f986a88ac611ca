import { isAbsolute, posix } from 'node:path';

/**
 * The Home Assistant add-on's options (addon/config.yaml, saved by the Supervisor as
 * /data/options.json) and the environment variables they become. Options a user left empty
 * are not set, so the bot's own defaults apply.
 */
export const ADDON_OPTIONS = {
  discord_token: 'DISCORD_TOKEN',
  discord_guild_id: 'DISCORD_GUILD_ID',
  discord_alert_channel_id: 'DISCORD_ALERT_CHANNEL_ID',
  alert_entities: 'ALERT_ENTITIES',
  config_file: 'CONFIG_FILE',
  outbox_max_age: 'OUTBOX_MAX_AGE',
  outbox_max_rows: 'OUTBOX_MAX_ROWS',
  ha_state_wait_ms: 'HA_STATE_WAIT_MS',
  log_level: 'LOG_LEVEL',
  log_format: 'LOG_FORMAT',
  ha_url: 'HA_URL',
  ha_token: 'HA_TOKEN',
  discord_audit_channel_id: 'DISCORD_AUDIT_CHANNEL_ID',
  ha_command_event: 'HA_COMMAND_EVENT',
  ha_logbook: 'HA_LOGBOOK',
  ha_send_event: 'HA_SEND_EVENT',
  ha_send_channels: 'HA_SEND_CHANNELS',
  ha_send_users: 'HA_SEND_USERS',
} as const;

export type AddonOption = keyof typeof ADDON_OPTIONS;

/**
 * The port addon/config.yaml declares for /livez, /readyz and /metrics, and its `watchdog:`
 * asks. Always on in the add-on: the Supervisor's watchdog needs /livez.
 */
export const ADDON_HEALTH_PORT = 9464;

/** The add-on's own folder (`map: addon_config`), where a relative config_file is looked up. */
export const ADDON_CONFIG_DIR = '/config';

/**
 * Always set inside the add-on: its persistent storage; one readable line an event for HA's
 * Log tab (`log_format: json` for a log shipper); and the health endpoint, on the add-on's
 * own address rather than loopback, since the Supervisor's watchdog asks /livez from outside
 * the container (and a Prometheus add-on or a port mapped in the Network tab reach /metrics).
 */
export const ADDON_DEFAULTS: Readonly<Record<string, string>> = {
  DATA_DIR: '/data',
  LOG_FORMAT: 'text',
  HEALTH_PORT: String(ADDON_HEALTH_PORT),
  HEALTH_HOST: '0.0.0.0',
};

export type AddonEnvResult =
  { ok: true; env: Record<string, string> } | { ok: false; problems: string[] };

/**
 * Maps the options object to environment variables. Every problem is listed at once, like the
 * bot's own settings ("option: what is wrong"); unknown keys are ignored, since the Supervisor
 * drops options that are no longer in the schema anyway.
 */
export function addonEnv(options: unknown): AddonEnvResult {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    return { ok: false, problems: ['options.json: must be an object of options'] };
  }
  const env: Record<string, string> = { ...ADDON_DEFAULTS };
  const problems: string[] = [];
  for (const [key, value] of Object.entries(options as Record<string, unknown>)) {
    if (!(key in ADDON_OPTIONS) || value === null || value === undefined) continue;
    const option = key as AddonOption;
    const mapped = mapOption(option, value);
    if (mapped === undefined) continue;
    if ('problem' in mapped) problems.push(`${option}: ${mapped.problem}`);
    else Object.assign(env, mapped.env);
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, env };
}

type Mapped = { env: Record<string, string> } | { problem: string } | undefined;

function mapOption(option: AddonOption, value: unknown): Mapped {
  const name = ADDON_OPTIONS[option];
  switch (option) {
    case 'ha_logbook':
      if (typeof value !== 'boolean') return { problem: 'must be true or false' };
      return { env: { [name]: String(value) } };
    case 'alert_entities': {
      if (!Array.isArray(value) || value.some((v) => typeof v !== 'string'))
        return { problem: 'must be a list of entity ids or globs' };
      const list = (value as string[]).map((v) => v.trim()).filter((v) => v !== '');
      return list.length > 0 ? { env: { [name]: list.join(',') } } : undefined;
    }
    case 'config_file': {
      const text = scalar(value);
      if (text === undefined) return { problem: 'must be a file name' };
      if (text === '') return undefined;
      return {
        env: { [name]: isAbsolute(text) ? text : posix.join(ADDON_CONFIG_DIR, text) },
      };
    }
    default: {
      const text = scalar(value);
      if (text === undefined) return { problem: 'must be a single value' };
      return text === '' ? undefined : { env: { [name]: text } };
    }
  }
}

/** Where an add-on user fixes a problem. */
export const ADDON_FIX = "Fix them in the add-on's Configuration tab, then restart the add-on.";

/**
 * A settings problem in the add-on's words: 'DISCORD_TOKEN: is required' becomes
 * 'discord_token (DISCORD_TOKEN): is required', since the user sees option names.
 */
export function inAddonTerms(problem: string): string {
  const name = problem.split(':')[0] ?? '';
  const option = Object.entries(ADDON_OPTIONS).find(([, env]) => env === name)?.[0];
  return option === undefined
    ? problem
    : `${option} (${problem.slice(0, name.length)})${problem.slice(name.length)}`;
}

function scalar(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}
