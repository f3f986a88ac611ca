import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '../helpers/wait.js';
import { BotProcess } from './harness.js';
import {
  ALERT_CHANNEL_ID,
  alertsDrained,
  botEnv,
  EPHEMERAL,
  expectDiscordRulesKept,
  sendHa,
  startFakes,
} from './world.js';

type Fakes = Awaited<ReturnType<typeof startFakes>>;

describe('watches, mutes and status messages from Discord', () => {
  let fakes: Fakes;
  let bot: BotProcess;
  let dataDir: string;
  let env: Record<string, string>;

  const start = async () => {
    bot = BotProcess.start(env);
    await bot.waitForMilestone('bridge.ready');
    await bot.waitForMilestone('ha.connected');
  };
  const send = (
    group: string | undefined,
    subcommand: string,
    options: Record<string, string | number> = {},
  ) => sendHa(fakes.discord, subcommand, options, group ? { group } : {});
  const alertsAbout = (text: string) =>
    fakes.discord.messages.filter(
      (m) => m.channelId === ALERT_CHANNEL_ID && JSON.stringify(m.body).includes(text),
    );

  beforeAll(async () => {
    fakes = await startFakes();
    dataDir = mkdtempSync(join(tmpdir(), 'hdb-watch-'));
    const rules = join(dataDir, 'rules.yaml');
    writeFileSync(
      rules,
      'alerts:\n  rules:\n    - name: back door board\n      entities: [binary_sensor.back_door]\n      edit_in_place: true\n',
    );
    env = botEnv(fakes.ha, fakes.discord, {
      ALERT_ENTITIES: '',
      DATA_DIR: dataDir,
      CONFIG_FILE: rules,
    });
    await start();
  });
  afterAll(async () => {
    await bot?.stop();
    await Promise.all([fakes.ha.stop(), fakes.discord.stop()]);
  });
  afterEach(() => expectDiscordRulesKept(fakes.discord));

  it('adds a threshold watch that alerts on crossing and survives a restart', async () => {
    const reply = await (
      await send('watch', 'add', { target: 'sensor.humidity', above: 50 })
    ).waitForReply();
    expect(reply.content).toMatch(/^Watching `sensor\.humidity` \(above 50\)\. Watch #1\.$/);
    fakes.ha.setState('sensor.humidity', '55');
    await waitFor(() => alertsAbout('Humidity: 55 %').length === 1, 5000, 'threshold alert');
    fakes.ha.setState('sensor.humidity', '56');
    await bot.stop();
    await start();
    fakes.ha.setState('sensor.humidity', '40');
    fakes.ha.setState('sensor.humidity', '60');
    await waitFor(() => alertsAbout('Humidity: 60 %').length === 1, 5000, 'alert after restart');
    expect(alertsAbout('Humidity: 56 %')).toHaveLength(0);
    const list = await (await send('watch', 'list')).waitForReply();
    expect(list.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(list.content).toContain('#1 · watch sensor.humidity above 50');
    expect(list.content).toContain('config · back door board');
  });

  it('removes a watch', async () => {
    const reply = await (await send('watch', 'remove', { id: 1 })).waitForReply();
    expect(reply.content).toBe('Watch #1 removed.');
    fakes.ha.setState('sensor.humidity', '10');
    fakes.ha.setState('sensor.humidity', '90');
    await alertsDrained(fakes);
    expect(alertsAbout('Humidity: 90 %')).toHaveLength(0);
    const again = await (await send('watch', 'remove', { id: 1 })).waitForReply();
    expect(again.content).toContain('There is no watch #1');
  });

  it('mutes and unmutes an entity', async () => {
    await (await send('watch', 'add', { target: 'binary_sensor.front_door' })).waitForReply();
    const muted = await (
      await send(undefined, 'mute', { target: 'binary_sensor.front_door', for: '1h' })
    ).waitForReply();
    expect(muted.content).toMatch(/^Muted `entity:binary_sensor\.front_door` until <t:\d+:f>\.$/);
    fakes.ha.setState('binary_sensor.front_door', 'on');
    await alertsDrained(fakes);
    expect(alertsAbout('Front Door: on')).toHaveLength(0);
    const unmuted = await (
      await send(undefined, 'unmute', { target: 'binary_sensor.front_door' })
    ).waitForReply();
    expect(unmuted.content).toBe('Unmuted `entity:binary_sensor.front_door`.');
    fakes.ha.setState('binary_sensor.front_door', 'off');
    await waitFor(() => alertsAbout('Front Door: off').length === 1, 5000, 'alert after unmute');
  });

  it('keeps one message per entity for an edit-in-place rule and edits it', async () => {
    fakes.ha.setState('binary_sensor.back_door', 'on');
    await waitFor(() => alertsAbout('Back Door: on').length === 1, 5000, 'status message');
    fakes.ha.setState('binary_sensor.back_door', 'off');
    await waitFor(() => alertsAbout('Back Door: off').length === 1, 5000, 'edited status');
    const board = fakes.discord.messages.filter(
      (m) => m.channelId === ALERT_CHANNEL_ID && JSON.stringify(m.body).includes('Back Door'),
    );
    expect(board).toHaveLength(1);
    expect(board[0]!.editedAt).toBeDefined();
  });

  it("reads a mute's length in HA's forms, and names the forms it takes", async () => {
    const mute = async (length: string) =>
      (await send(undefined, 'mute', { target: 'sensor.temp', for: length })).waitForReply();
    const asked = Date.now();
    const muted = await mute('00:45:00');
    const until = Number(/<t:(\d+):f>/.exec(muted.content)?.[1]) * 1000;
    expect(until - asked).toBeGreaterThan(44 * 60_000);
    expect(until - asked).toBeLessThan(46 * 60_000);
    expect((await mute('1h30m')).content).toMatch(/^Muted `entity:sensor\.temp` until/);
    const wrong = await mute('soon');
    expect(wrong.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(wrong.content).toBe(
      '`soon` is not a duration: write it like 30s, 10m, 1h30m, 2d, 250ms, 00:10:00 (HH:MM:SS) or 600 (a number of seconds).',
    );
    expect((await mute('31d')).content).toBe('`31d` must be at most 30 days.');
    await (await send(undefined, 'unmute', { target: 'sensor.temp' })).waitForReply();
  });

  it('rejects a malformed pattern with a way forward', async () => {
    const reply = await (await send('watch', 'add', { target: 'sensor*' })).waitForReply();
    expect(reply.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(reply.content).toContain('A pattern looks like `binary_sensor.*_door`');
  });
});
