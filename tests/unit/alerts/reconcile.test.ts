import {
  between,
  observe,
  readHistory,
  reconcile,
  type Observed,
} from '../../../src/alerts/reconcile.js';
import type { EntityState } from '../../../src/ha/types.js';

const DOOR = 'binary_sensor.porch_motion';

function st(state: string, lastChanged: number, entityId = DOOR): EntityState {
  return {
    entityId,
    state,
    attributes: {},
    lastChanged,
    lastUpdated: lastChanged,
  };
}

/** What the bot notes while HA starts, from a sequence of (state, last_changed). */
function seen(...steps: [string, number][]): Observed | undefined {
  let observed: Observed | undefined;
  for (let i = 1; i < steps.length; i++) {
    const [from, fromAt] = steps[i - 1]!;
    const [to, toAt] = steps[i]!;
    observed = observe(observed, st(from, fromAt), st(to, toAt));
  }
  return observed;
}

const one = (before: EntityState, after: EntityState, restarted: boolean, o?: Observed) =>
  reconcile(
    new Map([[DOOR, before]]),
    (id) => (id === DOOR ? after : undefined),
    o ? new Map([[DOOR, o]]) : new Map(),
    restarted,
  );

describe('reconcile: what changed while the bot could not see', () => {
  it('reports a different state, whatever the timestamps', () => {
    expect(one(st('on', 10), st('off', 50), true).findings).toMatchObject([
      { changedBetween: false, before: { state: 'on' }, after: { state: 'off' } },
    ]);
  });

  it('reports nothing for an equal state and last_changed', () => {
    expect(one(st('on', 10), st('on', 10), false)).toEqual({ findings: [], unsure: [] });
  });

  it('takes a newer last_changed as a change and back when HA did not restart', () => {
    expect(one(st('on', 10), st('on', 50), false).findings).toMatchObject([
      { changedBetween: true },
    ]);
  });

  it('after an HA restart, an equal state with a newer last_changed is unsure: history may tell', () => {
    const result = one(st('on', 10), st('on', 50), true);
    expect(result.findings).toEqual([]);
    expect(result.unsure).toMatchObject([{ entityId: DOOR }]);
  });

  it('after an HA restart, a stale restore then the real value, seen during start-up, is a change', () => {
    // on before the crash; HA restored the stale 'off'; the sensor went 'on' again.
    const o = seen(['unavailable', 20], ['off', 21], ['on', 30]);
    expect(one(st('on', 10), st('on', 30), true, o).findings).toMatchObject([
      { changedBetween: true, via: ['off'] },
    ]);
  });

  it('counts the stale value the bot never saw arrive (restored before it connected)', () => {
    // The snapshot at connect already had the stale 'off': the bot saw only off -> on.
    const o = seen(['off', 21], ['on', 30]);
    expect(one(st('on', 10), st('on', 30), true, o).findings).toMatchObject([
      { changedBetween: true, via: ['off'] },
    ]);
  });

  it('a restore seen arriving from a placeholder is not a change', () => {
    const o = seen(['unavailable', 20], ['on', 21]);
    expect(one(st('on', 10), st('on', 21), true, o).findings).toMatchObject([
      { changedBetween: false },
    ]);
    expect(one(st('on', 10), st('on', 21), true, o).unsure).toEqual([]);
  });

  it('is unsure when the state seen is not the current one (it changed unseen since)', () => {
    const o = seen(['unavailable', 20], ['on', 21]);
    expect(one(st('on', 10), st('on', 40), true, o).unsure).toHaveLength(1);
  });

  it('passes attribute-only changes on, and skips entities gone or new', () => {
    const before = new Map([
      ['sensor.battery', { ...st('ok', 10, 'sensor.battery'), lastUpdated: 11 }],
      ['sensor.gone', st('1', 10, 'sensor.gone')],
    ]);
    const now = new Map([
      ['sensor.battery', { ...st('ok', 10, 'sensor.battery'), lastUpdated: 40 }],
      ['sensor.new', st('2', 40, 'sensor.new')],
    ]);
    const result = reconcile(before, (id) => now.get(id), new Map(), false);
    expect(result.findings.map((f) => [f.entityId, f.changedBetween])).toEqual([
      ['sensor.battery', false],
    ]);
  });
});

describe('observe and between', () => {
  it('ignores placeholders and keeps the latest values, bounded', () => {
    const steps: [string, number][] = [['unavailable', 1]];
    for (let i = 0; i < 20; i++) steps.push([i % 2 ? 'on' : 'off', i + 2]);
    const o = seen(...steps)!;
    expect(o.changed).toBe(true);
    expect(o.values.length).toBeLessThanOrEqual(7);
    expect(between('on', o.values, 'on').length).toBeLessThanOrEqual(5);
  });

  it('between drops the ends and repeats', () => {
    expect(between('on', ['on', 'unknown', 'off', 'off', 'on'], 'on')).toEqual(['off']);
    expect(between('on', ['on', 'unavailable', 'on'], 'on')).toEqual([]);
  });
});

describe("readHistory: HA's recorded states across the gap", () => {
  const before = st('on', 10);
  const after = st('on', 30);

  it('finds another real value in between', () => {
    const points = [
      { state: 'on', at: 15 },
      { state: 'unknown', at: 20 },
      { state: 'off', at: 21 },
      { state: 'on', at: 30 },
    ];
    expect(readHistory(points, before, after)).toEqual({ kind: 'changed', via: ['off'] });
  });

  it('a restart (placeholders, the same value restored) is no change', () => {
    const points = [
      { state: 'on', at: 15 },
      { state: 'unknown', at: 20 },
      { state: 'on', at: 30 },
    ];
    expect(readHistory(points, before, after)).toEqual({ kind: 'unchanged' });
  });

  it('is incomplete until the recorder has written the current state', () => {
    const points = [
      { state: 'on', at: 15 },
      { state: 'unknown', at: 20 },
    ];
    expect(readHistory(points, before, after)).toEqual({ kind: 'incomplete' });
  });

  it('says unrecorded when HA keeps nothing for the entity', () => {
    expect(readHistory(undefined, before, after)).toEqual({ kind: 'unrecorded' });
    expect(readHistory([], before, after)).toEqual({ kind: 'unrecorded' });
  });
});
