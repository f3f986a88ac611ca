import { jest } from '@jest/globals';
import { pino } from 'pino';
import { OutboxPump, type DeliveryPort } from '../../../src/alerts/outbox-pump.js';
import { openDatabase } from '../../../src/storage/database.js';
import { Outbox, type OutboxRow } from '../../../src/storage/outbox.js';
import { waitFor } from '../../helpers/wait.js';

const log = pino({ level: 'silent' });

/** The fake's message: the rows it carries. */
interface Message {
  count: number;
  rows: readonly OutboxRow[];
  remove?: boolean;
}

function fakePort(opts: { failFirst?: number; fitMax?: number } = {}) {
  const posts: { channelId: string; ids: number[]; nonce: string; at: number }[] = [];
  const edits: { messageId: string; id: number }[] = [];
  const removals: { channelId: string; messageId: string }[] = [];
  let failures = opts.failFirst ?? 0;
  let ready = true;
  const port: DeliveryPort<Message> = {
    isReady: () => {
      checks++;
      return ready;
    },
    compose: (all) => {
      const count = Math.min(all.length, opts.fitMax ?? 1000);
      const rows = all.slice(0, count);
      return { count, rows, remove: (rows[0]?.payload as { remove?: boolean })?.remove };
    },
    async post(channelId, { rows }, nonce) {
      if (failures > 0) {
        failures--;
        throw Object.assign(new Error('503 Service Unavailable'), { status: 503 });
      }
      posts.push({ channelId, ids: rows.map((r) => r.id), nonce, at: Date.now() });
      return `m${posts.length}`;
    },
    async edit(_channelId, messageId, { rows }) {
      edits.push({ messageId, id: rows[0]!.id });
      return true;
    },
    async remove(channelId, messageId) {
      removals.push({ channelId, messageId });
    },
  };
  let checks = 0;
  const readyChecks = () => checks;
  return { port, posts, edits, removals, readyChecks, setReady: (r: boolean) => (ready = r) };
}

function pump(port: DeliveryPort<Message>, outbox: Outbox, minIntervalMs = 50, batchPrefix = 'b') {
  const status = new Map<string, { channelId: string; messageId: string }>();
  return new OutboxPump({
    outbox,
    port,
    batchPrefix,
    statusMessages: {
      get: (k) => status.get(k),
      set: (k, channelId, messageId) => status.set(k, { channelId, messageId }),
      delete: (k) => status.delete(k),
    },
    log,
    minIntervalMs,
    retryDelayMs: () => 30,
    limits: { maxAgeMs: 3_600_000, maxRows: 10_000 },
  });
}

/**
 * The row ids of the first message a pump sends from `outbox`, at one message per minute: only
 * the first goes out during a test, so rows a newer one superseded must not spend that slot.
 */
async function firstPostIds(outbox: Outbox): Promise<number[]> {
  const { port, posts } = fakePort();
  const p = pump(port, outbox, 60_000);
  p.start();
  try {
    await waitFor(() => posts.length === 1, 3000);
  } finally {
    await p.stop();
  }
  return posts[0]!.ids;
}

describe('OutboxPump', () => {
  it('sets aside a row no message can be made of, and delivers the rest of the channel', async () => {
    const db = openDatabase(':memory:');
    const outbox = new Outbox(db);
    const { port, posts } = fakePort();
    const compose = port.compose.bind(port);
    port.compose = (rows) => {
      if (rows.some((r) => (r.payload as { poison?: boolean }).poison)) {
        throw new TypeError("Cannot read properties of undefined (reading 'name')");
      }
      return compose(rows);
    };
    const p = pump(port, outbox);
    const ok1 = outbox.add('c1', 'alert', { i: 1 });
    const bad = outbox.add('c1', 'alert', { poison: true });
    const ok2 = outbox.add('c1', 'alert', { i: 2 });
    p.start();
    await waitFor(() => outbox.depth === 0, 3000);
    await p.stop();
    expect(posts.flatMap((m) => m.ids)).toEqual([ok1, ok2]);
    expect(db.prepare('SELECT id, reason FROM outbox_set_aside').all()).toEqual([
      { id: bad, reason: expect.stringContaining('no message could be made of it') },
    ]);
  });

  it('coalesces what queues while a channel waits, in order, every row once', async () => {
    const outbox = new Outbox(openDatabase(':memory:'));
    const { port, posts } = fakePort();
    const p = pump(port, outbox, 200);
    p.start();
    for (let i = 0; i < 100; i++) {
      outbox.add('c1', 'alert', { i });
      p.queued('c1');
    }
    await waitFor(() => outbox.depth === 0, 5000);
    await p.stop();
    const ids = posts.flatMap((m) => m.ids);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(100);
    expect(posts.length).toBeLessThanOrEqual(3);
  });

  it("delivers a flood's burst rows (written as one) in order, a message's worth at a time, every row once", async () => {
    let now = 1;
    const outbox = new Outbox(openDatabase(':memory:'), () => now);
    const before = outbox.add('c1', 'alert', { i: -1 });
    // Two bursts (one per millisecond), a status row between them, then a row of one.
    for (let i = 0; i < 25; i++) outbox.queue('c1', 'alert', { i });
    outbox.flush();
    outbox.add('c1', 'status', { i: 100 }, 'k1');
    now = 2;
    for (let i = 25; i < 40; i++) outbox.queue('c1', 'alert', { i });
    outbox.flush();
    outbox.add('c1', 'alert', { i: 41 });
    expect(outbox.depth).toBe(43);
    // Discord fails the first try: the rows of that message are retried as they were.
    const { port, posts } = fakePort({ fitMax: 10, failFirst: 1 });
    const p = pump(port, outbox, 5);
    p.start();
    await waitFor(() => outbox.depth === 0, 5000);
    await p.stop();
    const ids = posts.flatMap((m) => m.ids);
    // Every row once, in the order queued, with the ids it would have had as a row of its own.
    expect(ids).toEqual(Array.from({ length: 43 }, (_, n) => before + n));
    expect(posts.every((m) => m.ids.length <= 10)).toBe(true);
    expect(posts[0]).toMatchObject({ nonce: `b${before}` });
  });

  it('reports a burst its trim set aside at once, while Discord is down', async () => {
    const db = openDatabase(':memory:');
    const outbox = new Outbox(db, () => 5);
    for (let i = 0; i < 4; i++) outbox.queue('c1', 'alert', { i });
    outbox.flush();
    db.prepare("UPDATE outbox SET payload = 'garbled'").run();
    outbox.add('c1', 'alert', { i: 9 });
    const dropped: number[] = [];
    const { port, setReady } = fakePort();
    setReady(false);
    const p = new OutboxPump({
      outbox,
      port,
      statusMessages: { get: () => undefined, set: () => undefined, delete: () => undefined },
      log,
      // 5 waiting, 3 kept: the cut falls in the burst, which cannot be opened.
      limits: { maxAgeMs: 3_600_000, maxRows: 3 },
      metrics: {
        delivered: () => undefined,
        failed: () => undefined,
        dropped: (n) => dropped.push(n),
      },
    });
    p.start();
    expect(dropped).toEqual([4]);
    expect(outbox.depth).toBe(1);
    await p.stop();
  });

  it('starts a worker for a channel its first row is queued for, others keeping their pace', async () => {
    const outbox = new Outbox(openDatabase(':memory:'));
    const { port, posts } = fakePort({ fitMax: 1 });
    const p = pump(port, outbox, 300);
    p.start();
    outbox.add('c1', 'alert', {});
    outbox.add('c1', 'alert', {});
    p.queued('c1');
    await waitFor(() => posts.length === 1, 3000);
    // c1 now waits 300 ms for its next slot; a first row for c2 goes out at once.
    outbox.add('c2', 'alert', {});
    p.queued('c2');
    await waitFor(() => posts.length === 2, 3000);
    expect(posts.map((m) => m.channelId)).toEqual(['c1', 'c2']);
    expect(posts[1]!.at - posts[0]!.at).toBeLessThan(300);
    await waitFor(() => outbox.depth === 0, 3000);
    expect(posts[2]!.at - posts[0]!.at).toBeGreaterThanOrEqual(295);
    await p.stop();
  });

  it('keeps one message per interval per channel', async () => {
    const outbox = new Outbox(openDatabase(':memory:'));
    const { port, posts } = fakePort({ fitMax: 1 });
    const p = pump(port, outbox, 100);
    for (let i = 0; i < 5; i++) outbox.add('c1', 'alert', { i });
    p.start();
    await waitFor(() => outbox.depth === 0, 5000);
    await p.stop();
    for (let i = 1; i < posts.length; i++)
      expect(posts[i]!.at - posts[i - 1]!.at).toBeGreaterThanOrEqual(95);
  });

  it('retries a failed send with the same rows and nonce, and loses nothing', async () => {
    const outbox = new Outbox(openDatabase(':memory:'));
    const { port, posts } = fakePort({ failFirst: 3 });
    const p = pump(port, outbox, 10);
    const ids = [1, 2, 3].map((i) => outbox.add('c1', 'alert', { i }));
    p.start();
    await waitFor(() => outbox.depth === 0, 5000);
    await p.stop();
    expect(posts).toMatchObject([{ ids, nonce: `b${ids[0]}` }]);
  });

  it('gives the first message of a new database a nonce a previous one did not use', async () => {
    const nonces: string[] = [];
    for (let run = 0; run < 2; run++) {
      // DATA_DIR wiped: row ids start at 1 again.
      const outbox = new Outbox(openDatabase(':memory:'));
      const { port, posts } = fakePort();
      const p = new OutboxPump({
        outbox,
        port,
        statusMessages: { get: () => undefined, set: () => undefined, delete: () => undefined },
        log,
        limits: { maxAgeMs: 60_000, maxRows: 100 },
      });
      outbox.add('c1', 'alert', { run });
      p.start();
      await waitFor(() => outbox.depth === 0, 5000);
      await p.stop();
      nonces.push(posts[0]!.nonce);
    }
    expect(nonces[0]).not.toBe(nonces[1]);
    for (const nonce of nonces) expect(nonce.length).toBeLessThanOrEqual(25);
  });

  it('waits while Discord is not ready', async () => {
    const outbox = new Outbox(openDatabase(':memory:'));
    const { port, posts, setReady } = fakePort();
    setReady(false);
    const p = pump(port, outbox, 10);
    outbox.add('c1', 'alert', {});
    p.start();
    await new Promise((r) => setTimeout(r, 300));
    expect(posts).toHaveLength(0);
    setReady(true);
    p.notify();
    await waitFor(() => posts.length === 1, 3000);
    await p.stop();
  });

  it('does not poll while Discord is down: the gateway coming back wakes it', async () => {
    jest.useFakeTimers();
    try {
      const outbox = new Outbox(openDatabase(':memory:'));
      const { port, posts, setReady, readyChecks } = fakePort();
      setReady(false);
      const p = pump(port, outbox, 10);
      outbox.add('c1', 'alert', {});
      p.start();
      const asked = readyChecks();
      await jest.advanceTimersByTimeAsync(60_000);
      expect(readyChecks()).toBe(asked);
      expect(posts).toHaveLength(0);
      setReady(true);
      p.notify();
      await jest.advanceTimersByTimeAsync(0);
      expect(posts).toHaveLength(1);
      await p.stop();
    } finally {
      jest.useRealTimers();
    }
  });

  it('resends an interrupted batch exactly, after a restart', async () => {
    const db = openDatabase(':memory:');
    const outbox = new Outbox(db);
    const a = outbox.add('c1', 'alert', {});
    const b = outbox.add('c1', 'alert', {});
    outbox.add('c1', 'alert', {});
    // A previous run froze a and b into one message, then died before Discord answered.
    outbox.assignBatch([a, b], `b${a}`);
    const { port, posts } = fakePort();
    const p = pump(port, outbox, 10);
    p.start();
    await waitFor(() => outbox.depth === 0, 3000);
    await p.stop();
    expect(posts[0]).toMatchObject({ ids: [a, b], nonce: `b${a}` });
    expect(posts.flatMap((m) => m.ids)).toHaveLength(3);
  });

  it('edits one status message per key, showing only the latest', async () => {
    const outbox = new Outbox(openDatabase(':memory:'));
    const { port, posts, edits } = fakePort();
    const p = pump(port, outbox, 10);
    outbox.add('c1', 'status', { statusKey: 'k' }, 'k');
    p.start();
    await waitFor(() => posts.length === 1, 3000);
    outbox.add('c1', 'status', { statusKey: 'k' }, 'k');
    const last = outbox.add('c1', 'status', { statusKey: 'k' }, 'k');
    p.notify();
    await waitFor(() => outbox.depth === 0, 3000);
    await p.stop();
    expect(posts).toHaveLength(1);
    expect(edits).toEqual([{ messageId: 'm1', id: last }]);
  });

  it('spends no send slot on a status a newer one superseded', async () => {
    const outbox = new Outbox(openDatabase(':memory:'));
    outbox.add('c1', 'status', { statusKey: 'k' }, 'k');
    const latest = outbox.add('c1', 'status', { statusKey: 'k' }, 'k');
    expect(await firstPostIds(outbox)).toEqual([latest]);
  });

  it('puts rows of one kind in a message, never two kinds together', async () => {
    const outbox = new Outbox(openDatabase(':memory:'));
    const { port, posts } = fakePort();
    const p = pump(port, outbox, 10);
    const a = outbox.add('c1', 'alert', {});
    const b = outbox.add('c1', 'alert', {});
    const n = outbox.add('c1', 'notice', {});
    const m = outbox.add('c1', 'message', {});
    const c = outbox.add('c1', 'alert', {});
    p.start();
    await waitFor(() => outbox.depth === 0, 3000);
    await p.stop();
    expect(posts.map((post) => post.ids)).toEqual([[a, b], [n], [m], [c]]);
  });

  it('supersedes by the status key column alone, whatever the payload says', async () => {
    const outbox = new Outbox(openDatabase(':memory:'));
    // Payloads the pump must not read: only the column says which rows share a message.
    outbox.add('c1', 'status', { statusKey: 'other' }, 'k');
    const latest = outbox.add('c1', 'status', null, 'k');
    expect(await firstPostIds(outbox)).toEqual([latest]);
  });

  it('removes a message kept in place when its latest row says so, and forgets it', async () => {
    const outbox = new Outbox(openDatabase(':memory:'));
    const { port, posts, removals } = fakePort();
    const p = pump(port, outbox, 10);
    outbox.add('c1', 'tagged', {}, 'tag:washer');
    p.start();
    await waitFor(() => posts.length === 1, 3000);
    outbox.add('c1', 'tagged', { remove: true }, 'tag:washer');
    p.notify();
    await waitFor(() => removals.length === 1, 3000);
    // Removed and forgotten: the tag's next message is a new post.
    const again = outbox.add('c1', 'tagged', {}, 'tag:washer');
    p.notify();
    await waitFor(() => posts.length === 2, 3000);
    await p.stop();
    expect(removals).toEqual([{ channelId: 'c1', messageId: 'm1' }]);
    expect(posts[1]!.ids).toEqual([again]);
  });

  it('posts nothing for a tag posted and removed while Discord was away', async () => {
    const outbox = new Outbox(openDatabase(':memory:'));
    const { port, posts, removals, setReady } = fakePort();
    const p = pump(port, outbox, 10);
    setReady(false);
    p.start();
    outbox.add('c1', 'tagged', {}, 'tag:washer');
    outbox.add('c1', 'tagged', { remove: true }, 'tag:washer');
    const marker = outbox.add('c1', 'alert', {});
    setReady(true);
    p.notify();
    await waitFor(() => posts.length === 1, 3000);
    await p.stop();
    expect(posts[0]!.ids).toEqual([marker]);
    expect(removals).toEqual([]);
  });
});
