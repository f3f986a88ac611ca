import { ContextWaiter } from '../../../src/ha/context-waiter.js';
import { EntityStore } from '../../../src/ha/entity-store.js';

function store() {
  const s = new EntityStore();
  s.apply({
    a: { 'light.a': { s: 'off', c: 'old', lc: 1 }, 'light.b': { s: 'off', c: 'old', lc: 1 } },
  });
  return s;
}

describe('ContextWaiter', () => {
  it('collects changes that arrived before the call result', async () => {
    const s = store();
    const waiter = new ContextWaiter(s, ['light.a']);
    s.apply({ c: { 'light.a': { '+': { s: 'on', c: 'call-1', lc: 2 } } } });
    const outcome = await waiter.wait('call-1', 1000);
    expect(outcome.pending).toEqual([]);
    expect(outcome.changed.get('light.a')?.state).toBe('on');
  });

  it('matches a change caused through another entity by its parent context', async () => {
    const s = store();
    const waiter = new ContextWaiter(s, ['light.a']);
    const done = waiter.wait('call-2', 1000);
    s.apply({
      c: { 'light.a': { '+': { s: 'on', c: { id: 'child', parent_id: 'call-2' }, lc: 2 } } },
    });
    expect((await done).changed.has('light.a')).toBe(true);
  });

  it('matches a later diff that inherits the call context', async () => {
    const s = store();
    const waiter = new ContextWaiter(s, ['light.a', 'light.b']);
    const done = waiter.wait('call-5', 1000);
    s.apply({ c: { 'light.b': { '+': { s: 'on', c: 'call-5', lc: 2 } } } });
    s.apply({ c: { 'light.a': { '+': { s: 'on', c: 'call-5', lc: 2 } } } });
    s.apply({ c: { 'light.a': { '+': { a: { brightness: 9 }, lu: 3 } } } });
    const outcome = await done;
    expect(outcome.changed.get('light.a')?.attributes).toEqual({ brightness: 9 });
    expect(outcome.pending).toEqual([]);
  });

  it('ignores changes from other contexts and reports the entity as pending', async () => {
    const s = store();
    const waiter = new ContextWaiter(s, ['light.a', 'light.b']);
    const done = waiter.wait('call-3', 100);
    s.apply({ c: { 'light.a': { '+': { s: 'on', c: 'call-3', lc: 2 } } } });
    s.apply({ c: { 'light.b': { '+': { s: 'on', c: 'someone-else', lc: 2 } } } });
    expect((await done).pending).toEqual(['light.b']);
  });

  it('is done at once when the entity already is in the expected state', async () => {
    const s = store();
    const waiter = new ContextWaiter(s, ['light.a']);
    const started = Date.now();
    const outcome = await waiter.wait('call-4', 5000, (_, state) => state?.state === 'off');
    expect(outcome.pending).toEqual([]);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('stops listening, and keeping context ids, when done', async () => {
    const s = store();
    let listeners = 0;
    let watchers = 0;
    const counting = {
      onChange: (fn: Parameters<typeof s.onChange>[0]) => {
        listeners++;
        const off = s.onChange(fn);
        return () => {
          listeners--;
          return off();
        };
      },
      get: (id: string) => s.get(id),
      contextOf: s.contextOf.bind(s),
      watchContexts: () => {
        watchers++;
        const release = s.watchContexts();
        return () => {
          watchers--;
          release();
        };
      },
    };
    const waiter = new ContextWaiter(counting, ['light.a']);
    expect([listeners, watchers]).toEqual([1, 1]);
    await waiter.wait('x', 10);
    expect([listeners, watchers]).toEqual([0, 0]);
    s.apply({ c: { 'light.a': { '+': { s: 'on', c: 'later', lc: 5 } } } });
    expect(s.contextOf(s.get('light.a')!)).toEqual({ contextId: '', contextParentId: null });
  });
});
