/**
 * One home size, for profiling (not part of `npm run bench`): starts the fakes and the bot,
 * prints the start-up time and its steps, types 300 autocomplete keystrokes (the scaling
 * table's), sends 20 misses and prints the memory after a full GC.
 *
 *   npx tsx bench/profile-scale.ts 100000
 *   PROFILE=cpu PROFILE_DIR=/tmp/prof npx tsx bench/profile-scale.ts 100000
 *
 * PROFILE=alloc writes, in place of CPU profiles, what was allocated (garbage included) by
 * function. PROFILE=cpu writes the bot's CPU profile from its start to the end of the keystrokes, and
 * another of the misses; PROFILE=heap a heap snapshot at the end (see
 * bench/profile-preload.ts). PROFILE_FLAGS: more Node flags for the bot. RULES=200: the bot
 * runs with the bench's 200 alert rules (the scaling table's), not the doors and a sensor.
 */
import { sendHa, suggestHa } from '../tests/integration/world.js';
import { homeFakes } from './home-fakes.js';
import { spreadKeystrokes } from './home.js';
import { benchRulesEnv, memoryOf, probeOptions, startProbedBot } from './processes.js';
import { resolve } from 'node:path';

const entities = Number(process.argv[2] ?? 100_000);
const fakes = await homeFakes(entities);
probeOptions(); // compiled before the clock starts (the harness's work, not the bot's)
const rules = process.env.RULES ? benchRulesEnv(Number(process.env.RULES)) : undefined;
if (rules !== undefined) process.on('exit', rules.remove);
const started = Date.now();
const bot = startProbedBot(
  fakes,
  {
    PROFILE_DIR: resolve(process.env.PROFILE_DIR ?? '.'),
    PROFILE: process.env.PROFILE ?? '',
    ...rules?.env,
  },
  process.env.PROFILE ? ['bench/profile-preload.ts'] : [],
);
try {
  const [ready, connected] = await Promise.all([
    bot.waitForMessage('bridge ready', 300_000),
    bot.waitForMessage('entity catalog ready', 300_000),
  ]);
  console.log(
    'startup ms',
    Math.max(ready.time as number, connected.time as number) - started,
    'bot cpu ms at catalog ready',
    connected.cpuMs,
  );
  if (process.env.PROFILE === 'cpu' || process.env.PROFILE === 'alloc') {
    // The start-up's own profile (process start to ready).
    const { pid } = await bot.waitForMessage('bench probe', 15_000);
    const from = bot.logs.length;
    process.kill(pid as number, 'SIGWINCH');
    await bot.waitForMessage('profile written', 30_000, from);
  }
  if (process.env.STARTUP_ONLY) process.exit(0);
  for (const l of bot.logs)
    if (typeof l.msg === 'string' && /ready|connected|catalog|search/.test(l.msg))
      console.log((l.time as number) - started, l.msg);
  await fakes.discord.waitForCommands(10_000);
  const typed = spreadKeystrokes(fakes.home);
  const times: number[] = [];
  for (let i = 0; i < 300; i++) {
    const t = performance.now();
    const h = await suggestHa(fakes.discord, 'state', 'entity', {
      entity: typed[i % typed.length]!,
    });
    await h.waitForAutocomplete(10_000);
    times.push(performance.now() - t);
  }
  const sorted = times.slice(20).sort((a, b) => a - b);
  console.log(
    'autocomplete p50',
    sorted[Math.floor(sorted.length / 2)]!.toFixed(2),
    'p99',
    sorted[Math.floor(sorted.length * 0.99)]!.toFixed(2),
    'max',
    sorted.at(-1)!.toFixed(2),
  );
  if (process.env.PROFILE === 'cpu' || process.env.PROFILE === 'alloc') {
    const { pid } = await bot.waitForMessage('bench probe', 15_000);
    const from = bot.logs.length;
    process.kill(pid as number, 'SIGWINCH');
    await bot.waitForMessage('profile written', 30_000, from);
  }
  const slow = typed.map((q, i) => [q, times[i]] as const).filter(([, t]) => (t ?? 0) > 10);
  console.log('slow', slow.slice(0, 20));
  const miss: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t = performance.now();
    await (
      await sendHa(fakes.discord, 'state', { entity: `zqx nothing called this ${i}` })
    ).waitForReply(10_000);
    miss.push(performance.now() - t);
  }
  console.log('miss', miss.map((t) => t.toFixed(1)).join(' '));
  const m = await memoryOf(bot);
  if (process.env.PROFILE === 'cpu') {
    const { pid } = await bot.waitForMessage('bench probe', 15_000);
    const from = bot.logs.length;
    process.kill(pid as number, 'SIGWINCH');
    await bot.waitForMessage('profile written', 30_000, from);
  }
  if (process.env.PROFILE === 'heap') {
    const { pid } = await bot.waitForMessage('bench probe', 15_000);
    const from = bot.logs.length;
    process.kill(pid as number, 'SIGTTIN');
    await bot.waitForMessage('snapshot written', 120_000, from);
  }
  console.log(
    'memory',
    m.rssMb.toFixed(0),
    'MB rss',
    m.heapMb.toFixed(1),
    'MB heap',
    ((m.heapMb * 1024) / entities).toFixed(2),
    'KB/entity',
  );
} finally {
  await bot.stop();
  await fakes.stop();
}
