import { loadConfig } from '../../../src/config/load.js';
import { SUPERVISOR_CORE_URL, websocketUrl } from '../../../src/config/supervisor.js';

const discord = { DISCORD_TOKEN: 'discord-token-123456' };

describe('running as a Home Assistant add-on (SUPERVISOR_TOKEN)', () => {
  it('uses the Supervisor token and proxy when no HA token or URL is given', () => {
    const result = loadConfig({ ...discord, SUPERVISOR_TOKEN: 'supervisor-token-abc' });
    if (!result.ok) throw new Error(result.problems.join('; '));
    expect(result.config.ha).toMatchObject({
      url: SUPERVISOR_CORE_URL,
      token: 'supervisor-token-abc',
      viaSupervisor: true,
      // The Supervisor proxies the websocket at /core/websocket, not /core/api/websocket.
      websocketUrl: 'ws://supervisor/core/websocket',
    });
  });

  it('keeps an explicit HA_URL with the Supervisor token', () => {
    const result = loadConfig({
      ...discord,
      SUPERVISOR_TOKEN: 'supervisor-token-abc',
      HA_URL: 'http://127.0.0.1:9999/core',
    });
    expect(result.ok && result.config.ha.websocketUrl).toBe('ws://127.0.0.1:9999/core/websocket');
  });

  it("prefers the user's own long-lived token, with HA's normal websocket path", () => {
    const result = loadConfig({
      ...discord,
      SUPERVISOR_TOKEN: 'supervisor-token-abc',
      HA_URL: 'http://homeassistant.local:8123',
      HA_TOKEN: 'own-token-abcdefgh',
    });
    if (!result.ok) throw new Error(result.problems.join('; '));
    expect(result.config.ha).toMatchObject({
      token: 'own-token-abcdefgh',
      viaSupervisor: false,
      websocketUrl: 'ws://homeassistant.local:8123/api/websocket',
    });
  });

  it('still requires HA_URL when the user gives their own token', () => {
    const result = loadConfig({
      ...discord,
      SUPERVISOR_TOKEN: 'supervisor-token-abc',
      HA_TOKEN: 'own-token-abcdefgh',
    });
    expect(!result.ok && result.problems.some((p) => p.startsWith('HA_URL:'))).toBe(true);
  });

  it('requires HA_URL and HA_TOKEN outside an add-on', () => {
    const result = loadConfig({ ...discord });
    expect(!result.ok && result.problems.map((p) => p.split(':')[0])).toEqual(
      expect.arrayContaining(['HA_URL', 'HA_TOKEN']),
    );
  });
});

describe('websocketUrl', () => {
  it("appends HA's path, keeping TLS and any base path", () => {
    expect(websocketUrl('https://ha.example.com/', false)).toBe(
      'wss://ha.example.com/api/websocket',
    );
    expect(websocketUrl('http://10.0.0.2:8123', false)).toBe('ws://10.0.0.2:8123/api/websocket');
    expect(websocketUrl('http://supervisor/core', true)).toBe('ws://supervisor/core/websocket');
  });
});

describe('health and log settings', () => {
  const base = { ...discord, HA_URL: 'http://ha:8123', HA_TOKEN: 'ha-token-abcdefgh' };

  it('leaves the health endpoint off by default and binds it to loopback when on', () => {
    const off = loadConfig(base);
    expect(off.ok && off.config.health).toBeUndefined();
    const on = loadConfig({ ...base, HEALTH_PORT: '9464' });
    expect(on.ok && on.config.health).toEqual({ port: 9464, host: '127.0.0.1' });
    const exposed = loadConfig({ ...base, HEALTH_PORT: '9464', HEALTH_HOST: '0.0.0.0' });
    expect(exposed.ok && exposed.config.health).toEqual({ port: 9464, host: '0.0.0.0' });
  });

  it('rejects a port out of range and an unknown log format, naming the settings', () => {
    const result = loadConfig({ ...base, HEALTH_PORT: '70000', LOG_FORMAT: 'xml' });
    expect(!result.ok && result.problems.map((p) => p.split(':')[0])).toEqual([
      'HEALTH_PORT',
      'LOG_FORMAT',
    ]);
  });

  it('logs in the automatic format by default', () => {
    const result = loadConfig(base);
    expect(result.ok && result.config.logFormat).toBe('auto');
  });
});
