import { EPHEMERAL, HOME, MANAGER, sendHa, sharedWorld, suggestHa } from './world.js';

const MEMBER = { id: '190000000000000003', username: 'guest', permissions: '0' };

describe('/ha call', () => {
  const world = sharedWorld({
    ha: {
      entities: [
        ...HOME.entities,
        {
          entity_id: 'script.morning_report',
          state: 'off',
          attributes: { friendly_name: 'Morning report' },
        },
      ],
    },
  });
  const calls = () => world().ha.serviceCalls.filter((c) => c.domain !== 'logbook');
  const call = (options: Record<string, string>, user = MANAGER) =>
    sendHa(world().discord, 'call', options, { user });
  const suggest = async (focused: string, options: Record<string, string>) =>
    (await (await suggestHa(world().discord, 'call', focused, options)).waitForAutocomplete()).map(
      (c) => c.value,
    );

  it("autocompletes HA's own services, best first", async () => {
    const services = await suggest('service', { service: 'light.tu' });
    expect(services.slice(0, 2)).toEqual(['light.turn_off', 'light.turn_on']);
    expect(await suggest('service', { service: 'press' })).toContain('button.press');
  });

  it('autocompletes targets the service can act on', async () => {
    const targets = await suggest('target', { service: 'light.turn_on', target: 'porch' });
    expect(targets).toEqual(['light.porch']);
  });

  it('calls the service with the data on the target and shows the new state', async () => {
    world().ha.setState('light.kitchen_light', 'off');
    const reply = await (
      await call({
        service: 'light.turn_on',
        target: 'kitchen light',
        data: '{"brightness_pct": 50}',
      })
    ).waitForReply();
    expect(calls().at(-1)).toMatchObject({
      domain: 'light',
      service: 'turn_on',
      service_data: { brightness_pct: 50 },
      target: { entity_id: ['light.kitchen_light'] },
    });
    expect(reply.embeds[0].title).toBe('Kitchen Light is on');
    expect(reply.embeds[0].footer.text).toBe('Called light.turn_on by owner');
  });

  it("shows a service's response, and attaches it when it is long", async () => {
    world().ha.setServiceHandler((c) =>
      c.domain === 'script' ? { response: { forecast: 'sunny', high: 24 } } : undefined,
    );
    try {
      const short = await (await call({ service: 'script.morning_report' })).waitForReply();
      expect(short.embeds[0].title).toBe('Called script.morning\\_report');
      expect(short.embeds[0].fields[0].value).toContain('"forecast": "sunny"');
      expect(calls().at(-1)).toMatchObject({ return_response: true });

      const days = Array.from({ length: 60 }, (_, i) => ({ day: i, text: 'x'.repeat(30) }));
      world().ha.setServiceHandler(() => ({ response: { days } }));
      const handle = await call({ service: 'script.morning_report' });
      const long = await handle.waitForReply();
      expect(long.embeds[0].fields[0].value).toMatch(/attached as response\.json/);
      const files = handle.replies.flatMap((r) => r.files ?? []);
      expect(files.map((f) => f.name)).toEqual(['response.json']);
      expect(JSON.parse(files[0]!.data.toString())).toEqual({ days });
    } finally {
      world().ha.setServiceHandler(null);
    }
  });

  it('explains bad data privately, with the fields the service takes', async () => {
    const before = calls().length;
    const broken = await (
      await call({ service: 'light.turn_on', target: 'light.porch', data: '{brightness: 5' })
    ).waitForReply();
    expect(broken.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(broken.content).toContain('data is not valid JSON');
    expect(broken.content).toContain('Fields of light.turn_on: `brightness`, `brightness_pct`');
    const sneaky = await (
      await call({ service: 'light.turn_on', data: '{"entity_id": "lock.front_door_lock"}' })
    ).waitForReply();
    expect(sneaky.content).toContain('not `entity_id` in data');
    const missing = await (
      await call({ service: 'input_number.set_value', target: 'sensor.temp' })
    ).waitForReply();
    expect(missing.content).toContain('needs `value`');
    expect(calls().length).toBe(before);
  });

  it('names the closest services for an unknown one', async () => {
    const reply = await (await call({ service: 'light.turn_onn' })).waitForReply();
    expect(reply.content).toContain('Home Assistant has no service light.turn\\_onn');
    expect(reply.content).toContain('light.turn_on');
  });

  it('still asks before unlocking when the lock service is called by name', async () => {
    const before = calls().length;
    const reply = await (
      await call({ service: 'lock.unlock', target: 'lock.front_door_lock' })
    ).waitForReply();
    expect(reply.content).toContain('Call lock.unlock on Front Door Lock?');
    expect(reply.components[0].components[0].label).toBe('Call lock.unlock on Front Door Lock');
    expect(calls().length).toBe(before);
  });

  it('is for those the policy lets call services', async () => {
    const reply = await (
      await call({ service: 'light.turn_on', target: 'light.porch' }, MEMBER)
    ).waitForReply();
    expect(reply.content).toBe(
      'You need the Manage Server permission to call services on `light.porch`.',
    );
  });
});
