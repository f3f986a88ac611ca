import type { NumericSeries } from './series.js';

/** The value axis: a little room around the data, 3–5 round ticks. */
export function valueScale(
  series: readonly NumericSeries[],
  marks: readonly number[] = [],
): [number, number, number[]] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of marks) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  for (const s of series) {
    for (const step of s.steps) {
      if (step.v === null) continue;
      lo = Math.min(lo, step.lo ?? step.v);
      hi = Math.max(hi, step.hi ?? step.v);
    }
  }
  if (!Number.isFinite(lo)) [lo, hi] = [0, 1];
  if (lo === hi) [lo, hi] = [lo - 1, hi + 1];
  // Room above and below, so the line never runs along the frame.
  const pad = (hi - lo) * 0.05;
  [lo, hi] = [lo - pad, hi + pad];
  const raw = (hi - lo) / 4;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const min = Math.floor(lo / step) * step;
  const max = Math.ceil(hi / step) * step;
  const ticks: number[] = [];
  for (let v = min; v <= max + step / 2 && ticks.length < 8; v += step) ticks.push(round(v, step));
  return [min, max, ticks];
}

const round = (v: number, step: number) => {
  const digits = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  return Number(v.toFixed(Math.min(digits, 10)));
};

/** A value as the axis and the legend write it: no decimals from 100, one from 10, else two. */
export function formatValue(v: number): string {
  const abs = Math.abs(v);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
  return String(Number(v.toFixed(digits)));
}
