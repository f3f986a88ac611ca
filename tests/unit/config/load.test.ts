import { describeProblems, loadConfig } from '../../../src/config/load.js';

const valid = {
  DISCORD_TOKEN: 'discord-token-123456',
  DISCORD_GUILD_ID: '123456789012345678',
  DISCORD_ALERT_CHANNEL_ID: '223456789012345678',
  HA_URL: 'http://homeassistant.local:8123/',
  HA_TOKEN: 'ha-token-abcdefgh',
};

describe('loadConfig', () => {
  it('accepts a complete environment and applies defaults', () => {
    const result = loadConfig(valid);
    if (!result.ok) throw new Error(result.problems.join('; '));
    expect(result.config.ha.url).toBe('http://homeassistant.local:8123');
    expect(result.config.dataDir).toBe('./data');
    expect(result.config.logLevel).toBe('info');
    expect(result.config.discord.apiUrl).toBeUndefined();
    expect(result.config.alerts.entities).toEqual([]);
    expect(result.config.alerts.minIntervalMs).toBe(1000);
  });

  it('takes the gap between two messages in a channel as a duration', () => {
    const ok = loadConfig({ ...valid, OUTBOX_MIN_INTERVAL_MS: '2s' });
    if (!ok.ok) throw new Error(ok.problems.join('; '));
    expect(ok.config.alerts.minIntervalMs).toBe(2000);
    const bad = loadConfig({ ...valid, OUTBOX_MIN_INTERVAL_MS: 'soon' });
    expect(bad.ok ? [] : bad.problems).toEqual([expect.stringMatching(/^OUTBOX_MIN_INTERVAL_MS/)]);
  });

  it('lists every problem at once', () => {
    const result = loadConfig({
      HA_URL: 'homeassistant',
      DISCORD_GUILD_ID: 'abc',
      LOG_LEVEL: 'loud',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const names = result.problems.map((p) => p.split(':')[0]);
    expect(names).toEqual(
      expect.arrayContaining([
        'DISCORD_TOKEN',
        'HA_URL',
        'HA_TOKEN',
        'DISCORD_GUILD_ID',
        'LOG_LEVEL',
      ]),
    );
    expect(describeProblems(result.problems)).toContain('.env.example');
  });

  it('treats empty optional values as unset', () => {
    const result = loadConfig({ ...valid, DISCORD_GUILD_ID: '', DISCORD_API_URL: '' });
    expect(result.ok && result.config.discord.guildId).toBeUndefined();
  });

  it('reads the token from HA_TOKEN_FILE for Docker secrets', () => {
    const result = loadConfig(
      { ...valid, HA_TOKEN: undefined, HA_TOKEN_FILE: '/run/secrets/ha' },
      (path) => {
        expect(path).toBe('/run/secrets/ha');
        return 'secret-from-file\n';
      },
    );
    expect(result.ok && result.config.ha.token).toBe('secret-from-file');
  });

  it('takes HA_TOKEN_ROTATE_DAYS (off by default) only with HA_TOKEN_FILE', () => {
    const plain = loadConfig(valid);
    expect(plain.ok && plain.config.ha.rotateDays).toBeUndefined();
    const file = { ...valid, HA_TOKEN: undefined, HA_TOKEN_FILE: '/secrets/ha' };
    const rotating = loadConfig({ ...file, HA_TOKEN_ROTATE_DAYS: '30' }, () => 't\n');
    expect(rotating.ok && rotating.config.ha).toMatchObject({
      rotateDays: 30,
      tokenFile: '/secrets/ha',
    });
    expect(loadConfig({ ...valid, HA_TOKEN_ROTATE_DAYS: '30' })).toEqual({
      ok: false,
      problems: [
        'HA_TOKEN_ROTATE_DAYS: needs HA_TOKEN_FILE: the bot writes each new token there (a file it may write)',
      ],
    });
    const zero = loadConfig({ ...file, HA_TOKEN_ROTATE_DAYS: '0' }, () => 't');
    expect(!zero.ok && zero.problems).toEqual(['HA_TOKEN_ROTATE_DAYS: must be at least 1 day']);
  });

  it('refuses HA_TOKEN and HA_TOKEN_FILE together, naming both', () => {
    let read = false;
    const result = loadConfig({ ...valid, HA_TOKEN_FILE: '/run/secrets/ha_token' }, () => {
      read = true;
      return 'secret-from-file';
    });
    expect(!result.ok && result.problems).toEqual([
      'HA_TOKEN: set together with HA_TOKEN_FILE: set only one. With Docker Compose (which sets HA_TOKEN_FILE), leave HA_TOKEN empty in .env',
    ]);
    expect(read).toBe(false);
    // .env.example's empty HA_TOKEN= is unset: the file is read.
    const compose = loadConfig(
      { ...valid, HA_TOKEN: '', HA_TOKEN_FILE: '/run/secrets/ha_token' },
      () => 'secret-from-file',
    );
    expect(compose.ok && compose.config.ha.token).toBe('secret-from-file');
  });

  it('says when HA_TOKEN_FILE cannot be read', () => {
    const result = loadConfig({ ...valid, HA_TOKEN: undefined, HA_TOKEN_FILE: '/nope' }, () => {
      throw Object.assign(new Error('gone'), { code: 'ENOENT' });
    });
    expect(!result.ok && result.problems).toContainEqual(
      'HA_TOKEN_FILE: cannot read /nope (ENOENT)',
    );
  });

  it('parses ALERT_ENTITIES and requires an alert channel for them', () => {
    const ok = loadConfig({ ...valid, ALERT_ENTITIES: 'binary_sensor.*_door, sensor.temp' });
    expect(ok.ok && ok.config.alerts.entities).toEqual(['binary_sensor.*_door', 'sensor.temp']);
    const missing = loadConfig({
      ...valid,
      DISCORD_ALERT_CHANNEL_ID: '',
      ALERT_ENTITIES: 'sensor.temp',
    });
    expect(!missing.ok && missing.problems.join()).toContain('DISCORD_ALERT_CHANNEL_ID');
    const bad = loadConfig({ ...valid, ALERT_ENTITIES: 'not an entity' });
    expect(bad.ok).toBe(false);
  });

  it('never echoes a token in its problems', () => {
    const result = loadConfig({ ...valid, HA_URL: 'nope' });
    expect(!result.ok && result.problems.join()).not.toContain(valid.HA_TOKEN);
  });
});
