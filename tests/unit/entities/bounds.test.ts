import {
  autocompleteEntities,
  autocompleteTargets,
  GROUP_MEMBERS_CHECKED,
} from '../../../src/entities/autocomplete.js';
import {
  COST,
  FUZZY_CHARS,
  MAX_WORDS,
  QUERY_BUDGET,
  WorkBudget,
} from '../../../src/entities/bounds.js';
import { haystackOf, type CatalogEntry } from '../../../src/entities/catalog.js';
import { closestNames } from '../../../src/entities/closest.js';
import { resolveTarget } from '../../../src/entities/resolver.js';
import { searchIndexOf } from '../../../src/entities/search-index.js';
import { fuzzyQuery, queryWords, search } from '../../../src/entities/search.js';
import { editDistance, fold } from '../../../src/entities/text.js';
import { makeCatalog, type TestEntity } from '../../helpers/catalog.js';
import { HOSTILE_QUERIES } from '../../helpers/hostile-queries.js';

const ROOMS = ['Kitchen', 'Living Room', 'Bedroom', 'Office', 'Garage', 'Hallway', 'Attic'];
const THINGS = ['Ceiling', 'Lamp', 'Outlet', 'Temperature', 'Humidity', 'Motion', 'Door'];
const DOMAINS = ['light', 'switch', 'sensor', 'binary_sensor', 'fan'];

/** A home of `count` entities over 35 areas on 5 floors, like the benchmark's, with labels. */
function home(count: number) {
  const areas = Array.from({ length: 35 }, (_, i) => ({
    id: `area_${i}`,
    name: `${ROOMS[i % ROOMS.length]} ${Math.floor(i / ROOMS.length) + 1}`,
    floor: `floor_${Math.floor(i / ROOMS.length)}`,
  }));
  const floors = Array.from({ length: 5 }, (_, i) => ({ id: `floor_${i}`, name: `Floor ${i}` }));
  const labels = THINGS.map((thing) => ({ id: thing.toLowerCase(), name: `${thing} things` }));
  const entities: TestEntity[] = [];
  for (let i = 0; i < count; i++) {
    const area = areas[i % areas.length]!;
    const name = `${area.name} ${THINGS[Math.floor(i / 35) % THINGS.length]} ${i}`;
    entities.push({
      id: `${DOMAINS[i % DOMAINS.length]}.${name.toLowerCase().replace(/[^a-z0-9]+/g, '_')}`,
      name,
      area: area.id,
      ...(i % 100 === 0 ? { aliases: [`Alias ${i}`] } : {}),
      ...(i % 10 === 0
        ? { labels: [THINGS[Math.floor(i / 35) % THINGS.length]!.toLowerCase()] }
        : {}),
    });
  }
  return makeCatalog(entities, areas, { floors, labels });
}

const big = home(10_000);
const entries = big.catalog.list();

/** Counts what a query really reads: every entry the command's check is asked about. */
function counting() {
  let visits = 0;
  const accept = (e: CatalogEntry) => {
    visits++;
    return e.domain !== 'sensor';
  };
  return { accept, visits: () => visits };
}

describe('WorkBudget', () => {
  it('grants work while it fits and refuses it for good once it does not', () => {
    const budget = new WorkBudget(10);
    expect(budget.charge(6)).toBe(true);
    expect(budget.charge(5)).toBe(false);
    expect(budget.charge(1)).toBe(false);
    expect(budget.spent).toBe(6);
    expect(budget.exhausted).toBe(true);
  });
});

describe('what a query reads', () => {
  it('reads at most FUZZY_CHARS folded characters and MAX_WORDS distinct words, longest first', () => {
    expect(fuzzyQuery('x'.repeat(200))).toHaveLength(FUZZY_CHARS);
    expect(queryWords('lamp lamp lamp kitchen lamp')).toEqual(['kitchen', 'lamp']);
    // Of equal length, as typed (the order the scores are summed in).
    expect(queryWords('d 1 garden 3 room door 1')).toEqual([
      'garden',
      'room',
      'door',
      'd',
      '1',
      '3',
    ]);
    const many = Array.from({ length: 30 }, (_, i) => 'w'.repeat((i % 12) + 1) + i).join(' ');
    const words = queryWords(fold(many));
    expect(words).toHaveLength(MAX_WORDS);
    expect(words.map((w) => w.length)).toEqual(
      [...words.map((w) => w.length)].sort((a, b) => b - a),
    );
  });

  it('costs no more for a word repeated 40 times than for the word once', () => {
    const once = new WorkBudget();
    const often = new WorkBudget();
    search(entries, 'lamp', 25, undefined, once);
    search(entries, 'lamp '.repeat(40), 25, undefined, often);
    expect(often.spent).toBe(once.spent);
  });

  it('costs no more for 30 distinct words than for the longest 8 of them', () => {
    const words = Array.from({ length: 30 }, (_, i) => `w${i}x${'q'.repeat(i % 9)}`);
    const all = new WorkBudget();
    const longest = new WorkBudget();
    search(entries, words.join(' '), 25, undefined, all);
    search(entries, queryWords(words.join(' ')).join(' '), 25, undefined, longest);
    expect(all.spent).toBe(longest.spent);
  });

  it('looks for no close names for a query longer than any name', () => {
    const budget = new WorkBudget();
    expect(closestNames(entries, 'kitchen '.repeat(20), 3, undefined, budget)).toEqual([]);
    expect(budget.spent).toBe(0);
  });
});

describe('the work budget', () => {
  it.each(Object.entries(HOSTILE_QUERIES))(
    'caps the entries a resolution and an autocomplete read: %s',
    (_, text) => {
      const limit = 200_000;
      for (const run of [
        (accept: (e: CatalogEntry) => boolean, budget: WorkBudget) =>
          resolveTarget(big.catalog, text, { accept, budget }),
        (accept: (e: CatalogEntry) => boolean, budget: WorkBudget) =>
          autocompleteEntities(entries, text, () => 'on', accept, budget),
        (accept: (e: CatalogEntry) => boolean, budget: WorkBudget) =>
          autocompleteTargets(big.catalog, text, () => 'on', accept, budget),
      ]) {
        const { accept, visits } = counting();
        const budget = new WorkBudget(limit);
        run(accept, budget);
        expect(budget.spent).toBeLessThanOrEqual(limit);
        // Every entry read is paid for: no pass reads entries the budget did not cover.
        expect(visits()).toBeLessThanOrEqual(Math.floor(limit / COST.visit));
      }
    },
  );

  it('reads at most GROUP_MEMBERS_CHECKED entities of a group offered in autocomplete', () => {
    const { catalog } = makeCatalog(
      Array.from({ length: 5000 }, (_, i) => ({
        id: `sensor.s${i}`,
        name: `S ${i}`,
        area: 'hall',
      })),
      [{ id: 'hall', name: 'Hall', floor: 'up' }],
      { floors: [{ id: 'up', name: 'Upstairs' }] },
    );
    let visits = 0;
    const never = () => {
      visits++;
      return false;
    };
    expect(autocompleteTargets(catalog, 'upstairs', () => 'on', never)).toEqual([]);
    expect(visits).toBe(GROUP_MEMBERS_CHECKED);
    visits = 0;
    const budget = new WorkBudget(10 * COST.visit);
    autocompleteTargets(catalog, 'upstairs', () => 'on', never, budget);
    expect(visits).toBeLessThanOrEqual(10);
  });

  it('stops a broad search when it runs out, and says so', () => {
    const budget = new WorkBudget(50_000);
    const { accept, visits } = counting();
    const found = search(entries, 'e', 25, accept, budget);
    expect(budget.exhausted).toBe(true);
    expect(found.length).toBeGreaterThan(0);
    expect(visits()).toBeLessThan(entries.length / 2);
  });

  it('never picks a fuzzy winner from a search the budget cut short: the person picks', () => {
    const { catalog } = makeCatalog([
      { id: 'light.garden', name: 'Garden Lights' },
      { id: 'light.kitchen', name: 'Kitchen Ceiling' },
      ...Array.from({ length: 500 }, (_, i) => ({ id: `sensor.s${i}`, name: `Sensor ${i}` })),
    ]);
    expect(resolveTarget(catalog, 'gardn lights')).toMatchObject({
      kind: 'entity',
      matchedBy: 'fuzzy',
    });
    // Just enough budget to find the garden lights, not to look at everything else.
    for (let limit = 1000; limit < 100_000; limit += 1000) {
      const budget = new WorkBudget(limit);
      const r = resolveTarget(catalog, 'gardn lights', { budget });
      if (!budget.exhausted) break;
      expect(r.kind === 'entity' && r.matchedBy === 'fuzzy').toBe(false);
    }
  });

  it('is never reached by everyday queries in a home of 10,000 entities', () => {
    const everyday = [
      'k',
      'kit',
      'kitchen',
      'kitchen 1 lamp',
      'kitchn lmp',
      'living room 2 motion',
      'bedrom',
      'sensor.kitchen',
      'ofice lamp 12',
      'garag doer',
      'lvrm',
      'temperatur',
      'alias 300',
      'zzz',
      'Kettel Boiler',
    ];
    for (const text of everyday) {
      for (const accept of [undefined, (e: CatalogEntry) => e.domain === 'light']) {
        const resolving = new WorkBudget();
        resolveTarget(big.catalog, text, { ...(accept ? { accept } : {}), budget: resolving });
        const typing = new WorkBudget();
        autocompleteEntities(entries, text, () => 'on', accept, typing);
        const targets = new WorkBudget();
        autocompleteTargets(big.catalog, text, () => 'on', accept, targets);
        expect([text, resolving.exhausted, typing.exhausted, targets.exhausted]).toEqual([
          text,
          false,
          false,
          false,
        ]);
        // Room to spare: in a home ten times as large these spend up to about ten times as
        // much (measured at 100,000: the most, 'sensor.kitchen' for a light, 74% of it).
        expect([text, resolving.spent < QUERY_BUDGET / 10]).toEqual([text, true]);
      }
    }
  });
});

describe('the search index', () => {
  it("tells whether an entry's text has a word as a scan does, short words and long", () => {
    const e = (n: number) => 'e'.repeat(n);
    const { catalog } = makeCatalog([
      { id: 'sensor.a', name: 'Attic Temperature', aliases: [`${e(40)} ${e(40)}x`] },
      { id: 'sensor.b', name: 'Attic Humidity' },
      { id: 'sensor.c', name: `${e(20)}`, aliases: ['lamp'] },
    ]);
    const all = catalog.list();
    const index = searchIndexOf(all);
    // Short and long (the engine's search past 8 characters), in repetitive text, and a word
    // that would run on into the next entry's text.
    for (const word of [
      'e',
      'eeex',
      e(40),
      `${e(39)}x`,
      `${e(41)}x`,
      `${e(20)}\nattic`,
      'humidity',
    ]) {
      for (const [at, entry] of all.entries()) {
        expect([word, entry.entityId, index.hasText(at, word)]).toEqual([
          word,
          entry.entityId,
          haystackOf(entry).includes(word),
        ]);
      }
    }
  });

  it('finds exact names, object ids and aliases as a scan of every entry does', () => {
    const index = searchIndexOf(entries);
    for (const text of ['kitchen 1 lamp 1', 'garage 2 door 25', 'alias 300', 'lamp', 'x']) {
      const folded = fold(text);
      expect(index.exact(folded)).toEqual({
        objectId: entries.filter((e) => e.folded.objectId === folded),
        name: entries.filter((e) => e.folded.name === folded),
        alias: entries.filter((e) => e.folded.aliases.includes(folded)),
      });
    }
  });

  it('finds the entries containing a text as a scan of every haystack does', () => {
    const index = searchIndexOf(entries);
    for (const text of ['lamp 1', 'e', '9|', '\ngarage', 'zz']) {
      const found: CatalogEntry[] = [];
      index.forEachContaining(text, (i) => void found.push(entries[i]!));
      const expected = text.startsWith('\n')
        ? entries.filter((e) => haystackOf(e).startsWith(text.slice(1)))
        : entries.filter((e) => haystackOf(e).includes(text));
      expect(found).toEqual(expected);
    }
  });

  it('marks the entries whose haystack contains a word, as containing() lists them', () => {
    const index = searchIndexOf(entries);
    // "room" is in several words ("bedroom", "room"...), "lamp" in one, "zzz" in none.
    for (const word of ['room', 'lamp', 'kitchen', '12', 'zzz']) {
      const marks = new Uint8Array(entries.length).fill(1);
      expect(index.markContaining(word, marks, 4)).toBe(true);
      const marked = [...marks.keys()].filter((i) => marks[i] === 5);
      expect(marks.every((m) => m === 1 || m === 5)).toBe(true);
      expect(marked).toEqual([...index.containing(word)!]);
      expect(marked).toEqual(
        [...entries.keys()].filter((i) => haystackOf(entries[i]!).includes(word)),
      );
    }
  });
});

/** "Did you mean" as it was before it was bounded: every entry, every distance in full. */
function closestByScan(all: readonly CatalogEntry[], raw: string, count: number): string[] {
  const query = fold(raw);
  if (query === '') return [];
  return all
    .map((entry) => ({
      entry,
      d: Math.min(
        editDistance(query, entry.folded.name, query.length),
        editDistance(query, entry.folded.objectId, query.length),
      ),
    }))
    .filter((x) => x.d < Math.max(3, query.length * 0.6))
    .sort((a, b) => a.d - b.d || a.entry.entityId.localeCompare(b.entry.entityId))
    .slice(0, count)
    .map((x) => x.entry.entityId);
}

describe('closest names', () => {
  it('include a name exactly as far as they may be, and not one edit farther', () => {
    // Within 60% of the query's length: 2 edits for 5 letters, 5 for 10.
    const { catalog } = makeCatalog([
      { id: 'sensor.one', name: 'abcxy' },
      { id: 'sensor.two', name: 'abxyz' },
      { id: 'sensor.three', name: 'abcdefgxyzuv' },
      { id: 'sensor.four', name: 'abcdexyzuvw' },
      { id: 'sensor.five', name: 'pqcdefghij' },
    ]);
    const all = catalog.list();
    const ids = (query: string) => closestNames(all, query, 5).map((e) => e.entityId);
    expect(ids('abcde')).toEqual(['sensor.one']);
    expect(ids('abcdefghij')).toEqual(['sensor.five', 'sensor.three']);
    for (const query of ['abcde', 'abcdefghij']) {
      expect([query, ids(query)]).toEqual([query, closestByScan(all, query, 5)]);
    }
  });

  it('are the ones a full scan finds, when the budget is not reached', () => {
    const some = home(200).catalog.list();
    let seed = 7;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const letters = 'aeiklmnorst 0123';
    for (let i = 0; i < 100; i++) {
      const query =
        random() < 0.5
          ? some[Math.floor(random() * some.length)]!.name.replace(/./g, (ch) =>
              random() < 0.2 ? letters[Math.floor(random() * letters.length)]! : ch,
            )
          : Array.from(
              { length: 2 + Math.floor(random() * 20) },
              () => letters[Math.floor(random() * letters.length)],
            ).join('');
      if (fold(query).length < 2) continue;
      const budget = new WorkBudget();
      const found = closestNames(some, query, 3, undefined, budget).map((e) => e.entityId);
      expect(budget.exhausted).toBe(false);
      expect([query, found]).toEqual([query, closestByScan(some, query, 3)]);
    }
  });
});

describe('editDistance', () => {
  /** Optimal string alignment by the textbook: the whole table. */
  function reference(a: string, b: string): number {
    const d = Array.from({ length: a.length + 1 }, (_, i) =>
      Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
    );
    for (let i = 1; i <= a.length; i++) {
      for (let j = 1; j <= b.length; j++) {
        const cost = a[i - 1] === b[j - 1] ? 0 : 1;
        d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
          d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
      }
    }
    return d[a.length]![b.length]!;
  }

  it('agrees with the full table within its bound, computing only a band of it', () => {
    let seed = 11;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const word = () =>
      Array.from(
        { length: Math.floor(random() * 14) },
        () => 'abcd'[Math.floor(random() * 4)],
      ).join('');
    for (let i = 0; i < 5000; i++) {
      const a = word();
      const b = word();
      const max = Math.floor(random() * 8);
      const exact = reference(a, b);
      expect([a, b, max, editDistance(a, b, max)]).toEqual([
        a,
        b,
        max,
        exact <= max ? exact : max + 1,
      ]);
      expect(editDistance(a, b)).toBe(exact);
    }
  });
});
