import { jest } from '@jest/globals';
import { WorkBudget } from '../../../src/entities/bounds.js';
import type { CatalogEntry } from '../../../src/entities/catalog.js';
import { searchIndexOf } from '../../../src/entities/search-index.js';
import { search } from '../../../src/entities/search.js';
import { typosOf } from '../../../src/entities/typos.js';
import { makeCatalog, type TestEntity } from '../../helpers/catalog.js';

const ROOMS = ['Kitchen', 'Living Room', 'Bedroom', 'Office', 'Garage', 'Hallway', 'Attic'];
const THINGS = ['Ceiling', 'Lamp', 'Outlet', 'Temperature', 'Humidity', 'Motion', 'Door'];
const DOMAINS = ['light', 'switch', 'sensor', 'binary_sensor', 'fan'];

/** A home like the benchmark's, with some names that are not their ids and some aliases. */
function home(count: number) {
  const areas = Array.from({ length: 35 }, (_, i) => ({
    id: `area_${i}`,
    name: `${ROOMS[i % ROOMS.length]} ${Math.floor(i / ROOMS.length) + 1}`,
  }));
  const entities: TestEntity[] = [];
  for (let i = 0; i < count; i++) {
    const area = areas[i % areas.length]!;
    const name = `${area.name} ${THINGS[Math.floor(i / 35) % THINGS.length]} ${i}`;
    const renamed = i % 7 === 0;
    entities.push({
      id: `${DOMAINS[i % DOMAINS.length]}.${renamed ? `device_${i}` : name.toLowerCase().replace(/[^a-z0-9]+/g, '_')}`,
      name,
      area: area.id,
      ...(i % 100 === 0 ? { aliases: [`Kitchen ${i}`] } : {}),
    });
  }
  // An object id and an alias that are also the start of many names.
  entities.push({ id: 'light.kitchen', name: 'Main light', area: 'area_1' });
  entities.push({ id: 'switch.plug_9', name: 'Plug', aliases: ['kitchen 1'] });
  return makeCatalog(entities, areas);
}

const entries = home(8000).catalog.list();
const ranked = (list: { entry: CatalogEntry; score: number }[]) =>
  list.map(({ entry, score }) => `${entry.entityId} ${score}`);

describe('search by the start of names', () => {
  const queries = [
    'k',
    'K',
    'ki',
    'kitchen',
    'kitchen 1',
    'kitchen 1 l',
    'living room 2 lamp',
    'bedroom 3 lamp 1',
    'device',
    'l',
    'lamp',
    'o',
    'attic 1 ceiling 3',
    'living room 2 lamp 1 x',
  ];

  it.each(queries)('ranks %j as the full passes do', (query) => {
    // Over 100 results the shortcut is not taken: the same search the long way.
    const full = search(entries, query, 200, undefined, new WorkBudget(1e9)).slice(0, 25);
    expect(ranked(search(entries, query, 25))).toEqual(ranked(full));
  });

  it('ranks for a member who may use only some entities as the full passes do', () => {
    const accept = (e: CatalogEntry) => e.domain === 'switch' || e.domain === 'fan';
    for (const query of queries) {
      const full = search(entries, query, 200, accept, new WorkBudget(1e9)).slice(0, 10);
      expect(ranked(search(entries, query, 10, accept))).toEqual(ranked(full));
    }
  });

  it('reads about as many entries as it shows for one letter, not every one with it', () => {
    let read = 0;
    const accept = () => {
      read++;
      return true;
    };
    expect(search(entries, 'k', 25, accept)).toHaveLength(25);
    // Before: every entry containing a "k" was read (1,213 here) and scored.
    expect(read).toBeLessThanOrEqual(40);
  });
});

describe("a word's entries", () => {
  const byWord = searchIndexOf(entries).words().entriesByWord;

  it('visits, in order, the entries whose text has the word, and counts them', () => {
    const seen: number[] = [];
    expect(byWord.everyEntry('attic', (at) => seen.push(at) > 0)).toBe(true);
    const expected = entries.flatMap((e, at) => (/\battic\b/i.test(e.name) ? [at] : []));
    expect(seen).toEqual(expected);
    expect(byWord.countOf('attic')).toBe(expected.length);
  });

  it('stops at the first visit that says so', () => {
    const seen: number[] = [];
    expect(byWord.everyEntry('attic', (at) => seen.push(at) < 3)).toBe(false);
    expect(seen).toHaveLength(3);
  });

  it('has none for a word that is not in the vocabulary', () => {
    const visit = jest.fn(() => true);
    expect(byWord.everyEntry('zqxw', visit)).toBe(true);
    expect(visit).not.toHaveBeenCalled();
    expect(byWord.countOf('zqxw')).toBe(0);
  });
});

describe('typos', () => {
  const vocabulary = searchIndexOf(entries).words();

  it('finds the same words within one edit by looking up neighbours as by a scan', () => {
    const words = [
      'lamp',
      'lmap',
      'lamps',
      'kitchn',
      'kitchen',
      'outlt',
      'ceilin',
      '1234',
      '1243',
      '123',
      '7999',
      '80000',
      'garag',
      'xyzw',
      'devic',
    ];
    for (const word of words) {
      const pairs = (t: { words: string[]; quality: number[] }) =>
        t.words.map((w, i) => `${w}:${t.quality[i]}`).sort();
      const scanned = typosOf(word, vocabulary, new WorkBudget(), true);
      expect(pairs(typosOf(word, vocabulary, new WorkBudget()))).toEqual(pairs(scanned));
    }
  });
});
