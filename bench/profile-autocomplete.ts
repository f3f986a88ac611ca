/**
 * Where autocomplete's slow round trips come from (not part of `npm run bench`): starts the
 * fakes and the bot with `entities`, types the scaling table's keystrokes (SAMPLES, default
 * 400) and, for every round trip over SLOW_MS (default 3), prints what overlapped it: the
 * bot's garbage collections (memory probe, PROBE_GC_EVENTS) and this process's own (the
 * fakes live here).
 *
 *   npx tsx --max-semi-space-size=2 bench/profile-autocomplete.ts 50000
 */
import { PerformanceObserver, performance } from 'node:perf_hooks';
import { suggestHa } from '../tests/integration/world.js';
import { summarize } from './fixtures.js';
import { homeFakes } from './home-fakes.js';
import { keystrokes } from './home.js';
import { startProbedBot } from './processes.js';

const entities = Number(process.argv[2] ?? 50_000);
const samples = Number(process.env.SAMPLES ?? 400);
const slowMs = Number(process.env.SLOW_MS ?? 3);
interface Gc {
  at: number;
  ms: number;
  kind: string;
}
const ownGcs: Gc[] = [];
const kinds: Record<number, string> = { 1: 'minor', 2: 'major', 4: 'incremental', 8: 'weakcb' };
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    const kind = ((e as { detail?: unknown }).detail as { kind?: number } | null)?.kind ?? 0;
    ownGcs.push({
      at: performance.timeOrigin + e.startTime,
      ms: e.duration,
      kind: kinds[kind] ?? String(kind),
    });
  }
}).observe({ entryTypes: ['gc'] });

const fakes = await homeFakes(entities);
const bot = startProbedBot(fakes, { PROBE_GC_EVENTS: '1' });
try {
  await Promise.all([
    bot.waitForMessage('bridge ready', 300_000),
    bot.waitForMessage('entity catalog ready', 300_000),
  ]);
  await fakes.discord.waitForCommands(10_000);
  const home = fakes.home;
  const picks = Array.from({ length: 16 }, (_, k) => home.entities[(k * 7919) % entities]!);
  const typed = picks.flatMap((e) => keystrokes(e.attributes!.friendly_name as string));
  const warm = 20;
  const windows: { text: string; from: number; to: number; i: number }[] = [];
  for (let i = 0; i < samples + warm; i++) {
    const text = typed[i % typed.length]!;
    const from = performance.timeOrigin + performance.now();
    const h = await suggestHa(fakes.discord, 'state', 'entity', { entity: text });
    await h.waitForAutocomplete(10_000);
    const to = performance.timeOrigin + performance.now();
    if (i >= warm) windows.push({ text, from, to, i });
  }
  await new Promise((r) => setTimeout(r, 200));
  const botGcs: Gc[] = bot.logs
    .filter((l) => l.msg === 'bench gc')
    .map((l) => ({ at: l.at as number, ms: l.ms as number, kind: l.kind as string }));
  const overlapping = (gcs: Gc[], w: { from: number; to: number }) =>
    gcs.filter((g) => g.at < w.to && g.at + g.ms > w.from);
  const times = windows.map((w) => w.to - w.from);
  const s = summarize(times);
  console.log(
    `${entities} entities, ${windows.length} samples: p50 ${s.p50.toFixed(2)} p99 ${s.p99.toFixed(2)} max ${s.max.toFixed(2)} ms`,
  );
  const inWindows = (gcs: Gc[]) =>
    gcs.filter((g) => windows.some((w) => overlapping([g], w).length > 0));
  const count = (gcs: Gc[]) => {
    const by: Record<string, { n: number; ms: number }> = {};
    for (const g of gcs) {
      by[g.kind] ??= { n: 0, ms: 0 };
      by[g.kind]!.n++;
      by[g.kind]!.ms += g.ms;
    }
    return Object.entries(by)
      .map(([k, v]) => `${k} ${v.n}× ${v.ms.toFixed(1)} ms`)
      .join(', ');
  };
  console.log('bot GCs during samples:', count(inWindows(botGcs)));
  console.log('bench GCs during samples:', count(inWindows(ownGcs)));
  let slowBot = 0;
  let slowOwn = 0;
  let slowNone = 0;
  for (const w of windows) {
    const t = w.to - w.from;
    if (t < slowMs) continue;
    const b = overlapping(botGcs, w);
    const o = overlapping(ownGcs, w);
    if (b.length > 0) slowBot++;
    if (o.length > 0) slowOwn++;
    if (b.length === 0 && o.length === 0) slowNone++;
    const fmt = (gcs: Gc[]) => gcs.map((g) => `${g.kind} ${g.ms.toFixed(1)}`).join(' ');
    console.log(
      `#${w.i} ${t.toFixed(2)} ms ${JSON.stringify(w.text)} bot[${fmt(b)}] bench[${fmt(o)}]`,
    );
  }
  console.log(
    `slow (>= ${slowMs} ms): bot GC ${slowBot}, bench GC ${slowOwn}, neither ${slowNone}`,
  );
  const sorted = windows
    .map((w) => w.to - w.from)
    .filter((_, k) => {
      const w = windows[k]!;
      return overlapping(botGcs, w).length === 0 && overlapping(ownGcs, w).length === 0;
    });
  const c = summarize(sorted);
  console.log(
    `without any GC overlapping: n ${sorted.length} p50 ${c.p50.toFixed(2)} p99 ${c.p99.toFixed(2)}`,
  );
} finally {
  await bot.stop();
  await fakes.stop();
}
