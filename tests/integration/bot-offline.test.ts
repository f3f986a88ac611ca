import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BotProcess } from './harness.js';
import {
  ALERT_CHANNEL_ID,
  botEnv,
  configFile,
  expectDiscordRulesKept,
  startFakes,
} from './world.js';

type Fakes = Awaited<ReturnType<typeof startFakes>>;

const DOOR = 'binary_sensor.front_door';

interface Embed {
  title?: string;
  description?: string;
}

describe('changes made while the bot was stopped', () => {
  let fakes: Fakes;
  let bot: BotProcess | undefined;
  let dataDir: string;

  beforeEach(async () => {
    fakes = await startFakes();
    dataDir = mkdtempSync(join(tmpdir(), 'hdb-offline-'));
  });
  afterEach(async () => {
    await bot?.stop();
    bot = undefined;
    expectDiscordRulesKept(fakes.discord);
    await Promise.all([fakes.ha.stop(), fakes.discord.stop()]);
  });

  /** Starts the bot on the same data directory and waits until it has compared HA's states. */
  async function startBot(env: Record<string, string> = {}): Promise<BotProcess> {
    bot = BotProcess.start(botEnv(fakes.ha, fakes.discord, { DATA_DIR: dataDir, ...env }));
    await bot.waitForMilestone('bridge.ready');
    await bot.waitForMilestone('ha.connected');
    return bot;
  }

  async function stopBot(): Promise<void> {
    await bot!.stop();
    bot = undefined;
  }

  const embeds = (from: number): Embed[] =>
    fakes.discord.messages
      .slice(from)
      .filter((m) => m.channelId === ALERT_CHANNEL_ID)
      .flatMap((m) => (m.body as { embeds?: Embed[] }).embeds ?? []);

  /** A live change and its alert: everything the start reported has been posted before it. */
  async function marker(value: string): Promise<void> {
    fakes.ha.setState('sensor.temp', value);
    await fakes.discord.waitForMessage(
      (m) =>
        m.channelId === ALERT_CHANNEL_ID &&
        JSON.stringify(m.body).includes(`Temperature: ${value}`),
      15_000,
    );
  }

  /** Once HA's history is checked: the door's change hidden by HA's restart, then a marker. */
  async function expectDoorChangedAndBack(from: number): Promise<void> {
    await bot!.waitForMilestone('ha.history-checked');
    await marker('30');
    expect(embeds(from).map((e) => [e.title, e.description])).toEqual([
      [
        'Front Door: on',
        expect.stringMatching(/^Changed while the bot was offline: on → off → on /),
      ],
      ['Temperature: 30 °C', expect.any(String)],
    ]);
  }

  /**
   * HA crashes and comes back (`restart`'s options beside these), and the bot is killed while it
   * asks HA's history about the restart; then a new bot starts. Returns where its messages begin.
   */
  async function killedWhileHistoryAsked(
    restart: Omit<Parameters<typeof fakes.ha.restart>[0] & object, 'crash' | 'downMs'>,
  ): Promise<number> {
    const asked = fakes.ha.holdNext('history/history_during_period');
    await fakes.ha.restart({ crash: true, downMs: 300, ...restart });
    await asked.seen;
    // Killed before HA's history answered.
    await bot!.stop('SIGKILL');
    bot = undefined;
    asked.release();
    const from = fakes.discord.messages.length;
    await startBot();
    return from;
  }

  it('reports a door opened while the bot was stopped, once, marked as such', async () => {
    await startBot();
    await stopBot();
    fakes.ha.setState(DOOR, 'on');
    await startBot();
    await marker('30');
    expect(embeds(0).map((e) => [e.title, e.description])).toEqual([
      [
        'Front Door: on',
        expect.stringMatching(/^was off · <t:\d+:R>\n_Changed while the bot was offline\._$/),
      ],
      ['Temperature: 30 °C', expect.any(String)],
    ]);
    // Reported once: the next start has nothing to say.
    await stopBot();
    const from = fakes.discord.messages.length;
    await startBot();
    await marker('31');
    expect(embeds(from).map((e) => e.title)).toEqual(['Temperature: 31 °C']);
  });

  it('reports a door opened and closed again while the bot was stopped', async () => {
    await startBot();
    await stopBot();
    fakes.ha.setState(DOOR, 'on');
    fakes.ha.setState(DOOR, 'off');
    await startBot();
    await marker('30');
    expect(embeds(0).map((e) => [e.title, e.description])).toEqual([
      [
        'Front Door: off',
        expect.stringMatching(/^Changed while the bot was offline: off → … → off /),
      ],
      ['Temperature: 30 °C', expect.any(String)],
    ]);
  });

  it('with HA restarted meanwhile too (a host reboot), tells a stale restore from a change by HA history', async () => {
    await startBot();
    fakes.ha.setState(DOOR, 'on');
    await fakes.discord.waitForMessage((m) => JSON.stringify(m.body).includes('Front Door: on'));
    await stopBot();
    const from = fakes.discord.messages.length;
    // HA crashes, restores the door's stale 'off', and the door reports 'on' again.
    await fakes.ha.restart({
      crash: true,
      stale: { [DOOR]: 'off' },
      onRunning: () => fakes.ha.setState(DOOR, 'on'),
    });
    await startBot();
    await expectDoorChangedAndBack(from);
  });

  it('killed while it asked HA history about HA restarting: the next start asks again, reports no false change', async () => {
    await startBot();
    // HA crashes and restores every state as it was: each with a new last_changed.
    const from = await killedWhileHistoryAsked({});
    await marker('30');
    // Not "changed while the bot was offline" for every entity HA restored.
    expect(embeds(from).map((e) => e.title)).toEqual(['Temperature: 30 °C']);
    // HA's restart still told (the saved states were from before it): its history asked.
    await bot!.waitForMilestone('ha.history-checked');
    await marker('31');
    expect(embeds(from).map((e) => e.title)).toEqual(['Temperature: 30 °C', 'Temperature: 31 °C']);
  });

  it('killed while it asked HA history about HA restarting: a change it hid is reported by the next start', async () => {
    await startBot();
    fakes.ha.setState(DOOR, 'on');
    await fakes.discord.waitForMessage((m) => JSON.stringify(m.body).includes('Front Door: on'));
    // HA crashes, restores the door's stale 'off', and the door reports 'on' again.
    const from = await killedWhileHistoryAsked({
      stale: { [DOOR]: 'off' },
      onRunning: () => fakes.ha.setState(DOOR, 'on'),
    });
    await expectDoorChangedAndBack(from);
  });

  it('reports nothing on the first ever start, for unchanged entities, or newly watched ones', async () => {
    fakes.ha.setState(DOOR, 'on');
    await startBot({ ALERT_ENTITIES: `${DOOR},sensor.temp` });
    await marker('30');
    await stopBot();
    // Watched from now on: the back door, which changed while the bot was stopped.
    fakes.ha.setState('binary_sensor.back_door', 'on');
    await startBot();
    await marker('31');
    expect(embeds(0).map((e) => e.title)).toEqual(['Temperature: 30 °C', 'Temperature: 31 °C']);
  });

  it('a `for` alert and a crash right after it: the next start does not report it again', async () => {
    const env = {
      ALERT_ENTITIES: '',
      CONFIG_FILE: configFile(`
alerts:
  rules:
    - name: left open
      entities: [${DOOR}]
      to: 'on'
      for: 100ms
    - name: temperature
      entities: [sensor.temp]
`),
    };
    await startBot(env);
    fakes.ha.setState(DOOR, 'on');
    await fakes.discord.waitForMessage((m) => JSON.stringify(m.body).includes('Front Door: on'));
    // Killed before the states' timed write (1 s after the change): the alert's was written
    // with it.
    await bot!.stop('SIGKILL');
    bot = undefined;
    const from = fakes.discord.messages.length;
    await startBot(env);
    await marker('30');
    expect(embeds(from).map((e) => e.title)).toEqual(['Temperature: 30 °C']);
  });
});
