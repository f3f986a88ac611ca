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
  /** One command to HA's websocket API (`call_service`, `ping`, …): how it ended and how long it took. */
  haCall(type: string, outcome: string, seconds: number): void;
  /** Discord answered a request 429 (rate limited); scope as Discord gives it (user, global, shared). */
  discordRateLimited(scope: string): void;
}

/** Read when Prometheus scrapes, so gauges are never stale. */
export interface MetricSources {
  outboxDepth(): number;
  /** Seconds since the oldest row still in the outbox was queued; 0 when it is empty. */
  oldestUndeliveredSeconds(): number;
  connected(side: Side): boolean;
}

const PREFIX = 'ha_discord_bridge_';

/**
 * Slash commands: 1.1 ms (`state`) and 1.6 ms (`toggle`) at the median in `npm run bench`,
 * up to HA_STATE_WAIT_MS (5 s) for a toggle that waits for its new state. Buckets from
 * 0.5 ms, so the usual case is not all in the first one (they started at 50 ms).
 */
export const COMMAND_BUCKETS = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

/** HA commands: a ping takes about a millisecond, a service call as long as the service;
 * the bot gives up after 10 s (Assist 30 s). */
export const HA_CALL_BUCKETS = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30,
];

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
  oldestUndelivered: `${PREFIX}outbox_oldest_age_seconds`,
  commands: `${PREFIX}commands_total`,
  commandSeconds: `${PREFIX}command_duration_seconds`,
  reconnects: `${PREFIX}reconnects_total`,
  haCallSeconds: `${PREFIX}ha_call_duration_seconds`,
  discordRateLimited: `${PREFIX}discord_rate_limited_total`,
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
  // Counted here per change (a flood is hundreds of thousands a second) and handed to the
  // counter when it is read: prom-client's inc() hashes its labels each call.
  // 'changed' (nearly every event) in a number of its own: no map lookups per change.
  let changedSinceRead = 0;
  const haEventsSinceRead = new Map<string, number>();
  new Counter({
    name: METRIC_NAMES.haEvents,
    help: "State changes received from Home Assistant's subscribe_entities stream",
    labelNames: ['kind'],
    registers,
    collect() {
      if (changedSinceRead > 0) this.inc({ kind: 'changed' }, changedSinceRead);
      changedSinceRead = 0;
      for (const [kind, n] of haEventsSinceRead) this.inc({ kind }, n);
      haEventsSinceRead.clear();
    },
  });
  // The same for the outbox's rows: with many rules a flood writes an alert per change.
  // 'alert' (nearly every row of a flood) in a number of its own, as 'changed' above.
  let alertsSinceRead = 0;
  const queuedSinceRead = new Map<string, number>();
  new Counter({
    name: METRIC_NAMES.queued,
    help: 'Alerts, status updates and notices written to the outbox',
    labelNames: ['kind'],
    registers,
    collect() {
      if (alertsSinceRead > 0) this.inc({ kind: 'alert' }, alertsSinceRead);
      alertsSinceRead = 0;
      for (const [kind, n] of queuedSinceRead) this.inc({ kind }, n);
      queuedSinceRead.clear();
    },
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
  new Gauge({
    name: METRIC_NAMES.oldestUndelivered,
    help: 'Age in seconds of the oldest alert still waiting in the outbox (0 when none waits)',
    registers,
    collect() {
      this.set(sources.oldestUndeliveredSeconds());
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
    buckets: COMMAND_BUCKETS,
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
  const haCallSeconds = new Histogram({
    name: METRIC_NAMES.haCallSeconds,
    help: "Commands sent to Home Assistant's websocket API, by type and outcome (ok, or the error code: timeout, not_connected, HA's own)",
    labelNames: ['type', 'outcome'],
    buckets: HA_CALL_BUCKETS,
    registers,
  });
  const discordRateLimited = new Counter({
    name: METRIC_NAMES.discordRateLimited,
    help: 'Requests Discord answered 429 (rate limited), by scope (user, global, shared)',
    labelNames: ['scope'],
    registers,
  });
  for (const scope of ['user', 'global', 'shared']) discordRateLimited.inc({ scope }, 0);
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
    haEvent: (kind) => {
      if (kind === 'changed') changedSinceRead++;
      else haEventsSinceRead.set(kind, (haEventsSinceRead.get(kind) ?? 0) + 1);
    },
    queued(kind) {
      if (kind === 'alert') alertsSinceRead++;
      else queuedSinceRead.set(kind, (queuedSinceRead.get(kind) ?? 0) + 1);
    },
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
    haCall: (type, outcome, seconds) => haCallSeconds.observe({ type, outcome }, seconds),
    discordRateLimited: (scope) => discordRateLimited.inc({ scope }),
  };
}
