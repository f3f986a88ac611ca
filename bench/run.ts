import { readFileSync, writeFileSync } from 'node:fs';
import * as prettier from 'prettier';
import { benchAutocomplete } from './autocomplete.bench.js';
import { benchBurst } from './burst.bench.js';
import { benchCommands } from './commands.bench.js';
import { benchIngest } from './ingest.bench.js';
import { benchMemory, benchStartup } from './process.bench.js';
import {
  commit,
  machine,
  nodeWithFlags,
  markdownTable,
  num,
  textTable,
  writeJson,
  type Report,
  type Row,
} from './report.js';
import { benchRules } from './rules.bench.js';
import { benchStall } from './stall.bench.js';

const USAGE = `npm run bench [-- --quick] [-- --json <path>] [-- --only <id,...>] [-- --readme]

  --quick    a short run (about a minute): fewer samples, a tenth of the volume
  --json     where to write the results (default bench/results/latest.json,
             with --quick bench/results/quick.json)
  --only     run only the benchmarks whose ids start with these (startup, commands,
             ingest, autocomplete, stall, rules, memory, burst)
  --readme   put the table into README.md (between the bench markers)`;

function parseArgs(argv: string[]) {
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    if (i === -1) return undefined;
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) throw new Error(`${flag} needs a value\n\n${USAGE}`);
    return v;
  };
  const known = new Set(['--quick', '--json', '--only', '--readme', '--help']);
  for (const arg of argv) {
    if (arg.startsWith('--') && !known.has(arg))
      throw new Error(`unknown option ${arg}\n\n${USAGE}`);
  }
  const quick = argv.includes('--quick');
  return {
    help: argv.includes('--help'),
    quick,
    json: value('--json') ?? (quick ? 'bench/results/quick.json' : 'bench/results/latest.json'),
    only: value('--only')?.split(','),
    readme: argv.includes('--readme'),
  };
}

const args = parseArgs(process.argv.slice(2));
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}
const q = args.quick;

const BENCHMARKS: { id: string; run: () => Promise<Row[]> | Row[] }[] = [
  { id: 'startup', run: async () => [await benchStartup(q ? 2 : 5)] },
  { id: 'commands', run: () => benchCommands(q ? 100 : 1000) },
  { id: 'ingest', run: () => benchIngest(q) },
  { id: 'autocomplete', run: () => [benchAutocomplete(q ? 30 : 100)] },
  { id: 'stall', run: () => benchStall(q) },
  {
    id: 'rules',
    run: () => {
      const r = benchRules(q ? 20_000 : 200_000);
      return [
        {
          id: 'rules',
          figure: 'Rule matching alone: changes/s (200 rules, 10,000 entities)',
          bot: `${num(r.engineRate)}/s`,
          baseline: `${num(r.baselineRate)}/s`,
          target: '≥ 10,000/s',
          status: r.engineRate >= 10_000 ? 'PASS' : 'MISS',
          baselineIs:
            "every rule's entity selection tested on every change (what the engine's per-entity cache avoids); one core, no I/O",
          values: { rate: r.engineRate, baselineRate: r.baselineRate },
        },
      ];
    },
  },
  { id: 'memory', run: () => benchMemory(q) },
  {
    id: 'burst',
    run: () =>
      benchBurst(
        q
          ? { changes: 1000, seconds: 1, entities: 100 }
          : { changes: 10_000, seconds: 10, entities: 1000 },
      ),
  },
];

// Interrupted: exit through process.on('exit'), which stops the processes under test.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));

const started = performance.now();
const rows: Row[] = [];
for (const bench of BENCHMARKS) {
  if (args.only && !args.only.some((id) => bench.id.startsWith(id))) continue;
  const t = performance.now();
  process.stderr.write(`bench: ${bench.id}...`);
  rows.push(...(await bench.run()));
  process.stderr.write(` ${((performance.now() - t) / 1000).toFixed(1)} s\n`);
}

const report: Report = {
  date: new Date().toISOString(),
  quick: q,
  commit: commit(),
  machine: machine(),
  durationS: (performance.now() - started) / 1000,
  rows,
};
console.log(`\n${textTable(rows)}\n`);
const m = report.machine;
console.log(
  `${m.cpus} × ${m.cpu}, Node ${nodeWithFlags(m)}, ${report.commit}${q ? ', --quick' : ''}, ${Math.round(report.durationS)} s`,
);
writeJson(args.json, report);
console.log(`results: ${args.json}`);

if (args.readme) {
  const START = '<!-- bench:start -->';
  const END = '<!-- bench:end -->';
  const readme = readFileSync('README.md', 'utf8');
  const from = readme.indexOf(START);
  const to = readme.indexOf(END);
  if (from === -1 || to < from) throw new Error(`README.md has no ${START} ... ${END} block`);
  const text = `${readme.slice(0, from + START.length)}\n\n${markdownTable(report)}\n\n${readme.slice(to)}`;
  const options = await prettier.resolveConfig('README.md');
  writeFileSync('README.md', await prettier.format(text, { ...options, parser: 'markdown' }));
  console.log('README.md: table updated');
}
