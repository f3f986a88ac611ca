import { EntityStore } from '../../../src/ha/entity-store.js';
import { STATE_MEMO, type StateChange } from '../../../src/ha/types.js';

function storeWithChanges() {
  const store = new EntityStore();
  // What a service call's waiter does: these tests read the context ids (see watchContexts).
  store.watchContexts();
  const changes: StateChange[] = [];
  store.onChange((c) => changes.push(c));
  return { store, changes };
}

describe('EntityStore', () => {
  it('loads the initial snapshot', () => {
    const { store } = storeWithChanges();
    store.expectSnapshot();
    store.apply({ a: { 'light.a': { s: 'on', a: { friendly_name: 'A' }, c: 'c1', lc: 10 } } });
    expect(store.get('light.a')).toEqual({
      entityId: 'light.a',
      state: 'on',
      attributes: { friendly_name: 'A' },
      lastChanged: 10,
      lastUpdated: 10,
    });
    expect(store.contextOf(store.get('light.a')!)).toEqual({
      contextId: 'c1',
      contextParentId: null,
    });
  });

  it('applies a state diff with its context and timestamps', () => {
    const { store, changes } = storeWithChanges();
    store.apply({ a: { 'light.a': { s: 'off', a: { b: 1 }, c: 'c1', lc: 10 } } });
    store.apply({ c: { 'light.a': { '+': { s: 'on', c: 'c2', lc: 20 } } } });
    const last = changes.at(-1)!;
    expect(last).toMatchObject({ kind: 'changed', stateChanged: true, fromSnapshot: false });
    expect(last.newState).toMatchObject({
      state: 'on',
      lastChanged: 20,
      lastUpdated: 20,
      attributes: { b: 1 },
    });
    expect(store.contextOf(last.newState!).contextId).toBe('c2');
    expect(last.oldState?.state).toBe('off');
  });

  it("carries a listener's memo from each of an entity's states to the next", () => {
    const { store, changes } = storeWithChanges();
    store.apply({ a: { 'light.a': { s: 'off', lc: 10 }, 'light.b': { s: 'off', lc: 10 } } });
    const memo = { rules: 'of light.a' };
    store.get('light.a')![STATE_MEMO] = memo;
    store.apply({
      c: { 'light.a': { '+': { s: 'on', lc: 20 } }, 'light.b': { '+': { s: 'on' } } },
    });
    expect(changes.at(-2)!.newState![STATE_MEMO]).toBe(memo);
    expect(store.get('light.a')![STATE_MEMO]).toBe(memo);
    expect(store.get('light.b')![STATE_MEMO]).toBeUndefined();
    // Not HA's: not among the state's fields.
    expect(JSON.parse(JSON.stringify(store.get('light.a')))).toEqual({
      entityId: 'light.a',
      state: 'on',
      attributes: {},
      lastChanged: 20,
      lastUpdated: 20,
    });
  });

  it('keeps the parent context from a diff object', () => {
    const { store } = storeWithChanges();
    store.apply({ a: { 'light.a': { s: 'off', c: 'c1', lc: 10 } } });
    store.apply({
      c: { 'light.a': { '+': { s: 'on', c: { id: 'child', parent_id: 'call' }, lc: 11 } } },
    });
    expect(store.contextOf(store.get('light.a')!)).toEqual({
      contextId: 'child',
      contextParentId: 'call',
    });
  });

  it('keeps context ids only while something watches them', () => {
    const store = new EntityStore();
    store.apply({ a: { 'light.a': { s: 'off', c: { id: 'c1', parent_id: 'p1' }, lc: 10 } } });
    expect(store.contextOf(store.get('light.a')!)).toEqual({
      contextId: '',
      contextParentId: null,
    });
    const release = store.watchContexts();
    store.apply({
      c: { 'light.a': { '+': { s: 'on', c: { id: 'c2', parent_id: 'p2' }, lc: 11 } } },
    });
    expect(store.contextOf(store.get('light.a')!)).toEqual({
      contextId: 'c2',
      contextParentId: 'p2',
    });
    // A diff without a context inherits the one applied while watched.
    store.apply({ c: { 'light.a': { '+': { a: { x: 1 }, lu: 12 } } } });
    expect(store.contextOf(store.get('light.a')!)).toEqual({
      contextId: 'c2',
      contextParentId: 'p2',
    });
    store.apply({ a: { 'light.b': { s: 'on', c: 'c3', lc: 12 } } });
    expect(store.contextOf(store.get('light.b')!)).toEqual({
      contextId: 'c3',
      contextParentId: null,
    });
    release();
    release(); // a second call does not release another watcher
    store.apply({ c: { 'light.a': { '+': { s: 'off', c: 'c4', lc: 13 } } } });
    expect(store.contextOf(store.get('light.a')!)).toEqual({
      contextId: '',
      contextParentId: null,
    });
  });

  it('answers a stored state as HA sent it, whatever the store keeps of it', () => {
    const { store } = storeWithChanges();
    const lc = 1_764_590_000.123456;
    const lu = 1_764_590_001.654321;
    store.apply({
      a: {
        'sensor.a': { s: '20.5', a: { unit: 'C' }, c: 'ca', lc, lu },
        'sensor.b': { s: '20.5', a: {}, c: 'cb', lu },
      },
    });
    expect(store.get('sensor.a')).toEqual({
      entityId: 'sensor.a',
      state: '20.5',
      attributes: { unit: 'C' },
      lastChanged: lc,
      lastUpdated: lu,
    });
    expect(store.contextOf(store.get('sensor.a')!)).toEqual({
      contextId: 'ca',
      contextParentId: null,
    });
    // Only `lu` sent: both timestamps are it (HA leaves `lc` out when it equals `lu`).
    expect(store.get('sensor.b')).toMatchObject({ lastChanged: lu, lastUpdated: lu });
    store.apply({ c: { 'sensor.a': { '+': { a: { unit: 'F' }, lu: lu + 1 } } } });
    expect(store.get('sensor.a')).toMatchObject({ lastChanged: lc, lastUpdated: lu + 1 });
    store.apply({ c: { 'sensor.a': { '+': { s: 'on', lc: lu + 2 } } } });
    expect(store.get('sensor.a')).toMatchObject({
      state: 'on',
      lastChanged: lu + 2,
      lastUpdated: lu + 2,
    });
    expect(typeof store.get('sensor.a')!.lastChanged).toBe('number');
  });

  it('marks attribute-only changes and removes attributes', () => {
    const { store, changes } = storeWithChanges();
    store.apply({ a: { 'sensor.t': { s: '20', a: { x: 1, y: 2 }, c: 'c1', lc: 10 } } });
    store.apply({ c: { 'sensor.t': { '+': { a: { x: 5 }, lu: 12 }, '-': { a: ['y'] } } } });
    const last = changes.at(-1)!;
    expect(last.stateChanged).toBe(false);
    expect(last.newState).toMatchObject({ attributes: { x: 5 }, lastChanged: 10, lastUpdated: 12 });
  });

  it('removes entities on r', () => {
    const { store, changes } = storeWithChanges();
    store.apply({ a: { 'light.a': { s: 'on', c: 'c', lc: 1 } } });
    store.apply({ r: ['light.a'] });
    expect(store.get('light.a')).toBeUndefined();
    expect(changes.at(-1)).toMatchObject({ kind: 'removed', entityId: 'light.a' });
  });

  it('reconciles a fresh snapshot: changes and removals are flagged as from the snapshot', () => {
    const { store, changes } = storeWithChanges();
    store.apply({
      a: {
        'light.a': { s: 'on', c: 'c', lc: 1 },
        'light.b': { s: 'on', c: 'c', lc: 1 },
        'light.c': { s: 'on', c: 'c', lc: 1 },
      },
    });
    changes.length = 0;
    store.expectSnapshot();
    store.apply({
      a: { 'light.a': { s: 'on', c: 'c', lc: 1 }, 'light.b': { s: 'off', c: 'd', lc: 5 } },
    });
    expect(changes.map((c) => [c.entityId, c.kind, c.fromSnapshot])).toEqual([
      ['light.b', 'changed', true],
      ['light.c', 'removed', true],
    ]);
    expect(store.size).toBe(2);
  });

  it('treats a later a message as additions, not a snapshot', () => {
    const { store } = storeWithChanges();
    store.expectSnapshot();
    store.apply({ a: { 'light.a': { s: 'on', c: 'c', lc: 1 } } });
    store.apply({ a: { 'light.b': { s: 'on', c: 'c', lc: 1 } } });
    expect(store.size).toBe(2);
  });

  it('bumps its revision when the entity set or names change, not on plain state changes', () => {
    const { store } = storeWithChanges();
    store.apply({ a: { 'light.a': { s: 'on', a: { friendly_name: 'A' }, c: 'c', lc: 1 } } });
    const r1 = store.revision;
    store.apply({ c: { 'light.a': { '+': { s: 'off', lc: 2 } } } });
    expect(store.revision).toBe(r1);
    store.apply({ c: { 'light.a': { '+': { a: { friendly_name: 'B' }, lu: 3 } } } });
    expect(store.revision).toBeGreaterThan(r1);
  });

  it('tells a rename from a diff or a whole state, and only a rename', () => {
    const { store } = storeWithChanges();
    store.apply({ a: { 'light.a': { s: 'on', a: { friendly_name: 'A', b: 1 }, c: 'c', lc: 1 } } });
    const renamed: string[] = [];
    store.onNameChange((id) => renamed.push(id));
    // Another attribute, then the state alone: no rename.
    store.apply({ c: { 'light.a': { '+': { a: { b: 2 }, lu: 2 } } } });
    store.apply({ c: { 'light.a': { '+': { s: 'off', lc: 3 } } } });
    expect(renamed).toEqual([]);
    // The name removed, then given again.
    store.apply({ c: { 'light.a': { '-': { a: ['friendly_name'] }, '+': { lu: 4 } } } });
    store.apply({ c: { 'light.a': { '+': { a: { friendly_name: 'A' }, lu: 5 } } } });
    expect(renamed).toEqual(['light.a', 'light.a']);
    // A whole state outside a snapshot: renamed only when its name differs.
    store.apply({ a: { 'light.a': { s: 'on', a: { friendly_name: 'A' }, c: 'c', lc: 6 } } });
    expect(renamed).toHaveLength(2);
    store.apply({ a: { 'light.a': { s: 'on', a: { friendly_name: 'Z' }, c: 'c', lc: 7 } } });
    expect(renamed).toEqual(['light.a', 'light.a', 'light.a']);
    expect(store.get('light.a')?.attributes).toEqual({ friendly_name: 'Z' });
  });

  it('ignores diffs for unknown entities', () => {
    const { store, changes } = storeWithChanges();
    store.apply({ c: { 'light.ghost': { '+': { s: 'on' } } } });
    expect(changes).toHaveLength(0);
  });
});
