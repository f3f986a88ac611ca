import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEnqueue } from '../../../src/app/queue.js';
import { openDatabase } from '../../../src/storage/database.js';
import { groupCommits } from '../../../src/storage/group-commits.js';
import { Outbox } from '../../../src/storage/outbox.js';

const microtask = () => new Promise<void>((resolve) => queueMicrotask(resolve));

/** The wiring of src/index.ts, with a second connection that sees only what was committed. */
function wired() {
  const dir = mkdtempSync(join(tmpdir(), 'hdb-queue-'));
  const db = openDatabase(dir);
  const reader = new Database(join(dir, 'bridge.db'), { readonly: true });
  const committed = () =>
    (reader.prepare('SELECT payload FROM outbox ORDER BY id').all() as { payload: string }[]).map(
      (r) => (JSON.parse(r.payload) as { i: number }).i,
    );
  const outbox = new Outbox(db);
  const woken: string[] = [];
  const kinds: string[] = [];
  const enqueue = createEnqueue({
    outbox,
    metrics: { queued: (kind) => kinds.push(kind) },
    pump: { queued: (channelId) => woken.push(channelId) },
    inBurst: groupCommits(
      db,
      (error) => {
        throw error;
      },
      () => outbox.flush(),
    ),
  });
  return { db, outbox, enqueue, committed, woken, kinds };
}

describe('createEnqueue', () => {
  it('writes the rows of a burst together and commits them once, in order', async () => {
    const { outbox, enqueue, committed, woken, kinds } = wired();
    for (let i = 0; i < 70; i++)
      enqueue('c1', { kind: 'notice', payload: { id: `n${i}`, i } as never });
    expect(committed()).toEqual([]);
    // The pump reading now sees every row, in order.
    expect(outbox.peek('c1', 100).map((r) => (r.payload as { i: number }).i)).toEqual(
      Array.from({ length: 70 }, (_, i) => i),
    );
    await microtask();
    expect(committed()).toEqual(Array.from({ length: 70 }, (_, i) => i));
    expect(woken).toHaveLength(70);
    expect(kinds.every((k) => k === 'notice')).toBe(true);
  });

  it("writes a row queued in a caller's transaction with it, and drops it if it fails", async () => {
    const { db, outbox, enqueue, committed } = wired();
    db.transaction(() => enqueue('c1', { kind: 'notice', payload: { id: 'a', i: 1 } as never }))();
    expect(committed()).toEqual([1]);
    expect(() =>
      outbox.transaction(() => {
        enqueue('c1', { kind: 'notice', payload: { id: 'b', i: 2 } as never });
        throw new Error('failed');
      }),
    ).toThrow('failed');
    outbox.transaction(() =>
      enqueue('c1', { kind: 'notice', payload: { id: 'c', i: 3 } as never }),
    );
    await microtask();
    expect(committed()).toEqual([1, 3]);
    // Inside a burst: the transaction is a savepoint in it, its rows queued in the burst.
    enqueue('c1', { kind: 'notice', payload: { id: 'd', i: 4 } as never });
    expect(() =>
      outbox.transaction(() => {
        enqueue('c1', { kind: 'notice', payload: { id: 'e', i: 5 } as never });
        throw new Error('failed');
      }),
    ).toThrow('failed');
    outbox.transaction(() =>
      enqueue('c1', { kind: 'notice', payload: { id: 'f', i: 6 } as never }),
    );
    enqueue('c1', { kind: 'notice', payload: { id: 'g', i: 7 } as never });
    expect(committed()).toEqual([1, 3]);
    await microtask();
    expect(committed()).toEqual([1, 3, 4, 6, 7]);
  });
});
