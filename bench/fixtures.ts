import { EntityCatalog } from '../src/entities/catalog.js';
import { EntityStore } from '../src/ha/entity-store.js';
import { Registry } from '../src/ha/registry.js';
import { benchHome } from './home.js';

/** The benchmark home of `count` entities, loaded into the bot's own store and catalog. */
export function bigHome(count: number) {
  const home = benchHome(count);
  const store = new EntityStore();
  const registry = new Registry();
  store.apply({
    a: Object.fromEntries(
      home.entities.map((e, i) => [
        e.entity_id,
        { s: e.state, a: e.attributes ?? {}, c: `ctx${i}`, lc: 1_700_000_000 },
      ]),
    ),
  });
  registry.setAreas(home.areas);
  registry.setDevices([]);
  registry.setEntities({
    entities: home.registry.map((r) => ({ ei: r.entity_id, ai: r.area_id ?? null })),
  });
  return { home, store, registry, catalog: new EntityCatalog(store, registry) };
}

/** The value below which p percent of the (sorted) samples lie. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** The middle sample (of an even count, the upper of the two). */
export const median = (xs: readonly number[]): number =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export function summarize(samples: number[]): { p50: number; p99: number; max: number; n: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? NaN,
    n: sorted.length,
  };
}
