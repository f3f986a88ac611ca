import { waitFor } from '../helpers/wait.js';
import { EPHEMERAL, pickInMenu, sharedWorld } from './world.js';

describe('slash commands against the fakes', () => {
  const world = sharedWorld();
  // The audit's logbook lines are service calls too; these tests look at the control calls.
  const calls = () => world().ha.serviceCalls.filter((c) => c.domain !== 'logbook');

  it('registers /ha with its subcommands in the configured guild', () => {
    const commands = [...world().discord.commands.guild.values()].flat();
    const ha = commands.find((c) => c.name === 'ha');
    expect(ha!.options.map((o: { name: string }) => o.name)).toEqual([
      'state',
      'list',
      'toggle',
      'on',
      'off',
      'lock',
      'unlock',
      'open',
      'arm',
      'disarm',
      'call',
      'ask',
      'event',
      'mute',
      'unmute',
      'camera',
      'history',
      'logbook',
      'about',
      'reload',
      'watch',
    ]);
    // Members may read by default, so every member sees /ha; DMs are off unless the policy
    // names users for them.
    expect(ha!.default_member_permissions ?? null).toBeNull();
    expect(ha!.contexts).toEqual([0]);
  });

  it('toggles an entity by id and replies publicly with the new state', async () => {
    const handle = await world().command('toggle', { target: 'light.kitchen_light' });
    const reply = await handle.waitForReply();
    expect(world().ha.states.get('light.kitchen_light')!.state).toBe('on');
    expect(calls().at(-1)).toMatchObject({ domain: 'light', service: 'toggle' });
    expect(reply.embeds[0].title).toBe('Kitchen Light is on');
    expect((reply.flags ?? 0) & EPHEMERAL).toBe(0);
  });

  it('turns an entity on by friendly name', async () => {
    world().ha.setState('light.bedroom_left', 'off');
    const handle = await world().command('on', { target: 'bedroom left' });
    const reply = await handle.waitForReply();
    expect(calls().at(-1)).toMatchObject({
      domain: 'light',
      service: 'turn_on',
      target: { entity_id: ['light.bedroom_left'] },
    });
    expect(reply.embeds[0].title).toBe('Bedroom Left is on');
  });

  it('acts on every controllable entity in an area and says which', async () => {
    const handle = await world().command('off', { target: 'Kitchen' });
    const reply = await handle.waitForReply();
    const made = calls()
      .slice(-2)
      .map((c) => `${c.domain}.${c.service}`)
      .sort();
    expect(made).toEqual(['light.turn_off', 'switch.turn_off']);
    expect(reply.embeds[0].title).toBe('Turned off 2 in Kitchen');
    // Blue, not the red of an unavailable entity: nothing failed.
    expect(reply.embeds[0].color).toBe(0x3498db);
    expect(reply.embeds[0].description).toContain('light.kitchen_light');
    expect(reply.embeds[0].description).toContain('switch.kettle');
    expect(reply.embeds[0].description).not.toContain('sensor.temp');
  });

  it('says the state is pending when HA does not change it in time', async () => {
    world().ha.setServiceHandler(() => ({ noStateChange: true }));
    try {
      const handle = await world().command('toggle', { target: 'switch.kettle' });
      const reply = await handle.waitForReply(10_000);
      expect(reply.embeds[0].description).toContain('state pending');
      // HA took longer than the bot waits before deferring: deferred, then edited.
      expect(handle.replies.map((r) => r.type)).toEqual(['callback', 'edit']);
    } finally {
      world().ha.setServiceHandler(null);
    }
  });

  it('shows the state of a sensor with its unit, area and relative time', async () => {
    const handle = await world().command('state', { entity: 'sensor.temp' });
    const reply = await handle.waitForReply();
    const embed = reply.embeds[0];
    expect(embed.title).toBe('Temperature');
    expect(embed.description).toBe('21.5 °C');
    const fields = Object.fromEntries(
      embed.fields.map((f: { name: string; value: string }) => [f.name, f.value]),
    );
    expect(fields.Area).toBe('Kitchen');
    expect(fields['Last changed']).toMatch(/^<t:\d+:R>$/);
  });

  it('autocompletes from the live entity list', async () => {
    const handle = await world().autocomplete('toggle', 'target', 'kitch');
    const choices = await handle.waitForAutocomplete();
    // The area first, marked (it acts on both), then its entities.
    expect(choices.map((c) => c.value)).toEqual([
      'area:kitchen',
      'light.kitchen_light',
      'switch.kettle',
    ]);
    expect(choices[0]!.name).toBe('Kitchen (area)');
    const forState = await (
      await world().autocomplete('state', 'entity', 'temp')
    ).waitForAutocomplete();
    expect(forState[0]).toEqual({
      name: 'Temperature (sensor.temp) · Kitchen · 21.5',
      value: 'sensor.temp',
    });
  });

  it('tells the user, privately, when nothing matches, with the closest names', async () => {
    const handle = await world().command('toggle', { target: 'bathroom fan' });
    const reply = await handle.waitForReply();
    expect(reply.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(reply.content).toMatch(/^No entity, area, floor or label matches 'bathroom fan'\./);
    const close = await (
      await world().command('state', { entity: 'Kettel Boiler' })
    ).waitForReply();
    expect(close.content).toContain('Closest: Kettle (`switch.kettle`)');
    const unknown = await (await world().command('state', { entity: 'qqqqqq' })).waitForReply();
    expect(unknown.content).toContain("No entity, area, floor or label matches 'qqqqqq'");
  });

  it('understands a typo when one entity is clearly meant, and says which it used', async () => {
    world().ha.setState('light.kitchen_light', 'off');
    const reply = await (await world().command('on', { target: 'kitchn lihgt' })).waitForReply();
    expect(reply.embeds[0].title).toBe('Kitchen Light is on');
  });

  it('lists the candidates of an ambiguous target with a menu, and acts on the pick', async () => {
    const handle = await world().command('toggle', { target: 'porch' });
    const reply = await handle.waitForReply();
    expect(reply.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(reply.content).toContain('light.porch');
    expect(reply.content).toContain('switch.porch');
    const menu = reply.components[0].components[0];
    expect(menu.options.map((o: { value: string }) => o.value).sort()).toEqual([
      'light.porch',
      'switch.porch',
    ]);
    const before = calls().length;
    const pick = await pickInMenu(world().discord, menu.custom_id, ['switch.porch']);
    await pick.waitForCallback();
    await waitFor(() => pick.replies.some((r) => r.type === 'followup'));
    expect(calls().slice(before)).toMatchObject([{ domain: 'switch', service: 'toggle' }]);
    expect(world().ha.states.get('switch.porch')!.state).toBe('on');
    expect(world().ha.states.get('light.porch')!.state).toBe('off');
  });

  it('refuses to unlock a lock with toggle/on/off', async () => {
    const reply = await (
      await world().command('off', { target: 'lock.front_door_lock' })
    ).waitForReply();
    expect(reply.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(reply.content).toContain('is a lock');
    expect(world().ha.states.get('lock.front_door_lock')!.state).toBe('locked');
  });

  it("shows HA's reason when HA rejects a service call, privately", async () => {
    world().ha.failNextServiceCall({
      code: 'service_validation_error',
      message: 'Kettle is empty',
    });
    const handle = await world().command('on', { target: 'switch.kettle' });
    const reply = await handle.waitForReply();
    expect(reply.content).toBe('Home Assistant refused the request: Kettle is empty');
    expect(reply.flags & EPHEMERAL).toBe(EPHEMERAL);
    // A quick answer is one private reply: nothing public was posted first.
    expect(handle.replies.map((r) => r.type)).toEqual(['callback']);
  });
});
