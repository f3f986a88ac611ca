import { bridgeStatus, ConnectionTracker } from '../../../src/health/status.js';

describe('ConnectionTracker', () => {
  it('counts every connection after the first as a reconnect', () => {
    let now = 1000;
    const reconnects: number[] = [];
    const tracker = new ConnectionTracker(
      () => reconnects.push(now),
      () => now,
    );
    tracker.up();
    expect(tracker).toMatchObject({ connected: true, since: 1000, reconnects: 0 });
    now = 2000;
    tracker.down();
    tracker.down();
    expect(tracker).toMatchObject({ connected: false, since: 2000 });
    now = 3000;
    tracker.up();
    tracker.up();
    expect(tracker).toMatchObject({ connected: true, since: 3000, reconnects: 1 });
    expect(reconnects).toEqual([3000]);
  });
});

describe('bridgeStatus', () => {
  const up = () => {
    const t = new ConnectionTracker(undefined, () => Date.parse('2024-05-01T10:00:00Z'));
    t.up();
    return t;
  };
  const base = {
    version: '1.2.3',
    startedAt: Date.parse('2024-05-01T09:59:00Z'),
    now: Date.parse('2024-05-01T10:01:30Z'),
    outboxDepth: 4,
  };
  /** HA connected and running, as the status of its connection says it. */
  const HA_RUNNING = {
    kind: 'connected',
    haVersion: '2024.3.3',
    coreState: 'RUNNING',
    restarted: false,
  } as const;

  it('is ok only when both sides are connected, with detail for each', () => {
    const status = bridgeStatus({
      ...base,
      ha: { status: HA_RUNNING, tracker: up() },
      discord: { tracker: up(), pingMs: 41.6 },
    });
    expect(status).toEqual({
      status: 'ok',
      version: '1.2.3',
      startedAt: '2024-05-01T09:59:00.000Z',
      uptimeSeconds: 150,
      homeAssistant: {
        connected: true,
        state: 'connected',
        version: '2024.3.3',
        coreState: 'RUNNING',
        since: '2024-05-01T10:00:00.000Z',
        reconnects: 0,
      },
      discord: {
        connected: true,
        state: 'connected',
        pingMs: 42,
        since: '2024-05-01T10:00:00.000Z',
        reconnects: 0,
      },
      outbox: { depth: 4 },
    });
  });

  it('is degraded while HA is away or its token was rejected, and before Discord is ready', () => {
    const haDown = bridgeStatus({
      ...base,
      ha: { status: { kind: 'disconnected', reason: 'connection lost' }, tracker: up() },
      discord: { tracker: up(), pingMs: 40 },
    });
    expect(haDown.status).toBe('degraded');
    expect(haDown.homeAssistant).toMatchObject({ connected: false, state: 'disconnected' });
    const rejected = bridgeStatus({
      ...base,
      ha: { status: { kind: 'auth_invalid', message: 'Invalid' }, tracker: up() },
      discord: { tracker: up(), pingMs: 40 },
    });
    expect(rejected.homeAssistant.state).toBe('auth_invalid');
    const starting = bridgeStatus({
      ...base,
      ha: { status: HA_RUNNING, tracker: up() },
      discord: { tracker: new ConnectionTracker(), pingMs: -1 },
    });
    expect(starting.status).toBe('degraded');
    expect(starting.discord).toEqual({ connected: false, state: 'connecting', reconnects: 0 });
  });

  it('says why a side could not be reached while it is not connected', () => {
    const discord = new ConnectionTracker(undefined, () => Date.parse('2024-05-01T10:00:00Z'));
    const ha = new ConnectionTracker(undefined, () => Date.parse('2024-05-01T10:00:00Z'));
    discord.failed('DNS lookup failed: getaddrinfo EAI_AGAIN discord.com');
    ha.failed('connection refused: connect ECONNREFUSED 10.0.0.2:8123');
    const input = {
      ...base,
      ha: { status: { kind: 'connecting' as const }, tracker: ha },
      discord: { tracker: discord, pingMs: -1 },
    };
    const away = bridgeStatus(input);
    expect(away.discord).toEqual({
      connected: false,
      state: 'unreachable',
      reconnects: 0,
      lastError: 'DNS lookup failed: getaddrinfo EAI_AGAIN discord.com',
    });
    expect(away.homeAssistant).toMatchObject({
      connected: false,
      state: 'connecting',
      lastError: 'connection refused: connect ECONNREFUSED 10.0.0.2:8123',
    });

    discord.up();
    expect(bridgeStatus(input).discord).toEqual({
      connected: true,
      state: 'connected',
      since: '2024-05-01T10:00:00.000Z',
      reconnects: 0,
    });
    discord.down();
    expect(bridgeStatus(input).discord.state).toBe('disconnected');
  });
});
