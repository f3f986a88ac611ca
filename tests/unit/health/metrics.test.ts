import { Registry } from 'prom-client';
import { createMetrics, METRIC_NAMES } from '../../../src/health/metrics.js';

function setup(depth = 3) {
  const registry = new Registry();
  const metrics = createMetrics(
    registry,
    {
      outboxDepth: () => depth,
      oldestUndeliveredSeconds: () => (depth > 0 ? 42.5 : 0),
      connected: (side) => side === 'ha',
    },
    '9.9.9',
  );
  return { registry, metrics };
}

async function value(registry: Registry, name: string, labels: Record<string, string> = {}) {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  const values = (metric?.values ?? []) as { value: number; labels: Record<string, unknown> }[];
  return values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))?.value;
}

describe('createMetrics', () => {
  it('exposes every documented metric on its own registry', async () => {
    const { registry } = setup();
    const text = await registry.metrics();
    for (const name of Object.values(METRIC_NAMES)) {
      const base = name.replace(/_total$/, '');
      expect(text).toContain(`# TYPE ${base}`);
    }
    expect(text).toContain('ha_discord_bridge_info{version="9.9.9"} 1');
    expect(text).toContain('process_resident_memory_bytes');
  });

  it('counts delivered alerts, and those that rode along in a message as coalesced', async () => {
    const { registry, metrics } = setup();
    metrics.delivered(1);
    metrics.delivered(5);
    metrics.failed(2);
    metrics.dropped(7);
    expect(await value(registry, METRIC_NAMES.sent)).toBe(6);
    expect(await value(registry, METRIC_NAMES.messages)).toBe(2);
    expect(await value(registry, METRIC_NAMES.coalesced)).toBe(4);
    expect(await value(registry, METRIC_NAMES.failed)).toBe(2);
    expect(await value(registry, METRIC_NAMES.dropped)).toBe(7);
  });

  it('labels events, queued rows, commands and reconnects', async () => {
    const { registry, metrics } = setup();
    metrics.haEvent('changed');
    metrics.haEvent('changed');
    metrics.queued('alert');
    metrics.commandHandled('watch add', 'ok', 0.2);
    metrics.commandHandled('watch add', 'error', 0.3);
    metrics.reconnected('discord');
    expect(await value(registry, METRIC_NAMES.haEvents, { kind: 'changed' })).toBe(2);
    expect(await value(registry, METRIC_NAMES.queued, { kind: 'alert' })).toBe(1);
    expect(
      await value(registry, METRIC_NAMES.commands, { command: 'watch add', outcome: 'error' }),
    ).toBe(1);
    expect(
      await value(registry, `${METRIC_NAMES.commandSeconds}`, { command: 'watch add' }),
    ).toBeDefined();
    expect(await value(registry, METRIC_NAMES.reconnects, { side: 'discord' })).toBe(1);
    expect(await value(registry, METRIC_NAMES.reconnects, { side: 'ha' })).toBe(0);
  });

  it('counts every kind of queued row, across reads', async () => {
    const { registry, metrics } = setup();
    for (const kind of ['alert', 'status', 'alert', 'notice', 'alert']) metrics.queued(kind);
    expect(await value(registry, METRIC_NAMES.queued, { kind: 'alert' })).toBe(3);
    expect(await value(registry, METRIC_NAMES.queued, { kind: 'status' })).toBe(1);
    expect(await value(registry, METRIC_NAMES.queued, { kind: 'notice' })).toBe(1);
    metrics.queued('alert');
    metrics.queued('status');
    // Nothing counted twice: each read hands over only what came since the last.
    expect(await value(registry, METRIC_NAMES.queued, { kind: 'alert' })).toBe(4);
    expect(await value(registry, METRIC_NAMES.queued, { kind: 'status' })).toBe(2);
  });

  it('counts every kind of HA event, across reads', async () => {
    const { registry, metrics } = setup();
    metrics.haEvent('changed');
    metrics.haEvent('added');
    metrics.haEvent('removed');
    metrics.haEvent('added');
    expect(await value(registry, METRIC_NAMES.haEvents, { kind: 'changed' })).toBe(1);
    expect(await value(registry, METRIC_NAMES.haEvents, { kind: 'added' })).toBe(2);
    expect(await value(registry, METRIC_NAMES.haEvents, { kind: 'removed' })).toBe(1);
    metrics.haEvent('changed');
    metrics.haEvent('changed');
    // Nothing counted twice: each read hands over only what came since the last.
    expect(await value(registry, METRIC_NAMES.haEvents, { kind: 'changed' })).toBe(3);
    expect(await value(registry, METRIC_NAMES.haEvents, { kind: 'added' })).toBe(2);
  });

  it('reads the outbox depth and connection states when scraped', async () => {
    const { registry } = setup(12);
    expect(await value(registry, METRIC_NAMES.outboxDepth)).toBe(12);
    expect(await value(registry, METRIC_NAMES.connected, { side: 'ha' })).toBe(1);
    expect(await value(registry, METRIC_NAMES.connected, { side: 'discord' })).toBe(0);
  });

  it('reads the age of the oldest undelivered alert when scraped', async () => {
    expect(await value(setup(3).registry, METRIC_NAMES.oldestUndelivered)).toBe(42.5);
    expect(await value(setup(0).registry, METRIC_NAMES.oldestUndelivered)).toBe(0);
  });

  it('puts a command of 1.5 ms in a bucket of its own, not the first one', async () => {
    const { registry, metrics } = setup();
    metrics.commandHandled('state', 'ok', 0.0015);
    const bucket = (le: number) =>
      value(registry, `${METRIC_NAMES.commandSeconds}`, { command: 'state', le: le as never });
    expect(await bucket(0.001)).toBe(0);
    expect(await bucket(0.0025)).toBe(1);
    expect(await bucket(0.0005)).toBe(0);
  });

  it('times HA commands by type and outcome', async () => {
    const { registry, metrics } = setup();
    metrics.haCall('call_service', 'ok', 0.004);
    metrics.haCall('call_service', 'timeout', 10);
    const text = await registry.metrics();
    expect(text).toContain(
      `${METRIC_NAMES.haCallSeconds}_count{type="call_service",outcome="ok"} 1`,
    );
    expect(text).toContain(
      `${METRIC_NAMES.haCallSeconds}_bucket{le="0.005",type="call_service",outcome="ok"} 1`,
    );
    expect(text).toContain(
      `${METRIC_NAMES.haCallSeconds}_count{type="call_service",outcome="timeout"} 1`,
    );
  });

  it('counts Discord 429s by scope, from zero', async () => {
    const { registry, metrics } = setup();
    expect(await value(registry, METRIC_NAMES.discordRateLimited, { scope: 'global' })).toBe(0);
    metrics.discordRateLimited('user');
    expect(await value(registry, METRIC_NAMES.discordRateLimited, { scope: 'user' })).toBe(1);
  });
});
