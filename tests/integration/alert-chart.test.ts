import { waitFor } from '../helpers/wait.js';
import { ALERT_CHANNEL_ID, configFile, sharedWorld } from './world.js';

const HOUR = 3_600_000;

/** A threshold rule with a chart of the last 6 hours; the humidity one has none. */
const RULES = `
alerts:
  rules:
    - name: hot
      entities: [sensor.temp]
      above: 25
      chart: 6h
    - name: damp
      entities: [sensor.humidity]
      above: 70
`;

describe('charts with alerts and with messages from HA', () => {
  const world = sharedWorld({ env: { ALERT_ENTITIES: '', CONFIG_FILE: configFile(RULES) } });

  const alertAbout = (title: string) =>
    world().discord.waitForMessage(
      (m) => m.channelId === ALERT_CHANNEL_ID && JSON.stringify(m.body).includes(title),
    );
  const pngSize = (data: Buffer) => [data.readUInt32BE(16), data.readUInt32BE(20)];

  it('attaches a chart of the last hours from HA’s history, drawn when the alert goes out', async () => {
    const now = Date.now();
    world().ha.recorder!.seed('sensor.temp', [
      { state: '20', at: now - 5 * HOUR },
      { state: '22', at: now - 3 * HOUR },
    ]);
    world().ha.setState('sensor.temp', '26');
    const message = await alertAbout('Temperature: 26 °C');
    expect(message.files).toHaveLength(1);
    const [file] = message.files!;
    expect(file!.name).toBe('chart.png');
    expect(file!.data.subarray(1, 4).toString()).toBe('PNG');
    expect(pngSize(file!.data)[0]).toBe(800);
    expect(message.body.embeds).toHaveLength(1);
    expect(message.body.embeds[0].image).toEqual({ url: 'attachment://chart.png' });
    expect(message.body.embeds[0].description).not.toContain('Chart not attached');
  });

  it('posts the alert without the chart, saying why, when HA’s history cannot be read', async () => {
    world().ha.setCommandHandler('history/history_during_period', () => ({
      error: { code: 'home_assistant_error', message: 'Database is locked' },
    }));
    try {
      world().ha.setState('sensor.temp', '20');
      world().ha.setState('sensor.temp', '27');
      const message = await alertAbout('Temperature: 27 °C');
      expect(message.files ?? []).toHaveLength(0);
      expect(message.body.embeds[0].image).toBeUndefined();
      expect(message.body.embeds[0].description).toContain(
        "_Chart not attached: Home Assistant's history could not be read (home_assistant_error)._",
      );
      await world().bot.waitForMessage(
        "could not read Home Assistant's history for a chart; posting the message without it",
      );
    } finally {
      world().ha.setCommandHandler('history/history_during_period', null);
    }
  });

  it('draws no chart for a rule without one', async () => {
    world().ha.setState('sensor.humidity', '75');
    const message = await alertAbout('Humidity: 75 %');
    expect(message.files ?? []).toHaveLength(0);
    expect(message.body.embeds[0].image).toBeUndefined();
  });

  it('keeps delivering after a chart could not be read (nothing lost)', async () => {
    world().ha.setState('sensor.temp', '20');
    world().ha.setState('sensor.temp', '28');
    await waitFor(
      () =>
        world().discord.messages.some(
          (m) => JSON.stringify(m.body).includes('Temperature: 28 °C') && m.files?.length === 1,
        ),
      10_000,
    );
  });

  it('attaches the chart a discord_bridge_send asks for (a daily report)', async () => {
    const now = Date.now();
    world().ha.recorder!.seed('sensor.humidity', [
      { state: '40', at: now - 20 * HOUR },
      { state: '55', at: now - 10 * HOUR },
    ]);
    world().ha.fireEvent('discord_bridge_send', {
      message: 'Daily report',
      chart: { entities: ['sensor.temp', 'sensor.humidity'], period: '24h' },
    });
    const message = await alertAbout('Daily report');
    expect(message.files).toHaveLength(1);
    expect(message.files![0]!.name).toBe('chart.png');
    expect(pngSize(message.files![0]!.data)[0]).toBe(800);
    expect(message.body.embeds[0].image).toEqual({ url: 'attachment://chart.png' });
  });

  it('posts the message without its chart, saying why, when HA’s history cannot be read', async () => {
    world().ha.setCommandHandler('history/history_during_period', () => ({
      error: { code: 'home_assistant_error', message: 'Database is locked' },
    }));
    try {
      world().ha.fireEvent('discord_bridge_send', {
        message: 'Weekly report',
        chart: { entities: ['sensor.temp'], period: '2d' },
      });
      const message = await alertAbout('Weekly report');
      expect(message.files ?? []).toHaveLength(0);
      expect(message.body.embeds[0].image).toBeUndefined();
      expect(message.body.embeds[0].footer.text).toBe(
        "Chart not attached: Home Assistant's history could not be read (home_assistant_error)",
      );
    } finally {
      world().ha.setCommandHandler('history/history_during_period', null);
    }
  });
});
