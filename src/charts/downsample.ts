import { numericValue, type NumericStep, type StateSpan } from './series.js';

/*
 * The steps and spans a chart keeps (thousands for a day of a chatty sensor) are made by
 * constructors, not object literals, as HA's rows are (src/ha/history.ts): they live until
 * the SVG is written, so V8 saw all of a literal's objects outlive a young GC and from then
 * on allocated every chart's steps straight in its old generation (V8's --trace-pretenuring:
 * the step literal, 2,600 objects a chart, "tenure"), where they stayed as garbage until a
 * full GC. Measured in the running bot, 100 charts of 24 h (--trace-gc): V8's heap grew from
 * 32.7 to 45.5 MB committed, with two full GCs; made by constructors, to 36.2 MB, with none.
 */
class Step implements NumericStep {
  constructor(
    public t: number,
    public v: number | null,
  ) {}
}

/** A statistics step moved to a column's start (its mean, min and max kept). */
class RangeStep implements NumericStep {
  constructor(
    public t: number,
    public v: number | null,
    public lo: number | undefined,
    public hi: number | undefined,
  ) {}
}

class Span implements StateSpan {
  constructor(
    public state: string,
    public t: number,
  ) {}
}

/** `step` at time `t`: the same kind of step, so that it compares as before. */
function movedTo(step: NumericStep, t: number): NumericStep {
  return step.lo === undefined && step.hi === undefined
    ? new Step(t, step.v)
    : new RangeStep(t, step.v, step.lo, step.hi);
}

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
  const n = steps.length;
  const [t, v, lo, hi] = [0, 0, 0, 0].map(() => new Float64Array(n)) as [
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
  ];
  for (let i = 0; i < n; i++) {
    const s = steps[i]!;
    t[i] = s.t;
    v[i] = s.v ?? NaN;
    lo[i] = s.lo ?? s.v ?? NaN;
    hi[i] = s.hi ?? s.v ?? NaN;
  }
  return downsample({ t, v, lo, hi, step: (i) => steps[i]! }, start, end, columns);
}

/**
 * A numeric sensor's states (HA's history) as steps, downsampled as `downsampleSteps`: the
 * values are parsed into a Float64Array and a step object is made only for the points kept
 * — not one per state of HA's answer (thousands a day for a chatty sensor: garbage for the
 * bot's main thread to collect).
 */
export function downsampleStates(
  spans: readonly StateSpan[],
  start: number,
  end: number,
  columns: number,
): NumericStep[] {
  if (spans.length <= columns * 4 || end <= start || columns < 1)
    return spans.map((s) => new Step(s.t, numericValue(s.state)));
  const t = new Float64Array(spans.length);
  const v = new Float64Array(spans.length);
  for (let i = 0; i < spans.length; i++) {
    t[i] = spans[i]!.t;
    v[i] = numericValue(spans[i]!.state) ?? NaN;
  }
  const step = (i: number): NumericStep => new Step(t[i]!, Number.isNaN(v[i]!) ? null : v[i]!);
  return downsample({ t, v, lo: v, hi: v, step }, start, end, columns);
}

/** Steps as columns, sorted by time; NaN: no value (a gap). */
interface Points {
  t: Float64Array;
  v: Float64Array;
  lo: Float64Array;
  hi: Float64Array;
  /** The step as the chart keeps it. */
  step(i: number): NumericStep;
}

/** Picks by index, no array or closure per column: only the steps kept are allocated. */
const NONE = -2;
/** The step in force at a column's start, moved to that start. */
const ENTERING = -1;

function downsample(p: Points, start: number, end: number, columns: number): NumericStep[] {
  const { t, v, lo: low, hi: high } = p;
  const n = t.length;
  const width = (end - start) / columns;
  const out: NumericStep[] = [];
  const picked = [NONE, NONE, NONE, NONE];
  let j = 0;
  /** The index of the step in force at the current column's start. */
  let current = NONE;
  while (j < n && t[j]! <= start) current = j++;
  for (let c = 0; c < columns; c++) {
    const colStart = start + c * width;
    const colEnd = colStart + width;
    let entering = current === NONE ? NONE : ENTERING;
    let last = entering;
    let lo = current !== NONE && !Number.isNaN(v[current]!) ? current : NONE;
    let hi = lo;
    for (; j < n && t[j]! < colEnd; j++) {
      if (entering === NONE) entering = j;
      last = j;
      if (Number.isNaN(v[j]!)) continue;
      if (lo === NONE || low[j]! < low[lo]!) lo = j;
      if (hi === NONE || high[j]! > high[hi]!) hi = j;
    }
    if (entering === NONE) continue;
    const moved = current;
    if (last !== ENTERING) current = last;
    if (lo === NONE || hi === NONE) {
      pushStep(out, new Step(entering === ENTERING ? colStart : t[entering]!, null));
      continue;
    }
    // The step in force at the start stands for the entering one (it is moved there).
    if (entering === ENTERING) {
      if (lo === moved) lo = ENTERING;
      if (hi === moved) hi = ENTERING;
    }
    // In time order (the order of indices; the entering step first), each once.
    picked[0] = entering;
    picked[1] = Math.min(lo, hi);
    picked[2] = Math.max(lo, hi);
    picked[3] = last;
    for (let k = 0; k < 4; k++) {
      const index = picked[k]!;
      if (k > 0 && index === picked[k - 1]) continue;
      pushStep(out, index === ENTERING ? movedTo(p.step(moved), colStart) : p.step(index));
    }
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
      out[out.length - 1] = new Span(span.state, out.at(-1)!.t);
    else out.push(span);
    lastColumn = column;
  }
  // Merge neighbours that ended up with the same state.
  return out.filter((s, k) => k === 0 || out[k - 1]!.state !== s.state);
}
