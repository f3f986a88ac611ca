import { jest } from '@jest/globals';
import { WorkBudget } from '../../../src/entities/bounds.js';
import type { CatalogEntry } from '../../../src/entities/catalog.js';
import { searchIndexOf } from '../../../src/entities/search-index.js';
import { fuzzyQuery, queryWords, search } from '../../../src/entities/search.js';
import { strictScore } from '../../../src/entities/scoring.js';
import { typosOf } from '../../../src/entities/typos.js';
import { wordAt } from '../../../src/entities/vocabulary.js';
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
    // A letter first inside an earlier word, which also starts a later one ("bedroom 1 door").
    'bedroom 1 d',
    'attic 1 c',
    'hallway 2 l',
    'kitchen 2 t',
    'living room 1 o',
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

  it('reads about as many as it shows for a letter first inside an earlier word', () => {
    let read = 0;
    const accept = () => {
      read++;
      return true;
    };
    // "d" is inside "bedroom", and starts "door": scored there (80), the names starting with
    // the query rank first, and the shortcut is taken. Before, "d" scored 60 by "bedroom",
    // the shortcut refused, and every entry with "bedroom", "1" and "d" was read.
    expect(search(entries, 'bedroom 1 d', 25, accept)).toHaveLength(25);
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

  it('finds each word of the vocabulary, and no prefix or extension of one', () => {
    const vocabulary = searchIndexOf(entries).words();
    const numbers = new Map<string, number>();
    for (let k = 0; k < vocabulary.size; k++) numbers.set(wordAt(vocabulary, k), k);
    expect(numbers.size).toBe(vocabulary.size);
    for (const [word, k] of numbers) {
      expect(byWord.find(word)).toBe(k);
      // A word's prefix or extension is found only when it is a word itself.
      for (const near of [word.slice(0, -1), `${word}~`, `${word}0`])
        expect(byWord.find(near)).toBe(numbers.get(near) ?? -1);
    }
    expect(byWord.find('zz~')).toBe(-1);
    expect(byWord.find('')).toBe(-1);
  });

  it('holds the words in one text: no string per word (a large home has one per entity)', () => {
    const vocabulary = searchIndexOf(entries).words();
    expect(Object.values(vocabulary).filter((v) => Array.isArray(v))).toEqual([]);
    expect(wordAt(vocabulary, 0)).toBe(vocabulary.text.split('\n')[1]);
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

  it('finds the same as a scan for an edit at any place, where words share their first letters', () => {
    // The lookups of an edit at i search only the words that start with the word's first i
    // letters: words that are prefixes of one another, that differ only in the last letter,
    // and the first and last words in order are the edges of those blocks.
    const names = [
      'aaaa',
      'zzzz',
      'lamp',
      'lam',
      'lamb',
      'lamps',
      'lampshade',
      'lamq',
      'lamo',
      'lap',
      'lmp',
      'lbmp',
      'alamp',
      'clamp',
      'kamp',
      'mamp',
      'plam',
      'lamplight',
      'lampa',
      'lanp',
    ];
    const { catalog } = makeCatalog(
      names.map((name, i) => ({ id: `light.thing_${i}`, name: `${name} ${name}s` })),
    );
    const words = searchIndexOf(catalog.list()).words();
    const pairs = (t: { words: string[]; quality: number[] }) =>
      t.words.map((w, i) => `${w}:${t.quality[i]}`);
    const queries = [...names, 'aaab', 'zzzy', 'lamx', 'xamp', 'alm', 'lampz', 'lmap', 'amps'];
    for (const word of queries) {
      const scanned = typosOf(word, words, new WorkBudget(), true);
      expect([word, pairs(typosOf(word, words, new WorkBudget())).sort()]).toEqual([
        word,
        pairs(scanned).sort(),
      ]);
    }
    expect(typosOf('lamp', words, new WorkBudget()).words).toEqual(
      expect.arrayContaining(['lamb', 'lamps', 'lamq', 'lanp', 'lmp', 'clamp', 'lampshade']),
    );
  });

  it('finds none for a number, though the vocabulary has its neighbours', () => {
    expect(vocabulary.text.split('\n')).toEqual(expect.arrayContaining(['1235', '1334']));
    expect(typosOf('1234', vocabulary, new WorkBudget()).words).toEqual([]);
    expect(typosOf('1234', vocabulary, new WorkBudget(), true).words).toEqual([]);
  });
});

describe('numbers in a query', () => {
  const ids = (list: { entry: CatalogEntry }[]) => list.map((r) => r.entry.entityId);
  const { catalog: small } = makeCatalog([
    { id: 'binary_sensor.living_room_3_door_212', name: 'Living Room 3 Door 212' },
    { id: 'binary_sensor.living_room_2_door_3411', name: 'Living Room 2 Door 3411' },
    { id: 'cover.garage_door_2121', name: 'Garage Door 2121' },
    { id: 'light.kitchen_light', name: 'Kitchen Light' },
    { id: 'light.living_room_2_lamp', name: 'Living Room 2 Lamp' },
    { id: 'light.bedroom_lamp', name: 'Bedroom Lamp' },
  ]);

  it('reads a word of digits as the number, not as an abbreviation', () => {
    // "212" is in order in "living room 2 door 3411" ("2", "1" of 3411, "2" of the id), and
    // "3" is in 3411: that was a loose match, shown below the one entry with 212.
    expect(ids(search(small.list(), 'living room 3 door 212', 25))).toEqual([
      'binary_sensor.living_room_3_door_212',
    ]);
    // Alone, it matches where it is a substring (2121 too), and nowhere else.
    expect(ids(search(small.list(), '212', 25)).sort()).toEqual([
      'binary_sensor.living_room_3_door_212',
      'cover.garage_door_2121',
    ]);
  });

  it('takes no typo of a number: 2120 is another device than 2121', () => {
    expect(ids(search(small.list(), 'garage door 2120', 25))).toEqual([]);
    expect(ids(search(small.list(), 'garage door 2121', 25))).toEqual(['cover.garage_door_2121']);
  });

  it('still reads letters, and letters with digits, as abbreviations and typos', () => {
    expect(ids(search(small.list(), 'kl', 25))).toEqual(['light.kitchen_light']);
    expect(ids(search(small.list(), 'lr2 lamp', 25))).toEqual(['light.living_room_2_lamp']);
    expect(ids(search(small.list(), 'bedrom lamp', 25))).toEqual(['light.bedroom_lamp']);
  });

  it('shows as fillers only entries that have every number typed', () => {
    // Few strict matches (or a typo), so the loose pass runs: what it adds must have every
    // number as typed, and match the other words loosely. Before, "Kitchen 4 Lamp 2016" and
    // the like came too: "41" as an abbreviation ("4", then a "1").
    const names = (query: string) => search(entries, query, 25).map((r) => r.entry.name);
    expect(names('kitchn 2 lamp 41')).toEqual(['Kitchen 2 Lamp 6412', 'Kitchen 4 Lamp 3241']);
    expect(names('living room 3 door 12')).toEqual([
      'Living Room 3 Door 1205',
      'Living Room 3 Door 5125',
    ]);
    const queries = ['livng room 3 door 12', 'kitchn 2 lamp 41', 'bedrom 2 motion 37', '2 lamp 41'];
    for (const query of queries) {
      const found = search(entries, query, 25);
      expect(found.length).toBeGreaterThan(0);
      const numbers = query.split(' ').filter((w) => /^[0-9]+$/.test(w));
      for (const { entry } of found) {
        const text = `${entry.foldedName} ${entry.foldedId} ${entry.foldedArea}`;
        for (const n of numbers)
          expect(`${entry.entityId}: ${text.includes(n)}`).toBe(`${entry.entityId}: true`);
      }
      // The same answer as a search with budget to spare (no shortcut drops a match).
      const full = search(entries, query, 200, undefined, new WorkBudget(1e9)).slice(0, 25);
      expect(ranked(found)).toEqual(ranked(full));
    }
  });

  it('does not read again loosely an entry without a number typed', () => {
    // Strictly, every entry with "living", "room" and "door" is read; those without "12" or
    // "3" cannot match loosely either, and are turned away by their text in the index.
    const asked = new Map<string, number>();
    const accept = (e: CatalogEntry) => {
      asked.set(e.entityId, (asked.get(e.entityId) ?? 0) + 1);
      return true;
    };
    expect(search(entries, 'living room 3 door 12', 25, accept)).toHaveLength(2);
    const again = [...asked].filter(([, n]) => n > 1).map(([id]) => id);
    const text = (id: string) => {
      const e = entries.find((x) => x.entityId === id)!;
      return `${e.foldedName}|${e.foldedId}|${e.foldedArea}`;
    };
    expect(again.filter((id) => !text(id).includes('12') || !text(id).includes('3'))).toEqual([]);
  });

  it('ranks what matches strictly as before: every entry with each word, by score', () => {
    const queries = ['kitchen 3', 'living room 2 lamp 1', 'attic 1 ceiling 3', 'door 12', '70'];
    queries.push('bedroom 1 d', 'attic 1 c', 'hallway 2 l');
    for (const query of queries) {
      const words = queryWords(fuzzyQuery(query));
      const reference = entries
        .map((entry, at) => ({ entry, at, score: strictScore(words, fuzzyQuery(query), entry) }))
        .filter((r) => r.score > 0)
        .sort(
          (a, b) => b.score - a.score || a.entry.name.length - b.entry.name.length || a.at - b.at,
        )
        .slice(0, 25);
      expect(reference.length).toBe(25);
      expect(ranked(search(entries, query, 25))).toEqual(ranked(reference));
    }
  });
});

describe('a word looked for only where every earlier word is', () => {
  // 400 entries, 12 with "bedroom" (enough that the next words are marked rather than read)
  // and 4 with "bedroom" and "lamp": "1335" is looked for in those 4 texts only.
  const { catalog } = makeCatalog([
    ...Array.from({ length: 388 }, (_, i) => ({ id: `sensor.kitchen_${i}`, name: `Kitchen ${i}` })),
    ...Array.from({ length: 6 }, (_, i) => ({
      id: `fan.bedroom_fan_${i}`,
      name: `Bedroom Fan ${i}`,
    })),
    { id: 'light.bedroom_lamp_1335', name: 'Bedroom Lamp 1335' },
    ...[7, 8, 9].map((i) => ({ id: `light.bedroom_lamp_${i}`, name: `Bedroom Lamp ${i}` })),
    // Without "lamp" (a typo of it instead): a near miss, not looked at for "1335" then.
    { id: 'light.bedroom_lmap_1335', name: 'Bedroom Lmap 1335' },
    { id: 'light.bedroom_lmap_7', name: 'Bedroom Lmap 7' },
  ]);
  const entries = catalog.list();

  it('still finds loosely a near miss that has it, though it was not looked for then', () => {
    const index = searchIndexOf(entries);
    const containing = jest.spyOn(index, 'containing');
    const marked = jest.spyOn(index, 'markContaining');
    const read = jest.spyOn(index, 'hasText');
    const found = search(entries, 'bedroom lamp 1335', 25).map((r) => r.entry.entityId);
    // Not looked up in the vocabulary (a scan of all of it for a number) ...
    expect(containing.mock.calls.map(([word]) => word)).not.toContain('1335');
    expect(marked.mock.calls.map(([word]) => word)).not.toContain('1335');
    // ... but read in the texts of the entries with "bedroom" and "lamp", and of the near
    // misses (without "lamp") when they are tried loosely.
    const readFor1335 = read.mock.calls.filter(([, word]) => word === '1335');
    expect(readFor1335.length).toBeGreaterThan(0);
    for (const [at] of readFor1335) expect(entries[at]!.entityId).toMatch(/^light\.bedroom_l/);
    expect(found).toEqual(['light.bedroom_lamp_1335', 'light.bedroom_lmap_1335']);
  });
});

describe('a word at its best place in a name', () => {
  it('ranks the name with a word starting with it above an area starting with it', () => {
    const { catalog } = makeCatalog(
      [
        { id: 'cover.front_garden_door', name: 'Front Garden Door' },
        { id: 'light.garden_lamp', name: 'Garden Lamp', area: 'deck' },
      ],
      [{ id: 'deck', name: 'Deck' }],
    );
    // "d" is first inside "garden" in both names. Before, that place alone counted (60), and
    // the lamp in the Deck (its area: 0.7 of 90) came first; "door" starts with "d" (80).
    expect(search(catalog.list(), 'garden d', 25).map((r) => r.entry.entityId)).toEqual([
      'cover.front_garden_door',
      'light.garden_lamp',
    ]);
  });
});
