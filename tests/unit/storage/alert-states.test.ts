import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EntityState } from '../../../src/ha/types.js';
import { AlertStateStore, MAX_ALERT_STATES } from '../../../src/storage/alert-states.js';
import { openDatabase } from '../../../src/storage/database.js';

function st(entityId: string, state: string, lc: number, attributes = {}): EntityState {
  return {
    entityId,
    state,
    attributes,
    lastChanged: lc,
    lastUpdated: lc,
  };
}

describe('AlertStateStore', () => {
  it('has nothing before the first save, then keeps states and HA clock across a reopen', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hdb-states-'));
    let db = openDatabase(dir);
    const store = new AlertStateStore(db, () => 1234);
    expect(store.load()).toBeUndefined();
    store.save({ put: [], remove: [], haClock: 5 });
    expect(store.load()).toEqual({ states: new Map(), haClock: 5, savedAt: 1234 });
    store.save({
      put: [st('binary_sensor.door', 'on', 10.5, { battery: 80 }), st('sensor.t', '21', 11)],
      remove: [],
      haClock: 12,
    });
    store.save({ put: [st('sensor.t', '22', 13)], remove: ['binary_sensor.door'], haClock: 3 });
    db.close();
    db = openDatabase(dir);
    const loaded = new AlertStateStore(db).load()!;
    // HA's clock never goes back; contexts are not kept.
    expect(loaded.haClock).toBe(12);
    expect([...loaded.states.values()]).toEqual([
      {
        entityId: 'sensor.t',
        state: '22',
        attributes: {},
        lastChanged: 13,
        lastUpdated: 13,
      },
    ]);
    db.close();
  });

  it('writes a batch of many states, new and known, each with its own values', () => {
    const store = new AlertStateStore(openDatabase(':memory:'));
    store.save({
      put: [st('sensor.s3', 'old', 1), st('sensor.s40', 'old', 1)],
      remove: [],
      haClock: 1,
    });
    // 70 rows: two statements of 32 and one of 6.
    const put = Array.from({ length: 70 }, (_, i) => st(`sensor.s${i}`, `v${i}`, i, { n: i }));
    store.save({ put, remove: [], haClock: 2 });
    const states = store.load()!.states;
    expect(states.size).toBe(70);
    for (let i = 0; i < 70; i++) {
      expect(states.get(`sensor.s${i}`)).toMatchObject({
        state: `v${i}`,
        attributes: { n: i },
        lastChanged: i,
        lastUpdated: i,
      });
    }
  });

  it('counts its rows only when a batch may reach its bound, not at every save', () => {
    const db = openDatabase(':memory:');
    // The table's COUNT(*) visits every row: how many times it runs.
    let counts = 0;
    const prepare = db.prepare.bind(db);
    db.prepare = ((sql: string) => {
      const statement = prepare(sql);
      if (!sql.includes('COUNT(*)')) return statement;
      const get = statement.get.bind(statement);
      statement.get = (...params: unknown[]) => {
        counts++;
        return get(...params);
      };
      return statement;
    }) as typeof db.prepare;
    const store = new AlertStateStore(db);
    for (let i = 0; i < 5; i++) {
      store.save({
        put: [st(`sensor.s${i}`, '1', i), st('sensor.same', `${i}`, i)],
        remove: [],
        haClock: i,
      });
    }
    // Once, for the first: the rest are far below the bound with every row counted as new.
    expect(counts).toBe(1);
    expect(store.load()!.states.size).toBe(6);
    db.close();
  });

  it('adds no rows beyond its bound, but keeps updating the rows it has', () => {
    const db = openDatabase(':memory:');
    const store = new AlertStateStore(db);
    const many = Array.from({ length: MAX_ALERT_STATES }, (_, i) => st(`sensor.s${i}`, '1', 1));
    store.save({ put: many, remove: [], haClock: 1 });
    const result = store.save({
      put: [st('sensor.s0', '2', 2), st('sensor.extra', '1', 2)],
      remove: [],
      haClock: 2,
    });
    expect(result.dropped).toBe(1);
    const loaded = store.load()!;
    expect(loaded.states.size).toBe(MAX_ALERT_STATES);
    expect(loaded.states.get('sensor.s0')?.state).toBe('2');
    expect(loaded.states.has('sensor.extra')).toBe(false);
    db.close();
  });

  it('keeps to its bound after a save that removed rows is rolled back with its transaction', () => {
    const db = openDatabase(':memory:');
    const store = new AlertStateStore(db);
    const filled = MAX_ALERT_STATES - 10;
    store.save({
      put: Array.from({ length: filled }, (_, i) => st(`sensor.s${i}`, '1', 1)),
      remove: [],
      haClock: 1,
    });
    // A burst's commit saves the states its alerts came from (this save counts: near the
    // bound), then fails after it: the rows it removed come back with the rollback.
    expect(() =>
      db.transaction(() => {
        store.save({
          put: Array.from({ length: 11 }, (_, i) => st(`sensor.new${i}`, '1', 2)),
          remove: Array.from({ length: 1000 }, (_, i) => `sensor.s${i}`),
          haClock: 2,
        });
        throw new Error('disk full');
      })(),
    ).toThrow('disk full');
    const rows = () =>
      (db.prepare('SELECT COUNT(*) AS n FROM alert_states').get() as { n: number }).n;
    expect(rows()).toBe(filled);
    const result = store.save({
      put: Array.from({ length: 999 }, (_, i) => st(`sensor.later${i}`, '1', 3)),
      remove: [],
      haClock: 3,
    });
    expect(result.dropped).toBe(989);
    expect(rows()).toBe(MAX_ALERT_STATES);
    db.close();
  });
});
