import { Registry } from '../../../src/ha/registry.js';

describe('Registry entity entries', () => {
  const registry = new Registry();
  registry.setAreas([
    { area_id: 'kitchen', name: 'Kitchen' },
    { area_id: 'hall', name: 'Hall' },
  ]);
  registry.setLabels([{ label_id: 'red', name: 'Red' }]);
  registry.setDevices([{ id: 'dev1', area_id: 'hall' }]);
  // Copies of the ids, as HA's JSON gives a string per entity.
  const copy = (text: string) => `${text} `.trimEnd();
  registry.setEntities(
    {
      entity_categories: { '0': 'config' },
      entities: [
        { ei: 'light.a', ai: copy('kitchen') },
        { ei: 'light.b', ai: copy('kitchen') },
        { ei: 'light.c', di: copy('dev1') },
        { ei: 'light.d', di: copy('dev1'), en: 'D' },
        { ei: 'light.e', ai: copy('kitchen'), hb: true },
        { ei: 'light.f', ai: copy('kitchen'), lb: ['red'] },
        { ei: 'light.g', ai: copy('kitchen'), ec: 0 },
        { ei: 'light.h', ai: copy('kitchen') },
      ],
    },
    new Map([['light.h', ['Aitch']]]),
  );

  it('shares one entry among the entities of an area or device with nothing of their own', () => {
    expect(registry.entry('light.a')).toBe(registry.entry('light.b'));
    expect(registry.entry('light.c')).toBe(registry.entry('light.d'));
    expect(registry.entry('light.a')).not.toBe(registry.entry('light.c'));
    for (const id of ['light.e', 'light.f', 'light.g', 'light.h'])
      expect(registry.entry(id)).not.toBe(registry.entry('light.a'));
  });

  it('keeps what each entry says', () => {
    const facts = (id: string) => {
      const e = registry.entry(id)!;
      return [e.areaId, e.deviceId, e.hidden, e.entityCategory, e.aliases, e.labels];
    };
    expect(facts('light.a')).toEqual(['kitchen', undefined, false, undefined, [], []]);
    expect(facts('light.d')).toEqual([undefined, 'dev1', false, undefined, [], []]);
    expect(facts('light.e')).toEqual(['kitchen', undefined, true, undefined, [], []]);
    expect(facts('light.f')).toEqual(['kitchen', undefined, false, undefined, [], ['red']]);
    expect(facts('light.g')).toEqual(['kitchen', undefined, false, 'config', [], []]);
    expect(facts('light.h')).toEqual(['kitchen', undefined, false, undefined, ['Aitch'], []]);
    expect(registry.groupsOf('light.d').area?.name).toBe('Hall');
    expect(registry.groupsOf('light.f').labelIds).toEqual(['red']);
  });
});

describe('Registry changes', () => {
  const entities = (over: Record<string, object> = {}) => ({
    entities: ['light.a', 'light.b', 'light.c'].map((ei) => ({ ei, ai: 'kitchen', ...over[ei] })),
  });
  const loaded = () => {
    const registry = new Registry();
    registry.setAreas([{ area_id: 'kitchen', name: 'Kitchen' }]);
    registry.setFloors([]);
    registry.setLabels([{ label_id: 'red', name: 'Red' }]);
    registry.setDevices([{ id: 'dev1', area_id: 'kitchen' }]);
    registry.setEntities(entities(), new Map([['light.c', ['See']]]));
    return registry;
  };
  /** A reload of the same lists, as after any registry event, with what differs. */
  const reload = (
    registry: Registry,
    over: Record<string, object> = {},
    aliases = new Map([['light.c', ['See']]]),
  ) => {
    registry.setAreas([{ area_id: 'kitchen', name: 'Kitchen' }]);
    registry.setFloors([]);
    registry.setLabels([{ label_id: 'red', name: 'Red' }]);
    registry.setDevices([{ id: 'dev1', area_id: 'kitchen' }]);
    registry.setEntities(entities(over), aliases);
  };
  const ids = (set: ReadonlySet<string> | undefined) => (set ? [...set].sort() : set);

  it('are none when equal lists are read again', () => {
    const registry = loaded();
    const before = registry.revision;
    reload(registry);
    expect(registry.revision).toBe(before);
    expect(ids(registry.changesSince(before))).toEqual([]);
  });

  it('name the entities whose entries changed, and only those', () => {
    const registry = loaded();
    const before = registry.revision;
    reload(registry, { 'light.a': { ai: 'hall' } });
    reload(registry, { 'light.a': { ai: 'hall' }, 'light.b': { lb: ['red'] } });
    expect(ids(registry.changesSince(before))).toEqual(['light.a', 'light.b']);
    const mid = registry.revision;
    // Aliases, hidden, category; an entity gone.
    registry.setEntities(
      {
        entities: [
          { ei: 'light.a', ai: 'hall' },
          { ei: 'light.b', ai: 'kitchen', hb: true },
        ],
      },
      new Map([['light.a', ['Ay']]]),
    );
    expect(ids(registry.changesSince(mid))).toEqual(['light.a', 'light.b', 'light.c']);
  });

  it('are anything when an area, floor, label, device or exposure changed', () => {
    const changes = [
      (r: Registry) => r.setAreas([{ area_id: 'kitchen', name: 'Cuisine' }]),
      (r: Registry) => r.setFloors([{ floor_id: 'up', name: 'Up' }]),
      (r: Registry) => r.setLabels([]),
      (r: Registry) => r.setDevices([{ id: 'dev1', area_id: null }]),
      (r: Registry) => r.setExposed(new Set(['light.a'])),
    ];
    for (const [n, change] of changes.entries()) {
      const registry = loaded();
      const before = registry.revision;
      change(registry);
      expect([n, registry.revision > before, registry.changesSince(before)]).toEqual([
        n,
        true,
        undefined,
      ]);
    }
  });

  it('are anything for a reader too far behind, or past the entities told one by one', () => {
    const registry = loaded();
    const start = registry.revision;
    for (let n = 0; n < 20; n++) reload(registry, { 'light.a': { ai: n % 2 ? 'hall' : 'x' } });
    expect(registry.changesSince(start)).toBeUndefined();
    expect(ids(registry.changesSince(registry.revision - 1))).toEqual(['light.a']);
    const many = new Registry();
    const list = (area: string) => ({
      entities: Array.from({ length: 3000 }, (_, i) => ({ ei: `light.l${i}`, ai: area })),
    });
    many.setEntities(list('a'));
    const before = many.revision;
    many.setEntities(list('b'));
    expect(many.changesSince(before)).toBeUndefined();
  });
});
