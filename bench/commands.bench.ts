import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { BotProcess } from '../tests/integration/harness.js';
import { botEnv, sendHa, startFakes } from '../tests/integration/world.js';
import { percentile } from './fixtures.js';

const EXCLUDED_WARMUP = 50;

async function measure(
  fakes: Awaited<ReturnType<typeof startFakes>>,
  count: number,
  subcommand: string,
  options: Record<string, string>,
) {
  const times: number[] = [];
  for (let i = 0; i < count + EXCLUDED_WARMUP; i++) {
    const t = performance.now();
    const handle = await sendHa(fakes.discord, subcommand, options);
    await handle.waitForReply(5000);
    if (i >= EXCLUDED_WARMUP) times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b);
}

function echoBot(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', resolve('bench/echo-bot.ts')], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((res, rej) => {
    child.stdout.on('data', (d: Buffer) => d.toString().includes('bridge ready') && res(child));
    child.once('exit', (code) => rej(new Error(`echo bot exited ${code}`)));
  });
}

/**
 * Interaction in -> reply out through the fake Discord (and the fake HA for the bot), over
 * loopback: the bot's `/ha state` and `/ha toggle` against a bare discord.js echo bot.
 */
export async function benchCommands(count = 1000) {
  const fakes = await startFakes();
  const results = [];
  try {
    const echo = await echoBot(botEnv(fakes.ha, fakes.discord));
    const baseline = await measure(fakes, count, 'state', { entity: 'sensor.temp' });
    echo.kill('SIGTERM');
    await new Promise((r) => echo.once('exit', r));
    const bot = BotProcess.start(botEnv(fakes.ha, fakes.discord, { LOG_LEVEL: 'warn' }));
    await bot.waitForMessage('bridge ready', 30_000).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 1000));
    const state = await measure(fakes, count, 'state', { entity: 'sensor.temp' });
    const toggle = await measure(fakes, count, 'toggle', { target: 'light.kitchen_light' });
    await bot.stop();
    for (const [name, times] of [
      ['/ha state', state],
      ['/ha toggle (HA call + state wait)', toggle],
    ] as const) {
      results.push({
        name: `${name}, interaction -> reply`,
        p50: percentile(times, 50),
        p99: percentile(times, 99),
        baselineP50: percentile(baseline, 50),
        baselineP99: percentile(baseline, 99),
        samples: times.length,
      });
    }
  } finally {
    await Promise.all([fakes.ha.stop(), fakes.discord.stop()]);
  }
  return results;
}
