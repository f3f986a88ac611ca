import Database from 'better-sqlite3';
import { openDatabase, type Db } from '../../../src/storage/database.js';
import { MuteStore } from '../../../src/storage/mutes.js';
import { Outbox } from '../../../src/storage/outbox.js';
import { burstPayloads } from '../../../src/storage/outbox-bursts.js';
import { QUEUED_ROWS } from '../../../src/storage/queued-rows.js';
import { WatchStore } from '../../../src/storage/watches.js';
import { RuleSchema } from '../../../src/alerts/rule-schema.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

describe('Outbox', () => {
  it('sets aside a row it cannot read, keeping it in outbox_set_aside, and reads on past it', () => {
    const db = openDatabase(':memory:');
    const outbox = new Outbox(db, () => 1234);
    const first = outbox.add('c1', 'alert', { n: 1 });
    db.prepare(
      "INSERT INTO outbox (channel_id, kind, payload, created_at) VALUES ('c1', 'alert', '{not json', 5)",
    ).run();
    outbox.add('c1', 'alert', { n: 3 });
    expect(outbox.peek('c1', 10).map((r) => r.payload)).toEqual([{ n: 1 }, { n: 3 }]);
    const aside = outbox.takeSetAside();
    expect(aside).toEqual([
      {
        id: first + 1,
        channelId: 'c1',
        kind: 'alert',
        reason: expect.stringMatching(/^unreadable: /),
      },
    ]);
    expect(outbox.takeSetAside()).toEqual([]);
    expect(outbox.depth).toBe(2);
    expect(
      db.prepare('SELECT id, payload, created_at, set_aside_at FROM outbox_set_aside').all(),
    ).toEqual([{ id: first + 1, payload: '{not json', created_at: 5, set_aside_at: 1234 }]);
  });

  it('keeps rows in order per channel until removed, across a reopen', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hdb-outbox-'));
    let db = openDatabase(dir);
    let outbox = new Outbox(db);
    const a = outbox.add('c1', 'alert', { n: 1 });
    const b = outbox.add('c1', 'alert', { n: 2 });
    outbox.add('c2', 'notice', { n: 3 });
    outbox.assignBatch([a, b], 'b1');
    db.close();
    db = openDatabase(dir);
    outbox = new Outbox(db);
    expect(outbox.channels()).toEqual(['c1', 'c2']);
    expect(outbox.peek('c1', 10).map((r) => [r.payload, r.batch])).toEqual([
      [{ n: 1 }, 'b1'],
      [{ n: 2 }, 'b1'],
    ]);
    expect(outbox.batchRows('b1')).toHaveLength(2);
    outbox.remove([a, b]);
    expect(outbox.depth).toBe(1);
    db.close();
  });

  it('trims by age and by size, oldest first', () => {
    let now = 1000;
    const outbox = new Outbox(openDatabase(':memory:'), () => now);
    for (let i = 0; i < 5; i++) outbox.add('c', 'alert', { i });
    now = 10_000;
    for (let i = 5; i < 10; i++) outbox.add('c', 'alert', { i });
    expect(outbox.trim({ maxAgeMs: 5000, maxRows: 3 })).toEqual({ byAge: 5, bySize: 2 });
    expect(outbox.peek('c', 10).map((r) => (r.payload as { i: number }).i)).toEqual([7, 8, 9]);
  });

  it('knows when its oldest waiting row was queued, across channels', () => {
    let now = 1000;
    const outbox = new Outbox(openDatabase(':memory:'), () => now);
    expect(outbox.oldestCreatedAt).toBeUndefined();
    const first = outbox.add('c2', 'alert', {});
    now = 2000;
    outbox.add('c1', 'notice', {});
    expect(outbox.oldestCreatedAt).toBe(1000);
    outbox.remove([first]);
    expect(outbox.oldestCreatedAt).toBe(2000);
  });
});

/**
 * The outbox's rows as written, in order: channel, kind, the payload's `i`, status key and
 * time (the columns `add` and `queue` write); a burst row read as the rows it holds.
 */
function writtenRows(db: Db): [string, string, number, string | null, number][] {
  const rows = db
    .prepare(
      'SELECT channel_id, kind, payload, status_key, created_at, parts FROM outbox ORDER BY id',
    )
    .all() as {
    channel_id: string;
    kind: string;
    payload: string;
    status_key: string | null;
    created_at: number;
    parts: number | null;
  }[];
  return rows.flatMap((r) => {
    const payloads = (
      r.parts === null
        ? [JSON.parse(r.payload)]
        : burstPayloads(r.payload, r.parts).map((text) => JSON.parse(text) as unknown)
    ) as { i: number }[];
    return payloads.map((p): [string, string, number, string | null, number] => [
      r.channel_id,
      r.kind,
      p.i,
      r.status_key,
      r.created_at,
    ]);
  });
}

/** Queues alerts `{ i }` for i from `from` to `to` (excluded), and writes them: a burst. */
function queueBurst(outbox: Outbox, channelId: string, from: number, to: number): void {
  for (let i = from; i < to; i++) outbox.queue(channelId, 'alert', { i });
  outbox.flush();
}

/** How many rows the table holds, a burst one. */
const tableRows = (db: Db) =>
  (db.prepare('SELECT COUNT(*) AS n FROM outbox').get() as { n: number }).n;

describe('Outbox: queued rows', () => {
  /** The rows as a second connection sees them: what was written and committed. */
  function databases() {
    const dir = mkdtempSync(join(tmpdir(), 'hdb-outbox-queue-'));
    const db = openDatabase(dir);
    const reader = new Database(join(dir, 'bridge.db'), { readonly: true });
    const written = () => writtenRows(reader).map((r) => r[2]);
    return { db, written };
  }

  it(`writes queued rows once ${QUEUED_ROWS} wait and the rest on flush, in order, with their columns`, () => {
    const { db, written } = databases();
    const outbox = new Outbox(db, () => 7);
    const n = QUEUED_ROWS + 8;
    for (let i = 0; i < n; i++) outbox.queue('c1', 'status', { i }, `k${i}`);
    // The first QUEUED_ROWS written (rows of their own: each has a status key); the last 8
    // held until a flush.
    const rows = () => tableRows(db);
    expect(rows()).toBe(QUEUED_ROWS);
    outbox.flush();
    expect(rows()).toBe(n);
    expect(outbox.peek('c1', n).map((r) => [r.payload, r.kind, r.statusKey, r.createdAt])).toEqual(
      Array.from({ length: n }, (_, i) => [{ i }, 'status', `k${i}`, 7]),
    );
    expect(written()).toEqual(Array.from({ length: n }, (_, i) => i));
  });

  it('writes rows of one channel and kind, and of several, in order with their columns', () => {
    const { db } = databases();
    let now = 100;
    const outbox = new Outbox(db, () => now++);
    // A run of one channel and kind (bound once per statement), then rows that mix them.
    const queued: [string, string, number, string | null][] = [];
    const queue = (channel: string, kind: string, key?: string) => {
      const i = queued.length;
      queued.push([channel, kind, i, key ?? null]);
      outbox.queue(channel, kind, { i }, key);
    };
    for (let i = 0; i < 40; i++) queue('c1', 'alert');
    for (let i = 0; i < 40; i++) queue(i % 3 ? 'c1' : 'c2', i % 2 ? 'alert' : 'status', `k${i}`);
    for (let i = 0; i < 5; i++) queue('c2', 'alert');
    outbox.flush();
    const rows = writtenRows(db);
    expect(rows.map((r) => r.slice(0, 4))).toEqual(queued);
    expect(rows.map((r) => r[4])).toEqual(queued.map((_, i) => 100 + i));
  });

  it("writes a flood's run of rows (one channel, kind and time, no status key) as one burst row", () => {
    const { db } = databases();
    let now = 7;
    const outbox = new Outbox(db, () => now);
    const queued: [string, string, number, string | null, number][] = [];
    const queue = (channel: string, kind: string, key?: string) => {
      const i = queued.length;
      queued.push([channel, kind, i, key ?? null, now]);
      outbox.queue(channel, kind, { i }, key);
    };
    // A flood's rows: one burst row, written once QUEUED_ROWS wait; 3 more flushed: a second.
    for (let i = 0; i < QUEUED_ROWS; i++) queue('c1', 'alert');
    expect(tableRows(db)).toBe(1);
    for (let i = 0; i < 3; i++) queue('c1', 'alert');
    outbox.flush();
    expect(tableRows(db)).toBe(2);
    // A run broken by a status key, a time, a channel or a kind: rows of their own, in order.
    queue('c1', 'status', 'k1');
    queue('c1', 'status');
    queue('c1', 'alert');
    now = 8;
    queue('c1', 'alert');
    queue('c2', 'alert');
    queue('c2', 'notice');
    queue('c2', 'notice');
    queue('c2', 'notice');
    outbox.flush();
    // The last three notices are a burst; the five before them rows of one.
    expect(tableRows(db)).toBe(2 + 5 + 1);
    expect(writtenRows(db)).toEqual(queued);
    expect(outbox.depth).toBe(queued.length);
  });

  it('opens a burst at the head of its channel into the rows it holds, with the ids they would have had', () => {
    const { db } = databases();
    const outbox = new Outbox(db, () => 5);
    const before = outbox.add('c1', 'alert', { i: -1 });
    for (let i = 0; i < 5; i++) outbox.queue('c1', 'alert', { i });
    const after = outbox.add('c1', 'alert', { i: 99 });
    // The burst took the five ids between the rows around it.
    expect(after).toBe(before + 6);
    expect(tableRows(db)).toBe(3);
    const rows = outbox.peek<{ i: number }>('c1', 10);
    expect(rows.map((r) => [r.id, r.payload.i, r.createdAt, r.batch, r.attempts])).toEqual(
      [-1, 0, 1, 2, 3, 4, 99].map((i, n) => [before + n, i, 5, null, 0]),
    );
    expect(tableRows(db)).toBe(7);
    // Each is a row of its own now: one message's rows delivered, the rest still there.
    outbox.assignBatch([before, before + 1], 'b1');
    outbox.remove([before, before + 1]);
    expect(outbox.peek<{ i: number }>('c1', 10).map((r) => r.payload.i)).toEqual([1, 2, 3, 4, 99]);
    expect(outbox.depth).toBe(5);
  });

  it("keeps the piece a codec says rows share once in a burst, and opens the rows' whole texts", () => {
    const { db } = databases();
    // Alerts' texts in pieces as src/alerts/outbox-codec.ts gives them: the entity's part shared.
    const codec = {
      encode: (_kind: string, p: unknown) => {
        const { id, entity } = p as { id: number; entity: string };
        return { head: `{"id":${id},`, shared: `"entity":${JSON.stringify(entity)}`, tail: '}' };
      },
      decode: (_kind: string, text: string) => JSON.parse(text) as unknown,
    };
    const outbox = new Outbox(db, () => 5, codec);
    const entity = 'sensor.kitchen_temperature, "west wall"';
    const queued = [
      ...Array.from({ length: 6 }, (_, id) => ({ id, entity })),
      { id: 6, entity: 'light.hall' },
      { id: 7, entity },
    ];
    for (const p of queued) outbox.queue('c1', 'alert', p);
    outbox.flush();
    const { payload } = db.prepare('SELECT payload FROM outbox').get() as { payload: string };
    // Once for the first six, once after the hall's.
    expect(payload.split(JSON.stringify(entity))).toHaveLength(3);
    expect(outbox.peek('c1', 10).map((r) => r.payload)).toEqual(queued);
    expect(
      (db.prepare('SELECT payload FROM outbox ORDER BY id').all() as { payload: string }[]).map(
        (r) => r.payload,
      ),
    ).toEqual(queued.map((p) => JSON.stringify(p)));
  });

  it('writes a payload whose text has a tab or newline (JSON with whitespace) as a row of its own, as it is, in order', () => {
    const { db } = databases();
    // Pretty-printed when asked: its text then holds what a burst keeps its rows apart with.
    const codec = {
      encode: (_kind: string, p: unknown) =>
        (p as { pretty?: boolean }).pretty ? JSON.stringify(p, null, '\t') : JSON.stringify(p),
      decode: (_kind: string, text: string) => JSON.parse(text) as unknown,
    };
    const outbox = new Outbox(db, () => 5, codec);
    const payloads = [{ i: 1 }, { i: 2 }, { i: 3, pretty: true, list: [1, 2] }, { i: 4 }, { i: 5 }];
    for (const p of payloads) outbox.queue('c1', 'notice', p);
    outbox.flush();
    // The two before it as a burst, it alone, the two after as a burst.
    expect(
      (db.prepare('SELECT parts FROM outbox ORDER BY id').all() as { parts: number | null }[]).map(
        (r) => r.parts,
      ),
    ).toEqual([2, null, 2]);
    expect(outbox.peek('c1', 10).map((r) => r.payload)).toEqual(payloads);
    expect(
      (db.prepare('SELECT payload FROM outbox WHERE id = 3').get() as { payload: string }).payload,
    ).toBe(codec.encode('notice', payloads[2]));
    expect(outbox.takeSetAside()).toEqual([]);
  });

  it('refuses a payload the codec gives no text for, and writes the rows queued around it', () => {
    const { db } = databases();
    const outbox = new Outbox(db, () => 5);
    outbox.queue('c1', 'notice', { i: 1 });
    expect(() => outbox.queue('c1', 'notice', undefined)).toThrow(
      "the outbox's codec gave a payload of kind notice no JSON text",
    );
    expect(() => outbox.add('c1', 'notice', undefined)).toThrow(/no JSON text/);
    const broken = new Outbox(db, () => 5, {
      encode: () => ({ head: '[', tail: ']' }) as never,
      decode: () => null,
    });
    expect(() => broken.queue('c1', 'alert', {})).toThrow(/kind alert no JSON text/);
    outbox.queue('c1', 'notice', { i: 2 });
    expect(outbox.peek<{ i: number }>('c1', 10).map((r) => r.payload.i)).toEqual([1, 2]);
  });

  it('opens a burst of the first layout (a JSON array after `burst:`) written before an upgrade', () => {
    const { db } = databases();
    const outbox = new Outbox(db, () => 5);
    outbox.add('c1', 'alert', { i: 0 });
    db.prepare(
      `INSERT INTO outbox (id, channel_id, kind, payload, created_at, parts)
       VALUES (4, 'c1', 'alert', 'burst:[{"i":1},{"i":2},{"i":3}]', 5, 3)`,
    ).run();
    outbox.add('c1', 'alert', { i: 4 });
    expect(outbox.peek<{ i: number }>('c1', 10).map((r) => [r.id, r.payload.i])).toEqual([
      [1, 0],
      [2, 1],
      [3, 2],
      [4, 3],
      [5, 4],
    ]);
  });

  it('opens only the bursts a read of the head covers, and counts what the others hold', () => {
    const { db } = databases();
    let now = 1;
    const outbox = new Outbox(db, () => now);
    for (let burst = 0; burst < 4; burst++) {
      for (let i = 0; i < 10; i++) outbox.queue('c1', 'alert', { i: burst * 10 + i });
      outbox.flush();
      now++;
    }
    expect([tableRows(db), outbox.depth]).toEqual([4, 40]);
    expect(outbox.peek<{ i: number }>('c1', 15).map((r) => r.payload.i)).toEqual(
      Array.from({ length: 15 }, (_, i) => i),
    );
    // The first two bursts opened (20 rows), the last two not.
    expect([tableRows(db), outbox.depth]).toEqual([22, 40]);
    expect(outbox.peek('c1', 1)).toHaveLength(1);
    expect(tableRows(db)).toBe(22);
  });

  it('trims bursts by age whole and by size to the row, opening the one the cut falls in', () => {
    const { db } = databases();
    let now = 1000;
    const outbox = new Outbox(db, () => now);
    queueBurst(outbox, 'c1', 0, 10);
    now = 10_000;
    queueBurst(outbox, 'c1', 10, 20);
    queueBurst(outbox, 'c2', 20, 30);
    expect(outbox.trim({ maxAgeMs: 5000, maxRows: 100 })).toEqual({ byAge: 10, bySize: 0 });
    expect(outbox.trim({ maxAgeMs: 5000, maxRows: 13 })).toEqual({ byAge: 0, bySize: 7 });
    expect(outbox.depth).toBe(13);
    expect(outbox.peek<{ i: number }>('c1', 20).map((r) => r.payload.i)).toEqual([17, 18, 19]);
    expect(outbox.peek<{ i: number }>('c2', 20).map((r) => r.payload.i)).toEqual(
      Array.from({ length: 10 }, (_, i) => 20 + i),
    );
  });

  it('sets aside a burst a size trim would cut but cannot open, and trims the rest as asked', () => {
    const { db } = databases();
    let now = 1;
    const outbox = new Outbox(db, () => now);
    queueBurst(outbox, 'c1', 0, 4);
    const { id } = db.prepare('SELECT id FROM outbox').get() as { id: number };
    db.prepare("UPDATE outbox SET payload = 'garbled' WHERE id = ?").run(id);
    now = 2;
    queueBurst(outbox, 'c1', 4, 8);
    // 8 waiting, 6 kept: 2 to go, from the first burst, which cannot be opened: it is set
    // aside whole (its 4 reported there), and nothing more goes.
    expect(outbox.trim({ maxAgeMs: 1_000_000, maxRows: 6 })).toEqual({ byAge: 0, bySize: 0 });
    expect(outbox.takeSetAside().map((r) => r.id)).toEqual([id - 3, id - 2, id - 1, id]);
    expect(outbox.peek<{ i: number }>('c1', 10).map((r) => r.payload.i)).toEqual([4, 5, 6, 7]);
    // The second, opened by that read: 3 of its 4 go.
    expect(outbox.trim({ maxAgeMs: 1_000_000, maxRows: 1 })).toEqual({ byAge: 0, bySize: 3 });
    expect(outbox.peek<{ i: number }>('c1', 10).map((r) => r.payload.i)).toEqual([7]);
  });

  it('reports nothing set aside by a trim that was rolled back', () => {
    const { db } = databases();
    let now = 1;
    const outbox = new Outbox(db, () => now);
    outbox.add('c1', 'alert', { i: 0 });
    now = 2;
    queueBurst(outbox, 'c1', 1, 5);
    db.prepare("UPDATE outbox SET payload = 'garbled' WHERE parts IS NOT NULL").run();
    // Deleting a row of one fails: the trim sets the burst aside, then fails at its delete.
    db.exec(
      "CREATE TRIGGER no_delete BEFORE DELETE ON outbox WHEN old.parts IS NULL BEGIN SELECT RAISE(ABORT, 'disk full'); END",
    );
    expect(() => outbox.trim({ maxAgeMs: 1_000_000, maxRows: 3 })).toThrow('disk full');
    expect(outbox.takeSetAside()).toEqual([]);
    expect(outbox.depth).toBe(5);
    db.exec('DROP TRIGGER no_delete');
    // Without the failure the same trim sets the burst aside, and reports it.
    expect(outbox.trim({ maxAgeMs: 1_000_000, maxRows: 3 })).toEqual({ byAge: 0, bySize: 1 });
    expect(outbox.takeSetAside()).toHaveLength(4);
  });

  it('keeps a burst across a reopen, and opens it then', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hdb-outbox-burst-'));
    let db = openDatabase(dir);
    const again = new Outbox(db, () => 5);
    for (let i = 0; i < 6; i++) again.queue('c1', 'alert', { i });
    again.flush();
    db.close();
    db = openDatabase(dir);
    const reopened = new Outbox(db);
    expect([tableRows(db), reopened.depth]).toEqual([1, 6]);
    expect(reopened.peek<{ i: number }>('c1', 1).map((r) => r.payload.i)).toEqual([0]);
    expect(tableRows(db)).toBe(6);
    db.close();
  });

  it('opens a whole burst for a read of one row, and gives a batch to only the rows it names', () => {
    const { db } = databases();
    const outbox = new Outbox(db, () => 5);
    for (let i = 0; i < QUEUED_ROWS; i++) outbox.queue('c1', 'alert', { i });
    const [head] = outbox.peek<{ i: number }>('c1', 1);
    expect(head!.payload.i).toBe(0);
    expect(tableRows(db)).toBe(QUEUED_ROWS);
    outbox.assignBatch([head!.id, head!.id + 1], 'b1');
    expect(outbox.batchRows<{ i: number }>('b1').map((r) => r.payload.i)).toEqual([0, 1]);
  });

  it('gives ids after a burst rolled back with its savepoint to the rows queued next, in order', () => {
    const { db } = databases();
    const outbox = new Outbox(db);
    const first = outbox.add('c1', 'alert', { i: 0 });
    expect(() =>
      outbox.transaction(() => {
        for (let i = 0; i < 5; i++) outbox.queue('c1', 'alert', { i: 100 + i });
        outbox.flush();
        throw new Error('judging failed');
      }),
    ).toThrow('judging failed');
    for (let i = 1; i < 4; i++) outbox.queue('c1', 'alert', { i });
    const last = outbox.add('c1', 'alert', { i: 4 });
    const rows = outbox.peek<{ i: number }>('c1', 10);
    expect(rows.map((r) => r.payload.i)).toEqual([0, 1, 2, 3, 4]);
    expect(rows.map((r) => r.id)).toEqual([first, first + 1, first + 2, first + 3, last]);
    expect(last).toBe(first + 4);
  });

  it('reads nothing for a negative limit (SQLite would read every row)', () => {
    const { db } = databases();
    const outbox = new Outbox(db);
    for (let i = 0; i < 3; i++) outbox.queue('c1', 'alert', { i });
    expect(outbox.peek('c1', -1)).toEqual([]);
    expect(outbox.depth).toBe(3);
  });

  it('sets aside a burst it cannot open, whole, reporting each row it held', () => {
    const { db } = databases();
    const outbox = new Outbox(db, () => 3);
    queueBurst(outbox, 'c1', 0, 4);
    const { id } = db.prepare('SELECT id FROM outbox').get() as { id: number };
    // Written by hand: a JSON array of one row where the burst says four.
    db.prepare('UPDATE outbox SET payload = \'burst:[{"i": 0}]\' WHERE id = ?').run(id);
    outbox.add('c1', 'alert', { i: 9 });
    expect(outbox.peek<{ i: number }>('c1', 10).map((r) => r.payload.i)).toEqual([9]);
    const aside = outbox.takeSetAside();
    expect(aside.map((r) => r.id)).toEqual([id - 3, id - 2, id - 1, id]);
    for (const r of aside) expect(r.reason).toMatch(/^unreadable: a burst of 4/);
    expect(db.prepare('SELECT id, parts FROM outbox_set_aside').all()).toEqual([{ id, parts: 4 }]);
    expect(outbox.depth).toBe(1);
  });

  it('writes queued rows before anything reads or changes the outbox', () => {
    const { db } = databases();
    const outbox = new Outbox(db);
    const reads: [string, (o: Outbox) => unknown][] = [
      ['depth', (o) => o.depth],
      ['channels', (o) => o.channels()],
      ['peek', (o) => o.peek('c1', 10).length],
      ['oldest', (o) => o.oldestCreatedAt],
      ['add', (o) => o.add('c1', 'alert', { i: 99 })],
    ];
    for (const [name, read] of reads) {
      outbox.queue('c1', 'alert', { i: 1 });
      const before = (db.prepare('SELECT COUNT(*) AS n FROM outbox').get() as { n: number }).n;
      read(outbox);
      const after = (db.prepare('SELECT COUNT(*) AS n FROM outbox').get() as { n: number }).n;
      expect([name, after - before]).toEqual([name, name === 'add' ? 2 : 1]);
    }
    // An id added at once comes after the rows queued before it.
    const ids = outbox.peek('c1', 20).map((r) => (r.payload as { i: number }).i);
    expect(ids.at(-1)).toBe(99);
  });

  it('writes the rows queued in a transaction inside it, and drops them if it fails', () => {
    const { db, written } = databases();
    const outbox = new Outbox(db);
    outbox.queue('c1', 'alert', { i: 1 });
    expect(() =>
      outbox.transaction(() => {
        outbox.queue('c1', 'alert', { i: 2 });
        throw new Error('judging failed');
      }),
    ).toThrow('judging failed');
    outbox.transaction(() => outbox.queue('c1', 'alert', { i: 3 }));
    // Committed: the row queued before it, and its own; not the failed one's.
    expect(written()).toEqual([1, 3]);
    outbox.flush();
    expect(written()).toEqual([1, 3]);
  });

  it(`starts afresh after rows dropped with a failed transaction: the next ${QUEUED_ROWS} are written together`, () => {
    const { db, written } = databases();
    const outbox = new Outbox(db);
    const q = QUEUED_ROWS;
    expect(() =>
      outbox.transaction(() => {
        for (let i = 0; i < q - 1; i++) outbox.queue('c1', 'alert', { i: 1000 + i });
        throw new Error('judging failed');
      }),
    ).toThrow('judging failed');
    for (let i = 0; i < q; i++) outbox.queue('c1', 'alert', { i });
    // Written at the last, without a flush: none of the dropped rows took a place.
    expect(written()).toEqual(Array.from({ length: q }, (_, i) => i));
    for (let i = q; i < q + 3; i++) outbox.queue(i === q + 1 ? 'c2' : 'c1', 'alert', { i });
    outbox.flush();
    expect(written()).toEqual(Array.from({ length: q + 3 }, (_, i) => i));
  });
});

describe('Outbox: databases from before the status key column', () => {
  it('migrates in place: status rows get their key (or their own) in the column the pump reads', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hdb-outbox-v3-'));
    // The outbox as versions before the status_key column wrote it (schema version 3).
    const old = new Database(join(dir, 'bridge.db'));
    old.exec(`CREATE TABLE outbox (
      id INTEGER PRIMARY KEY AUTOINCREMENT, channel_id TEXT NOT NULL, kind TEXT NOT NULL,
      payload TEXT NOT NULL, created_at INTEGER NOT NULL, batch TEXT,
      attempts INTEGER NOT NULL DEFAULT 0)`);
    const insert = old.prepare(
      'INSERT INTO outbox (channel_id, kind, payload, created_at) VALUES (?, ?, ?, 1)',
    );
    insert.run('c1', 'alert', JSON.stringify({ id: 'a1', statusKey: undefined }));
    insert.run('c1', 'status', JSON.stringify({ id: 'a2', statusKey: 'doors|binary_sensor.x' }));
    insert.run('c1', 'status', JSON.stringify({ id: 'a3' }));
    old.pragma('user_version = 3');
    old.close();

    const db = openDatabase(dir);
    const rows = new Outbox(db).peek('c1', 10);
    expect(rows.map((r) => [r.kind, r.statusKey, (r.payload as { id: string }).id])).toEqual([
      ['alert', null, 'a1'],
      ['status', 'doors|binary_sensor.x', 'a2'],
      ['status', `row${rows[2]!.id}`, 'a3'],
    ]);
    db.close();
  });
});

describe('WatchStore and MuteStore', () => {
  it('stores watches and mutes, and forgets expired mutes', () => {
    let now = 1000;
    const db = openDatabase(':memory:');
    const watches = new WatchStore(db, () => now);
    const w = watches.add(
      RuleSchema.parse({ name: 'w', entities: ['sensor.t'], above: 5 }),
      'u1',
      'g1',
    );
    expect(watches.list()).toMatchObject([
      { id: w.id, rule: { name: 'w', above: 5 }, createdBy: 'u1' },
    ]);
    expect(watches.remove(w.id)).toBe(true);
    expect(watches.remove(w.id)).toBe(false);
    const mutes = new MuteStore(db, () => now);
    mutes.add({ target: 'rule:w', until: 5000, createdBy: 'u1' });
    expect(mutes.list()).toHaveLength(1);
    now = 6000;
    expect(mutes.list()).toHaveLength(0);
  });

  it("keeps a watch's for and cooldown in milliseconds across a reopen", () => {
    const db = openDatabase(':memory:');
    const watches = new WatchStore(db);
    watches.add(
      RuleSchema.parse({ name: 'w', entities: ['sensor.t'], for: '10m', cooldown: '30s' }),
      'u1',
      null,
    );
    // A row as an older version wrote it: the durations as bare milliseconds.
    db.prepare(
      'INSERT INTO watches (guild_id, created_by, created_at, rule) VALUES (NULL, ?, 0, ?)',
    ).run('u2', JSON.stringify({ name: 'old', entities: ['sensor.t'], for: 5000, cooldown: 0 }));
    expect(watches.list().map((w) => [w.rule.name, w.rule.for, w.rule.cooldown])).toEqual([
      ['w', 600_000, 30_000],
      ['old', 5000, 0],
    ]);
  });
});
