import { KEYSTROKES_PER_SAMPLE, measureSize, type SizeResult, type Summary } from './scale-size.js';
import { ms, num, p50p99, type Row, type Scaling } from './report.js';
import { WAITED_MS } from './run-queue.js';

/** Any `/ha` command, a miss included, at 100,000 entities. */
const COMMAND_TARGET_MS = 100;
const AUTOCOMPLETE_TARGETS: Record<number, number> = { 50_000: 5, 100_000: 10 };
const STARTUP_TARGET_MS = 3000;
const HEAP_TARGET_KB = 0.8;

/**
 * The scaling table: start-up, memory, `/ha state` (exact id, name, typo, miss), `/ha toggle`
 * and autocomplete round trips for homes of each size, with the bench's alert rules (the
 * first of `ruleCounts`; with each further count, the figures rules can move again); and
 * rows for the targets at the sizes they name, at every rule count. `settleS`: how long each
 * bot sits idle before its settled RSS is read (0: not read).
 */
export async function benchScale(
  sizes: readonly number[],
  samples: number,
  settleS: number,
  ruleCounts: readonly number[],
): Promise<{ rows: Row[]; scaling: Scaling }> {
  const runs: SizeResult[][] = [];
  for (const rules of ruleCounts) {
    const results: SizeResult[] = [];
    for (const size of sizes) {
      process.stderr.write(` ${num(size)} × ${num(rules)}`);
      results.push(await measureSize(size, samples, settleS, rules));
    }
    runs.push(results);
  }
  const [results, ...more] = runs as [SizeResult[], ...SizeResult[][]];
  const scaling: Scaling = {
    sizes: results.map((r) => r.entities),
    note: `the real bot against the fake HA and fake Discord over loopback, one interaction at a time, ${num(samples)} samples a figure (autocomplete ${num(samples * KEYSTROKES_PER_SAMPLE)}); the bench's ${num(ruleCounts[0]!)} alert rules (the ingest bench's) in its config${more.length > 0 ? `, ${more.map((r) => num(r[0]!.rules)).join(' and ')} where a figure says so` : ''}; typo: one letter dropped; miss: no such name ("did you mean" searched)`,
    lines: [
      ...loadLines(results, settleS, ''),
      { figure: '/ha state, exact id, p50 / p99', cells: results.map((r) => pp(r.state.id)) },
      { figure: '/ha state, name, p50 / p99', cells: results.map((r) => pp(r.state.name)) },
      { figure: '/ha state, typo, p50 / p99', cells: results.map((r) => pp(r.state.typo)) },
      { figure: '/ha state, miss, p50 / p99', cells: results.map((r) => pp(r.state.miss)) },
      { figure: '/ha toggle, exact id, p50 / p99', cells: results.map((r) => pp(r.toggle)) },
      {
        figure: 'Autocomplete round trip, p50 / p99',
        cells: results.map((r) => pp(r.autocomplete)),
      },
      {
        figure: 'Autocomplete round trip, harness GC not kept out (the old way), p50 / p99',
        cells: results.map((r) => pp(r.autocompleteWithHarnessGc)),
      },
      {
        figure: 'Autocomplete samples a GC overlapped: bot / harness (old way: bot / harness)',
        cells: results.map(
          (r) =>
            `${r.autocompleteGc.botGc} / ${r.autocompleteGc.benchGc} (${r.autocompleteWithHarnessGcShare.botGc} / ${r.autocompleteWithHarnessGcShare.benchGc})`,
        ),
      },
      {
        figure: 'Autocomplete round trip with no GC overlapping, p50 / p99',
        cells: results.map((r) => p50p99(r.autocompleteGc.clear.p50, r.autocompleteGc.clear.p99)),
      },
      {
        figure: `Autocomplete samples whose main threads (bot, harness) waited ≥ ${WAITED_MS} ms for a core; p50 / p99 of the rest`,
        cells: results.map(
          (r) =>
            `${r.autocompleteRunQueue.waited}; ${p50p99(r.autocompleteRunQueue.clear.p50, r.autocompleteRunQueue.clear.p99)}`,
        ),
      },
      {
        figure: 'Autocomplete just after an entity is added, p50 / max (answers with it)',
        cells: results.map(
          (r) =>
            `${p50p99(r.afterAdd.p50, r.afterAdd.max)} (${r.afterAdd.found}/${r.afterAdd.of})${r.afterAdd.failed > 0 ? ` (${r.afterAdd.failed} unanswered)` : ''}`,
        ),
      },
      ...more.flatMap((run) => {
        const rules = `, ${num(run[0]!.rules)} rules`;
        return [
          ...loadLines(run, settleS, rules),
          {
            figure: `/ha state and toggle (id, name, typo, miss), slowest p99${rules}`,
            cells: run.map((r) => {
              const worst = slowest(r);
              return worst.unanswered > 0 ? `${worst.unanswered} unanswered` : ms(worst.p99);
            }),
          },
          {
            figure: `Autocomplete round trip, p50 / p99${rules}`,
            cells: run.map((r) => pp(r.autocomplete)),
          },
        ];
      }),
    ],
  };
  const rows = runs.flatMap((run, i) => run.flatMap((r) => targetRows(r, i === 0)));
  return { rows, scaling };
}

const pp = (s: Summary) =>
  `${p50p99(s.p50, s.p99)}${s.failed > 0 ? ` (${s.failed} unanswered)` : ''}`;

/** The slowest p99 of `/ha state` and toggle, and how many went unanswered. */
function slowest(r: SizeResult): { p99: number; unanswered: number } {
  const all = [...Object.values(r.state), r.toggle];
  const unanswered = all.reduce((n, s) => n + s.failed, 0);
  return { p99: unanswered > 0 ? Infinity : Math.max(...all.map((s) => s.p99)), unanswered };
}

/** The figures the rules can move: start-up and memory. `suffix` names the rules, if not the first. */
function loadLines(results: readonly SizeResult[], settleS: number, suffix: string) {
  return [
    { figure: `Start-up to ready${suffix}`, cells: results.map((r) => ms(r.startupMs)) },
    {
      figure: `Start-up, bot CPU to catalog ready${suffix}`,
      cells: results.map((r) => ms(r.startupCpuMs)),
    },
    { figure: `RSS after load${suffix}`, cells: results.map((r) => `${num(r.rssMb, 0)} MB`) },
    ...(settleS > 0
      ? [
          {
            figure: `RSS settled (${settleS} s idle after)${suffix}`,
            cells: results.map((r) => `${num(r.settledRssMb, 0)} MB`),
          },
        ]
      : []),
    {
      figure: `Heap after GC (per entity)${suffix}`,
      cells: results.map(
        (r) => `${num(r.heapMb, 0)} MB (${num((r.heapMb * 1024) / r.entities, 2)} KB)`,
      ),
    },
  ];
}

/**
 * The rows of the targets `r`'s size has. The issue's targets are judged with the table's
 * first rule count (`judged`, the bench's 200 rules: ids as before); with another, their
 * ids name it and the targets are a stretch, as the ingest bench's at 2,000 rules.
 */
function targetRows(r: SizeResult, judged: boolean): Row[] {
  const rows: Row[] = [];
  const k = `${r.entities / 1000}k${judged ? '' : `.${r.rules}`}`;
  const size = `${num(r.entities)} entities, ${num(r.rules)} rules`;
  const stretch = judged ? '' : 'stretch: ';
  const { p99: worst, unanswered } = slowest(r);
  const acTarget = AUTOCOMPLETE_TARGETS[r.entities];
  if (r.entities >= 50_000) {
    rows.push({
      id: `scale.commands.${k}`,
      figure: `/ha state and toggle (id, name, typo, miss), slowest p99, ${size}`,
      bot: unanswered > 0 ? `${unanswered} unanswered` : ms(worst),
      baseline: '',
      target: `${stretch}< ${COMMAND_TARGET_MS} ms`,
      status: worst < COMMAND_TARGET_MS ? 'PASS' : 'MISS',
      baselineIs: 'interaction to reply over the fake Discord (see the scaling table)',
      values: { p99: worst, unanswered },
    });
  }
  if (acTarget !== undefined) {
    rows.push({
      id: `scale.autocomplete.${k}`,
      figure: `Autocomplete round trip p99, ${size}`,
      bot: `${pp(r.autocomplete)} (the old way: ${pp(r.autocompleteWithHarnessGc)})`,
      baseline: '',
      target: `${stretch}≤ ${acTarget} ms`,
      status: r.autocomplete.p99 <= acTarget && r.autocomplete.failed === 0 ? 'PASS' : 'MISS',
      baselineIs:
        "interaction to autocomplete response over the fake Discord, the harness's young generation collected before each keystroke (the old way, its collections free to land in one: see the scaling table)",
      values: {
        p50: r.autocomplete.p50,
        p99: r.autocomplete.p99,
        botGcSamples: r.autocompleteGc.botGc,
        harnessGcSamples: r.autocompleteGc.benchGc,
        p99WithoutGc: r.autocompleteGc.clear.p99,
        cpuWaitSamples: r.autocompleteRunQueue.waited,
        p99WithoutCpuWait: r.autocompleteRunQueue.clear.p99,
        oldWayP50: r.autocompleteWithHarnessGc.p50,
        oldWayP99: r.autocompleteWithHarnessGc.p99,
      },
    });
  }
  if (r.entities === 100_000) {
    const kb = (r.heapMb * 1024) / r.entities;
    rows.push(
      {
        id: `scale.startup.${k}`,
        figure: `Start-up to ready, ${size}`,
        bot: ms(r.startupMs),
        baseline: '',
        target: `${stretch}≤ ${num(STARTUP_TARGET_MS)} ms`,
        status: r.startupMs <= STARTUP_TARGET_MS ? 'PASS' : 'MISS',
        baselineIs: `process start to Discord ready and HA connected with its registries (wall time; the bot's CPU to catalog ready: ${ms(r.startupCpuMs)})`,
        values: { ms: r.startupMs, cpuMs: r.startupCpuMs },
      },
      {
        id: `scale.heap.${k}`,
        figure: `Heap per entity after GC, ${size}`,
        bot: `${num(kb, 2)} KB`,
        baseline: '',
        target: `${stretch}≤ ${HEAP_TARGET_KB} KB`,
        status: kb <= HEAP_TARGET_KB ? 'PASS' : 'MISS',
        baselineIs: 'heap used after a full GC (the memory probe), divided by the entities',
        values: {
          kbPerEntity: kb,
          heapMb: r.heapMb,
          rssMb: r.rssMb,
          ...(Number.isNaN(r.settledRssMb) ? {} : { settledRssMb: r.settledRssMb }),
        },
      },
    );
  }
  return rows;
}

/**
 * The ingest bench's cold and warm rates (its rows `ingest.cold.<k>k.<rules>` and `.warm.`)
 * as lines of the scaling table, a cell per size: the bot's rate and its share of the
 * ceiling's, '—' for a size the ingest bench did not run. None when it ran none of them.
 */
export function ingestLines(
  rows: readonly Row[],
  sizes: readonly number[],
  ruleCounts: readonly number[],
): Scaling['lines'] {
  const cell = (id: string): string => {
    const v = rows.find((r) => r.id === id)?.values;
    if (v?.rate === undefined || v.ceiling === undefined) return '—';
    return `${num(v.rate)}/s (${num((100 * v.rate) / v.ceiling)}%)`;
  };
  const lines = ruleCounts.flatMap((rules) =>
    (['cold', 'warm'] as const).map((phase) => ({
      figure: `HA ingest, ${phase}: changes/s (% of the ceiling), ${num(rules)} rules`,
      cells: sizes.map((size) => cell(`ingest.${phase}.${size / 1000}k.${rules}`)),
    })),
  );
  // A rule count the ingest bench did not run (--quick runs 200 only) gives no line.
  return lines.filter((l) => l.cells.some((c) => c !== '—'));
}
