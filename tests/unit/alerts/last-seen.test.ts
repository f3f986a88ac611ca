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
  function setup() {
    const batches: StateBatch[] = [];
    const errors: unknown[] = [];
    let fail = false;
    const seen = new LastSeen(
      {
        load: () => undefined,
        save: (batch) => {
          if (fail) throw new Error('disk full');
          batches.push(batch);
          return { dropped: 0 };
        },
      },
      {
        attributes: () => ['battery'],
        onError: (e) => errors.push(e),
        onFull: () => undefined,
        flushMs: 20,
      },
    );
    return { seen, batches, errors, failNext: (f: boolean) => (fail = f) };
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
});
