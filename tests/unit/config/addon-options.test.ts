import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import {
  ADDON_DEFAULTS,
  ADDON_HEALTH_PORT,
  ADDON_OPTIONS,
  addonEnv,
  inAddonTerms,
} from '../../../src/config/addon-options.js';
import { loadConfig } from '../../../src/config/load.js';
import { EnvSchema } from '../../../src/config/schema.js';

interface AddonConfig {
  options: Record<string, unknown>;
  schema: Record<string, unknown>;
  ports: Record<string, unknown>;
  homeassistant_api: boolean;
  version: string;
}

const addonConfig = parse(readFileSync('addon/config.yaml', 'utf8')) as AddonConfig;

describe('addonEnv: the add-on options become the bot settings', () => {
  it('maps every option to its variable, lists joined, relative files under /config', () => {
    const result = addonEnv({
      discord_token: 'discord-token-123456',
      discord_guild_id: '123456789012345678',
      discord_alert_channel_id: '223456789012345678',
      alert_entities: ['binary_sensor.*_door', ' sensor.temp '],
      config_file: 'rules.yaml',
      outbox_max_age: '12h',
      outbox_max_rows: 5000,
      ha_state_wait_ms: 3000,
      log_level: 'debug',
      log_format: 'json',
    });
    expect(result).toEqual({
      ok: true,
      env: {
        DATA_DIR: '/data',
        LOG_FORMAT: 'json',
        DISCORD_TOKEN: 'discord-token-123456',
        DISCORD_GUILD_ID: '123456789012345678',
        DISCORD_ALERT_CHANNEL_ID: '223456789012345678',
        ALERT_ENTITIES: 'binary_sensor.*_door,sensor.temp',
        CONFIG_FILE: '/config/rules.yaml',
        OUTBOX_MAX_AGE: '12h',
        OUTBOX_MAX_ROWS: '5000',
        HA_STATE_WAIT_MS: '3000',
        LOG_LEVEL: 'debug',
        HEALTH_PORT: String(ADDON_HEALTH_PORT),
        HEALTH_HOST: '0.0.0.0',
      },
    });
  });

  it("logs text lines for HA's Log tab and serves the health endpoint for the watchdog", () => {
    expect(addonEnv({ discord_token: 'x-token-123456' })).toEqual({
      ok: true,
      env: {
        DATA_DIR: '/data',
        LOG_FORMAT: 'text',
        HEALTH_PORT: String(ADDON_HEALTH_PORT),
        HEALTH_HOST: '0.0.0.0',
        DISCORD_TOKEN: 'x-token-123456',
      },
    });
  });

  it('leaves empty options unset so the bot defaults apply', () => {
    const result = addonEnv({
      discord_token: 'x-token-123456',
      discord_guild_id: '',
      alert_entities: [],
      config_file: '',
      log_format: '',
    });
    expect(result).toEqual({
      ok: true,
      env: { ...ADDON_DEFAULTS, DISCORD_TOKEN: 'x-token-123456' },
    });
  });

  it('maps the audit and HA -> Discord options, a logbook switch included', () => {
    expect(
      addonEnv({
        discord_audit_channel_id: '833333333333333333',
        ha_command_event: 'off',
        ha_logbook: false,
        ha_send_channels: 'any',
      }),
    ).toEqual({
      ok: true,
      env: expect.objectContaining({
        DISCORD_AUDIT_CHANNEL_ID: '833333333333333333',
        HA_COMMAND_EVENT: 'off',
        HA_LOGBOOK: 'false',
        HA_SEND_CHANNELS: 'any',
      }) as Record<string, string>,
    });
    expect(addonEnv({ ha_logbook: 'yes' })).toEqual({
      ok: false,
      problems: ['ha_logbook: must be true or false'],
    });
  });

  it('keeps an absolute config file path', () => {
    const result = addonEnv({ config_file: '/share/bridge/rules.yaml' });
    expect(result.ok && result.env.CONFIG_FILE).toBe('/share/bridge/rules.yaml');
  });

  it('lists every malformed option at once', () => {
    const result = addonEnv({
      alert_entities: 'sensor.temp',
      ha_logbook: 'yes',
      log_level: {},
    });
    expect(result).toEqual({
      ok: false,
      problems: [
        'alert_entities: must be a list of entity ids or globs',
        'ha_logbook: must be true or false',
        'log_level: must be a single value',
      ],
    });
    expect(addonEnv(null)).toEqual({ ok: false, problems: [expect.stringContaining('object')] });
  });

  it('ignores options it does not know (the Supervisor drops retired ones too)', () => {
    expect(addonEnv({ retired_option: 1, health_endpoint: true })).toEqual({
      ok: true,
      env: ADDON_DEFAULTS,
    });
  });
});

describe('addon/config.yaml', () => {
  it('declares exactly the options the bot maps, and only real settings', () => {
    expect(Object.keys(addonConfig.schema).sort()).toEqual(Object.keys(ADDON_OPTIONS).sort());
    const known = new Set(Object.keys(EnvSchema.shape));
    for (const name of Object.values(ADDON_OPTIONS)) expect(known).toContain(name);
  });

  it('starts with valid settings from its defaults plus the Supervisor token and a bot token', () => {
    const mapped = addonEnv({ ...addonConfig.options, discord_token: 'discord-token-123456' });
    if (!mapped.ok) throw new Error(mapped.problems.join('; '));
    const result = loadConfig({ ...mapped.env, SUPERVISOR_TOKEN: 'supervisor-token-abc' });
    if (!result.ok) throw new Error(result.problems.join('; '));
    expect(result.config.ha.viaSupervisor).toBe(true);
    expect(result.config.ha.websocketUrl).toBe('ws://supervisor/core/websocket');
    expect(result.config.dataDir).toBe('/data');
  });

  it('asks for the HA API through the Supervisor and exposes the health port it maps', () => {
    expect(addonConfig.homeassistant_api).toBe(true);
    expect(Object.keys(addonConfig.ports)).toEqual([`${ADDON_HEALTH_PORT}/tcp`]);
  });

  it('documents and names every option (DOCS.md and the translations)', () => {
    const rows = readFileSync('addon/DOCS.md', 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('| `'));
    const names = parse(readFileSync('addon/translations/en.yaml', 'utf8')) as {
      configuration: Record<string, { name: string; description: string }>;
    };
    for (const [option, setting] of Object.entries(ADDON_OPTIONS)) {
      const row = rows.find((r) => r.split('|')[1]!.includes(`\`${option}\``));
      expect([option, row?.split('|')[2]]).toEqual([option, expect.stringContaining(setting)]);
      expect(names.configuration[option]?.name).toBeTruthy();
    }
  });

  it('has the same version as package.json', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    expect(addonConfig.version).toBe(pkg.version);
  });
});

describe('inAddonTerms', () => {
  it('names the option a user sees next to the setting', () => {
    expect(inAddonTerms('DISCORD_TOKEN: is required')).toBe(
      'discord_token (DISCORD_TOKEN): is required',
    );
    expect(inAddonTerms('LOG_FORMAT: invalid')).toBe('log_format (LOG_FORMAT): invalid');
    expect(inAddonTerms('SUPERVISOR_TOKEN: odd')).toBe('SUPERVISOR_TOKEN: odd');
  });
});
