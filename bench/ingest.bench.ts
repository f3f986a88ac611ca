import { fork, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { startNodeFlags } from '../tests/helpers/node-flags.js';
import type { FakeHomeAssistant } from '../tests/fakes/ha/fake-ha.js';
import {
  entitiesSubscriptionId,
  renderStateChanges,
  type StreamedChange,
} from '../tests/fakes/ha/stream.js';
import { benchHa } from './home-fakes.js';
import { benchHome, nthChange, type BenchHome } from './home.js';
import type { ConsumerMode, FromConsumer, PhaseResult, ToConsumer } from './ingest-consumer.js';
import { ms, num, p50p99, type Row } from './report.js';

const TOKEN = 'bench-ha-token';
const ENTITIES = 10_000;
const FRAME = 500;
const TARGET_RATE = 50_000;
/** Two orders of magnitude above the baseline. */
const TARGET_RATIO = 100;
const TARGET_P99_MS = 20;

const epochMs = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The benchmark's side of one consumer process: its messages, in order, awaited by type. */
class Consumer {
  private readonly inbox: FromConsumer[] = [];
  private wake: (() => void) | undefined;
  private readonly exited: Promise<unknown>;

  constructor(private readonly child: ChildProcess) {
    child.on('message', (m: FromConsumer) => {
      this.inbox.push(m);
      this.wake?.();
    });
    this.exited = new Promise((r) => child.once('exit', r));
  }

  static start(mode: ConsumerMode, url: string): Consumer {
    const child = fork(resolve('bench/ingest-consumer.ts'), [], {
      // Both consumers run with the bot's Node flags (`npm start`'s): only the code differs.
      execArgv: [...startNodeFlags(), '--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const consumer = new Consumer(child);
    consumer.send({ type: 'init', mode, url, token: TOKEN, entities: ENTITIES });
    return consumer;
  }

  send(message: ToConsumer): void {
    this.child.send(message);
  }

  async next<T extends FromConsumer['type']>(
    type: T,
    timeoutMs: number,
  ): Promise<Extract<FromConsumer, { type: T }>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = this.inbox.findIndex((m) => m.type === type);
      if (i >= 0) return this.inbox.splice(i, 1)[0] as Extract<FromConsumer, { type: T }>;
      if (Date.now() > deadline || this.child.exitCode !== null)
        throw new Error(`ingest consumer: no '${type}' within ${timeoutMs} ms`);
      await new Promise<void>((r) => {
        this.wake = r;
        setTimeout(r, 100);
      });
    }
  }

  /**
   * How far the consumer's clock is ahead of ours (both are the wall clock, read in different
   * processes): from the quickest of several round trips.
   */
  async clockOffset(): Promise<number> {
    let best = { rtt: Infinity, offset: 0 };
    for (let i = 0; i < 30; i++) {
      this.send({ type: 'clock', sentAt: epochMs() });
      const { sentAt, consumerAt } = await this.next('clock', 5000);
      const rtt = epochMs() - sentAt;
      if (rtt < best.rtt) best = { rtt, offset: consumerAt - (sentAt + rtt / 2) };
    }
    return best.offset;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null) this.send({ type: 'exit' });
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await this.exited;
    clearTimeout(timer);
  }
}

/** The benchmark stream: the same sequence of changes for every consumer. */
class Stream {
  private i = 0;
  private readonly current: Map<string, string>;

  constructor(private readonly home: BenchHome) {
    this.current = new Map(home.entities.map((e) => [e.entity_id, e.state]));
  }

  take(n: number): StreamedChange[] {
    const out: StreamedChange[] = [];
    for (let k = 0; k < n; k++) {
      const change = nthChange(this.home, this.i++, (id) => this.current.get(id));
      this.current.set(change.entityId, change.state);
      out.push(change);
    }
    return out;
  }
}

interface ConsumerResult {
  rate: number;
  flood: PhaseResult;
  latency: PhaseResult & { offeredRate: number; offsetMs: number };
}

/**
 * Runs one consumer through both phases on a fresh connection to the fake HA:
 * flood (all changes sent at once: how many per second it absorbs) and paced (changes sent
 * at `rate` per second, each stamped as it leaves: how long from there to the decision).
 */
async function runConsumer(
  ha: FakeHomeAssistant,
  home: BenchHome,
  mode: ConsumerMode,
  plan: { flood: number; rate: (floodRate: number) => number; seconds: number },
): Promise<ConsumerResult> {
  const consumer = Consumer.start(mode, ha.url);
  try {
    await consumer.next('ready', 60_000);
    const offsetMs = await consumer.clockOffset();
    const subscription = entitiesSubscriptionId(ha.received);
    if (subscription === undefined) throw new Error('ingest: no subscribe_entities seen');
    const stream = new Stream(home);

    consumer.send({ type: 'phase', count: plan.flood });
    await consumer.next('phase-ready', 5000);
    const frames: string[] = [];
    for (let sent = 0; sent < plan.flood; sent += FRAME) {
      frames.push(
        renderStateChanges(subscription, stream.take(Math.min(FRAME, plan.flood - sent))),
      );
    }
    for (const frame of frames) ha.sendRaw(frame);
    const flood = await consumer.next('phase-done', 600_000);
    const rate = ((flood.count - 1) / flood.durationMs) * 1000;

    await sleep(500);
    const offered = plan.rate(rate);
    const count = Math.round(offered * plan.seconds);
    consumer.send({ type: 'phase', count });
    await consumer.next('phase-ready', 5000);
    const started = performance.now();
    let sent = 0;
    while (sent < count) {
      const due = Math.min(count, Math.floor(((performance.now() - started) / 1000) * offered));
      if (due > sent) {
        ha.sendRaw(renderStateChanges(subscription, stream.take(due - sent)));
        sent = due;
      }
      await sleep(0);
    }
    const offeredRate = count / ((performance.now() - started) / 1000);
    const latency = await consumer.next('phase-done', 120_000);
    return { rate, flood, latency: { ...latency, offeredRate, offsetMs } };
  } finally {
    await consumer.stop();
  }
}

/**
 * HA ingest: the bot's HA side (its own HaClient, EntityStore and alert rules, in a process
 * of its own) against haws' `subscribeEntities`, both fed the same stream of state changes
 * by the fake HA over a real websocket on 127.0.0.1: 10,000 entities, 200 rules.
 */
export async function benchIngest(quick: boolean): Promise<Row[]> {
  const home = benchHome(ENTITIES);
  const ha = benchHa(home, TOKEN);
  await ha.start();
  try {
    const bot = await runConsumer(ha, home, 'bot', {
      flood: quick ? 50_000 : 200_000,
      rate: () => TARGET_RATE,
      seconds: quick ? 1 : 3,
    });
    const haws = await runConsumer(ha, home, 'haws', {
      flood: quick ? 500 : 2000,
      // It cannot keep up with the bot's rate; half of what it managed keeps it in its stride.
      rate: (floodRate) => Math.max(10, Math.floor(floodRate / 2)),
      seconds: quick ? 2 : 5,
    });
    const lat = (r: ConsumerResult) => ({
      p50: r.latency.latency.p50 - r.latency.offsetMs,
      p99: r.latency.latency.p99 - r.latency.offsetMs,
      max: r.latency.latency.max - r.latency.offsetMs,
    });
    const botLat = lat(bot);
    const hawsLat = lat(haws);
    return [
      {
        id: 'ingest.rate',
        figure: 'HA ingest: changes/s (10,000 entities, 200 rules)',
        bot: `${num(bot.rate)}/s`,
        baseline: `${num(haws.rate)}/s (×${num(bot.rate / haws.rate)})`,
        target: `≥ ${num(TARGET_RATE)}/s, ≥ ×${TARGET_RATIO}`,
        status: bot.rate >= TARGET_RATE && bot.rate >= TARGET_RATIO * haws.rate ? 'PASS' : 'MISS',
        baselineIs: `haws subscribeEntities + the same rule engine, fed the first ${num(haws.flood.count)} changes of the same stream (the bot gets ${num(bot.flood.count)}), all sent at once`,
        values: {
          rate: bot.rate,
          baselineRate: haws.rate,
          changes: bot.flood.count,
          baselineChanges: haws.flood.count,
          firings: bot.flood.firings,
        },
      },
      {
        id: 'ingest.latency',
        figure: `HA ingest: event → rule decision at ${num(bot.latency.offeredRate)}/s, p50 / p99`,
        bot: p50p99(botLat.p50, botLat.p99),
        baseline: `${p50p99(hawsLat.p50, hawsLat.p99)} at ${num(haws.latency.offeredRate)}/s`,
        target: `p99 < ${TARGET_P99_MS} ms`,
        status: botLat.p99 < TARGET_P99_MS ? 'PASS' : 'MISS',
        baselineIs: `haws subscribeEntities paced at half the rate it absorbed (it cannot sustain the bot's); latency from the time the fake HA stamped on a change to the rules' decision, max ${ms(botLat.max)} (bot) / ${ms(hawsLat.max)} (haws)`,
        values: {
          p50: botLat.p50,
          p99: botLat.p99,
          max: botLat.max,
          offeredRate: bot.latency.offeredRate,
          changes: bot.latency.count,
          baselineP50: hawsLat.p50,
          baselineP99: hawsLat.p99,
          baselineOfferedRate: haws.latency.offeredRate,
          clockOffsetMs: bot.latency.offsetMs,
        },
      },
    ];
  } finally {
    await ha.stop();
  }
}
