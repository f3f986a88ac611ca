/**
 * A deliberately small Home Assistant websocket client for the e2e harness and its tests: plain
 * `ws`, no home-assistant-js-websocket, so tests can observe HA's raw messages exactly as they
 * arrive (auth replies, error payloads, subscription events). Every wait is bounded.
 */
import WebSocket from 'ws';

/** One message from HA (`type` is always present). */
export interface HaMessage {
  type: string;
  id?: number;
  [key: string]: unknown;
}

/** HA's error payload: `{code, message}` plus, for some errors, translation fields. */
export interface HaErrorPayload {
  code: string;
  message: string;
  translation_key?: string;
  translation_domain?: string;
  translation_placeholders?: Record<string, string> | null;
}

/** A failed command: `code` and `message` are HA's; `error` is HA's whole payload. */
export class HaCommandError extends Error {
  readonly code: string;

  constructor(readonly error: HaErrorPayload) {
    super(error.message);
    this.name = 'HaCommandError';
    this.code = error.code;
  }
}

/** HA answered the auth message with `auth_invalid` (`reply` is that message). */
export class HaAuthError extends Error {
  constructor(readonly reply: HaMessage) {
    super(`auth_invalid: ${String(reply.message)}`);
    this.name = 'HaAuthError';
  }
}

export interface HaSocketOptions {
  /** Bound for connecting plus the auth handshake, and the default for each command. */
  timeoutMs?: number;
}

function rawText(data: WebSocket.RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return (data instanceof ArrayBuffer ? Buffer.from(data) : data).toString('utf8');
}

type Waiter = {
  match: (msg: HaMessage) => boolean;
  resolve: (msg: HaMessage) => void;
  reject: (err: Error) => void;
};

/**
 * An authenticated connection. `connect` resolves after `auth_ok` (and rejects with
 * `HaAuthError` on `auth_invalid`); `command` sends with the next id and awaits its result.
 */
export class HaSocket {
  /** Every message received, in order (the auth phase included). */
  readonly received: HaMessage[] = [];
  /** Frames that held a JSON array of messages (coalesced, after `supported_features`). */
  coalescedFrames = 0;
  /** HA's version from `auth_required`/`auth_ok`. */
  haVersion = '';
  private nextId = 1;
  private readonly waiters = new Set<Waiter>();
  private readonly listeners = new Map<number, (event: unknown) => void>();
  private closedError: Error | undefined;
  private readonly closedPromise: Promise<{ code: number; reason: string }>;

  private constructor(
    private readonly socket: WebSocket,
    private readonly timeoutMs: number,
  ) {
    // A permanent error listener: a socket error must never become an uncaught exception.
    socket.on('error', (err) => this.fail(err));
    socket.on('message', (data) => this.onData(rawText(data)));
    this.closedPromise = new Promise((resolve) => {
      socket.on('close', (code, reason) => {
        this.fail(new Error(`websocket closed (${code} ${reason.toString()})`));
        resolve({ code, reason: reason.toString() });
      });
    });
  }

  /** Opens `ws://…/api/websocket` for an HA base URL and authenticates with `token`. */
  static async connect(
    baseUrl: string,
    token: string,
    opts: HaSocketOptions = {},
  ): Promise<HaSocket> {
    const timeoutMs = opts.timeoutMs ?? 10_000;
    const url = `${baseUrl.replace(/^http/, 'ws')}/api/websocket`;
    const socket = new WebSocket(url, { handshakeTimeout: timeoutMs });
    const conn = new HaSocket(socket, timeoutMs);
    try {
      const required = await conn.waitFor((m) => m.type === 'auth_required', timeoutMs);
      conn.haVersion = typeof required.ha_version === 'string' ? required.ha_version : '';
      conn.sendRaw({ type: 'auth', access_token: token });
      const reply = await conn.waitFor(
        (m) => m.type === 'auth_ok' || m.type === 'auth_invalid',
        timeoutMs,
      );
      if (reply.type === 'auth_invalid') throw new HaAuthError(reply);
      return conn;
    } catch (err) {
      conn.close();
      throw err;
    }
  }

  /**
   * Connects and returns HA's raw reply to the auth message (`auth_ok` or `auth_invalid`),
   * then closes. For checking what a given token gets.
   */
  static async probeAuth(
    baseUrl: string,
    token: string,
    opts: HaSocketOptions = {},
  ): Promise<HaMessage> {
    try {
      const conn = await HaSocket.connect(baseUrl, token, opts);
      const ok = conn.received.find((m) => m.type === 'auth_ok');
      conn.close();
      if (!ok) throw new Error('auth_ok missing');
      return ok;
    } catch (err) {
      if (err instanceof HaAuthError) return err.reply;
      throw err;
    }
  }

  /** Sends `msg` with the next id; resolves with `result`, rejects with `HaCommandError`. */
  async command<T = unknown>(msg: Record<string, unknown>, timeoutMs = this.timeoutMs): Promise<T> {
    const id = this.nextId++;
    const reply = this.waitFor((m) => m.id === id && m.type === 'result', timeoutMs);
    this.sendRaw({ ...msg, id });
    const result = await reply;
    if (result.success !== true) throw new HaCommandError(result.error as HaErrorPayload);
    return result.result as T;
  }

  /** Sends `ping` with the next id; resolves with HA's `pong` message. */
  ping(timeoutMs = this.timeoutMs): Promise<HaMessage> {
    const id = this.nextId++;
    const pong = this.waitFor((m) => m.id === id && m.type === 'pong', timeoutMs);
    this.sendRaw({ type: 'ping', id });
    return pong;
  }

  /**
   * Sends a subscription command; `onEvent` gets each `event` payload. Resolves with the
   * subscription id once HA confirmed it.
   */
  async subscribe(
    msg: Record<string, unknown>,
    onEvent: (event: unknown) => void,
  ): Promise<number> {
    const id = this.nextId;
    this.listeners.set(id, onEvent);
    try {
      await this.command(msg);
    } catch (err) {
      this.listeners.delete(id);
      throw err;
    }
    return id;
  }

  /** Resolves with the first message (already received or future) matching `match`. */
  waitFor(match: (msg: HaMessage) => boolean, timeoutMs = this.timeoutMs): Promise<HaMessage> {
    const seen = this.received.find(match);
    if (seen) return Promise.resolve(seen);
    if (this.closedError) return Promise.reject(this.closedError);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`no matching HA message within ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter: Waiter = {
        match,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
        reject: (err) => {
          clearTimeout(timer);
          reject(err);
        },
      };
      this.waiters.add(waiter);
    });
  }

  /** Resolves when HA (or we) closed the socket, or rejects after `timeoutMs`. */
  async closed(timeoutMs = this.timeoutMs): Promise<{ code: number; reason: string }> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`socket still open after ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    try {
      return await Promise.race([this.closedPromise, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  close(): void {
    if (this.socket.readyState === WebSocket.CLOSED) return;
    // terminate() rather than close(): no closing handshake to wait for.
    this.socket.terminate();
  }

  private sendRaw(msg: Record<string, unknown>): void {
    this.socket.send(JSON.stringify(msg));
  }

  private onData(text: string): void {
    const parsed = JSON.parse(text) as HaMessage | HaMessage[];
    // HA may coalesce several messages into one JSON array.
    if (Array.isArray(parsed)) this.coalescedFrames++;
    for (const msg of Array.isArray(parsed) ? parsed : [parsed]) {
      this.received.push(msg);
      if (msg.type === 'event' && msg.id !== undefined) this.listeners.get(msg.id)?.(msg.event);
      for (const waiter of [...this.waiters]) {
        if (waiter.match(msg)) {
          this.waiters.delete(waiter);
          waiter.resolve(msg);
        }
      }
    }
  }

  private fail(err: Error): void {
    this.closedError ??= err;
    for (const waiter of this.waiters) waiter.reject(err);
    this.waiters.clear();
  }
}
