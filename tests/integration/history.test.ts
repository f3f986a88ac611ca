import { waitFor } from '../helpers/wait.js';
import { EPHEMERAL, pickInMenu, sharedWorld } from './world.js';

const HOUR = 3_600_000;

describe('/ha history', () => {
  const world = sharedWorld();

  /** 20 °C, unavailable for an hour, then 23 °C: within the last day. */
  function seedDay(now: number): void {
    world().ha.recorder!.seed('sensor.temp', [
      { state: '20', at: now - 20 * HOUR },
      { state: 'unavailable', at: now - 10 * HOUR },
      { state: '23', at: now - 9 * HOUR },
    ]);
  }

  const pngSize = (data: Buffer) => [data.readUInt32BE(16), data.readUInt32BE(20)];

  it('posts a chart of a sensor as an attached PNG in an embed, from HA’s history', async () => {
    seedDay(Date.now());
    const handle = await world().command('history', { entity: 'sensor.temp' });
    const reply = await handle.waitForReply();
    expect(reply.flags ?? 0).toBe(0);
    const files = handle.replies.find((r) => r.status < 300 && r.files?.length)?.files ?? [];
    expect(files).toHaveLength(1);
    expect(files[0]!.name).toBe('history.png');
    expect(files[0]!.data.subarray(1, 4).toString()).toBe('PNG');
    expect(pngSize(files[0]!.data)[0]).toBe(800);
    expect(reply.embeds[0]).toMatchObject({
      title: 'Temperature · last 24 h',
      image: { url: 'attachment://history.png' },
      footer: { text: 'sensor.temp' },
    });
    expect(reply.embeds[0].description).toContain("From HA's history");
  });

  it('uses HA’s hourly statistics for 30 days, and says so', async () => {
    const now = Date.now();
    const start = Math.floor((now - 30 * 24 * HOUR) / HOUR) * HOUR;
    const rows = [];
    for (let t = start; t < now - HOUR; t += HOUR) {
      if (t > now - 10 * 24 * HOUR && t < now - 9 * 24 * HOUR) continue; // HA was down
      rows.push({ start: t, mean: 21, min: 20, max: 22 });
    }
    world().ha.recorder!.seedStatistics('sensor.temp', rows);
    const handle = await world().command('history', { entity: 'Temperature', period: '30d' });
    const reply = await handle.waitForReply();
    expect(reply.embeds[0].title).toBe('Temperature · last 30 d');
    expect(reply.embeds[0].description).toContain('hourly statistics');
  });

  it('charts a binary sensor as a timeline', async () => {
    const now = Date.now();
    world().ha.recorder!.seed('binary_sensor.front_door', [
      { state: 'off', at: now - 5 * HOUR },
      { state: 'on', at: now - 4 * HOUR },
      { state: 'off', at: now - 3 * HOUR },
    ]);
    const handle = await world().command('history', {
      entity: 'binary_sensor.front_door',
      period: '6h',
    });
    const reply = await handle.waitForReply();
    expect(reply.embeds[0].title).toMatch(/· last 6 h$/);
  });

  it('defers when HA is slow to answer, then posts the chart', async () => {
    seedDay(Date.now());
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    world().ha.setCommandHandler('history/history_during_period', async (msg) => {
      await gate;
      const ids = msg.entity_ids as string[];
      return { result: world().ha.recorder!.historyDuringPeriod(msg, ids) };
    });
    try {
      const handle = await world().command('history', { entity: 'sensor.temp' });
      // Discord's 3 s: the bot defers (type 5) while HA has not answered.
      expect((await handle.waitForCallback(5000)).type).toBe(5);
      release();
      const reply = await handle.waitForReply();
      expect(reply.embeds[0].image.url).toBe('attachment://history.png');
    } finally {
      world().ha.setCommandHandler('history/history_during_period', null);
    }
  });

  it('keeps the period asked for through the “which one?” menu', async () => {
    const now = Date.now();
    for (const id of ['light.porch', 'switch.porch'])
      world().ha.recorder!.seed(id, [
        { state: 'off', at: now - 5 * HOUR },
        { state: 'on', at: now - 2 * HOUR },
      ]);
    const handle = await world().command('history', { entity: 'porch', period: '6h' });
    const reply = await handle.waitForReply();
    const menu = reply.components[0].components[0];
    expect(menu.custom_id).toBe('ha:pick:history:period=6h');
    const pick = await pickInMenu(world().discord, menu.custom_id, ['switch.porch']);
    await waitFor(() => pick.replies.some((r) => r.files?.length));
    const posted = pick.replies.find((r) => r.files?.length)!;
    expect(JSON.stringify(posted.body)).toContain('"title":"Porch Heater · last 6 h"');
  });

  it('answers privately what is wrong with a period', async () => {
    const handle = await world().command('history', { entity: 'sensor.temp', period: 'soon' });
    const reply = await handle.waitForReply();
    expect(reply.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(reply.content).toMatch(/^The period is not a duration: write it like 30s, 10m/);
  });

  it('autocompletes as /ha state does', async () => {
    const choices = await (
      await world().autocomplete('history', 'entity', 'temper')
    ).waitForAutocomplete();
    expect(choices.map((c) => c.value)).toContain('sensor.temp');
  });
});
