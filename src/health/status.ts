import type { HaStatus } from '../ha/types.js';

/**
 * One side's connection over time: up or down, since when, and how often it came back.
 * The first `up` is the initial connection, every later one a reconnect.
 */
export class ConnectionTracker {
  connected = false;
  since: number | undefined;
  reconnects = 0;
  /** Why the last attempt to connect failed; cleared once connected. */
  lastError: string | undefined;
  private everUp = false;

  constructor(
    private readonly onReconnect: () => void = () => undefined,
    private readonly now: () => number = Date.now,
  ) {}

  up(): void {
    if (this.connected) return;
    if (this.everUp) {
      this.reconnects++;
      this.onReconnect();
    }
    this.everUp = true;
    this.connected = true;
    this.lastError = undefined;
    this.since = this.now();
  }

  /** An attempt to connect failed: remember why, for /healthz and the readiness log. */
  failed(cause: string): void {
    this.lastError = cause;
    this.down();
  }

  /**
   * Before the first connection `connecting`, or `unreachable` once an attempt failed;
   * after it `connected` or `disconnected`.
   */
  get state(): 'connecting' | 'unreachable' | 'connected' | 'disconnected' {
    if (this.connected) return 'connected';
    if (this.everUp) return 'disconnected';
    return this.lastError === undefined ? 'connecting' : 'unreachable';
  }

  down(): void {
    if (!this.connected) return;
    this.connected = false;
    this.since = this.now();
  }
}

/** What /healthz returns and /ha about shows. */
export interface BridgeStatus {
  status: 'ok' | 'degraded';
  version: string;
  startedAt: string;
  uptimeSeconds: number;
  homeAssistant: {
    connected: boolean;
    state: HaStatus['kind'];
    version?: string;
    coreState?: string;
    since?: string;
    reconnects: number;
    /** Why the last connection attempt failed, while not connected. */
    lastError?: string;
  };
  discord: {
    connected: boolean;
    state: ConnectionTracker['state'];
    /** The gateway's heartbeat round trip; absent before the first heartbeat. */
    pingMs?: number;
    since?: string;
    reconnects: number;
    /** Why the last connection attempt failed, while not connected. */
    lastError?: string;
  };
  outbox: { depth: number };
}

export interface StatusInput {
  version: string;
  startedAt: number;
  now: number;
  ha: { status: HaStatus; tracker: ConnectionTracker };
  discord: { tracker: ConnectionTracker; pingMs: number };
  outboxDepth: number;
}

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

const lastError = (connected: boolean, tracker: ConnectionTracker) =>
  connected || tracker.lastError === undefined ? {} : { lastError: tracker.lastError };

/** Healthy only when both sides are connected: the bot is useless with either one down. */
export function bridgeStatus(input: StatusInput): BridgeStatus {
  const ha = input.ha.status;
  const haConnected = ha.kind === 'connected';
  const discordConnected = input.discord.tracker.connected;
  return {
    status: haConnected && discordConnected ? 'ok' : 'degraded',
    version: input.version,
    startedAt: new Date(input.startedAt).toISOString(),
    uptimeSeconds: Math.max(0, Math.floor((input.now - input.startedAt) / 1000)),
    homeAssistant: {
      connected: haConnected,
      state: ha.kind,
      ...(ha.kind === 'connected' ? { version: ha.haVersion, coreState: ha.coreState } : {}),
      ...(input.ha.tracker.since === undefined ? {} : { since: iso(input.ha.tracker.since) }),
      reconnects: input.ha.tracker.reconnects,
      ...lastError(haConnected, input.ha.tracker),
    },
    discord: {
      connected: discordConnected,
      state: input.discord.tracker.state,
      ...(input.discord.pingMs >= 0 ? { pingMs: Math.round(input.discord.pingMs) } : {}),
      ...(input.discord.tracker.since === undefined
        ? {}
        : { since: iso(input.discord.tracker.since) }),
      reconnects: input.discord.tracker.reconnects,
      ...lastError(discordConnected, input.discord.tracker),
    },
    outbox: { depth: input.outboxDepth },
  };
}
