import WebSocket from 'ws';
import {
  ERR_CANNOT_CONNECT,
  ERR_INVALID_AUTH,
  type ConnectionOptions,
  type HaWebSocket,
} from 'home-assistant-js-websocket';
import type { Logger } from '../logging/logger.js';
import { backoffWithJitter } from '../net/backoff.js';
import { describeConnectFailure } from '../net/connect-failure.js';
import { milestone } from '../logging/milestones.js';

/**
 * Where the socket factory gets its token and tells how a login went: the token manager
 * (src/ha/token-rotation.ts) with its login guard, or `staticCredentials`.
 */
export interface Credentials {
  /** The token for the next login, or why none may be sent (then nothing is sent). */
  token(): { token: string } | { refused: string };
  /** HA accepted the token (auth_ok). */
  accepted(token: string): void;
  /**
   * HA rejected the token (auth_invalid). True when another token is ready to be tried at
   * once (HA_TOKEN_FILE, read again, holds a new one): the next `token()` gives it.
   */
  rejected(token: string, message: string): boolean;
}

/** One fixed token, always sent: for the add-on's Supervisor token and for tests. */
export function staticCredentials(token: string): Credentials {
  return { token: () => ({ token }), accepted: () => undefined, rejected: () => false };
}

export interface SocketFactoryOptions {
  wsUrl: string;
  credentials: Credentials;
  /** The credentials of the very first login only (a token switch: the new token). */
  firstLogin?: Credentials;
  log: Logger;
  /** Bound on the whole open + auth handshake: a half-open TCP connection fires no event. */
  handshakeTimeoutMs?: number;
  /** Backoff between attempts while haws asks us to retry on first connect. */
  retryDelayMs?: (attempt: number) => number;
  /** The login failed for the token: HA said `message`, or (`sent` false) it was not sent. */
  onAuthInvalid: (message: string, sent: boolean) => void;
  onSocket: (socket: WebSocket) => void;
  /** Each failed attempt, with why it failed (refused, DNS, TLS, timeout, HTTP status). */
  onUnreachable?: (cause: string) => void;
}

/** Why one login failed: haws' numeric code, and the cause in words for the log. */
export interface LoginFailure {
  code: number;
  cause: string;
  /** HA's auth_invalid message. */
  message?: string;
}

/**
 * HA's ban middleware (http: ip_ban_enabled) answers every request from a banned address with
 * 403 Forbidden, before any login: the websocket upgrade included.
 */
export const BANNED_CAUSE =
  "HTTP 403 before login: Home Assistant has most likely banned this address after failed logins. Remove the address from ip_bans.yaml in Home Assistant's config folder, then restart Home Assistant";

export const isBanCause = (cause: string): boolean => cause === BANNED_CAUSE;

/**
 * haws' `createSocket`, built on `ws`: Node 20 has no global WebSocket, and on 22 and 24 `ws` was
 * measured at least as fast as the built-in one (README, "Node built-ins and dependencies").
 * It does the auth handshake, sets `haVersion`, enables coalesced messages (id 1, which
 * haws leaves free for this) and honours `setupRetry` (-1 forever, 0 once, n times).
 */
export function createSocketFactory(
  opts: SocketFactoryOptions,
): (options: ConnectionOptions) => Promise<HaWebSocket> {
  const retryDelay = opts.retryDelayMs ?? ((attempt: number) => backoffWithJitter(attempt));
  let firstLogin = opts.firstLogin;
  return async (options) => {
    let triesLeft = options.setupRetry;
    for (let attempt = 0; ; attempt++) {
      const credentials = firstLogin ?? opts.credentials;
      const pick = credentials.token();
      if ('refused' in pick) {
        opts.onAuthInvalid(pick.refused, false);
        // haws expects its numeric error codes as rejection values.
        // eslint-disable-next-line @typescript-eslint/only-throw-error
        throw ERR_INVALID_AUTH;
      }
      try {
        const socket = await login(opts, pick.token);
        opts.onSocket(socket as unknown as WebSocket);
        firstLogin = undefined;
        credentials.accepted(pick.token);
        return socket;
      } catch (error) {
        const { code, cause, message } = error as LoginFailure;
        if (code === ERR_INVALID_AUTH) {
          firstLogin = undefined;
          const retry = credentials.rejected(pick.token, message ?? 'Invalid access token');
          if (retry && credentials === opts.credentials) continue;
          opts.onAuthInvalid(message ?? 'Invalid access token', true);
          // eslint-disable-next-line @typescript-eslint/only-throw-error
          throw ERR_INVALID_AUTH;
        }
        if (triesLeft === 0) {
          // haws' own reconnect loop (0-5 s) tries again; it asks for one attempt at a time.
          opts.log.warn(
            { ...milestone('ha.unreachable'), url: opts.wsUrl, cause },
            'Home Assistant unreachable, retrying',
          );
          opts.onUnreachable?.(cause);
          // eslint-disable-next-line @typescript-eslint/only-throw-error
          throw ERR_CANNOT_CONNECT;
        }
        if (triesLeft > 0) triesLeft--;
        const delay = retryDelay(attempt);
        opts.log.warn(
          {
            ...milestone('ha.unreachable'),
            url: opts.wsUrl,
            cause,
            attempt: attempt + 1,
            retryInMs: delay,
          },
          'Home Assistant unreachable, retrying',
        );
        opts.onUnreachable?.(cause);
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  };
}

export interface LoginOptions {
  wsUrl: string;
  /** Bound on the whole open + auth handshake (default 10 s). */
  handshakeTimeoutMs?: number;
  log?: Pick<Logger, 'debug' | 'warn'>;
}

const quiet: Pick<Logger, 'debug' | 'warn'> = { debug: () => undefined, warn: () => undefined };

/**
 * One websocket login with `token`, exactly once (no retry): the bot's every connection and
 * the doctor's probe. Resolves with the logged-in socket (`haVersion` set, coalesced messages
 * asked for with id 1, a malformed frame answered with a reconnect); rejects with a
 * LoginFailure (`ERR_INVALID_AUTH` with HA's message, or `ERR_CANNOT_CONNECT` with the cause).
 */
export function login(opts: LoginOptions, token: string): Promise<HaWebSocket> {
  const log = opts.log ?? quiet;
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(opts.wsUrl, {
      handshakeTimeout: opts.handshakeTimeoutMs ?? 10_000,
    });
    // haws removes its own error listener after auth_ok; with `ws` an error without a
    // listener (an invalid frame, a reset) is an uncaught exception that kills the process.
    // This listener stays for the socket's whole life.
    // The last one before the handshake fails is its cause (refused, DNS, TLS, HTTP status).
    let socketError: Error | undefined;
    socket.on('error', (error) => {
      socketError = error;
      log.debug({ err: error.message }, 'Home Assistant socket error');
    });
    let settled = false;
    const timeoutMs = opts.handshakeTimeoutMs ?? 10_000;
    const timer = setTimeout(
      () => fail(ERR_CANNOT_CONNECT, `timed out: no login within ${timeoutMs} ms`),
      timeoutMs,
    );

    let askedForToken = false;
    const fail = (code: number, cause: string, message?: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.off('message', onMessage);
      log.debug({ cause }, 'Home Assistant handshake failed');
      // After auth_invalid HA still has to count the failed login (its ban counter, its log),
      // and it cancels that work if the client drops the connection first: a closing
      // handshake lets it finish, and HA closes. Anything else ends at once.
      if (code === ERR_INVALID_AUTH) socket.close();
      else socket.terminate();
      const failure: LoginFailure = { code, cause, message };
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
      reject(failure);
    };

    const onMessage = (data: WebSocket.RawData): void => {
      let message: { type?: string; ha_version?: string; message?: string };
      try {
        message = JSON.parse(rawText(data)) as typeof message;
      } catch {
        fail(ERR_CANNOT_CONNECT, 'answered something that is not JSON: is HA_URL Home Assistant?');
        return;
      }
      if (message.type === 'auth_required') {
        askedForToken = true;
        socket.send(JSON.stringify({ type: 'auth', access_token: token }));
      } else if (message.type === 'auth_invalid') {
        fail(ERR_INVALID_AUTH, 'token rejected', message.message ?? 'Invalid access token');
      } else if (message.type === 'auth_ok') {
        settled = true;
        clearTimeout(timer);
        socket.off('message', onMessage);
        socket.off('close', onClose);
        guardMessageListeners(socket, log);
        const haSocket = socket as unknown as HaWebSocket;
        haSocket.haVersion = message.ha_version ?? 'unknown';
        socket.send(
          JSON.stringify({ id: 1, type: 'supported_features', features: { coalesce_messages: 1 } }),
        );
        resolve(haSocket);
      }
    };
    const onClose = (): void => {
      if (socketError === undefined) {
        fail(
          ERR_CANNOT_CONNECT,
          askedForToken
            ? 'closed during login'
            : 'closed right after connecting, before Home Assistant asked for the token: a proxy in between refused, or Home Assistant banned this address (see ip_bans.yaml in its config folder)',
        );
        return;
      }
      const cause = describeConnectFailure(socketError);
      fail(ERR_CANNOT_CONNECT, /^HTTP 403\b/.test(cause) ? BANNED_CAUSE : cause);
    };
    socket.on('message', onMessage);
    socket.on('close', onClose);
  });
}

function rawText(data: WebSocket.RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data as ArrayBuffer).toString('utf8');
}

type Listener = (event: WebSocket.MessageEvent) => void;

/**
 * haws parses every frame with a bare JSON.parse inside its message listener; with `ws`, an
 * exception there escapes the socket and kills the process. Each message listener is wrapped
 * so a malformed frame is logged and answered with a reconnect instead.
 */
function guardMessageListeners(socket: WebSocket, log: Pick<Logger, 'warn'>): void {
  const wrapped = new WeakMap<Listener, Listener>();
  const add = socket.addEventListener.bind(socket);
  const remove = socket.removeEventListener.bind(socket);
  socket.addEventListener = ((type: string, listener: Listener, options?: unknown) => {
    if (type !== 'message') return add(type as 'message', listener, options as never);
    const guarded: Listener = (event) => {
      try {
        listener(event);
      } catch (error) {
        log.warn(
          { err: (error as Error).message },
          'malformed message from Home Assistant, reconnecting',
        );
        socket.terminate();
      }
    };
    wrapped.set(listener, guarded);
    return add('message', guarded, options as never);
  }) as typeof socket.addEventListener;
  socket.removeEventListener = ((type: string, listener: Listener) => {
    const guarded = type === 'message' ? wrapped.get(listener) : undefined;
    return remove(type as 'message', guarded ?? listener);
  }) as typeof socket.removeEventListener;
}
