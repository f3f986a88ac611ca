import WebSocket from 'ws';
import {
  ERR_CANNOT_CONNECT,
  ERR_INVALID_AUTH,
  type ConnectionOptions,
  type HaWebSocket,
} from 'home-assistant-js-websocket';
import type { Logger } from '../logging/logger.js';

export interface SocketFactoryOptions {
  wsUrl: string;
  token: string;
  log: Logger;
  /** Bound on the whole open + auth handshake: a half-open TCP connection fires no event. */
  handshakeTimeoutMs?: number;
  /** Backoff between attempts while haws asks us to retry on first connect. */
  retryDelayMs?: (attempt: number) => number;
  onAuthInvalid: (message: string) => void;
  onSocket: (socket: WebSocket) => void;
}

const defaultRetryDelay = (attempt: number): number => Math.min(30_000, 1000 * 2 ** attempt);

/**
 * haws' `createSocket`, built on `ws`: Node 20 has no global WebSocket, and on 22 and 24 `ws` was
 * measured at least as fast as the built-in one (README, "Node built-ins and dependencies").
 * It does the auth handshake, sets `haVersion`, enables coalesced messages (id 1, which
 * haws leaves free for this) and honours `setupRetry` (-1 forever, 0 once, n times).
 */
export function createSocketFactory(
  opts: SocketFactoryOptions,
): (options: ConnectionOptions) => Promise<HaWebSocket> {
  const retryDelay = opts.retryDelayMs ?? defaultRetryDelay;
  return async (options) => {
    let triesLeft = options.setupRetry;
    for (let attempt = 0; ; attempt++) {
      try {
        return await connectOnce(opts);
      } catch (error) {
        // haws expects its numeric error codes as rejection values.

        if (error === ERR_INVALID_AUTH) throw error;
        // eslint-disable-next-line @typescript-eslint/only-throw-error
        if (triesLeft === 0) throw ERR_CANNOT_CONNECT;
        if (triesLeft > 0) triesLeft--;
        const delay = retryDelay(attempt);
        opts.log.warn(
          { attempt: attempt + 1, retryInMs: delay },
          'Home Assistant unreachable, retrying',
        );
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  };
}

function connectOnce(opts: SocketFactoryOptions): Promise<HaWebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(opts.wsUrl, {
      handshakeTimeout: opts.handshakeTimeoutMs ?? 10_000,
    });
    // haws removes its own error listener after auth_ok; with `ws` an error without a
    // listener (an invalid frame, a reset) is an uncaught exception that kills the process.
    // This listener stays for the socket's whole life.
    socket.on('error', (error) =>
      opts.log.debug({ err: error.message }, 'Home Assistant socket error'),
    );
    let settled = false;
    const timer = setTimeout(
      () => fail(ERR_CANNOT_CONNECT, 'handshake timed out'),
      opts.handshakeTimeoutMs ?? 10_000,
    );

    const fail = (code: number, reason: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.off('message', onMessage);
      opts.log.debug({ reason }, 'Home Assistant handshake failed');
      socket.terminate();
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
      reject(code);
    };

    const onMessage = (data: WebSocket.RawData): void => {
      let message: { type?: string; ha_version?: string; message?: string };
      try {
        message = JSON.parse(rawText(data)) as typeof message;
      } catch {
        fail(ERR_CANNOT_CONNECT, 'handshake message was not JSON');
        return;
      }
      if (message.type === 'auth_required') {
        socket.send(JSON.stringify({ type: 'auth', access_token: opts.token }));
      } else if (message.type === 'auth_invalid') {
        opts.onAuthInvalid(message.message ?? 'Invalid access token');
        fail(ERR_INVALID_AUTH, 'auth_invalid');
      } else if (message.type === 'auth_ok') {
        settled = true;
        clearTimeout(timer);
        socket.off('message', onMessage);
        socket.off('close', onClose);
        guardMessageListeners(socket, opts.log);
        const haSocket = socket as unknown as HaWebSocket;
        haSocket.haVersion = message.ha_version ?? 'unknown';
        socket.send(
          JSON.stringify({ id: 1, type: 'supported_features', features: { coalesce_messages: 1 } }),
        );
        opts.onSocket(socket);
        resolve(haSocket);
      }
    };
    const onClose = (): void => fail(ERR_CANNOT_CONNECT, 'closed during handshake');
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
function guardMessageListeners(socket: WebSocket, log: Logger): void {
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
