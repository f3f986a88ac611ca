import Database from 'better-sqlite3';
import { openDatabase, type Db } from '../../../src/storage/database.js';
import { MuteStore } from '../../../src/storage/mutes.js';
import { Outbox } from '../../../src/storage/outbox.js';
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
 * time (the columns `add` and `queue` write).
 */
function writtenRows(db: Db): [string, string, number, string | null, number][] {
  const rows = db
    .prepare('SELECT channel_id, kind, payload, status_key, created_at FROM outbox ORDER BY id')
    .all() as {
    channel_id: string;
    kind: string;
    payload: string;
    status_key: string | null;
    created_at: number;
  }[];
  return rows.map((r) => [
    r.channel_id,
    r.kind,
    (JSON.parse(r.payload) as { i: number }).i,
    r.status_key,
    r.created_at,
  ]);
}

describe('Outbox: queued rows', () => {
  /** The rows as a second connection sees them: what was written and committed. */
  function databases() {
    const dir = mkdtempSync(join(tmpdir(), 'hdb-outbox-queue-'));
    const db = openDatabase(dir);
    const reader = new Database(join(dir, 'bridge.db'), { readonly: true });
    const written = () =>
      (reader.prepare('SELECT payload FROM outbox ORDER BY id').all() as { payload: string }[]).map(
        (r) => (JSON.parse(r.payload) as { i: number }).i,
      );
    return { db, written };
  }

  it('writes queued rows 32 at a time and the rest on flush, in order, with their columns', () => {
    const { db, written } = databases();
    const outbox = new Outbox(db, () => 7);
    for (let i = 0; i < 40; i++) outbox.queue('c1', 'status', { i }, `k${i}`);
    // The first 32 in one statement; the last 8 held until a flush.
    const rows = () => (db.prepare('SELECT COUNT(*) AS n FROM outbox').get() as { n: number }).n;
    expect(rows()).toBe(32);
    outbox.flush();
    expect(rows()).toBe(40);
    expect(outbox.peek('c1', 50).map((r) => [r.payload, r.kind, r.statusKey, r.createdAt])).toEqual(
      Array.from({ length: 40 }, (_, i) => [{ i }, 'status', `k${i}`, 7]),
    );
    expect(written()).toEqual(Array.from({ length: 40 }, (_, i) => i));
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

  it("binds only the payloads of a flood's rows: one channel, kind and time, no status key", () => {
    const { db } = databases();
    // The statements the outbox prepares, to see what each row binds.
    const prepared: string[] = [];
    const prepare = db.prepare.bind(db);
    db.prepare = (sql: string) => {
      prepared.push(sql);
      return prepare(sql);
    };
    let now = 7;
    const outbox = new Outbox(db, () => now);
    const queued: [string, string, number, string | null, number][] = [];
    const queue = (channel: string, kind: string, key?: string) => {
      const i = queued.length;
      queued.push([channel, kind, i, key ?? null, now]);
      outbox.queue(channel, kind, { i }, key);
    };
    // 32 plain rows (one statement), then 3 more flushed (a statement of 3).
    for (let i = 0; i < 35; i++) queue('c1', 'alert');
    outbox.flush();
    const plainRows = (n: number) =>
      prepared.filter((sql) => sql.split('(@channel, @kind, ?, NULL, @at)').length === n + 1);
    expect([plainRows(32).length, plainRows(3).length]).toEqual([1, 1]);
    // Not plain: a status key among them, or a time of their own; each still written as queued.
    queue('c1', 'status', 'k1');
    queue('c1', 'status');
    outbox.flush();
    queue('c1', 'alert');
    now = 8;
    queue('c1', 'alert');
    outbox.flush();
    expect(plainRows(2)).toEqual([]);
    expect(writtenRows(db)).toEqual(queued);
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

  it('starts afresh after rows dropped with a failed transaction: the next 32 are one statement', () => {
    const { db, written } = databases();
    const outbox = new Outbox(db);
    expect(() =>
      outbox.transaction(() => {
        for (let i = 100; i < 131; i++) outbox.queue('c1', 'alert', { i });
        throw new Error('judging failed');
      }),
    ).toThrow('judging failed');
    for (let i = 0; i < 32; i++) outbox.queue('c1', 'alert', { i });
    // Written at the 32nd, without a flush: none of the dropped rows took a place.
    expect(written()).toEqual(Array.from({ length: 32 }, (_, i) => i));
    for (let i = 32; i < 35; i++) outbox.queue(i === 33 ? 'c2' : 'c1', 'alert', { i });
    outbox.flush();
    expect(written()).toEqual(Array.from({ length: 35 }, (_, i) => i));
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
