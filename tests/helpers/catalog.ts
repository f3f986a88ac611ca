import { EntityCatalog } from '../../src/entities/catalog.js';
import { EntityStore } from '../../src/ha/entity-store.js';
import { Registry, type RawDisplayEntity } from '../../src/ha/registry.js';

export interface TestEntity {
  id: string;
  state?: string;
  name?: string;
  area?: string;
  /** A device id (see TestHome.devices). */
  device?: string;
  aliases?: string[];
  /** Label ids on the entity itself. */
  labels?: string[];
  hidden?: boolean;
  /** HA's entity_category: a config or diagnostic entity. */
  category?: 'config' | 'diagnostic';
  attributes?: Record<string, unknown>;
}

export interface TestArea {
  id: string;
  name: string;
  aliases?: string[];
  floor?: string;
  labels?: string[];
}

/** Floors, labels and devices, as HA 2024.4+ lists them. */
export interface TestHome {
  floors?: { id: string; name: string; aliases?: string[] }[];
  labels?: { id: string; name: string }[];
  devices?: { id: string; area?: string; labels?: string[] }[];
}

/** A catalog over a real EntityStore and Registry, filled the way HA's messages fill them. */
export function makeCatalog(entities: TestEntity[], areas: TestArea[] = [], home: TestHome = {}) {
  const store = new EntityStore();
  store.apply({
    a: Object.fromEntries(
      entities.map((e) => [
        e.id,
        {
          s: e.state ?? 'off',
          a: { ...(e.name ? { friendly_name: e.name } : {}), ...e.attributes },
          c: `ctx-${e.id}`,
          lc: 1_700_000_000,
        },
      ]),
    ),
  });
  const registry = new Registry();
  registry.setAreas(
    areas.map((a) => ({
      area_id: a.id,
      name: a.name,
      aliases: a.aliases ?? [],
      floor_id: a.floor ?? null,
      labels: a.labels ?? [],
    })),
  );
  registry.setFloors(
    (home.floors ?? []).map((f) => ({ floor_id: f.id, name: f.name, aliases: f.aliases ?? [] })),
  );
  registry.setLabels((home.labels ?? []).map((l) => ({ label_id: l.id, name: l.name })));
  registry.setDevices(
    (home.devices ?? []).map((d) => ({
      id: d.id,
      area_id: d.area ?? null,
      labels: d.labels ?? [],
    })),
  );
  const display: RawDisplayEntity[] = entities.map((e) => ({
    ei: e.id,
    ai: e.area ?? null,
    ...(e.device ? { di: e.device } : {}),
    ...(e.labels ? { lb: e.labels } : {}),
    ...(e.hidden ? { hb: true } : {}),
    // HA numbers the categories in entity_categories, as its display list does.
    ...(e.category ? { ec: e.category === 'config' ? 0 : 1 } : {}),
  }));
  registry.setEntities(
    { entities: display, entity_categories: { 0: 'config', 1: 'diagnostic' } },
    new Map(entities.filter((e) => e.aliases).map((e) => [e.id, e.aliases!])),
  );
  return { store, registry, catalog: new EntityCatalog(store, registry) };
}

/** A home on HA 2024.4+: floors with aliases, and labels on entities, devices and areas. */
export function groupedHome() {
  return makeCatalog(
    [
      { id: 'light.kitchen', name: 'Kitchen Ceiling', area: 'kitchen' },
      { id: 'switch.kettle', name: 'Kettle', area: 'kitchen' },
      { id: 'sensor.kitchen_temp', name: 'Kitchen Temperature', area: 'kitchen' },
      { id: 'light.bedroom', name: 'Bedroom Lamp', area: 'bedroom' },
      { id: 'light.bath', name: 'Bath Mirror', area: 'bathroom' },
      { id: 'light.upstairs_hidden', name: 'Hidden', area: 'bedroom', hidden: true },
      // In the living room through its device, which carries the label Christmas lights.
      { id: 'light.tree', name: 'Tree', device: 'tree' },
      // The same device, but in the bedroom itself: HA's label target still reaches it.
      { id: 'light.tree_topper', name: 'Tree Topper', device: 'tree', area: 'bedroom' },
      { id: 'light.window_star', name: 'Window Star', area: 'office', labels: ['christmas'] },
      { id: 'light.porch', name: 'Porch', device: 'porch' },
      { id: 'switch.garden_pump', name: 'Garden Pump', labels: ['outdoor'] },
      { id: 'light.loft_spot', name: 'Loft Spot', area: 'loft' },
    ],
    [
      { id: 'kitchen', name: 'Kitchen', floor: 'ground' },
      { id: 'living', name: 'Living Room', aliases: ['Lounge'], floor: 'ground', labels: ['cozy'] },
      { id: 'bedroom', name: 'Bedroom', floor: 'upstairs' },
      { id: 'bathroom', name: 'Bathroom', floor: 'upstairs' },
      { id: 'office', name: 'Office' },
      { id: 'loft', name: 'Loft', floor: 'loft' },
    ],
    {
      floors: [
        { id: 'ground', name: 'Ground Floor', aliases: ['Downstairs'] },
        { id: 'upstairs', name: 'Upstairs', aliases: ['First floor'] },
        { id: 'loft', name: 'Loft' },
      ],
      labels: [
        { id: 'christmas', name: 'Christmas lights' },
        { id: 'outdoor', name: 'Outdoor' },
        { id: 'cozy', name: 'Cozy' },
        { id: 'guest_ok', name: 'Guest OK' },
      ],
      devices: [
        { id: 'tree', area: 'living', labels: ['christmas'] },
        { id: 'porch', labels: ['outdoor'] },
      ],
    },
  );
}
