import { Confirmations, type PendingAction } from '../../../src/commands/confirmations.js';

const pending = (userId = '1'): PendingAction => ({
  userId,
  action: 'control',
  entityIds: ['lock.front'],
  seen: new Map(),
  summary: 'Unlock Front',
  run: () => Promise.resolve({ kind: 'note', text: 'done' }),
});

describe('Confirmations', () => {
  it('gives each action a fresh id and hands it out once', () => {
    const c = new Confirmations(30_000);
    const a = c.add(pending(), () => undefined);
    const b = c.add(pending(), () => undefined);
    expect(a).not.toBe(b);
    expect(a.length).toBeLessThanOrEqual(20);
    expect(c.get(a)?.summary).toBe('Unlock Front');
    expect(c.take(a)).toBeDefined();
    expect(c.take(a)).toBeUndefined();
    expect(c.get(b)).toBeDefined();
    c.stop();
    expect(c.get(b)).toBeUndefined();
  });

  it('expires by the clock even before the timer runs', () => {
    let now = 1_000;
    const c = new Confirmations(30_000, () => now);
    const id = c.add(pending(), () => undefined);
    now += 29_999;
    expect(c.get(id)).toBeDefined();
    now += 1;
    expect(c.get(id)).toBeUndefined();
    expect(c.size).toBe(0);
    c.stop();
  });

  it('tells the asker when the timer runs out, once', async () => {
    const c = new Confirmations(20);
    const expired: string[] = [];
    const id = c.add(pending(), () => expired.push('x'));
    await new Promise((r) => setTimeout(r, 60));
    expect(expired).toEqual(['x']);
    expect(c.get(id)).toBeUndefined();
  });

  it('stays bounded: a flood drops the oldest', () => {
    const c = new Confirmations(30_000, Date.now, 3);
    const ids = [1, 2, 3, 4].map(() => c.add(pending(), () => undefined));
    expect(c.size).toBe(3);
    expect(c.get(ids[0]!)).toBeUndefined();
    expect(c.get(ids[3]!)).toBeDefined();
    c.stop();
  });

  it('reads its timeout live: a reload changes it for confirmations asked after it', () => {
    let now = 1_000;
    let timeout = 30_000;
    const c = new Confirmations(
      () => timeout,
      () => now,
    );
    const before = c.add(pending(), () => undefined);
    timeout = 5_000;
    expect(c.timeoutMs).toBe(5_000);
    const after = c.add(pending(), () => undefined);
    now += 5_000;
    expect(c.get(after)).toBeUndefined();
    expect(c.get(before)).toBeDefined();
    c.stop();
  });
});
