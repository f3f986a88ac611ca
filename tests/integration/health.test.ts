import { readFileSync } from 'node:fs';
import { BotProcess } from './harness.js';
import { ALERT_CHANNEL_ID, EPHEMERAL, sharedWorld } from './world.js';

const VERSION = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;

/** Polls `fn` until it resolves to something truthy; for state that arrives over a socket. */
async function eventually<T>(fn: () => Promise<T | undefined>, what: string, timeoutMs = 10_000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > end) throw new Error(`${what} not seen within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface Health {
  code: number;
  body: {
    status: string;
    version: string;
    homeAssistant: { connected: boolean; state: string; version?: string; reconnects: number };
    discord: { connected: boolean; reconnects: number };
    outbox: { depth: number };
  };
}

describe('the health endpoint and metrics of the running bot', () => {
  const world = sharedWorld({ env: { HEALTH_PORT: '0' } });
  let base = '';

  /** Readiness: /readyz, or /healthz, its older name. */
  const health = async (path = '/readyz'): Promise<Health> => {
    const res = await fetch(`${base}${path}`);
    return { code: res.status, body: (await res.json()) as Health['body'] };
  };
  /**
   * Readiness under its older name says the same as /readyz. Only asked while the state holds
   * still: two requests made while a side (re)connects may straddle the change.
   */
  const expectAliasAgrees = async (expected: Health) => {
    const alias = await health('/healthz');
    expect([alias.code, alias.body.status]).toEqual([expected.code, expected.body.status]);
  };
  const liveness = async () => {
    const res = await fetch(`${base}/livez`);
    return { code: res.status, body: (await res.json()) as { status: string } };
  };
  const metrics = async (): Promise<string> => (await fetch(`${base}/metrics`)).text();
  /** The value of one series in the Prometheus text, e.g. 'x_total{side="ha"}'. */
  const series = async (name: string): Promise<number | undefined> => {
    const line = (await metrics()).split('\n').find((l) => l.startsWith(`${name} `));
    return line === undefined ? undefined : Number(line.slice(name.length + 1));
  };

  /** The Docker image's HEALTHCHECK command, pointed at this bot: its exit code. */
  const dockerHealthcheck = async (): Promise<number | null> => {
    const check = BotProcess.start(
      { HEALTH_PORT: new URL(base).port, HEALTH_HOST: '0.0.0.0' },
      { entry: 'dist/healthcheck.js' },
    );
    return (await check.exited).code;
  };

  beforeAll(async () => {
    const line = await world().bot.waitForMilestone('health.listening');
    base = line.url as string;
    // Bound to loopback by default.
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('answers /readyz (and /healthz) 200 with both sides connected, and /livez 200', async () => {
    const ok = await eventually(async () => {
      const h = await health();
      return h.code === 200 ? h : undefined;
    }, '/readyz 200');
    expect(ok.body).toMatchObject({
      status: 'ok',
      version: VERSION,
      homeAssistant: { connected: true, state: 'connected', version: '2024.3.3', reconnects: 0 },
      discord: { connected: true, reconnects: 0 },
      outbox: { depth: 0 },
    });
    await expectAliasAgrees(ok);
    expect(await liveness()).toEqual({
      code: 200,
      body: expect.objectContaining({ status: 'ok' }),
    });
    expect(await dockerHealthcheck()).toBe(0);
  });

  it('serves Prometheus metrics and 404 for anything else', async () => {
    const res = await fetch(`${base}/metrics`);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toContain(`ha_discord_bridge_info{version="${VERSION}"} 1`);
    expect(text).toContain('ha_discord_bridge_connected{side="ha"} 1');
    expect(text).toContain('ha_discord_bridge_outbox_depth 0');
    expect((await fetch(`${base}/`)).status).toBe(404);
    expect((await fetch(`${base}/healthz`, { method: 'POST' })).status).toBe(405);
    expect((await fetch(`${base}/livez`, { method: 'HEAD' })).status).toBe(200);
  });

  it("times HA's commands by type and outcome", async () => {
    // The bot pings HA every second here (HA_PING_INTERVAL_MS=1000).
    await eventually(
      async () =>
        ((await series(
          'ha_discord_bridge_ha_call_duration_seconds_count{type="ping",outcome="ok"}',
        )) ?? 0) >= 1,
      'an HA ping in /metrics',
    );
    const calls =
      'ha_discord_bridge_ha_call_duration_seconds_count{type="call_service",outcome="ok"}';
    const before = (await series(calls)) ?? 0;
    await (await world().command('toggle', { target: 'light.kitchen_light' })).waitForReply();
    // The toggle, and its line in HA's logbook (HA_LOGBOOK).
    await eventually(
      async () => ((await series(calls)) ?? 0) >= before + 1,
      'the toggle service call in /metrics',
    );
  });

  it('counts the 429s Discord answers', async () => {
    const before =
      (await series('ha_discord_bridge_discord_rate_limited_total{scope="user"}')) ?? -1;
    expect(before).toBe(0);
    world().discord.setRestFailure({
      status: 429,
      count: 1,
      retryAfter: 0.1,
      routeIncludes: `/channels/${ALERT_CHANNEL_ID}/messages`,
    });
    world().ha.setState('binary_sensor.back_door', 'on');
    // discord.js waits out the 429 and sends the alert again.
    await world().discord.waitForMessage((m) => JSON.stringify(m.body).includes('Back Door'));
    await eventually(
      async () =>
        (await series('ha_discord_bridge_discord_rate_limited_total{scope="user"}')) === 1,
      'the 429 in /metrics',
    );
  });

  it('shows how long the oldest undelivered alert has waited', async () => {
    const age = () => series('ha_discord_bridge_outbox_oldest_age_seconds');
    expect(await age()).toBe(0);
    world().discord.setRestFailure({
      status: 503,
      routeIncludes: `/channels/${ALERT_CHANNEL_ID}/messages`,
    });
    try {
      const from = world().bot.logs.length;
      world().ha.setState('binary_sensor.back_door', 'off');
      await world().bot.waitForMilestone('outbox.delivery-failed', undefined, from);
      const waited = await eventually(async () => {
        const seconds = (await age()) ?? 0;
        return seconds > 0 ? seconds : undefined;
      }, 'an undelivered alert with an age');
      // It keeps aging while Discord fails.
      await eventually(async () => ((await age()) ?? 0) > waited, 'the age growing');
    } finally {
      world().discord.setRestFailure(null);
    }
    await eventually(async () => (await age()) === 0, 'the age back at 0 once delivered');
  });

  it('answers /ha about privately with version and connection states, and counts it', async () => {
    const reply = await (await world().command('about')).waitForReply();
    expect(reply.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(reply.embeds[0].title).toBe(`ha-discord-bridge ${VERSION}`);
    const fields = Object.fromEntries(
      reply.embeds[0].fields.map((f: { name: string; value: string }) => [f.name, f.value]),
    );
    expect(fields['Home Assistant']).toMatch(/^Connected · 2024\.3\.3/);
    expect(fields.Discord).toMatch(/^Connected/);
    await eventually(
      async () =>
        (await series('ha_discord_bridge_commands_total{command="about",outcome="ok"}')) === 1,
      'the about command in /metrics',
    );
    expect(await metrics()).toContain(
      'ha_discord_bridge_command_duration_seconds_count{command="about"} 1',
    );
  });

  it('counts HA state changes and the alerts they queue and send', async () => {
    const before =
      (await series('ha_discord_bridge_ha_events_received_total{kind="changed"}')) ?? 0;
    world().ha.setState('binary_sensor.front_door', 'on');
    await world().discord.waitForMessage((m) =>
      JSON.stringify(m.body).includes('binary_sensor.front_door'),
    );
    await eventually(
      async () => ((await series('ha_discord_bridge_alerts_sent_total')) ?? 0) >= 1,
      'a sent alert in /metrics',
    );
    expect(
      await series('ha_discord_bridge_alerts_queued_total{kind="alert"}'),
    ).toBeGreaterThanOrEqual(1);
    expect(
      await series('ha_discord_bridge_ha_events_received_total{kind="changed"}'),
    ).toBeGreaterThan(before);
  });

  it('is not ready while HA is away, yet alive, and counts the reconnect of each side', async () => {
    await world().ha.stop();
    const down = await eventually(async () => {
      const h = await health();
      return h.code === 503 ? h : undefined;
    }, '/readyz 503');
    expect(down.body.status).toBe('degraded');
    await expectAliasAgrees(down);
    expect(down.body.homeAssistant.connected).toBe(false);
    expect(down.body.discord.connected).toBe(true);
    // Liveness: a restart would not bring HA back, so Docker must not restart the bot.
    expect((await liveness()).code).toBe(200);
    expect(await dockerHealthcheck()).toBe(0);
    await world().ha.start();
    await eventually(async () => (await health()).code === 200, '/readyz 200 again');
    expect(await series('ha_discord_bridge_reconnects_total{side="ha"}')).toBe(1);

    world().discord.dropGateway();
    await eventually(
      async () => (await series('ha_discord_bridge_reconnects_total{side="discord"}')) === 1,
      'a Discord reconnect in /metrics',
    );
    expect((await health()).body.discord.reconnects).toBe(1);
  });
});
