import type { RecordedMessage } from '../tests/fakes/discord/fake-discord.js';
import { ALERT_CHANNEL_ID, botEnv } from '../tests/integration/world.js';
import { homeFakes } from './home-fakes.js';
import { startBot } from './processes.js';
import { RateLimitProxy } from './rate-limit-proxy.js';
import { ms, num, type Row } from './report.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** How many changes one alert message carries: a summary says so in its title. */
export function changesIn(message: RecordedMessage): number {
  const embeds = (message.body.embeds ?? []) as { title?: string }[];
  const summary = /^(\d+) changes in the last/.exec(embeds[0]?.title ?? '');
  return summary ? Number(summary[1]) : embeds.length;
}

/**
 * Alert burst: `changes` state changes that all match a rule (`entities` binary sensors, each
 * flipping in turn) within `seconds`, through the real bot against the fake HA, and the fake
 * Discord behind Discord's per-channel limit of 5 messages per 5 s. Counts the messages,
 * the 429s, and the changes the messages account for, until every change is accounted for.
 * The baseline is a bot that posts one message per change, computed: it needs one message
 * per change, and at 5 per 5 s takes a second per change.
 */
export async function benchBurst(opts: {
  changes: number;
  seconds: number;
  entities: number;
}): Promise<Row[]> {
  const { home, ha, discord, stop } = await homeFakes(10_000);
  const proxy = new RateLimitProxy(new URL(discord.apiUrl).origin);
  await proxy.start();
  const bot = startBot(
    botEnv(ha, discord, {
      DISCORD_API_URL: proxy.apiUrl,
      ALERT_ENTITIES: 'binary_sensor.*',
      // The pacing a user's bot has (the tests' bot posts every 100 ms).
      OUTBOX_MIN_INTERVAL_MS: '1000',
      LOG_LEVEL: 'info',
      HA_PING_INTERVAL_MS: '30000',
    }),
  );
  try {
    await Promise.all([
      bot.waitForMessage('bridge ready', 60_000),
      bot.waitForMessage('Home Assistant connected', 60_000),
    ]);
    const sensors = home.ids
      .filter((id) => id.startsWith('binary_sensor.'))
      .slice(0, opts.entities);
    const alerts = () => discord.messages.filter((m) => m.channelId === ALERT_CHANNEL_ID);
    // One alert first, as a bot that has been running a while has sent: the first one after
    // start takes ~100 ms more (cold code paths), which is not what a burst costs.
    const spare = home.ids.filter((id) => id.startsWith('binary_sensor.')).at(-1)!;
    ha.setState(spare, ha.states.get(spare)?.state === 'on' ? 'off' : 'on');
    await discord.waitForMessage((m) => m.channelId === ALERT_CHANNEL_ID, 10_000);
    await sleep(2000); // past the bot's one message a second
    const before = alerts().length;
    const acceptedBefore = proxy.accepted.length;
    const started = Date.now();
    let firstChange = started;
    for (let i = 0; i < opts.changes;) {
      const due = Math.min(
        opts.changes,
        Math.floor(((Date.now() - started) / 1000 / opts.seconds) * opts.changes),
      );
      for (; i < due; i++) {
        if (i === 0) firstChange = Date.now();
        const id = sensors[i % sensors.length]!;
        ha.setState(id, ha.states.get(id)?.state === 'on' ? 'off' : 'on');
      }
      await sleep(5);
    }
    const sentS = (Date.now() - started) / 1000;
    // A message per second, each with as many changes as fit: allow twice the time that takes.
    const deadline = Date.now() + Math.max(60_000, opts.changes * 20);
    let accounted = 0;
    while (Date.now() < deadline) {
      accounted = alerts()
        .slice(before)
        .reduce((n, m) => n + changesIn(m), 0);
      if (accounted >= opts.changes) break;
      await sleep(200);
    }
    const sent = alerts().slice(before);
    // When the bot sent it: the fake Discord's own time includes checking the body.
    const firstS = ((proxy.accepted[acceptedBefore] ?? NaN) - firstChange) / 1000;
    const lastS = sent.length > 0 ? (sent[sent.length - 1]!.at - firstChange) / 1000 : NaN;
    const burst = `${num(opts.changes)} changes of ${num(sensors.length)} entities in ${num(sentS, 1)} s`;
    const perChangeIs = `a bot posting one message per change: ${num(opts.changes)} messages, at 5 per 5 s a second each`;
    return [
      {
        id: 'burst.messages',
        figure: `Alert burst (${burst}): messages / 429s`,
        bot: `${num(sent.length)} / ${num(proxy.rejected)}`,
        baseline: `${num(opts.changes)} / — (computed)`,
        target: 'no 429',
        status: proxy.rejected === 0 ? 'PASS' : 'MISS',
        baselineIs: `${perChangeIs}. Discord's limit of 5 messages per 5 s per channel is enforced in front of the fake Discord, without rate-limit headers, so only the bot's own pacing avoids 429s`,
        values: {
          messages: sent.length,
          rejected: proxy.rejected,
          baselineMessages: opts.changes,
          changes: opts.changes,
          entities: sensors.length,
          sentS,
        },
      },
      {
        id: 'burst.time',
        figure: 'Alert burst: first alert / all delivered, from the first change',
        bot: `${ms(firstS * 1000)} / ${num(lastS, 1)} s`,
        baseline: `— / ${num(opts.changes)} s (computed)`,
        target: '—',
        status: 'INFO',
        baselineIs: perChangeIs,
        values: {
          firstAlertMs: firstS * 1000,
          allDeliveredS: lastS,
          baselineAllDeliveredS: opts.changes,
        },
      },
      {
        id: 'burst.accounted',
        figure: 'Alert burst: changes accounted for in the messages',
        bot: `${num(accounted)} of ${num(opts.changes)}`,
        baseline: '—',
        target: 'all',
        status: accounted === opts.changes ? 'PASS' : 'MISS',
        baselineIs:
          'none: each summary message says how many changes it carries ("37 changes in the last 4 s"), each single alert is one',
        values: { accounted, changes: opts.changes },
      },
    ];
  } finally {
    await bot.stop();
    await proxy.stop();
    await stop();
  }
}
