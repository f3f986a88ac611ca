import { FakeDiscord } from '../fakes/discord/fake-discord.js';
import { FakeHomeAssistant } from '../fakes/ha/fake-ha.js';
import { BotProcess } from './harness.js';
import {
  ALERT_CHANNEL_ID,
  botEnv,
  CHANNEL_ID,
  DISCORD_TOKEN,
  GUILD_ID,
  HA_TOKEN,
  HOME,
  REVOKED_HA_TOKEN,
} from './world.js';

const SEND_MESSAGES = String(1 << 11);
const ATTACH_FILES = String(1 << 15);
const SNAPSHOT_CHANNEL_ID = '844444444444444444';

/**
 * Runs `npm run doctor`'s entry point against the fakes until it exits; `viaCli` runs it as
 * the Docker image does (`docker run IMAGE doctor`).
 */
async function doctor(
  ha: FakeHomeAssistant,
  discord: FakeDiscord,
  env: Record<string, string> = {},
  viaCli = false,
): Promise<{ code: number | null; output: string }> {
  const run = BotProcess.start(
    botEnv(ha, discord, env),
    viaCli ? { entry: 'dist/cli.js', args: ['doctor'] } : { entry: 'dist/doctor.js' },
  );
  const { code } = await run.exited;
  return { code, output: run.output };
}

/** The report line of one check, e.g. '[FAIL] Alert channel  #alerts …'. */
const line = (output: string, name: string) =>
  output.split('\n').find((l) => l.slice(7).startsWith(name)) ?? `(no line for ${name})`;

describe('npm run doctor against the fakes', () => {
  let ha: FakeHomeAssistant;
  let discord: FakeDiscord;

  beforeEach(async () => {
    ha = new FakeHomeAssistant({ token: HA_TOKEN, ...HOME });
    discord = new FakeDiscord({
      token: DISCORD_TOKEN,
      guilds: [
        {
          id: GUILD_ID,
          name: 'Home',
          channels: [
            { id: CHANNEL_ID, name: 'general' },
            // @everyone may not send in #alerts, and the bot has no role that may.
            {
              id: ALERT_CHANNEL_ID,
              name: 'alerts',
              overwrites: [{ id: GUILD_ID, type: 0, allow: '0', deny: SEND_MESSAGES }],
            },
            // The bot may post here, but not attach files.
            {
              id: SNAPSHOT_CHANNEL_ID,
              name: 'snapshots',
              overwrites: [{ id: GUILD_ID, type: 0, allow: '0', deny: ATTACH_FILES }],
            },
          ],
        },
      ],
    });
    await Promise.all([ha.start(), discord.start()]);
  });

  afterEach(async () => {
    await Promise.all([ha.stop(), discord.stop()]);
  });

  it('passes every check when everything is right, and exits 0', async () => {
    const { code, output } = await doctor(
      ha,
      discord,
      { DISCORD_ALERT_CHANNEL_ID: CHANNEL_ID },
      true,
    );
    expect(output).toContain('All checks passed.');
    expect(line(output, 'Home Assistant API')).toMatch(/^\[ ok \].*API running at http:\/\/127/);
    expect(line(output, 'Home Assistant websocket')).toMatch(
      /^\[ ok \].*logged in: Home Assistant 2024\.3\.3, RUNNING/,
    );
    expect(line(output, 'Discord bot token')).toMatch(/^\[ ok \].*logged in as HA Bridge/);
    expect(line(output, 'Discord server')).toMatch(/^\[ ok \].*the bot is in Home/);
    expect(line(output, 'Alert channel')).toMatch(
      /^\[ ok \].*#general .*can view, send, embed and attach files/,
    );
    expect(code).toBe(0);
    expect(output).not.toContain(HA_TOKEN);
    expect(output).not.toContain(DISCORD_TOKEN);
  });

  it('finds the channel where the bot may not send, and exits 1', async () => {
    const { code, output } = await doctor(ha, discord);
    expect(line(output, 'Alert channel')).toMatch(/^\[FAIL\].*#alerts .*missing Send Messages$/);
    expect(code).toBe(1);
  });

  it('finds an alert channel where the bot may not attach files (camera snapshots)', async () => {
    const { code, output } = await doctor(ha, discord, {
      DISCORD_ALERT_CHANNEL_ID: SNAPSHOT_CHANNEL_ID,
    });
    expect(line(output, 'Alert channel')).toMatch(/^\[FAIL\].*#snapshots .*missing Attach Files$/);
    expect(output).toContain('allow Attach Files');
    expect(code).toBe(1);
  });

  it('explains a rejected HA token and does not log in again over the websocket', async () => {
    const { code, output } = await doctor(ha, discord, { HA_TOKEN: REVOKED_HA_TOKEN });
    expect(line(output, 'Home Assistant API')).toMatch(/^\[FAIL\].*401: token rejected/);
    expect(output).toMatch(/copied incompletely/);
    expect(output).toMatch(/deleted \(revoked\) or has expired/);
    expect(line(output, 'Home Assistant websocket')).toMatch(/^\[skip\]/);
    expect(ha.authFailures).toBe(0);
    expect(code).toBe(1);
  });

  it('explains a 403 from HA as a banned address, naming ip_bans.yaml', async () => {
    ha.banned = true;
    const { code, output } = await doctor(ha, discord);
    expect(line(output, 'Home Assistant API')).toMatch(
      /^\[FAIL\].*403: Home Assistant refuses this address \(banned\?\)/,
    );
    expect(output).toMatch(/remove this machine's address from ip_bans\.yaml/);
    expect(code).toBe(1);
  });

  it('says when HA cannot be reached at all', async () => {
    await ha.stop();
    const { code, output } = await doctor(ha, discord);
    expect(line(output, 'Home Assistant API')).toMatch(/^\[FAIL\].*cannot reach/);
    expect(output).toMatch(/not running there, or the port is wrong/);
    expect(code).toBe(1);
  });

  it('explains a rejected Discord token', async () => {
    const { code, output } = await doctor(ha, discord, {
      DISCORD_TOKEN: 'reset-discord-token-0123456789',
    });
    expect(line(output, 'Discord bot token')).toMatch(/^\[FAIL\].*Discord rejected DISCORD_TOKEN/);
    expect(output).toMatch(/Reset Token/);
    expect(code).toBe(1);
  });

  it("gives advice about Discord, not Home Assistant, when Discord's host does not resolve", async () => {
    const { code, output } = await doctor(ha, discord, {
      DISCORD_API_URL: 'http://discord.invalid/api',
    });
    expect(line(output, 'Discord bot token')).toMatch(/^\[FAIL\].*cannot reach Discord/);
    const advice = output.slice(output.indexOf('cannot reach Discord'));
    expect(advice).toMatch(/discord\.invalid does not resolve/);
    expect(advice).toMatch(/DNS/);
    expect(advice).not.toMatch(/Home Assistant/);
    expect(code).toBe(1);
  });

  it('says when the bot is not in the configured server, with an invite link', async () => {
    const { code, output } = await doctor(ha, discord, {
      DISCORD_GUILD_ID: '877777777777777777',
      DISCORD_ALERT_CHANNEL_ID: CHANNEL_ID,
    });
    expect(line(output, 'Discord server')).toMatch(/^\[FAIL\].*not in server 877777777777777777/);
    expect(output).toContain(
      `https://discord.com/oauth2/authorize?client_id=${discord.applicationId}&scope=bot%20applications.commands&permissions=52224&guild_id=877777777777777777`,
    );
    expect(line(output, 'Alert channel')).toMatch(/^\[FAIL\].*in another server/);
    expect(code).toBe(1);
  });

  it('refuses an unknown command of the image entry point', async () => {
    const run = BotProcess.start({}, { entry: 'dist/cli.js', args: ['doctr'] });
    expect((await run.exited).code).toBe(2);
    expect(run.output).toContain('Use one of: start, doctor, deploy-commands');
  });

  it('lists every settings problem and exits 1', async () => {
    const { code, output } = await doctor(ha, discord, {
      HA_URL: 'homeassistant',
      LOG_LEVEL: 'loud',
    });
    expect(line(output, 'Configuration')).toMatch(/^\[FAIL\].*problems in the settings/);
    expect(output).toMatch(/HA_URL: must be a URL/);
    expect(output).toMatch(/LOG_LEVEL:/);
    expect(code).toBe(1);
  });
});
