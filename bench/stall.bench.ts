import { monitorEventLoopDelay } from 'node:perf_hooks';
import { autocompleteTargets } from '../src/entities/autocomplete.js';
import { INDEX_SLICE, type CatalogEntry } from '../src/entities/catalog.js';
import { serviceFor } from '../src/entities/controls.js';
import { resolveTarget } from '../src/entities/resolver.js';
import { indexInSlices } from '../src/entities/search-index.js';
import { HOSTILE_QUERIES } from '../tests/helpers/hostile-queries.js';
import { bigHome } from './fixtures.js';
import { ms, num, type Row } from './report.js';

const TARGET_MS = 50;

/** CPU time of this process in ms: the work itself, not the time others took the core. */
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;

interface Worst {
  /** The slowest input's median CPU time per call. */
  ms: number;
  input: string;
}

/**
 * The longest the event loop is blocked by one member's input: every hostile input (the
 * longest the option allows, repeats, emoji, combining and right-to-left marks; see
 * tests/helpers/hostile-queries.ts) through `/ha state` and `/ha toggle` resolution
 * (misses and "did you mean" included) and through autocomplete as it is typed, in a home
 * of 10,000 and of 100,000 entities. Each call is synchronous, so its time is the block;
 * it is taken in CPU time (a busy machine taking the core away is not the bot's work), the
 * median of `reps` runs per input, and the worst input is the figure. The event loop's own
 * delay histogram (wall clock, each call in its own turn) is kept in the JSON as a cross-check.
 *
 * Baseline: one pass over every entity testing its id and name for the text
 * (case-insensitive substring), the least any lookup without an index does.
 */
export async function benchStall(quick: boolean): Promise<Row[]> {
  const reps = quick ? 3 : 5;
  // Autocomplete runs on every keystroke: every `step` characters of each input.
  const step = quick ? 50 : 10;
  const rows: Row[] = [];
  const rebuild: Record<string, number> = {};
  const rb = (key: string) => rebuild[key]!;
  for (const size of [10_000, 100_000]) {
    const { catalog, store } = bigHome(size);
    // Start-up: the catalog, its index and the vocabulary for typos, built once.
    let before = cpuMs();
    catalog.searchable();
    rebuild[`build${size}`] = cpuMs() - before;
    // After an entity is added: the catalog's update (synchronous, paid by whatever reads
    // the catalog first), then the index rebuilt in slices between other work (the longest
    // slice is the longest block).
    store.apply({
      a: { 'sensor.bench_added': { s: '1', a: { friendly_name: 'Bench Added' }, lc: 1 } },
    });
    before = cpuMs();
    const entries = catalog.list();
    rebuild[`update${size}`] = cpuMs() - before;
    const build = indexInSlices(entries, INDEX_SLICE);
    let slice = 0;
    let total = 0;
    for (let done = false; !done;) {
      before = cpuMs();
      done = build.next().done === true;
      const t = cpuMs() - before;
      slice = Math.max(slice, t);
      total += t;
    }
    rebuild[`slice${size}`] = slice;
    rebuild[`index${size}`] = total;

    const stateOf = (id: string) => store.get(id)?.state;
    const controllable = (e: CatalogEntry) => serviceFor(e.domain, 'toggle') !== undefined;
    const commands: Worst = { ms: 0, input: '' };
    const keystrokes: Worst = { ms: 0, input: '' };
    const baseline: Worst = { ms: 0, input: '' };
    const delay = monitorEventLoopDelay({ resolution: 1 });
    let calls = 0;
    const timed = async (work: () => void): Promise<number> => {
      // Each call in its own turn of the event loop, as an interaction is.
      await new Promise((resolve) => setImmediate(resolve));
      const started = cpuMs();
      work();
      calls++;
      return cpuMs() - started;
    };
    const worst = (into: Worst, input: string, samples: number[]) => {
      const m = median(samples);
      if (m > into.ms) Object.assign(into, { ms: m, input });
    };
    delay.enable();
    for (const [name, text] of Object.entries(HOSTILE_QUERIES)) {
      const state: number[] = [];
      const toggle: number[] = [];
      const typing: number[] = [];
      const scan: number[] = [];
      const prefixes: string[] = [];
      for (let length = step; length < text.length; length += step)
        prefixes.push(text.slice(0, length));
      prefixes.push(text);
      for (let rep = 0; rep < reps; rep++) {
        state.push(await timed(() => resolveTarget(catalog, text)));
        toggle.push(await timed(() => resolveTarget(catalog, text, { accept: controllable })));
        let slowest = 0;
        for (const typed of prefixes) {
          // As /ha toggle's target option: areas, floors and labels, then entities.
          const t = await timed(() => autocompleteTargets(catalog, typed, stateOf, controllable));
          slowest = Math.max(slowest, t);
        }
        typing.push(slowest);
        scan.push(
          await timed(() => {
            const lower = text.toLowerCase();
            entries.filter(
              (e) => e.entityId.includes(lower) || e.name.toLowerCase().includes(lower),
            );
          }),
        );
      }
      worst(commands, name, state);
      worst(commands, name, toggle);
      worst(keystrokes, name, typing);
      worst(baseline, name, scan);
    }
    delay.disable();
    const wallMax = delay.max / 1e6;
    const pass = commands.ms < TARGET_MS && keystrokes.ms < TARGET_MS;
    rows.push({
      id: `stall.${size / 1000}k`,
      figure: `Longest block by one member's input, ${num(size)} entities: commands / autocomplete`,
      bot: `${ms(commands.ms)} / ${ms(keystrokes.ms)}`,
      baseline: ms(baseline.ms),
      target: `< ${TARGET_MS} ms`,
      status: pass ? 'PASS' : 'MISS',
      baselineIs: `one pass over every entity testing its id and name for the text (substring), the least a lookup without an index does. ${Object.keys(HOSTILE_QUERIES).length} hostile inputs of up to 200 characters (tests/helpers/hostile-queries.ts) through /ha state and /ha toggle resolution and autocomplete (every ${step} characters typed); CPU time of one synchronous call, median of ${reps} runs, worst input: "${commands.input}" / "${keystrokes.input}"; the event loop's longest delay, wall clock, ${ms(wallMax)} over ${num(calls)} calls`,
      values: {
        commands: commands.ms,
        autocomplete: keystrokes.ms,
        baseline: baseline.ms,
        eventLoopDelayMax: wallMax,
        calls,
      },
    });
  }
  rows.push({
    id: 'stall.rebuild',
    figure:
      'After an entity is added: catalog update / longest index slice (whole index), 10k; 100k',
    bot: `${ms(rb('update10000'))} / ${ms(rb('slice10000'))} (${ms(rb('index10000'))}); ${ms(rb('update100000'))} / ${ms(rb('slice100000'))} (${ms(rb('index100000'))})`,
    baseline: `${ms(rb('build10000'))}; ${ms(rb('build100000'))}`,
    target: `< ${TARGET_MS} ms each`,
    status: Math.max(rb('update100000'), rb('slice100000')) < TARGET_MS ? 'PASS' : 'MISS',
    baselineIs:
      'building the catalog, index and typo vocabulary from nothing (start-up; what every entity change cost before the catalog was updated in place). CPU time; the catalog update is synchronous, the index is rebuilt in slices between other work while queries search the previous list',
    values: rebuild,
  });
  return rows;
}
