import { destination as pinoDestination, pino, type DestinationStream, type Logger } from 'pino';

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

/**
 * A pino logger that can never print a secret: known fields are redacted by path, and as
 * a last line of defence every line is scrubbed of the literal secrets before it is
 * written, so a token inside an error message or a library's string is masked too.
 */
export function createLogger(
  options: { level: string; secrets: readonly string[] },
  destination?: DestinationStream,
): Logger {
  return pino(
    {
      level: options.level,
      base: { name: 'ha-discord-bridge' },
      redact: { paths: REDACT_PATHS, censor: MASK },
      hooks: {
        streamWrite: (line) => scrub(line, options.secrets),
      },
    },
    destination ?? pinoDestination(1),
  );
}

/**
 * Masks each secret in `text`. Strings under 8 characters are not treated as secrets:
 * masking them would mangle ordinary text.
 */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 8 && out.includes(secret)) out = out.split(secret).join(MASK);
  }
  return out;
}
