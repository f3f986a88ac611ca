/**
 * What history charts add to the running bot's memory: the real bot (as `npm start` starts it)
 * against the fake HA, whose recorder holds 24 h of a sensor every 30 s and 30 days of its
 * hourly statistics, draws `/ha history` charts one after another over the fake Discord while
 * this process reads the bot's RSS from /proc every few milliseconds. Extra RSS: the highest
 * reading during the charts minus the settled RSS before them (the chart thread's start, its
 * renders and the main thread's part all count; nothing is warmed up but the bot itself).
 *
 * The settled RSS is not one level: an idle bot settles at about 85 MB or at 97-108 MB. The
 * difference is glibc's: the start-up frees 12-20 MB of malloc'd memory that glibc keeps when
 * live blocks sit above it in its heap (smaps: the main heap, `[heap]`, 17-25 MB against 5;
 * or, once, the second arena 13 against 0.5 MB; malloc_info: 14-22 MB of it free chunks, and
 * malloc_trim(0) brought each such bot to 84-90 MB). The charts then reuse those free pages
 * and measure 10-16 MB less. So the figure is taken from the lower level, where the charts pay
 * for every page they touch: a bot whose idle malloc heaps hold more than IDLE_MALLOC_MB is
 * stopped and a fresh one started (at most InBotPlan.attempts), and if none settles there, the
 * baseline is lowered by the excess as if glibc had given it back.
 */
import { readFileSync } from 'node:fs';
import { waitFor } from '../tests/helpers/wait.js';
import { botEnv, sendHa, startFakes } from '../tests/integration/world.js';
import { sensorWalk } from './chart-sensor.js';
import { mallocRssMb } from './charts-malloc.js';
import { startBot } from './processes.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const SENSOR = 'sensor.temp';

export interface InBotFigures {
  /** Settled RSS before the first chart (lowered by heldMb when no bot settled low). */
  beforeMb: number;
  /** The idle bot's glibc heaps (main heap and arenas), MB of RSS. */
  idleMallocMb: number;
  /** Bots started to find one that settled at the lower level (the last one measured). */
  attempts: number;
  /** Bots the plan allowed (InBotPlan.attempts): 1 in --quick, none replaced. */
  allowed: number;
  /** Subtracted from the settled RSS when no bot settled low (0 when one did). */
  heldMb: number;
  /** Highest RSS sampled while the charts were drawn, minus beforeMb. */
  extraMb: number;
  /** Of extraMb, file-backed pages (code and data of Node and resvg's addon). */
  extraFileMb: number;
  /** Highest RSS sampled while the first chart was drawn, minus beforeMb. */
  firstMb: number;
  /** RSS `afterS` seconds after the last chart, minus beforeMb. */
  afterMb: number;
  afterS: number;
  charts: number;
}

/** A process's RSS and its file-backed part (Linux /proc), MB. */
function rssOf(pid: number): { rss: number; file: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`${name}:\\s*(\\d+)`).exec(status)?.[1] ?? NaN);
  return { rss: kb('VmRSS') / 1024, file: kb('RssFile') / 1024 };
}

const rssMb = (pid: number) => rssOf(pid).rss;

/** Bots with a larger idle malloc heap than this hold the start-up's freed memory. */
const IDLE_MALLOC_MB = 8;
/**
 * An idle bot's main heap alone holds 4-5 MB: a smaller reading missed where malloc's memory
 * is (seen once, 1.6 MB in a bot settled at 114 MB), so that bot is replaced too.
 */
const SEEN_MALLOC_MB = 3;

/**
 * How long the measure waits: bots started at most to find one settled low (the last one's
 * figure lowered by `heldMb`), seconds of RSS readings within 1 MB that count as settled,
 * and the seconds after the charts for `afterMb`. A bot of --quick's first plan (20 charts,
 * the full run's waits) took about 9 s here.
 */
export interface InBotPlan {
  attempts: number;
  settleS: number;
  afterS: number;
}
export const IN_BOT_FULL: InBotPlan = { attempts: 6, settleS: 5, afterS: 3 };
/** `--quick`, which only keeps the benchmark working: one bot, shorter waits. */
export const IN_BOT_QUICK: InBotPlan = { attempts: 1, settleS: 2, afterS: 1 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** 30 days of hourly statistics, one day missing (HA was down). */
function monthOfStatistics(now: number) {
  const rows = [];
  const start = Math.floor((now - 30 * DAY) / HOUR) * HOUR;
  for (let t = start; t < now - HOUR; t += HOUR) {
    if (t > now - 10 * DAY && t < now - 9 * DAY) continue;
    const mean = 20 + 3 * Math.sin(t / DAY);
    rows.push({ start: t, mean, min: mean - 0.5, max: mean + 0.7 });
  }
  return rows;
}

/**
 * RSS once it has stopped moving: the last `s` s of 250 ms readings within 1 MB (at most
 * `maxMs`).
 */
async function settledRss(pid: number, s: number, maxMs: number): Promise<number> {
  const readings: number[] = [];
  const window = Math.max(1, Math.round(s * 4));
  const until = Date.now() + maxMs;
  for (;;) {
    readings.push(rssMb(pid));
    const last = readings.slice(-window);
    if (last.length === window && Math.max(...last) - Math.min(...last) < 1) break;
    if (Date.now() > until) break;
    await sleep(250);
  }
  return readings.at(-1)!;
}

/** `/ha history` `rounds` times for `period` in a fresh bot; its RSS sampled from outside. */
export async function chartsInBot(
  period: '24h' | '30d',
  rounds: number,
  plan: InBotPlan,
): Promise<InBotFigures> {
  for (let attempt = 1; ; attempt++) {
    const figures = await chartsInOneBot(period, rounds, plan, attempt);
    if (figures) return figures;
  }
}

/** One fresh bot; undefined when it settled at the higher level and `last` is false. */
async function chartsInOneBot(
  period: '24h' | '30d',
  rounds: number,
  plan: InBotPlan,
  attempt: number,
): Promise<InBotFigures | undefined> {
  const last = attempt >= plan.attempts;
  const { ha, discord } = await startFakes();
  const now = Date.now();
  ha.recorder!.seed(SENSOR, sensorWalk(now, DAY));
  ha.recorder!.seedStatistics(SENSOR, monthOfStatistics(now));
  const bot = startBot(
    botEnv(ha, discord, {
      LOG_LEVEL: 'info',
      HA_PING_INTERVAL_MS: '30000',
      HA_PING_TIMEOUT_MS: '10000',
    }),
  );
  try {
    await bot.waitForMilestone('bridge.ready', 60_000);
    const pid = bot.pid!;
    // The bot as it runs between charts: commands answered, then idle until RSS holds still.
    for (let i = 0; i < 5; i++)
      await (await sendHa(discord, 'state', { entity: SENSOR })).waitForReply();
    const settledMb = await settledRss(pid, plan.settleS, 60_000);
    const idleMallocMb = mallocRssMb(readFileSync(`/proc/${pid}/smaps`, 'utf8'));
    const heldMb = Math.max(0, idleMallocMb - IDLE_MALLOC_MB);
    if ((heldMb > 0 || idleMallocMb < SEEN_MALLOC_MB) && !last) return undefined;
    const beforeMb = settledMb - heldMb;
    const beforeFileMb = rssOf(pid).file;
    let peak = { rss: beforeMb, file: beforeFileMb };
    let firstMb = 0;
    const sample = () => {
      const now = rssOf(pid);
      if (now.rss > peak.rss) peak = now;
    };
    const sampler = setInterval(sample, 5);
    try {
      for (let i = 0; i < rounds; i++) {
        if (i === 1) firstMb = peak.rss - beforeMb;
        const handle = await sendHa(discord, 'history', { entity: SENSOR, period });
        await waitFor(
          () => handle.replies.some((r) => r.status < 300 && (r.files?.length ?? 0) > 0),
          30_000,
          'a chart',
        );
      }
    } finally {
      clearInterval(sampler);
    }
    sample();
    if (rounds === 1) firstMb = peak.rss - beforeMb;
    await sleep(plan.afterS * 1000);
    return {
      beforeMb,
      idleMallocMb,
      attempts: attempt,
      allowed: plan.attempts,
      heldMb,
      extraMb: peak.rss - beforeMb,
      extraFileMb: peak.file - beforeFileMb,
      firstMb,
      afterMb: rssMb(pid) - beforeMb,
      afterS: plan.afterS,
      charts: rounds,
    };
  } finally {
    await bot.stop();
    await Promise.all([ha.stop(), discord.stop()]);
  }
}
