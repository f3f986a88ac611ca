import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FakeHaOptions } from '../fakes/ha/fake-ha.js';
import {
  ALERT_CHANNEL_ID,
  configFile,
  EPHEMERAL,
  HOME,
  sendHa,
  sharedWorld,
  type World,
  suggestHa,
  HOUSEMATE,
} from './world.js';

/** The integration home on an HA 2025.4.4 with floors and labels (see FakeHaOptions.haVersion). */
const FLOORED: Partial<FakeHaOptions> = {
  haVersion: '2025.4.4',
  floors: [
    { floor_id: 'ground', name: 'Ground Floor', aliases: ['Downstairs'], level: 0 },
    { floor_id: 'upstairs', name: 'Upstairs', level: 1 },
  ],
  labels: [
    { label_id: 'outdoor', name: 'Outdoor' },
    { label_id: 'christmas', name: 'Christmas lights' },
  ],
  areas: [
    { area_id: 'kitchen', name: 'Kitchen', floor_id: 'ground' },
    { area_id: 'bedroom', name: 'Bedroom', floor_id: 'upstairs' },
  ],
  devices: [{ id: 'porch_controller', name: 'Porch controller', labels: ['outdoor'] }],
  registry: [
    ...HOME.registry,
    { entity_id: 'binary_sensor.back_door', area_id: 'kitchen' },
    // Outdoor through its device, and through its own label.
    { entity_id: 'light.porch', device_id: 'porch_controller' },
    { entity_id: 'switch.porch', labels: ['outdoor'] },
  ],
};

const POLICY_AND_RULES = `access:
  grants:
    - everyone: true
      allow: [read]
    - roles: ["home control"]
      allow: [control]
      floors: [upstairs]
    - roles: ["home control"]
      allow: [control]
      labels: [Outdoor]
alerts:
  rules:
    - name: downstairs doors
      floors: [Downstairs]
      domains: [binary_sensor]
    - name: outdoor things
      labels: [outdoor]
`;

/** The entities of the calls made since `from`, by service. */
function calledSince(world: World, from: number): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const call of world.ha.serviceCalls.slice(from)) {
    if (call.domain === 'logbook') continue;
    const ids = call.target?.entity_id;
    out[`${call.domain}.${call.service}`] = Array.isArray(ids) ? (ids as string[]) : [];
  }
  return out;
}

async function retry<T>(attempt: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  let value = await attempt();
  for (let i = 0; i < 100 && !done(value); i++) {
    await new Promise((r) => setTimeout(r, 50));
    value = await attempt();
  }
  return value;
}

describe('floors and labels (HA 2024.4+)', () => {
  const world = sharedWorld({
    ha: FLOORED,
    env: {
      ALERT_ENTITIES: '',
      CONFIG_FILE: configFile(POLICY_AND_RULES),
      DATA_DIR: mkdtempSync(join(tmpdir(), 'hdb-floors-')),
    },
  });
  const suggest = async (value: string, user?: typeof HOUSEMATE) =>
    (
      await (
        await suggestHa(world().discord, 'toggle', 'target', { target: value }, { user })
      ).waitForAutocomplete()
    ).map((c) => c.value);

  it('acts on the entities of a floor, by name, alias or as autocomplete sends it', async () => {
    let from = world().ha.serviceCalls.length;
    const up = await (await world().command('toggle', { target: 'upstairs' })).waitForReply();
    expect(up.embeds[0].title).toBe('Toggled 2 in Upstairs');
    expect(calledSince(world(), from)).toEqual({
      'light.toggle': ['light.bedroom_left', 'light.bedroom_right'],
    });
    for (const target of ['downstairs', 'floor:ground']) {
      from = world().ha.serviceCalls.length;
      await (await world().command('off', { target })).waitForReply();
      expect(calledSince(world(), from)).toEqual({
        'light.turn_off': ['light.kitchen_light'],
        'switch.turn_off': ['switch.kettle'],
      });
    }
  });

  it("acts on a label's entities: its own and its devices'", async () => {
    const from = world().ha.serviceCalls.length;
    const reply = await (await world().command('on', { target: 'outdoor' })).waitForReply();
    expect(reply.embeds[0].title).toBe('Turned on 2 in Outdoor');
    expect(calledSince(world(), from)).toEqual({
      'light.turn_on': ['light.porch'],
      'switch.turn_on': ['switch.porch'],
    });
  });

  it('offers floors, labels and areas in autocomplete, marked as such', async () => {
    const choices = await (
      await world().autocomplete('toggle', 'target', 'upst')
    ).waitForAutocomplete();
    expect(choices[0]).toEqual({ name: 'Upstairs (floor)', value: 'floor:upstairs' });
    expect((await suggest('outd'))[0]).toBe('label:outdoor');
    expect((await suggest('kitchen'))[0]).toBe('area:kitchen');
    // Nothing in the label Christmas lights: nothing to offer.
    expect(await suggest('christmas')).toEqual([]);
  });

  it('scopes the access policy by floor and label', async () => {
    const as = (subcommand: string, target: string) =>
      sendHa(world().discord, subcommand, { target }, { user: HOUSEMATE });
    const from = world().ha.serviceCalls.length;
    expect((await (await as('on', 'upstairs')).waitForReply()).embeds[0].title).toBe(
      'Turned on 2 in Upstairs',
    );
    expect((await (await as('off', 'light.porch')).waitForReply()).embeds[0].title).toBe(
      'Porch Lamp is off',
    );
    const refused = await (await as('off', 'downstairs')).waitForReply();
    expect(refused.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(refused.content).toContain('to control `light.kitchen_light`');
    expect(Object.keys(calledSince(world(), from)).sort()).toEqual([
      'light.turn_off',
      'light.turn_on',
    ]);
    // Autocomplete offers the housemate what they may control, and only that.
    expect(await suggest('kitchen', HOUSEMATE)).toEqual([]);
    expect(await suggest('bedroom', HOUSEMATE)).toEqual([
      'area:bedroom',
      'light.bedroom_left',
      'light.bedroom_right',
    ]);
  });

  it('lists by floor and by label', async () => {
    const list = async (options: Record<string, string>) =>
      (await world().command('list', options)).waitForReply();
    const up = await list({ floor: 'Upstairs' });
    expect(up.embeds[0].title).toBe('Entities in floor Upstairs (2)');
    const outdoor = await list({ domain: 'switch', label: 'outdoor' });
    expect(outdoor.embeds[0].title).toBe('switch in label Outdoor (1)');
    expect(outdoor.embeds[0].description).toContain('switch.porch');
    expect((await list({ floor: 'attic' })).content).toBe(
      "No floor matches 'attic'. Floors: Ground Floor, Upstairs.",
    );
    const floors = await (await world().autocomplete('list', 'floor', 'up')).waitForAutocomplete();
    expect(floors).toEqual([{ name: 'Upstairs', value: 'upstairs' }]);
  });

  it('alerts by rules that select floors and labels', async () => {
    const alerts = () =>
      world()
        .discord.messages.filter((m) => m.channelId === ALERT_CHANNEL_ID)
        .map((m) => JSON.stringify(m.body));
    const seen = alerts().length;
    world().ha.setState('binary_sensor.front_door', 'on'); // on no floor: no rule
    world().ha.setState('binary_sensor.back_door', 'on');
    world().ha.setState('switch.porch', 'on');
    const sent = await retry(
      async () => alerts().slice(seen),
      // Both rules' messages: they are posted one after the other, in either order.
      (texts) =>
        texts.some((t) => t.includes('outdoor things')) &&
        texts.some((t) => t.includes('downstairs doors')),
    );
    const text = sent.join('\n');
    expect(text).toContain('downstairs doors');
    expect(text).toContain('binary_sensor.back_door');
    expect(text).not.toContain('binary_sensor.front_door');
  });

  it('watches a floor from Discord', async () => {
    const added = await (
      await sendHa(world().discord, 'add', { target: 'floor:upstairs' }, { group: 'watch' })
    ).waitForReply();
    expect(added.content).toMatch(/^Watching floor Upstairs\. Watch #\d+\.$/);
    const seen = world().discord.messages.length;
    world().ha.setState('light.bedroom_right', 'off');
    world().ha.setState('light.bedroom_right', 'on');
    const alert = await retry(
      async () =>
        world()
          .discord.messages.slice(seen)
          .map((m) => JSON.stringify(m.body))
          .find((t) => t.includes('light.bedroom_right')),
      (found) => found !== undefined,
    );
    expect(alert).toContain('watch floor:upstairs');
  });

  it('follows floors and labels renamed in HA (their own update events)', async () => {
    world().ha.setFloors([
      { floor_id: 'ground', name: 'Ground Floor', aliases: ['Downstairs'] },
      { floor_id: 'upstairs', name: 'Top Floor' },
    ]);
    world().ha.setLabels([
      { label_id: 'outdoor', name: 'Garden' },
      { label_id: 'christmas', name: 'Christmas lights' },
    ]);
    const renamed = await retry(
      () => suggest('top floor'),
      (values) => values[0] === 'floor:upstairs',
    );
    expect(renamed[0]).toBe('floor:upstairs');
    expect((await suggest('garden'))[0]).toBe('label:outdoor');
  });
});

describe('on Home Assistant before floors and labels', () => {
  // 2024.2 has no floor or label registry: its answer to both lists is unknown_command.
  const world = sharedWorld({ ha: { haVersion: '2024.2.5' } });

  it('works as before and says nothing alarming', async () => {
    const reply = await (await world().command('off', { target: 'kitchen' })).waitForReply();
    expect(reply.embeds[0].title).toBe('Turned off 2 in Kitchen');
    const list = await (await world().command('list', { floor: 'upstairs' })).waitForReply();
    expect(list.content).toBe("No floor matches 'upstairs'. Floors: none.");
    await world().bot.waitForLog(
      (l) => l.msg === 'registries loaded' && l.floors === 0 && l.labels === 0,
    );
    expect(world().bot.logs.filter((l) => l.level >= 40)).toEqual([]);
  });
});
