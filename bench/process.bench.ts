import { botEnv } from '../tests/integration/world.js';
import { changesIn } from './burst.bench.js';
import { median } from './fixtures.js';
import { nthChange } from './home.js';
import { homeFakes } from './home-fakes.js';
import { memoryOf, probeOptions, startBot, startEcho, type Proc } from './processes.js';
import { ms, num, type Row } from './report.js';

const ENTITIES = 10_000;
/** An hour of a busy 10,000-entity home: 50 state changes a second. */
const HOUR_OF_CHANGES = 50 * 3600;
const TARGET_RSS_MB = 150;
const GROWTH_TOLERANCE_MB = 1;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mb = (n: number) => `${num(n, 1)} MB`;
const signedMb = (n: number) => `${n >= 0 ? '+' : ''}${num(n, 1)} MB`;

/** Both sides connected and the commands registered, as the bot logs them. */
async function botReady(bot: Proc): Promise<number> {
  const [ready, connected] = await Promise.all([
    bot.waitForMessage('bridge ready', 60_000),
    bot.waitForMessage('Home Assistant connected', 60_000),
  ]);
  return Math.max(ready.time as number, connected.time as number);
}

/**
 * Start-up: process start to ready, for the bot (Discord logged in, /ha registered, HA
 * connected with 10,000 entities and its registries loaded) against the echo bot (discord.js
 * logged in). Runs alternate; the median is reported.
 */
export async function benchStartup(runs: number): Promise<Row> {
  const fakes = await homeFakes(ENTITIES);
  const bot: number[] = [];
  const echo: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      let started = Date.now();
      const e = startEcho(botEnv(fakes.ha, fakes.discord));
      echo.push(((await e.waitForMessage('bridge ready', 60_000)).time as number) - started);
      await e.stop();
      started = Date.now();
      const b = startBot(botEnv(fakes.ha, fakes.discord, { LOG_LEVEL: 'info' }));
      bot.push((await botReady(b)) - started);
      await b.stop();
    }
  } finally {
    await fakes.stop();
  }
  return {
    id: 'startup',
    figure: `Start-up to ready, 10,000 entities (median of ${runs})`,
    bot: ms(median(bot)),
    baseline: ms(median(echo)),
    target: '—',
    status: 'INFO',
    baselineIs:
      'the discord.js echo bot from process start to READY (no HA, no command registration); the bot until Discord is logged in, /ha registered and HA connected (states and registries loaded)',
    values: { median: median(bot), max: Math.max(...bot), baselineMedian: median(echo), runs },
  };
}

/** Sends changes `from`..`to` of the benchmark stream through the fake HA at `rate` per second. */
async function stream(
  fakes: Awaited<ReturnType<typeof homeFakes>>,
  from: number,
  to: number,
  rate: number,
): Promise<void> {
  const started = performance.now();
  for (let i = from; i < to;) {
    const due = Math.min(to, from + Math.floor(((performance.now() - started) / 1000) * rate));
    for (; i < due; i++) {
      const c = nthChange(fakes.home, i, (id) => fakes.ha.states.get(id)?.state);
      fakes.ha.setState(c.entityId, c.state);
    }
    await sleep(5);
  }
}

/**
 * Memory: the bot with 10,000 entities after an hour's worth of state changes from the fake
 * HA, sent 60 times faster than they would come (scaled down in time, not in volume), with
 * alerts for every door and a temperature (about 1,900 in the hour). Measured half-way and at the end, each time once the stream has
 * paused for a few seconds: at 60 times the speed, the bot is still busy for a moment after
 * it, which an hour at 50 changes/s would not be. Heap is measured after a full GC.
 *
 * (With the ingest benchmark's 200 rules instead, the hour makes some 18,000 alerts: in
 * real time one message a second delivers them as they come, at 60 times the speed they
 * pile up in the outbox and the bot is busy for minutes after the stream.)
 */
export async function benchMemory(quick: boolean): Promise<Row[]> {
  const changes = quick ? HOUR_OF_CHANGES / 10 : HOUR_OF_CHANGES;
  const rate = 3000;
  // --quick only keeps the benchmark working: a shorter wait (its RSS judged in the full run).
  const settleMs = quick ? 2000 : 10_000;
  const fakes = await homeFakes(ENTITIES);
  const env = botEnv(fakes.ha, fakes.discord, {
    ALERT_ENTITIES: 'binary_sensor.*_door_*,sensor.*_temperature_1',
    // The pacing a user's bot has (the tests' bot posts every 100 ms).
    OUTBOX_MIN_INTERVAL_MS: '1000',
    LOG_LEVEL: 'info',
    HA_PING_INTERVAL_MS: '30000',
  });
  const bot = startBot({ ...env, ...probeOptions() });
  const echo = startEcho({ ...botEnv(fakes.ha, fakes.discord), ...probeOptions() });
  try {
    await Promise.all([botReady(bot), echo.waitForMessage('bridge ready', 60_000)]);
    const echoStart = await memoryOf(echo);
    const started = performance.now();
    await stream(fakes, 0, changes / 2, rate);
    await sleep(settleMs);
    const half = await memoryOf(bot);
    await stream(fakes, changes / 2, changes, rate);
    await sleep(settleMs);
    const end = await memoryOf(bot);
    const echoEnd = await memoryOf(echo);
    const tookS = (performance.now() - started) / 1000;
    const alerts = fakes.discord.messages.reduce((n, m) => n + changesIn(m), 0);
    const heapGrowth = end.heapMb - half.heapMb;
    const rssGrowth = end.rssMb - half.rssMb;
    const volume = `${num(changes)} changes${quick ? ' (quick: a tenth of an hour)' : ' (an hour at 50/s)'}`;
    return [
      {
        id: 'memory',
        figure: `Memory after ${volume}: RSS / heap`,
        bot: `${mb(end.rssMb)} / ${mb(end.heapMb)}`,
        baseline: `${mb(echoEnd.rssMb)} / ${mb(echoEnd.heapMb)}`,
        target: `RSS < ${TARGET_RSS_MB} MB`,
        status: end.rssMb < TARGET_RSS_MB ? 'PASS' : 'MISS',
        baselineIs: `the discord.js echo bot, idle on the same fake Discord. The bot: 10,000 entities, alerts for doors and a temperature (${num(alerts)} in the run), the changes at ${num(rate)}/s, measured ${settleMs / 1000} s after they stop (peak RSS ${mb(end.peakRssMb)}, young generation ${mb(end.newSpaceMb)}); heap after a full GC`,
        values: {
          rssMb: end.rssMb,
          heapMb: end.heapMb,
          peakRssMb: end.peakRssMb,
          newSpaceMb: end.newSpaceMb,
          baselineRssMb: echoEnd.rssMb,
          baselineHeapMb: echoEnd.heapMb,
          changes,
          rate,
          alerts,
          tookS,
        },
      },
      {
        id: 'memory.growth',
        figure: 'Memory growth, half-way → end: heap / RSS',
        bot: `${signedMb(heapGrowth)} / ${signedMb(rssGrowth)}`,
        baseline: `${signedMb(echoEnd.heapMb - echoStart.heapMb)} / ${signedMb(echoEnd.rssMb - echoStart.rssMb)}`,
        target: `heap ≤ +${GROWTH_TOLERANCE_MB} MB`,
        status: heapGrowth <= GROWTH_TOLERANCE_MB ? 'PASS' : 'MISS',
        baselineIs: 'the idle echo bot over the whole run (heap after a full GC)',
        values: {
          heapGrowthMb: heapGrowth,
          rssGrowthMb: rssGrowth,
          halfHeapMb: half.heapMb,
          halfRssMb: half.rssMb,
        },
      },
    ];
  } finally {
    await Promise.all([bot.stop(), echo.stop()]);
    await fakes.stop();
  }
}
