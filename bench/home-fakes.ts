import { FakeHomeAssistant } from '../tests/fakes/ha/fake-ha.js';
import { fakeDiscord, HA_TOKEN } from '../tests/integration/world.js';
import { benchHome, type BenchHome } from './home.js';

/**
 * A fake HA serving a benchmark home (not yet started), with the JSON of its states and
 * registry entries already made, as an HA that has been running has it cached: the bot's
 * start-up is then measured, not the fake's first serialisation of every entity.
 */
export function benchHa(home: BenchHome, token = HA_TOKEN): FakeHomeAssistant {
  const ha = new FakeHomeAssistant({
    token,
    entities: home.entities,
    areas: home.areas,
    registry: home.registry,
  });
  ha.warm();
  return ha;
}

/** A benchmark home of `entities` in a started fake HA, and the test suite's fake Discord. */
export async function homeFakes(entities: number) {
  const home = benchHome(entities);
  const ha = benchHa(home);
  const discord = fakeDiscord();
  await Promise.all([ha.start(), discord.start()]);
  return { home, ha, discord, stop: () => Promise.all([ha.stop(), discord.stop()]) };
}
