import { describe, expect, it } from '@jest/globals';
import type { MessageBase } from 'home-assistant-js-websocket';
import { refreshRegistry } from '../../../src/ha/registry-sync.js';
import { Registry } from '../../../src/ha/registry.js';
import { createLogger } from '../../../src/logging/logger.js';

const log = createLogger({ level: 'silent', secrets: [] });

/** An HA of `count` entities (every tenth with an alias) whose get_entries answers wait for `release`. */
function fakeHa(count: number, failAt?: number) {
  const ids = Array.from({ length: count }, (_, i) => `sensor.s${i}`);
  const waiting: (() => void)[] = [];
  let inFlight = 0;
  let most = 0;
  let asked = 0;
  const ha = {
    async command<T>(message: MessageBase): Promise<T> {
      switch (message.type) {
        case 'config/entity_registry/list_for_display':
          return { entity_categories: {}, entities: ids.map((ei) => ({ ei })) } as T;
        case 'config/entity_registry/get_entries': {
          const batch = message.entity_ids as string[];
          const n = asked++;
          inFlight++;
          most = Math.max(most, inFlight);
          await new Promise<void>((resolve) => waiting.push(resolve));
          inFlight--;
          if (n === failAt) throw new Error('connection lost');
          return Object.fromEntries(
            batch.map((id) => [id, { aliases: Number(id.slice(8)) % 10 === 0 ? [`a ${id}`] : [] }]),
          ) as T;
        }
        default:
          return [] as T;
      }
    },
  };
  /** Answers the waiting batches, in turn, until `done` settles. */
  const answer = async (done: Promise<unknown>) => {
    let settled = false;
    void done.finally(() => (settled = true));
    while (!settled) {
      waiting.shift()?.();
      await new Promise((r) => setImmediate(r));
    }
  };
  return { ha, ids, answer, most: () => most, asked: () => asked };
}

describe('refreshRegistry: aliases from get_entries', () => {
  it('asks for several batches at once, and takes every alias of every batch', async () => {
    const home = fakeHa(5000);
    const registry = new Registry();
    const done = refreshRegistry(home.ha, registry, log);
    await home.answer(done);
    await done;
    // 10 batches of 500, up to 4 of them answered at a time rather than one after another.
    expect(home.asked()).toBe(10);
    expect(home.most()).toBe(4);
    for (const [i, id] of home.ids.entries()) {
      expect(registry.entry(id)?.aliases ?? []).toEqual(i % 10 === 0 ? [`a ${id}`] : []);
    }
  });

  it('stops asking after a batch fails, and loads the registry without aliases from then on', async () => {
    const home = fakeHa(5000, 1);
    const registry = new Registry();
    const done = refreshRegistry(home.ha, registry, log);
    await home.answer(done);
    await done;
    // Four at first, and the one asked when the first was answered; none after the failure.
    expect(home.asked()).toBe(5);
    expect(registry.entry('sensor.s0')?.aliases).toEqual(['a sensor.s0']);
    // Batches answered after the failure are not taken; the entities are there all the same.
    expect(registry.entry('sensor.s1000')?.aliases).toEqual([]);
    expect(registry.entry('sensor.s4990')?.aliases).toEqual([]);
  });
});
