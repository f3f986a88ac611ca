import {
  downsampleSpans,
  downsampleStates,
  downsampleSteps,
} from '../../../src/charts/downsample.js';
import { numericValue, type NumericStep, type StateSpan } from '../../../src/charts/series.js';

describe('downsampleSteps: at most four steps per pixel column', () => {
  it('leaves short series alone', () => {
    const steps = [
      { t: 0, v: 1 },
      { t: 10, v: 2 },
    ];
    expect(downsampleSteps(steps, 0, 100, 10)).toEqual(steps);
  });

  it('bounds a chatty sensor, keeping its extremes, first and last value', () => {
    const steps: NumericStep[] = [];
    let seed = 7;
    for (let t = 0; t < 100_000; t++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      steps.push({ t, v: (seed % 1000) / 10 });
    }
    steps[54_321] = { t: 54_321, v: -50 };
    steps[77_777] = { t: 77_777, v: 500 };
    const out = downsampleSteps(steps, 0, 100_000, 100);
    expect(out.length).toBeLessThanOrEqual(400);
    const values = out.map((s) => s.v!);
    expect(Math.min(...values)).toBe(-50);
    expect(Math.max(...values)).toBe(500);
    expect(out[0]!.v).toBe(steps[0]!.v);
    expect(out.at(-1)!.v).toBe(steps.at(-1)!.v);
    // Still a step function: times increase.
    for (let i = 1; i < out.length; i++) expect(out[i]!.t).toBeGreaterThan(out[i - 1]!.t);
  });

  it('keeps a gap that covers whole columns, and carries a value across quiet columns', () => {
    const steps: NumericStep[] = [];
    for (let t = 0; t < 1000; t++) steps.push({ t, v: t % 2 });
    steps.push({ t: 1000, v: null });
    steps.push({ t: 3000, v: 5 });
    for (let t = 3001; t < 3500; t++) steps.push({ t, v: 5 + (t % 3) });
    const out = downsampleSteps(steps, 0, 10_000, 100);
    expect(out.length).toBeLessThanOrEqual(400);
    const at = (t: number) => out.filter((s) => s.t <= t).at(-1)?.v;
    expect(at(2000)).toBeNull();
    expect(at(3000)).toBe(5);
    expect(at(9000)).not.toBeNull(); // the last value holds to the end
  });
});

describe('downsampleStates: a numeric sensor straight from its states', () => {
  it('is downsampleSteps of the states as numbers (gaps where unavailable)', () => {
    let seed = 5;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let trial = 0; trial < 200; trial++) {
      const spans: StateSpan[] = [];
      let t = -20;
      for (let i = 0, n = 1 + Math.floor(next() * 600); i < n; i++) {
        t += Math.floor(next() * 20);
        const r = next();
        spans.push({
          t,
          state: r < 0.05 ? 'unavailable' : r < 0.1 ? '' : (next() * 100).toFixed(2),
        });
      }
      const columns = 1 + Math.floor(next() * 60);
      const steps = spans.map((s) => ({ t: s.t, v: numericValue(s.state) }));
      expect(downsampleStates(spans, 0, t + 50, columns)).toEqual(
        downsampleSteps(steps, 0, t + 50, columns),
      );
    }
  });
});

describe('downsampleSpans: at most one span starting per column', () => {
  it('bounds a flapping entity and merges equal neighbours', () => {
    const spans = Array.from({ length: 10_000 }, (_, t) => ({ t, state: t % 2 ? 'on' : 'off' }));
    const out = downsampleSpans(spans, 0, 10_000, 100);
    expect(out.length).toBeLessThanOrEqual(100);
    for (let i = 1; i < out.length; i++) expect(out[i]!.state).not.toBe(out[i - 1]!.state);
  });
});

describe('what a chart keeps is made by constructors, not object literals', () => {
  // V8 pretenures an object literal whose objects mostly outlive a young GC (a chart's steps
  // live until it is drawn): every later chart's then went straight to the old generation
  // and stayed there as garbage until a full GC. Objects made by `new` are left young.
  const literal = (o: object) => Object.getPrototypeOf(o) === Object.prototype;
  const HOUR = 3_600_000;

  it('a numeric sensor: downsampled or not, and the steps moved to a column start', () => {
    const chatty: StateSpan[] = [];
    for (let t = 0; t < 24 * HOUR; t += 30_000)
      chatty.push({ t, state: t % HOUR < 60_000 ? 'unavailable' : String((t / HOUR) % 7) });
    const few = chatty.slice(0, 100);
    for (const out of [
      downsampleStates(chatty, 0, 24 * HOUR, 100),
      downsampleStates(few, 0, 24 * HOUR, 100),
    ]) {
      expect(out.length).toBeGreaterThan(10);
      expect(out.filter(literal)).toEqual([]);
    }
  });

  it('statistics moved to a column start keep their min and max', () => {
    const hourly: NumericStep[] = [];
    for (let t = 0; t < 30 * 24 * HOUR; t += HOUR) hourly.push({ t, v: 20, lo: 18, hi: 23 });
    const out = downsampleSteps(hourly, HOUR / 2, 30 * 24 * HOUR, 100);
    const moved = out.filter((s) => s.t % HOUR !== 0);
    expect(moved.length).toBeGreaterThan(0);
    expect(moved.filter(literal)).toEqual([]);
    for (const s of moved) expect([s.v, s.lo, s.hi]).toEqual([20, 18, 23]);
  });

  it('a flapping entity: the spans merged into a column', () => {
    const spans = Array.from({ length: 10_000 }, (_, t) => ({ t, state: t % 3 ? 'on' : 'off' }));
    const merged = downsampleSpans(spans, 0, 10_000, 100).filter((s) => !spans.includes(s));
    expect(merged.length).toBeGreaterThan(0);
    expect(merged.filter(literal)).toEqual([]);
  });
});
