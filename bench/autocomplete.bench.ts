import { autocompleteEntities } from '../src/entities/autocomplete.js';
import { bigHome, summarize } from './fixtures.js';
import { ms, num, p50p99, type Row } from './report.js';

const TARGET_P99_MS = 5;

/** Keystrokes as people type them: prefixes, several words, typos, abbreviations, numbers. */
const QUERIES = [
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
  'ofice lamp 12',
  'garag doer',
  'lvrm',
  'temperatur',
  'zzz',
];

/** CPU time of this process in ms: the work itself, not the time others took the core. */
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/**
 * Autocomplete over 10,000 entities: the bot's own work per keystroke (search, ranking and
 * labels, in this process), side by side with a baseline that does the least any
 * autocomplete must: one case-insensitive substring test per entity id and name, first 25
 * hits, no ranking. Both are timed in CPU time, so that a busy machine taking the core away
 * mid-keystroke does not count as the bot's work; wall-clock times are in the JSON.
 */
export function benchAutocomplete(rounds: number): Row {
  const { catalog, store } = bigHome(10_000);
  const entries = catalog.list();
  const stateOf = (id: string) => store.get(id)?.state;
  const bot = { cpu: [] as number[], wall: [] as number[] };
  const base = { cpu: [] as number[], wall: [] as number[] };
  const time = (into: typeof bot, keep: boolean, work: () => void) => {
    const wall = performance.now();
    const cpu = cpuMs();
    work();
    if (keep) {
      into.cpu.push(cpuMs() - cpu);
      into.wall.push(performance.now() - wall);
    }
  };
  const warmup = 5;
  for (let round = 0; round < rounds + warmup; round++) {
    const keep = round >= warmup;
    for (const q of QUERIES) {
      time(bot, keep, () => autocompleteEntities(entries, q, stateOf));
      time(base, keep, () => {
        const lower = q.toLowerCase();
        const hits = [];
        for (const e of entries) {
          if (e.entityId.includes(lower) || e.name.toLowerCase().includes(lower)) hits.push(e);
          if (hits.length >= 25) break;
        }
      });
    }
  }
  const cpu = summarize(bot.cpu);
  const wall = summarize(bot.wall);
  const baseCpu = summarize(base.cpu);
  return {
    id: 'autocomplete',
    figure: 'Autocomplete, 10,000 entities: per keystroke, p50 / p99',
    bot: p50p99(cpu.p50, cpu.p99),
    baseline: p50p99(baseCpu.p50, baseCpu.p99),
    target: `p99 < ${TARGET_P99_MS} ms`,
    status: cpu.p99 < TARGET_P99_MS ? 'PASS' : 'MISS',
    baselineIs: `a substring test per entity id and name, first 25 hits, unranked; CPU time of ${num(cpu.n)} keystrokes (${QUERIES.length} queries: prefixes, several words, typos, abbreviations), wall clock p99 ${ms(wall.p99)}`,
    values: {
      p50: cpu.p50,
      p99: cpu.p99,
      max: cpu.max,
      wallP50: wall.p50,
      wallP99: wall.p99,
      baselineP50: baseCpu.p50,
      baselineP99: baseCpu.p99,
      samples: cpu.n,
    },
  };
}
