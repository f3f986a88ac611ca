import { EntityCatalog } from '../src/entities/catalog.js';
import { EntityStore } from '../src/ha/entity-store.js';
import { Registry } from '../src/ha/registry.js';

const DOMAINS = [
  'light',
  'switch',
  'sensor',
  'binary_sensor',
  'fan',
  'cover',
  'climate',
  'media_player',
];
const ROOMS = [
  'Kitchen',
  'Living Room',
  'Bedroom',
  'Office',
  'Garage',
  'Hallway',
  'Bathroom',
  'Attic',
  'Basement',
  'Garden',
];
const THINGS = [
  'Ceiling',
  'Lamp',
  'Outlet',
  'Temperature',
  'Humidity',
  'Motion',
  'Door',
  'Window',
  'Fan',
  'Blind',
  'Speaker',
  'Heater',
];

/** A deterministic home of `count` entities spread over 50 areas, like a large HA install. */
export function bigHome(count: number) {
  const store = new EntityStore();
  const registry = new Registry();
  const areas = Array.from({ length: 50 }, (_, i) => ({
    area_id: `area_${i}`,
    name: `${ROOMS[i % ROOMS.length]} ${Math.floor(i / ROOMS.length) + 1}`,
  }));
  const added: Record<string, { s: string; a: Record<string, unknown>; c: string; lc: number }> =
    {};
  const display = [];
  for (let i = 0; i < count; i++) {
    const domain = DOMAINS[i % DOMAINS.length]!;
    const area = areas[i % areas.length]!;
    const thing = THINGS[(i * 7) % THINGS.length]!;
    const name = `${area.name} ${thing} ${i}`;
    const id = `${domain}.${name.toLowerCase().replace(/[^a-z0-9]+/g, '_')}`;
    added[id] = {
      s: i % 2 ? 'on' : 'off',
      a: { friendly_name: name },
      c: `ctx${i}`,
      lc: 1_700_000_000,
    };
    display.push({ ei: id, ai: area.area_id });
  }
  store.apply({ a: added });
  registry.setAreas(areas);
  registry.setDevices([]);
  registry.setEntities({ entities: display });
  return { store, registry, catalog: new EntityCatalog(store, registry) };
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
