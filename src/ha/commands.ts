import type { MessageBase } from 'home-assistant-js-websocket';
import { scrub, type Logger } from '../logging/logger.js';
import type { HaConnection } from './connection.js';
import { errorOutcome, HaError, toHaError } from './errors.js';
import { milestone } from '../logging/milestones.js';

/** Told of every command: its type, `ok` or the error code, and how long it took (metrics). */
export type CommandReport = (type: string, outcome: string, seconds: number) => void;

/** Sends one command on the current connection, with a bound on how long HA may take. */
export async function sendCommand<T>(
  connection: HaConnection,
  message: MessageBase,
  timeoutMs: number,
  onCommand?: CommandReport,
): Promise<T> {
  const started = performance.now();
  const report = (outcome: string) =>
    onCommand?.(message.type, outcome, (performance.now() - started) / 1000);
  const conn = connection.current;
  if (conn === undefined) {
    const error =
      connection.status.kind === 'auth_invalid'
        ? new HaError('invalid_auth', 'Home Assistant rejected the access token')
        : new HaError('not_connected', 'Home Assistant is not connected');
    report(error.code);
    throw error;
  }
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new HaError('timeout', 'Home Assistant did not answer in time')),
      timeoutMs,
    );
  });
  try {
    const result = await Promise.race([conn.sendMessagePromise<T>(message), timeout]);
    report('ok');
    return result;
  } catch (error) {
    // HA's error text is shown to users; it must never carry the bot's own token back.
    const haError = toHaError(error);
    report(errorOutcome(haError));
    const secrets = connection.secrets();
    throw new HaError(scrub(haError.code, secrets), scrub(haError.message, secrets));
  } finally {
    clearTimeout(timer);
  }
}

/**
 * haws has no heartbeat: a half-open connection would never be noticed without this. Pings
 * every `intervalMs` while connected; a ping unanswered in `timeoutMs` forces a reconnect.
 * Returns its stop.
 */
export function startHeartbeat(
  connection: HaConnection,
  ping: (timeoutMs: number) => Promise<unknown>,
  opts: { intervalMs: number; timeoutMs: number; log: Logger },
): () => void {
  const beat = async (): Promise<void> => {
    if (connection.current === undefined) return;
    try {
      await ping(opts.timeoutMs);
    } catch (error) {
      if (toHaError(error).code !== 'timeout') return;
      opts.log.warn(
        { ...milestone('ha.ping-timeout'), timeoutMs: opts.timeoutMs },
        'Home Assistant did not answer a ping, reconnecting',
      );
      connection.forceReconnect();
    }
  };
  const timer = setInterval(() => void beat(), opts.intervalMs);
  return () => clearInterval(timer);
}
