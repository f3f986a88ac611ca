import { Registry } from 'prom-client';
import type { HaStatus } from '../ha/types.js';
import { createMetrics, type BridgeMetrics } from './metrics.js';
import { bridgeStatus, ConnectionTracker, type BridgeStatus } from './status.js';

/** Metrics, each side's connection history, and the bridge's status for /readyz and /ha about. */
export interface Observability {
  /** A registry of our own (no global), read by /metrics when enabled. */
  readonly registry: Registry;
  readonly metrics: BridgeMetrics;
  readonly haTracker: ConnectionTracker;
  readonly discordTracker: ConnectionTracker;
  readonly status: () => BridgeStatus;
}

export function createObservability(opts: {
  version: string;
  startedAt: number;
  outbox: { readonly depth: number; readonly oldestCreatedAt: number | undefined };
  haStatus: () => HaStatus;
  discordPingMs: () => number;
}): Observability {
  const { outbox } = opts;
  const registry = new Registry();
  const haTracker = new ConnectionTracker(() => metrics.reconnected('ha'));
  const discordTracker = new ConnectionTracker(() => metrics.reconnected('discord'));
  const metrics = createMetrics(
    registry,
    {
      outboxDepth: () => outbox.depth,
      oldestUndeliveredSeconds: () => {
        const oldest = outbox.oldestCreatedAt;
        return oldest === undefined ? 0 : Math.max(0, (Date.now() - oldest) / 1000);
      },
      connected: (side) => (side === 'ha' ? haTracker : discordTracker).connected,
    },
    opts.version,
  );
  return {
    registry,
    metrics,
    haTracker,
    discordTracker,
    status: () =>
      bridgeStatus({
        version: opts.version,
        startedAt: opts.startedAt,
        now: Date.now(),
        ha: { status: opts.haStatus(), tracker: haTracker },
        discord: { tracker: discordTracker, pingMs: opts.discordPingMs() },
        outboxDepth: outbox.depth,
      }),
  };
}
