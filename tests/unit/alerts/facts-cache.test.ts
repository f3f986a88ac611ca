import type { RuleSubject } from '../../../src/alerts/compiled-rule.js';
import { FactsCache } from '../../../src/alerts/facts-cache.js';

const KITCHEN_KEYS = ['kitchen', 'cuisine'];
const GROUND = ['ground'];

function subject(overrides: Partial<RuleSubject> = {}): RuleSubject {
  return {
    entityId: 'binary_sensor.back_door',
    domain: 'binary_sensor',
    areaId: 'kitchen',
    areaName: 'Kitchen',
    areaKeys: KITCHEN_KEYS,
    floorKeys: GROUND,
    labelKeys: undefined,
    deviceClass: 'door',
    ...overrides,
  };
}

describe('facts cache', () => {
  it('answers for every entity with the same facts, whatever its id', () => {
    const cache = new FactsCache<string>(10);
    cache.set(subject(), 'doors in the kitchen');
    expect(cache.get(subject({ entityId: 'binary_sensor.front_door' }))).toBe(
      'doors in the kitchen',
    );
    expect(cache.size).toBe(1);
  });

  it('tells apart subjects that differ in any one fact', () => {
    const cache = new FactsCache<string>(10);
    cache.set(subject(), 'first');
    const others: Partial<RuleSubject>[] = [
      { domain: 'sensor' },
      { areaId: 'hall' },
      { areaId: undefined },
      { areaName: 'Cuisine' },
      { areaKeys: ['kitchen'] },
      { floorKeys: undefined },
      { labelKeys: ['night'] },
      { deviceClass: undefined },
      { deviceClass: 'window' },
    ];
    for (const other of others)
      expect([other, cache.get(subject(other))]).toEqual([other, undefined]);
    // Each its own entry, and the first still there.
    others.forEach((other, i) => cache.set(subject(other), `other ${i}`));
    others.forEach((other, i) => expect(cache.get(subject(other))).toBe(`other ${i}`));
    expect(cache.get(subject())).toBe('first');
    expect(cache.size).toBe(others.length + 1);
  });

  it('takes key lists by identity: an equal list that is another array is another entry', () => {
    const cache = new FactsCache<string>(10);
    cache.set(subject(), 'shared list');
    expect(cache.get(subject({ areaKeys: [...KITCHEN_KEYS] }))).toBeUndefined();
  });

  it('starts over when full', () => {
    const cache = new FactsCache<number>(3);
    for (let i = 0; i < 3; i++) cache.set(subject({ deviceClass: `class ${i}` }), i);
    // Setting one already there takes no room.
    cache.set(subject({ deviceClass: 'class 0' }), 0);
    expect(cache.size).toBe(3);
    cache.set(subject({ deviceClass: 'class 3' }), 3);
    expect(cache.size).toBe(1);
    expect(cache.get(subject({ deviceClass: 'class 0' }))).toBeUndefined();
    expect(cache.get(subject({ deviceClass: 'class 3' }))).toBe(3);
  });
});
