import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FakeDiscord } from '../fakes/discord/fake-discord.js';
import type { FakeHomeAssistant } from '../fakes/ha/fake-ha.js';
import { BotProcess } from './harness.js';
import {
  ALERT_CHANNEL_ID,
  DISCORD_TOKEN,
  expectDiscordRulesKept,
  GUILD_ID,
  HA_TOKEN,
  sendHa,
  startFakes,
} from './world.js';

/**
 * The add-on as the Supervisor runs it: options in options.json, SUPERVISOR_TOKEN in the
 * environment, and HA behind the Supervisor's proxy paths (/core/api/, /core/websocket).
 * Only the proxy's host differs: `ha_url` points at the fake instead of http://supervisor/core.
 */
function addonEnv(ha: FakeHomeAssistant, discord: FakeDiscord, options: Record<string, unknown>) {
  const dir = mkdtempSync(join(tmpdir(), 'hdb-addon-'));
  const file = join(dir, 'options.json');
  writeFileSync(file, JSON.stringify(options));
  return {
    ADDON_OPTIONS_FILE: file,
    SUPERVISOR_TOKEN: HA_TOKEN,
    DISCORD_API_URL: discord.apiUrl,
    HA_PING_INTERVAL_MS: '1000',
    // The add-on serves the health endpoint on 0.0.0.0:9464; a free port on loopback here.
    HEALTH_PORT: '0',
    HEALTH_HOST: '127.0.0.1',
  };
}

const options = (ha: FakeHomeAssistant) => ({
  discord_token: DISCORD_TOKEN,
  discord_guild_id: GUILD_ID,
  discord_alert_channel_id: ALERT_CHANNEL_ID,
  alert_entities: ['binary_sensor.*_door'],
  log_level: 'debug',
  // The harness reads JSON lines; the add-on's default is text (tested below).
  log_format: 'json',
  ha_url: `${ha.url}/core`,
});

describe('the Home Assistant add-on', () => {
  let ha: FakeHomeAssistant;
  let discord: FakeDiscord;

  beforeAll(async () => {
    ({ ha, discord } = await startFakes({ supervisorProxy: true }));
  });
  afterAll(async () => {
    await Promise.all([ha.stop(), discord.stop()]);
  });

  it('starts from its options and reaches HA through the Supervisor without a long-lived token', async () => {
    const bot = BotProcess.start(addonEnv(ha, discord, options(ha)), { entry: 'dist/addon.js' });
    try {
      const start = await bot.waitForMessage('starting ha-discord-bridge');
      expect(start).toMatchObject({ viaSupervisor: true, haUrl: `${ha.url}/core` });
      await bot.waitForMilestone('bridge.ready');
      await bot.waitForMilestone('ha.connected');
      const reply = await (
        await sendHa(discord, 'state', { entity: 'sensor.temp' })
      ).waitForReply();
      expect(reply.embeds[0].title).toContain('Temperature');
      ha.setState('binary_sensor.back_door', 'on');
      await discord.waitForMessage(
        (m) => m.channelId === ALERT_CHANNEL_ID && JSON.stringify(m.body).includes('Back Door'),
      );
      expectDiscordRulesKept(discord);
    } finally {
      expect((await bot.stop()).code).toBe(0);
    }
  });

  it("logs readable lines for HA's Log tab by default, and answers the watchdog's /livez", async () => {
    const { log_format: _json, ...defaults } = options(ha);
    const bot = BotProcess.start(addonEnv(ha, discord, defaults), { entry: 'dist/addon.js' });
    try {
      const ready = / INFO {2}bridge ready user=/;
      const end = Date.now() + 15_000;
      while (!ready.test(bot.output) && bot.running && Date.now() < end) {
        await new Promise((r) => setTimeout(r, 50));
      }
      const lines = bot.output.trimEnd().split('\n');
      expect(lines.find((l) => ready.test(l))).toMatch(
        /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} INFO {2}bridge ready /,
      );
      expect(lines.filter((l) => l.startsWith('{'))).toEqual([]);
      expect(bot.logs).toEqual([]);
      const url = / health endpoint listening: \S.* url=(http:\/\/127\.0\.0\.1:\d+)/.exec(
        bot.output,
      )?.[1];
      const live = await fetch(`${url}/livez`);
      expect(live.status).toBe(200);
    } finally {
      expect((await bot.stop()).code).toBe(0);
    }
  });

  it('runs the doctor with the same options', async () => {
    const run = BotProcess.start(addonEnv(ha, discord, options(ha)), {
      entry: 'dist/addon.js',
      args: ['doctor'],
    });
    const { code } = await run.exited;
    expect(run.output).toMatch(/\[ ok \] Configuration +valid: HA through the Supervisor/);
    expect(run.output).toMatch(/\[ ok \] Home Assistant websocket +logged in/);
    expect(code).toBe(0);
  });

  it('says which options are malformed and does not start', async () => {
    const bot = BotProcess.start(
      addonEnv(ha, discord, { ...options(ha), alert_entities: 'binary_sensor.x' }),
      { entry: 'dist/addon.js' },
    );
    const { code } = await bot.exited;
    expect(bot.output).toContain('alert_entities: must be a list of entity ids or globs');
    expect(bot.output).toContain("add-on's Configuration tab");
    expect(code).toBe(1);
  });

  it('names the add-on option when a setting is missing', async () => {
    const bot = BotProcess.start(addonEnv(ha, discord, { ...options(ha), discord_token: '' }), {
      entry: 'dist/addon.js',
    });
    const { code } = await bot.exited;
    expect(bot.output).toContain('discord_token (DISCORD_TOKEN): is required');
    expect(bot.output).not.toContain('.env.example');
    expect(code).toBe(1);
  });
});
