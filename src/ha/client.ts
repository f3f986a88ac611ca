import type WebSocket from 'ws';
import {
  createConnection,
  ERR_INVALID_AUTH,
  type Connection,
  type MessageBase,
} from 'home-assistant-js-websocket';
import { scrub, type Logger } from '../logging/logger.js';
import type { EntitiesMessage, EntityStore } from './entity-store.js';
import { errorOutcome, HaError, toHaError } from './errors.js';
import { loadExposed, refreshRegistry } from './registry-sync.js';
import type { Registry } from './registry.js';
import { createSocketFactory, staticCredentials, type Credentials } from './socket.js';
import type {
  AssistAnswer,
  HaEvent,
  HaStatus,
  RawAssistResult,
  ServiceCallResult,
  ServiceTarget,
} from './types.js';
import { milestone } from '../logging/milestones.js';

export interface HaClientOptions {
  /** HA's websocket URL (config builds it: HA's own path differs behind the Supervisor). */
  websocketUrl: string;
  /** The token, when `credentials` is not given (then it is always sent as it is). */
  token: string;
  /** Where each login's token comes from and how it went (the token manager, its guard). */
  credentials?: Credentials;
  /** Every token that may appear in HA's answers, to mask them (default: `token`). */
  secrets?: () => readonly string[];
  log: Logger;
  store: EntityStore;
  registry: Registry;
  pingIntervalMs: number;
  pingTimeoutMs: number;
  commandTimeoutMs?: number;
  /** How long a fresh subscription may take to deliver its snapshot before we reconnect. */
  snapshotTimeoutMs?: number;
  /** How often to ask whether HA has finished starting. */
  startupPollMs?: number;
  retryDelayMs?: (attempt: number) => number;
  /** Load which entities HA exposes to Assist (for `access.exposed_only`). */
  loadExposure?: boolean;
  /** Each failed connection attempt, with its cause in words (for health and readiness). */
  onUnreachable?: (cause: string) => void;
  /** Told of every command: its type, `ok` or the error code, and how long it took (metrics). */
  onCommand?: (type: string, outcome: string, seconds: number) => void;
}

export type StatusListener = (status: HaStatus) => void;
export type EventListener = (event: HaEvent) => void;

/** An event as HA sends it to `subscribe_events` subscribers (`Event.as_dict()`). */
interface RawEvent {
  event_type?: string;
  data?: Record<string, unknown>;
  time_fired?: string;
  context?: { id?: string; user_id?: string | null };
}

// HA fires this when it begins to stop or restart: what follows is a restart, not a blip.
const STOP_EVENT = 'homeassistant_stop';

/**
 * HA fires this as it starts and again the moment it is RUNNING (and when its config is
 * edited); any user may hear it. Heard first on every connection, so the end of HA's start-up
 * is noticed at once, in order with the state changes around it.
 */
export const CORE_CONFIG_EVENT = 'core_config_updated';

const REGISTRY_EVENTS = [
  'area_registry_updated',
  'device_registry_updated',
  'entity_registry_updated',
];
/**
 * Floors and labels (HA 2024.3+). HA lets non-administrators hear these only from 2024.4 on
 * (its SUBSCRIBE_ALLOWLIST); before that, when HA refuses, renames of floors and labels wait for
 * the next other registry change or reconnect.
 */
const OPTIONAL_REGISTRY_EVENTS = ['floor_registry_updated', 'label_registry_updated'];

/**
 * The bot's one connection to Home Assistant. haws does the protocol and reconnects; this
 * owns what haws does not: a heartbeat for half-open connections, its own subscriptions
 * (re-made on every `ready`, because subscriptions haws re-makes while HA is still starting
 * can end up dead), HA's start-up state, and plain-word status for the rest of the bot.
 */
export class HaClient {
  private conn: Connection | undefined;
  private socket: WebSocket | undefined;
  private currentStatus: HaStatus = { kind: 'connecting' };
  private generation = 0;
  private stopped = false;
  private readonly listeners = new Set<StatusListener>();
  private readonly eventListeners = new Map<string, Set<EventListener>>();
  private readonly refusedEvents = new Set<string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private pingTimer: NodeJS.Timeout | undefined;
  private authMessage = 'Invalid access token';
  /** The last login failed without sending the token (the login guard refused it). */
  private authNotSent = false;
  /** While a token switch hands over: the old connection's generation, whose events still count. */
  private handover: { generation: number; seen: Set<string> } | undefined;
  /** Old connections closing once their commands in flight are answered. */
  private readonly retiring = new Set<Connection>();
  private readonly inFlight = new WeakMap<Connection, { count: number; idle: (() => void)[] }>();
  private detachCurrent: (() => void) | undefined;
  /** Set by HA's stop event or a reconnect that finds HA starting; cleared once it runs. */
  private restarting = false;
  private everConnected = false;

  constructor(private readonly opts: HaClientOptions) {
    this.onEvent(STOP_EVENT, () => {
      this.restarting = true;
      this.opts.log.info('Home Assistant is stopping or restarting');
    });
    this.onEvent(CORE_CONFIG_EVENT, () => this.checkStarted());
  }

  get status(): HaStatus {
    return this.currentStatus;
  }

  onStatus(listener: StatusListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Listens for one type of HA event, e.g. one an automation fires. The subscription is made
   * afresh on every (re)connect, like the bot's own; events fired while the bot is
   * disconnected are not replayed by HA. A listener that throws is logged, nothing more.
   */
  onEvent(eventType: string, listener: EventListener): () => void {
    let set = this.eventListeners.get(eventType);
    if (set === undefined) {
      set = new Set();
      this.eventListeners.set(eventType, set);
      const conn = this.conn;
      if (conn?.connected) {
        const generation = this.generation;
        this.subscribeEvent(conn, eventType, generation).catch((error: unknown) =>
          this.opts.log.warn(
            { eventType, err: toHaError(error).message },
            'could not subscribe to a Home Assistant event; retried on the next reconnect',
          ),
        );
      }
    }
    set.add(listener);
    return () => set.delete(listener);
  }

  /** Connects in the background; status events tell the outcome. Never rejects. */
  start(): void {
    this.connectFresh();
    this.pingTimer = setInterval(() => void this.heartbeat(), this.opts.pingIntervalMs);
  }

  /**
   * After HA rejected the token (status `auth_invalid`): logs in again from scratch, with the
   * token the credentials give now (a new one from HA_TOKEN_FILE).
   */
  retryLogin(): void {
    if (this.stopped || this.conn?.connected) return;
    this.detachCurrent?.();
    this.conn?.close();
    this.conn = undefined;
    this.generation++;
    this.setStatus({ kind: 'connecting' });
    this.connectFresh();
  }

  /**
   * Moves to a new token with no downtime: logs in with it on a second connection, makes
   * that one current (subscriptions made afresh, the entity snapshot compared as live
   * changes so nothing in between is missed, events heard on both until then), and closes
   * the old connection once its commands in flight are answered. Rejects (with an HaError:
   * `invalid_auth` when HA rejected the token) and changes nothing when the new connection
   * cannot be made.
   */
  async switchToken(token: string, login: Credentials): Promise<void> {
    const old = this.conn;
    if (old === undefined || !old.connected) {
      throw new HaError('not_connected', 'Home Assistant is not connected');
    }
    let socket: WebSocket | undefined;
    const next: Connection = await this.openSecond(token, login, (s, conn) => {
      socket = s;
      if (conn !== undefined && this.conn === conn) this.socket = s;
    });
    if (this.stopped || this.conn !== old || !old.connected) {
      next.close();
      throw new HaError('not_connected', 'the connection to Home Assistant changed meanwhile');
    }
    // The old connection must never reconnect (with whichever token): close it if it drops.
    this.detachCurrent?.();
    old.addEventListener('disconnected', () => old.close());
    this.retiring.add(old);
    this.handover = { generation: this.generation, seen: new Set() };
    this.adopt(next);
    this.socket = socket;
    try {
      await this.onReady(true);
    } finally {
      this.handover = undefined;
    }
    this.opts.log.info('switched to the new token; closing the connection of the previous one');
    await this.retire(old);
  }

  /**
   * Logs in once with `token` on a connection of its own, then closes it (after a rejected
   * login, a successful one resets HA's count of failed logins). Rejects like switchToken.
   */
  async checkToken(token: string, login: Credentials): Promise<void> {
    (await this.openSecond(token, login)).close();
  }

  /**
   * A connection besides the current one, logged in with `token` (`login` hears how that
   * went); later reconnects of it use the bot's credentials. Rejects with an HaError,
   * `invalid_auth` when HA rejected the token.
   */
  private async openSecond(
    token: string,
    login: Credentials,
    onSocket?: (socket: WebSocket, conn: Connection | undefined) => void,
  ): Promise<Connection> {
    let rejection = 'Invalid access token';
    let conn: Connection | undefined;
    const createSocket = createSocketFactory({
      ...this.socketOptions(),
      // Until it is adopted, the new connection failing says nothing about the current one.
      onUnreachable: (cause) => {
        if (conn !== undefined && this.conn === conn) this.opts.onUnreachable?.(cause);
      },
      firstLogin: {
        token: () => ({ token }),
        accepted: (t) => login.accepted(t),
        rejected: (t, message) => {
          rejection = scrub(message, [...this.secrets(), token]);
          return login.rejected(t, message);
        },
      },
      onAuthInvalid: () => undefined,
      onSocket: (socket) => onSocket?.(socket, conn),
    });
    try {
      conn = await createConnection({ createSocket, setupRetry: 0 });
      return conn;
    } catch (error) {
      throw error === ERR_INVALID_AUTH
        ? new HaError('invalid_auth', rejection)
        : new HaError('cannot_connect', 'could not open a second connection to Home Assistant');
    }
  }

  private secrets(): readonly string[] {
    return this.opts.secrets?.() ?? [this.opts.token];
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
        void this.onReady();
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
    this.countInFlight(conn);
    const ready = () => void this.onReady();
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

  /** Closes a replaced connection once its commands in flight are answered (at most 15 s). */
  private async retire(conn: Connection): Promise<void> {
    const state = this.inFlight.get(conn);
    if (state !== undefined && state.count > 0) {
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve) => {
        state.idle.push(resolve);
        timer = setTimeout(resolve, 15_000);
      });
      clearTimeout(timer);
    }
    this.retiring.delete(conn);
    conn.close();
  }

  /** Counts the commands in flight on `conn`, so a token switch closes it only when idle. */
  private countInFlight(conn: Connection): void {
    if (this.inFlight.has(conn)) return;
    const state = { count: 0, idle: [] as (() => void)[] };
    this.inFlight.set(conn, state);
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

  /**
   * Whether an event heard on a connection of `generation` is dispatched: the current one's,
   * and during a token switch also the old one's, each event once.
   */
  private hears(generation: number, raw?: RawEvent): boolean {
    const handover = this.handover;
    if (generation !== this.generation && generation !== handover?.generation) return false;
    if (handover === undefined || raw === undefined) return true;
    const seen = handover.seen;
    const key = `${raw.event_type}|${raw.context?.id}|${raw.time_fired}`;
    if (seen.has(key)) return false;
    if (seen.size < 10_000) seen.add(key);
    return true;
  }

  stop(): void {
    this.stopped = true;
    this.generation++;
    if (this.pingTimer) clearInterval(this.pingTimer);
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.conn?.close();
    this.socket?.terminate();
    for (const conn of this.retiring) conn.close();
  }

  /** Sends one command and returns its result, with a bound on how long HA may take. */
  async command<T>(
    message: MessageBase,
    timeoutMs = this.opts.commandTimeoutMs ?? 10_000,
  ): Promise<T> {
    const started = performance.now();
    const report = (outcome: string) =>
      this.opts.onCommand?.(message.type, outcome, (performance.now() - started) / 1000);
    const conn = this.conn;
    if (conn === undefined || !conn.connected) {
      const error =
        this.currentStatus.kind === 'auth_invalid'
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
      const secrets = this.secrets();
      throw new HaError(scrub(haError.code, secrets), scrub(haError.message, secrets));
    } finally {
      clearTimeout(timer);
    }
  }

  async callService(
    domain: string,
    service: string,
    serviceData?: Record<string, unknown>,
    target?: ServiceTarget,
    returnResponse = false,
  ): Promise<ServiceCallResult> {
    const result = await this.command<{ context?: { id?: string }; response?: unknown }>({
      type: 'call_service',
      domain,
      service,
      ...(serviceData ? { service_data: serviceData } : {}),
      ...(target ? { target } : {}),
      ...(returnResponse ? { return_response: true } : {}),
    });
    return { contextId: result?.context?.id ?? '', response: result?.response };
  }

  /** Fires an HA event; HA allows this to administrators only. */
  async fireEvent(eventType: string, data: Record<string, unknown>): Promise<void> {
    await this.command({ type: 'fire_event', event_type: eventType, event_data: data });
  }

  /** Passes a sentence to HA Assist (`conversation/process`) and returns its answer. */
  async converse(text: string, conversationId?: string): Promise<AssistAnswer> {
    const result = await this.command<RawAssistResult>(
      {
        type: 'conversation/process',
        text,
        ...(conversationId ? { conversation_id: conversationId } : {}),
      },
      // Assist may call an LLM; give it longer than a plain command.
      30_000,
    );
    const response = result?.response;
    return {
      speech: response?.speech?.plain?.speech ?? '',
      kind: response?.response_type ?? 'error',
      conversationId: result?.conversation_id ?? undefined,
      done: (response?.data?.success ?? []).map((t) => t.id ?? t.name ?? '').filter(Boolean),
      failed: (response?.data?.failed ?? []).map((t) => t.id ?? t.name ?? '').filter(Boolean),
    };
  }

  private setConnected(haVersion: string, coreState: string): void {
    const restarted = this.restarting;
    if (coreState === 'RUNNING') this.restarting = false;
    this.setStatus({ kind: 'connected', haVersion, coreState, restarted });
  }

  private setStatus(status: HaStatus): void {
    this.currentStatus = status;
    for (const listener of this.listeners) listener(status);
  }

  private onDisconnected(): void {
    this.generation++;
    this.opts.log.warn(
      milestone('ha.connection-lost'),
      'Home Assistant connection lost, reconnecting',
    );
    this.setStatus({ kind: 'disconnected', reason: 'connection lost' });
  }

  private onAuthRejected(): void {
    this.generation++;
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

  /**
   * Runs on every (re)connect: learn HA's state, then subscribe afresh. `handover`: the
   * connection replaces a live one (a token switch), whose copy of the states is current.
   */
  private onReady(handover = false): Promise<void> {
    const generation = ++this.generation;
    return this.setup(generation, handover).catch((error: unknown) => {
      if (generation !== this.generation) return;
      this.opts.log.warn(
        { err: toHaError(error).message },
        'Home Assistant setup failed, reconnecting',
      );
      this.forceReconnect();
    });
  }

  private async setup(generation: number, handover = false): Promise<void> {
    const conn = this.conn;
    if (conn === undefined) return;
    await this.subscribeEvent(conn, CORE_CONFIG_EVENT, generation);
    const config = await this.command<{ state?: string; version?: string }>({ type: 'get_config' });
    const haVersion = config.version ?? conn.haVersion;
    await this.subscribeEntities(conn, generation, handover);
    await refreshRegistry(this, this.opts.registry, this.opts.log, this.opts.loadExposure);
    for (const eventType of [...REGISTRY_EVENTS, ...OPTIONAL_REGISTRY_EVENTS]) {
      try {
        await conn.subscribeMessage(
          () => {
            if (this.hears(generation))
              this.debounce('registry', () => void this.refreshRegistry(), 500);
          },
          { type: 'subscribe_events', event_type: eventType },
          { resubscribe: false },
        );
      } catch (error) {
        const haError = toHaError(error);
        if (!OPTIONAL_REGISTRY_EVENTS.includes(eventType) || haError.code !== 'unauthorized')
          throw haError;
        this.opts.log.debug(
          { eventType },
          'Home Assistant sends this event to administrators only',
        );
      }
    }
    // Includes HA's stop event. HA lets only administrators subscribe to it; without it a
    // restart is still recognised by HA's start-up state and the snapshot on reconnect.
    for (const eventType of this.eventListeners.keys()) {
      if (eventType !== CORE_CONFIG_EVENT) await this.subscribeEvent(conn, eventType, generation);
    }
    if (generation !== this.generation) return;
    let coreState = config.state ?? 'RUNNING';
    // HA may have finished starting during the setup, before the status below says so.
    if (coreState !== 'RUNNING') coreState = (await this.coreState()) ?? coreState;
    if (generation !== this.generation) return;
    if (coreState !== 'RUNNING' && this.everConnected) this.restarting = true;
    this.everConnected = true;
    this.opts.log.info(
      { ...milestone('ha.connected'), haVersion, coreState },
      'Home Assistant connected',
    );
    this.setConnected(haVersion, coreState);
    if (coreState !== 'RUNNING') this.pollUntilRunning(generation, haVersion);
  }

  private async subscribeEntities(
    conn: Connection,
    generation: number,
    handover = false,
  ): Promise<void> {
    // After a token switch the old connection was live until now: what the new snapshot
    // shows differently happened meanwhile, and is judged as live changes.
    if (handover) this.opts.store.expectResync();
    else this.opts.store.expectSnapshot();
    let snapshotSeen = false;
    const snapshot = new Promise<void>((resolve, reject) => {
      const timer = this.later(() => {
        if (!snapshotSeen) reject(new HaError('timeout', 'no entity snapshot from Home Assistant'));
      }, this.opts.snapshotTimeoutMs ?? 20_000);
      void conn
        .subscribeMessage<EntitiesMessage>(
          (message) => {
            if (generation !== this.generation) return;
            this.opts.store.apply(message);
            if (!snapshotSeen) {
              snapshotSeen = true;
              clearTimeout(timer);
              resolve();
            }
          },
          { type: 'subscribe_entities' },
          { resubscribe: false },
        )
        .catch((error: unknown) => reject(toHaError(error)));
    });
    await snapshot;
  }

  /**
   * HA lets only administrators subscribe to events outside its small allowlist: with a
   * non-admin token the listener stays quiet and the log says why, once, instead of
   * breaking the connection.
   */
  private async subscribeEvent(
    conn: Connection,
    eventType: string,
    generation: number,
  ): Promise<void> {
    try {
      await conn.subscribeMessage<RawEvent>(
        (raw) => {
          if (this.hears(generation, raw)) this.dispatchEvent(eventType, raw);
        },
        { type: 'subscribe_events', event_type: eventType },
        { resubscribe: false },
      );
      this.refusedEvents.delete(eventType);
    } catch (error) {
      const haError = toHaError(error);
      if (haError.code !== 'unauthorized') throw haError;
      if (this.refusedEvents.has(eventType)) return;
      this.refusedEvents.add(eventType);
      if (eventType === STOP_EVENT) {
        this.opts.log.info(
          "Home Assistant lets only administrators hear its stop event; the bot tells restarts by HA's start-up state instead",
        );
        return;
      }
      this.opts.log.warn(
        { eventType },
        `Home Assistant refused to send ${eventType} events to the bot: only administrators may subscribe to them. Use a token of an administrator, or leave the feature unused.`,
      );
    }
  }

  private dispatchEvent(eventType: string, raw: RawEvent): void {
    const time = Date.parse(raw.time_fired ?? '');
    const event: HaEvent = {
      eventType: raw.event_type ?? eventType,
      data: raw.data !== null && typeof raw.data === 'object' ? raw.data : {},
      timeFired: Number.isFinite(time) ? time / 1000 : Date.now() / 1000,
      contextId: raw.context?.id ?? '',
      userId: raw.context?.user_id ?? null,
    };
    for (const listener of this.eventListeners.get(eventType) ?? []) {
      try {
        listener(event);
      } catch (error) {
        this.opts.log.error({ eventType, err: error }, 'Home Assistant event listener failed');
      }
    }
  }

  /** A config reload turned `access.exposed_only` on or off: load (or drop) the list now. */
  setLoadExposure(load: boolean): void {
    this.opts.loadExposure = load;
    if (!load) {
      this.opts.registry.setExposed(undefined);
      return;
    }
    // Only the exposure list: areas, devices and entities have not changed. (loadExposed
    // never throws; it logs and leaves nothing usable when HA will not say.)
    void loadExposed(this, this.opts.log).then((exposed) => {
      if (this.opts.loadExposure) this.opts.registry.setExposed(exposed);
    });
  }

  private async refreshRegistry(): Promise<void> {
    try {
      await refreshRegistry(this, this.opts.registry, this.opts.log, this.opts.loadExposure);
    } catch (error) {
      this.opts.log.warn({ err: toHaError(error).message }, 'could not refresh HA registries');
    }
  }

  private async coreState(): Promise<string | undefined> {
    return (await this.command<{ state?: string }>({ type: 'get_config' })).state;
  }

  /** HA's core config changed while it was starting: it may be RUNNING now. */
  private checkStarted(): void {
    const status = this.currentStatus;
    if (status.kind !== 'connected' || status.coreState === 'RUNNING') return;
    const generation = this.generation;
    this.coreState().then(
      (state) => {
        if (generation !== this.generation || state === undefined) return;
        if (state === 'RUNNING') this.started(status.haVersion, 'core_config_updated');
        // Said again while starting, so the alerts know the event was not the start's end.
        else this.setConnected(status.haVersion, state);
      },
      () => undefined, // the poll below asks again
    );
  }

  private started(haVersion: string, via: string): void {
    const status = this.currentStatus;
    if (status.kind === 'connected' && status.coreState === 'RUNNING') return;
    this.opts.log.info({ ...milestone('ha.started'), via }, 'Home Assistant finished starting');
    this.setConnected(haVersion, 'RUNNING');
    void this.refreshRegistry();
  }

  /** A fallback for the event above (a proxy that drops it, say). */
  private pollUntilRunning(generation: number, haVersion: string): void {
    this.later(() => {
      const status = this.currentStatus;
      if (generation !== this.generation || status.kind !== 'connected') return;
      if (status.coreState === 'RUNNING') return;
      this.coreState().then(
        (state) => {
          if (generation !== this.generation) return;
          if (state === 'RUNNING') this.started(haVersion, 'poll');
          else this.pollUntilRunning(generation, haVersion);
        },
        () => this.pollUntilRunning(generation, haVersion),
      );
    }, this.opts.startupPollMs ?? 2000);
  }

  /** haws has no heartbeat: a half-open connection would never be noticed without this. */
  private async heartbeat(): Promise<void> {
    const conn = this.conn;
    if (conn === undefined || !conn.connected) return;
    try {
      await this.command({ type: 'ping' }, this.opts.pingTimeoutMs);
    } catch (error) {
      if (toHaError(error).code !== 'timeout') return;
      this.opts.log.warn(
        { ...milestone('ha.ping-timeout'), timeoutMs: this.opts.pingTimeoutMs },
        'Home Assistant did not answer a ping, reconnecting',
      );
      this.forceReconnect();
    }
  }

  /** Terminating the socket makes haws see a close and run its own reconnect. */
  private forceReconnect(): void {
    this.socket?.terminate();
  }

  private debounce(key: string, fn: () => void, ms: number): void {
    const existing = this.debounced.get(key);
    if (existing) return;
    this.debounced.set(
      key,
      this.later(() => {
        this.debounced.delete(key);
        fn();
      }, ms),
    );
  }

  private readonly debounced = new Map<string, NodeJS.Timeout>();

  private later(fn: () => void, ms: number): NodeJS.Timeout {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
    return timer;
  }
}
