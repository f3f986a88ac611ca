import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { FakeRefreshToken } from './auth.js';
import { dispatch } from './commands.js';
import { compressedSnapshotJson } from './compressed.js';
import { HaConnection, type ConnectionHost } from './connection.js';
import { HaCore } from './core.js';
import { restHandler } from './http.js';
import { FakeImages, type FakeImageResponse, type RecordedHttpRequest } from './images.js';
import type { FakeRecorder } from './recorder.js';
import { registryChanges } from './registries.js';
import { ServiceCalls } from './service-calls.js';
import { StartupSimulation } from './startup.js';
import type {
  CommandHandler,
  CoreState,
  FakeArea,
  FakeDevice,
  FakeFloor,
  FakeHaOptions,
  FakeLabel,
  FakeRegistryEntry,
  FakeState,
  HaError,
  RecordedServiceCall,
  ServiceHandler,
} from './types.js';

export type * from './types.js';
export type { FakeRefreshToken } from './auth.js';
export { fakeJwt, fixedFakeToken } from './auth.js';
export type { FakeImageResponse, RecordedHttpRequest } from './images.js';
export { CAMERA_PNG } from './images.js';
/** Bytes no websocket client accepts (RSV1 set on an uncompressed text frame). */
export const INVALID_WS_FRAME = Buffer.from([0xc1, 0x00]);

const WS_PATH = '/api/websocket';
/** The Supervisor's proxy: REST under /core/api/, the websocket at /core/websocket. */
const SUPERVISOR_PREFIX = '/core';
const SUPERVISOR_WS_PATH = '/core/websocket';

// Messages are whatever clients send; `any` keeps assertions on them short.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type ReceivedMessage = any;

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * A fake Home Assistant: HTTP + websocket API on 127.0.0.1, speaking HA 2024.3's protocol
 * closely enough for home-assistant-js-websocket and the bot. States, registries and
 * recorded calls live across restart(), as they do in HA.
 */
export class FakeHomeAssistant {
  readonly received: ReceivedMessage[] = [];
  /**
   * As if HA's ip_ban had banned the client: every REST request and websocket upgrade answers
   * 403. Set by a test, or by too many failed logins with `loginAttemptsThreshold`.
   */
  banned = false;
  private readonly supervisorProxy: boolean;
  private readonly core: HaCore;
  private readonly calls: ServiceCalls;
  private readonly commandHandlers = new Map<string, CommandHandler>();
  private readonly images = new FakeImages();
  private readonly clients = new Set<HaConnection>();
  private readonly heldUpgrades = new Map<Socket, () => void>();
  private readonly host: ConnectionHost;
  private readonly startup: StartupSimulation;
  private server: Server | undefined;
  private wss: WebSocketServer | undefined;
  private port: number;
  private currentToken: string;
  private isFrozen = false;
  private failures = 0;
  private successes = 0;
  /** HA's count of failed logins in a row from the (one) client address. */
  private failedInARow = 0;
  private readonly loginAttemptsThreshold: number | undefined;
  private readonly holds: {
    type: string;
    match: (message: Record<string, unknown>) => boolean;
    captured: (() => void) | undefined;
    seen: () => void;
  }[] = [];

  constructor(opts: FakeHaOptions = {}) {
    this.core = new HaCore(opts);
    this.calls = new ServiceCalls(this.core, opts.stateChangeDelayMs ?? 0);
    this.startup = new StartupSimulation(this.core);
    this.port = opts.port ?? 0;
    this.supervisorProxy = opts.supervisorProxy ?? false;
    this.currentToken = opts.token ?? 'fake-ha-token';
    this.loginAttemptsThreshold = opts.loginAttemptsThreshold;
    this.core.auth.accept(this.currentToken);
    // HA closes the websocket connections that logged in with a token it revokes.
    this.core.auth.onRevoke((token) => {
      for (const client of [...this.clients]) if (client.token === token) client.close();
    });
    for (const entity of opts.entities ?? []) {
      this.core.machine.set(
        entity.entity_id,
        entity.state,
        entity.attributes ?? {},
        HaCore.context(),
      );
    }
    this.host = {
      haVersion: this.core.haVersion,
      coalesce: opts.coalesce ?? true,
      authTimeoutMs: opts.authTimeoutMs ?? 10_000,
      isFrozen: () => this.isFrozen,
      tokenIsValid: (token) => this.core.auth.isValid(token),
      record: (message) => this.received.push(message),
      authenticated: (_connection, ok) => {
        if (ok) {
          this.successes++;
          // HA's process_success_login: a websocket login resets the address' failed logins.
          this.failedInARow = 0;
        } else {
          this.failures++;
          this.failedLogin();
        }
      },
      closed: (connection) => this.clients.delete(connection),
      dispatch: (conn, message) => this.dispatch(conn, message),
    };
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get token(): string {
    return this.currentToken;
  }

  /**
   * Makes `token` the only valid one: the others are revoked, and HA closes the connections
   * that used them.
   */
  set token(token: string) {
    this.currentToken = token;
    this.core.auth.only(token);
  }

  /** A new long-lived token, as a user makes one in HA's UI (`auth/long_lived_access_token`). */
  issueToken(clientName: string, lifespanDays = 3650): string {
    return this.core.auth.issue(clientName, lifespanDays);
  }

  /** Makes `token` valid too (a test's own JWT, say), beside the others. */
  acceptToken(token: string, clientName: string | null = null): void {
    this.core.auth.accept(token, clientName);
  }

  /** Deletes the token as HA's UI does: it stops working, its connections are closed. */
  revokeToken(token: string): boolean {
    return this.core.auth.revoke(token);
  }

  /** The user's refresh tokens (one per access token), as `auth/refresh_tokens` lists them. */
  get refreshTokens(): FakeRefreshToken[] {
    return this.core.auth.refreshTokens;
  }

  /** Failed logins (websocket and REST) since the last successful websocket login. */
  get failedLoginsInARow(): number {
    return this.failedInARow;
  }

  /**
   * Holds the next command of this type (from any connection) until `release()`; `seen`
   * resolves once one arrived. For a test to act while a command is in flight.
   */
  holdNext(
    type: string,
    match: (message: Record<string, unknown>) => boolean = () => true,
  ): { seen: Promise<void>; release(): void } {
    let seen!: () => void;
    const seenPromise = new Promise<void>((resolve) => (seen = resolve));
    const hold: (typeof this.holds)[number] = { type, match, captured: undefined, seen };
    this.holds.push(hold);
    return {
      seen: seenPromise,
      release: () => {
        this.holds.splice(this.holds.indexOf(hold), 1);
        hold.captured?.();
      },
    };
  }

  private dispatch(conn: HaConnection, message: Record<string, unknown>): boolean {
    const run = () =>
      dispatch({ core: this.core, calls: this.calls, conn }, this.commandHandlers, message);
    const hold = this.holds.find(
      (h) => h.type === message.type && h.captured === undefined && h.match(message),
    );
    if (hold === undefined) return run();
    hold.captured = () => void run();
    hold.seen();
    return true;
  }

  /** HA's process_wrong_login: counts, and bans the address at the threshold. */
  private failedLogin(): void {
    this.failedInARow++;
    const threshold = this.loginAttemptsThreshold;
    if (threshold !== undefined && threshold > 0 && this.failedInARow >= threshold) {
      this.banned = true;
    }
  }

  get states(): Map<string, FakeState> {
    return this.core.machine.states;
  }

  /**
   * Makes the JSON a client's start-up asks for (every state's compressed form, every entity
   * registry entry's display and extended forms), as an HA that has been running has it
   * cached. The benchmark warms its fake so that start-up measures the bot, not the fake's
   * first serialisation of 100,000 entities; answers are the same either way.
   */
  warm(): void {
    compressedSnapshotJson(this.core.machine.all(), () => true);
    this.core.registries.warm();
  }

  get serviceCalls(): RecordedServiceCall[] {
    return this.calls.records;
  }

  get connections(): number {
    return [...this.clients].filter((client) => client.active).length;
  }

  get authFailures(): number {
    return this.failures;
  }

  get authSuccesses(): number {
    return this.successes;
  }

  get coreState(): CoreState {
    return this.core.coreState;
  }

  set coreState(state: CoreState) {
    this.core.coreState = state;
  }

  async start(): Promise<void> {
    if (this.server !== undefined) return;
    const wss = new WebSocketServer({ noServer: true, autoPong: false });
    const server = createServer(
      restHandler(this.core, (token) => this.core.auth.isValid(token), {
        prefix: this.supervisorProxy ? SUPERVISOR_PREFIX : '',
        isBanned: () => this.banned,
        onUnauthorized: () => this.failedLogin(),
        images: this.images,
      }),
    );
    const wsPath = this.supervisorProxy ? SUPERVISOR_WS_PATH : WS_PATH;
    server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
      socket.on('error', () => socket.destroy());
      if (new URL(req.url ?? '/', 'http://fake').pathname !== wsPath) {
        socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
        return;
      }
      // HA's ban middleware runs before the websocket view: no upgrade, no login.
      if (this.banned) {
        socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      const upgrade = () => wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
      // A frozen HA does not even finish the HTTP upgrade.
      if (this.isFrozen) this.heldUpgrades.set(socket, upgrade);
      else upgrade();
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
    this.wss = wss;
  }

  /**
   * Closes every socket (code 1001, as HA shutting down) and the server. `crash`: as a killed
   * HA, the sockets end without a close frame.
   */
  async stop(opts: { crash?: boolean } = {}): Promise<void> {
    const { server, wss } = this;
    if (server === undefined || wss === undefined) return;
    this.server = undefined;
    this.wss = undefined;
    this.calls.cancelPending();
    this.startup.cancel();
    this.dropHeldUpgrades();
    const sockets = [...this.clients].map((client) => client.ws);
    for (const client of [...this.clients]) {
      if (opts.crash === true) client.terminate();
      else client.close(1001);
    }
    // A client that does not answer the close frame is cut off after a moment.
    let grace: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(sockets.map((ws) => new Promise((resolve) => ws.once('close', resolve)))),
      new Promise((resolve) => (grace = setTimeout(resolve, 100))),
    ]);
    clearTimeout(grace);
    for (const ws of sockets) ws.terminate();
    wss.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /**
   * Stops, stays down for `downMs`, then starts on the same port, as HA restarts: every entity
   * is written anew (a new `last_changed`). For `startingMs` after the start HA is still
   * starting: core state NOT_RUNNING and every entity 'unavailable' (restored placeholders),
   * then the states come back and HA is RUNNING; with 0 (the default) that has all happened
   * before the server is up.
   * - `crash`: killed (SIGKILL, power loss): no `homeassistant_stop`, no close frames.
   * - `stale`: entities HA restores with an old state (its last save was before they changed).
   * - `onRunning`: runs the moment HA is RUNNING, e.g. a sensor changing right then.
   */
  async restart(
    opts: {
      downMs?: number;
      startingMs?: number;
      crash?: boolean;
      stale?: Record<string, string>;
      onRunning?: () => void;
    } = {},
  ): Promise<void> {
    if (opts.crash !== true) {
      this.core.fireEvent('homeassistant_stop', {});
      await new Promise((resolve) => setImmediate(resolve));
    }
    await this.stop({ crash: opts.crash });
    if ((opts.downMs ?? 0) > 0) await delay(opts.downMs!);
    const startingMs = opts.startingMs ?? 0;
    this.startup.begin(opts.stale);
    if (startingMs === 0) this.startup.finish(opts.onRunning);
    await this.start();
    if (startingMs > 0) this.startup.finishAfter(startingMs, opts.onRunning);
  }

  /** HA's recorder (undefined with `history: false`), e.g. to commit only every 5 s as HA's. */
  get recorder(): FakeRecorder | undefined {
    return this.core.recorder;
  }

  /** Creates or changes an entity; `attributes` omitted keeps the current ones. */
  setState(
    entityId: string,
    state: string,
    attributes?: Record<string, unknown>,
    opts: { contextId?: string } = {},
  ): void {
    const current = this.core.machine.states.get(entityId)?.attributes ?? {};
    this.core.machine.set(entityId, state, attributes ?? current, HaCore.context(opts.contextId));
  }

  /** Merges attributes into an entity (a key set to undefined is removed); state unchanged. */
  setAttributes(entityId: string, attributes: Record<string, unknown>): void {
    const current = this.core.machine.states.get(entityId);
    if (current === undefined) throw new Error(`setAttributes: unknown entity ${entityId}`);
    const merged: Record<string, unknown> = { ...current.attributes, ...attributes };
    for (const [key, value] of Object.entries(attributes))
      if (value === undefined) delete merged[key];
    this.core.machine.set(entityId, current.state, merged, HaCore.context());
  }

  removeEntity(entityId: string): void {
    this.core.machine.remove(entityId, HaCore.context());
  }

  fireEvent(eventType: string, data: Record<string, unknown> = {}): void {
    this.core.fireEvent(eventType, data);
  }

  /**
   * What `/api/camera_proxy/<id>` or `/api/image_proxy/<id>` answers for this entity: a status,
   * other bytes, a delay. null: the default (a small PNG for an existing camera or image).
   */
  setImage(entityId: string, response: FakeImageResponse | null): void {
    if (response === null) this.images.overrides.delete(entityId);
    else this.images.overrides.set(entityId, response);
  }

  /** Every REST request so far: path, query and how it authenticated. */
  get httpRequests(): RecordedHttpRequest[] {
    return this.images.requests;
  }

  failNextServiceCall(error: HaError): void {
    this.calls.failNext(error);
  }

  setServiceHandler(handler: ServiceHandler | null): void {
    this.calls.handler = handler;
  }

  /** Answers a websocket command type, e.g. `conversation/process`; null removes it. */
  setCommandHandler(type: string, handler: CommandHandler | null): void {
    if (handler === null) this.commandHandlers.delete(type);
    else this.commandHandlers.set(type, handler);
  }

  setAreas(areas: FakeArea[]): void {
    const changes = registryChanges(this.core.registries.areas, areas, (a) => a.area_id);
    this.core.registries.areas = areas;
    for (const { action, id } of changes) {
      this.core.fireEvent('area_registry_updated', { action, area_id: id });
    }
  }

  setDevices(devices: FakeDevice[]): void {
    const changes = registryChanges(this.core.registries.devices, devices, (d) => d.id);
    this.core.registries.devices = devices;
    for (const { action, id } of changes) {
      this.core.fireEvent('device_registry_updated', { action, device_id: id });
    }
  }

  setFloors(floors: FakeFloor[]): void {
    const changes = registryChanges(this.core.registries.floors, floors, (f) => f.floor_id);
    this.core.registries.floors = floors;
    for (const { action, id } of changes) {
      this.core.fireEvent('floor_registry_updated', { action, floor_id: id });
    }
  }

  setLabels(labels: FakeLabel[]): void {
    const changes = registryChanges(this.core.registries.labels, labels, (l) => l.label_id);
    this.core.registries.labels = labels;
    for (const { action, id } of changes) {
      this.core.fireEvent('label_registry_updated', { action, label_id: id });
    }
  }

  setRegistry(entries: FakeRegistryEntry[]): void {
    const changes = registryChanges(this.core.registries.entries, entries, (e) => e.entity_id);
    this.core.registries.entries = entries;
    for (const { action, id } of changes) {
      this.core.fireEvent('entity_registry_updated', {
        action,
        entity_id: id,
        ...(action === 'update' ? { changes: {} } : {}),
      });
    }
  }

  /** Half-open: answers nothing (not even pings or upgrades) but keeps every socket open. */
  freeze(): void {
    this.isFrozen = true;
  }

  unfreeze(): void {
    this.isFrozen = false;
    for (const upgrade of this.heldUpgrades.values()) upgrade();
    this.heldUpgrades.clear();
    for (const client of this.clients) client.resume();
  }

  /** Terminates every client socket without a close frame. */
  dropConnections(): void {
    this.dropHeldUpgrades();
    for (const client of [...this.clients]) client.terminate();
  }

  /**
   * Sends to every authenticated client: a string as a text frame (e.g. broken JSON), a
   * Buffer as raw bytes on the TCP stream (e.g. INVALID_WS_FRAME).
   */
  sendRaw(data: string | Buffer): void {
    for (const client of this.clients) if (client.active) client.writeRaw(data);
  }

  private dropHeldUpgrades(): void {
    for (const socket of this.heldUpgrades.keys()) socket.destroy();
    this.heldUpgrades.clear();
  }

  private accept(ws: WebSocket): void {
    if (this.server === undefined) {
      ws.terminate();
      return;
    }
    this.clients.add(new HaConnection(ws, this.host));
  }
}
