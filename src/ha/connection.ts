import type WebSocket from 'ws';
import { createConnection, ERR_INVALID_AUTH, type Connection } from 'home-assistant-js-websocket';
import { scrub, type Logger } from '../logging/logger.js';
import { HaError, toHaError } from './errors.js';
import { Handover, InFlight, openSecond, type RawEvent } from './handover.js';
import { createSocketFactory, staticCredentials, type Credentials } from './socket.js';
import type { HaStatus } from './types.js';
import { milestone } from '../logging/milestones.js';

export interface ConnectionOptions {
  /** HA's websocket URL (config builds it: HA's own path differs behind the Supervisor). */
  websocketUrl: string;
  /** The token, when `credentials` is not given (then it is always sent as it is). */
  token: string;
  /** Where each login's token comes from and how it went (the token manager, its guard). */
  credentials?: Credentials;
  /** Every token that may appear in HA's answers, to mask them (default: `token`). */
  secrets?: () => readonly string[];
  log: Logger;
  retryDelayMs?: (attempt: number) => number;
  /** Each failed connection attempt, with its cause in words (for health and readiness). */
  onUnreachable?: (cause: string) => void;
}

/** What a (re)connect is set up on: the connection, its generation, whether it hands over. */
export interface Link {
  conn: Connection;
  generation: number;
  /** It replaces a live connection (a token switch), whose copy of HA's data is current. */
  handover: boolean;
}

export type StatusListener = (status: HaStatus) => void;

/**
 * The bot's one connection to Home Assistant: haws does the protocol and reconnects; this
 * owns the socket, the generation (bumped by every connect and loss, so a late answer from
 * an old connection is ignored), the login's outcome and the plain-word status. What is
 * fetched and subscribed on each connection is the `setup` given to `start`.
 */
export class HaConnection {
  private conn: Connection | undefined;
  private socket: WebSocket | undefined;
  private currentStatus: HaStatus = { kind: 'connecting' };
  private gen = 0;
  private stopped = false;
  private readonly listeners = new Set<StatusListener>();
  private authMessage = 'Invalid access token';
  /** The last login failed without sending the token (the login guard refused it). */
  private authNotSent = false;
  /** While a token switch hands over: the old connection's generation, whose events still count. */
  private handover: Handover | undefined;
  /** Old connections closing once their commands in flight are answered. */
  private readonly retiring = new Set<Connection>();
  private readonly inFlight = new InFlight();
  private detachCurrent: (() => void) | undefined;
  private setup: (link: Link) => Promise<void> = () => Promise.resolve();

  constructor(private readonly opts: ConnectionOptions) {}

  get status(): HaStatus {
    return this.currentStatus;
  }

  /** The connection commands go to, when it is up. */
  get current(): Connection | undefined {
    return this.conn?.connected ? this.conn : undefined;
  }

  get generation(): number {
    return this.gen;
  }

  secrets(): readonly string[] {
    return this.opts.secrets?.() ?? [this.opts.token];
  }

  onStatus(listener: StatusListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  setStatus(status: HaStatus): void {
    this.currentStatus = status;
    for (const listener of this.listeners) listener(status);
  }

  /**
   * Whether something heard on a connection of `generation` counts: the current one's, and
   * during a token switch also the old one's, each event once.
   */
  hears(generation: number, raw?: RawEvent): boolean {
    const handover = this.handover;
    if (generation !== this.gen && generation !== handover?.generation) return false;
    return handover === undefined || raw === undefined || handover.firstTime(raw);
  }

  /** Connects in the background, running `setup` on every (re)connect. Never rejects. */
  start(setup: (link: Link) => Promise<void>): void {
    this.setup = setup;
    this.connectFresh();
  }

  /** After HA rejected the token: logs in again from scratch, with the credentials' token now. */
  retryLogin(): void {
    if (this.stopped || this.conn?.connected) return;
    this.detachCurrent?.();
    this.conn?.close();
    this.conn = undefined;
    this.gen++;
    this.setStatus({ kind: 'connecting' });
    this.connectFresh();
  }

  /** Moves to a new token with no downtime (see HaClient.switchToken). */
  async switchToken(token: string, login: Credentials): Promise<void> {
    const old = this.conn;
    if (old === undefined || !old.connected)
      throw new HaError('not_connected', 'Home Assistant is not connected');
    let socket: WebSocket | undefined;
    // The new connection, once open: until adopted, it is not the current one.
    const next: { conn?: Connection } = {};
    const opened = await openSecond(
      {
        ...this.socketOptions(),
        // Until it is adopted, the new connection failing says nothing about the current one.
        onUnreachable: (cause) => {
          if (next.conn !== undefined && this.conn === next.conn) this.opts.onUnreachable?.(cause);
        },
      },
      token,
      login,
      this.secrets(),
      (s) => {
        socket = s;
        if (next.conn !== undefined && this.conn === next.conn) this.socket = s;
      },
    );
    next.conn = opened;
    if (this.stopped || this.conn !== old || !old.connected) {
      opened.close();
      throw new HaError('not_connected', 'the connection to Home Assistant changed meanwhile');
    }
    // The old connection must never reconnect (with whichever token): close it if it drops.
    this.detachCurrent?.();
    old.addEventListener('disconnected', () => old.close());
    this.retiring.add(old);
    this.handover = new Handover(this.gen);
    this.adopt(opened);
    this.socket = socket;
    try {
      await this.ready(true);
    } finally {
      this.handover = undefined;
    }
    this.opts.log.info('switched to the new token; closing the connection of the previous one');
    await this.inFlight.idle(old);
    this.retiring.delete(old);
    old.close();
  }

  /** Logs in once with `token` on a connection of its own, then closes it. */
  async checkToken(token: string, login: Credentials): Promise<void> {
    const onUnreachable = () => undefined;
    const conn = await openSecond(
      { ...this.socketOptions(), onUnreachable },
      token,
      login,
      this.secrets(),
    );
    conn.close();
  }

  stop(): void {
    this.stopped = true;
    this.gen++;
    this.conn?.close();
    this.socket?.terminate();
    for (const conn of this.retiring) conn.close();
    this.listeners.clear();
  }

  /** Terminating the socket makes haws see a close and run its own reconnect. */
  forceReconnect(): void {
    this.socket?.terminate();
  }

  private socketOptions() {
    return {
      wsUrl: this.opts.websocketUrl,
      credentials: this.opts.credentials ?? staticCredentials(this.opts.token),
      log: this.opts.log,
      retryDelayMs: this.opts.retryDelayMs,
      onUnreachable: this.opts.onUnreachable,
    };
  }

  private connectFresh(): void {
    const createSocket = createSocketFactory({
      ...this.socketOptions(),
      onAuthInvalid: (message, sent) => {
        // Shown in the alert channel: HA (or a proxy before it) must not get the token there.
        this.authMessage = scrub(message, this.secrets());
        this.authNotSent = !sent;
      },
      onSocket: (socket) => {
        this.socket = socket;
      },
    });
    createConnection({ createSocket, setupRetry: -1 }).then(
      (conn) => {
        if (this.stopped) {
          conn.close();
          return;
        }
        this.adopt(conn);
        // haws fires the first `ready` inside createConnection, before we can listen.
        void this.ready();
      },
      (error: unknown) => {
        if (error === ERR_INVALID_AUTH) this.onAuthRejected();
        else
          this.opts.log.error(
            { err: toHaError(error).message },
            'Home Assistant connection failed',
          );
      },
    );
  }

  /** Makes `conn` the connection commands go to and whose life the status follows. */
  private adopt(conn: Connection): void {
    this.conn = conn;
    this.inFlight.track(conn);
    const ready = () => void this.ready();
    const disconnected = () => this.onDisconnected();
    const rejected = () => this.onAuthRejected();
    conn.addEventListener('ready', ready);
    conn.addEventListener('disconnected', disconnected);
    conn.addEventListener('reconnect-error', rejected);
    this.detachCurrent = () => {
      conn.removeEventListener('ready', ready);
      conn.removeEventListener('disconnected', disconnected);
      conn.removeEventListener('reconnect-error', rejected);
    };
  }

  /** Runs on every (re)connect: the setup, or a reconnect when it fails. */
  private ready(handover = false): Promise<void> {
    const generation = ++this.gen;
    const conn = this.conn;
    if (conn === undefined) return Promise.resolve();
    return this.setup({ conn, generation, handover }).catch((error: unknown) => {
      if (generation !== this.gen) return;
      this.opts.log.warn(
        { err: toHaError(error).message },
        'Home Assistant setup failed, reconnecting',
      );
      this.forceReconnect();
    });
  }

  private onDisconnected(): void {
    this.gen++;
    this.opts.log.warn(
      milestone('ha.connection-lost'),
      'Home Assistant connection lost, reconnecting',
    );
    this.setStatus({ kind: 'disconnected', reason: 'connection lost' });
  }

  private onAuthRejected(): void {
    this.gen++;
    this.opts.log.error(
      { haMessage: this.authMessage },
      'Home Assistant rejected the access token',
    );
    this.setStatus({
      kind: 'auth_invalid',
      message: this.authMessage,
      ...(this.authNotSent ? { notSent: true } : {}),
    });
  }
}
