import { aboutEmbed, formatUptime } from '../../../src/commands/about.js';
import { timed } from '../../../src/commands/instrument.js';
import type { BridgeStatus } from '../../../src/health/status.js';

describe('formatUptime', () => {
  it('shows the two largest units', () => {
    expect(formatUptime(0)).toBe('0 s');
    expect(formatUptime(42)).toBe('42 s');
    expect(formatUptime(725)).toBe('12 min 5 s');
    expect(formatUptime(5 * 3600)).toBe('5 h');
    expect(formatUptime(3 * 86_400 + 4 * 3600 + 59)).toBe('3 d 4 h');
  });
});

describe('aboutEmbed', () => {
  const status: BridgeStatus = {
    status: 'ok',
    version: '0.1.0',
    startedAt: '2024-05-01T10:00:00.000Z',
    uptimeSeconds: 3700,
    homeAssistant: {
      connected: true,
      state: 'connected',
      version: '2024.3.3',
      coreState: 'RUNNING',
      since: '2024-05-01T10:00:05.000Z',
      reconnects: 2,
    },
    discord: {
      connected: true,
      state: 'connected',
      pingMs: 42,
      since: '2024-05-01T10:00:01.000Z',
      reconnects: 0,
    },
    outbox: { depth: 3 },
  };

  it('shows version, uptime, both sides, reconnects and the outbox', () => {
    const embed = aboutEmbed(status);
    expect(embed.title).toBe('ha-discord-bridge 0.1.0');
    const fields = Object.fromEntries((embed.fields ?? []).map((f) => [f.name, f.value]));
    expect(fields.Uptime).toMatch(/^1 h 1 min \(started <t:\d+:R>\)$/);
    expect(fields['Home Assistant']).toMatch(/^Connected · 2024\.3\.3 · since <t:\d+:R>$/);
    expect(fields.Discord).toMatch(/^Connected · ping 42 ms · since <t:\d+:R>$/);
    expect(fields.Reconnects).toBe('Home Assistant 2 · Discord 0');
    expect(fields['Alerts waiting']).toBe('3');
  });

  it('shows managers whose HA token the bot holds and when it expires, never the token', () => {
    const now = Date.parse('2025-01-31T12:00:00Z');
    const embed = aboutEmbed(
      status,
      {
        user: { name: 'Bot', isAdmin: false, isOwner: false },
        token: { name: 'ha-discord-bridge', type: 'long_lived_access_token', createdAt: now },
        expiresAt: now + 10 * 86_400_000,
      },
      now,
    );
    const field = (embed.fields ?? []).find((f) => f.name === 'Home Assistant token');
    expect(field?.value).toMatch(
      /^user "Bot" \(not an administrator\) · long-lived token "ha-discord-bridge" created 2025-01-31 · expires in 10 days \(2025-02-10\)\n/,
    );
    expect(field?.value).toMatch(/these are off: the audit event/);
    expect(aboutEmbed(status).fields?.some((f) => f.name === 'Home Assistant token')).toBe(false);
  });

  it('says when HA is away or refused the token', () => {
    const away = aboutEmbed({
      ...status,
      status: 'degraded',
      homeAssistant: { connected: false, state: 'disconnected', reconnects: 2 },
    });
    expect(away.fields?.[1]?.value).toBe('Disconnected, reconnecting');
    const rejected = aboutEmbed({
      ...status,
      homeAssistant: { connected: false, state: 'auth_invalid', reconnects: 0 },
    });
    expect(rejected.fields?.[1]?.value).toContain('HA_TOKEN');
  });
});

describe('timed', () => {
  it('times each command by its key and tells ok from a thrown error', async () => {
    const seen: [string, string, number][] = [];
    let clock = 0;
    const metrics = {
      commandHandled: (...args: [string, string, number]) => void seen.push(args),
    };
    await timed(
      metrics,
      'watch add',
      () => {
        clock += 250;
        return Promise.resolve();
      },
      () => clock,
    );
    await expect(
      timed(
        metrics,
        'state',
        () => {
          clock += 1000;
          return Promise.reject(new Error('boom'));
        },
        () => clock,
      ),
    ).rejects.toThrow('boom');
    expect(seen).toEqual([
      ['watch add', 'ok', 0.25],
      ['state', 'error', 1],
    ]);
  });
});
