import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry as MetricsRegistry } from 'prom-client';
import WebSocket from 'ws';
import {
  createConnection,
  subscribeEntities,
  type HassEntities,
} from 'home-assistant-js-websocket';
import { AlertService } from '../src/alerts/alert-service.js';
import { outboxCodec } from '../src/alerts/outbox-codec.js';
import { RuleEngine, type RuleSubject } from '../src/alerts/rule-engine.js';
import { createEnqueue } from '../src/app/queue.js';
import { EntityCatalog } from '../src/entities/catalog.js';
import { HaClient } from '../src/ha/client.js';
import { EntityStore } from '../src/ha/entity-store.js';
import { Registry } from '../src/ha/registry.js';
import type { EntityState } from '../src/ha/types.js';
import { createMetrics } from '../src/health/metrics.js';
import { createLogger } from '../src/logging/logger.js';
import { AlertStateStore } from '../src/storage/alert-states.js';
import { openDatabase } from '../src/storage/database.js';
import { groupCommits } from '../src/storage/group-commits.js';
import { MuteStore } from '../src/storage/mutes.js';
import { Outbox } from '../src/storage/outbox.js';
import { WatchStore } from '../src/storage/watches.js';
import { wsSocketFactory } from '../tests/fakes/ha/haws-socket.js';
import { summarize } from './fixtures.js';
import { alertRules, benchHome, changedEntity } from './home.js';

/**
 * The receiving end of the ingest benchmark, in its own process so that it has a core to
 * itself: the bot's own HA side (HaClient -> EntityStore -> AlertService with its rules,
 * alerts written to the SQLite outbox, the per-change metric counted), the baseline (haws'
 * `subscribeEntities` feeding the same rule engine), or the ceiling (a bare `ws` client
 * that only JSON.parses the frames). It reports when each change was decided, against the
 * time the fake HA stamped on it.
 *
 * Messages from the parent: {init}, {clock}, {phase, count}, {exit}.
 */

export type ConsumerMode = 'bot' | 'haws' | 'bare';

export type ToConsumer =
  | {
      type: 'init';
      mode: ConsumerMode;
      url: string;
      token: string;
      entities: number;
      rules: number;
    }
  | { type: 'clock'; sentAt: number }
  | { type: 'phase'; count: number }
  | { type: 'exit' };

export interface PhaseResult {
  type: 'phase-done';
  count: number;
  /** From the first to the last decision of the phase. */
  durationMs: number;
  /** When the last change was decided, by this process's clock (epoch ms). */
  lastAt: number;
  /** Event (time stamped in the stream) to decision, by this process's clock. */
  latency: { p50: number; p99: number; max: number; n: number };
  firings: number;
  /**
   * This process's CPU time (all its threads, user + system) from the phase's start to its
   * last decision: what the changes cost, less swayed by other processes than the rate.
   */
  cpuMs: number;
}

export type FromConsumer =
  | { type: 'ready' }
  | { type: 'phase-ready' }
  | { type: 'clock'; sentAt: number; consumerAt: number }
  | PhaseResult;

const epochMs = () => performance.timeOrigin + performance.now();
const send = (message: FromConsumer) => process.send!(message);

/** Collects one decision per change until the phase has seen `count`. */
class Recorder {
  private latencies: number[] = [];
  private expected = 0;
  private first = 0;
  private last = 0;
  private cpu = process.cpuUsage();
  firings = 0;

  start(count: number): void {
    this.latencies = [];
    this.expected = count;
    this.firings = 0;
    this.cpu = process.cpuUsage();
  }

  decided(stampedMs: number): void {
    if (this.expected === 0) return;
    const now = epochMs();
    if (this.latencies.length === 0) this.first = now;
    this.last = now;
    this.latencies.push(now - stampedMs);
    if (this.latencies.length === this.expected) {
      this.expected = 0;
      const cpu = process.cpuUsage(this.cpu);
      send({
        type: 'phase-done',
        count: this.latencies.length,
        durationMs: this.last - this.first,
        lastAt: this.last,
        latency: summarize(this.latencies),
        firings: this.firings,
        cpuMs: (cpu.user + cpu.system) / 1000,
      });
    }
  }
}

const recorder = new Recorder();
let cleanup: () => void = () => undefined;

/**
 * The bot's own HA side, wired as src/index.ts wires it: alerts are written to the SQLite
 * outbox and counted in the metrics as the bot does (only the pump that sends them to
 * Discord is left out), and every change counts in the per-change metric.
 */
function startBot(url: string, token: string, rules: number): void {
  const log = createLogger({ level: 'silent', secrets: [token] });
  const dataDir = mkdtempSync(join(tmpdir(), 'hdb-ingest-'));
  const db = openDatabase(dataDir);
  const outbox = new Outbox(db, Date.now, outboxCodec);
  // As src/index.ts: one commit per burst of alerts, the rows it queued and the states they
  // came from written just before.
  const inBurst = groupCommits(
    db,
    (error) => {
      throw error;
    },
    () => {
      alerts.writeAlertedStates();
      outbox.flush();
    },
  );
  const metrics = createMetrics(
    new MetricsRegistry(),
    { outboxDepth: () => 0, oldestUndeliveredSeconds: () => 0, connected: () => true },
    'bench',
  );
  const store = new EntityStore();
  store.onChange((change) => metrics.haEvent(change.kind));
  const registry = new Registry();
  const catalog = new EntityCatalog(store, registry);
  const alerts = new AlertService({
    store,
    catalog,
    configuredRules: alertRules(rules),
    watches: new WatchStore(db),
    mutes: new MuteStore(db),
    defaultChannelId: '833333333333333333',
    // As src/index.ts, the pump that sends them to Discord left out: it counts them here.
    enqueue: createEnqueue({
      outbox,
      metrics,
      pump: { queued: () => recorder.firings++ },
      inBurst,
    }),
    log,
    // As src/index.ts: the watched entities' states are kept in SQLite, in batches.
    states: new AlertStateStore(db),
    atomically: (fn) => outbox.transaction(fn),
  });
  // Registered after the alert pipeline's listener, so it runs once the rules have decided.
  store.onChange((change) => {
    if (change.kind === 'changed' && !change.fromSnapshot && change.newState) {
      recorder.decided(change.newState.lastUpdated * 1000);
    }
  });
  const ha = new HaClient({
    websocketUrl: `${url.replace(/^http/i, 'ws')}/api/websocket`,
    token,
    log,
    store,
    registry,
    pingIntervalMs: 60_000,
    pingTimeoutMs: 10_000,
  });
  ha.onStatus((status) => {
    alerts.onHaStatus(status);
    // As src/index.ts does once HA is connected: the catalog built.
    if (status.kind === 'connected') catalog.list();
    if (status.kind === 'connected' && status.coreState === 'RUNNING') send({ type: 'ready' });
  });
  ha.start();
  cleanup = () => {
    ha.stop();
    alerts.stop();
    db.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
}

/**
 * The baseline: haws' own entity collection, which copies every entity per message. Its
 * callback gets the whole collection, not what changed; the baseline is told for free (the
 * stream's order is known), then runs the same rules as the bot.
 */
async function startHaws(
  url: string,
  token: string,
  entities: number,
  rules: number,
): Promise<void> {
  const home = benchHome(entities);
  const areaOf = new Map(home.registry.map((r) => [r.entity_id, r.area_id ?? undefined]));
  const areaNames = new Map(home.areas.map((a) => [a.area_id, a.name]));
  const deviceClass = new Map(
    home.entities.map((e) => [e.entity_id, e.attributes?.device_class as string | undefined]),
  );
  const subject = (entityId: string): RuleSubject => {
    const areaId = areaOf.get(entityId);
    return {
      entityId,
      domain: entityId.slice(0, entityId.indexOf('.')),
      areaId,
      areaName: areaId === undefined ? undefined : areaNames.get(areaId),
      deviceClass: deviceClass.get(entityId),
    };
  };
  const engine = new RuleEngine(alertRules(rules), subject);
  const previous = new Map<string, EntityState>();
  const toState = (entityId: string, e: HassEntities[string]): EntityState => ({
    entityId,
    state: e.state,
    attributes: e.attributes,
    lastChanged: Date.parse(e.last_changed) / 1000,
    lastUpdated: Date.parse(e.last_updated) / 1000,
  });
  const conn = await createConnection({ createSocket: wsSocketFactory(url, () => token) });
  let seen = -1;
  subscribeEntities(conn, (all) => {
    if (seen++ === -1) {
      for (const [id, e] of Object.entries(all)) previous.set(id, toState(id, e));
      send({ type: 'ready' });
      return;
    }
    const entityId = changedEntity(home, seen - 1);
    const newState = toState(entityId, all[entityId]!);
    const oldState = previous.get(entityId);
    previous.set(entityId, newState);
    recorder.firings += engine.observe({ entityId, oldState, newState }, Date.now()).length;
    recorder.decided(newState.lastUpdated * 1000);
  });
  cleanup = () => conn.close();
}

/**
 * The ceiling: a bare `ws` client that authenticates, subscribes and only JSON.parses each
 * frame, reading each change's time stamp. No consumer of these frames can be faster.
 */
function startBare(url: string, token: string): void {
  const socket = new WebSocket(`${url.replace(/^http/i, 'ws')}/api/websocket`);
  let subscribed = false;
  const onEvent = (m: { type?: string; event?: EntitiesEvent }) => {
    if (m.type !== 'event' || m.event === undefined) return;
    if (!subscribed) {
      subscribed = true;
      send({ type: 'ready' });
      return;
    }
    for (const diff of Object.values(m.event.c ?? {})) {
      const plus = diff['+'];
      recorder.decided(((plus?.lu ?? plus?.lc) as number) * 1000);
    }
  };
  socket.on('message', (data: Buffer) => {
    const parsed = JSON.parse(data.toString()) as unknown;
    if (Array.isArray(parsed)) {
      for (const m of parsed) onEvent(m as { type?: string; event?: EntitiesEvent });
      return;
    }
    const m = parsed as { type?: string; event?: EntitiesEvent };
    if (m.type === 'auth_required')
      socket.send(JSON.stringify({ type: 'auth', access_token: token }));
    else if (m.type === 'auth_ok')
      socket.send(JSON.stringify({ id: 1, type: 'subscribe_entities' }));
    else onEvent(m);
  });
  cleanup = () => socket.close();
}

interface EntitiesEvent {
  c?: Record<string, { '+'?: { lu?: number; lc?: number } }>;
}

// The benchmark is gone (it failed or was interrupted): so is this.
process.on('disconnect', () => process.exit(0));

process.on('message', (message: ToConsumer) => {
  switch (message.type) {
    case 'init':
      if (message.mode === 'bot') startBot(message.url, message.token, message.rules);
      else if (message.mode === 'bare') startBare(message.url, message.token);
      else void startHaws(message.url, message.token, message.entities, message.rules);
      break;
    case 'clock':
      send({ type: 'clock', sentAt: message.sentAt, consumerAt: epochMs() });
      break;
    case 'phase':
      recorder.start(message.count);
      send({ type: 'phase-ready' });
      break;
    case 'exit':
      cleanup();
      process.exit(0);
  }
});
