import { LastSeen } from '../../../src/alerts/last-seen.js';
import type { EntityState } from '../../../src/ha/types.js';
import type { StateBatch } from '../../../src/storage/alert-states.js';
import { waitFor } from '../../helpers/wait.js';

function st(entityId: string, state: string, lc: number, attributes = {}): EntityState {
  return {
    entityId,
    state,
    attributes,
    lastChanged: lc,
    lastUpdated: lc,
  };
}

describe('LastSeen: batched writes', () => {
  function setup(opts: { flushMs?: number; rowsPerTurn?: number } = {}) {
    const batches: StateBatch[] = [];
    const errors: unknown[] = [];
    let fail = false;
    let afterSave = () => {};
    const seen = new LastSeen(
      {
        load: () => undefined,
        save: (batch) => {
          if (fail) throw new Error('disk full');
          batches.push(batch);
          afterSave();
          return { dropped: 0 };
        },
      },
      {
        attributes: () => ['battery'],
        onError: (e) => errors.push(e),
        onFull: () => undefined,
        flushMs: opts.flushMs ?? 20,
        rowsPerTurn: opts.rowsPerTurn,
      },
    );
    return {
      seen,
      batches,
      errors,
      failNext: (f: boolean) => (fail = f),
      onSave: (f: () => void) => (afterSave = f),
    };
  }

  it('collects changes per entity and writes them in one batch', () => {
    const { seen, batches } = setup();
    for (let i = 0; i < 100; i++)
      seen.record(st('sensor.t', String(i), i, { battery: 50, big: 'x' }));
    seen.record(st('binary_sensor.door', 'on', 100));
    seen.forget('sensor.old');
    expect(batches).toEqual([]);
    seen.flush();
    expect(batches).toHaveLength(1);
    expect(batches[0]!.put.map((s) => [s.entityId, s.state, s.attributes])).toEqual([
      ['sensor.t', '99', { battery: 50 }],
      ['binary_sensor.door', 'on', {}],
    ]);
    expect(batches[0]!.remove).toEqual(['sensor.old']);
    expect(batches[0]!.haClock).toBe(100);
    seen.flush();
    expect(batches).toHaveLength(1);
    seen.flush(true);
    expect(batches).toHaveLength(2);
    seen.stop();
  });

  it('writes by itself after a moment, and keeps what a failed write had', async () => {
    const { seen, batches, errors, failNext } = setup();
    failNext(true);
    seen.record(st('sensor.t', '1', 1));
    seen.flush();
    expect(errors).toHaveLength(1);
    failNext(false);
    seen.record(st('sensor.u', '1', 2));
    await waitFor(() => batches.length > 0);
    expect(batches.map((b) => b.put.map((s) => s.entityId))).toEqual([['sensor.t', 'sensor.u']]);
    seen.stop();
  });

  it('writes only the states alerts came from at the end of the tick, the rest later', async () => {
    const { seen, batches } = setup({ flushMs: 60_000 });
    seen.record(st('sensor.a', '1', 1));
    seen.record(st('sensor.b', '1', 2));
    seen.flushSoon('sensor.b');
    seen.record(st('sensor.c', '1', 3));
    seen.record(st('sensor.b', '2', 4));
    await new Promise((resolve) => setImmediate(resolve));
    // The latest state of the one an alert came from; HA's clock not ahead of the others.
    expect(batches.map((b) => [b.put.map((s) => [s.entityId, s.state]), b.haClock])).toEqual([
      [[['sensor.b', '2']], 0],
    ]);
    seen.flush();
    expect(batches.map((b) => [b.put.map((s) => s.entityId), b.haClock])).toEqual([
      [['sensor.b'], 0],
      [['sensor.a', 'sensor.c'], 4],
    ]);
    seen.stop();
  });

  it("writes what collected in turns of the event loop, HA's clock with the last", async () => {
    const { seen, batches } = setup({ rowsPerTurn: 2 });
    for (const id of ['a', 'b', 'c', 'd', 'e']) seen.record(st(`sensor.${id}`, '1', 1));
    seen.record(st('sensor.a', '2', 5));
    await waitFor(() => batches.length === 3);
    expect(batches.map((b) => [b.put.map((s) => s.entityId + s.state), b.haClock])).toEqual([
      [['sensor.a2', 'sensor.b1'], 0],
      [['sensor.c1', 'sensor.d1'], 0],
      [['sensor.e1'], 5],
    ]);
    seen.stop();
  });

  it("writes a round of several turns in the order of the entities' ids, each turn the next ids", async () => {
    const { seen, batches } = setup({ rowsPerTurn: 2 });
    for (const id of ['e', 'c', 'a', 'd', 'b']) seen.record(st(`sensor.${id}`, '1', 1));
    seen.record(st('sensor.c', '2', 5));
    await waitFor(() => batches.length === 3);
    expect(batches.map((b) => [b.put.map((s) => s.entityId + s.state), b.haClock])).toEqual([
      [['sensor.a1', 'sensor.b1'], 0],
      [['sensor.c2', 'sensor.d1'], 0],
      [['sensor.e1'], 5],
    ]);
    // What is recorded after a round ended is written by the next one, in id order too.
    seen.record(st('sensor.z', '1', 6));
    seen.record(st('sensor.y', '1', 6));
    seen.record(st('sensor.x', '1', 6));
    await waitFor(() => batches.length === 5);
    expect(batches.slice(3).map((b) => b.put.map((s) => s.entityId))).toEqual([
      ['sensor.x', 'sensor.y'],
      ['sensor.z'],
    ]);
    seen.stop();
  });

  it("writes HA's clock only after every entity the round began with, though one recorded meanwhile sorts first", async () => {
    // One row a turn: the 12 entities make two groups of sorted ids (GROUP_TURNS turns each).
    const { seen, batches, onSave } = setup({ rowsPerTurn: 1 });
    const ids = [...'lkjihgfedcba'].map((c) => `sensor.${c}`);
    for (const id of ids) seen.record(st(id, '1', 1));
    // Between the first two turns, an entity whose id sorts before all of them.
    onSave(() => {
      if (batches.length === 1) seen.record(st('sensor.0', '1', 2));
    });
    await waitFor(() => batches.some((b) => b.haClock === 2));
    const clockAt = batches.findIndex((b) => b.haClock >= 1);
    const written = batches.slice(0, clockAt + 1).flatMap((b) => b.put.map((s) => s.entityId));
    expect(written).toEqual(expect.arrayContaining(ids));
    expect(batches[clockAt]!.haClock).toBe(1);
    seen.stop();
  });

  it('skips in a round the ids written meanwhile with their alerts, and still ends it', async () => {
    const { seen, batches, onSave } = setup({ rowsPerTurn: 2 });
    for (const id of ['e', 'c', 'a', 'd', 'b']) seen.record(st(`sensor.${id}`, '1', 1));
    // Between the round's first and second turns, an alert came from sensor.d.
    onSave(() => {
      if (batches.length === 1) seen.flushSoon('sensor.d');
    });
    await waitFor(() => batches.length === 4);
    expect(batches.map((b) => [b.put.map((s) => s.entityId), b.haClock])).toEqual([
      [['sensor.a', 'sensor.b'], 0],
      [['sensor.d'], 0],
      [['sensor.c'], 0],
      [['sensor.e'], 1],
    ]);
    seen.stop();
  });

  it("holds HA's clock back while asked (rows written as usual), and writes it once released", async () => {
    const { seen, batches } = setup();
    seen.record(st('sensor.a', '1', 1));
    seen.flush();
    const releaseFirst = seen.holdClock(1);
    const releaseSecond = seen.holdClock(3);
    seen.record(st('sensor.b', '1', 5));
    seen.flush();
    // The timed writes too.
    seen.record(st('sensor.c', '1', 7));
    await waitFor(() => batches.length === 3);
    releaseFirst();
    seen.flush();
    releaseSecond();
    releaseSecond();
    await waitFor(() => batches.length === 5);
    expect(batches.map((b) => [b.put.map((s) => s.entityId), b.haClock])).toEqual([
      [['sensor.a'], 1],
      [['sensor.b'], 1],
      [['sensor.c'], 1],
      [[], 3],
      [[], 7],
    ]);
    seen.stop();
  });

  it("writes nothing while HA's clock is held and no row is due, however far the clock moves", async () => {
    const { seen, batches } = setup();
    seen.record(st('sensor.a', '1', 1));
    seen.flush();
    const release = seen.holdClock(1);
    // An unwatched entity's change moves HA's clock only: nothing to write while it is held.
    seen.tick(1000);
    seen.flush();
    seen.tick(2000);
    // A later marker: a row, with the clock still held.
    seen.record(st('sensor.b', '1', 3));
    await waitFor(() => batches.length >= 2);
    release();
    await waitFor(() => batches.length >= 3);
    expect(batches.map((b) => [b.put.map((s) => s.entityId), b.haClock])).toEqual([
      [['sensor.a'], 1],
      [['sensor.b'], 1],
      [[], 2000],
    ]);
    seen.stop();
  });
});
