import type { MessageBase } from 'home-assistant-js-websocket';
import type { Logger } from '../logging/logger.js';
import { Timers } from './collection.js';
import { sendCommand, startHeartbeat, type CommandReport } from './commands.js';
import { HaConnection, type Link, type StatusListener } from './connection.js';
import { EntityCollection } from './entities.js';
import type { EntityStore } from './entity-store.js';
import { CORE_CONFIG_EVENT, EventCollection, STOP_EVENT, type EventListener } from './events.js';
import { RegistryCollection } from './registries.js';
import type { Registry } from './registry.js';
import type { Credentials } from './socket.js';
import { HaStartup } from './startup.js';
import type {
  AssistAnswer,
  HaStatus,
  RawAssistResult,
  ServiceCallResult,
  ServiceTarget,
} from './types.js';

export { CORE_CONFIG_EVENT } from './events.js';
export type { StatusListener } from './connection.js';
export type { EventListener } from './events.js';

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
  /** How long before asking again whether HA has finished starting, when asking failed. */
  startupRetryMs?: number;
  retryDelayMs?: (attempt: number) => number;
  /** Load which entities HA exposes to Assist (for `access.exposed_only`). */
  loadExposure?: boolean;
  /** Each failed connection attempt, with its cause in words (for health and readiness). */
  onUnreachable?: (cause: string) => void;
  /** Told of every command: its type, `ok` or the error code, and how long it took (metrics). */
  onCommand?: CommandReport;
}

/**
 * The bot's one connection to Home Assistant, as the rest of the bot sees it: the connection
 * (connection.ts: socket, login, generation, status, reconnect), its heartbeat, and the
 * collections fetched and subscribed afresh on every `ready` (entities, registries with the
 * exposure list, events: collection.ts), HA's start-up and restarts (startup.ts, restart.ts).
 */
export class HaClient {
  private readonly connection: HaConnection;
  private readonly timers = new Timers();
  private readonly events: EventCollection;
  private readonly entities: EntityCollection;
  private readonly registries: RegistryCollection;
  private readonly startup: HaStartup;
  private stopHeartbeat: (() => void) | undefined;

  constructor(private readonly opts: HaClientOptions) {
    this.connection = new HaConnection(opts);
    const command = <T>(message: MessageBase) => this.command<T>(message);
    this.events = new EventCollection(this.connection, opts.log);
    this.entities = new EntityCollection(
      opts.store,
      this.connection,
      this.timers,
      opts.snapshotTimeoutMs,
    );
    this.registries = new RegistryCollection({
      registry: opts.registry,
      connection: this.connection,
      command,
      timers: this.timers,
      log: opts.log,
      loadExposure: opts.loadExposure,
    });
    this.startup = new HaStartup({
      connection: this.connection,
      coreState: async () => (await command<{ state?: string }>({ type: 'get_config' })).state,
      store: opts.store,
      timers: this.timers,
      log: opts.log,
      onStarted: () => void this.registries.refresh(),
      retryMs: opts.startupRetryMs,
    });
    this.onEvent(STOP_EVENT, () => {
      this.startup.restart.stopping();
      this.opts.log.info('Home Assistant is stopping or restarting');
    });
    this.onEvent(CORE_CONFIG_EVENT, () => this.startup.checkStarted());
  }

  get status(): HaStatus {
    return this.connection.status;
  }

  /** Hears every status; returns its unsubscribe (all are released by `stop`). */
  onStatus(listener: StatusListener): () => void {
    return this.connection.onStatus(listener);
  }

  /**
   * Listens for one type of HA event, e.g. one an automation fires. The subscription is made
   * afresh on every (re)connect, like the bot's own; events fired while the bot is
   * disconnected are not replayed by HA. A listener that throws is logged, nothing more.
   * Returns its unsubscribe (all are released by `stop`).
   */
  onEvent(eventType: string, listener: EventListener): () => void {
    return this.events.on(eventType, listener);
  }

  /** Connects in the background; status events tell the outcome. Never rejects. */
  start(): void {
    this.connection.start((link) => this.setup(link));
    this.stopHeartbeat = startHeartbeat(
      this.connection,
      (timeoutMs) => this.command({ type: 'ping' }, timeoutMs),
      {
        intervalMs: this.opts.pingIntervalMs,
        timeoutMs: this.opts.pingTimeoutMs,
        log: this.opts.log,
      },
    );
  }

  /**
   * After HA rejected the token (status `auth_invalid`): logs in again from scratch, with the
   * token the credentials give now (a new one from HA_TOKEN_FILE).
   */
  retryLogin(): void {
    this.connection.retryLogin();
  }

  /**
   * Moves to a new token with no downtime: logs in with it on a second connection, makes
   * that one current (subscriptions made afresh, the entity snapshot compared as live
   * changes so nothing in between is missed, events heard on both until then), and closes
   * the old connection once its commands in flight are answered. Rejects (with an HaError:
   * `invalid_auth` when HA rejected the token) and changes nothing when the new connection
   * cannot be made.
   */
  switchToken(token: string, login: Credentials): Promise<void> {
    return this.connection.switchToken(token, login);
  }

  /**
   * Logs in once with `token` on a connection of its own, then closes it (after a rejected
   * login, a successful one resets HA's count of failed logins). Rejects like switchToken.
   */
  checkToken(token: string, login: Credentials): Promise<void> {
    return this.connection.checkToken(token, login);
  }

  /** Closes the connection and releases every timer and listener. */
  stop(): void {
    this.stopHeartbeat?.();
    this.timers.clear();
    this.connection.stop();
    this.events.clear();
  }

  /** Sends one command and returns its result, with a bound on how long HA may take. */
  command<T>(message: MessageBase, timeoutMs = this.opts.commandTimeoutMs ?? 10_000): Promise<T> {
    return sendCommand<T>(this.connection, message, timeoutMs, this.opts.onCommand);
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

  /** A config reload turned `access.exposed_only` on or off: load (or drop) the list now. */
  setLoadExposure(load: boolean): void {
    this.registries.setLoadExposure(load);
  }

  /**
   * Runs on every (re)connect: HA's start-up event first (so the end of its start is heard in
   * order with the states), its config, then each collection, then HA's start-up state.
   */
  private async setup(link: Link): Promise<void> {
    await this.events.subscribe(link, CORE_CONFIG_EVENT);
    const config = await this.command<{ state?: string; version?: string }>({ type: 'get_config' });
    const haVersion = config.version ?? link.conn.haVersion;
    await this.entities.sync(link);
    await this.registries.sync(link);
    await this.events.sync(link, CORE_CONFIG_EVENT);
    if (link.generation !== this.connection.generation) return;
    await this.startup.connected(link.generation, haVersion, config.state);
  }
}
