import { serviceFor } from '../../../src/entities/controls.js';
import type { CatalogEntry } from '../../../src/entities/catalog.js';
import { resolveTarget } from '../../../src/entities/resolver.js';
import { groupedHome, makeCatalog } from '../../helpers/catalog.js';

const controllable = (e: CatalogEntry) => serviceFor(e.domain, 'toggle') !== undefined;

const { catalog } = makeCatalog(
  [
    { id: 'light.kitchen', name: 'Kitchen Ceiling', area: 'kitchen' },
    { id: 'switch.kitchen', name: 'Kitchen Outlet', area: 'kitchen' },
    { id: 'light.living_room', name: 'Living Room Lamp', area: 'living', aliases: ['Big Lamp'] },
    { id: 'light.kuche', name: 'Küche Licht' },
    { id: 'sensor.temp', name: 'Temperature', area: 'kitchen', state: '21.5' },
    { id: 'light.bedroom_left', name: 'Bedroom Left' },
    { id: 'light.bedroom_right', name: 'Bedroom Right' },
    { id: 'lock.front_door', name: 'Front Door' },
    { id: 'fan.office', name: 'Office Fan', area: 'office' },
    { id: 'sensor.office_humidity', name: 'Office Humidity', area: 'office' },
    { id: 'light.garden', name: 'Garden Lights', area: 'garage' },
  ],
  [
    { id: 'kitchen', name: 'Kitchen' },
    { id: 'living', name: 'Living Room' },
    { id: 'office', name: 'Office', aliases: ['Study'] },
    { id: 'garage', name: 'Garage' },
    { id: 'attic', name: 'Attic' },
  ],
);

describe('resolveTarget', () => {
  it('looks at no more than the first 255 characters of what was typed', () => {
    const r = resolveTarget(catalog, `Office Fan${' '.repeat(250)}${'x'.repeat(10_000)}`);
    expect(r).toMatchObject({ kind: 'entity', entry: { entityId: 'fan.office' } });
  });

  it('takes an exact entity id first', () => {
    const r = resolveTarget(catalog, 'light.kitchen', { accept: controllable });
    expect(r).toMatchObject({
      kind: 'entity',
      matchedBy: 'entity_id',
      entry: { entityId: 'light.kitchen' },
    });
  });

  it('matches an entity id case-insensitively', () => {
    expect(resolveTarget(catalog, 'Sensor.Temp')).toMatchObject({
      kind: 'entity',
      entry: { entityId: 'sensor.temp' },
    });
  });

  it('reports an object id shared by two domains as ambiguous, never picking one', () => {
    const r = resolveTarget(catalog, 'kitchen', { accept: controllable });
    expect(r.kind).toBe('ambiguous');
    if (r.kind === 'ambiguous') {
      expect(r.candidates.map((c) => c.entityId).sort()).toEqual([
        'light.kitchen',
        'switch.kitchen',
      ]);
    }
  });

  it('uses the object id when only one entity has it', () => {
    const r = resolveTarget(catalog, 'living room', { accept: controllable });
    expect(r).toMatchObject({
      kind: 'entity',
      matchedBy: 'object_id',
      entry: { entityId: 'light.living_room' },
    });
  });

  it('matches a friendly name, ignoring case and accents', () => {
    expect(resolveTarget(catalog, 'kitchen ceiling')).toMatchObject({
      kind: 'entity',
      matchedBy: 'name',
    });
    expect(resolveTarget(catalog, 'KUCHE LICHT')).toMatchObject({
      kind: 'entity',
      matchedBy: 'name',
      entry: { entityId: 'light.kuche' },
    });
  });

  it('matches an entity alias from the registry', () => {
    expect(resolveTarget(catalog, 'big lamp')).toMatchObject({
      kind: 'entity',
      matchedBy: 'alias',
      entry: { entityId: 'light.living_room' },
    });
  });

  it('resolves an area to its controllable entities', () => {
    const r = resolveTarget(catalog, 'Garage', { accept: controllable });
    expect(r.kind).toBe('group');
    if (r.kind === 'group') {
      expect(r.group).toMatchObject({ type: 'area', name: 'Garage' });
      expect(r.entries.map((e) => e.entityId)).toEqual(['light.garden']);
    }
  });

  it('prefers an object id over an area of the same name, as the resolution order says', () => {
    expect(resolveTarget(catalog, 'office', { accept: controllable })).toMatchObject({
      kind: 'entity',
      matchedBy: 'object_id',
      entry: { entityId: 'fan.office' },
    });
  });

  it('resolves an area by its alias', () => {
    expect(resolveTarget(catalog, 'study', { accept: controllable })).toMatchObject({
      kind: 'group',
      group: { type: 'area', id: 'office' },
    });
  });

  it('says when an area has nothing the command can act on', () => {
    expect(resolveTarget(catalog, 'attic', { accept: controllable })).toMatchObject({
      kind: 'empty_group',
    });
  });

  it('accepts a clear fuzzy winner, typos included', () => {
    expect(resolveTarget(catalog, 'gardn lights', { accept: controllable })).toMatchObject({
      kind: 'entity',
      matchedBy: 'fuzzy',
      entry: { entityId: 'light.garden' },
    });
  });

  it('takes no other number for a typo: asks instead of acting on another device', () => {
    const { catalog: doors } = makeCatalog([
      { id: 'cover.garage_door_2121', name: 'Garage Door 2121' },
      { id: 'light.porch', name: 'Porch' },
    ]);
    // Before, Garage Door 2121 was the fuzzy winner and would have been toggled.
    const r = resolveTarget(doors, 'garage door 2120', { accept: controllable });
    expect(r.kind).toBe('unknown');
    if (r.kind === 'unknown') {
      expect(r.suggestions.map((e) => e.entityId)).toEqual(['cover.garage_door_2121']);
    }
    expect(resolveTarget(doors, 'garage dor 2121', { accept: controllable })).toMatchObject({
      kind: 'entity',
      matchedBy: 'fuzzy',
      entry: { entityId: 'cover.garage_door_2121' },
    });
  });

  it('lists close fuzzy matches instead of guessing', () => {
    const r = resolveTarget(catalog, 'bedroom', { accept: controllable });
    expect(r.kind).toBe('ambiguous');
    if (r.kind === 'ambiguous') {
      expect(r.candidates.map((c) => c.entityId).sort()).toEqual([
        'light.bedroom_left',
        'light.bedroom_right',
      ]);
    }
  });

  it('refuses an entity the command cannot act on, by name', () => {
    expect(resolveTarget(catalog, 'lock.front_door', { accept: controllable })).toMatchObject({
      kind: 'unsupported',
    });
  });

  it('gives the closest names when nothing matches', () => {
    const r = resolveTarget(catalog, 'gerden lihgts', { accept: () => false });
    expect(r.kind === 'unknown' || r.kind === 'unsupported').toBe(true);
    const none = resolveTarget(catalog, 'zzzzqqq');
    expect(none).toEqual({ kind: 'unknown', suggestions: [] });
    const close = resolveTarget(catalog, 'Ofice Fen', { accept: () => true });
    expect(close.kind).toBe('unknown');
    if (close.kind === 'unknown') {
      expect(close.suggestions.map((e) => e.entityId)).toContain('fan.office');
    }
  });

  it('treats blank input as unknown', () => {
    expect(resolveTarget(catalog, '   ')).toEqual({ kind: 'unknown', suggestions: [] });
  });
});

const grouped = groupedHome();

describe('resolveTarget with floors and labels', () => {
  const resolve = (typed: string) => {
    const r = resolveTarget(grouped.catalog, typed, { accept: controllable });
    return r.kind === 'group'
      ? { type: r.group.type, id: r.group.id, entries: r.entries.map((e) => e.entityId) }
      : r;
  };

  it('resolves a floor by name or alias to the entities of its areas, hidden ones left out', () => {
    const upstairs = {
      type: 'floor',
      id: 'upstairs',
      entries: ['light.bath', 'light.bedroom', 'light.tree_topper'],
    };
    expect(resolve('Upstairs')).toEqual(upstairs);
    expect(resolve('first floor')).toEqual(upstairs);
    // The tree is in the living room through its device, as HA's floor target counts it.
    expect(resolve('downstairs')).toEqual({
      type: 'floor',
      id: 'ground',
      entries: ['light.kitchen', 'light.tree', 'switch.kettle'],
    });
  });

  it("resolves a label to the entities it reaches as HA's label target does", () => {
    // On the entity, on its device (even where the entity has an area of its own).
    expect(resolve('christmas lights')).toEqual({
      type: 'label',
      id: 'christmas',
      entries: ['light.tree', 'light.tree_topper', 'light.window_star'],
    });
    expect(resolve('Outdoor')).toEqual({
      type: 'label',
      id: 'outdoor',
      entries: ['light.porch', 'switch.garden_pump'],
    });
    // On the area: its entities, those in it through their device included, but not an
    // entity of that device placed in another area.
    expect(resolve('cozy')).toEqual({ type: 'label', id: 'cozy', entries: ['light.tree'] });
  });

  it('takes area:, floor: and label: with an id or a name, as autocomplete sends them', () => {
    expect(resolve('floor:upstairs')).toMatchObject({ type: 'floor', id: 'upstairs' });
    expect(resolve('Floor: First Floor')).toMatchObject({ type: 'floor', id: 'upstairs' });
    expect(resolve('label:christmas')).toMatchObject({ type: 'label', id: 'christmas' });
    expect(resolve('area:kitchen')).toMatchObject({ type: 'area', id: 'kitchen' });
    expect(resolve('floor:loft')).toMatchObject({ type: 'floor', id: 'loft' });
  });

  it('prefers an area over a floor of the same name', () => {
    expect(resolve('loft')).toMatchObject({ type: 'area', id: 'loft' });
  });

  it('says when a label has nothing the command can act on', () => {
    expect(resolveTarget(grouped.catalog, 'guest ok', { accept: controllable })).toMatchObject({
      kind: 'empty_group',
      group: { type: 'label', name: 'Guest OK' },
    });
  });

  it('reads an unknown floor: as text like any other', () => {
    expect(resolve('floor:cellar')).toMatchObject({ kind: 'unknown' });
  });

  it('gives each entity the keys of its area, floor and labels for policies and rules', () => {
    expect(grouped.catalog.get('light.tree')).toMatchObject({
      areaId: 'living',
      floorId: 'ground',
      floorName: 'Ground Floor',
      areaKeys: ['living', 'living room', 'lounge'],
      floorKeys: ['ground', 'ground floor', 'downstairs'],
      labelKeys: ['christmas', 'christmas lights', 'cozy'],
    });
    expect(grouped.catalog.get('light.window_star')).toMatchObject({ floorKeys: undefined });
  });

  it('works as before when HA has no floors or labels (before 2024.4)', () => {
    const { catalog: old } = makeCatalog(
      [{ id: 'light.upstairs_lamp', name: 'Upstairs Lamp', area: 'hall' }],
      [{ id: 'hall', name: 'Hall' }],
    );
    expect(old.groups().all.map((g) => g.type)).toEqual(['area']);
    expect(resolveTarget(old, 'upstairs', { accept: controllable })).toMatchObject({
      kind: 'entity',
      matchedBy: 'fuzzy',
    });
    expect(old.get('light.upstairs_lamp')).toMatchObject({
      floorId: undefined,
      labelIds: [],
      labelKeys: undefined,
    });
  });
});

describe('resolveTarget leaves out what HA group targets leave out', () => {
  const { catalog: home, registry } = makeCatalog(
    [
      { id: 'light.ceiling', name: 'Ceiling', area: 'landing', labels: ['night'] },
      { id: 'switch.fan', name: 'Fan', area: 'landing', labels: ['night'] },
      // A device's settings and health: HA's area, floor and label targets skip them.
      { id: 'switch.child_lock', name: 'Child Lock', area: 'landing', category: 'config' },
      { id: 'switch.identify', name: 'Identify', area: 'landing', category: 'diagnostic' },
      {
        id: 'switch.status_led',
        name: 'Status LED',
        area: 'landing',
        labels: ['night'],
        category: 'config',
      },
      { id: 'light.strip', name: 'Hidden Strip', area: 'landing', hidden: true },
    ],
    [{ id: 'landing', name: 'Landing', floor: 'ground' }],
    { floors: [{ id: 'ground', name: 'Ground Floor' }], labels: [{ id: 'night', name: 'Night' }] },
  );
  const members = (typed: string) => {
    const r = resolveTarget(home, typed, { accept: controllable });
    return r.kind === 'group' ? r.entries.map((e) => e.entityId) : r.kind;
  };

  it('an area, floor or label target reaches neither config nor diagnostic entities', () => {
    expect(members('landing')).toEqual(['light.ceiling', 'switch.fan']);
    expect(members('ground floor')).toEqual(['light.ceiling', 'switch.fan']);
    expect(members('night')).toEqual(['light.ceiling', 'switch.fan']);
  });

  it('still finds a config entity by its own name or id', () => {
    expect(resolveTarget(home, 'child lock', { accept: controllable })).toMatchObject({
      kind: 'entity',
      entry: { entityId: 'switch.child_lock' },
    });
    expect(resolveTarget(home, 'switch.identify', { accept: controllable })).toMatchObject({
      kind: 'entity',
      entry: { entityId: 'switch.identify' },
    });
  });

  it('follows a category set or cleared in HA once the catalog is told', () => {
    registry.setEntities(
      {
        entities: [
          { ei: 'light.ceiling', ai: 'landing', lb: ['night'] },
          { ei: 'switch.fan', ai: 'landing', lb: ['night'], ec: 1 },
          { ei: 'switch.child_lock', ai: 'landing' },
          { ei: 'switch.identify', ai: 'landing', ec: 1 },
          { ei: 'switch.status_led', ai: 'landing', lb: ['night'], ec: 0 },
          { ei: 'light.strip', ai: 'landing', hb: true },
        ],
        entity_categories: { 0: 'config', 1: 'diagnostic' },
      },
      new Map(),
    );
    expect(members('landing')).toEqual(['light.ceiling', 'switch.child_lock']);
  });
});
