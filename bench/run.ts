import { benchAutocomplete } from './autocomplete.bench.js';

const results = [benchAutocomplete()];
for (const r of results) {
  console.log(
    `${r.name}: p50 ${r.p50.toFixed(3)} ms, p99 ${r.p99.toFixed(3)} ms ` +
      `(baseline substring scan p50 ${r.baselineP50.toFixed(3)} ms, p99 ${r.baselineP99.toFixed(3)} ms; ` +
      `ratio p99 ${(r.p99 / r.baselineP99).toFixed(1)}x) over ${r.samples} keystrokes`,
  );
}
