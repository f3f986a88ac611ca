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

describe('alerts of threshold rules with a chart', () => {
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
      await world().bot.waitForMessage('could not draw the chart of an alert; posting it without');
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
});
