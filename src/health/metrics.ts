import { collectDefaultMetrics, Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { DeliveryMetrics } from '../alerts/outbox-pump.js';
import type { CommandMetrics } from '../commands/instrument.js';

export type Side = 'ha' | 'discord';

/** Everything the bot counts. The rest of the bot sees only the narrow port it needs. */
export interface BridgeMetrics extends DeliveryMetrics, CommandMetrics {
  /** A state change from HA's `subscribe_entities` stream (kind: added, changed, removed). */
  haEvent(kind: string): void;
  /** A row written to the outbox (kind: alert, status, notice). */
  queued(kind: string): void;
  reconnected(side: Side): void;
}

/** Read when Prometheus scrapes, so gauges are never stale. */
export interface MetricSources {
  outboxDepth(): number;
  connected(side: Side): boolean;
}

const PREFIX = 'ha_discord_bridge_';

/** The names /metrics exposes; the README lists them. */
export const METRIC_NAMES = {
  haEvents: `${PREFIX}ha_events_received_total`,
  queued: `${PREFIX}alerts_queued_total`,
  coalesced: `${PREFIX}alerts_coalesced_total`,
  sent: `${PREFIX}alerts_sent_total`,
  messages: `${PREFIX}alert_messages_sent_total`,
  failed: `${PREFIX}alerts_failed_total`,
  dropped: `${PREFIX}alerts_dropped_total`,
  outboxDepth: `${PREFIX}outbox_depth`,
  commands: `${PREFIX}commands_total`,
  commandSeconds: `${PREFIX}command_duration_seconds`,
  reconnects: `${PREFIX}reconnects_total`,
  connected: `${PREFIX}connected`,
  info: `${PREFIX}info`,
} as const;

/**
 * Prometheus metrics on the given registry (made by the composition root: no global
 * registry, so tests and a second instance never share counters). Also Node's default
 * process metrics (memory, CPU, event loop lag), which matter for a bot that runs for months.
 */
export function createMetrics(
  registry: Registry,
  sources: MetricSources,
  version: string,
): BridgeMetrics {
  const registers = [registry];
  collectDefaultMetrics({ register: registry });
  const haEvents = new Counter({
    name: METRIC_NAMES.haEvents,
    help: "State changes received from Home Assistant's subscribe_entities stream",
    labelNames: ['kind'],
    registers,
  });
  const queued = new Counter({
    name: METRIC_NAMES.queued,
    help: 'Alerts, status updates and notices written to the outbox',
    labelNames: ['kind'],
    registers,
  });
  const coalesced = new Counter({
    name: METRIC_NAMES.coalesced,
    help: 'Alerts that went out in a message together with an earlier alert (bursts coalesced)',
    registers,
  });
  const sent = new Counter({
    name: METRIC_NAMES.sent,
    help: 'Alerts Discord accepted',
    registers,
  });
  const messages = new Counter({
    name: METRIC_NAMES.messages,
    help: 'Messages (posts and edits) that carried alerts to Discord',
    registers,
  });
  const failed = new Counter({
    name: METRIC_NAMES.failed,
    help: 'Alerts in a delivery attempt that failed (they stay in the outbox and are retried)',
    registers,
  });
  const dropped = new Counter({
    name: METRIC_NAMES.dropped,
    help: 'Undelivered alerts dropped because the outbox exceeded OUTBOX_MAX_AGE or OUTBOX_MAX_ROWS',
    registers,
  });
  new Gauge({
    name: METRIC_NAMES.outboxDepth,
    help: 'Alerts waiting in the outbox',
    registers,
    collect() {
      this.set(sources.outboxDepth());
    },
  });
  const commands = new Counter({
    name: METRIC_NAMES.commands,
    help: 'Slash commands handled, by subcommand and outcome (error: the handler threw)',
    labelNames: ['command', 'outcome'],
    registers,
  });
  const commandSeconds = new Histogram({
    name: METRIC_NAMES.commandSeconds,
    help: 'Time from receiving a slash command to its reply, by subcommand',
    labelNames: ['command'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 1.5, 2.5, 5, 10],
    registers,
  });
  const reconnects = new Counter({
    name: METRIC_NAMES.reconnects,
    help: 'Reconnections after the first connection, by side (ha, discord)',
    labelNames: ['side'],
    registers,
  });
  // Zero rather than absent: a rate() over a series that appears later misses its first step.
  for (const side of ['ha', 'discord']) reconnects.inc({ side }, 0);
  new Gauge({
    name: METRIC_NAMES.connected,
    help: 'Whether the side is connected (1) or not (0)',
    labelNames: ['side'],
    registers,
    collect() {
      for (const side of ['ha', 'discord'] as const)
        this.set({ side }, sources.connected(side) ? 1 : 0);
    },
  });
  new Gauge({
    name: METRIC_NAMES.info,
    help: 'The running version (always 1)',
    labelNames: ['version'],
    registers,
  }).set({ version }, 1);

  return {
    haEvent: (kind) => haEvents.inc({ kind }),
    queued: (kind) => queued.inc({ kind }),
    delivered(rows) {
      sent.inc(rows);
      messages.inc();
      if (rows > 1) coalesced.inc(rows - 1);
    },
    failed: (rows) => failed.inc(rows),
    dropped: (rows) => dropped.inc(rows),
    commandHandled(command, outcome, seconds) {
      commands.inc({ command, outcome });
      commandSeconds.observe({ command }, seconds);
    },
    reconnected: (side) => reconnects.inc({ side }),
  };
}
