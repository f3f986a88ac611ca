import {
  autocompleteEntities,
  autocompleteTargets,
  MAX_CHOICES,
  MAX_GROUP_CHOICES,
} from '../../../src/entities/autocomplete.js';
import type { CatalogEntry } from '../../../src/entities/catalog.js';
import { resolveTarget } from '../../../src/entities/resolver.js';
import { groupedHome, makeCatalog } from '../../helpers/catalog.js';

describe('autocompleteEntities', () => {
  const { catalog, store } = makeCatalog(
    [
      { id: 'light.kitchen_light', name: 'Kitchen Light', area: 'kitchen', state: 'on' },
      {
        id: 'sensor.kitchen_temperature',
        name: 'Kitchen Temperature',
        area: 'kitchen',
        state: '21',
      },
      { id: 'light.hall', name: 'Hall', area: 'kitchen' },
      { id: 'switch.coffee', name: 'Coffee Maker' },
    ],
    [{ id: 'kitchen', name: 'Kitchen' }],
  );
  const stateOf = (id: string) => store.get(id)?.state;

  it('ranks name matches above area-only matches', () => {
    const choices = autocompleteEntities(catalog.list(), 'kitch', stateOf);
    expect(choices.map((c) => c.value)).toEqual([
      'light.kitchen_light',
      'sensor.kitchen_temperature',
      'light.hall',
    ]);
    expect(choices[0]!.name).toBe('Kitchen Light (light.kitchen_light) · Kitchen · on');
  });

  it('matches several words across name, id and area', () => {
    expect(
      autocompleteEntities(catalog.list(), 'kitchen temp', stateOf).map((c) => c.value),
    ).toEqual(['sensor.kitchen_temperature']);
  });

  it('tolerates a typo', () => {
    expect(autocompleteEntities(catalog.list(), 'cofee', stateOf).map((c) => c.value)).toEqual([
      'switch.coffee',
    ]);
  });

  it('tolerates a wrong, missing, extra or swapped letter', () => {
    for (const typed of ['kitchan light', 'kitchn light', 'kitchenn light', 'ktichen light']) {
      expect(autocompleteEntities(catalog.list(), typed, stateOf)[0]?.value).toBe(
        'light.kitchen_light',
      );
    }
  });

  it('reads a short run of letters as an abbreviation', () => {
    expect(autocompleteEntities(catalog.list(), 'cm', stateOf).map((c) => c.value)).toEqual([
      'switch.coffee',
    ]);
  });

  it('reads an abbreviation of a name in any script, not only a-z', () => {
    const { catalog: cyrillic } = makeCatalog([
      { id: 'light.kukhnia', name: 'Кухонный свет' },
      { id: 'switch.kofe', name: 'Кофеварка' },
    ]);
    expect(autocompleteEntities(cyrillic.list(), 'кс', () => 'on').map((c) => c.value)).toEqual([
      'light.kukhnia',
    ]);
  });

  it('filters by what the command accepts', () => {
    const choices = autocompleteEntities(
      catalog.list(),
      'kitchen',
      stateOf,
      (e) => e.domain === 'light',
    );
    expect(choices.every((c) => c.value.startsWith('light.'))).toBe(true);
  });

  it('stays within Discord limits: 25 choices, 100 characters', () => {
    const long = 'x'.repeat(150);
    const many = makeCatalog(
      Array.from({ length: 60 }, (_, i) => ({
        id: `light.lamp_${i}`,
        name: `Lamp ${i} ${long}`,
      })).concat([{ id: `light.${'y'.repeat(120)}`, name: 'Lamp too long' }]),
    );
    const choices = autocompleteEntities(many.catalog.list(), 'lamp', () => 'on');
    expect(choices).toHaveLength(MAX_CHOICES);
    for (const c of choices) {
      expect(c.name.length).toBeLessThanOrEqual(100);
      expect(c.value.length).toBeLessThanOrEqual(100);
    }
  });

  it('offers entities when nothing is typed yet', () => {
    expect(autocompleteEntities(catalog.list(), '', stateOf)).toHaveLength(4);
  });
});

describe('autocompleteTargets', () => {
  const { catalog, store } = groupedHome();
  const stateOf = (id: string) => store.get(id)?.state;
  const values = (typed: string, accept?: (e: CatalogEntry) => boolean) =>
    autocompleteTargets(catalog, typed, stateOf, accept).map((c) => c.value);
  const isLight = (e: CatalogEntry) => e.domain === 'light';

  it('offers floors, labels and areas first, marked as such', () => {
    const choices = autocompleteTargets(catalog, 'upst', stateOf);
    expect(choices[0]).toEqual({ name: 'Upstairs (floor)', value: 'floor:upstairs' });
    expect(autocompleteTargets(catalog, 'christ', stateOf)[0]).toEqual({
      name: 'Christmas lights (label)',
      value: 'label:christmas',
    });
    expect(values('kitchen')).toEqual([
      'area:kitchen',
      'light.kitchen',
      'sensor.kitchen_temp',
      'switch.kettle',
    ]);
  });

  it('finds a group by an alias and by the start of any word of its name', () => {
    expect(values('downst')[0]).toBe('floor:ground');
    expect(values('lights')[0]).toBe('label:christmas');
    expect(values('floor')).toEqual(expect.arrayContaining(['floor:ground', 'floor:upstairs']));
  });

  it('sends a value that resolves to exactly that group', () => {
    for (const value of ['floor:upstairs', 'label:christmas', 'area:kitchen', 'floor:loft']) {
      const r = resolveTarget(catalog, value);
      expect(r.kind === 'group' && `${r.group.type}:${r.group.id}`).toBe(value);
    }
  });

  it('offers only groups with something the person may use with the command', () => {
    expect(values('kitchen', isLight)).toEqual(['area:kitchen', 'light.kitchen']);
    expect(values('guest')).toEqual([]);
    expect(values('kitchen', (e) => e.domain === 'fan')).toEqual([]);
    expect(values('kitchen', () => false)).toEqual([]);
  });

  it('offers no group before anything is typed', () => {
    expect(values('').every((v) => v.includes('.'))).toBe(true);
  });

  it('offers at most 5 groups and 25 choices in all', () => {
    const many = makeCatalog(
      Array.from({ length: 40 }, (_, i) => ({
        id: `light.room_${i}`,
        name: `Room ${i}`,
        area: `room_${i}`,
      })),
      Array.from({ length: 40 }, (_, i) => ({ id: `room_${i}`, name: `Room ${i}` })),
    );
    const choices = autocompleteTargets(many.catalog, 'room', () => 'on');
    expect(choices).toHaveLength(MAX_CHOICES);
    expect(choices.filter((c) => c.value.startsWith('area:'))).toHaveLength(MAX_GROUP_CHOICES);
  });
});
