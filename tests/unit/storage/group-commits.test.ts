import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../../src/storage/database.js';
import { groupCommits } from '../../../src/storage/group-commits.js';
import { Outbox } from '../../../src/storage/outbox.js';
import { ROWS_HELD } from '../../../src/storage/outbox-bursts.js';

/** The bot's database, and a second connection that sees only what was committed. */
function databases() {
  const dir = mkdtempSync(join(tmpdir(), 'hdb-commits-'));
  const db = openDatabase(dir);
  const reader = new Database(join(dir, 'bridge.db'), { readonly: true });
  // A burst row (a flood's rows written as one) holds `parts` of them.
  const committed = () =>
    (reader.prepare(`SELECT ${ROWS_HELD} AS n FROM outbox`).get() as { n: number }).n;
  return { db, committed };
}

const microtask = () => new Promise<void>((resolve) => queueMicrotask(resolve));

describe('groupCommits', () => {
  it('commits the writes of one synchronous burst together, on a microtask', async () => {
    const { db, committed } = databases();
    const outbox = new Outbox(db);
    const join = groupCommits(db, (error) => {
      throw error;
    });
    for (let i = 0; i < 100; i++) {
      join();
      outbox.add('c1', 'alert', { i });
    }
    // Written (the bot's own connection reads its rows) but not committed yet.
    expect(outbox.depth).toBe(100);
    expect(committed()).toBe(0);
    await microtask();
    expect(committed()).toBe(100);
    join();
    outbox.add('c1', 'alert', { i: 100 });
    await microtask();
    expect(committed()).toBe(101);
  });

  it("nests a caller's transaction in the burst, and a burst write in a caller's transaction", async () => {
    const { db, committed } = databases();
    const outbox = new Outbox(db);
    const join = groupCommits(db, (error) => {
      throw error;
    });
    join();
    outbox.add('c1', 'alert', { i: 1 });
    db.transaction(() => {
      join();
      outbox.add('c1', 'alert', { i: 2 });
    })();
    expect(committed()).toBe(0);
    await microtask();
    expect(committed()).toBe(2);
    // Inside a caller's transaction, no burst is opened: its commit carries the write.
    db.transaction(() => {
      join();
      outbox.add('c1', 'alert', { i: 3 });
    })();
    expect(committed()).toBe(3);
    expect(outbox.peek('c1', 10).map((r) => (r.payload as { i: number }).i)).toEqual([1, 2, 3]);
  });

  it("writes what the burst queued just before its commit; a caller's transaction adds at once", async () => {
    const { db, committed } = databases();
    const outbox = new Outbox(db);
    const join = groupCommits(
      db,
      (error) => {
        throw error;
      },
      () => outbox.flush(),
    );
    for (let i = 0; i < 40; i++) {
      expect(join()).toBe(true);
      outbox.queue('c1', 'alert', { i });
    }
    expect(committed()).toBe(0);
    await microtask();
    expect(committed()).toBe(40);
    expect(db.inTransaction).toBe(false);
    db.transaction(() => expect(join()).toBe(false))();
  });

  it('reports a commit that fails, and leaves no transaction open', async () => {
    const { db } = databases();
    const errors: unknown[] = [];
    const join = groupCommits(db, (error) => errors.push(error));
    join();
    // A deferred foreign key check (better-sqlite3 enforces foreign keys) fails only at COMMIT.
    db.exec('CREATE TABLE parent (id INTEGER PRIMARY KEY)');
    db.exec(
      'CREATE TABLE child (parent INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED)',
    );
    db.exec('INSERT INTO child VALUES (1)');
    await microtask();
    expect(errors).toHaveLength(1);
    expect(String(errors[0])).toMatch(/FOREIGN KEY/);
    expect(db.inTransaction).toBe(false);
  });
});
