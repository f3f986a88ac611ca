import { EntityCatalog } from '../../src/entities/catalog.js';
import { EntityStore } from '../../src/ha/entity-store.js';
import { Registry, type RawDisplayEntity } from '../../src/ha/registry.js';

export interface TestEntity {
  id: string;
  state?: string;
  name?: string;
  area?: string;
  aliases?: string[];
  attributes?: Record<string, unknown>;
}

/** A catalog over a real EntityStore and Registry, filled the way HA's messages fill them. */
export function makeCatalog(
  entities: TestEntity[],
  areas: { id: string; name: string; aliases?: string[] }[] = [],
) {
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
  registry.setAreas(areas.map((a) => ({ area_id: a.id, name: a.name, aliases: a.aliases ?? [] })));
  registry.setDevices([]);
  const display: RawDisplayEntity[] = entities.map((e) => ({ ei: e.id, ai: e.area ?? null }));
  registry.setEntities(
    { entities: display },
    new Map(entities.filter((e) => e.aliases).map((e) => [e.id, e.aliases!])),
  );
  return { store, registry, catalog: new EntityCatalog(store, registry) };
}
