import type { NumericStep, StateSpan } from './series.js';

/**
 * Bounds a chart's data to its pixels. A step function with any number of steps becomes at
 * most four steps per pixel column — the value entering the column, its lowest, its highest
 * and the value leaving it, in time order — so the drawn line is the same to the pixel
 * (spikes stay visible) and a month of a chatty sensor costs a few thousand points.
 * `steps` must be sorted by time; gaps (null) are kept where they cover a whole column.
 */
export function downsampleSteps(
  steps: readonly NumericStep[],
  start: number,
  end: number,
  columns: number,
): NumericStep[] {
  if (steps.length <= columns * 4 || end <= start || columns < 1) return [...steps];
  const width = (end - start) / columns;
  const out: NumericStep[] = [];
  let j = 0;
  /** The step in force at the current column's start. */
  let current: NumericStep | undefined;
  while (j < steps.length && steps[j]!.t <= start) current = steps[j++];
  for (let c = 0; c < columns; c++) {
    const colStart = start + c * width;
    const colEnd = colStart + width;
    let entering = current === undefined ? undefined : { ...current, t: colStart };
    let lo: NumericStep | undefined;
    let hi: NumericStep | undefined;
    let last = entering;
    const consider = (s: NumericStep) => {
      last = s;
      if (s.v === null) return;
      if (lo === undefined || (s.lo ?? s.v) < (lo.lo ?? lo.v!)) lo = s;
      if (hi === undefined || (s.hi ?? s.v) > (hi.hi ?? hi.v!)) hi = s;
    };
    if (entering !== undefined) consider(entering);
    for (; j < steps.length && steps[j]!.t < colEnd; j++) {
      entering ??= steps[j]!;
      consider(steps[j]!);
    }
    if (entering === undefined || last === undefined) continue;
    current = last;
    if (lo === undefined || hi === undefined) {
      pushStep(out, { t: entering.t, v: null });
      continue;
    }
    const picked = [entering, lo, hi, last].filter((s, k, all) => all.indexOf(s) === k);
    picked.sort((a, b) => a.t - b.t);
    for (const s of picked) pushStep(out, s);
  }
  return out;
}

/** Appends a step unless it repeats the one before (same value, or a gap after a gap). */
function pushStep(out: NumericStep[], step: NumericStep): void {
  const prev = out.at(-1);
  if (prev !== undefined && prev.t === step.t) out[out.length - 1] = step;
  else if (prev !== undefined && prev.v === step.v && prev.lo === step.lo && prev.hi === step.hi)
    return;
  else out.push(step);
}

/**
 * At most one span starting per pixel column (the last state that began in it wins), so a
 * flapping entity costs `columns` spans at most.
 */
export function downsampleSpans(
  spans: readonly StateSpan[],
  start: number,
  end: number,
  columns: number,
): StateSpan[] {
  if (spans.length <= columns || end <= start) return [...spans];
  const width = (end - start) / columns;
  const out: StateSpan[] = [];
  let lastColumn = -Infinity;
  for (const span of spans) {
    const column = Math.floor((span.t - start) / width);
    if (column === lastColumn && out.length > 0)
      out[out.length - 1] = { ...span, t: out.at(-1)!.t };
    else out.push(span);
    lastColumn = column;
  }
  // Merge neighbours that ended up with the same state.
  return out.filter((s, k) => k === 0 || out[k - 1]!.state !== s.state);
}
