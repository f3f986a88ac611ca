import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Actions } from '../../../src/actions/schema.js';
import { ActionMessageStore } from '../../../src/storage/action-messages.js';
import { openDatabase } from '../../../src/storage/database.js';

const actions: Actions = {
  buttons: [{ label: 'Open', action: 'open', ask: { label: 'Why', required: false } }],
  select: undefined,
  onPress: 'keep',
  expiresMs: 60_000,
};

describe('ActionMessageStore', () => {
  it('keeps definitions across a reopen, under a key that fits a custom id', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hdb-actions-'));
    const now = 1_000_000;
    let db = openDatabase(dir);
    const added = new ActionMessageStore(db, () => now).add('833333333333333333', actions, 'door');
    expect(added.key).toMatch(/^[A-Za-z0-9_-]{12}$/);
    expect(added.expiresAt).toBe(1_060_000);
    db.close();
    db = openDatabase(dir);
    const store = new ActionMessageStore(db, () => now);
    expect(store.get(added.key)).toEqual({
      key: added.key,
      channelId: '833333333333333333',
      actions,
      tag: 'door',
      createdAt: 1_000_000,
      expiresAt: 1_060_000,
    });
    expect(store.get('nope')).toBeUndefined();
    db.close();
  });

  it("replaces a tag's earlier definition, and keeps the others", () => {
    const store = new ActionMessageStore(openDatabase(':memory:'), () => 1_000_000);
    const first = store.add('833333333333333333', actions, 'washer');
    const other = store.add('833333333333333333', actions, 'door');
    const untagged = store.add('833333333333333333', actions, undefined);
    const second = store.add('833333333333333333', actions, 'washer');
    expect(store.get(first.key)).toBeUndefined();
    expect(store.get(second.key)?.tag).toBe('washer');
    expect(store.get(other.key)?.tag).toBe('door');
    expect(store.get(untagged.key)).toBeDefined();
  });

  it('sweeps definitions a week past their expiry, and keeps the others', () => {
    let now = 1_000_000;
    const db = openDatabase(':memory:');
    const store = new ActionMessageStore(db, () => now);
    const expiring = store.add('c', actions, undefined);
    const forever = store.add('c', { ...actions, expiresMs: undefined }, undefined);
    now += 8 * 86_400_000;
    store.sweep();
    expect(store.get(expiring.key)).toBeUndefined();
    expect(store.get(forever.key)?.expiresAt).toBeUndefined();
    db.close();
  });
});
