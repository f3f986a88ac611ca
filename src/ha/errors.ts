/**
 * haws rejects in three shapes: HA's `{code, message}`, a bare number (1 cannot connect,
 * 2 invalid auth, 3 connection lost), or a whole `{type:"result", success:false, error}`.
 * Every rejection from src/ha passes through `toHaError` so callers see one type.
 */
export class HaError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'HaError';
  }
}

const NUMERIC_CODES: Record<number, [string, string]> = {
  1: ['cannot_connect', 'Cannot connect to Home Assistant'],
  2: ['invalid_auth', 'Home Assistant rejected the access token'],
  3: ['connection_lost', 'Connection to Home Assistant lost'],
};

export function toHaError(raw: unknown): HaError {
  if (raw instanceof HaError) return raw;
  if (typeof raw === 'number') {
    const [code, message] = NUMERIC_CODES[raw] ?? ['unknown_error', `Home Assistant error ${raw}`];
    return new HaError(code, message);
  }
  if (raw !== null && typeof raw === 'object') {
    const obj = raw as Record<string, unknown>;
    if (obj.type === 'result' && obj.error !== undefined) return toHaError(obj.error);
    if (typeof obj.code === 'string' || typeof obj.code === 'number') {
      const message = typeof obj.message === 'string' ? obj.message : String(obj.code);
      if (typeof obj.code === 'number') return toHaError(obj.code);
      return new HaError(obj.code, message);
    }
  }
  if (raw instanceof Error) return new HaError('unknown_error', raw.message);
  return new HaError('unknown_error', String(raw));
}

/** True for errors that mean "HA is not reachable right now", not "HA said no". */
export function isConnectionError(error: HaError): boolean {
  return ['cannot_connect', 'connection_lost', 'not_connected', 'timeout'].includes(error.code);
}

/** HA's own error codes and the bot's, the set a metric label may take. */
const KNOWN_CODES = new Set([
  'cannot_connect',
  'invalid_auth',
  'connection_lost',
  'not_connected',
  'timeout',
  'not_found',
  'invalid_format',
  'service_validation_error',
  'unauthorized',
  'home_assistant_error',
  'unknown_error',
  'id_reuse',
  'unknown_command',
  'not_allowed',
]);

/** The error's code, or `other` for one HA may invent later: a label with a bounded set of values. */
export function errorOutcome(error: HaError): string {
  return KNOWN_CODES.has(error.code) ? error.code : 'other';
}
