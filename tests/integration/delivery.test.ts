import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '../helpers/wait.js';
import { BotProcess } from './harness.js';
import {
  ALERT_CHANNEL_ID,
  alertsDrained,
  botEnv,
  expectDiscordRulesKept,
  startFakes,
  configFile,
} from './world.js';

type Fakes = Awaited<ReturnType<typeof startFakes>>;

const RULES = `
alerts:
  rules:
    - name: doors
      entities: ["binary_sensor.*_door"]
    - name: hot
      entities: [sensor.temp]
      above: 25
      hysteresis: 0.5
`;

const alertMessages = (f: Fakes) =>
  f.discord.messages.filter((m) => m.channelId === ALERT_CHANNEL_ID);

/** How many changes a message accounts for: one per single embed, or the "(n changes)" counts. */
function changesIn(raw: unknown, entityName: string): number {
  const body = raw as { embeds?: { title?: string; description?: string }[] };
  let n = 0;
  for (const e of body.embeds ?? []) {
    if (/^\d+ changes in the last/.test(e.title ?? '')) {
      for (const line of (e.description ?? '').split('\n')) {
        if (!line.includes(entityName)) continue;
        const m = /\((\d+) changes\)/.exec(line);
        n += m ? Number(m[1]) : 1;
      }
    } else if ((e.title ?? '').startsWith(`${entityName}:`)) n += 1;
  }
  return n;
}

async function startBot(f: Fakes, extra: Record<string, string> = {}) {
  const bot = BotProcess.start(botEnv(f.ha, f.discord, extra));
  await bot.waitForMilestone('bridge.ready');
  await bot.waitForMilestone('ha.connected');
  return bot;
}

describe('alert delivery that loses nothing', () => {
  let fakes: Fakes;
  let bot: BotProcess | undefined;

  beforeEach(async () => {
    fakes = await startFakes();
  });
  afterEach(async () => {
    await bot?.stop();
    bot = undefined;
    expectDiscordRulesKept(fakes.discord);
    await Promise.all([fakes.ha.stop(), fakes.discord.stop()]);
  });

  it('coalesces a burst of 1,000 changes in a second, every change accounted for, no 429', async () => {
    // The real pacing (the default): one message a second per channel.
    bot = await startBot(fakes, { ALERT_ENTITIES: 'sensor.temp', OUTBOX_MIN_INTERVAL_MS: '1000' });
    const started = Date.now();
    for (let i = 1; i <= 1000; i++) {
      fakes.ha.setState('sensor.temp', String(i));
      if (i % 100 === 0) await new Promise((r) => setTimeout(r, 90));
    }
    const burstMs = Date.now() - started;
    await waitFor(
      () => alertMessages(fakes).reduce((n, m) => n + changesIn(m.body, 'Temperature'), 0) >= 1000,
      20_000,
      'all 1000 changes',
    );
    const messages = alertMessages(fakes);
    expect(messages.reduce((n, m) => n + changesIn(m.body, 'Temperature'), 0)).toBe(1000);
    // One message per second per channel at most: the burst (about 1 s) fits in a handful.
    expect(messages.length).toBeLessThanOrEqual(Math.ceil(burstMs / 1000) + 4);
    expect(fakes.discord.requests.filter((r) => r.status === 429)).toEqual([]);
    const last = JSON.stringify(messages.at(-1)!.body);
    expect(last).toContain('1000 °C');
  });

  it('holds alerts while Discord REST fails and delivers each once, in order, when it recovers', async () => {
    bot = await startBot(fakes, { ALERT_ENTITIES: 'binary_sensor.*_door' });
    fakes.discord.setRestFailure({
      status: 503,
      routeIncludes: `/channels/${ALERT_CHANNEL_ID}/messages`,
    });
    const sequence = ['on', 'off', 'on', 'off', 'on', 'off'];
    for (const s of sequence) {
      fakes.ha.setState('binary_sensor.front_door', s);
      await new Promise((r) => setTimeout(r, 400));
    }
    await bot.waitForMilestone('outbox.delivery-failed');
    expect(alertMessages(fakes)).toHaveLength(0);
    fakes.discord.setRestFailure(null);
    await waitFor(
      () => alertMessages(fakes).reduce((n, m) => n + changesIn(m.body, 'Front Door'), 0) >= 6,
      20_000,
      'delivery after recovery',
    );
    const text = alertMessages(fakes)
      .map((m) => JSON.stringify(m.body))
      .join('');
    expect(alertMessages(fakes).reduce((n, m) => n + changesIn(m.body, 'Front Door'), 0)).toBe(6);
    expect(text).toContain('Front Door');
  });

  it('delivers alerts pending at a SIGKILL once after the restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'hdb-data-'));
    bot = await startBot(fakes, { ALERT_ENTITIES: 'binary_sensor.*_door', DATA_DIR: dataDir });
    fakes.discord.setRestFailure({ status: 503, routeIncludes: '/messages' });
    fakes.ha.setState('binary_sensor.front_door', 'on');
    fakes.ha.setState('binary_sensor.back_door', 'on');
    await bot.waitForMilestone('outbox.delivery-failed');
    await bot.stop('SIGKILL');
    fakes.discord.setRestFailure(null);
    bot = await startBot(fakes, { ALERT_ENTITIES: 'binary_sensor.*_door', DATA_DIR: dataDir });
    await waitFor(() => alertMessages(fakes).length > 0, 15_000, 'resend after restart');
    // A second copy would be posted before this marker.
    await alertsDrained(fakes);
    const text = alertMessages(fakes)
      .map((m) => JSON.stringify(m.body))
      .join('');
    expect(text.split('Front Door: on').length - 1).toBe(1);
    expect(text.split('Back Door: on').length - 1).toBe(1);
  });

  it('reports changes missed while HA was unreachable, marked as missed', async () => {
    bot = await startBot(fakes, { ALERT_ENTITIES: '', CONFIG_FILE: configFile(RULES) });
    await fakes.ha.stop();
    await bot.waitForMilestone('ha.connection-lost');
    fakes.ha.setState('binary_sensor.front_door', 'on');
    fakes.ha.setState('binary_sensor.front_door', 'off');
    fakes.ha.setState('sensor.temp', '30');
    await fakes.ha.start();
    const expected = [
      'Temperature: 30 °C',
      'Missed while the bot was disconnected',
      'Changed while the bot was disconnected',
    ];
    const shown = () =>
      alertMessages(fakes)
        .map((m) => JSON.stringify(m.body))
        .join('');
    await waitFor(() => expected.every((t) => shown().includes(t)), 20_000, 'missed alerts');
  });
});
