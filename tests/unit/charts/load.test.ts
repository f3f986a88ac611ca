import { loadChart, type HistoryPort } from '../../../src/charts/load.js';
import type { NumericStep, StateSpan } from '../../../src/charts/series.js';

const HOUR = 3_600_000;
const now = Date.UTC(2026, 11, 1, 6, 0);

function port(over: Partial<HistoryPort> = {}) {
  const calls: string[] = [];
  const p: HistoryPort = {
    stateChanges: (ids) => {
      calls.push(`history ${ids.join(',')}`);
      const states = new Map<string, StateSpan[]>();
      for (const id of ids)
        states.set(
          id,
          id.startsWith('sensor.')
            ? [
                { t: now - 2 * HOUR, state: '20.5' },
                { t: now - HOUR, state: 'unavailable' },
              ]
            : [{ t: now - 2 * HOUR, state: 'on' }],
        );
      return Promise.resolve({ states, truncated: false });
    },
    statistics: (ids, _s, _e, period) => {
      calls.push(`statistics ${period} ${ids.join(',')}`);
      const m = new Map<string, NumericStep[]>();
      for (const id of ids)
        if (id === 'sensor.t') m.set(id, [{ t: now - 48 * HOUR, v: 20, lo: 19, hi: 21 }]);
      return Promise.resolve(m);
    },
    timeZone: () => Promise.resolve('Europe/Amsterdam'),
    ...over,
  };
  return { p, calls };
}

const t = { entityId: 'sensor.t', label: 'T', unit: '°C' };
const door = { entityId: 'binary_sensor.door', label: 'Door' };

describe('loadChart: which data a chart uses', () => {
  it('reads history for a day: numbers become a line with a gap, text states a timeline', async () => {
    const { p, calls } = port();
    const got = await loadChart(p, [t, door], 24 * HOUR, now, '24 h');
    expect(calls).toEqual(['history sensor.t,binary_sensor.door']);
    if (!got.ok) throw new Error('no chart');
    expect(got.data.source).toBe('history');
    expect(got.data.timeZone).toBe('Europe/Amsterdam');
    expect(got.data.series.map((s) => s.kind)).toEqual(['numeric', 'state']);
    expect(got.data.series[0]).toMatchObject({ steps: [{ v: 20.5 }, { v: null }] });
  });

  it('reads hourly statistics for 30 days, and history for what has none', async () => {
    const { p, calls } = port();
    const got = await loadChart(p, [t, door], 30 * 24 * HOUR, now, '30 d');
    expect(calls).toEqual(['statistics hour sensor.t', 'history binary_sensor.door']);
    if (!got.ok) throw new Error('no chart');
    expect(got.data.source).toBe('statistics (hourly)');
    expect(got.data.series[0]).toMatchObject({ steps: [{ v: 20, lo: 19, hi: 21 }] });
  });

  it('reads daily statistics beyond a month', async () => {
    const { p, calls } = port();
    const got = await loadChart(p, [t], 90 * 24 * HOUR, now, '90 d');
    expect(calls).toEqual(['statistics day sensor.t']);
    expect(got.ok && got.data.source).toBe('statistics (daily)');
  });

  it('says when HA keeps no history, or none for these entities', async () => {
    const none = port({ stateChanges: () => Promise.resolve(undefined) });
    expect(await loadChart(none.p, [t], HOUR, now, '1 h')).toEqual({
      ok: false,
      reason: 'no_recorder',
    });
    const empty = port({
      stateChanges: () => Promise.resolve({ states: new Map(), truncated: false }),
    });
    expect(await loadChart(empty.p, [t], HOUR, now, '1 h')).toEqual({
      ok: false,
      reason: 'no_data',
    });
  });

  it('takes at most five entities', async () => {
    const { p, calls } = port();
    const many = Array.from({ length: 8 }, (_, i) => ({
      entityId: `sensor.s${i}`,
      label: `S${i}`,
      unit: 'W',
    }));
    const got = await loadChart(p, many, HOUR, now, '1 h');
    expect(calls[0]!.split(',')).toHaveLength(5);
    expect(got.ok && got.data.series).toHaveLength(5);
  });
});
