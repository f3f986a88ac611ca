import type { Socket } from 'node:net';
import type WebSocket from 'ws';
import { joinedBytes, type JoinedJson } from './json-fragments.js';
import { validate } from './schema.js';
import type { ErrorPayload } from './service-calls.js';

/** What a connection needs from the fake around it. */
export interface ConnectionHost {
  readonly haVersion: string;
  readonly coalesce: boolean;
  readonly authTimeoutMs: number;
  isFrozen(): boolean;
  tokenIsValid(token: string): boolean;
  record(message: unknown): void;
  authenticated(connection: HaConnection, ok: boolean): void;
  closed(connection: HaConnection): void;
  /** Runs a command; false when its type is unknown. */
  dispatch(connection: HaConnection, message: Record<string, unknown>): boolean;
}

type Phase = 'waiting' | 'auth' | 'active' | 'closed';

const AUTH_SCHEMA = {
  required: { type: { literal: 'auth' } },
  optional: { access_token: 'str', api_password: 'str' },
} as const;

/**
 * One client socket, through HA's two phases (websocket_api/http.py, auth.py, connection.py):
 * auth, then commands with strictly increasing ids. Messages queued within one event-loop
 * tick leave as one JSON array once the client enabled `coalesce_messages`.
 */
export class HaConnection {
  /** The token this client authenticated with (revoking it closes the connection). */
  token: string | undefined;
  readonly subscriptions = new Map<number, () => void>();
  private phase: Phase = 'waiting';
  private lastId = 0;
  private canCoalesce = false;
  private queue: (string | Buffer)[] = [];
  private flushing: NodeJS.Immediate | undefined;
  private authTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly ws: WebSocket,
    private readonly host: ConnectionHost,
  ) {
    ws.on('message', (data, isBinary) => this.onFrame(data, isBinary));
    ws.on('close', () => this.cleanup());
    // A client's protocol error must not crash the fake: HA just drops such a client.
    ws.on('error', () => ws.terminate());
    // Pongs are answered by hand so that freeze() silences them too.
    ws.on('ping', (data) => {
      if (!this.host.isFrozen()) ws.pong(data);
    });
    if (!host.isFrozen()) this.beginAuth();
  }

  get active(): boolean {
    return this.phase === 'active';
  }

  /** After unfreeze(): a client that connected while frozen now gets auth_required. */
  resume(): void {
    if (this.phase === 'waiting') this.beginAuth();
  }

  enableCoalescing(): void {
    this.canCoalesce = this.host.coalesce;
  }

  send(message: object): void {
    this.sendJson(JSON.stringify(message));
  }

  /** A message already in JSON, e.g. joined from cached fragments as HA sends large answers. */
  sendJson(json: string | Buffer): void {
    if (this.phase !== 'active' || this.host.isFrozen()) return;
    this.queue.push(json);
    this.flushing ??= setImmediate(() => this.flush());
  }

  /** `sendResult` with a result joined from cached JSON (the same message, key for key). */
  sendResultJoined(id: number, result: JoinedJson): void {
    this.sendJson(joinedBytes(result, `{"id":${id},"type":"result","success":true,"result":`, '}'));
  }

  /** `sendEvent` with an event joined from cached JSON. */
  sendEventJoined(id: number, event: JoinedJson): void {
    this.sendJson(joinedBytes(event, `{"id":${id},"type":"event","event":`, '}'));
  }

  sendResult(id: number, result: unknown = null): void {
    this.send({ id, type: 'result', success: true, result });
  }

  sendError(id: unknown, error: ErrorPayload): void {
    this.send({ id, type: 'result', success: false, error });
  }

  sendEvent(id: number, event: unknown): void {
    this.send({ id, type: 'event', event });
  }

  /** Writes bytes straight onto the TCP stream, bypassing websocket framing. */
  writeRaw(data: string | Buffer): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    if (typeof data === 'string') {
      this.ws.send(data);
      return;
    }
    // ws keeps the TCP socket private; raw bytes are the only way to forge a broken frame.
    const socket = (this.ws as unknown as { _socket: Socket })._socket;
    if (socket.writable) socket.write(data);
  }

  close(code = 1000): void {
    this.ws.close(code);
    this.cleanup();
  }

  terminate(): void {
    this.ws.terminate();
    this.cleanup();
  }

  private beginAuth(): void {
    this.phase = 'auth';
    this.sendNow({ type: 'auth_required', ha_version: this.host.haVersion });
    this.authTimer = setTimeout(() => {
      // "Did not receive auth message within 10 seconds"; a frozen HA does nothing at all.
      if (this.phase === 'auth' && !this.host.isFrozen()) this.close();
    }, this.host.authTimeoutMs);
  }

  private sendNow(message: object): void {
    this.ws.send(JSON.stringify(message));
  }

  private flush(): void {
    this.flushing = undefined;
    const messages = this.queue;
    this.queue = [];
    if (this.phase !== 'active' || this.host.isFrozen() || messages.length === 0) return;
    // Text frames, whether a message was made as a string or joined as bytes.
    if (messages.length > 1 && this.canCoalesce) {
      if (messages.every((m) => typeof m === 'string')) {
        this.ws.send(`[${messages.join(',')}]`);
        return;
      }
      const parts = messages.map((m) => (typeof m === 'string' ? Buffer.from(m) : m));
      this.ws.send(joinedBytes({ open: '[', parts, close: ']' }), { binary: false });
      return;
    }
    for (const message of messages) this.ws.send(message, { binary: false });
  }

  private onFrame(data: WebSocket.RawData, isBinary: boolean): void {
    if (this.host.isFrozen() || this.phase === 'closed' || this.phase === 'waiting') return;
    if (isBinary) {
      // HA passes binary frames to binary handlers (none here); in the auth phase it hangs up.
      if (this.phase !== 'active') this.close();
      return;
    }
    let message: unknown;
    try {
      message = JSON.parse(rawText(data));
    } catch {
      this.close(); // "Received invalid JSON."
      return;
    }
    if (this.phase === 'auth') {
      this.host.record(message);
      this.authenticate(message);
      return;
    }
    for (const single of Array.isArray(message) ? message : [message]) {
      this.host.record(single);
      this.handle(single);
    }
  }

  private authenticate(message: unknown): void {
    clearTimeout(this.authTimer);
    const problem = validate(AUTH_SCHEMA, message);
    const token = (message as { access_token?: unknown } | null)?.access_token;
    if (problem === undefined && typeof token === 'string' && this.host.tokenIsValid(token)) {
      this.phase = 'active';
      this.token = token;
      this.sendNow({ type: 'auth_ok', ha_version: this.host.haVersion });
      this.host.authenticated(this, true);
      return;
    }
    this.sendNow({
      type: 'auth_invalid',
      message:
        problem === undefined
          ? 'Invalid access token or password'
          : `Auth message incorrectly formatted: ${problem}`,
    });
    this.host.authenticated(this, false);
    this.close();
  }

  /** `ActiveConnection.async_handle` */
  private handle(message: unknown): void {
    const record =
      typeof message === 'object' && message !== null && !Array.isArray(message)
        ? (message as Record<string, unknown>)
        : undefined;
    const id = record?.id;
    if (
      record === undefined ||
      typeof id !== 'number' ||
      !Number.isInteger(id) ||
      id === 0 ||
      typeof record.type !== 'string' ||
      record.type === ''
    ) {
      this.sendError(record === undefined ? 0 : (id ?? null), {
        code: 'invalid_format',
        message: 'Message incorrectly formatted.',
      });
      return;
    }
    if (id <= this.lastId) {
      this.sendError(id, { code: 'id_reuse', message: 'Identifier values have to increase.' });
      return;
    }
    if (!this.host.dispatch(this, record)) {
      this.sendError(id, { code: 'unknown_command', message: 'Unknown command.' });
      return;
    }
    this.lastId = id;
  }

  private cleanup(): void {
    if (this.phase === 'closed') return;
    this.phase = 'closed';
    clearTimeout(this.authTimer);
    if (this.flushing !== undefined) clearImmediate(this.flushing);
    for (const unsubscribe of this.subscriptions.values()) unsubscribe();
    this.subscriptions.clear();
    this.host.closed(this);
  }
}

function rawText(data: WebSocket.RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data as ArrayBuffer).toString('utf8');
}
