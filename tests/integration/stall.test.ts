import type { FakeHaOptions } from '../fakes/ha/fake-ha.js';
import { HOSTILE_QUERIES, OPTION_MAX_LENGTH } from '../helpers/hostile-queries.js';
import { EPHEMERAL, expectDiscordRulesKept, HOME, startWorld, type World } from './world.js';

const ROOMS = ['Kitchen', 'Living Room', 'Bedroom', 'Office', 'Garage', 'Hallway', 'Attic'];
const THINGS = ['Ceiling', 'Lamp', 'Outlet', 'Temperature', 'Humidity', 'Motion', 'Door'];
const DOMAINS = ['light', 'switch', 'sensor', 'binary_sensor', 'fan', 'cover'];

/** The test home plus `count` more entities over 35 areas: a large Home Assistant install. */
function largeHome(count: number): Pick<FakeHaOptions, 'entities' | 'areas' | 'registry'> {
  const areas = Array.from({ length: 35 }, (_, i) => ({
    area_id: `area_${i}`,
    name: `${ROOMS[i % ROOMS.length]} ${Math.floor(i / ROOMS.length) + 1}`,
  }));
  const entities = [...HOME.entities];
  const registry = [...HOME.registry];
  for (let i = 0; i < count; i++) {
    const area = areas[i % areas.length]!;
    const name = `${area.name} ${THINGS[Math.floor(i / 35) % THINGS.length]} ${i}`;
    const entityId = `${DOMAINS[i % DOMAINS.length]}.${name.toLowerCase().replace(/[^a-z0-9]+/g, '_')}`;
    entities.push({ entity_id: entityId, state: 'off', attributes: { friendly_name: name } });
    registry.push({ entity_id: entityId, area_id: area.area_id });
  }
  return { entities, areas: [...HOME.areas, ...areas], registry };
}

// Each of these took 0.8-1 s to resolve against 10,000 entities before resolution was bounded.
const HOSTILE = [
  'an entity id 18 times and a bit',
  '200 characters of room words',
  'every letter as a word',
  'one long word of names',
].map((name) => HOSTILE_QUERIES[name]!);

describe('one member cannot stall the bot for everyone (10,000 entities)', () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld({ ha: largeHome(10_000) });
    // The first command builds the searchable catalog: not what is tested here.
    await (await world.command('state', { entity: 'sensor.temp' })).waitForReply();
  }, 60_000);
  afterAll(async () => {
    await world?.stop();
  });
  afterEach(() => expectDiscordRulesKept(world.discord));

  it('answers a plain /ha state sent 10 ms after four of the longest hostile queries in time', async () => {
    for (const text of HOSTILE) expect(text).toHaveLength(OPTION_MAX_LENGTH);
    const hostile = await Promise.all(
      HOSTILE.map((text) => world.command('state', { entity: text })),
    );
    await new Promise((resolve) => setTimeout(resolve, 10));
    const plain = await world.command('state', { entity: 'sensor.temp' });

    // The fake Discord refuses a callback after its 3-second deadline (10062 Unknown
    // interaction), so a reply here is a reply within the deadline.
    const reply = await plain.waitForReply();
    expect(reply.embeds[0].title).toBe('Temperature');
    for (const handle of hostile) {
      const answer = await handle.waitForReply();
      // Each hostile query gets a clear private answer: nothing matches, or pick one.
      expect(answer.flags & EPHEMERAL).toBe(EPHEMERAL);
      expect(answer.content).toMatch(
        /^No entity, area, floor or label matches '.+'\.|matches \d+ entit(y|ies)/,
      );
    }
    expect(world.discord.lateCallbacks).toEqual([]);
    expect(world.discord.unanswered).toEqual([]);
  });

  it('autocompletes for everyone while hostile text is being typed', async () => {
    const hostile = await Promise.all(
      Object.values(HOSTILE_QUERIES).map((text) => world.autocomplete('toggle', 'target', text)),
    );
    const plain = await world.autocomplete('state', 'entity', 'temperatu');
    const choices = await plain.waitForAutocomplete();
    expect(choices[0]).toMatchObject({ value: 'sensor.temp' });
    for (const handle of hostile) await handle.waitForAutocomplete();
    expect(world.discord.lateCallbacks).toEqual([]);
  });
});
