import { waitFor } from '../helpers/wait.js';
import { ALERT_CHANNEL_ID, sharedWorld } from './world.js';

describe('alerts in the alert channel', () => {
  const world = sharedWorld();

  const alertsFor = (entityId: string) =>
    world().discord.messages.filter(
      (m) =>
        m.channelId === ALERT_CHANNEL_ID && JSON.stringify(m.body.embeds ?? []).includes(entityId),
    );

  it('posts a state change of a watched entity as an embed', async () => {
    world().ha.setState('binary_sensor.front_door', 'on', {
      friendly_name: 'Front Door',
      device_class: 'door',
    });
    const message = await world().discord.waitForMessage((m) => m.channelId === ALERT_CHANNEL_ID);
    expect(message.body.embeds[0]).toMatchObject({
      title: 'Front Door: on',
      footer: { text: 'binary_sensor.front_door · ALERT_ENTITIES' },
    });
    expect(message.body.embeds[0].description).toMatch(/^was off · <t:\d+:R>$/);
    expect(message.body.nonce).toEqual(expect.any(String));
    expect(message.body.enforce_nonce).toBe(true);
    expect(message.body.allowed_mentions).toEqual({ parse: [], roles: [], users: [] });
  });

  it('posts changes of entities matched by a glob and by id, with units', async () => {
    world().ha.setState('sensor.temp', '23.0', {
      friendly_name: 'Temperature',
      unit_of_measurement: '°C',
    });
    await waitFor(() => alertsFor('sensor.temp').length > 0);
    expect(alertsFor('sensor.temp')[0]!.body.embeds[0].title).toBe('Temperature: 23.0 °C');
  });

  it('does not alert for unwatched entities or attribute-only changes', async () => {
    const before = world().discord.messages.length;
    world().ha.setState('sensor.humidity', '55', {
      friendly_name: 'Humidity',
      unit_of_measurement: '%',
    });
    world().ha.setAttributes('binary_sensor.back_door', {
      friendly_name: 'Back Door',
      battery: 50,
    });
    // A watched change afterwards proves the earlier ones were seen and skipped, not delayed.
    world().ha.setState('binary_sensor.back_door', 'on');
    await waitFor(() => alertsFor('binary_sensor.back_door').length > 0);
    const newMessages = world().discord.messages.slice(before);
    expect(newMessages).toHaveLength(1);
    expect(JSON.stringify(newMessages)).not.toContain('sensor.humidity');
  });

  it('coalesces a burst into few messages with every change accounted for', async () => {
    const before = world().discord.messages.length;
    for (let i = 0; i < 40; i++) world().ha.setState('sensor.temp', String(30 + i));
    await waitFor(
      () => JSON.stringify(world().discord.messages.slice(before)).includes('69 °C'),
      10_000,
    );
    const sent = world().discord.messages.slice(before);
    expect(sent.length).toBeLessThan(5);
    let accounted = 0;
    for (const m of sent) {
      for (const e of (m.body as { embeds: { title: string; description: string }[] }).embeds) {
        const counted = /\((\d+) changes\)/.exec(e.description);
        accounted += counted ? Number(counted[1]) : 1;
      }
    }
    expect(accounted).toBe(40);
  });
});
