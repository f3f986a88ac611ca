import { createRequire } from 'node:module';
import { destination as pinoDestination, pino, type DestinationStream, type Logger } from 'pino';
import { textStream } from './text-format.js';

export type { Logger };

const REDACT_PATHS = [
  'token',
  'accessToken',
  'access_token',
  '*.token',
  '*.access_token',
  'authorization',
  'headers.authorization',
  '*.headers.authorization',
  'req.headers.authorization',
];

const MASK = '[REDACTED]';

/** json: one JSON object a line; pretty: pino-pretty's colours; text: one plain line an event. */
export type LogFormat = 'json' | 'pretty' | 'text';

/**
 * JSON unless a person is watching: `auto` is pretty only on a terminal, so Docker logs,
 * systemd and log shippers get one JSON object a line. The add-on sets `text` for HA's Log tab.
 */
export function resolveLogFormat(setting: 'auto' | LogFormat, isTTY: boolean): LogFormat {
  if (setting === 'auto') return isTTY ? 'pretty' : 'json';
  return setting;
}

type PrettyFactory = (options: Record<string, unknown>) => DestinationStream;

/** pino-pretty is a dev dependency: production images do not ship it and log JSON. */
function loadPretty(): PrettyFactory | undefined {
  try {
    return createRequire(import.meta.url)('pino-pretty') as PrettyFactory;
  } catch {
    return undefined;
  }
}

/**
 * A pino logger that can never print a secret: known fields are redacted by path, and as
 * a last line of defence every line is scrubbed of the literal secrets before it is
 * written, so a token inside an error message or a library's string is masked too.
 * The scrub runs on the JSON line before pino-pretty sees it, so pretty output is masked too.
 */
export function createLogger(
  options: { level: string; secrets: readonly string[]; format?: LogFormat },
  destination?: DestinationStream,
): Logger {
  const pretty =
    options.format === 'pretty' && destination === undefined ? loadPretty() : undefined;
  // Without pino-pretty (a production install), pretty falls back to plain text lines.
  const text =
    options.format === 'text' || (options.format === 'pretty' && destination === undefined);
  const stream =
    // sync: a line logged just before process.exit() must not be lost in a buffer.
    pretty?.({
      destination: 1,
      sync: true,
      colorize: true,
      translateTime: 'SYS:HH:MM:ss.l',
      ignore: 'pid,hostname,milestone',
    }) ??
    (text ? textStream(destination ?? pinoDestination(1)) : (destination ?? pinoDestination(1)));
  const log = pino(
    {
      level: options.level,
      base: { name: 'ha-discord-bridge' },
      redact: { paths: REDACT_PATHS, censor: MASK },
      hooks: {
        streamWrite: (line) => scrub(line, options.secrets),
      },
    },
    stream,
  );
  if (options.format === 'pretty' && destination === undefined && pretty === undefined) {
    log.debug('pretty logs need the pino-pretty dev dependency; logging plain text lines');
  }
  return log;
}

/**
 * An interaction's token in a Discord URL (`/interactions/<id>/<token>/callback`,
 * `/webhooks/<application>/<token>/messages/@original`), as a failed reply's DiscordAPIError
 * carries it: for 15 minutes it lets anyone answer or edit as the bot.
 */
const URL_TOKEN = /(\/(?:interactions|webhooks)\/\d+\/)[\w.-]+/g;

/**
 * Masks each secret in `text`, and the interaction tokens in Discord URLs. Strings under 8
 * characters are not treated as secrets: masking them would mangle ordinary text.
 */
export function scrub(text: string, secrets: readonly string[]): string {
  let out =
    text.includes('/interactions/') || text.includes('/webhooks/')
      ? text.replace(URL_TOKEN, `$1${MASK}`)
      : text;
  for (const secret of secrets) {
    if (secret.length >= 8 && out.includes(secret)) out = out.split(secret).join(MASK);
  }
  return out;
}
