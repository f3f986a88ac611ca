import { z } from 'zod';
import { DEFAULT_SEND_EVENT } from '../alerts/send-schema.js';
import { DEFAULT_COMMAND_EVENT } from '../audit/audit.js';
import { durationSchema, type DurationOptions } from '../time/duration.js';
import { HealthEnvSchema, healthSettings, optional } from './health-settings.js';
import { SUPERVISOR_CORE_URL, websocketUrl } from './supervisor.js';

const snowflake = z
  .string()
  .trim()
  .regex(
    /^\d{17,20}$/,
    'must be a Discord id (17-20 digits): enable Developer Mode, right-click, Copy ID',
  );

const httpUrl = (example: string) =>
  z
    .string({ error: `is required, e.g. ${example}` })
    .trim()
    .url(`must be a URL such as ${example}`)
    .refine((v) => /^https?:\/\//i.test(v), `must start with http:// or https:// (e.g. ${example})`)
    .transform((v) => v.replace(/\/+$/, ''));

/** A duration setting (blank is unset); its output is milliseconds. */
const envDuration = (fallback: number, opts: DurationOptions) =>
  z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    durationSchema({ ...opts, objectForm: false, allowZero: false }).default(fallback),
  );

/** A *_MS timer setting: a bare number is milliseconds; 30s, 00:00:30 and the like work too. */
const positiveMs = (fallback: number) =>
  envDuration(fallback, { bareNumber: 'milliseconds', max: { ms: 3_600_000, text: '1 hour' } });

/** The environment the bot reads. Names are the public contract documented in the README. */
/** A list setting: entries separated by commas and/or whitespace, blanks dropped. */
const splitList = (v: string): string[] =>
  v
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);

export const EnvSchema = z.object({
  DISCORD_TOKEN: z
    .string({ error: 'is required: the bot token from the Discord developer portal' })
    .trim()
    .min(1, 'is required: the bot token from the Discord developer portal'),
  DISCORD_GUILD_ID: optional(snowflake),
  DISCORD_ALERT_CHANNEL_ID: optional(snowflake),
  DISCORD_API_URL: optional(httpUrl('https://discord.com/api')),
  DISCORD_AUDIT_CHANNEL_ID: optional(snowflake),
  // Required unless the bot runs as an add-on (SUPERVISOR_TOKEN): see crossFieldProblems.
  HA_URL: optional(httpUrl('http://homeassistant.local:8123')),
  HA_TOKEN: optional(z.string().trim()),
  HA_TOKEN_FILE: optional(z.string().trim()),
  /** Self-rotation of the HA token every this many days; needs a writable HA_TOKEN_FILE. */
  HA_TOKEN_ROTATE_DAYS: optional(
    z.coerce
      .number({ error: 'must be a number of days, e.g. 30' })
      .int('must be a whole number of days, e.g. 30')
      .min(1, 'must be at least 1 day')
      .max(3650, 'must be at most 3650 days'),
  ),
  /** Set by the HA Supervisor inside an add-on; used when HA_TOKEN/HA_TOKEN_FILE are not. */
  SUPERVISOR_TOKEN: optional(z.string().trim()),
  ALERT_ENTITIES: z
    .string()
    .default('')
    .transform(splitList)
    .pipe(
      z.array(
        z
          .string()
          .regex(
            /^[a-z0-9_*?]+\.[a-z0-9_*?]+$/,
            'each entry must be an entity id or glob such as binary_sensor.*_door',
          ),
      ),
    ),
  CONFIG_FILE: optional(z.string().trim()),
  OUTBOX_MAX_AGE: envDuration(86_400_000, {}),
  OUTBOX_MAX_ROWS: z.coerce.number().int().min(100).default(10_000),
  OUTBOX_MIN_INTERVAL_MS: positiveMs(1_000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['auto', 'json', 'pretty', 'text']).default('auto'),
  ...HealthEnvSchema.shape,
  DATA_DIR: z.string().trim().min(1).default('./data'),
  HA_PING_INTERVAL_MS: positiveMs(30_000),
  HA_PING_TIMEOUT_MS: positiveMs(10_000),
  HA_STATE_WAIT_MS: positiveMs(5_000),
  HA_COMMAND_EVENT: optional(
    z
      .string()
      .trim()
      .regex(/^[a-z0-9_]+$/, 'must be an HA event type such as discord_bridge_command, or off'),
  ),
  HA_LOGBOOK: optional(z.stringbool({ error: 'must be true or false' })),
  HA_SEND_EVENT: optional(
    z
      .string()
      .trim()
      .regex(/^[a-z0-9_]+$/, 'must be an HA event type such as discord_bridge_send, or off'),
  ),
  HA_SEND_CHANNELS: optional(
    z
      .string()
      .transform((v) => v.trim())
      .transform((v) => (/^(any|\*)$/i.test(v) ? 'any' : splitList(v)))
      .pipe(
        z.union([
          z.literal('any'),
          z.array(
            z
              .string()
              .regex(
                /^\d{17,20}$/,
                'must be any, or Discord channel ids (17-20 digits) separated by commas',
              ),
          ),
        ]),
      ),
  ),
  HA_SEND_USERS: optional(
    z
      .string()
      .transform(splitList)
      .pipe(
        z.array(
          z
            .string()
            .regex(/^\d{17,20}$/, 'must be Discord user ids (17-20 digits) separated by commas'),
        ),
      ),
  ),
  HA_IMAGE_TIMEOUT_MS: positiveMs(10_000),
});

/** The validated configuration the rest of the bot receives: one schema, one type. */
export const ConfigSchema = EnvSchema.transform((env) => {
  // The loader reads HA_TOKEN_FILE into HA_TOKEN, so "no token of the user's own" is this.
  const viaSupervisor = env.HA_TOKEN === undefined && env.SUPERVISOR_TOKEN !== undefined;
  const haUrl = env.HA_URL ?? SUPERVISOR_CORE_URL;
  return {
    discord: {
      token: env.DISCORD_TOKEN,
      guildId: env.DISCORD_GUILD_ID,
      alertChannelId: env.DISCORD_ALERT_CHANNEL_ID,
      apiUrl: env.DISCORD_API_URL,
    },
    ha: {
      // crossFieldProblems guarantees HA_URL unless the Supervisor's proxy is the default.
      url: haUrl,
      websocketUrl: websocketUrl(haUrl, viaSupervisor),
      viaSupervisor,
      // crossFieldProblems guarantees one of them; the loader reads HA_TOKEN_FILE into HA_TOKEN.
      token: env.HA_TOKEN ?? env.SUPERVISOR_TOKEN ?? '',
      /** Where the token came from, watched for a new one (HA_TOKEN_FILE). */
      tokenFile: env.HA_TOKEN_FILE,
      rotateDays: env.HA_TOKEN_ROTATE_DAYS,
      pingIntervalMs: env.HA_PING_INTERVAL_MS,
      pingTimeoutMs: env.HA_PING_TIMEOUT_MS,
      stateWaitMs: env.HA_STATE_WAIT_MS,
    },
    alerts: {
      entities: env.ALERT_ENTITIES,
      configFile: env.CONFIG_FILE,
      outbox: { maxAgeMs: env.OUTBOX_MAX_AGE, maxRows: env.OUTBOX_MAX_ROWS },
      /** The shortest gap between two messages in one channel; changes meanwhile are gathered. */
      minIntervalMs: env.OUTBOX_MIN_INTERVAL_MS,
    },
    audit: {
      channelId: env.DISCORD_AUDIT_CHANNEL_ID,
      haEvent:
        env.HA_COMMAND_EVENT === 'off'
          ? undefined
          : (env.HA_COMMAND_EVENT ?? DEFAULT_COMMAND_EVENT),
      logbook: env.HA_LOGBOOK ?? true,
    },
    send: {
      eventType:
        env.HA_SEND_EVENT === 'off' ? undefined : (env.HA_SEND_EVENT ?? DEFAULT_SEND_EVENT),
      /** Besides the alert channel: these channel ids, or any channel of the served server. */
      channels: env.HA_SEND_CHANNELS ?? [],
      /** The users HA may send a direct message (`user_id`); none by default. */
      users: env.HA_SEND_USERS ?? [],
      imageTimeoutMs: env.HA_IMAGE_TIMEOUT_MS,
    },
    logLevel: env.LOG_LEVEL,
    logFormat: env.LOG_FORMAT,
    dataDir: env.DATA_DIR,
    /** The /livez, /readyz and /metrics endpoint; off unless HEALTH_PORT is set. */
    health: healthSettings(env),
  };
});

export type Config = z.output<typeof ConfigSchema>;
