import type { Reply } from '../../../src/commands/reply.js';
import type { ServiceInfo } from '../../../src/ha/services.js';
import { caller, commandWorld, settle, words } from './world.js';

const HOME = [
  { id: 'light.kitchen', name: 'Kitchen Light', area: 'kitchen', state: 'off' },
  { id: 'switch.kettle', name: 'Kettle', area: 'kitchen', state: 'off' },
  { id: 'sensor.temp', name: 'Temperature', area: 'kitchen', state: '21.5' },
  { id: 'lock.front_door', name: 'Front Door', state: 'locked' },
  {
    id: 'alarm_control_panel.house',
    name: 'House Alarm',
    state: 'disarmed',
    attributes: { code_format: 'number' },
  },
  { id: 'camera.porch', name: 'Porch', state: 'idle' },
];
const AREAS = [{ id: 'kitchen', name: 'Kitchen' }];

const TURN_ON: ServiceInfo = {
  id: 'light.turn_on',
  domain: 'light',
  service: 'turn_on',
  name: 'Turn on',
  fields: [{ key: 'brightness_pct', required: false, example: 50 }],
  target: { domains: ['light'] },
  response: 'none',
};

let world: ReturnType<typeof commandWorld>;
beforeEach(() => {
  world = commandWorld(HOME, { areas: AREAS, services: [TURN_ON] });
});
afterEach(() => world.stop());

const show = (reply: Reply | undefined) => {
  if (reply?.kind !== 'show' && reply?.kind !== 'replace')
    throw new Error(`expected a message, got ${reply?.kind}: ${words(reply)}`);
  return reply.message;
};

describe('control commands', () => {
  it('make one call per domain for an area, with the state each call expects', async () => {
    const reply = await settle(await world.command('on', { target: 'area:kitchen' }));
    expect(world.calls).toEqual([
      { domain: 'light', service: 'turn_on', data: undefined, entityIds: ['light.kitchen'] },
      { domain: 'switch', service: 'turn_on', data: undefined, entityIds: ['switch.kettle'] },
    ]);
    expect(show(reply).embeds?.[0]).toMatchObject({
      title: 'Turned on 2 in Kitchen',
      footer: { text: 'Turned on by alice' },
    });
  });

  it('pick the arm mode from its option and pass the code as service data', async () => {
    const reply = await world.command('arm', {
      target: 'alarm_control_panel.house',
      mode: 'home',
      code: '4321',
    });
    expect(reply?.kind).toBe('slow');
    await settle(reply);
    expect(world.calls).toEqual([
      {
        domain: 'alarm_control_panel',
        service: 'alarm_arm_home',
        data: { code: '4321' },
        entityIds: ['alarm_control_panel.house'],
      },
    ]);
  });

  it('refuse an entity the action does not fit', async () => {
    expect(words(await world.command('unlock', { target: 'light.kitchen' }))).toBe(
      'Kitchen Light (`light.kitchen`) is a light: it cannot be unlocked with this command.',
    );
  });
});

describe('/ha state', () => {
  it('shows an entity with its Toggle and Refresh buttons', async () => {
    const message = show(await world.command('state', { entity: 'light.kitchen' }));
    expect(message.embeds?.[0]).toMatchObject({ title: 'Kitchen Light' });
    expect(message.buttons?.map((b) => [b.label, b.id])).toEqual([
      ['Toggle', { kind: 'button', command: 'state', args: ['toggle', 'light.kitchen'] }],
      ['Refresh', { kind: 'button', command: 'state', args: ['refresh', 'light.kitchen'] }],
    ]);
  });

  it('shows an area as one embed', async () => {
    const message = show(await world.command('state', { entity: 'area:kitchen' }));
    expect(message.embeds?.[0]?.title).toContain('Kitchen');
    expect(message.embeds?.[0]?.description).toContain('Temperature');
  });

  it('says the state is the last known when HA is away', async () => {
    world.ha.status = { kind: 'connecting' };
    const message = show(await world.command('state', { entity: 'sensor.temp' }));
    expect(message.content).toBe(
      'Home Assistant is unreachable, reconnecting. Try again in a moment. Below: the last known state.',
    );
  });

  it('its buttons refresh in place and run the control command on the entity', async () => {
    const refreshed = await world.runner.button('state', ['refresh', 'sensor.temp'], caller());
    expect(refreshed?.kind).toBe('replace');
    const toggled = await world.runner.button('state', ['toggle', 'light.kitchen'], caller());
    expect(toggled?.kind).toBe('slow');
    await settle(toggled);
    expect(world.calls).toEqual([
      { domain: 'light', service: 'toggle', data: undefined, entityIds: ['light.kitchen'] },
    ]);
    expect(words(await world.runner.button('state', ['boil', 'light.kitchen'], caller()))).toBe(
      'That button is no longer in use. Run the command again.',
    );
  });
});

describe('/ha call', () => {
  it('checks the service and its data before acting', async () => {
    expect(words(await world.command('call', { service: 'nope' }))).toContain(
      'Write the service as domain.service',
    );
    expect(words(await world.command('call', { service: 'light.turn_of' }))).toContain(
      'Home Assistant has no service light.turn\\_of. Closest: light.turn_on.',
    );
    expect(
      words(
        await world.command('call', {
          service: 'light.turn_on',
          target: 'light.kitchen',
          data: '{',
        }),
      ),
    ).toContain('data is not valid JSON');
    expect(words(await world.command('call', { service: 'light.turn_on' }))).toBe(
      'light.turn_on acts on entities: say which in the target option.',
    );
  });

  it('calls the service on the target with its data', async () => {
    const reply = await settle(
      await world.command('call', {
        service: 'light.turn_on',
        target: 'light.kitchen',
        data: '{"brightness_pct": 40}',
      }),
    );
    expect(reply.kind).toBe('show');
    expect(world.calls).toEqual([
      {
        domain: 'light',
        service: 'turn_on',
        data: { brightness_pct: 40 },
        entityIds: ['light.kitchen'],
      },
    ]);
    expect(world.audit).toMatchObject([{ command: 'call', service: 'turn_on' }]);
  });
});

describe('/ha camera', () => {
  it('posts a snapshot as an attachment the embed shows', async () => {
    const reply = await world.command('camera', { entity: 'porch' });
    expect(reply).toMatchObject({ kind: 'slow', done: 'Snapshot from `camera.porch` posted.' });
    const message = show(await settle(reply));
    expect(message.files?.[0]).toMatchObject({ name: 'camera_porch.jpg' });
    expect(message.embeds?.[0]).toMatchObject({
      title: 'Porch',
      image: { url: 'attachment://camera_porch.jpg' },
    });
  });

  it('says what a non-camera is', async () => {
    expect(words(await world.command('camera', { entity: 'light.kitchen' }))).toContain(
      'is a light, not a camera',
    );
  });
});

describe('/ha list', () => {
  it('lists what the person may see, with paging buttons', async () => {
    const message = show(await world.command('list', { area: 'Kitchen' }));
    expect(message.embeds?.[0]?.title).toBe('Entities in Kitchen (3)');
    expect(message.buttons).toEqual([]);
    expect(words(await world.command('list', { area: 'Attic' }))).toBe(
      "No area matches 'Attic'. Areas: Kitchen.",
    );
    const page = await world.runner.button('list', ['0', 'light', '', '', ''], caller());
    expect(show(page).embeds?.[0]?.title).toBe('light (1)');
  });
});

describe('watches and mutes', () => {
  it('adds, lists and removes a watch', async () => {
    expect(words(await world.command('watch add', { target: 'sensor.temp', above: 25 }))).toBe(
      'Watching `sensor.temp` (above 25). Watch #1.',
    );
    expect(world.watches[0]?.rule).toMatchObject({ entities: ['sensor.temp'], above: 25 });
    const list = show(await world.command('watch list', {}));
    expect(list).toMatchObject({ private: true, content: '#1 · watch sensor.temp above 25' });
    expect(words(await world.command('watch remove', { id: 1 }))).toBe('Watch #1 removed.');
    expect(words(await world.command('watch remove', { id: 1 }))).toContain('There is no watch #1');
  });

  it('mutes from the command and from the button under an alert', async () => {
    expect(words(await world.command('mute', { target: 'sensor.temp', for: '2h' }))).toMatch(
      /^Muted `entity:sensor.temp` until <t:\d+:f>\.$/,
    );
    expect(words(await world.runner.button('mute', ['light.kitchen', '1h'], caller()))).toMatch(
      /^`light.kitchen` muted until <t:\d+:f> by alice\./,
    );
    expect([...world.mutes.keys()]).toEqual(['entity:sensor.temp', 'entity:light.kitchen']);
    expect(words(await world.command('mute', { target: 'x', for: '90d' }))).toContain('30 days');
  });
});

describe('/ha event, /ha ask, /ha reload, /ha about', () => {
  it('fires an event with who fired it, refusing HA-reserved names', async () => {
    const fired = show(await world.command('event', { name: 'discord_doorbell', data: '{"a":1}' }));
    expect(fired.embeds?.[0]).toMatchObject({ title: 'Fired discord_doorbell' });
    expect(world.events).toEqual([
      {
        type: 'discord_doorbell',
        data: {
          a: 1,
          discord: {
            user_id: caller().userId,
            user_name: 'alice',
            guild_id: caller().guildId,
            channel_id: caller().channelId,
          },
        },
      },
    ]);
    expect(words(await world.command('event', { name: 'state_changed' }))).toContain(
      'is an event Home Assistant (or this bot) fires itself',
    );
  });

  it('asks Assist and remembers the conversation', async () => {
    const reply = await settle(await world.command('ask', { text: 'how warm is it?' }));
    expect(show(reply).embeds?.[0]).toMatchObject({
      author: { name: 'alice: how warm is it?' },
      description: 'It is 21 degrees.',
    });
    expect(world.ctx.conversations.get(caller().userId, caller().channelId)).toBe('conv-1');
  });

  it('reloads only for a server manager', async () => {
    expect(words(await world.command('reload', {}))).toBe(
      'You need the Manage Server permission to reload the config.',
    );
    const done = show(await world.command('reload', {}, caller({ isManager: true })));
    expect(done).toEqual({ content: 'Config reloaded. Nothing new.', private: true });
  });
});
