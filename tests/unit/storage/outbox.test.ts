import Database from 'better-sqlite3';
import { openDatabase } from '../../../src/storage/database.js';
import { MuteStore } from '../../../src/storage/mutes.js';
import { Outbox } from '../../../src/storage/outbox.js';
import { WatchStore } from '../../../src/storage/watches.js';
import { RuleSchema } from '../../../src/alerts/rule-schema.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

describe('Outbox', () => {
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
