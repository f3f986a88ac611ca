/**
 * Where a large home's RSS goes, over time (not part of `npm run bench`): starts the fakes and
 * the bot with `entities`, and reads the bot's RSS from outside (/proc/<pid>/status, no GC
 * forced) at ready, after the scaling table's keystrokes, and every 15 s for `SETTLE_S`
 * seconds (default 60); then the memory probe's reading (heap after a full GC, V8's spaces,
 * buffers, the kernel's split of the RSS).
 *
 *   npx tsx bench/profile-memory.ts 100000
 *   PROFILE_FLAGS='--some-v8-flag' npx tsx bench/profile-memory.ts 100000
 */
import { readFileSync } from 'node:fs';
import { suggestHa } from '../tests/integration/world.js';
import { homeFakes } from './home-fakes.js';
import { spreadKeystrokes } from './home.js';
import { startProbedBot } from './processes.js';

const entities = Number(process.argv[2] ?? 100_000);
const settleS = Number(process.env.SETTLE_S ?? 60);
const fakes = await homeFakes(entities);
const started = Date.now();
// The probe's own settings (see memory-probe.ts), and glibc's malloc settings to try.
const bot = startProbedBot(
  fakes,
  Object.fromEntries(
    Object.entries(process.env).filter(
      (e): e is [string, string] => e[0].startsWith('PROBE_') || e[0].startsWith('MALLOC_'),
    ),
  ),
);
const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
try {
  const { pid } = await bot.waitForMessage('bench probe', 15_000);
  const rssNow = () => {
    const text = readFileSync(`/proc/${pid as number}/status`, 'utf8');
    const kb = (name: string) => Number(new RegExp(`${name}:\\s*(\\d+)`).exec(text)?.[1]) * 1024;
    return `rss ${mb(kb('VmRSS'))} MB (anon ${mb(kb('RssAnon'))}) peak ${mb(kb('VmHWM'))} MB`;
  };
  await Promise.all([
    bot.waitForMessage('bridge ready', 300_000),
    bot.waitForMessage('entity catalog ready', 300_000),
  ]);
  console.log(`${Date.now() - started} ms ready:`, rssNow());
  await fakes.discord.waitForCommands(10_000);
  const typed = spreadKeystrokes(fakes.home);
  for (let i = 0; i < 200; i++) {
    const h = await suggestHa(fakes.discord, 'state', 'entity', {
      entity: typed[i % typed.length]!,
    });
    await h.waitForAutocomplete(10_000);
  }
  console.log(`${Date.now() - started} ms after keystrokes:`, rssNow());
  for (let s = 15; s <= settleS; s += 15) {
    await sleep(15_000);
    console.log(`${Date.now() - started} ms (+${s} s):`, rssNow());
  }
  const from = bot.logs.length;
  process.kill(pid as number, 'SIGUSR2');
  const m = await bot.waitForMessage('bench memory', 15_000, from);
  const spaces = m.spacesBeforeGc as Record<string, { committed: number; used: number }>;
  console.log(
    `probe: rss ${mb(m.rss as number)} -> after GC ${mb(m.rssAfterGc as number)} MB; heap used ${mb(m.heapUsed as number)} MB (${((m.heapUsed as number) / 1024 / entities).toFixed(2)} KB/entity), total ${mb(m.heapTotal as number)}; external ${mb(m.external as number)} (arrayBuffers ${mb(m.arrayBuffers as number)})`,
  );
  console.log(
    'spaces before GC (committed/used MB):',
    Object.entries(spaces)
      .filter(([, s]) => s.committed > 1 << 20)
      .map(([n, s]) => `${n} ${mb(s.committed)}/${mb(s.used)}`)
      .join(', '),
  );
  console.log(
    'smaps',
    JSON.stringify(
      Object.fromEntries(
        Object.entries(m.smaps as Record<string, number>).map(([k, v]) => [k, mb(v)]),
      ),
    ),
  );
  if (process.env.PROBE_SAMPLE_MS)
    for (const l of bot.logs)
      console.log(
        l.msg === 'bench sample'
          ? `${l.ms as number} ms: rss ${mb(l.rss as number)} old ${mb(l.old as number)} large ${mb(l.large as number)} external ${mb(l.external as number)}`
          : `  ${String(l.msg)}`,
      );
  if (process.env.PROBE_TRACE_GC)
    for (const line of bot.output.split('\n'))
      if (/Mark-Compact|Mark-sweep|Mark-Sweep/.test(line)) console.log(line);
  if (process.env.SMAPS) {
    // The biggest mappings, for a closer look.
    const text = readFileSync(`/proc/${pid as number}/smaps`, 'utf8');
    const maps: { name: string; rss: number }[] = [];
    let cur = '';
    for (const line of text.split('\n')) {
      if (/^[0-9a-f]+-[0-9a-f]+ /.test(line)) cur = line;
      const r = /^Rss:\s+(\d+)/.exec(line);
      if (r) maps.push({ name: cur, rss: Number(r[1]) * 1024 });
    }
    maps.sort((a, b) => b.rss - a.rss);
    for (const x of maps.slice(0, 12)) console.log(mb(x.rss), x.name);
  }
} finally {
  await bot.stop();
  await fakes.stop();
}
