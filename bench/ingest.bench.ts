import { fork, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { startNodeFlags } from '../tests/helpers/node-flags.js';
import type { FakeHomeAssistant } from '../tests/fakes/ha/fake-ha.js';
import {
  entitiesSubscriptionId,
  renderStateChanges,
  type StreamedChange,
} from '../tests/fakes/ha/stream.js';
import { median } from './fixtures.js';
import { benchHa } from './home-fakes.js';
import { benchHome, nthChange, type BenchHome } from './home.js';
import type { ConsumerMode, FromConsumer, PhaseResult, ToConsumer } from './ingest-consumer.js';
import { ms, num, p50p99, type Row } from './report.js';

const TOKEN = 'bench-ha-token';
const FRAME = 500;
/** The paced phase's rate. */
const TARGET_RATE = 50_000;
/** Cold ingest (the first 50,000 changes after start) at 10,000 entities. */
const COLD_TARGET = 150_000;
/** Two orders of magnitude above the baseline. */
const TARGET_RATIO = 100;
const TARGET_P99_MS = 20;
/**
 * The warm changes go in this many floods, and each side's warm rate is its best flood: on
 * a shared machine another process can only slow a flood down, and one slowed flood of
 * either side swung the ratio to the ceiling by ±10 points.
 */
const WARM_ROUNDS = 3;

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

  static start(mode: ConsumerMode, url: string, entities: number, rules: number): Consumer {
    const child = fork(resolve('bench/ingest-consumer.ts'), [], {
      // Both consumers run with the bot's Node flags (`npm start`'s): only the code differs.
      execArgv: [
        ...startNodeFlags(),
        // More Node flags for the consumers, e.g. INGEST_FLAGS=--cpu-prof to profile them.
        ...(process.env.INGEST_FLAGS ?? '').split(/\s+/).filter(Boolean),
        '--import',
        'tsx',
      ],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const consumer = new Consumer(child);
    consumer.send({ type: 'init', mode, url, token: TOKEN, entities, rules });
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

/** One flood: `count` changes sent at once; from the first frame sent to the last decision. */
interface Flood {
  count: number;
  /** From the moment the first frame was sent (before the first decision) to the last decision. */
  fromSendMs: number;
  firings: number;
  /** The consumer's CPU time for the flood (all its threads). */
  cpuMs: number;
}

interface ConsumerResult {
  floods: Flood[];
  latency?: PhaseResult & { offeredRate: number; offsetMs: number };
}

/** CPU µs per change over these floods (the consumer's CPU time, all its threads). */
const cpuUsOf = (floods: readonly Flood[]) =>
  (floods.reduce((t, f) => t + f.cpuMs, 0) * 1000) / floods.reduce((n, f) => n + f.count, 0);

const rateOf = (floods: readonly Flood[]) =>
  (floods.reduce((n, f) => n + f.count, 0) / floods.reduce((t, f) => t + f.fromSendMs, 0)) * 1000;

/**
 * Runs one consumer on a fresh connection to the fake HA: floods (each `count` changes sent
 * at once, the next after the last is decided: how many per second it absorbs, timed from
 * the first frame sent, so the time before the first decision counts), then optionally a
 * paced phase (changes sent at `rate` per second, each stamped as it leaves: how long from
 * there to the decision).
 */
async function runConsumer(
  ha: FakeHomeAssistant,
  home: BenchHome,
  mode: ConsumerMode,
  rules: number,
  plan: { floods: number[]; paced?: { rate: (floodRate: number) => number; seconds: number } },
): Promise<ConsumerResult> {
  const consumer = Consumer.start(mode, ha.url, home.ids.length, rules);
  try {
    await consumer.next('ready', 300_000);
    const offsetMs = await consumer.clockOffset();
    const subscription = entitiesSubscriptionId(ha.received);
    if (subscription === undefined) throw new Error('ingest: no subscribe_entities seen');
    const stream = new Stream(home);

    const floods: Flood[] = [];
    for (const count of plan.floods) {
      consumer.send({ type: 'phase', count });
      await consumer.next('phase-ready', 5000);
      const frames: string[] = [];
      for (let sent = 0; sent < count; sent += FRAME) {
        frames.push(renderStateChanges(subscription, stream.take(Math.min(FRAME, count - sent))));
      }
      const sentAt = epochMs();
      for (const frame of frames) ha.sendRaw(frame);
      const done = await consumer.next('phase-done', 600_000);
      floods.push({
        count: done.count,
        fromSendMs: done.lastAt - offsetMs - sentAt,
        firings: done.firings,
        cpuMs: done.cpuMs,
      });
      await sleep(200);
    }
    if (plan.paced === undefined) return { floods };

    await sleep(300);
    const offered = plan.paced.rate(rateOf(floods));
    const count = Math.round(offered * plan.paced.seconds);
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
    return { floods, latency: { ...latency, offeredRate, offsetMs } };
  } finally {
    await consumer.stop();
  }
}

export interface IngestPlan {
  entities: number;
  rules: number;
  /** Changes every consumer gets first (haws included): the like-for-like comparison. */
  same: number;
  /** The first changes after start, counted as cold (includes `same`). */
  cold: number;
  /** Changes per warm flood (WARM_ROUNDS of them after the cold ones): the warm rate. */
  warm: number;
  /** haws too (it needs a second per few hundred changes at 10,000 entities). */
  haws: boolean;
  /** The paced latency phase, seconds (0: none). */
  pacedSeconds: number;
  /**
   * Process starts each side's cold floods are timed in (the first is the full run's; the
   * others run the cold floods alone): the cold figures are each side's median. One start's
   * cold rate moved by a third from one start to the next on a shared 2-core machine
   * (104,148-184,326/s, the same code, 8 starts).
   */
  coldStarts: number;
  /**
   * The targets are a stretch here, not issue 15's: its ingest targets are judged at the
   * bench's 200 rules (as its audit measured them); at 2,000 rules its target is cold rule
   * matching (rules.bench.ts). The rows say so beside the target.
   */
  stretch?: boolean;
}

/**
 * HA ingest: the bot's HA side (its own HaClient, EntityStore, alert rules and SQLite outbox,
 * in a process of its own) against haws' `subscribeEntities` and against a bare `ws` client
 * that only parses the frames (the ceiling), all fed the same stream of state changes by the
 * fake HA over a real websocket on 127.0.0.1.
 */
export async function benchIngest(plan: IngestPlan): Promise<Row[]> {
  const home = benchHome(plan.entities);
  const ha = benchHa(home, TOKEN);
  await ha.start();
  const size = `${num(plan.entities)} entities, ${num(plan.rules)} rules`;
  const key = `${plan.entities / 1000}k.${plan.rules}`;
  try {
    const floods = [
      plan.same,
      plan.cold - plan.same,
      ...Array.from({ length: WARM_ROUNDS }, () => plan.warm),
    ];
    const paced =
      plan.pacedSeconds > 0 ? { rate: () => TARGET_RATE, seconds: plan.pacedSeconds } : undefined;
    const bot = await runConsumer(ha, home, 'bot', plan.rules, { floods, paced });
    const bare = await runConsumer(ha, home, 'bare', plan.rules, { floods });
    const haws = plan.haws
      ? await runConsumer(ha, home, 'haws', plan.rules, {
          floods: [plan.same],
          paced: {
            // It cannot keep up with the bot's rate; half of what it managed keeps it in its stride.
            rate: (floodRate) => Math.max(10, Math.floor(floodRate / 2)),
            seconds: plan.pacedSeconds,
          },
        })
      : undefined;
    const colds = [{ bot: bot.floods.slice(0, 2), bare: bare.floods.slice(0, 2) }];
    for (let i = 1; i < plan.coldStarts; i++) {
      const again = { floods: floods.slice(0, 2) };
      colds.push({
        bot: (await runConsumer(ha, home, 'bot', plan.rules, again)).floods,
        bare: (await runConsumer(ha, home, 'bare', plan.rules, again)).floods,
      });
    }
    const coldRates = colds.map((c) => rateOf(c.bot));
    const same = rateOf(bot.floods.slice(0, 1));
    const cold = median(coldRates);
    const best = (fs: readonly Flood[]) => Math.max(...fs.map((f) => rateOf([f])));
    const warm = best(bot.floods.slice(2));
    // CPU per change: less swayed than the rates when other processes share the cores.
    const leastCpu = (fs: readonly Flood[]) => Math.min(...fs.map((f) => cpuUsOf([f])));
    const cpu = {
      cold: median(colds.map((c) => cpuUsOf(c.bot))),
      warm: leastCpu(bot.floods.slice(2)),
      ceilingCold: median(colds.map((c) => cpuUsOf(c.bare))),
      ceilingWarm: leastCpu(bare.floods.slice(2)),
    };
    const ceiling = {
      same: rateOf(bare.floods.slice(0, 1)),
      cold: median(colds.map((c) => rateOf(c.bare))),
      warm: best(bare.floods.slice(2)),
    };
    const pct = (a: number, b: number) => `${num((100 * a) / b)}% of it`;
    const rows: Row[] = [];
    if (haws !== undefined) {
      const hawsRate = rateOf(haws.floods);
      rows.push({
        id: `ingest.same.${key}`,
        figure: `HA ingest, the first ${num(plan.same)} changes after start: changes/s (${size})`,
        bot: `${num(same)}/s`,
        baseline: `${num(hawsRate)}/s (×${num(same / hawsRate)})`,
        ceiling: `${num(ceiling.same)}/s`,
        target: `≥ ×${TARGET_RATIO}`,
        status: same >= TARGET_RATIO * hawsRate ? 'PASS' : 'MISS',
        baselineIs: `haws subscribeEntities + the same rule engine; all three fed the same first ${num(plan.same)} changes, all sent at once, timed from the first frame sent to the last decision`,
        values: { rate: same, baselineRate: hawsRate, ceiling: ceiling.same, changes: plan.same },
      });
    }
    // The issue's targets: cold at 10,000 entities, warm at 10,000 and 100,000 (the other
    // sizes are for the scaling table).
    const coldTarget = plan.entities === 10_000 ? COLD_TARGET : undefined;
    const warmJudged = plan.entities === 10_000 || plan.entities === 100_000;
    const stretch = plan.stretch === true ? 'stretch: ' : '';
    rows.push(
      {
        id: `ingest.cold.${key}`,
        figure: `HA ingest, cold (the first ${num(plan.cold)} changes after start${colds.length > 1 ? `, median of ${colds.length} starts` : ''}): changes/s (${size})`,
        bot: `${num(cold)}/s`,
        baseline: '',
        ceiling: `${num(ceiling.cold)}/s (${pct(cold, ceiling.cold)})`,
        target: coldTarget ? `${stretch}≥ ${num(coldTarget)}/s` : '',
        status: coldTarget ? (cold >= coldTarget ? 'PASS' : 'MISS') : 'INFO',
        baselineIs: `ceiling: a bare ws client that only JSON.parses the same frames; the bot writes every alert to its SQLite outbox and counts every change in its metrics; ${num(bot.floods[0]!.firings + bot.floods[1]!.firings)} alerts${colds.length > 1 ? `; each side's median of ${colds.length} process starts (the bot's: ${coldRates.map((r) => `${num(r)}/s`).join(', ')})` : ''}`,
        values: {
          rate: cold,
          starts: colds.length,
          ceiling: ceiling.cold,
          changes: plan.cold,
          cpuUsPerChange: cpu.cold,
          ceilingCpuUsPerChange: cpu.ceilingCold,
        },
      },
      {
        id: `ingest.warm.${key}`,
        figure: `HA ingest, warm (the next ${WARM_ROUNDS} floods of ${num(plan.warm)}, the best): changes/s (${size})`,
        bot: `${num(warm)}/s`,
        baseline: '',
        ceiling: `${num(ceiling.warm)}/s (${pct(warm, ceiling.warm)})`,
        target: warmJudged ? `${stretch}≥ 50% of the ceiling` : '',
        status: warmJudged ? (warm >= ceiling.warm / 2 ? 'PASS' : 'MISS') : 'INFO',
        baselineIs: `ceiling as above, after the same cold changes; each side's best of ${WARM_ROUNDS} floods; ${num(bot.floods.slice(2).reduce((n, f) => n + f.firings, 0))} alerts`,
        values: {
          rate: warm,
          ceiling: ceiling.warm,
          changes: plan.warm,
          cpuUsPerChange: cpu.warm,
          ceilingCpuUsPerChange: cpu.ceilingWarm,
        },
      },
    );
    if (bot.latency !== undefined) {
      const lat = (r: NonNullable<ConsumerResult['latency']>) => ({
        p50: r.latency.p50 - r.offsetMs,
        p99: r.latency.p99 - r.offsetMs,
        max: r.latency.max - r.offsetMs,
      });
      const botLat = lat(bot.latency);
      const hawsLat = haws?.latency ? lat(haws.latency) : undefined;
      rows.push({
        id: `ingest.latency.${key}`,
        figure: `HA ingest: event → rule decision at ${num(bot.latency.offeredRate)}/s, p50 / p99 (${size})`,
        bot: p50p99(botLat.p50, botLat.p99),
        baseline: hawsLat
          ? `${p50p99(hawsLat.p50, hawsLat.p99)} at ${num(haws!.latency!.offeredRate)}/s`
          : '',
        target: `p99 < ${TARGET_P99_MS} ms`,
        status: botLat.p99 < TARGET_P99_MS ? 'PASS' : 'MISS',
        baselineIs: `haws subscribeEntities paced at half the rate it absorbed (it cannot sustain the bot's); latency from the time the fake HA stamped on a change to the rules' decision, max ${ms(botLat.max)} (bot)${hawsLat ? ` / ${ms(hawsLat.max)} (haws)` : ''}`,
        values: {
          p50: botLat.p50,
          p99: botLat.p99,
          max: botLat.max,
          offeredRate: bot.latency.offeredRate,
          changes: bot.latency.count,
          ...(hawsLat ? { baselineP50: hawsLat.p50, baselineP99: hawsLat.p99 } : {}),
          clockOffsetMs: bot.latency.offsetMs,
        },
      });
    }
    return rows;
  } finally {
    await ha.stop();
  }
}
