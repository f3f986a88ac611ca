import { benchAutocomplete } from './autocomplete.bench.js';
import { benchCommands } from './commands.bench.js';
import { benchRules } from './rules.bench.js';

interface Result {
  name: string;
  p50: number;
  p99: number;
  baselineP50: number;
  baselineP99: number;
  samples: number;
}

const quick = process.argv.includes('--quick');
const results: Result[] = [
  benchAutocomplete(quick ? 2000 : 10_000),
  ...(await benchCommands(quick ? 100 : 1000)),
];
const f = (n: number) => n.toFixed(3).padStart(8);
console.log(
  `${'benchmark'.padEnd(52)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'base p50'.padStart(8)} ${'base p99'.padStart(8)}  added p50/p99 ms   samples`,
);
for (const r of results) {
  console.log(
    `${r.name.padEnd(52)} ${f(r.p50)} ${f(r.p99)} ${f(r.baselineP50)} ${f(r.baselineP99)}  ${(r.p50 - r.baselineP50).toFixed(2)} / ${(r.p99 - r.baselineP99).toFixed(2)}   ${r.samples}`,
  );
}

const rulesResult = benchRules(quick ? 20_000 : 200_000);
console.log(
  `${rulesResult.name}: ${Math.round(rulesResult.engineRate).toLocaleString('en')} changes/s ` +
    `(baseline, every rule's selection tested on every change: ${Math.round(rulesResult.baselineRate).toLocaleString('en')} changes/s; ` +
    `ratio ${(rulesResult.engineRate / rulesResult.baselineRate).toFixed(1)}x; target 10,000 changes/s)`,
);
