import { autocompleteEntities } from '../src/entities/autocomplete.js';
import { bigHome, percentile } from './fixtures.js';

/**
 * Autocomplete over 10,000 entities: the bot's own work per keystroke, side by side with a
 * baseline that does the least any autocomplete must (one case-insensitive substring test
 * per entity id and name, first 25 hits, no ranking).
 */
export function benchAutocomplete(entities = 10_000) {
  const { catalog, store } = bigHome(entities);
  const entries = catalog.list();
  const queries = [
    'k',
    'ki',
    'kit',
    'kitc',
    'kitchen',
    'kitchen l',
    'kitchen lamp',
    'kitchn lmp',
    'living room 2 fan',
    'bedrom',
    'sensor.garage',
    'zzz',
  ];
  const bot: number[] = [];
  const base: number[] = [];
  const stateOf = (id: string) => store.get(id)?.state;
  for (let round = 0; round < 35; round++) {
    // The first rounds warm the JIT and are not counted.
    const counted = round >= 5;
    for (const q of queries) {
      let t = performance.now();
      autocompleteEntities(entries, q, stateOf);
      if (counted) bot.push(performance.now() - t);
      t = performance.now();
      const lower = q.toLowerCase();
      const hits = [];
      for (const e of entries) {
        if (e.entityId.includes(lower) || e.name.toLowerCase().includes(lower)) hits.push(e);
        if (hits.length >= 25) break;
      }
      if (counted) base.push(performance.now() - t);
    }
  }
  bot.sort((a, b) => a - b);
  base.sort((a, b) => a - b);
  return {
    name: `autocomplete, ${entities} entities`,
    p50: percentile(bot, 50),
    p99: percentile(bot, 99),
    baselineP50: percentile(base, 50),
    baselineP99: percentile(base, 99),
    samples: bot.length,
  };
}
