import type WebSocket from 'ws';
import {
  createConnection,
  ERR_INVALID_AUTH,
  type Connection,
  type MessageBase,
} from 'home-assistant-js-websocket';
import { scrub } from '../logging/logger.js';
import { HaError } from './errors.js';
import { createSocketFactory, type Credentials, type SocketFactoryOptions } from './socket.js';

/**
 * A connection besides the current one, logged in with `token` (`login` hears how that
 * went); later reconnects of it use the bot's credentials. Rejects with an HaError,
 * `invalid_auth` when HA rejected the token.
 */
export async function openSecond(
  base: Omit<SocketFactoryOptions, 'onAuthInvalid' | 'onSocket' | 'firstLogin'>,
  token: string,
  login: Credentials,
  secrets: readonly string[],
  onSocket?: (socket: WebSocket) => void,
): Promise<Connection> {
  let rejection = 'Invalid access token';
  const createSocket = createSocketFactory({
    ...base,
    firstLogin: {
      token: () => ({ token }),
      accepted: (t) => login.accepted(t),
      rejected: (t, message) => {
        rejection = scrub(message, [...secrets, token]);
        return login.rejected(t, message);
      },
    },
    onAuthInvalid: () => undefined,
    onSocket: (socket) => onSocket?.(socket),
  });
  try {
    return await createConnection({ createSocket, setupRetry: 0 });
  } catch (error) {
    throw error === ERR_INVALID_AUTH
      ? new HaError('invalid_auth', rejection)
      : new HaError('cannot_connect', 'could not open a second connection to Home Assistant');
  }
}

/** Counts each connection's commands in flight, so a token switch closes one only when idle. */
export class InFlight {
  private readonly state = new WeakMap<Connection, { count: number; idle: (() => void)[] }>();

  track(conn: Connection): void {
    if (this.state.has(conn)) return;
    const state = { count: 0, idle: [] as (() => void)[] };
    this.state.set(conn, state);
    const send = conn.sendMessagePromise.bind(conn);
    const done = () => {
      state.count--;
      if (state.count === 0) for (const resolve of state.idle.splice(0)) resolve();
    };
    conn.sendMessagePromise = <T>(message: MessageBase): Promise<T> => {
      state.count++;
      const sent = send<T>(message);
      sent.then(done, done);
      return sent;
    };
  }

  /** Resolves once `conn` has no command in flight (at most `maxMs`, 15 s). */
  async idle(conn: Connection, maxMs = 15_000): Promise<void> {
    const state = this.state.get(conn);
    if (state === undefined || state.count === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve) => {
      state.idle.push(resolve);
      timer = setTimeout(resolve, maxMs);
    });
    clearTimeout(timer);
  }
}

/** An event as HA sends it to `subscribe_events` subscribers (`Event.as_dict()`). */
export interface RawEvent {
  event_type?: string;
  data?: Record<string, unknown>;
  time_fired?: string;
  context?: { id?: string; user_id?: string | null };
}

/**
 * While a token switch hands over, events are heard on both connections: each is passed on
 * once (by its type, context and time), at most 10,000 remembered.
 */
export class Handover {
  private readonly seen = new Set<string>();

  constructor(readonly generation: number) {}

  firstTime(raw: RawEvent): boolean {
    const key = `${raw.event_type}|${raw.context?.id}|${raw.time_fired}`;
    if (this.seen.has(key)) return false;
    if (this.seen.size < 10_000) this.seen.add(key);
    return true;
  }
}
