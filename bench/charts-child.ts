/**
 * One chart benchmark in a process of its own (so its peak RSS is its own): renders a chart
 * from HA's answer text to PNG `rounds` times, the bot's way (its renderer and worker thread),
 * and prints {p50, p99 (CPU ms of this process, the renderer's thread included), wallP50,
 * wallP99, extraRssMb, loopMaxMs: the main thread's longest block, e.g. building an SVG} as
 * JSON.
 * argv: scenario (day | month), mode (bot | baseline), rounds.
 */
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { loadChart, type HistoryPort } from '../src/charts/load.js';
import { createChartRenderer } from '../src/charts/png.js';
import { renderChartSvg } from '../src/charts/svg.js';
import type { ChartData, NumericStep } from '../src/charts/series.js';
import { stateChanges, statistics } from '../src/ha/history.js';
import { sensorWalk } from './chart-sensor.js';
import { summarize } from './fixtures.js';

const [scenario = 'day', mode = 'bot', roundsText = '50'] = process.argv.slice(2);
const rounds = Number(roundsText);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const now = Date.UTC(2026, 11, 1, 6, 0);

function peakRss(): number {
  const kb = /VmHWM:\s*(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
  return kb === undefined ? process.memoryUsage().rss : Number(kb) * 1024;
}

/** HA's answer as the bytes it sends: history rows every 30 s, one hour unavailable. */
function historyText(periodMs: number): string {
  const rows = sensorWalk(now, periodMs).map(({ state, at }) => ({ s: state, lu: at / 1000 }));
  return JSON.stringify({ 'sensor.nursery': rows });
}

/** Hourly statistics, one day missing (HA was down). */
function statisticsText(periodMs: number): string {
  const rows: Record<string, number>[] = [];
  for (let t = now - periodMs; t < now; t += HOUR) {
    if (t > now - 10 * DAY && t < now - 9 * DAY) continue;
    const mean = 20 + 3 * Math.sin(t / DAY);
    rows.push({ start: t, end: t + HOUR, mean, min: mean - 0.5, max: mean + 0.7 });
  }
  return JSON.stringify({ 'sensor.nursery': rows });
}

const periodMs = scenario === 'day' ? DAY : 30 * DAY;
// The baseline of a month draws 30 days of raw history point by point.
const text =
  scenario === 'month' && mode === 'bot' ? statisticsText(periodMs) : historyText(periodMs);
const ha = { command: <T>() => Promise.resolve(JSON.parse(text) as T) };
const port: HistoryPort = {
  stateChanges: (ids, s, e) => stateChanges(ha, ids, s, e),
  statistics: (ids, s, e, p) => statistics(ha, ids, s, e, p),
  timeZone: () => Promise.resolve('Europe/Amsterdam'),
};
const entity = { entityId: 'sensor.nursery', label: 'Nursery temperature', unit: '°C' };

async function chartData(): Promise<ChartData> {
  if (mode === 'bot') {
    const got = await loadChart(
      port,
      [entity],
      periodMs,
      now,
      scenario === 'day' ? '24 h' : '30 d',
    );
    if (!got.ok) throw new Error(got.reason);
    return got.data;
  }
  // Baseline: every row drawn, no downsampling.
  const raw = await stateChanges(ha, [entity.entityId], now - periodMs, now);
  const steps: NumericStep[] = (raw?.states.get(entity.entityId) ?? []).map((s) => ({
    t: s.t,
    v: Number.isFinite(Number(s.state)) ? Number(s.state) : null,
  }));
  return {
    start: now - periodMs,
    end: now,
    source: 'history',
    timeZone: 'Europe/Amsterdam',
    periodText: scenario,
    series: [{ kind: 'numeric', ...entity, steps }],
  };
}

// The bot's renderer (its worker thread starts with the first chart: its memory counts).
const renderer = createChartRenderer();
const gc = (globalThis as { gc?: () => void }).gc;
gc?.();
const before = process.memoryUsage().rss;
const startPeak = peakRss();
let sampled = before;
// The bot keeps serving while a chart is drawn: its event loop's longest wait.
const loop = monitorEventLoopDelay({ resolution: 5 });
loop.enable();
/** CPU time of the whole process (resvg renders on libuv's threads): the work, not the wait. */
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
const cpu: number[] = [];
const wall: number[] = [];
for (let i = 0; i < rounds + 3; i++) {
  const t = performance.now();
  const c = cpuMs();
  const png = await renderer.png(renderChartSvg(await chartData()).svg);
  const [cpuElapsed, wallElapsed] = [cpuMs() - c, performance.now() - t];
  if (png.length < 1000) throw new Error('blank chart');
  sampled = Math.max(sampled, process.memoryUsage().rss);
  if (i >= 3) {
    cpu.push(cpuElapsed);
    wall.push(wallElapsed);
  }
}
const { p50, p99 } = summarize(cpu);
const { p50: wallP50, p99: wallP99 } = summarize(wall);
const peak = Math.max(sampled, peakRss() > startPeak ? peakRss() : 0);
loop.disable();
await renderer.close();
process.stdout.write(
  JSON.stringify({
    p50,
    p99,
    wallP50,
    wallP99,
    extraRssMb: (peak - before) / 1024 / 1024,
    loopMaxMs: loop.max / 1e6,
    n: cpu.length,
  }),
);
