import {
  EntityCatalog,
  compareIds,
  sortById,
  type CatalogEntry,
} from '../../../src/entities/catalog.js';
import { EntityStore } from '../../../src/ha/entity-store.js';
import { Registry, type RawDisplayEntity } from '../../../src/ha/registry.js';
import { builtIndexOf, indexInSlices } from '../../../src/entities/search-index.js';
import { autocompleteEntities } from '../../../src/entities/autocomplete.js';
import { resolveTarget } from '../../../src/entities/resolver.js';
import { search } from '../../../src/entities/search.js';
import { makeCatalog } from '../../helpers/catalog.js';
import { subjectFacts } from '../../../src/entities/entry.js';
import { fold } from '../../../src/entities/text.js';
import { insertById } from '../../../src/entities/id-order.js';
import { matchIdWord, matchWord } from '../../../src/entities/scoring.js';
import { seededRandom } from '../../helpers/random.js';

const collator = new Intl.Collator();
const sign = (n: number) => (n < 0 ? -1 : n > 0 ? 1 : 0);

describe('compareIds', () => {
  it("orders as localeCompare does, over HA's id characters and others", () => {
    const next = seededRandom(7);
    const alphabets = ['ab_.0z9', 'abc_.-19xyz', 'aé_.Ab\u0301 ', 'a\u200bb.'];
    for (let n = 0; n < 20_000; n++) {
      const alphabet = alphabets[n % alphabets.length]!;
      const word = () =>
        Array.from(
          { length: Math.floor(next() * 6) },
          () => alphabet[Math.floor(next() * alphabet.length)],
        ).join('');
      const a = word();
      const b = next() < 0.3 ? a + word() : word();
      expect([a, b, sign(compareIds(a, b))]).toEqual([a, b, sign(collator.compare(a, b))]);
    }
  });
});

describe('insertById', () => {
  it('keeps a list in id order, an entry after those of the same id', () => {
    const next = seededRandom(11);
    const list: { entityId: string; n: number }[] = [];
    for (let n = 0; n < 300; n++) {
      const entityId = `light.${'abc_'[Math.floor(next() * 4)]}${Math.floor(next() * 40)}`;
      insertById(list, { entityId, n });
    }
    const sorted = [...list].sort((a, b) => compareIds(a.entityId, b.entityId) || a.n - b.n);
    expect(list).toEqual(sorted);
  });
});

/** What a catalog exposes, in a form to compare. */
const view = (catalog: EntityCatalog) =>
  catalog.list().map((e: CatalogEntry) => ({
    ...e,
    folded: { ...e.folded },
  }));

describe('EntityCatalog updates', () => {
  it('after random adds, removals, renames and registry changes, equals a catalog built afresh', () => {
    const next = seededRandom(11);
    const store = new EntityStore();
    const registry = new Registry();
    const areas = [
      { area_id: 'kitchen', name: 'Kitchen', floor_id: 'ground', labels: ['warm'] },
      { area_id: 'hall', name: 'Hall' },
    ];
    registry.setAreas(areas);
    registry.setFloors([
      { floor_id: 'ground', name: 'Ground' },
      { floor_id: 'up', name: 'Upstairs' },
    ]);
    registry.setLabels([
      { label_id: 'warm', name: 'Warm' },
      { label_id: 'guest', name: 'Guest OK' },
    ]);
    registry.setDevices([]);
    const catalog = new EntityCatalog(store, registry);
    const ids = Array.from(
      { length: 300 },
      (_, i) => `${['light', 'sensor', 'switch'][i % 3]}.thing_${i}`,
    );
    const areaOf = new Map<string, string | null>();
    const labelsOf = new Map<string, string[]>();
    const setRegistry = () =>
      registry.setEntities({
        entities: ids.map((ei): RawDisplayEntity => ({
          ei,
          ai: areaOf.get(ei) ?? null,
          ...(labelsOf.has(ei) ? { lb: labelsOf.get(ei) } : {}),
        })),
      });
    let lc = 1_700_000_000;
    for (let round = 0; round < 60; round++) {
      // A few changes between reads, sometimes very many (a snapshot's worth).
      const changes = next() < 0.1 ? 3000 : Math.floor(next() * 8);
      for (let k = 0; k < changes; k++) {
        const id = ids[Math.floor(next() * ids.length)]!;
        const roll = next();
        lc++;
        if (roll < 0.3) store.apply({ r: [id] });
        else if (roll < 0.7) {
          const name = next() < 0.2 ? undefined : `Thing ${Math.floor(next() * 50)}`;
          store.apply({
            a: { [id]: { s: 'on', a: name ? { friendly_name: name } : {}, lc } },
          });
        } else if (roll < 0.9) {
          // A state change, the name unchanged: no update needed.
          if (store.get(id)) store.apply({ c: { [id]: { '+': { s: String(k), lc } } } });
        } else {
          areaOf.set(id, next() < 0.5 ? 'kitchen' : 'hall');
          if (next() < 0.5) labelsOf.set(id, next() < 0.5 ? ['guest'] : ['guest', 'warm']);
          setRegistry();
        }
      }
      if (next() < 0.1)
        registry.setAreas([...areas, { area_id: `a${round}`, name: `Area ${round}` }]);
      // Renamed floors and labels: the entries that carry them change too.
      if (round % 6 === 3)
        registry.setFloors([
          { floor_id: 'ground', name: round % 12 === 3 ? 'Downstairs' : 'Ground' },
          { floor_id: 'up', name: 'Upstairs' },
        ]);
      if (round % 5 === 2)
        registry.setLabels([
          { label_id: 'warm', name: 'Warm' },
          { label_id: 'guest', name: round % 10 === 2 ? 'Visitors' : 'Guest OK' },
        ]);
      const fresh = new EntityCatalog(store, registry);
      expect(view(catalog)).toEqual(view(fresh));
      for (const id of ids.slice(0, 20)) expect(catalog.get(id)).toEqual(fresh.get(id));
    }
  });

  it('tells which entities changed, and returns a new list on every change', () => {
    const store = new EntityStore();
    const registry = new Registry();
    const catalog = new EntityCatalog(store, registry);
    store.apply({ a: { 'light.a': { s: 'on', a: { friendly_name: 'A' }, lc: 1 } } });
    const first = catalog.list();
    const seen: string[][] = [];
    catalog.onEntriesChanged((ids) => seen.push([...ids]));
    store.apply({ a: { 'light.b': { s: 'on', a: { friendly_name: 'B' }, lc: 2 } } });
    store.apply({ c: { 'light.a': { '+': { a: { friendly_name: 'Renamed' } } } } });
    const second = catalog.list();
    expect(second).not.toBe(first);
    expect(first.map((e) => e.name)).toEqual(['A']);
    expect(second.map((e) => e.name)).toEqual(['Renamed', 'B']);
    expect(seen.map((ids) => ids.sort())).toEqual([['light.a', 'light.b']]);
    // A state change alone changes nothing.
    store.apply({ c: { 'light.b': { '+': { s: 'off', lc: 3 } } } });
    expect(catalog.list()).toBe(second);
  });
});

describe('EntityCatalog folded ids', () => {
  it('folds every id as fold() does, odd ones included', () => {
    const store = new EntityStore();
    const catalog = new EntityCatalog(store, new Registry());
    const ids = [
      'light.___',
      'light._a_',
      'sensor.a-b__c',
      'input_boolean.x',
      'a_.y',
      'switch.küche',
      'b.1',
    ];
    store.apply({ a: Object.fromEntries(ids.map((id) => [id, { s: 'on', lc: 1 }])) });
    expect(catalog.list().map((e) => [e.entityId, e.folded.id])).toEqual(
      [...ids].sort(compareIds).map((id) => [id, fold(id)]),
    );
  });

  it('holds a folded id as its two parts, which score every word as the whole id does', () => {
    const store = new EntityStore();
    const catalog = new EntityCatalog(store, new Registry());
    const ids = [
      'light.kitchen_light',
      'binary_sensor.front_door_2',
      'light.___',
      'light._a_',
      '_.a',
      'sensor.a-b__c',
      'a_.y',
      'switch.küche',
      'b.1',
      'media_player.tv',
      'media_player.den',
      'cover.garden_door',
    ];
    const names: Record<string, string> = { 'light.kitchen_light': 'Kitchen Light' };
    store.apply({
      a: Object.fromEntries(
        ids.map((id) => [id, { s: 'on', lc: 1, a: names[id] ? { friendly_name: names[id] } : {} }]),
      ),
    });
    const words = [
      'light',
      'ligh',
      'ght',
      'kitchen',
      'itchen',
      'binary',
      'sensor',
      'ensor',
      'door',
    ];
    words.push(
      '2',
      'a',
      'b',
      'c',
      'y',
      'küche',
      'kuche',
      'tv',
      'player',
      'media',
      'x',
      '1',
      'e',
      'd',
      'en',
    );
    for (const e of catalog.list()) {
      // A plain id is held as its folded domain and object id, with no string of its own.
      if (/^[a-z_]+\.[a-z0-9_]*[a-z0-9][a-z0-9_]*$/.test(e.entityId) && !e.entityId.startsWith('_'))
        expect([e.idHead, e.idTail]).toEqual([fold(e.domain), e.foldedObjectId]);
      const whole = e.idTail === '' ? e.idHead : `${e.idHead} ${e.idTail}`;
      expect(whole).toBe(fold(e.entityId));
      for (const word of words)
        expect([word, matchIdWord(word, e)]).toEqual([word, matchWord(word, whole)]);
    }
  });
});

describe('EntityCatalog.searchable', () => {
  const big = (n: number) => {
    const store = new EntityStore();
    const registry = new Registry();
    const catalog = new EntityCatalog(store, registry);
    store.apply({
      a: Object.fromEntries(
        Array.from({ length: n }, (_, i) => [
          `light.lamp_${i}`,
          { s: 'on', a: { friendly_name: `Lamp ${i}` }, lc: 1 },
        ]),
      ),
    });
    return { store, catalog };
  };
  const turn = () => new Promise((r) => setImmediate(r));

  it('in a large home, searches the previous list until the new index is built in slices', async () => {
    const { store, catalog } = big(12_000);
    const first = catalog.searchable();
    expect(first).toHaveLength(12_000);
    expect(builtIndexOf(first)?.complete).toBe(true);
    store.apply({ a: { 'light.new': { s: 'on', a: { friendly_name: 'New' }, lc: 2 } } });
    // The exact id at once; the search list catches up a few turns later.
    expect(catalog.get('light.new')?.name).toBe('New');
    expect(catalog.searchable()).toBe(first);
    let turns = 0;
    while (catalog.searchable() === first) {
      await turn();
      turns++;
    }
    expect(turns).toBeGreaterThan(1);
    const next = catalog.searchable();
    expect(next).toBe(catalog.list());
    expect(next.map((e) => e.entityId)).toContain('light.new');
    expect(builtIndexOf(next)?.complete).toBe(true);
  });

  it('in a large home, takes a new list whose index a caller built, not building it again', async () => {
    const { store, catalog } = big(12_000);
    catalog.searchable();
    await turn();
    store.apply({ a: { 'light.new': { s: 'on', a: { friendly_name: 'New' }, lc: 2 } } });
    // The catalog has started its own slices; a caller builds the new list's index first.
    const latest = catalog.list();
    const build = indexInSlices(latest, 1000);
    let step = build.next();
    while (step.done !== true) step = build.next();
    const index = step.value;
    expect(catalog.searchable()).toBe(latest);
    // That index is kept: the catalog's slices are given up, not finished then or later.
    expect(builtIndexOf(latest) === index).toBe(true);
    for (let n = 0; n < 20; n++) await turn();
    expect(builtIndexOf(latest) === index).toBe(true);
    expect(catalog.searchable()).toBe(latest);
    expect(resolveTarget(catalog, 'New')).toMatchObject({ kind: 'entity', matchedBy: 'object_id' });
  });

  it('in a large home, finds an entity added, renamed or removed at once, touching only those', async () => {
    const { store, catalog } = big(20_000);
    const first = catalog.searchable();
    let reads = 0;
    const all = store.all.bind(store);
    store.all = () => {
      reads++;
      return all();
    };
    store.apply({
      a: { 'light.porch_heater': { s: 'on', a: { friendly_name: 'Porch Heater' }, lc: 2 } },
      r: ['light.lamp_5'],
    });
    store.apply({ c: { 'light.lamp_7': { '+': { a: { friendly_name: 'Garage Spot' } } } } });
    // Entries the searches below ask the command about (every entry scored is asked first).
    let asked = 0;
    const counted = () => {
      asked++;
      return true;
    };
    const ids = (choices: { value: string }[]) => choices.map((c) => c.value);
    expect(
      ids(autocompleteEntities(catalog.searchable(), 'porch hea', () => 'on', counted)),
    ).toEqual(['light.porch_heater']);
    expect(ids(autocompleteEntities(catalog.searchable(), 'garage', () => 'on', counted))).toEqual([
      'light.lamp_7',
    ]);
    // A typo of a word only the new entity has.
    expect(ids(autocompleteEntities(catalog.searchable(), 'heatr', () => 'on', counted))).toEqual([
      'light.porch_heater',
    ]);
    expect(asked).toBeLessThan(10);
    const resolved = (text: string) => {
      const r = resolveTarget(catalog, text);
      return r.kind === 'entity' ? `${r.matchedBy}:${r.entry.entityId}` : r.kind;
    };
    expect(resolved('Porch Heater')).toBe('object_id:light.porch_heater');
    expect(resolved('Garage Spot')).toBe('name:light.lamp_7');
    expect(resolved('Lamp 7')).not.toBe('name:light.lamp_7');
    expect(resolved('Lamp 5')).not.toBe('name:light.lamp_5');
    expect(
      autocompleteEntities(catalog.searchable(), 'lamp 5', () => 'on').map((c) => c.value),
    ).not.toContain('light.lamp_5');
    // No pass over every entity, and the searched index is still the one built before: the
    // new list's is built in slices, later.
    expect(reads).toBe(0);
    expect(catalog.searchable()).toBe(first);
    expect(builtIndexOf(catalog.list())).toBeUndefined();
    // The same rankings as a search of the latest list (its index built here at once).
    const queries = [
      'lamp 1',
      'lamp 7',
      'porch',
      'heater',
      'lamp 5',
      'garage spot',
      'lmp 19',
      'sp',
    ];
    const ranked = (entries: readonly CatalogEntry[], q: string) =>
      search(entries, q, 25).map((r) => `${r.entry.entityId} ${r.score}`);
    const overlaid = queries.map((q) => ranked(catalog.searchable(), q));
    expect(queries.map((q) => ranked(catalog.list(), q))).toEqual(overlaid);
    // Once the new list's index is built in slices, the same answers from it.
    while (catalog.searchable() === first) await turn();
    expect(ids(autocompleteEntities(catalog.searchable(), 'porch hea', () => 'on'))).toEqual([
      'light.porch_heater',
    ]);
    expect(resolved('Garage Spot')).toBe('name:light.lamp_7');
  });

  it('in a large home just after start-up, says when the first index is built in slices', async () => {
    const { catalog } = big(12_000);
    let ready = false;
    void catalog.whenSearchable().then(() => (ready = true));
    // Nothing built at once: the slices run between other turns of the event loop.
    expect(builtIndexOf(catalog.list())).toBeUndefined();
    let turns = 0;
    while (!ready) {
      await turn();
      turns++;
    }
    expect(turns).toBeGreaterThan(1);
    expect(builtIndexOf(catalog.list())?.complete).toBe(true);
    expect(catalog.searchable()).toBe(catalog.list());
    // From then on at once, an entity added or not (the previous index is searched meanwhile).
    let again = false;
    void catalog.whenSearchable().then(() => (again = true));
    await Promise.resolve();
    expect(again).toBe(true);
  });

  it('in a small home, is searchable at once', async () => {
    const { catalog } = big(100);
    let ready = false;
    void catalog.whenSearchable().then(() => (ready = true));
    await Promise.resolve();
    expect(ready).toBe(true);
  });

  it('in a small home, searches the latest list at once', () => {
    const { store, catalog } = big(100);
    catalog.searchable();
    store.apply({ a: { 'light.new': { s: 'on', a: { friendly_name: 'New' }, lc: 2 } } });
    expect(catalog.searchable().map((e) => e.entityId)).toContain('light.new');
  });
});

describe('EntityCatalog after a registry change', () => {
  const home = () => {
    const store = new EntityStore();
    const registry = new Registry();
    store.apply({
      a: Object.fromEntries(
        Array.from({ length: 3000 }, (_, i) => [
          `light.lamp_${i}`,
          { s: 'on', a: { friendly_name: `Lamp ${i}` }, lc: 1 },
        ]),
      ),
    });
    const areas = (kitchen: string) => [
      { area_id: 'kitchen', name: kitchen },
      { area_id: 'hall', name: 'Hall' },
    ];
    const entities = (moved: string[]) => ({
      entities: Array.from({ length: 3000 }, (_, i) => ({
        ei: `light.lamp_${i}`,
        ai: moved.includes(`light.lamp_${i}`) ? 'hall' : 'kitchen',
      })),
    });
    registry.setAreas(areas('Kitchen'));
    registry.setEntities(entities([]));
    const catalog = new EntityCatalog(store, registry);
    catalog.list();
    let reads = 0;
    const all = store.all.bind(store);
    store.all = () => {
      reads++;
      return all();
    };
    const changes: string[][] = [];
    catalog.onEntriesChanged((changed) => changes.push([...changed].sort()));
    /** HA's registries read again after a registry event, as refreshRegistry does. */
    const reload = (kitchen: string, moved: string[]) => {
      registry.setAreas(areas(kitchen));
      registry.setEntities(entities(moved));
    };
    return { catalog, reload, reads: () => reads, changes };
  };

  it('takes entities moved to another area in the registry one by one', () => {
    const { catalog, reload, reads, changes } = home();
    reload('Kitchen', ['light.lamp_7']);
    reload('Kitchen', ['light.lamp_7', 'light.lamp_9']);
    expect(catalog.get('light.lamp_7')?.areaName).toBe('Hall');
    expect(catalog.get('light.lamp_9')?.areaName).toBe('Hall');
    expect(catalog.get('light.lamp_8')?.areaName).toBe('Kitchen');
    // No pass over every entity, and only those two told to caches keyed by entity.
    expect(reads()).toBe(0);
    expect(changes).toEqual([['light.lamp_7', 'light.lamp_9']]);
    // Read again unchanged: nothing to do.
    reload('Kitchen', ['light.lamp_7', 'light.lamp_9']);
    catalog.list();
    expect(changes).toHaveLength(1);
  });

  it('reads every entity again when an area changed', () => {
    const { catalog, reload, reads } = home();
    reload('Cuisine', []);
    expect(catalog.get('light.lamp_8')?.areaName).toBe('Cuisine');
    expect(reads()).toBe(1);
  });
});

describe('sortById', () => {
  it('sorts many plain ids as localeCompare does', () => {
    const next = seededRandom(5);
    const alphabet = 'ab_.-09z';
    const ids = Array.from({ length: 5000 }, () =>
      Array.from(
        { length: 1 + Math.floor(next() * 8) },
        () => alphabet[Math.floor(next() * 8)],
      ).join(''),
    );
    const sorted = sortById(ids.map((entityId) => ({ entityId }))).map((e) => e.entityId);
    const expected = [...ids].sort((a, b) => collator.compare(a, b));
    // Equal ids may come in either order; compare the sequences.
    expect(sorted).toEqual(expected);
  });
});

describe('EntityCatalog key lists', () => {
  it('gives entries of one area, floor and set of labels the same frozen lists', () => {
    // The rules' facts cache compares these lists by identity (src/alerts/facts-cache.ts).
    const { catalog } = makeCatalog(
      [
        { id: 'light.counter', name: 'Counter', area: 'kitchen', labels: ['night'] },
        { id: 'switch.kettle', name: 'Kettle', area: 'kitchen', labels: ['night'] },
      ],
      [{ id: 'kitchen', name: 'Kitchen', aliases: ['Cuisine'], floor: 'ground' }],
      {
        floors: [{ id: 'ground', name: 'Ground Floor' }],
        labels: [{ id: 'night', name: 'Night' }],
      },
    );
    const [a, b] = ['light.counter', 'switch.kettle'].map((id) =>
      subjectFacts(catalog.get(id)!, undefined),
    );
    expect(a!.areaKeys).toEqual(['kitchen', 'cuisine']);
    for (const list of ['areaKeys', 'floorKeys', 'labelKeys'] as const) {
      expect(a![list]).toBeDefined();
      expect([list, a![list] === b![list], Object.isFrozen(a![list])]).toEqual([list, true, true]);
    }
  });
});
