import type { FakeDiscord } from '../tests/fakes/discord/fake-discord.js';
import { FakeHomeAssistant } from '../tests/fakes/ha/fake-ha.js';
import { botEnv, fakeDiscord, HA_TOKEN, HOME, sendHa } from '../tests/integration/world.js';
import { summarize } from './fixtures.js';
import { startBot, startEcho } from './processes.js';
import { ms, num, p50p99, type Row } from './report.js';

const WARMUP = 50;
const TARGET_P50_MS = 2;
const TARGET_P99_MS = 10;

async function roundTrip(
  discord: FakeDiscord,
  subcommand: string,
  options: Record<string, string>,
): Promise<number> {
  const started = performance.now();
  const handle = await sendHa(discord, subcommand, options);
  await handle.waitForReply(5000);
  return performance.now() - started;
}

/**
 * Interaction in -> reply out, over loopback: the bot's `/ha state` and `/ha toggle` (through
 * the fake Discord and the fake HA) against a bare discord.js echo bot on a second fake
 * Discord. The two are interleaved one interaction at a time, so noise on the machine lands
 * on both alike; what the bot adds is the difference of the percentiles.
 */
export async function benchCommands(count: number): Promise<Row[]> {
  const ha = new FakeHomeAssistant({ token: HA_TOKEN, ...HOME });
  const forBot = fakeDiscord();
  const forEcho = fakeDiscord();
  await Promise.all([ha.start(), forBot.start(), forEcho.start()]);
  const bot = startBot(botEnv(ha, forBot, { LOG_LEVEL: 'info', HA_PING_INTERVAL_MS: '30000' }));
  const echo = startEcho(botEnv(ha, forEcho));
  try {
    await Promise.all([
      bot.waitForMessage('bridge ready', 30_000),
      echo.waitForMessage('bridge ready', 30_000),
    ]);
    await forBot.waitForCommands(10_000);
    const samples = { echo: [] as number[], state: [] as number[], toggle: [] as number[] };
    const state = () => roundTrip(forBot, 'state', { entity: 'sensor.temp' });
    const toggle = () => roundTrip(forBot, 'toggle', { target: 'light.kitchen_light' });
    const baseline = () => roundTrip(forEcho, 'state', { entity: 'sensor.temp' });
    for (let i = 0; i < count + WARMUP; i++) {
      const keep = i >= WARMUP;
      // Alternate which goes first, so neither always follows the other.
      const order =
        i % 2 === 0
          ? (['echo', 'state', 'echo', 'toggle'] as const)
          : (['state', 'echo', 'toggle', 'echo'] as const);
      for (const kind of order) {
        const t = await (kind === 'echo' ? baseline() : kind === 'state' ? state() : toggle());
        if (keep) samples[kind].push(t);
      }
    }
    const base = summarize(samples.echo);
    const rows: Row[] = [];
    for (const [kind, label] of [
      ['state', '/ha state'],
      ['toggle', '/ha toggle (HA call + state change)'],
    ] as const) {
      const s = summarize(samples[kind]);
      const addedP50 = s.p50 - base.p50;
      const addedP99 = s.p99 - base.p99;
      rows.push({
        id: `commands.${kind}`,
        figure: `${label}: interaction → reply, p50 / p99`,
        bot: p50p99(s.p50, s.p99),
        baseline: `${p50p99(base.p50, base.p99)} (bot adds ${ms(addedP50)} / ${ms(addedP99)})`,
        target: `adds < ${TARGET_P50_MS} / < ${TARGET_P99_MS} ms`,
        status: addedP50 < TARGET_P50_MS && addedP99 < TARGET_P99_MS ? 'PASS' : 'MISS',
        baselineIs: `a minimal discord.js bot (bench/echo-bot.ts) answering every command with a fixed embed, on its own fake Discord; ${num(count)} interactions each, the two in turn`,
        values: {
          p50: s.p50,
          p99: s.p99,
          baselineP50: base.p50,
          baselineP99: base.p99,
          addedP50,
          addedP99,
          samples: s.n,
        },
      });
    }
    return rows;
  } finally {
    await Promise.all([bot.stop(), echo.stop()]);
    await Promise.all([ha.stop(), forBot.stop(), forEcho.stop()]);
  }
}
