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
